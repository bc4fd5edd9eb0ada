"""Dashboards: strategic map, strategic objectives, cruscotti, indicators. Views stay thin:
reads come from objectives.selectors, figures from indicators.domain/rollup."""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import render
from django_tables2 import RequestConfig
from openpyxl import Workbook

from accounts.permissions import (
    can_edit_actual,
    can_edit_plan,
    can_view_history,
    can_view_internal_notes,
)
from indicators.export import escape_formula
from indicators.rollup import figure_for
from indicators.selectors import indicator_history
from relazione.selectors import cycle_get, cycle_years

from . import selectors
from .filters import ScorecardFilter
from .tables import ScorecardTable


def _context(request, cycle, **extra):
    return {"cycle": cycle, "years": cycle_years(user=request.user), **extra}


def strategic_map(request, year):
    cycle = cycle_get(year=year, user=request.user)
    smap = selectors.strategic_map(cycle)
    return render(request, "objectives/map.html", _context(request, cycle, map=smap))


def objective_detail(request, year, code):
    cycle = cycle_get(year=year, user=request.user)
    node = selectors.objective_detail(cycle, code)
    return render(request, "objectives/objective.html", _context(request, cycle, node=node))


def scorecard_index(request, year):
    cycle = cycle_get(year=year, user=request.user)
    summaries = selectors.scorecard_summaries(cycle)
    sections = {}
    for scorecard in selectors.scorecard_list(cycle):
        sections.setdefault(scorecard.get_section_display(), []).append(
            (scorecard, summaries.get(scorecard.id))
        )
    return render(
        request, "objectives/scorecards.html", _context(request, cycle, sections=sections)
    )


EXPORT_COLUMNS = [
    ("Prospettiva", lambda line: line.perspective),
    ("Obiettivo strategico", lambda line: f"{line.strategic_code} {line.strategic_name}".strip()),
    ("Obiettivo operativo", lambda line: line.operational),
    ("Indicatore", lambda line: line.indicator.name),
    ("Valore ottenuto", lambda line: line.indicator.actual),
    ("Risultato atteso", lambda line: line.indicator.target),
    ("% realizzazione", lambda line: line.figure.realization_text),
    ("Stato", lambda line: line.figure.band_label),
]


def _export(scorecard, lines, fmt):
    header = [name for name, _ in EXPORT_COLUMNS]
    data = [[escape_formula(str(get(line))) for _, get in EXPORT_COLUMNS] for line in lines]
    filename = f"cruscotto-{scorecard.cycle.year}-{scorecard.slug}"
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("cruscotto")
        sheet.append(header)
        for row in data:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(data)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def scorecard_detail(request, year, slug):
    cycle = cycle_get(year=year, user=request.user)
    scorecard = selectors.scorecard_get(cycle, slug)
    filterset = ScorecardFilter(
        request.GET or None, queryset=selectors.scorecard_rows(scorecard), cycle=cycle
    )
    lines = selectors.scorecard_lines(cycle, filterset.qs)
    if filterset.band_value:
        lines = [line for line in lines if line.figure.band == filterset.band_value]
    lines.sort(key=lambda line: line.sort_key)
    fmt = request.GET.get("formato")
    if fmt in ("csv", "xlsx"):
        return _export(scorecard, lines, fmt)
    summary = selectors.summarize_lines(cycle, scorecard.title, lines)
    table = ScorecardTable(lines, year=cycle.year)
    RequestConfig(request, paginate={"per_page": 100}).configure(table)
    return render(
        request,
        "objectives/scorecard.html",
        _context(
            request,
            cycle,
            scorecard=scorecard,
            table=table,
            filter=filterset,
            summary=summary,
            query=request.GET.urlencode(),
        ),
    )


def indicator_detail(request, year, pk):
    cycle = cycle_get(year=year, user=request.user)
    indicator = selectors.indicator_get(cycle, pk)
    figure = figure_for(indicator, cycle.body)
    return render(
        request,
        "objectives/indicator.html",
        _context(
            request,
            cycle,
            indicator=indicator,
            figure=figure,
            show_internal=can_view_internal_notes(request.user),
            can_edit_actual=can_edit_actual(request.user, indicator),
            can_edit_plan=can_edit_plan(request.user, cycle),
            history=indicator_history(indicator) if can_view_history(request.user) else None,
        ),
    )


def common_objectives(request, year):
    cycle = cycle_get(year=year, user=request.user)
    groups = selectors.common_groups(cycle)
    return render(request, "objectives/common.html", _context(request, cycle, groups=groups))
