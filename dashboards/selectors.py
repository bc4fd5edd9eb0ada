"""Reads for the dashboards. Each function runs a fixed number of queries, whatever the size of
the plan (pinned by assertNumQueries in tests/test_dashboards.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from core.models import Cycle
from core.selectors import measurement_rules
from indicators.models import Indicator, ScorecardRow
from indicators.rollup import (
    STORED_FIGURE_FIELDS,
    IndicatorFigure,
    StoredFigure,
    Summary,
    figure_for,
    stored_figure,
    summarize,
    summarize_means,
)
from objectives.models import (
    OperationalObjective,
    OrgUnit,
    Perspective,
    Scorecard,
    StrategicObjective,
)
from objectives.selectors import scorecard_list

from .results import results_paragraph


@dataclass
class ObjectiveNode:
    objective: StrategicObjective
    summary: Summary
    operational: list[OperationalNode] = field(default_factory=list)


@dataclass
class OperationalNode:
    objective: OperationalObjective
    summary: Summary
    figures: list[IndicatorFigure]
    units: list[OrgUnit]


@dataclass
class PerspectiveNode:
    perspective: Perspective
    summary: Summary
    objectives: list[ObjectiveNode]


@dataclass
class StrategicMap:
    cycle: Cycle
    overall: Summary
    perspectives: list[PerspectiveNode]


def _rows_by_scorecard(cycle: Cycle) -> dict[int, list[ScorecardRow]]:
    rows = ScorecardRow.objects.filter(scorecard__cycle=cycle).only(
        "id", "scorecard_id", "indicator_id", "declared_realization", "order"
    )
    grouped: dict[int, list[ScorecardRow]] = defaultdict(list)
    for row in rows:
        grouped[row.scorecard_id].append(row)
    return grouped


def strategic_map(cycle: Cycle) -> StrategicMap:
    """Queries: perspectives, strategic objectives (+ their 2.2 scorecard), the indicators'
    stored figures (with their strategic objective), scorecard rows. The roll-up reads the
    stored % realization and band (``Indicator.realization``, ``status``): plain values, no
    indicator built, so the map costs little more than its objectives on a large plan."""
    bands = cycle.bands
    perspectives = list(Perspective.objects.filter(cycle=cycle).order_by("order"))
    objectives = list(
        StrategicObjective.objects.filter(cycle=cycle)
        .select_related("scorecard")
        .order_by("order", "code")
    )
    figures: dict[int, StoredFigure] = {}
    by_so: dict[int, list[StoredFigure]] = defaultdict(list)
    for so_id, *values in Indicator.objects.filter(
        cycle=cycle, operational_objective__isnull=False
    ).values_list("operational_objective__strategic_objective_id", *STORED_FIGURE_FIELDS):
        figures[values[0]] = figure = stored_figure(*values)
        by_so[so_id].append(figure)
    rows: dict[int, list[int]] = defaultdict(list)
    for scorecard_id, indicator_id in ScorecardRow.objects.filter(
        scorecard__cycle=cycle, scorecard__strategic_objective__isnull=False
    ).values_list("scorecard_id", "indicator_id"):
        rows[scorecard_id].append(indicator_id)

    nodes_by_perspective: dict[int, list[ObjectiveNode]] = defaultdict(list)
    for so in objectives:
        scorecard = getattr(so, "scorecard", None)
        printed = rows.get(scorecard.id, []) if scorecard else []
        chosen = [figures[i] for i in printed if i in figures]
        summary = summarize(so.name, chosen or by_so.get(so.id, []), bands)
        nodes_by_perspective[so.perspective_id].append(ObjectiveNode(so, summary))
    perspective_nodes = []
    for p in perspectives:
        nodes = nodes_by_perspective.get(p.id, [])
        summary = summarize_means(p.name, (n.summary for n in nodes), bands)
        perspective_nodes.append(PerspectiveNode(p, summary, nodes))
    overall = summarize_means(
        f"Performance {cycle.year}", (p.summary for p in perspective_nodes), bands
    )
    return StrategicMap(cycle, overall, perspective_nodes)


def objective_detail(cycle: Cycle, code: str) -> ObjectiveNode:
    """Queries: the objective (+ perspective, scorecard), its operational objectives with their
    units, their indicators, the 2.2 rows (declared realizations)."""
    bands = cycle.bands
    try:
        so = StrategicObjective.objects.select_related("perspective", "scorecard").get(
            cycle=cycle, code=code
        )
    except StrategicObjective.DoesNotExist as exc:
        raise Http404("Obiettivo strategico inesistente.") from exc
    operational = list(
        OperationalObjective.objects.filter(strategic_objective=so)
        .prefetch_related(
            Prefetch("units", queryset=OrgUnit.objects.as_of(cycle)),
            Prefetch("indicators", queryset=Indicator.objects.order_by("order")),
        )
        .order_by("order")
    )
    scorecard = getattr(so, "scorecard", None)
    declared = {}
    if scorecard:
        declared = {
            r.indicator_id: r.declared_realization
            for r in ScorecardRow.objects.filter(scorecard=scorecard).only(
                "indicator_id", "declared_realization"
            )
        }
    nodes, all_figures = [], []
    for op in operational:
        figs = [figure_for(i, cycle, declared.get(i.id, "")) for i in op.indicators.all()]
        all_figures.extend(figs)
        nodes.append(
            OperationalNode(op, summarize(op.name, figs, bands), figs, list(op.units.all()))
        )
    strategic = [f for f in all_figures if f.id in declared] or all_figures
    return ObjectiveNode(so, summarize(so.name, strategic, bands), nodes)


@dataclass
class ScorecardLine:
    """One row of a cruscotto table, flattened for django-tables2 (sortable in Python)."""

    row: ScorecardRow
    figure: IndicatorFigure
    perspective: str
    perspective_order: int
    strategic_code: str
    strategic_name: str
    operational: str

    @property
    def indicator(self):
        return self.figure.indicator

    @property
    def sort_key(self):
        return (self.perspective_order, self.row.order)


def scorecard_rows(scorecard: Scorecard) -> QuerySet[ScorecardRow]:
    return (
        ScorecardRow.objects.filter(scorecard=scorecard)
        .select_related(
            "indicator",
            "indicator__common_group",
            "indicator__operational_objective",
            "indicator__operational_objective__strategic_objective",
            "indicator__operational_objective__strategic_objective__perspective",
        )
        .order_by("order")
    )


def scorecard_lines(cycle: Cycle, rows: QuerySet[ScorecardRow]) -> list[ScorecardLine]:
    """One query: the rows with everything they print."""
    lines = []
    for row in rows:
        ind = row.indicator
        op = ind.operational_objective
        so = op.strategic_objective if op else None
        lines.append(
            ScorecardLine(
                row=row,
                figure=figure_for(ind, cycle, row.declared_realization),
                perspective=so.perspective.name if so else "",
                perspective_order=so.perspective.order if so else 0,
                strategic_code=so.code if so else "",
                strategic_name=so.name if so else "",
                operational=op.name if op else (ind.common_group.name if ind.common_group else ""),
            )
        )
    return lines


def scorecard_summaries(cycle: Cycle) -> dict[int, Summary]:
    """Realization of every cruscotto, for the list page. Queries: indicators, rows."""
    bands = cycle.bands
    figures = {i.id: figure_for(i, cycle) for i in Indicator.objects.filter(cycle=cycle)}
    return {
        scorecard_id: summarize("", (figures[r.indicator_id] for r in rows), bands)
        for scorecard_id, rows in _rows_by_scorecard(cycle).items()
    }


def indicator_get(cycle: Cycle, pk: int) -> Indicator:
    try:
        return (
            Indicator.objects.select_related(
                "common_group",
                "operational_objective__strategic_objective__perspective",
            )
            .prefetch_related(
                Prefetch("operational_objective__units", queryset=OrgUnit.objects.as_of(cycle)),
                Prefetch("rows", queryset=ScorecardRow.objects.select_related("scorecard")),
            )
            .get(cycle=cycle, pk=pk)
        )
    except Indicator.DoesNotExist as exc:
        raise Http404("Indicatore inesistente.") from exc


def summarize_lines(cycle: Cycle, label: str, lines: list[ScorecardLine]) -> Summary:
    return summarize(label, (line.figure for line in lines), cycle.bands)


@dataclass
class CommonGroupNode:
    group: object
    figures: list[IndicatorFigure]
    summary: Summary


def common_groups(cycle: Cycle) -> list[CommonGroupNode]:
    """Queries: groups, their indicators (prefetch), the 2.3 rows (declared realization)."""
    from indicators.models import CommonGroup

    declared = {
        r.indicator_id: r.declared_realization
        for r in ScorecardRow.objects.filter(
            scorecard__cycle=cycle, scorecard__section=Scorecard.Section.COMMON
        )
    }
    nodes = []
    for group in CommonGroup.objects.filter(cycle=cycle).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("order"))
    ):
        figs = [figure_for(i, cycle, declared.get(i.id, "")) for i in group.indicators.all()]
        nodes.append(CommonGroupNode(group, figs, summarize(group.name, figs, cycle.bands)))
    return nodes


def scorecard_sections(cycle) -> dict[str, list]:
    """The cruscotti grouped by section of the Relazione, each with its summary (the index of
    the cruscotti, internal and public)."""
    summaries = scorecard_summaries(cycle)
    sections: dict[str, list] = {}
    for scorecard in scorecard_list(cycle):
        sections.setdefault(scorecard.get_section_display(), []).append(
            (scorecard, summaries.get(scorecard.id))
        )
    return sections


def scorecard_results(cycle: Cycle, title: str, lines: list[ScorecardLine]) -> str:
    """The results paragraph of one cruscotto, from the lines its page already loaded."""
    figures = [line.figure for line in lines]
    summary = summarize("", figures, measurement_rules(cycle).bands)
    return results_paragraph(f"Il cruscotto {title}", figures, summary)
