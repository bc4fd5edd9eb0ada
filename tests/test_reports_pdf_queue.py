"""The Relazione's PDF through the task queue: Django's tasks framework on the database backend
(django-tasks-db), worked by its `db_worker` command as `make run` starts it. The rendering is
replaced by a small fake PDF except in the end-to-end test, which renders the real one."""

import datetime as dt
import hashlib
import uuid
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from core.models import Cycle
from reports import pdf as pdf_module
from reports import services
from reports.models import PdfRequest, RelazionePdf
from reports.selectors import (
    LOST_MESSAGE,
    QUEUE_DOWN_MESSAGE,
    STALE_AFTER,
    STALE_MESSAGE,
    PdfStatus,
    pdf_request_latest,
    pdf_request_status,
)
from tests.people import *  # noqa: F403

pytestmark = pytest.mark.django_db

FAKE = b"%PDF-1.7\n% generato dal test\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _fake_render(cycle, content=FAKE):
    return pdf_module.RenderedPdf(content, 3, hashlib.sha256(content).hexdigest(), True)


def _ask(client, year, capture):
    with capture(execute=True):
        response = client.post(reverse("reports:generate", args=["cciaa-bergamo", year]))
    assert response.status_code == 302
    return PdfRequest.objects.filter(cycle__year=year).order_by("-id").first(), response.url


