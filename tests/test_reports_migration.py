"""The upgrade from the in-house PDF queue (PdfJob) to the task framework (PdfRequest) keeps
what the pages show and every generated PDF; it can be undone.

The migrations run on their own SQLite file in a child process (MigrationExecutor on a
database at the previous migration): SQLite cannot alter tables inside the transaction a
database test runs in, and the test database must stay at the latest migration."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE = [("reports", "0002_narrative_version_history")]
AFTER = [("reports", "0003_pdf_request_task_queue")]


def scenario() -> dict:
    """Run in the child: rows at 0002, migrate to 0003, read them, migrate back, read again."""
    import datetime as dt

    import django
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    django.setup()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    body = apps.get_model("relazione", "Body").objects.create(name="Ente di prova", slug="prova")
    cycle = apps.get_model("relazione", "Cycle").objects.create(
        body=body, year=2023, state="published"
    )
    draft = apps.get_model("relazione", "Cycle").objects.create(
        body=body, year=2024, state="monitoring"
    )
    user = apps.get_model("auth", "User").objects.create(username="maria.rossi")
    apps.get_model("reports", "RelazionePdf").objects.create(
        cycle=cycle,
        file="relazione/2023/relazione-performance-2023.pdf",
        sha256="a" * 64,
        pages=73,
        size=1000,
        is_draft=False,
        generated_at=dt.datetime(2024, 6, 20, 10, tzinfo=dt.UTC),
    )
    PdfJob = apps.get_model("reports", "PdfJob")
    when = dt.datetime(2024, 6, 1, 9, tzinfo=dt.UTC)
    for offset, (year_cycle, state, message, pages) in enumerate(
        [
            (cycle, "done", "PDF generato: 73 pagine.", 73),
            (cycle, "failed", "La generazione del PDF non è riuscita: ...", None),
            (draft, "running", "", None),
            (cycle, "queued", "", None),
        ]
    ):
        job = PdfJob.objects.create(
            cycle=year_cycle,
            requested_by=user,
            state=state,
            message=message,
            pages=pages,
            started_at=None if state == "queued" else when,
            finished_at=when + dt.timedelta(minutes=1) if state in ("done", "failed") else None,
        )
        PdfJob.objects.filter(pk=job.pk).update(created_at=when + dt.timedelta(hours=offset))

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    requests = [
        {
            "year": r.cycle.year,
            "by": r.requested_by.username,
            "at": r.requested_at.isoformat(),
            "task_id": r.task_id,
            "pages": r.pages,
            "error": r.error,
            "finished": r.finished_at is not None,
        }
        for r in apps.get_model("reports", "PdfRequest").objects.order_by("requested_at")
    ]
    pdfs = list(apps.get_model("reports", "RelazionePdf").objects.values_list("sha256", "pages"))

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    back = list(
        apps.get_model("reports", "PdfJob").objects.order_by("created_at").values_list("state")
    )
    return {"requests": requests, "pdfs": pdfs, "back": [s for (s,) in back]}


def test_pdf_jobs_become_requests_and_pdfs_survive(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "relazione.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'upgrade.sqlite3'}",
    }
    code = "import json, tests.test_reports_migration as m; print(json.dumps(m.scenario()))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])

    done_, failed, running, queued = result["requests"]
    assert [r["by"] for r in result["requests"]] == ["maria.rossi"] * 4
    assert [r["at"][:13] for r in result["requests"]] == [
        "2024-06-01T09",
        "2024-06-01T10",
        "2024-06-01T11",
        "2024-06-01T12",
    ]
    assert all(r["task_id"] == "" for r in result["requests"])  # no task behind old rows
    assert (done_["year"], done_["pages"], done_["error"]) == (2023, 73, "")
    assert failed["error"].startswith("La generazione del PDF non è riuscita")
    # Still waiting when upgrading: nobody would ever run them, so they say so.
    for stuck in (running, queued):
        assert stuck["finished"] and "generare di nuovo il PDF" in stuck["error"]
    assert running["year"] == 2024
    assert result["pdfs"] == [["a" * 64, 73]]
    # Back to the old queue: finished requests as they ended.
    assert result["back"] == ["done", "failed", "failed", "failed"]
