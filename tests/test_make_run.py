"""`make run` keeps the user's work: the demo is loaded only into an empty database
(`load_demo --if-empty`, what scripts/run.sh runs at every start), `make demo-reset` reloads it
on purpose; and scripts/run.sh starts the web server and the task worker, both stopped by
Ctrl-C."""

import io
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from core.locking import unlocked
from core.models import Cycle
from indicators import domain
from indicators.models import Indicator
from lib.italian import format_date

ROOT = Path(__file__).resolve().parent.parent


def _deadline_2024():
    return (
        Indicator.objects.filter(cycle__year=2024, kind=domain.Kind.DEADLINE, actual="")
        .order_by("order", "id")
        .first()
    )


def _start() -> str:
    out = io.StringIO()
    call_command("load_demo", if_empty=True, no_pdf=True, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_startup_loads_an_empty_database_once_and_keeps_a_value_entered_after():
    with unlocked():
        Cycle.objects.all().delete()  # a database just migrated
    first = _start()
    assert "Dati dimostrativi caricati" in first
    assert set(Cycle.objects.values_list("year", flat=True)) == {2023, 2024}

    indicator = _deadline_2024()
    target = domain.parse_value(indicator.target).date
    value = format_date(target)  # met on the 2024 deadline
    call_command(
        "set_actual",
        year=2024,
        indicator=indicator.pk,
        value=value,
        user="pianificazione",
        stdout=io.StringIO(),
    )

    second = _start()  # the next `make run`
    assert "la demo non viene ricaricata" in second and "make demo-reset" in second
    indicator.refresh_from_db()
    assert indicator.actual == value
    assert Indicator.objects.filter(pk=indicator.pk).exists()  # not rebuilt under a new id

    call_command("load_demo", no_pdf=True, stdout=io.StringIO())  # make demo-reset
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    again = Indicator.objects.get(cycle__year=2024, order=indicator.order, name=indicator.name)
    assert again.actual == ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _shell(env, code: str) -> str:
    """The last line printed by `manage.py shell -c` (Django's shell may announce imports)."""
    return _manage(env, "shell", "-v", "0", "-c", code).strip().splitlines()[-1]


def _manage(env, *args, timeout=120) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return done.stdout


def _descendants(pid: int) -> set[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError(f"timeout: {what}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local server
            return response.status == 200
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_run_script_serves_works_the_queue_keeps_data_and_stops_both_on_ctrl_c(tmp_path):
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PY": sys.executable,
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    # A database already in use, with a value entered in 2024 (one shell: each start of
    # Python costs seconds on a busy machine).
    _manage(env, "migrate", "--noinput")
    setup = (
        "from demo.loader import demo_load; from indicators.models import Indicator as I; "
        "demo_load(year=2023); "
        "i = I.objects.filter(cycle__year=2024, kind='deadline', actual='')"
        ".order_by('order', 'id').first(); "
        "I.objects.filter(pk=i.pk).update(actual=i.target); print(i.pk, i.target)"
    )
    pk, target = _shell(env, setup).split()
    database = sqlite3.connect(tmp_path / "db.sqlite3")

    def query(sql, *params):
        return database.execute(sql, params).fetchone()[0]

    log = (tmp_path / "run.log").open("w")
    run = subprocess.Popen(
        ["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        _wait(lambda: _answers(f"http://127.0.0.1:{port}/"), 90, "the web server")
        children = _descendants(run.pid)
        assert len(children) >= 2, children  # runserver and db_worker (and their reloaders)

        # The worker runs: a task queued now is done without anyone calling it.
        enqueue = (
            "from workflow.tasks import notifications_send as t; "
            "print(t.enqueue([['Prova', 'Coda attiva', 'a@example.org', ['b@example.org']]]).id)"
        )
        task_id = _shell(env, enqueue)
        task_status = "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?"
        _wait(
            lambda: query(task_status, task_id.replace("-", "")) == "SUCCESSFUL", 60, "the worker"
        )

        run.send_signal(signal.SIGINT)  # Ctrl-C
        assert run.wait(timeout=60) != 0
        _wait(lambda: not any(_alive(pid) for pid in children), 30, "children stopped")
        assert not _answers(f"http://127.0.0.1:{port}/")
    finally:
        if run.poll() is None:
            run.kill()
        log.close()
    output = (tmp_path / "run.log").read_text()
    assert "la demo non viene ricaricata" in output, output
    assert query("SELECT actual FROM indicators_indicator WHERE id = ?", int(pk)) == target
    database.close()
