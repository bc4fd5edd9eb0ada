"""Faults: the PDF rendering fails in the task worker; the previous PDF stays, the task is
recorded as failed, and the person is told."""

import hashlib
from unittest import mock

import pytest
from django.urls import reverse

from reports import pdf as pdf_module
from reports.models import PdfRequest, RelazionePdf
from reports.selectors import FAILURE_MESSAGE, PdfStatus, pdf_request_status
from tests.people import *  # noqa: F403

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.7\n% versione precedente generata dal test\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _fake_render(cycle):
    return pdf_module.RenderedPdf(
        content=CONTENT, pages=3, sha256=hashlib.sha256(CONTENT).hexdigest(), draft=True
    )


def _generate(client, cycle, capture, run_tasks):
    with capture(execute=True):
        response = client.post(reverse("reports:generate", args=["cciaa-bergamo", cycle.year]))
    assert response.status_code == 302
    run_tasks()
    return pdf_request_status(PdfRequest.objects.filter(cycle=cycle).order_by("-id").first())


def test_failed_render_keeps_previous_pdf_and_says_so(
    client, cycle, people, media, django_capture_on_commit_callbacks, run_tasks
):
    client.force_login(people.planning)
    with mock.patch.object(pdf_module, "render_pdf", side_effect=_fake_render):
        first = _generate(client, cycle, django_capture_on_commit_callbacks, run_tasks)
    assert first.status == PdfStatus.DONE
    previous = RelazionePdf.objects.get(cycle=cycle)
    previous_name, previous_sha = previous.file.name, previous.sha256
    assert (media / previous_name).read_bytes() == CONTENT

    boom = RuntimeError("WeasyPrint: font mancante (guasto simulato)")
    with mock.patch.object(pdf_module, "render_pdf", side_effect=boom) as render:
        job = _generate(client, cycle, django_capture_on_commit_callbacks, run_tasks)
    assert render.called
    assert job.request.id != first.request.id
    assert job.status == PdfStatus.FAILED
    assert job.message == FAILURE_MESSAGE
    # The previous PDF is untouched: same record, same file, same bytes.
    kept = RelazionePdf.objects.get(cycle=cycle)
    assert (kept.file.name, kept.sha256) == (previous_name, previous_sha)
    assert (media / kept.file.name).read_bytes() == CONTENT

    page = client.get(reverse("reports:job", args=["cciaa-bergamo", cycle.year, job.request.id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Non riuscito" in html
    assert "Il PDF generato in precedenza resta disponibile." in html
    assert "Scarica il PDF precedente" in html
    download = client.get(reverse("reports:download", args=["cciaa-bergamo", cycle.year]))
    assert b"".join(download.streaming_content) == CONTENT
