"""Long work of the reports app, run by the task queue (Django's tasks framework; the worker
is ``manage.py db_worker``), never in a request."""

from django.tasks import task


@task
def relazione_pdf_render(request_id: int) -> dict:
    """Renders the PDF asked by a :class:`reports.models.PdfRequest`. A failed render raises,
    so the queue records the task as failed with its exception and traceback."""
    from .services import pdf_request_run

    record = pdf_request_run(request_id)
    return {"pages": record.pages, "sha256": record.sha256}
