"""The upgrade to free codes and configurable unit kinds keeps every existing row valid: the
codes written as "n.n" get their natural-order key, every body keeps the kinds its units have,
and the years print "Prospettiva" as before. As in test_core_migration, the migrations run on
their own SQLite file in a child process."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE = [("objectives", "0006_weights"), ("core", "0006_body_logo")]
AFTER = [("objectives", "0008_unit_kinds"), ("core", "0007_level_labels")]


def scenario() -> dict:
    """Run in the child: rows before the upgrade, then migrated and read."""
    import django
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    django.setup()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    body = apps.get_model("core", "Body").objects.create(
        name="Comune di prova", slug="prova", kind="comune"
    )
    cycle = apps.get_model("core", "Cycle").objects.create(
        body=body,
        year=2023,
        state="published",
        band_achieved_from=90,
        band_partial_from=60,
        missed_deadline_pct=0,
        scoring_method={},
        body_name=body.name,
    )
    perspective = apps.get_model("objectives", "Perspective").objects.create(
        cycle=cycle, order=1, name="P"
    )
    strategic = apps.get_model("objectives", "StrategicObjective")
    for code in ("1.10", "1.2", "10.1", "2.1"):
        strategic.objects.create(cycle=cycle, perspective=perspective, code=code, name=code)
    apps.get_model("objectives", "OrgUnit").objects.create(
        body=body, kind="agency", name="Azienda", slug="azienda"
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    strategic = apps.get_model("objectives", "StrategicObjective")
    return {
        "codes": list(
            strategic.objects.order_by("code_key", "code").values_list("code", flat=True)
        ),
        "kinds": list(
            apps.get_model("objectives", "UnitKind")
            .objects.filter(body__slug="prova")
            .order_by("order")
            .values_list("code", flat=True)
        ),
        "labels": list(
            apps.get_model("core", "Cycle")
            .objects.values_list("perspective_label", "perspective_label_plural")
            .get()
        ),
    }


def test_existing_rows_stay_valid_after_the_upgrade(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "relazione.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'upgrade.sqlite3'}",
    }
    code = "import json, tests.test_structure_migration as m; print(json.dumps(m.scenario()))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["codes"] == ["1.2", "1.10", "2.1", "10.1"]
    # A Comune that had a Camera's kinds keeps them all: its units stay valid.
    assert result["kinds"] == ["secretariat", "area", "service", "office", "agency", "partner"]
    # A year of before prints the name it had (Cycle.levels: empty is «Prospettiva»).
    assert result["labels"] == ["", ""]
