"""``manage.py backup`` / ``restore``: a restore into an empty database finds every row, the
history and the validation snapshot hash intact."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from indicators import services
from indicators.models import Indicator
from tests.people import *  # noqa: F403
from workflow import snapshot
from workflow.models import Validation

ROOT = Path(settings.BASE_DIR)
SKIP = {"contenttypes.contenttype", "auth.permission"}  # recreated by migrate

COUNT_SCRIPT = """
import json, django
django.setup()
from django.apps import apps
from core.models import Cycle
from workflow import snapshot
from workflow.models import Validation
counts = {m._meta.label_lower: m._base_manager.count()
          for m in apps.get_models(include_auto_created=True)}
validations = [[v.cycle.year, v.snapshot_hash, snapshot.digest(v.snapshot)]
               for v in Validation.objects.select_related("cycle").order_by("id")]
recomputed = {f"{c.body.slug}:{c.year}": snapshot.take(c)[1]
              for c in Cycle.objects.select_related("body")}
print(json.dumps({"counts": counts, "validations": validations, "recomputed": recomputed}))
"""


def _env(database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="relazione.settings.test")
    return env


def _manage(database_url, *args):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=_env(database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _state_of(database_url):
    done = subprocess.run(
        [sys.executable, "-c", COUNT_SCRIPT],
        env=_env(database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _local_counts():
    return {
        m._meta.label_lower: m._base_manager.count()
        for m in apps.get_models(include_auto_created=True)
        if m._meta.label_lower not in SKIP
    }


@pytest.mark.skipif(connection.vendor != "sqlite", reason="variante SQLite (JSON)")
@pytest.mark.django_db
def test_backup_restore_sqlite_into_empty_database(tmp_path, open_cycle, people):
    # Some history with a person, and a validation with its snapshot hash.
    ind = Indicator.objects.filter(cycle=open_cycle, kind="number", direction="higher").first()
    services.indicator_update_actual(
        user=people.planning,
        indicator=ind,
        actual="99",
        explanation="Aggiornato prima della copia",
        expected_version=ind.version,
    )
    text, sha = snapshot.take(open_cycle)
    if not Validation.objects.filter(cycle=open_cycle, voided=False).exists():
        Validation.objects.create(
            cycle=open_cycle,
            statement="Validata (test della copia di sicurezza).",
            date=dt.date(2024, 6, 28),
            user=people.oiv,
            snapshot=text,
            snapshot_hash=sha,
        )
    validations = [
        [v.cycle.year, v.snapshot_hash, snapshot.digest(v.snapshot)]
        for v in Validation.objects.select_related("cycle").order_by("id")
    ]
    expected = _local_counts()
    assert expected["indicators.historicalindicator"] > expected["indicators.indicator"]
    assert validations and all(stored == again for _y, stored, again in validations)

    dump = tmp_path / "copia.json"
    call_command("backup", output=str(dump))
    assert dump.stat().st_size > 0

    url = f"sqlite:///{tmp_path / 'ripristino.sqlite3'}"
    done = _manage(url, "restore", str(dump))
    assert done.returncode == 0, done.stderr
    state = _state_of(url)
    restored = {k: v for k, v in state["counts"].items() if k not in SKIP}
    assert restored == expected
    # The validation: stored hash, hash of the stored text, and the data recomputed now.
    assert state["validations"] == validations
    recomputed = state["recomputed"][f"{open_cycle.body.slug}:{open_cycle.year}"]
    assert recomputed == sha  # the data, hashed again
    # The history record written by the service kept its author.
    history = _manage(
        url,
        "shell",
        "-c",
        "from indicators.models import Indicator;"
        f"h = Indicator.history.filter(id={ind.id}).order_by('-history_id').first();"
        "print(h.actual, h.history_user.username)",
    )
    assert history.stdout.strip().splitlines()[-1].split() == ["99", people.planning.username]

    # A second restore into the now non-empty database is refused, in Italian.
    again = _manage(url, "restore", str(dump))
    assert again.returncode != 0
    assert "non è vuoto" in again.stderr
    forced = _manage(url, "restore", str(dump), "--force")
    assert forced.returncode == 0, forced.stderr
    assert {k: v for k, v in _state_of(url)["counts"].items() if k not in SKIP} == expected


def _server_sql(sql):
    """CREATE/DROP DATABASE cannot run in the test's transaction: a separate autocommit
    connection to the server's maintenance database."""
    import psycopg

    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(sql)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="variante PostgreSQL (pg_dump)")
@pytest.mark.django_db
def test_backup_restore_postgresql_into_empty_database(tmp_path, cycle):
    """pg_dump -Fc of the test database (the demo year, committed at session start), restored
    into a scratch database created and dropped here."""
    from urllib.parse import urlsplit, urlunsplit

    dump = tmp_path / "copia.dump"
    call_command("backup", output=str(dump))
    assert dump.read_bytes()[:5] == b"PGDMP"
    source = dict(connection.settings_dict)
    url = urlsplit(os.environ["DATABASE_URL"])
    scratch = f"{source['NAME']}_ripristino"
    scratch_url = urlunsplit(url._replace(path=f"/{scratch}"))
    source_url = urlunsplit(url._replace(path=f"/{source['NAME']}"))
    _server_sql(f'DROP DATABASE IF EXISTS "{scratch}"')
    _server_sql(f'CREATE DATABASE "{scratch}"')
    try:
        done = _manage(scratch_url, "restore", str(dump))
        assert done.returncode == 0, done.stderr
        before, after = _state_of(source_url), _state_of(scratch_url)
        assert after["counts"] == before["counts"]
        assert after["recomputed"] == before["recomputed"]
        assert after["validations"] == before["validations"]
        again = _manage(scratch_url, "restore", str(dump))
        assert again.returncode != 0 and "non è vuoto" in again.stderr
    finally:
        _server_sql(f'DROP DATABASE IF EXISTS "{scratch}"')
