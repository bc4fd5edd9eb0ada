"""Pages of the Relazione document: narratives (planning office), generation and download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import can_edit_narratives, can_view_history, ensure, is_internal
from accounts.selectors import request_body, year_cycle
from consistency.selectors import corrections_of_area
from finance.charts import budget_charts
from finance.selectors import budget_view
from narratives.models import Narrative
from staff.charts import people_charts
from staff.selectors import people_view

from . import selectors, services
from .forms import NarrativeForm
from .models import PdfRequest


def _internal_cycle(request, year):
    ensure(
        is_internal(request.user, request_body(request)), "Pagina riservata al personale interno."
    )
    return year_cycle(request, year)


@login_required
def report(request, year):
    cycle = _internal_cycle(request, year)
    return render(
        request,
        "reports/report.html",
        {
            "pdf": selectors.pdf_of(cycle),
            "job": selectors.pdf_request_latest(cycle),
            "sections": selectors.narrative_sections(cycle),
            "can_edit": can_edit_narratives(request.user, cycle),
            "draft": selectors.is_draft(cycle),
        },
    )


@login_required
@require_POST
def generate(request, year):
    cycle = _internal_cycle(request, year)
    pdf_request = services.pdf_request_create(user=request.user, cycle=cycle)
    messages.info(request, "Generazione del PDF messa in coda.")
    return redirect(
        "reports:job", ente=request.current_body_slug, year=cycle.year, pk=pdf_request.pk
    )


def _pdf_request(cycle, pk) -> PdfRequest:
    return get_object_or_404(
        PdfRequest.objects.select_related("requested_by", "retry_of"), pk=pk, cycle=cycle
    )


def _job_page(request, cycle, pdf_request, status=200):
    job = selectors.pdf_request_status(pdf_request)
    context = {"job": job, "pdf": selectors.pdf_of(cycle)}
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
    return redirect("reports:job", ente=request.current_body_slug, year=cycle.year, pk=attempt.pk)


@login_required
def download(request, year):
    cycle = _internal_cycle(request, year)
    pdf = selectors.pdf_of(cycle)
    if pdf is None or not pdf.file:
        raise Http404("PDF non ancora generato.")
    return FileResponse(
        pdf.file.open("rb"),
        as_attachment=True,
        filename=(
            f"{cycle.body.slug}-relazione-performance-{cycle.year}"
            f"{'-bozza' if pdf.is_draft else ''}.pdf"
        ),
        content_type="application/pdf",
    )


def _narrative(cycle, key):
    narrative = selectors.narrative_get(cycle, key)
    if narrative is None:
        raise Http404("Sezione inesistente.")
    return narrative


def _narrative_form(request, cycle, key, narrative):
    """The form of a section, and the previous year's section it starts from when the year
    has not written it yet."""
    data = request.POST if request.method == "POST" else None
    if narrative is not None:
        return NarrativeForm(data, instance=narrative), None
    previous = selectors.narrative_previous(cycle, key)
    initial = {"title": Narrative.Key(key).label, "body": previous.body if previous else ""}
    return NarrativeForm(data, initial=initial), previous


def _narrative_save(request, cycle, key, narrative, form):
    """Create or update the section from a valid form. A save refused as stale returns the
    newer section (None once saved)."""
    data = form.cleaned_data
    try:
        if narrative is None:
            services.narrative_create(
                user=request.user, cycle=cycle, key=key, title=data["title"], body=data["body"]
            )
        else:
            services.narrative_update(
                user=request.user,
                narrative=narrative,
                title=data["title"],
                body=data["body"],
                expected_version=data["version"],
            )
    except services.StaleNarrative as exc:
        # The text typed stays in the textarea; the saved one is shown below it.
        form.add_error(None, exc)
        form.rebase(exc.current.version)
        return exc.current
    return None


def _narrative_page(request, cycle, key, form, narrative, page):
    # The form's instance carries the posted text: the history is read from the database.
    saved = selectors.narrative_get(cycle, key) if request.method == "POST" else narrative
    return render(
        request,
        "reports/narrative_edit.html",
        {
            "form": form,
            "narrative": saved,
            "section_title": saved.title if saved else Narrative.Key(key).label,
            "history": selectors.narrative_history(saved) if saved else [],
            "results": selectors.section_results(cycle, key),
            **page,
        },
        status=409 if page["conflict"] else 400 if form.errors else 200,
    )


@login_required
def narrative_edit(request, year, key):
    """Edits a section; a section the year has not written yet (a new year has none) is
    offered with the previous year's text as the starting point and created on save."""
    cycle = _internal_cycle(request, year)
    ensure(
        can_edit_narratives(request.user, cycle),
        "Non è consentito modificare i testi di questo anno.",
    )
    if key not in Narrative.Key.values:
        raise Http404("Sezione inesistente.")
    narrative = selectors.narrative_get(cycle, key)
    form, previous = _narrative_form(request, cycle, key, narrative)
    page = {"previous": previous, "preview": None, "unknown": [], "conflict": None}
    if request.method == "POST" and narrative is not None and request.POST.get("nuova"):
        # The page was opened when the section did not exist: someone has written it since.
        # Theirs is shown beside the typed text; saving again replaces it knowingly.
        form.rebase(narrative.version)
        if form.is_valid():
            page["conflict"] = selectors.narrative_get(cycle, key)
            form.add_error(None, services.StaleNarrative(page["conflict"]))
    elif request.method == "POST" and form.is_valid():
        if "anteprima" in request.POST:
            page["preview"] = form.cleaned_data["body"]
            page["unknown"] = selectors.placeholders_unknown(cycle, page["preview"])
        else:
            page["conflict"] = _narrative_save(request, cycle, key, narrative, form)
            if page["conflict"] is None:
                messages.success(request, "Testo salvato.")
                return redirect("reports:report", ente=request.current_body_slug, year=cycle.year)
    return _narrative_page(request, cycle, key, form, narrative, page)


@login_required
def narrative_history(request, year, key):
    """Who changed a section and when (the last versions), for every internal person."""
    cycle = _internal_cycle(request, year)
    ensure(
        can_view_history(request.user, cycle),
        "Lo storico dei testi è riservato al personale interno.",
    )
    narrative = _narrative(cycle, key)
    return render(
        request,
        "reports/narrative_history.html",
        {
            "narrative": narrative,
            "history": selectors.narrative_history(narrative),
            "can_edit": can_edit_narratives(request.user, cycle),
        },
    )


def methodology(request, year):
    cycle = year_cycle(request, year)
    page = selectors.methodology_page(cycle)
    return render(
        request,
        "reports/methodology.html",
        {"note": page.note, "corrections": page.corrections},
    )


# The resource pages of the year: the finance and staff tables as the Relazione prints them,
# with the corrections of their declared totals (consistency), so here, above both.
def budget(request, year):
    cycle = year_cycle(request, year)
    view = budget_view(cycle)
    return render(
        request,
        "finance/budget.html",
        {
            "view": view,
            "corrections": corrections_of_area(cycle=cycle, area="finance"),
            **budget_charts(view),
        },
    )


def people(request, year):
    cycle = year_cycle(request, year)
    view = people_view(cycle)
    return render(
        request,
        "staff/people.html",
        {
            "view": view,
            "corrections": corrections_of_area(cycle=cycle, area="staff"),
            **people_charts(cycle.year, view),
        },
    )