def _page(client, pdf_request):
    url = reverse("reports:job", args=["cciaa-bergamo", pdf_request.cycle.year, pdf_request.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_request_is_queued_then_the_worker_renders_it(
    client, open_cycle, people, django_capture_on_commit_callbacks, run_tasks
):
    client.force_login(people.planning)
    with mock.patch.object(pdf_module, "render_pdf", side_effect=_fake_render) as render:
        pdf_request, url = _ask(client, 2023, django_capture_on_commit_callbacks)
        assert url == reverse("reports:job", args=["cciaa-bergamo", 2023, pdf_request.pk])
        # Queued in the task backend's table, not rendered in the request.
        assert render.call_count == 0
        task = DBTaskResult.objects.get(id=pdf_request.task_id)
        assert task.status == "READY" and task.task_path == "reports.tasks.relazione_pdf_render"
        page = _page(client, pdf_request)
        assert "In coda" in page and "data-job-active" in page

        ran = run_tasks()

    assert [str(t.id) for t in ran] == [pdf_request.task_id]
    assert render.call_count == 1
    assert ran[0].status == "SUCCESSFUL" and ran[0].return_value["pages"] == 3
    pdf_request.refresh_from_db()
    assert pdf_request.pages == 3 and pdf_request.finished_at is not None
    page = _page(client, pdf_request)
    assert "Completato" in page and "data-job-active" not in page
    assert "PDF generato: 3 pagine." in page and "Riprova" not in page
    download = client.get(reverse("reports:download", args=["cciaa-bergamo", 2023]))
    assert b"".join(download.streaming_content) == FAKE


def test_real_pdf_through_the_database_backend_and_worker(
    client, cycle, people, django_capture_on_commit_callbacks, run_tasks, media
):
    """No fake: the 2024 draft (the demo's year in data entry) rendered by the worker."""
    client.force_login(people.planning)
    pdf_request, _ = _ask(client, 2024, django_capture_on_commit_callbacks)
    assert not RelazionePdf.objects.filter(cycle__year=2024).exists()
    (task,) = run_tasks()
    assert task.status == "SUCCESSFUL", task.traceback
    record = RelazionePdf.objects.get(cycle__year=2024)
    assert record.is_draft and record.pages > 20
    content = (media / record.file.name).read_bytes()
    assert hashlib.sha256(content).hexdigest() == record.sha256
    assert len(PdfReader(media / record.file.name).pages) == record.pages
    assert pdf_request_status(PdfRequest.objects.get(pk=pdf_request.pk)).status == PdfStatus.DONE


def test_running_task_is_shown_as_running(
    client, open_cycle, people, django_capture_on_commit_callbacks
):
    client.force_login(people.manager_a)  # every internal person may ask for the draft
    pdf_request, _ = _ask(client, 2023, django_capture_on_commit_callbacks)
    DBTaskResult.objects.get(id=pdf_request.task_id).claim("worker-di-prova")
    page = _page(client, pdf_request)
    assert "In elaborazione" in page and "data-job-active" in page
    assert "Avviata" in page


def test_second_request_while_queued_reuses_it_and_a_later_one_is_new(
    client, open_cycle, people, django_capture_on_commit_callbacks, run_tasks
):
    client.force_login(people.planning)
    first, _ = _ask(client, 2023, django_capture_on_commit_callbacks)
    again, _ = _ask(client, 2023, django_capture_on_commit_callbacks)
    assert again.pk == first.pk
    assert DBTaskResult.objects.count() == 1
    with mock.patch.object(pdf_module, "render_pdf", side_effect=_fake_render):
        run_tasks()
    later, _ = _ask(client, 2023, django_capture_on_commit_callbacks)
    assert later.pk != first.pk and later.task_id != first.task_id


def test_failed_render_keeps_the_pdf_shows_the_error_and_retries(
    client, open_cycle, people, media, django_capture_on_commit_callbacks, run_tasks
):
    client.force_login(people.planning)
    with mock.patch.object(pdf_module, "render_pdf", side_effect=_fake_render):
        _ask(client, 2023, django_capture_on_commit_callbacks)
        run_tasks()
    previous = RelazionePdf.objects.get(cycle=open_cycle)

    boom = RuntimeError("WeasyPrint: font mancante (guasto simulato)")
    with mock.patch.object(pdf_module, "render_pdf", side_effect=boom):
        failed, _ = _ask(client, 2023, django_capture_on_commit_callbacks)
        (task,) = run_tasks()
    assert task.status == "FAILED" and task.exception_class_path == "builtins.RuntimeError"
    kept = RelazionePdf.objects.get(cycle=open_cycle)
    assert (kept.file.name, kept.sha256) == (previous.file.name, previous.sha256)
    assert (media / kept.file.name).read_bytes() == FAKE
    page = _page(client, failed)
    assert "Non riuscito" in page and "Il PDF generato in precedenza resta disponibile." in page
    assert "RuntimeError: WeasyPrint: font mancante (guasto simulato)" in page
    assert "Scarica il PDF precedente" in page and "Riprova la generazione" in page

    retry_url = reverse("reports:retry", args=["cciaa-bergamo", 2023, failed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url)
    attempt = PdfRequest.objects.get(retry_of=failed)
    assert response.url == reverse("reports:job", args=["cciaa-bergamo", 2023, attempt.pk])
    assert "nuovo tentativo della" in _page(client, attempt)
    fixed = b"%PDF-1.7\n% secondo tentativo\n%%EOF\n"
    with mock.patch.object(
        pdf_module, "render_pdf", side_effect=lambda cycle: _fake_render(cycle, fixed)
    ):
        (task,) = run_tasks()
    assert task.status == "SUCCESSFUL"
    assert RelazionePdf.objects.get(cycle=open_cycle).sha256 == hashlib.sha256(fixed).hexdigest()

    # Only a failed request is retried: the successful one is refused, and nothing is queued.
    response = client.post(reverse("reports:retry", args=["cciaa-bergamo", 2023, attempt.pk]))
    assert response.status_code == 400
    assert "Si può ripetere solo una generazione non riuscita." in response.content.decode()
    assert PdfRequest.objects.filter(retry_of=attempt).count() == 0


def test_queue_unreachable_is_a_failed_request_not_a_server_error(
    client, open_cycle, people, django_capture_on_commit_callbacks
):
    client.force_login(people.planning)
    with mock.patch.object(
        DatabaseBackend, "enqueue", side_effect=ConnectionError("coda irraggiungibile")
    ):
        pdf_request, _ = _ask(client, 2023, django_capture_on_commit_callbacks)
    assert pdf_request.task_id == "" and not DBTaskResult.objects.exists()
    status = pdf_request_status(PdfRequest.objects.get(pk=pdf_request.pk))
    assert status.status == PdfStatus.FAILED and status.message == QUEUE_DOWN_MESSAGE
    assert status.can_retry
    page = _page(client, pdf_request)
    assert QUEUE_DOWN_MESSAGE in page and "Riprova la generazione" in page
    assert "resta disponibile" not in page  # there is no earlier PDF of the year to offer


def test_task_pruned_without_outcome_is_told_as_lost(open_cycle, people):
    pdf_request = PdfRequest.objects.create(
        cycle=open_cycle, requested_by=people.planning, task_id=str(uuid.uuid4())
    )
    status = pdf_request_status(pdf_request)
    assert status.status == PdfStatus.FAILED and status.message == LOST_MESSAGE


def test_pages_are_internal_and_of_their_year(
    client, open_cycle, people, django_capture_on_commit_callbacks
):
    client.force_login(people.planning)
    pdf_request, _ = _ask(client, 2023, django_capture_on_commit_callbacks)
    client.logout()
    url = reverse("reports:job", args=["cciaa-bergamo", 2023, pdf_request.pk])
    assert client.get(url).status_code == 302  # to the login page
    outsider = User.objects.create_user("t-esterno", password="x")
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    assert (
        client.post(
            reverse("reports:retry", args=["cciaa-bergamo", 2023, pdf_request.pk])
        ).status_code
        == 403
    )
    client.force_login(people.planning)
    assert (
        client.get(reverse("reports:job", args=["cciaa-bergamo", 2024, pdf_request.pk])).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        services.pdf_request_create(user=outsider, cycle=open_cycle)


def test_report_page_shows_the_latest_request(
    client, open_cycle, people, django_capture_on_commit_callbacks, django_assert_num_queries
):
    client.force_login(people.planning)
    pdf_request, _ = _ask(client, 2023, django_capture_on_commit_callbacks)
    page = client.get(reverse("reports:report", args=["cciaa-bergamo", 2023])).content.decode()
    assert "Ultima richiesta:" in page and "In coda" in page
    assert reverse("reports:job", args=["cciaa-bergamo", 2023, pdf_request.pk]) in page
    # The status costs two queries whatever the history: the request and its task.
    fresh = Cycle.objects.get(pk=open_cycle.pk)
    with django_assert_num_queries(2):
        assert pdf_request_latest(fresh).request == pdf_request


def test_request_carried_from_the_old_queue_is_told_from_its_outcome(open_cycle, people):
    """Rows of the old PdfJob queue (migration 0003) have no task: their outcome speaks."""
    done = PdfRequest.objects.create(cycle=open_cycle, pages=73, finished_at=timezone.now())
    stuck = PdfRequest.objects.create(
        cycle=open_cycle, error="Richiesta della coda precedente...", finished_at=timezone.now()
    )
    assert pdf_request_status(done).status == PdfStatus.DONE
    assert pdf_request_status(done).message == "PDF generato: 73 pagine."
    assert pdf_request_status(stuck).status == PdfStatus.FAILED
    assert pdf_request_status(stuck).can_retry


def test_waiting_without_a_worker_says_so_and_a_stuck_task_does_not_block_the_year(
    client, open_cycle, people, django_capture_on_commit_callbacks
):
    client.force_login(people.planning)
    pdf_request, _ = _ask(client, 2023, django_capture_on_commit_callbacks)
    assert "potrebbe non essere avviato" not in _page(client, pdf_request)
    two_minutes_ago = timezone.now() - dt.timedelta(minutes=2)
    PdfRequest.objects.filter(pk=pdf_request.pk).update(requested_at=two_minutes_ago)
    page = _page(client, pdf_request)
    assert "In coda" in page and "potrebbe non essere avviato" in page

    # A worker took it and died in the middle: after STALE_AFTER it is failed, and retried.
    task = DBTaskResult.objects.get(id=pdf_request.task_id)
    task.claim("worker-interrotto")
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - STALE_AFTER - dt.timedelta(minutes=1)
    )
    status = pdf_request_status(PdfRequest.objects.get(pk=pdf_request.pk))
    assert status.status == PdfStatus.FAILED and status.message == STALE_MESSAGE
    again, _ = _ask(client, 2023, django_capture_on_commit_callbacks)
    assert again.pk != pdf_request.pk


def test_request_never_queued_is_failed_after_a_while(open_cycle, people):
    """The process stopped between the commit and the queue: no task, no outcome."""
    recent = PdfRequest.objects.create(cycle=open_cycle, requested_by=people.planning)
    assert pdf_request_status(recent).status == PdfStatus.QUEUED
    old = PdfRequest.objects.create(
        cycle=open_cycle, requested_at=timezone.now() - STALE_AFTER - dt.timedelta(seconds=1)
    )
    assert pdf_request_status(old).status == PdfStatus.FAILED
    assert pdf_request_status(old).can_retry
