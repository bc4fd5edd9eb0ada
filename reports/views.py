"""Pages of the Relazione document: narratives (planning office), generation and download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import can_edit_narratives, can_view_history, is_internal
from accounts.selectors import cycle_get, cycle_years
from narratives.models import Narrative

from . import selectors, services
from .forms import NarrativeForm
from .models import PdfRequest


def _internal_cycle(request, year):
    if not is_internal(request.user):
        raise PermissionDenied("Pagina riservata al personale interno.")
    return cycle_get(year=year, user=request.user)


def _context(request, cycle, **extra):
    return {"cycle": cycle, "years": cycle_years(user=request.user), **extra}


@login_required
def report(request, year):
    cycle = _internal_cycle(request, year)
    return render(
        request,
        "reports/report.html",
        _context(
            request,
            cycle,
            pdf=selectors.pdf_of(cycle),
            job=selectors.pdf_request_latest(cycle),
            sections=selectors.narrative_sections(cycle),
            can_edit=can_edit_narratives(request.user, cycle),
            draft=selectors.is_draft(cycle),
        ),
    )


@login_required
@require_POST
def generate(request, year):
    cycle = _internal_cycle(request, year)
    pdf_request = services.pdf_request_create(user=request.user, cycle=cycle)
    messages.info(request, "Generazione del PDF messa in coda.")
    return redirect("reports:job", year=cycle.year, pk=pdf_request.pk)


def _pdf_request(cycle, pk) -> PdfRequest:
    return get_object_or_404(
        PdfRequest.objects.select_related("requested_by", "retry_of"), pk=pk, cycle=cycle
    )


def _job_page(request, cycle, pdf_request, status=200):
    job = selectors.pdf_request_status(pdf_request)
    context = _context(request, cycle, job=job, pdf=selectors.pdf_of(cycle))
    return render(request, "reports/job.html", context, status=status)


@login_required
def job_status(request, year, pk):
    cycle = _internal_cycle(request, year)
    return _job_page(request, cycle, _pdf_request(cycle, pk))


@login_required
@require_POST
def retry(request, year, pk):
    """A new attempt of a failed generation; anything else is refused and changes nothing."""
    cycle = _internal_cycle(request, year)
    failed = _pdf_request(cycle, pk)
    try:
        attempt = services.pdf_request_retry(user=request.user, request=failed)
    except ValueError as exc:
        messages.error(request, str(exc))
        return _job_page(request, cycle, failed, status=400)
    messages.info(request, "Nuovo tentativo di generazione messo in coda.")
    return redirect("reports:job", year=cycle.year, pk=attempt.pk)


@login_required
def download(request, year):
    cycle = _internal_cycle(request, year)
    pdf = selectors.pdf_of(cycle)
    if pdf is None or not pdf.file:
        raise Http404("PDF non ancora generato.")
    return FileResponse(
        pdf.file.open("rb"),
        as_attachment=True,
        filename=f"relazione-performance-{cycle.year}{'-bozza' if pdf.is_draft else ''}.pdf",
        content_type="application/pdf",
    )


def _narrative(cycle, key):
    narrative = selectors.narrative_get(cycle, key)
    if narrative is None:
        raise Http404("Sezione inesistente.")
    return narrative


@login_required
def narrative_edit(request, year, key):
    """Edits a section; a section the year has not written yet (a new year has none) is
    offered with the previous year's text as the starting point and created on save."""
    cycle = _internal_cycle(request, year)
    if not can_edit_narratives(request.user, cycle):
        raise PermissionDenied("Non è consentito modificare i testi di questo anno.")
    if key not in Narrative.Key.values:
        raise Http404("Sezione inesistente.")
    narrative = selectors.narrative_get(cycle, key)
    previous = None
    if narrative is None:
        previous = selectors.narrative_previous(cycle, key)
        initial = {"title": Narrative.Key(key).label, "body": previous.body if previous else ""}
        form = NarrativeForm(request.POST if request.method == "POST" else None, initial=initial)
    else:
        form = NarrativeForm(request.POST if request.method == "POST" else None, instance=narrative)
    preview = conflict = None
    unknown = []
    if request.method == "POST" and narrative is not None and request.POST.get("nuova"):
        # The page was opened when the section did not exist: someone has written it since.
        # Theirs is shown beside the typed text; saving again replaces it knowingly.
        form.rebase(narrative.version)
        if form.is_valid():
            conflict = selectors.narrative_get(cycle, key)
            form.add_error(None, services.StaleNarrative(conflict))
    elif request.method == "POST" and form.is_valid():
        if "anteprima" in request.POST:
            preview = form.cleaned_data["body"]
            unknown = selectors.placeholders_unknown(cycle, preview)
        else:
            try:
                if narrative is None:
                    services.narrative_create(
                        user=request.user,
                        cycle=cycle,
                        key=key,
                        title=form.cleaned_data["title"],
                        body=form.cleaned_data["body"],
                    )
                else:
                    services.narrative_update(
                        user=request.user,
                        narrative=narrative,
                        title=form.cleaned_data["title"],
                        body=form.cleaned_data["body"],
                        expected_version=form.cleaned_data["version"],
                    )
            except services.StaleNarrative as exc:
                # The text typed stays in the textarea; the saved one is shown below it.
                form.add_error(None, exc)
                form.rebase(exc.current.version)
                conflict = exc.current
            else:
                messages.success(request, "Testo salvato.")
                return redirect("reports:report", year=cycle.year)
    # The form's instance carries the posted text: the history is read from the database.
    saved = selectors.narrative_get(cycle, key) if request.method == "POST" else narrative
    return render(
        request,
        "reports/narrative_edit.html",
        _context(
            request,
            cycle,
            form=form,
            narrative=saved,
            section_title=saved.title if saved else Narrative.Key(key).label,
            previous=previous,
            preview=preview,
            unknown=unknown,
            conflict=conflict,
            history=selectors.narrative_history(saved) if saved else [],
            results=selectors.section_results(cycle, key),
        ),
        status=409 if conflict else 400 if form.errors else 200,
    )


@login_required
def narrative_history(request, year, key):
    """Who changed a section and when (the last versions), for every internal person."""
    cycle = _internal_cycle(request, year)
    if not can_view_history(request.user):
        raise PermissionDenied("Lo storico dei testi è riservato al personale interno.")
    narrative = _narrative(cycle, key)
    return render(
        request,
        "reports/narrative_history.html",
        _context(
            request,
            cycle,
            narrative=narrative,
            history=selectors.narrative_history(narrative),
            can_edit=can_edit_narratives(request.user, cycle),
        ),
    )
