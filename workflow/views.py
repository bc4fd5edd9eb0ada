"""Pages of the workflow: the cycle (state, history, transitions), the OIV workspace (what to
review, remarks, checklist, validation), a remark's discussion, the target revisions of an
indicator, the unit manager's to-do. Thin: reads from selectors, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import (
    can_setup_body,
    can_view_internal_notes,
    ensure,
    is_data_entry_open,
    is_internal,
)
from accounts.selectors import body_list, year_cycle
from core import machine
from indicators.models import Indicator
from indicators.rollup import figure_for
from objectives.models import OperationalObjective, StrategicObjective

from . import permissions as perms
from . import selectors, services
from .forms import GapForm, NoteForm, RemarkForm, ReplyForm, RevisionForm, ValidationForm
from .models import ChecklistItem


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _written(form, write, *, by_field: bool = False) -> bool:
    """Call the service ``write``; its refusals become the form's errors (``by_field``: on the
    field they name, when the form has it). True if it wrote."""
    try:
        write()
    except ValidationError as exc:
        if by_field and hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
        else:
            for message in _errors(exc):
                form.add_error(None, message)
        return False
    return True


def _guardrails(request, cycle) -> dict:
    """What the next steps of the year still lack: the actuals (before closing), the mandatory
    parts of the Relazione (before submitting), the OIV's open remarks (before validating)."""
    entry_open = is_data_entry_open(cycle)
    before_oiv = perms.GAP_JUSTIFY_STATES
    return {
        "missing": selectors.missing_actuals(cycle) if entry_open else None,
        "gaps": selectors.submission_gaps(cycle) if cycle.state in before_oiv else [],
        "can_justify_gaps": perms.can_justify_gaps(request.user, cycle),
        "open_remarks": selectors.open_remarks_count(cycle),
    }


def _cycle_page(request, cycle, *, note_form=None, gap_form=None, status=200):
    edges = perms.allowed_edges(request.user, cycle)
    forms = {}
    for edge in edges:
        if edge.target == machine.VALIDATED:
            continue
        bound = note_form if note_form and note_form.data.get("target") == edge.target else None
        forms[edge.target] = bound or NoteForm(initial={"target": edge.target})
    return render(
        request,
        "workflow/cycle.html",
        {
            "edges": [(edge, forms.get(edge.target)) for edge in edges],
            "transitions": selectors.transitions_of(cycle),
            "validations": selectors.validations_of(cycle),
            "validation": selectors.validation_of(cycle),
            "can_workspace": perms.can_view_workspace(request.user, cycle),
            "can_open_next": (
                perms.can_open_next(request.user, cycle) and not selectors.next_cycle_exists(cycle)
            ),
            "pending_proposals": selectors.pending_proposals_count(cycle),
            "can_confirm": perms.can_confirm_targets(request.user, cycle),
            "states": [(s, machine.label(s)) for s in machine.STATES],
            "gap_form": gap_form,
            **_guardrails(request, cycle),
        },
        status=status,
    )


@login_required
def cycle_page(request, year):
    cycle = year_cycle(request, year)
    ensure(perms.can_view_cycle_page(request.user, cycle))
    return _cycle_page(request, cycle)


@login_required
@require_POST
def cycle_transition(request, year):
    cycle = year_cycle(request, year)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _cycle_page(request, cycle, note_form=form, status=400)
    target = form.cleaned_data["target"]
    if target not in machine.STATES:
        raise Http404
    try:
        services.cycle_transition(
            user=request.user,
            cycle=cycle,
            target=target,
            note=form.cleaned_data["note"],
            confirm_missing=form.cleaned_data["confirm_missing"],
        )
    except ValidationError as exc:
        for message in _errors(exc):
            form.add_error(None, message)
        messages.error(request, " ".join(_errors(exc)))
        return _cycle_page(request, cycle, note_form=form, status=400)
    messages.success(request, f"Ciclo {cycle.year}: {machine.label(cycle.state)}.")
    return redirect("workflow:cycle", ente=request.current_body_slug, year=cycle.year)


@login_required
@require_POST
def gap_justify(request, year):
    cycle = year_cycle(request, year)
    form = GapForm(request.POST)
    data = form.cleaned_data if form.is_valid() else None
    if data and _written(
        form, lambda: services.gap_justify(user=request.user, cycle=cycle, **data)
    ):
        messages.success(request, "Giustificazione registrata.")
        return redirect(
            f"{reverse('workflow:cycle', args=[request.current_body_slug, cycle.year])}#mancanze"
        )
    return _cycle_page(request, cycle, gap_form=form, status=400)


