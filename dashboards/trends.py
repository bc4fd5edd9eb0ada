"""The same indicator, and the same strategic objective, across the years of a body: reads with
a fixed number of queries whatever the number of years or the size of the plans, handed to
the pure series (:mod:`dashboards.series`, pandas) and drawn with plotly (:mod:`lib.charts`).

An indicator has no code of its own: across years it is the indicator with the same name under
the strategic objective with the same code (or the group of common objectives with the same
name); two such indicators in one year (the document prints a few) are matched by their
position among them. A strategic objective is matched by its code, an operational objective by
its name under the strategic objective with the same code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

import pandas as pd
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.selectors import cycle_list
from core.models import Body, Cycle
from core.selectors import measurement_rules
from indicators import domain
from indicators.models import Indicator, ScorecardRow
from indicators.rollup import (
    STORED_FIGURE_FIELDS,
    StoredFigure,
    figure_for,
    stored_figure,
    summarize,
)
from lib import charts
from objectives.models import OperationalObjective, StrategicObjective

from .selectors import ObjectiveNode, OperationalNode, stored_strategic_summary
from .series import TableRow, YearPoint, drawn, has_numbers, table_rows, yearly

PERCENT_KINDS = frozenset({domain.Kind.PERCENTAGE, domain.Kind.PROJECT})


@dataclass
class Trend:
    """A series across years: the table (one row per year of the span, gaps included) and the
    chart's figure (None with fewer than two years: nothing to draw)."""

    frame: pd.DataFrame
    rows: list[TableRow]
    chart: dict[str, Any] | None

    @property
    def years(self) -> int:
        return sum(row.present for row in self.rows)


def visible_cycles(body: Body, user=None) -> QuerySet[Cycle]:
    """The years of the body the page may show (internal users: all; the public: published),
    as a subquery: no query of its own."""
    return cycle_list(body=body, user=user)


def _same_indicator(indicator: Indicator) -> Q:
    op = indicator.operational_objective
    if op is not None:
        return Q(operational_objective__strategic_objective__code=op.strategic_objective.code)
    return Q(common_group__name=indicator.common_group.name if indicator.common_group else "")


def indicator_trend(indicator: Indicator, cycles: QuerySet[Cycle]) -> Trend:
    """One query: the indicator of each year of ``cycles`` (see the module). ``indicator``
    with its objective or group loaded (``selectors.indicator_get``)."""
    matches = (
        Indicator.objects.filter(_same_indicator(indicator), cycle__in=cycles, name=indicator.name)
        .select_related("cycle")
        .order_by("cycle__year", "order", "id")
    )
    by_year: dict[int, list[Indicator]] = defaultdict(list)
    position = 0
    for match in matches:
        same_year = by_year[match.cycle.year]
        if match.pk == indicator.pk:
            position = len(same_year)
        same_year.append(match)
    points = []
    for year, found in by_year.items():
        if position < len(found):
            match = found[position]
            figure = figure_for(match, match.cycle)
            points.append(YearPoint(year, match.target, match.actual, figure.realization))
    frame = yearly(points)
    return Trend(frame, table_rows(frame), _indicator_chart(indicator, frame))


def _indicator_chart(indicator: Indicator, frame: pd.DataFrame) -> dict[str, Any] | None:
    if len(frame) < 2:
        return None
    years = list(frame.index)
    if has_numbers(frame, "target") or has_numbers(frame, "actual"):
        suffix = "%" if indicator.kind in PERCENT_KINDS else ""
        series = [
            ("Risultato atteso", drawn(frame, "target"), "target"),
            ("Valore ottenuto", drawn(frame, "actual"), "actual"),
        ]
        return charts.year_lines("Risultato atteso e valore ottenuto", years, series, suffix=suffix)
    series = [("% di realizzazione", drawn(frame, "realization"), "realization")]
    return charts.year_lines("% di realizzazione", years, series, suffix="%")


OBJECTIVE_TITLE = "% di realizzazione dell'obiettivo"


def objective_trend(code: str, cycles: QuerySet[Cycle]) -> Trend:
    """The % realization of the strategic objective with this code in each year of ``cycles``
    (:func:`objective_trends`)."""
    found = objective_trends(cycles, [code])
    return found.get(code) or _realization_trend([], OBJECTIVE_TITLE)


