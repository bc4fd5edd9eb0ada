"""The PDF generation as a Django task (django.tasks). With settings.TASKS on the
ImmediateBackend (tests, demo) it runs at once; with the DummyBackend it is only recorded and
``manage.py pdf_worker`` processes the queued PdfJob rows."""

from django.tasks import task


@task
def generate_relazione_pdf(job_id: int) -> str:
    from .services import pdf_job_run

    return pdf_job_run(job_id).state
