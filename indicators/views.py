"""Data entry views: thin; every decision comes from accounts.permissions, every write from
indicators.services, every figure from indicators.domain."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions as perms
from accounts.selectors import request_body, year_cycle
from core.selectors import measurement_rules
from lib.italian import count
from objectives.models import OperationalObjective
from objectives.selectors import scorecard_get

from . import plan_workbook, selectors, services, workbook
from .entry import RowInput
from .forms import (
    ActualForm,
    IndicatorForm,
    OperationalObjectiveForm,
    PlanImportForm,
    WorkbookUploadForm,
    actual_widget,
    posted_rows,
)
from .models import Indicator
from .plan_import import plan_import_apply
from .rollup import figure_for

SESSION_KEY = "relazione_pending_imports"


def _internal_cycle(request, year):
    if not perms.is_internal(request.user, request_body(request)):
        raise PermissionDenied("Area riservata al personale dell'ente.")
    return year_cycle(request, year)


@login_required
@require_GET
def index(request, year):
    cycle = _internal_cycle(request, year)
    cards = selectors.scorecards_editable(request.user, cycle)
    return render(
        request,
        "indicators/index.html",
        {
            "scorecards": cards,
            "entry_open": perms.can_enter_data(request.user, cycle),
            "can_edit_plan": perms.can_edit_plan(request.user, cycle),
            "can_import_plan": perms.can_import_plan(request.user, cycle),
            "objectives": (
                selectors.operational_objectives(cycle)
                if perms.can_edit_plan(request.user, cycle)
                else []
            ),
        },
    )


# --- Cruscotto in edit mode ----------------------------------------------------------------


def _entry_save(request, cycle, rows) -> dict[int, list[str]] | None:
    """Save the posted rows all together; None once saved, else the errors by row (nothing
    saved)."""
    try:
        result = services.actuals_import_apply(user=request.user, cycle=cycle, rows=rows)
    except services.BatchRejected as exc:
        errors_by_row: dict[int, list[str]] = {}
        for error in exc.plan.errors:
            errors_by_row.setdefault(error.row, []).append(error.message)
        messages.error(
            request, "Nessuna modifica salvata: correggere le righe segnalate e riprovare."
        )
        return errors_by_row
    messages.success(
        request,
        f"{'Salvato' if result.count == 1 else 'Salvati'} "
        f"{count(result.count, 'indicatore', 'indicatori')}.",
    )
    return None


def _entry_lines(user, cycle, indicators, *, editable, posted, errors_by_row) -> list[dict]:
    """A line of the cruscotto per indicator: the input of its actual where the person may edit
    it, filled with what was posted when a save was refused."""
    lines, scale = [], measurement_rules(cycle).method.scale
    for position, ind in enumerate(indicators, start=1):
        item = posted.get(ind.id)
        can_edit = editable and perms.can_edit_actual(user, ind)
        widget = actual_widget(ind.kind, attrs={"id": f"actual-{ind.id}"}, scale=scale)
        actual = item.actual if item else ind.actual
        lines.append(
            {
                "position": position,
                "indicator": ind,
                "figure": figure_for(ind, cycle),
                "editable": can_edit,
                "actual_input": (
                    widget.render(
                        f"actual-{ind.id}", actual, attrs={"aria-describedby": f"hint-{ind.id}"}
                    )
                    if can_edit
                    else ""
                ),
                "explanation": item.explanation if item else ind.explanation,
                "version": item.version if item else ind.version,
                "errors": errors_by_row.get(position, []),
            }
        )
    return lines


@login_required
@require_http_methods(["GET", "POST"])
def scorecard_entry(request, year, slug):
    cycle = _internal_cycle(request, year)
    scorecard = scorecard_get(cycle, slug)
    perms.ensure(
        perms.can_download_workbook(request.user, scorecard),
        "Questo cruscotto non è tra quelli di propria competenza.",
    )
    editable = perms.can_edit_scorecard(request.user, scorecard)
    indicators = selectors.scorecard_indicators(scorecard)
    errors_by_row: dict[int, list[str]] | None = {}
    posted: dict[int, RowInput] = {}
    if request.method == "POST":
        perms.ensure(editable, "Il cruscotto non è modificabile (anno chiuso o non di competenza).")
        rows = posted_rows(request.POST, indicators)
        posted = {row.indicator_id: row for row in rows}
        errors_by_row = _entry_save(request, cycle, rows)
        if errors_by_row is None:
            return redirect(
                "indicators:scorecard", ente=request.current_body_slug, year=year, slug=slug
            )
    lines = _entry_lines(
        request.user,
        cycle,
        indicators,
        editable=editable,
        posted=posted,
        errors_by_row=errors_by_row,
    )
    return render(
        request,
        "indicators/scorecard.html",
        {
            "scorecard": scorecard,
            "lines": lines,
            "editable": editable,
            "upload_form": WorkbookUploadForm(),
        },
        status=400 if errors_by_row else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def actual_edit(request, year, pk):
    cycle = _internal_cycle(request, year)
    indicator = selectors.indicator_for_entry(cycle, pk)
    perms.ensure(
        perms.can_edit_actual(request.user, indicator),
        "Non si ha il permesso di modificare il valore di questo indicatore.",
    )
    form = ActualForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update_actual(
                user=request.user,
                indicator=indicator,
                actual=form.cleaned_data["actual"],
                explanation=form.cleaned_data["explanation"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:  # StaleIndicator included: the newer value is named
            form.add_error(None, exc)
        else:
            messages.success(request, "Valore salvato.")
            return redirect(
                "dashboards:indicator", ente=request.current_body_slug, year=year, pk=pk
            )
    return render(
        request,
        "indicators/actual_form.html",
        {"indicator": indicator, "form": form},
        status=400 if form.errors else 200,
    )


# --- Plan: indicators and operational objectives --------------------------------------------


def _plan_cycle(request, year):
    cycle = _internal_cycle(request, year)
    if not perms.can_edit_plan(request.user, cycle):
        raise PermissionDenied(
            "Solo l'ufficio pianificazione modifica il piano, negli anni aperti."
        )
    return cycle


@login_required
@require_http_methods(["GET", "POST"])
def indicator_form(request, year, pk=None):
    cycle = _plan_cycle(request, year)
    instance = get_object_or_404(Indicator, cycle=cycle, pk=pk) if pk else None
    form = IndicatorForm(request.POST or None, instance=instance, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        fields = {n: form.cleaned_data[n] for n in IndicatorForm.Meta.fields}
        try:
            if instance is None:
                saved = services.indicator_create(user=request.user, cycle=cycle, **fields)
            else:
                fresh = Indicator.objects.select_related("cycle__body").get(pk=instance.pk)
                saved = services.indicator_update(
                    user=request.user,
                    indicator=fresh,
                    expected_version=form.cleaned_data["version"],
                    **fields,
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Indicatore salvato.")
            return redirect(
                "dashboards:indicator", ente=request.current_body_slug, year=year, pk=saved.pk
            )
    return render(
        request,
        "indicators/indicator_form.html",
        {"form": form, "instance": instance},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def operational_form(request, year, pk=None):
    cycle = _plan_cycle(request, year)
    instance = get_object_or_404(OperationalObjective, cycle=cycle, pk=pk) if pk else None
    form = OperationalObjectiveForm(request.POST or None, instance=instance, cycle=cycle)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("strategic_objective", "name", "order", "weight")}
        try:
            if instance is None:
                services.operational_objective_create(
                    user=request.user, cycle=cycle, units=data["units"], **fields
                )
            else:
                fresh = OperationalObjective.objects.select_related("cycle").get(pk=instance.pk)
                services.operational_objective_update(
                    user=request.user,
                    objective=fresh,
                    units=data["units"],
                    expected_version=data["version"],
                    **fields,
                )
        except services.StaleObjective as exc:
            # What the person typed stays in the form; the saved data is shown beside it.
            form.add_error(None, exc)
            form.rebase(exc.current.version)
            conflict = exc.current
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Obiettivo operativo salvato.")
            return redirect("indicators:index", ente=request.current_body_slug, year=year)
    return render(
        request,
        "indicators/operational_form.html",
        {"form": form, "instance": instance, "conflict": conflict},
        status=409 if conflict else 400 if form.errors else 200,
    )


# --- Excel round-trip ------------------------------------------------------------------------


@login_required
@require_GET
def workbook_download(request, year, slug):
    cycle = _internal_cycle(request, year)
    scorecard = scorecard_get(cycle, slug)
    if not perms.can_download_workbook(request.user, scorecard):
        raise PermissionDenied("Questo cruscotto non è tra quelli di propria competenza.")
    lines = [
        workbook.SheetLine(
            indicator_id=ind.id,
            version=ind.version,
            operational=ind.operational_objective.name if ind.operational_objective else "",
            name=ind.name,
            kind=ind.kind,
            target=ind.target,
            actual=ind.actual,
            explanation=ind.explanation,
        )
        for ind in selectors.scorecard_indicators(scorecard)
    ]
    data = workbook.actuals_workbook(
        f"{scorecard.title} · {cycle}",
        lines,
        editable=perms.can_edit_scorecard(request.user, scorecard),
    )
    return workbook.xlsx_response(
        data, f"{cycle.body.slug}-valori-{cycle.year}-{scorecard.slug}.xlsx"
    )


def _pending(request) -> dict:
    return request.session.get(SESSION_KEY, {})


@login_required
@require_POST
def workbook_upload(request, year, slug):
    cycle = _internal_cycle(request, year)
    scorecard = scorecard_get(cycle, slug)
    if not perms.can_edit_scorecard(request.user, scorecard):
        raise PermissionDenied("Il cruscotto non è modificabile (anno chiuso o non di competenza).")
    form = WorkbookUploadForm(request.POST, request.FILES)
    plan = None
    file_errors: list[str] = []
    token = ""
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:  # lib.xlsx refuses an oversized file, with the limit in its message
            parsed = workbook.workbook_parse(upload)
        except workbook.WorkbookError as exc:
            file_errors.append(str(exc))
        else:
            plan = services.actuals_import_preview(user=request.user, cycle=cycle, rows=parsed.rows)
            if plan.ok and plan.changes:
                token = secrets.token_urlsafe(16)
                pending = _pending(request)
                pending[token] = {
                    "cycle": cycle.id,
                    "slug": scorecard.slug,
                    "rows": [r.as_dict() for r in parsed.rows],
                }
                request.session[SESSION_KEY] = dict(list(pending.items())[-5:])
    else:
        file_errors.extend(form.errors.get("file", ["Scegliere un file .xlsx."]))
    return render(
        request,
        "indicators/import_preview.html",
        {"scorecard": scorecard, "plan": plan, "file_errors": file_errors, "token": token},
        status=200 if plan is not None and plan.ok else 400,
    )


@login_required
@require_POST
def workbook_confirm(request, year, token):
    cycle = _internal_cycle(request, year)
    pending = _pending(request)
    item = pending.get(token)
    if item is None or item["cycle"] != cycle.id:
        raise Http404("Anteprima scaduta: ricaricare il file.")
    scorecard = scorecard_get(cycle, item["slug"])
    if not perms.can_edit_scorecard(request.user, scorecard):
        raise PermissionDenied("Il cruscotto non è modificabile (anno chiuso o non di competenza).")
    rows = [RowInput.from_dict(r) for r in item["rows"]]
    try:
        result = services.actuals_import_apply(user=request.user, cycle=cycle, rows=rows)
    except services.BatchRejected as exc:
        return render(
            request,
            "indicators/import_preview.html",
            {"scorecard": scorecard, "plan": exc.plan, "file_errors": [], "token": ""},
            status=409,
        )
    finally:
        pending.pop(token, None)
        request.session[SESSION_KEY] = pending
    messages.success(
        request,
        "Importazione completata: "
        f"{count(result.count, 'indicatore aggiornato', 'indicatori aggiornati')}.",
    )
    return redirect(
        "indicators:scorecard", ente=request.current_body_slug, year=year, slug=scorecard.slug
    )


@login_required
@require_GET
def plan_template(request):
    body = request_body(request)
    if not perms.can_import_plan(request.user, body):
        raise PermissionDenied("Solo l'ufficio pianificazione importa un piano.")
    template = plan_workbook.plan_template(
        selectors.plan_unit_codes(body=body),
        levels=body.levels,
    )
    return workbook.xlsx_response(template, f"{body.slug}-modello-piano.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request):
    body = request_body(request)
    if not perms.can_import_plan(request.user, body):
        raise PermissionDenied("Solo l'ufficio pianificazione importa un piano.")
    form = PlanImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            new_cycle = plan_import_apply(
                user=request.user,
                body=body,
                year=form.cleaned_data["year"],
                sheets=plan_workbook.plan_read(form.cleaned_data["file"]),
            )
        except workbook.WorkbookError as exc:
            errors.append(str(exc))
        except ValidationError as exc:
            errors.extend(exc.messages)
        else:
            messages.success(
                request,
                f"Piano {new_cycle.year} importato: {new_cycle.indicators.count()} indicatori.",
            )
            return redirect("indicators:index", ente=body.slug, year=new_cycle.year)
    return render(
        request,
        "indicators/plan_import.html",
        {
            "form": form,
            "errors": errors,
            "body": body,
            "template_url": reverse("indicators:plan_template", args=[body.slug]),
        },
        status=400 if errors or form.errors else 200,
    )
