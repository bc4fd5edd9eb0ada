"""Reads for the dashboards. Each function runs a fixed number of queries, whatever the size of
the plan (pinned by assertNumQueries in tests/test_dashboards.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

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
    summarize_children,
    summarize_strategic,
)
from lib.codes import natural_key
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
        "id", "scorecard_id", "indicator_id", "declared_realization", "order", "weight"
    )
    grouped: dict[int, list[ScorecardRow]] = defaultdict(list)
    for row in rows:
        grouped[row.scorecard_id].append(row)
    return grouped


def _by_operational(figures, operational_of, weight_of) -> list[tuple[Decimal, list]]:
    """Figures grouped by their operational objective, each group with its weight (the input
    of ``summarize_strategic``), in the order met."""
    groups: dict[int | None, list] = {}
    for figure in figures:
        groups.setdefault(operational_of(figure), []).append(figure)
    return [(weight_of(op_id), members) for op_id, members in groups.items()]


def strategic_map(cycle: Cycle) -> StrategicMap:
    """Queries: perspectives, strategic objectives (+ their 2.2 scorecard), the indicators'
    stored figures (with their strategic and operational objective), scorecard rows. The
    roll-up reads the stored % realization and band (``Indicator.realization``, ``status``):
    plain values, no indicator built, so the map costs little more than its objectives on a
    large plan. Weights and the year's scoring method: ``indicators.rollup``."""
    rules = measurement_rules(cycle)
    perspectives = list(Perspective.objects.filter(cycle=cycle).order_by("order"))
    objectives = list(
        StrategicObjective.objects.filter(cycle=cycle)
        .select_related("scorecard")
        .order_by("order", "code_key", "code")
    )
    figures: dict[int, StoredFigure] = {}
    by_so: dict[int, list[StoredFigure]] = defaultdict(list)
    op_of: dict[int, int] = {}
    op_weight: dict[int, Decimal] = {}
    for so_id, op_id, weight, *values in Indicator.objects.filter(
        cycle=cycle, operational_objective__isnull=False
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
        scorecard__cycle=cycle, scorecard__strategic_objective__isnull=False
    ).values_list("scorecard_id", "indicator_id", "weight"):
        rows[scorecard_id].append((indicator_id, row_weight))

    def weight_of(op_id):
        return op_weight.get(op_id, Decimal(1))

    nodes_by_perspective: dict[int, list[ObjectiveNode]] = defaultdict(list)
    for so in objectives:
        scorecard = getattr(so, "scorecard", None)
        printed = rows.get(scorecard.id, []) if scorecard else []
        chosen = [
            figures[i] if w is None else replace(figures[i], weight=w)
            for i, w in printed
            if i in figures
        ]
        groups = _by_operational(chosen or by_so.get(so.id, []), lambda f: op_of[f.id], weight_of)
        summary = summarize_strategic(so.name, groups, rules)
        nodes_by_perspective[so.perspective_id].append(ObjectiveNode(so, summary))
    perspective_nodes = []
    for p in perspectives:
        nodes = nodes_by_perspective.get(p.id, [])
        children = ((n.summary, n.objective.weight) for n in nodes)
        summary = summarize_children(p.name, children, rules)
        perspective_nodes.append(PerspectiveNode(p, summary, nodes))
    overall = summarize_children(
        f"Performance {cycle.year}",
        ((p.summary, p.perspective.weight) for p in perspective_nodes),
        rules,
    )
    return StrategicMap(cycle, overall, perspective_nodes)


def objective_detail(cycle: Cycle, code: str) -> ObjectiveNode:
    """Queries: the objective (+ perspective, scorecard), its operational objectives with their
    units, their indicators, the 2.2 rows (declared realizations, weights)."""
    rules = measurement_rules(cycle)
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
    declared, row_weights = {}, {}
    if scorecard:
        for r in ScorecardRow.objects.filter(scorecard=scorecard).only(
            "indicator_id", "declared_realization", "weight"
        ):
            declared[r.indicator_id], row_weights[r.indicator_id] = r.declared_realization, r.weight
    nodes, groups, printed = [], [], []
    for op in operational:
        figs = [figure_for(i, cycle, declared.get(i.id, "")) for i in op.indicators.all()]
        groups.append((op.weight, figs))
        rows = [replace(f, row_weight=row_weights[f.id]) for f in figs if f.id in declared]
        printed.append((op.weight, rows))
        nodes.append(
            OperationalNode(op, summarize(op.name, figs, rules), figs, list(op.units.all()))
        )
    chosen = printed if any(rows for _w, rows in printed) else groups
    return ObjectiveNode(so, summarize_strategic(so.name, chosen, rules), nodes)


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

    @property
    def strategic_sort(self) -> tuple[str, str]:
        """The objectives' natural order (lib.codes): "1.2" before "1.10"."""
        return (natural_key(self.strategic_code), self.strategic_code)


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
                figure=figure_for(ind, cycle, row.declared_realization, row.weight),
                perspective=so.perspective.name if so else "",
                perspective_order=so.perspective.order if so else 0,
                strategic_code=so.code if so else "",
                strategic_name=so.name if so else "",
                operational=op.name if op else (ind.common_group.name if ind.common_group else ""),
            )
        )
    return lines


def _row_figure(figure: IndicatorFigure, row: ScorecardRow) -> IndicatorFigure:
    return figure if row.weight is None else replace(figure, row_weight=row.weight)


def scorecard_summaries(cycle: Cycle) -> dict[int, Summary]:
    """Realization of every cruscotto, for the list page. Queries: indicators, rows."""
    rules = measurement_rules(cycle)
    figures = {i.id: figure_for(i, cycle) for i in Indicator.objects.filter(cycle=cycle)}
    return {
        scorecard_id: summarize("", (_row_figure(figures[r.indicator_id], r) for r in rows), rules)
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
    return summarize(label, (line.figure for line in lines), measurement_rules(cycle))


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
        summary = summarize(group.name, figs, measurement_rules(cycle))
        nodes.append(CommonGroupNode(group, figs, summary))
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
    summary = summarize("", figures, measurement_rules(cycle))
    return results_paragraph(f"Il cruscotto {title}", figures, summary)
