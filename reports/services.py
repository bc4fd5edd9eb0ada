"""Writes of the reports app: narratives (planning office) and the generated PDF."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.permissions import can_edit_narratives, ensure, is_internal
from indicators.services import change_author
from relazione.models import Cycle
from relazione.versioning import version_bump

from .models import Narrative, PdfJob, RelazionePdf
from .selectors import is_draft, pdf_of

logger = logging.getLogger(__name__)

FAILURE_MESSAGE = (
    "La generazione del PDF non è riuscita: il documento precedente resta disponibile. "
    "Riprovare più tardi o contattare l'amministratore di sistema."
)


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
    *, user, narrative: Narrative, title: str, body: str, expected_version: int | None = None
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


def narrative_create(*, user, cycle: Cycle, key: str, title: str, body: str) -> Narrative:
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


def pdf_job_enqueue(*, user, cycle: Cycle) -> PdfJob:
    """Queues the generation (one active job per year: a second request reuses it)."""
    ensure(is_internal(user), "Solo il personale interno può generare la Relazione.")
    try:
        with transaction.atomic():
            job = PdfJob.objects.create(
                cycle=cycle, requested_by=user if getattr(user, "pk", None) else None
            )
    except IntegrityError:
        return PdfJob.objects.filter(
            cycle=cycle, state__in=[PdfJob.State.QUEUED, PdfJob.State.RUNNING]
        ).first()
    from .tasks import generate_relazione_pdf

    transaction.on_commit(lambda: generate_relazione_pdf.enqueue(job.id))
    return job


def pdf_job_claim() -> PdfJob | None:
    """Takes the oldest queued job (state guarded update: two workers never take the same)."""
    for job_id in (
        PdfJob.objects.filter(state=PdfJob.State.QUEUED)
        .order_by("created_at", "id")[:10]
        .values_list("id", flat=True)
    ):
        taken = PdfJob.objects.filter(id=job_id, state=PdfJob.State.QUEUED).update(
            state=PdfJob.State.RUNNING, started_at=timezone.now()
        )
        if taken:
            return PdfJob.objects.select_related("cycle__body").get(id=job_id)
    return None


def pdf_job_run(job_id: int) -> PdfJob:
    """Runs one job (claimed already, or still queued), recording success or failure."""
    PdfJob.objects.filter(id=job_id, state=PdfJob.State.QUEUED).update(
        state=PdfJob.State.RUNNING, started_at=timezone.now()
    )
    job = PdfJob.objects.select_related("cycle__body").get(id=job_id)
    if job.state != PdfJob.State.RUNNING:
        return job
    try:
        record = pdf_generate(job.cycle)
    except Exception:
        logger.exception("Relazione PDF generation failed (job %s)", job.id)
        job.state = PdfJob.State.FAILED
        job.message = FAILURE_MESSAGE
    else:
        job.state = PdfJob.State.DONE
        job.pages = record.pages
        job.message = f"PDF generato: {record.pages} pagine."
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "message", "pages", "finished_at"])
    return job
