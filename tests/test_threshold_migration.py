"""The upgrade that scores a threshold target under «higher» by the threshold rule
(indicators 0011) recomputes the stored figures of the open years only, and gives every
existing indicator an empty common code (0010). As in test_core_migration, the migrations run
on their own SQLite file in a child process."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE = [("indicators", "0009_realization_page_index")]
AFTER = [("indicators", "0011_threshold_targets_rescored")]


def scenario() -> dict:
    """Run in the child: a published and a planning year, each with «≥ 60» under «higher»
    stored as the ratio (56 of 60: 93,33%), migrated and read."""
    import django
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    django.setup()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    body = apps.get_model("core", "Body").objects.create(
        name="Camera di prova", slug="prova", kind="cciaa"
    )
    for year, state in ((2023, "published"), (2024, "planning")):
        cycle = apps.get_model("core", "Cycle").objects.create(
            body=body,
            year=year,
            state=state,
            band_achieved_from=90,
            band_partial_from=60,
            missed_deadline_pct=0,
            scoring_method={"thresholds": "all_or_nothing"},
            body_name=body.name,
        )
        group = apps.get_model("indicators", "CommonGroup").objects.create(cycle=cycle, name="G")
        apps.get_model("indicators", "Indicator").objects.create(
            cycle=cycle,
            common_group=group,
            name="Grado di adesione",
            kind="number",
            direction="higher",
            target="≥ 60",
            actual="56",
            realization="93.33",
            status="achieved",
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    rows = apps.get_model("indicators", "Indicator").objects.order_by("cycle__year")
    return {
        str(year): [str(realization), status, code]
        for year, realization, status, code in rows.values_list(
            "cycle__year", "realization", "status", "common_code"
        )
    }


def test_open_years_are_rescored_and_locked_years_kept(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "relazione.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'upgrade.sqlite3'}",
    }
    code = "import json, tests.test_threshold_migration as m; print(json.dumps(m.scenario()))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # The published year keeps what was validated; the open year follows the threshold rule.
    assert result["2023"] == ["93.33", "achieved", ""]
    assert result["2024"] == ["0.00", "not_achieved", ""]
