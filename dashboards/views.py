"""Dashboards: strategic map, strategic objectives, cruscotti, indicators. Views stay thin:
reads come from dashboards.selectors, figures from indicators.domain/rollup."""

from django.shortcuts import redirect, render

from accounts.permissions import (
    can_edit_actual,
    can_edit_plan,
    can_view_history,
    can_view_internal_notes,
)
from accounts.selectors import year_cycle
from indicators.rollup import figure_for
from indicators.selectors import indicator_history
from objectives.selectors import scorecard_get

from . import selectors, trends
from .exports import scorecard_context, scorecard_export, scorecard_filtered
from .parts import common_absent
from .tables import ScorecardTable


def strategic_map(request, year):
    cycle = year_cycle(request, year)
    smap = selectors.strategic_map(cycle)
    return render(request, "dashboards/map.html", {"map": smap})


def objective_detail(request, year, code):
    cycle = year_cycle(request, year)
    node = selectors.objective_detail(cycle, code)
    trend = trends.objective_trend(code, trends.visible_cycles(cycle.body, request.user))
    return render(request, "dashboards/objective.html", {"node": node, "trend": trend})


def operational_detail(request, year, pk):
    cycle = year_cycle(request, year)
    code, implicit = trends.strategic_code_of(cycle, pk)
    if implicit:  # not a level of the body's plan: its page is the strategic objective's
        return redirect("dashboards:objective", cycle.body.slug, cycle.year, code)
    node = selectors.objective_detail(cycle, code)
    op = trends.operational_node(node, pk)
    trend = trends.operational_trend(
        code, op.objective.name, trends.visible_cycles(cycle.body, request.user)
    )
    return render(request, "dashboards/operational.html", {"node": node, "op": op, "trend": trend})


def scorecard_index(request, year):
    cycle = year_cycle(request, year)
    sections = selectors.scorecard_sections(cycle)
    return render(request, "dashboards/scorecards.html", {"sections": sections})


def scorecard_detail(request, year, slug):
    cycle = year_cycle(request, year)
    scorecard = scorecard_get(cycle, slug)
    fmt = request.GET.get("formato")
    if fmt in ("csv", "xlsx"):
        _filterset, lines = scorecard_filtered(cycle, scorecard, request.GET)
        return scorecard_export(scorecard, lines, fmt)
    context = scorecard_context(request, cycle, scorecard, ScorecardTable)
    return render(request, "dashboards/scorecard.html", context)


def indicator_detail(request, year, pk):
    cycle = year_cycle(request, year)
    indicator = selectors.indicator_get(cycle, pk)
    figure = figure_for(indicator, cycle)
    return render(
        request,
        "dashboards/indicator.html",
        {
            "indicator": indicator,
            "figure": figure,
            "trend": trends.indicator_trend(
                indicator, trends.visible_cycles(cycle.body, request.user)
            ),
            "show_internal": can_view_internal_notes(request.user, cycle),
            "can_edit_actual": can_edit_actual(request.user, indicator),
            "can_edit_plan": can_edit_plan(request.user, cycle),
            "history": indicator_history(indicator)
            if can_view_history(request.user, cycle)
            else None,
        },
    )


def common_objectives(request, year):
    cycle = year_cycle(request, year)
    absent = common_absent(cycle)
    if absent:
        return render(request, "dashboards/absent.html", {"message": absent}, status=404)
    groups = selectors.common_groups(cycle)
    return render(request, "dashboards/common.html", {"groups": groups})
