# The in-house PDF queue (PdfJob + manage.py pdf_worker) gives way to Django's tasks framework
# (django-tasks-db). Each PdfJob becomes a PdfRequest with what the page still shows: year,
# requester, when, outcome (pages or the error). A job still queued or running when upgrading
# would never be picked up again (its worker is gone), so it is carried as not done, with a
# message asking to generate again. RelazionePdf rows (the PDFs themselves) are not touched.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

NOT_RUN = (
    "Richiesta della coda precedente, non eseguita prima dell'aggiornamento: "
    "generare di nuovo il PDF."
)
FAILED_DEFAULT = "La generazione del PDF non è riuscita."


def jobs_to_requests(apps, schema_editor):
    PdfJob = apps.get_model("reports", "PdfJob")
    PdfRequest = apps.get_model("reports", "PdfRequest")
    upgraded_at = django.utils.timezone.now()
    requests = []
    for job in PdfJob.objects.order_by("created_at", "id").iterator():
        request = PdfRequest(
            cycle_id=job.cycle_id, requested_by_id=job.requested_by_id, requested_at=job.created_at
        )
        if job.state == "done":
            request.pages = job.pages
            request.finished_at = job.finished_at or job.started_at or job.created_at
        elif job.state == "failed":
            request.error = job.message or FAILED_DEFAULT
            request.finished_at = job.finished_at or job.started_at or job.created_at
        else:  # queued or running
            request.error = NOT_RUN
            request.finished_at = upgraded_at
        requests.append(request)
    PdfRequest.objects.bulk_create(requests, batch_size=500)


def requests_to_jobs(apps, schema_editor):
    """Back to the old queue: finished requests as done/failed jobs; one still in the task
    queue as queued (at most one per year, as the old table allowed)."""
    PdfJob = apps.get_model("reports", "PdfJob")
    PdfRequest = apps.get_model("reports", "PdfRequest")
    active = set()
    for request in PdfRequest.objects.order_by("-requested_at", "-id").iterator():
        if request.finished_at is None and request.cycle_id in active:
            continue
        if request.finished_at is None:
            state = "queued"
            active.add(request.cycle_id)
        else:
            state = "failed" if request.error else "done"
        job = PdfJob.objects.create(
            cycle_id=request.cycle_id,
            requested_by_id=request.requested_by_id,
            state=state,
            finished_at=request.finished_at,
            pages=request.pages,
            message=request.error
            or (f"PDF generato: {request.pages} pagine." if request.pages else ""),
        )
        # auto_now_add: the request's date is written after the insert.
        PdfJob.objects.filter(pk=job.pk).update(created_at=request.requested_at)


class Migration(migrations.Migration):
    dependencies = [
        ("relazione", "0002_contexttable_version_updated"),
        ("reports", "0002_narrative_version_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PdfRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("requested_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="richiesto il")),
                ("task_id", models.CharField(blank=True, max_length=64, verbose_name="lavoro in coda")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="concluso il")),
                ("pages", models.PositiveIntegerField(blank=True, null=True, verbose_name="pagine")),
                ("error", models.TextField(blank=True, verbose_name="errore")),
                ("cycle", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="pdf_requests", to="relazione.cycle")),
                ("requested_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="richiesto da")),
                ("retry_of", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="retries", to="reports.pdfrequest", verbose_name="nuovo tentativo di")),
            ],
            options={
                "verbose_name": "richiesta del PDF",
                "verbose_name_plural": "richieste del PDF",
                "ordering": ["-requested_at", "-id"],
                "indexes": [models.Index(fields=["cycle", "-requested_at"], name="pdfrequest_cycle_latest")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("pages__isnull", True), ("error", ""), _connector="OR"),
                        name="pdfrequest_outcome_one",
                    )
                ],
            },
        ),
        migrations.RunPython(jobs_to_requests, requests_to_jobs),
        migrations.DeleteModel(name="PdfJob"),
    ]