def objective_trends(cycles: QuerySet[Cycle], codes: list[str] | None = None) -> dict[str, Trend]:
    """The % realization of every strategic objective (or of those with these codes) in each
    year of ``cycles``, by code, computed as the strategic map does (the stored figures, the
    2.2 rows' weights, each year's own rules). Three queries whatever the years and the plans:
    the objectives, their indicators' stored figures, the 2.2 rows."""
    chosen = StrategicObjective.objects.filter(cycle__in=cycles)
    if codes is not None:
        chosen = chosen.filter(code__in=codes)
    objectives = list(chosen.select_related("cycle", "scorecard").order_by("cycle__year"))
    figures: dict[int, StoredFigure] = {}
    by_so: dict[int, list[StoredFigure]] = defaultdict(list)
    op_of: dict[int, int] = {}
    op_weight: dict[int, Decimal] = {}
    for so_id, op_id, weight, *values in Indicator.objects.filter(
        operational_objective__strategic_objective__in=[so.pk for so in objectives]
    ).values_list(
        "operational_objective__strategic_objective_id",
        "operational_objective_id",
        "operational_objective__weight",
        *STORED_FIGURE_FIELDS,
    ):
        figures[values[0]] = figure = stored_figure(*values)
        by_so[so_id].append(figure)
        op_of[figure.id], op_weight[op_id] = op_id, weight
    rows: dict[int, list[tuple[int, Decimal | None]]] = defaultdict(list)
    for scorecard_id, indicator_id, row_weight in ScorecardRow.objects.filter(
        scorecard__strategic_objective__in=[so.pk for so in objectives]
    ).values_list("scorecard_id", "indicator_id", "weight"):
        rows[scorecard_id].append((indicator_id, row_weight))
    points: dict[str, list[YearPoint]] = defaultdict(list)
    for so in objectives:
        rules = measurement_rules(so.cycle)
        summary = stored_strategic_summary(so, rows, figures, by_so, op_of, op_weight, rules)
        text = domain.format_pct(summary.realization)
        points[so.code].append(YearPoint(so.cycle.year, "", text, summary.realization))
    return {code: _realization_trend(found, OBJECTIVE_TITLE) for code, found in points.items()}


def operational_trend(code: str, name: str, cycles: QuerySet[Cycle]) -> Trend:
    """The % realization of the operational objective named ``name`` under the strategic
    objective with this code, in each year of ``cycles``: the weighted mean of its indicators'
    stored figures by each year's own rules, as its objective's page shows it. Two queries
    whatever the years: the objectives (with their year), their indicators' stored figures."""
    objectives = list(
        OperationalObjective.objects.filter(
            cycle__in=cycles, strategic_objective__code=code, name=name
        ).select_related("cycle")
    )
    by_op: dict[int, list[StoredFigure]] = defaultdict(list)
    for op_id, *values in Indicator.objects.filter(
        operational_objective__in=[op.pk for op in objectives]
    ).values_list("operational_objective_id", *STORED_FIGURE_FIELDS):
        by_op[op_id].append(stored_figure(*values))
    points = []
    for op in objectives:
        summary = summarize(op.name, by_op[op.pk], measurement_rules(op.cycle))
        text = domain.format_pct(summary.realization)
        points.append(YearPoint(op.cycle.year, "", text, summary.realization))
    return _realization_trend(points, "% di realizzazione dell'obiettivo operativo")


class OperationalOwner(NamedTuple):
    code: str  # the code of its strategic objective
    implicit: bool  # the strategic objective's direct indicators: no page of its own


def strategic_code_of(cycle: Cycle, pk: int) -> OperationalOwner:
    """The code of the strategic objective of the year's operational objective ``pk``, and
    whether it is the implicit one (its page is the strategic objective's: the body's plan has
    no such level). One query; a 404 for an operational objective of another year or none."""
    found = (
        OperationalObjective.objects.filter(cycle=cycle, pk=pk)
        .values_list("strategic_objective__code", "implicit")
        .first()
    )
    if found is None:
        raise Http404("Obiettivo operativo inesistente.")
    return OperationalOwner(*found)


def operational_node(node: ObjectiveNode, pk: int) -> OperationalNode:
    """The operational objective ``pk`` among its strategic objective's page."""
    for op in node.operational:
        if op.objective.pk == pk:
            return op
    raise Http404("Obiettivo operativo inesistente.")


def _realization_trend(points: list[YearPoint], title: str) -> Trend:
    """An objective's series: its % realization per year, drawn from the second year."""
    frame = yearly(points)
    chart = None
    if len(frame) >= 2:
        series = [("% di realizzazione", drawn(frame, "realization"), "realization")]
        chart = charts.year_lines(title, list(frame.index), series)
        chart["layout"]["yaxis"] = {"ticksuffix": "%", "rangemode": "tozero"}
    return Trend(frame, table_rows(frame), chart)
