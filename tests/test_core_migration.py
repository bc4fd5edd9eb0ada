"""The upgrade that moved Body and Cycle to ``core`` and ContextTable and DeclaredFigure to
``resources`` keeps every row, every reference to them and the admin's history; it can be undone.

Rows are written at the previous release's migrations (the leaves below), the database is
migrated to the latest state and read through the models of their new apps, then migrated back.
As in test_reports_migration, the migrations run on their own SQLite file in a child process."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every app's last migration in the release before the move.
BEFORE = [
    ("relazione", "0003_cycle_settings"),
    ("objectives", "0004_cycleunit"),
    ("indicators", "0002_historicalindicator"),
    ("finance", "0001_initial"),
    ("staff", "0001_initial"),
    ("resources", "0001_initial"),
    ("consistency", "0001_initial"),
    ("public", "0001_initial"),
    ("reports", "0003_pdf_request_task_queue"),
    ("workflow", "0003_gap_justification"),
    ("accounts", "0001_initial"),
    ("admin", "0003_logentry_add_action_flag_choices"),
    ("contenttypes", "0002_remove_content_type_name"),
]


def _leaves(executor):
    return executor.loader.graph.leaf_nodes()


def scenario() -> dict:
    """Run in the child: rows at BEFORE, migrate to the latest, read them, migrate back."""
    import django
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    django.setup()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    content_type = apps.get_model("contenttypes", "ContentType")
    body = apps.get_model("relazione", "Body").objects.create(
        name="Camera di commercio di prova", slug="prova", band_achieved_from=95
    )
    cycle = apps.get_model("relazione", "Cycle").objects.create(
        body=body,
        year=2023,
        state="published",
        band_achieved_from=95,
        band_partial_from=60,
        missed_deadline_pct=0,
        body_name=body.name,
    )
    apps.get_model("relazione", "ContextTable").objects.create(
        cycle=cycle, key="imprese", title="Imprese attive", columns=["Anno"], rows=[["2023"]]
    )
    apps.get_model("relazione", "DeclaredFigure").objects.create(
        cycle=cycle, table="conto_economico", key="totale", label="Totale", text="1.284"
    )
    apps.get_model("objectives", "Perspective").objects.create(
        cycle=cycle, order=1, name="Competitività delle imprese"
    )
    user = apps.get_model("auth", "User").objects.create(username="admin.prova")
    body_type = content_type.objects.get_or_create(app_label="relazione", model="body")[0]
    permission = apps.get_model("auth", "Permission")
    change_body = permission.objects.create(
        content_type=body_type, codename="change_body", name="Can change ente"
    )
    apps.get_model("auth", "Group").objects.create(name="uffici").permissions.add(change_body)
    # What `migrate` leaves after a partial or backward run: the new label's content type
    # already there, with its own permission (created after the run, as post_migrate does).
    created = content_type.objects.create(app_label="core", model="body")
    permission.objects.create(content_type=created, codename="change_body", name="Can change")
    apps.get_model("admin", "LogEntry").objects.create(
        user=user,
        content_type=body_type,
        object_id=str(body.pk),
        object_repr=body.name,
        action_flag=2,
        change_message="[]",
    )

    executor = MigrationExecutor(connection)
    latest = _leaves(executor)
    executor.migrate(latest)
    apps = executor.loader.project_state(latest).apps
    cycle_now = apps.get_model("core", "Cycle").objects.select_related("body").get()
    log = apps.get_model("admin", "LogEntry").objects.select_related("content_type").get()
    after = {
        "cycle": [
            cycle_now.pk,
            cycle_now.year,
            cycle_now.body.name,
            str(cycle_now.band_achieved_from),
        ],
        "context": list(
            apps.get_model("resources", "ContextTable").objects.values_list("cycle_id", "title")
        ),
        "declared": list(
            apps.get_model("resources", "DeclaredFigure").objects.values_list("cycle_id", "text")
        ),
        "perspective_year": apps.get_model("objectives", "Perspective").objects.get().cycle.year,
        "log_type": [log.content_type.app_label, log.content_type.model],
        "log_object": log.object_id,
        "body_types": list(
            content_type.objects.filter(model="body").values_list("app_label", "pk")
        ),
        "group_permissions": list(
            apps.get_model("auth", "Group")
            .objects.get(name="uffici")
            .permissions.values_list("content_type__app_label", "codename")
        ),
    }

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    back = {
        "cycles": apps.get_model("relazione", "Cycle").objects.count(),
        "context": apps.get_model("relazione", "ContextTable").objects.count(),
        "log_type": apps.get_model("admin", "LogEntry").objects.get().content_type.app_label,
    }
    return {"before": [cycle.pk, body.pk, body_type.pk], "after": after, "back": back}


def test_moved_models_keep_rows_references_and_history(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "relazione.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'upgrade.sqlite3'}",
    }
    code = "import json, tests.test_core_migration as m; print(json.dumps(m.scenario()))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    cycle_pk, body_pk, body_type_pk = result["before"]
    after = result["after"]
    assert after["cycle"] == [cycle_pk, 2023, "Camera di commercio di prova", "95.00"]
    assert after["context"] == [[cycle_pk, "Imprese attive"]]
    assert after["declared"] == [[cycle_pk, "1.284"]]
    assert after["perspective_year"] == 2023
    # The admin's history of the body follows it to its new app (no orphan content type).
    assert after["log_type"] == ["core", "body"]
    assert after["log_object"] == str(body_pk)
    # One content type for the body, the old one relabelled (its id kept); the one `migrate`
    # had created meanwhile merged into it; the group keeps its permission.
    assert after["body_types"] == [["core", body_type_pk]]
    assert after["group_permissions"] == [["core", "change_body"]]
    assert result["back"] == {"cycles": 1, "context": 1, "log_type": "relazione"}
