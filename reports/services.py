"""Writes of the reports app: narratives (planning office) and the generated PDF."""

from __future__ import annotations

import logging
from functools import partial

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.permissions import can_edit_narratives, ensure, is_internal
from core.models import Cycle
from lib.authorship import change_author
from lib.versioning import version_bump
from narratives.models import Narrative

from .models import PdfRequest, RelazionePdf
from .selectors import (
    FAILURE_MESSAGE,
    QUEUE_DOWN_MESSAGE,
    is_draft,
    pdf_of,
    pdf_request_latest,
    pdf_request_status,
)

logger = logging.getLogger(__name__)


class StaleNarrative(ValidationError):
    """Someone else saved the section after the page was loaded: nothing was saved.
    ``current`` is the section as now saved, for the page to show beside the refused text."""

    def __init__(self, current: Narrative):
        self.current = current
        super().__init__(
            f"La sezione «{current.title}» è stata modificata "
            f"{change_author(current.updated_by, current.updated_at)} dopo l'apertura della "
            "pagina. Le modifiche non sono state salvate: il testo ora registrato è riportato "
            "sotto il modulo, che contiene ancora il testo inserito. Per sostituire quello "
            "registrato, salvare di nuovo.",
            code="stale",
        )


def _history_baseline(narrative: Narrative) -> None:
    """Sections loaded in bulk (demo, generator, rows older than the history) have no history
    record yet: record their text as it is before the first change, so the change keeps the
    old text too."""
    if Narrative.history.filter(id=narrative.pk).exists():
        return
    old = Narrative.objects.get(pk=narrative.pk)
    Narrative.history.bulk_history_create(
        [old], default_user=old.updated_by, default_date=old.updated_at
    )


def narrative_update(
    *, user: User, narrative: Narrative, title: str, body: str, expected_version: int | None = None
) -> Narrative:
    """Saves a narrative section. Only the planning office, while the plan may be edited.

    Optimistic-locked on ``version``: ``expected_version`` is the version the page was loaded
    with (None: the version of ``narrative`` as loaded); if someone saved in between,
    :class:`StaleNarrative` and nothing is written. Each save is kept in the history."""
    ensure(
        can_edit_narratives(user, narrative.cycle),
        "Non è consentito modificare i testi di questo anno.",
    )
    title = (title or "").strip()
    if not title:
        raise ValueError("Il titolo è obbligatorio.")
    with transaction.atomic():
        _history_baseline(narrative)
        version_bump(
            narrative,
            expected_version,
            stale=lambda: StaleNarrative(
                Narrative.objects.select_related("updated_by").get(pk=narrative.pk)
            ),
        )
        narrative.title = title[:200]
        narrative.body = body or ""
        narrative.updated_by = user if getattr(user, "pk", None) else None
        narrative._history_user = narrative.updated_by
        narrative.full_clean()
        narrative.save()
    return narrative


def narrative_create(*, user: User, cycle: Cycle, key: str, title: str, body: str) -> Narrative:
    """Writes a section the year does not have yet (a new year starts with none). If someone
    created it meanwhile, :class:`StaleNarrative` with theirs, and nothing is written."""
    ensure(can_edit_narratives(user, cycle), "Non è consentito modificare i testi di questo anno.")
    if key not in Narrative.Key.values:
        raise ValueError(f"Sezione inesistente: {key}")
    title = (title or "").strip()
    if not title:
        raise ValueError("Il titolo è obbligatorio.")
    author = user if getattr(user, "pk", None) else None
    narrative = Narrative(
        cycle=cycle,
        key=key,
        title=title[:200],
        body=body or "",
        order=Narrative.Key.values.index(key),
        updated_by=author,
    )
    narrative._history_user = author
    narrative.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            narrative.save()
    except IntegrityError:
        raise StaleNarrative(
            Narrative.objects.select_related("updated_by").get(cycle=cycle, key=key)
        ) from None
    return narrative


def pdf_generate(cycle: Cycle) -> RelazionePdf:
    """Renders the year's PDF and stores it with its SHA-256. The PDF of a validated year is
    generated once and then kept as is. If rendering fails the previous file stays in place:
    the new file is written and swapped in only after a successful render."""
    from .pdf import render_pdf

    existing = pdf_of(cycle)
    if existing is not None and not existing.is_draft and not is_draft(cycle):
        return existing
    rendered = render_pdf(cycle)
    name = f"relazione-performance-{cycle.year}{'-bozza' if rendered.draft else ''}.pdf"
    with transaction.atomic():
        record = existing or RelazionePdf(cycle=cycle)
        old_name = record.file.name if existing and record.file else None
        record.file.save(name, ContentFile(rendered.content), save=False)
        record.sha256 = rendered.sha256
        record.pages = rendered.pages
        record.size = len(rendered.content)
        record.is_draft = rendered.draft
        record.generated_at = timezone.now()
        record.save()
    if old_name and old_name != record.file.name:
        record.file.storage.delete(old_name)
    return record


def pdf_request_create(
    *, user: User, cycle: Cycle, retry_of: PdfRequest | None = None
) -> PdfRequest:
    """Asks the queue for the year's PDF. While a request of the year is queued or running, a
    second one returns it instead of rendering twice. The task is queued after the commit, so
    a worker never looks for a request it cannot see yet."""
    ensure(is_internal(user, cycle), "Solo il personale interno può generare la Relazione.")
    with transaction.atomic():
        # Two clicks at once: the second waits here and then finds the first one active.
        list(Cycle.objects.select_for_update().filter(pk=cycle.pk).values_list("pk"))
        latest = pdf_request_latest(cycle)
        if latest is not None and latest.is_active:
            return latest.request
        request = PdfRequest.objects.create(
            cycle=cycle,
            requested_by=user if getattr(user, "pk", None) else None,
            retry_of=retry_of,
        )
        transaction.on_commit(partial(_pdf_request_enqueue, request.pk))
    return request


def pdf_request_retry(*, user: User, request: PdfRequest) -> PdfRequest:
    """A new attempt of a failed request (the previous PDF stays until one succeeds)."""
    if not pdf_request_status(request).can_retry:
        raise ValueError("Si può ripetere solo una generazione non riuscita.")
    return pdf_request_create(user=user, cycle=request.cycle, retry_of=request)


def _pdf_request_enqueue(request_id: int) -> None:
    from .tasks import relazione_pdf_render

    try:
        result = relazione_pdf_render.enqueue(request_id)
    except Exception:
        # The queue cannot be reached (e.g. Redis down): the request says so and can be
        # retried, instead of a server error after the request was already saved.
        logger.exception("Relazione PDF request %s could not be queued", request_id)
        PdfRequest.objects.filter(pk=request_id).update(
            error=QUEUE_DOWN_MESSAGE, finished_at=timezone.now()
        )
        return
    PdfRequest.objects.filter(pk=request_id).update(task_id=str(result.id))


def pdf_request_run(request_id: int) -> RelazionePdf:
    """The task's body: renders the PDF and writes the outcome on the request. On failure the
    previous PDF stays (see :func:`pdf_generate`) and the exception goes up to the queue."""
    request = PdfRequest.objects.select_related("cycle__body").get(pk=request_id)
    try:
        record = pdf_generate(request.cycle)
    except Exception:
        PdfRequest.objects.filter(pk=request.pk).update(
            error=FAILURE_MESSAGE, pages=None, finished_at=timezone.now()
        )
        raise
    PdfRequest.objects.filter(pk=request.pk).update(
        error="", pages=record.pages, finished_at=timezone.now()
    )
    return record
