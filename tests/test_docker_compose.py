"""docker-compose.yml, the Dockerfile and scripts/container-smoke.sh agree. The smoke script (run
by .ci/run) is the proof that the image works; these checks keep the three from drifting apart:
every step the image runs is a scripts/entrypoint.sh subcommand that exists and that the smoke
runs, every manage.py command they name exists, every variable the compose file sets is read by
the settings, and the PostgreSQL client of the image can dump the compose server."""

from __future__ import annotations

import fnmatch
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
ENTRYPOINT = ROOT / "scripts" / "entrypoint.sh"
SMOKE = ROOT / "scripts" / "container-smoke.sh"
SETTINGS_TEXT = "\n".join(p.read_text() for p in (ROOT / "relazione" / "settings").glob("*.py"))


@pytest.fixture(scope="module")
def compose():
    with (ROOT / "docker-compose.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def instructions() -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    result = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def subcommands() -> set[str]:
    """The steps scripts/entrypoint.sh knows (its `case` labels)."""
    text = ENTRYPOINT.read_text(encoding="utf-8")
    return set(re.findall(r"^  ([a-z]+)\)$", text, flags=re.M))


def dockerfile_steps() -> set[str]:
    steps = set()
    for keyword, rest in instructions():
        if keyword == "RUN":
            steps |= set(re.findall(r"scripts/entrypoint\.sh (\w+)", rest))
        elif keyword in {"CMD", "HEALTHCHECK"}:
            steps |= set(re.findall(r'"(\w+)"\]$', rest))
    return steps


def test_the_image_runs_its_steps_through_the_entrypoint():
    entry = [rest for keyword, rest in instructions() if keyword == "ENTRYPOINT"]
    assert entry == ['["/app/scripts/entrypoint.sh"]']
    assert dockerfile_steps() == {"install", "collectstatic", "web", "healthcheck"}
    assert dockerfile_steps() <= subcommands()


def test_compose_services_run_steps_that_exist(compose):
    commands = {name: s.get("command") for name, s in compose["services"].items() if "build" in s}
    assert commands == {"web": ["web"], "worker": ["worker"]}
    assert {c[0] for c in commands.values()} <= subcommands()


def test_the_smoke_runs_every_step_of_the_image(compose):
    smoke = SMOKE.read_text(encoding="utf-8")
    run = set(re.findall(r'"\$IMAGE" (\w+)', smoke))
    used = dockerfile_steps() | {
        s["command"][0] for s in compose["services"].values() if "build" in s
    }
    assert used <= run, f"passi dell'immagine non provati dallo smoke: {used - run}"


def test_the_manage_py_commands_named_exist():
    known = set(get_commands())
    text = ENTRYPOINT.read_text() + (ROOT / "README.md").read_text() + SMOKE.read_text()
    # Commands that are run, not the ones a comment mentions.
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    named = set(re.findall(r"manage\.py (\w+)", text))
    assert {"migrate", "collectstatic", "load_demo", "createsuperuser", "backup"} <= named
    optional = {"rqworker"}  # django-rq's, with the `rq` extra only (README, "Task queue")
    assert named - optional <= known, f"comandi inesistenti: {named - optional - known}"
    assert "db_worker" in known


def test_every_compose_variable_is_read_by_the_settings(compose):
    for service in ("web", "worker"):
        for name in compose["services"][service]["environment"]:
            if name != "DJANGO_SETTINGS_MODULE":
                assert f'"{name}"' in SETTINGS_TEXT, (
                    f"{service}: {name} non letta dalle impostazioni"
                )


def test_the_image_postgresql_client_dumps_the_compose_server(compose):
    server = compose["services"]["postgres"]["image"]
    server_major = int(re.fullmatch(r"postgres:(\d+)(\.\d+)?", server).group(1))
    packages = " ".join(rest for keyword, rest in instructions() if keyword == "RUN")
    clients = [int(m) for m in re.findall(r"postgresql-client-(\d+)", packages)]
    # pg_dump refuses a server of a newer major than its own.
    assert len(clients) == 1 and clients[0] >= server_major


def test_the_app_connects_to_the_compose_database(compose):
    postgres = compose["services"]["postgres"]["environment"]
    for service in ("web", "worker"):
        url = urlsplit(compose["services"][service]["environment"]["DATABASE_URL"])
        assert (url.hostname, url.port or 5432) == ("postgres", 5432)
        assert (url.username, url.password, url.path.lstrip("/")) == (
            postgres["POSTGRES_USER"],
            postgres["POSTGRES_PASSWORD"],
            postgres["POSTGRES_DB"],
        )
    assert compose["services"]["web"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    # The worker waits for web, which migrates the database before it serves /healthz.
    assert compose["services"]["worker"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_image_runs_as_a_user_not_root():
    users = [rest for keyword, rest in instructions() if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}


def dockerignored(path: str) -> bool:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(
        fnmatch.fnmatch(prefix, pattern.removeprefix("**/"))
        or fnmatch.fnmatch(parts[i], pattern.removeprefix("**/"))
        for pattern in patterns
        for i, prefix in enumerate(prefixes)
    )


@pytest.mark.parametrize(
    "path",
    [
        ".venv/bin/python",
        "var/db.sqlite3",
        ".git/config",
        "staticfiles/x.css",
        "a/__pycache__/b.pyc",
    ],
)
def test_the_build_context_leaves_out_environments_databases_and_history(path):
    assert dockerignored(path)


def test_the_build_context_keeps_what_the_image_copies_and_runs():
    needed = [
        "manage.py",
        "requirements.lock",
        "requirements-rq.lock",
        "scripts/entrypoint.sh",
        "fixtures/2023",
    ]
    needed += ["relazione/settings/production.py", "templates/base.html", "static/js/csp-shims.js"]
    for keyword, rest in instructions():
        if keyword == "COPY":
            needed += [s for s in shlex.split(rest)[:-1] if s != "."]
    for path in needed:
        assert (ROOT / path).exists(), path
        assert not dockerignored(path), f"{path} escluso da .dockerignore"
