"""End-to-end tests in a real browser: Debian's Chromium driven by Playwright.

The app runs as a real server process (``manage.py runserver``) on its own SQLite file built
with ``migrate`` and ``load_demo``, so these tests see exactly what a person sees and never
touch the test database of the rest of the suite.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).with_name("axe.min.js")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

MANAGE = [sys.executable, str(ROOT / "manage.py")]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(db: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "relazione.settings.local",
        "DATABASE_URL": f"sqlite:///{db}",
        "DEBUG": "true",
        "MEDIA_ROOT": str(db.parent / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory):
    """migrate + load_demo once per session (with the validated PDF); each module then runs its
    server on a copy, so a journey that validates 2024 cannot spoil another module's data."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium non installato: apt-get install chromium (vedi .ci/run)")
    # On tmpfs when there is one: SQLite's fsyncs dominate migrate + load_demo on a slow disk.
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(dir=shm)) if shm.is_dir() else tmp_path_factory.mktemp("b")
    db = folder / "template" / "db.sqlite3"
    db.parent.mkdir()
    env = _env(db)
    subprocess.run([*MANAGE, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*MANAGE, "load_demo"], env=env, check=True, cwd=ROOT, capture_output=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def live_url(demo_folder, request):
    copy = demo_folder / request.module.__name__.rsplit(".", 1)[-1]
    shutil.copytree(demo_folder / "template", copy)
    db = copy / "db.sqlite3"
    port = _free_port()
    # The server's log goes to a file: a pipe nobody reads fills up after a long journey's
    # requests, and the server then blocks on its next log line.
    log = (copy / "server.log").open("wb")
    server = subprocess.Popen(
        [*MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=_env(db),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):  # up to a minute: the first request of a loaded machine is slow
        try:
            urllib.request.urlopen(url + "/accessibilita/", timeout=1)  # noqa: S310
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        log.close()
        tail = (copy / "server.log").read_bytes().decode(errors="replace")[-2000:]
        pytest.fail("Il server di prova non è partito: " + tail)
    yield url
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def live_db(demo_folder, live_url, request) -> Path:
    """The SQLite file the module's live server runs on: a command run beside the server
    (``manage``) reads and writes what the browser sees."""
    return demo_folder / request.module.__name__.rsplit(".", 1)[-1] / "db.sqlite3"


def manage(db: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """``manage.py`` with the live server's settings and database (``env`` on top); output
    captured, never checked here: the caller asserts on the return code and what was printed.
    It may run while the server writes: it waits up to 30 s for SQLite's lock, not 5."""
    patient = {"DATABASE_URL": f"sqlite:///{db}?timeout=30"}
    return subprocess.run(
        [*MANAGE, *args],
        env={**_env(db), **patient, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def browser():
    # Module scope: Playwright's sync API runs an event loop in this thread while it is open,
    # and Django refuses ORM calls under a running loop (SynchronousOnlyOperation).
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """Records every request and console error of a page: nothing may come from outside the
    app, and the strict CSP must never have to refuse anything."""

    def __init__(self, page, origin):
        self.origin = origin
        self.outside = []
        self.csp = []
        page.on("request", self._request)
        page.on("console", self._console)

    def _request(self, request):
        url = request.url
        if not (url.startswith(self.origin) or url.startswith(("data:", "blob:", "about:"))):
            self.outside.append(url)

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.csp.append(text)


def open_page(browser, live_url, viewport=None):
    """A page of a fresh context with the strict CSP watched and axe-core served from the app's
    own origin by a route (so that script-src 'self' lets the test load it)."""
    sized = {"viewport": viewport} if viewport else {}
    context = browser.new_context(base_url=live_url, locale="it-IT", **sized)
    context.route("**/__axe__.js", lambda route: route.fulfill(path=str(AXE)))
    pg = context.new_page()
    pg.watch = Watch(pg, live_url)
    return pg


@pytest.fixture
def page(browser, live_url):
    pg = open_page(browser, live_url)
    yield pg
    pg.context.close()


def no_horizontal_overflow(page) -> bool:
    """Nothing sticks out sideways: the page never scrolls horizontally on a phone. Measured once
    the web fonts have loaded: the wider fallback font can push the desktop menu past the edge
    for a moment, which is not the layout the user gets."""
    return page.evaluate(
        "async () => { await document.fonts.ready;"
        " return document.documentElement.scrollWidth <= window.innerWidth; }"
    )


def axe_violations(page, impacts=("serious", "critical")):
    page.add_script_tag(url="/__axe__.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] if n["target"] else "" for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def login(page, username, password):
    page.goto("/account/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