@login_required
@require_POST
def cycle_open_next(request, year):
    cycle = year_cycle(request, year)
    try:
        new = services.cycle_open_next(user=request.user, source=cycle)
    except ValidationError as exc:
        messages.error(request, " ".join(_errors(exc)))
        return redirect("workflow:cycle", ente=request.current_body_slug, year=cycle.year)
    messages.success(
        request,
        f"Piano {new.year} aperto dal {cycle.year}: confermare i risultati attesi proposti.",
    )
    return redirect("workflow:cycle", ente=request.current_body_slug, year=new.year)


@login_required
@require_POST
def targets_confirm(request, year):
    cycle = year_cycle(request, year)
    count = services.targets_confirm_all(user=request.user, cycle=cycle)
    messages.success(request, f"Confermati {count} risultati attesi proposti.")
    return redirect("workflow:cycle", ente=request.current_body_slug, year=cycle.year)


# --- OIV workspace ---------------------------------------------------------------------------


WORKSPACE_PAGE_SIZE = 100


def _workspace(request, cycle, *, validation_form=None, remark_form=None, status=200):
    filters = selectors.ReviewFilters.from_query(request.GET)
    # A page of the list: a regional plan has thousands of indicators to review.
    page, items = selectors.review_page(
        cycle, filters, request.GET.get("pagina"), WORKSPACE_PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    checklist = selectors.checklist_of(cycle)
    return render(
        request,
        "workflow/workspace.html",
        {
            "items": items,
            "items_total": page.paginator.count,
            "page_obj": page,
            "page_query": query.urlencode(),
            "filters": filters,
            "units": selectors.unit_choices(cycle, filters),
            "checklist": checklist,
            "checklist_complete": all(line.checked for line in checklist),
            "remarks": selectors.remarks_of(cycle),
            "findings": selectors.findings_count(cycle),
            "can_remark": perms.can_remark(request.user, cycle),
            "can_answer": perms.can_answer_checklist(request.user, cycle),
            "can_validate": perms.can_transition(request.user, cycle, machine.VALIDATED),
            "validation_form": validation_form or ValidationForm(),
            "remark_form": remark_form or RemarkForm(),
            "validation": selectors.validation_of(cycle),
            "state_label": machine.label(cycle.state),
        },
        status=status,
    )


@login_required
def workspace(request, year):
    cycle = year_cycle(request, year)
    ensure(
        perms.can_view_workspace(request.user, cycle),
        "Lo spazio di lavoro dell'OIV è riservato all'OIV e all'ufficio pianificazione.",
    )
    return _workspace(request, cycle)


@login_required
@require_POST
def checklist(request, year):
    cycle = year_cycle(request, year)
    ensure(perms.can_answer_checklist(request.user, cycle), "Operazione non consentita.")
    items = ChecklistItem.objects.filter(body_id=cycle.body_id, active=True)
    try:
        for item in items:
            services.checklist_answer(
                user=request.user,
                cycle=cycle,
                item=item,
                checked=request.POST.get(f"item-{item.pk}") == "1",
                note=request.POST.get(f"note-{item.pk}", ""),
            )
    except ValidationError as exc:
        messages.error(request, " ".join(_errors(exc)))
    else:
        messages.success(request, "Lista di verifica salvata.")
    return redirect("workflow:workspace", ente=request.current_body_slug, year=cycle.year)


@login_required
@require_POST
def cycle_validate(request, year):
    cycle = year_cycle(request, year)
    form = ValidationForm(request.POST)
    data = form.cleaned_data if form.is_valid() else None
    if data and _written(
        form, lambda: services.cycle_validate(user=request.user, cycle=cycle, **data)
    ):
        messages.success(request, f"Relazione {cycle.year} validata.")
        return redirect("workflow:cycle", ente=request.current_body_slug, year=cycle.year)
    return _workspace(request, cycle, validation_form=form, status=400)


def _subject(cycle, data):
    if data.get("indicator"):
        return {"indicator": _get(Indicator, cycle, data["indicator"])}
    if data.get("operational_objective"):
        return {
            "operational_objective": _get(
                OperationalObjective, cycle, data["operational_objective"]
            )
        }
    if data.get("strategic_objective"):
        return {"strategic_objective": _get(StrategicObjective, cycle, data["strategic_objective"])}
    return {"section": data.get("section") or ""}


def _get(model, cycle, pk):
    obj = model.objects.filter(cycle=cycle, pk=pk).first()
    if obj is None:
        raise Http404
    return obj


@login_required
def remark_new(request, year):
    cycle = year_cycle(request, year)
    ensure(perms.can_remark(request.user, cycle), "Le osservazioni si lasciano dall'OIV.")
    if request.method == "POST":
        form = RemarkForm(request.POST)
        if form.is_valid():
            try:
                remark = services.remark_create(
                    user=request.user,
                    cycle=cycle,
                    text=form.cleaned_data["text"],
                    **_subject(cycle, form.cleaned_data),
                )
            except ValidationError as exc:
                for message in _errors(exc):
                    form.add_error(None, message)
            else:
                messages.success(request, "Osservazione registrata.")
                return redirect(
                    "workflow:remark", ente=request.current_body_slug, year=cycle.year, pk=remark.pk
                )
        status = 400
    else:
        form = RemarkForm(initial=request.GET.dict())
        status = 200
    subject = None
    try:
        subject = _subject(cycle, form.data if form.is_bound else form.initial)
    except (Http404, ValueError):
        subject = None
    return render(
        request,
        "workflow/remark_new.html",
        {"form": form, "subject": subject},
        status=status,
    )


@login_required
def remark_detail(request, year, pk):
    cycle = year_cycle(request, year)
    remark = selectors.remark_get(cycle, pk)
    ensure(perms.can_view_remark(request.user, remark), "Osservazione non visibile.")
    form = ReplyForm()
    status = 200
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                services.remark_reply(
                    user=request.user, remark=remark, text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                for message in _errors(exc):
                    form.add_error(None, message)
            else:
                messages.success(request, "Risposta registrata.")
                return redirect(
                    "workflow:remark", ente=request.current_body_slug, year=cycle.year, pk=remark.pk
                )
        status = 400
    return render(
        request,
        "workflow/remark.html",
        {
            "remark": remark,
            "form": form,
            "can_reply": perms.can_reply(request.user, remark),
            "can_close": perms.can_close_remark(request.user, remark),
        },
        status=status,
    )


@login_required
@require_POST
def remark_close(request, year, pk):
    cycle = year_cycle(request, year)
    remark = selectors.remark_get(cycle, pk)
    services.remark_close(user=request.user, remark=remark)
    messages.success(request, "Osservazione chiusa.")
    return redirect(
        "workflow:remark", ente=request.current_body_slug, year=cycle.year, pk=remark.pk
    )


# --- Target revisions ------------------------------------------------------------------------


def revisions(request, year, pk):
    """The rimodulazioni of an indicator (public for a published year, internal reasons only
    to internal users) and, for the planning office, the form to add one."""
    cycle = year_cycle(request, year)
    indicator = selectors.revision_indicator_get(cycle, pk)
    can_revise = perms.can_revise_target(request.user, indicator)
    form = RevisionForm() if can_revise else None
    status = 200
    if request.method == "POST":
        ensure(can_revise, "Solo l'ufficio pianificazione può rimodulare i risultati attesi.")
        form = RevisionForm(request.POST)
        data = form.cleaned_data if form.is_valid() else None
        if data and _written(
            form,
            lambda: services.target_revise(user=request.user, indicator=indicator, **data),
            by_field=True,
        ):
            messages.success(request, "Rimodulazione registrata.")
            return redirect(
                "workflow:revisions",
                ente=request.current_body_slug,
                year=cycle.year,
                pk=indicator.pk,
            )
        status = 400
    revs = selectors.revisions_by_indicator(cycle).get(indicator.id, [])
    return render(
        request,
        "workflow/revisions.html",
        {
            "indicator": indicator,
            "figure": figure_for(indicator, cycle),
            "revisions": revs,
            "original": revs[0].old_target if revs else indicator.target,
            "form": form,
            "show_internal": can_view_internal_notes(request.user, cycle),
        },
        status=status,
    )


# --- "Da fare" ----------------------------------------------------------------------------------


@login_required
def todo(request, year):
    """Each role's next actions on the year (where people land after login)."""
    cycle = year_cycle(request, year)
    ensure(is_internal(request.user, cycle), "Pagina riservata al personale dell'ente.")
    return render(
        request,
        "workflow/todo.html",
        {
            "steps": selectors.next_steps(cycle, request.user),
            "can_setup": can_setup_body(request.user),  # another body, from the demo's admin
        },
    )


@login_required
def home(request):
    """Where each role lands after login: its "Da fare" page on the year that needs it, in
    the body they work for (someone working for several chooses it on the home page)."""
    bodies = body_list(user=request.user)
    own = [body for body in bodies if is_internal(request.user, body)]
    cycle = selectors.todo_cycle(request.user, own[0]) if len(own) == 1 else None
    if cycle is None:
        return redirect("home")
    return redirect("workflow:todo", ente=cycle.body.slug, year=cycle.year)
