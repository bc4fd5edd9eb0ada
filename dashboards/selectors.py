"""Reads for the dashboards. Each function runs a fixed number of queries, whatever the size of
the plan (pinned by assertNumQueries in tests/test_dashboards.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Round
from django.http import Http404

from core.models import Cycle
from core.prepared import Prepared
from core.scoring_method import Aggregation, NvRule
from core.selectors import measurement_rules
from indicators import domain
from indicators.aggregates import strategic_totals
from indicators.models import Indicator, ScorecardRow
from indicators.rollup import (
    NAMED_INDICATOR_FIELDS,
    IndicatorFigure,
    NamedIndicator,
    StoredFigure,
    Summary,
    figure_for,
    summarize,
    summarize_children,
    summarize_strategic,
    summarize_strategic_totals,
    summarize_totals,
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

from .results import results_paragraph, results_text


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
    """Queries: perspectives, strategic objectives, and the two of
    ``indicators.aggregates.strategic_totals``: the database sums each objective's stored
    figures (exactly), the engine takes the means by the year's method. One row per strategic
    objective and weight of its operational objectives (per operational objective with the
    nested mean), whatever the number of indicators: 1.214 rows for a 17.000-indicator year
    of equal weights."""
    rules = measurement_rules(cycle)
    perspectives = list(Perspective.objects.filter(cycle=cycle).order_by("order"))
    objectives = StrategicObjective.objects.filter(cycle=cycle).order_by(
        "order", "code_key", "code"
    )
    nested = rules.method.aggregation is Aggregation.NESTED_MEAN
    totals = strategic_totals(cycle, per_operational=nested)
    nodes_by_perspective: dict[int, list[ObjectiveNode]] = defaultdict(list)
    for so in objectives:
        summary = summarize_strategic_totals(so.name, totals.get(so.id, []), rules)
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


def stored_strategic_summary(
    so: StrategicObjective,
    rows: dict[int, list[tuple[int, Decimal | None]]],
    figures: dict[int, StoredFigure],
    by_so: dict[int, list[StoredFigure]],
    op_of: dict[int, int],
    op_weight: dict[int, Decimal],
    rules,
) -> Summary:
    """A strategic objective's summary from its indicators' stored figures: the rows of its 2.2
    cruscotto (by scorecard id: their weights), else every indicator of its operational
    objectives, grouped by operational objective (the map's, and the trend's across years)."""
    scorecard = getattr(so, "scorecard", None)
    printed = rows.get(scorecard.id, []) if scorecard else []
    chosen = [
        figures[i] if w is None else replace(figures[i], weight=w)
        for i, w in printed
        if i in figures
    ]
    groups = _by_operational(
        chosen or by_so.get(so.id, []),
        lambda f: op_of[f.id],
        lambda op_id: op_weight.get(op_id, Decimal(1)),
    )
    return summarize_strategic(so.name, groups, rules)


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


_SO = "indicator__operational_objective__strategic_objective"
DOCUMENT_ORDER = ("perspective_order", "order", "pk")


def scorecard_page_rows(scorecard: Scorecard) -> QuerySet[ScorecardRow]:
    """The rows of a cruscotto with the keys its table sorts by, in the document's order
    (perspective, then the row's order): sorted, filtered and paginated in the database, so
    a page builds only the rows it shows (:func:`scorecard_lines` on the page's slice)."""
    return (
        scorecard_rows(scorecard)
        .annotate(
            perspective_order=Coalesce(f"{_SO}__perspective__order", Value(0)),
            operational_name=Coalesce(
                "indicator__operational_objective__name", "indicator__common_group__name", Value("")
            ),
            # Not valued first, as 0% would be: the same place on SQLite and PostgreSQL.
            realization_key=Coalesce("indicator__realization", Value(Decimal(-1))),
        )
        .order_by(*DOCUMENT_ORDER)
    )


_CENTS, _MILLI = 100, 1000  # Indicator.realization has 2 decimals, the weights 3


def _scaled(expression, factor: int):
    # Integers, so that the sums are exact on SQLite too (its decimals are floating point).
    return Cast(Round(expression * factor), BigIntegerField())


def rows_summary(cycle: Cycle, label: str, rows: QuerySet[ScorecardRow]) -> Summary:
    """:func:`summarize_lines` of these rows by one aggregate over the stored figures (no row
    read): Σ realization × weight, Σ weight (the row's own weight, else the indicator's), the
    rows of each band and the NV ones the method counts as 0%, exactly as the engine sums them."""
    return rows_summary_counted(cycle, label, rows)[0]


def _summary_sums(zero_nv: bool) -> dict:
    """Σ realization × weight, Σ weight, the NV rows the method counts as 0%, the rows and the
    rows of each band, as the engine sums them (over the annotations ``r`` and ``w``)."""
    nv_counted = Q(indicator__realization__isnull=True) & ~Q(
        indicator__direction=domain.Direction.MONITORING
    )
    in_mean = Q(r__isnull=False) | nv_counted if zero_nv else Q(r__isnull=False)
    return {
        "total": Sum(F("r") * F("w"), filter=Q(r__isnull=False, w__gt=0)),
        "weights": Sum("w", filter=in_mean & Q(w__gt=0)),
        "nv_as_zero": Count("pk", filter=nv_counted, output_field=IntegerField()),
        "rows": Count("pk"),
        **{
            f"band_{band.value}": Count("pk", filter=Q(indicator__status=band.value))
            for band in domain.Band
        },
    }


def _scaled_figures() -> dict:
    """``r`` and ``w``, the realization and the weight the sums add, as exact integers."""
    return {
        "r": _scaled(F("indicator__realization"), _CENTS),
        "w": _scaled(Coalesce("weight", "indicator__weight"), _MILLI),
    }


def rows_summary_counted(
    cycle: Cycle, label: str, rows: QuerySet[ScorecardRow]
) -> tuple[Summary, int]:
    """:func:`rows_summary` and the number of rows, from the same aggregate: the page's
    paginator takes it instead of a second ``COUNT(*)`` over the same rows."""
    rules = measurement_rules(cycle)
    zero_nv = rules.method.nv is NvRule.ZERO
    totals = rows.order_by().annotate(**_scaled_figures()).aggregate(**_summary_sums(zero_nv))
    return _totals_summary(label, totals, rules)


_SUMMARY_NAMES = ("total", "weights", "nv_as_zero", "rows", *(f"band_{b}" for b in domain.Band))


def _summary_query(zero_nv: bool, lookups: tuple[str, ...], kinds: tuple[type, ...]) -> Prepared:
    """:func:`rows_summary_counted`'s aggregate over a cruscotto's rows kept by the filters'
    ``lookups`` (each an argument after the cruscotto's id, of its type in ``kinds``): one row
    grouped by the cruscotto, its SQL compiled once per process (building it was most of its
    cost)."""

    def build(scorecard_id, *values):
        rows = ScorecardRow.objects.filter(
            scorecard_id=scorecard_id, **dict(zip(lookups, values, strict=True))
        )
        return (
            rows.order_by()
            .alias(**_scaled_figures())
            .values("scorecard_id")
            .annotate(**_summary_sums(zero_nv))
            .values_list(*_SUMMARY_NAMES)
        )

    return Prepared(build, int, *kinds)


_SUMMARY_QUERIES: dict[tuple, Prepared] = {}  # at most 2 NV rules × 2⁴ sets of filters


def scorecard_summary_counted(
    cycle: Cycle, scorecard: Scorecard, filters: dict[str, int | str]
) -> tuple[Summary, int]:
    """:func:`rows_summary_counted` of a cruscotto's rows kept by ``filters`` (a lookup of the
    rows and its value, as the page's filters apply them: ``filters.ROW_LOOKUPS``)."""
    rules = measurement_rules(cycle)
    lookups = tuple(sorted(filters))
    kinds = tuple(type(filters[name]) for name in lookups)
    key = (rules.method.nv is NvRule.ZERO, lookups, kinds)
    query = _SUMMARY_QUERIES.get(key)
    if query is None:
        query = _SUMMARY_QUERIES[key] = _summary_query(*key)
    found = query.rows(scorecard.pk, *(filters[name] for name in lookups))
    totals = dict(zip(_SUMMARY_NAMES, found[0], strict=True)) if found else {}
    return _totals_summary(scorecard.title, totals, rules)


def _totals_summary(label: str, totals: dict, rules) -> tuple[Summary, int]:
    zero_nv = rules.method.nv is NvRule.ZERO
    summary = summarize_totals(
        label,
        Decimal(totals.get("total") or 0) / (_CENTS * _MILLI),
        Decimal(totals.get("weights") or 0) / _MILLI,
        {band.value: totals.get(f"band_{band.value}", 0) for band in domain.Band},
        totals.get("nv_as_zero", 0) if zero_nv else 0,
        rules,
    )
    return summary, totals.get("rows", 0)


def _named_rows(rows: QuerySet[ScorecardRow]) -> QuerySet:
    """The rows a results paragraph names (under 100% or not valued), with only what it prints
    of them."""
    return rows.filter(
        Q(indicator__realization__lt=domain.HUNDRED) | Q(indicator__status=domain.Band.NV)
    ).values_list(
        "declared_realization",
        "indicator__realization",
        "indicator__status",
        *(f"indicator__{name}" for name in NAMED_INDICATOR_FIELDS),
    )


def _named_results(cycle: Cycle, title: str, named, summary: Summary) -> str:
    # Plain values, not the rows with their indicators and levels: a cruscotto of 600 rows
    # names some 300, and building them as models was three quarters of its page's time.
    # Their figures are the engine's as stored (Indicator.realization and status, kept by every
    # write), as the counts and the summary beside them: not worked out again for each.
    rules = measurement_rules(cycle)
    figures = [
        IndicatorFigure(NamedIndicator(*values), realization, domain.Band(status), declared, rules)
        for declared, realization, status, *values in named
    ]
    return results_text(f"Il cruscotto {title}", summary.counts, figures, summary)


def rows_results(cycle: Cycle, title: str, rows: QuerySet[ScorecardRow], summary: Summary) -> str:
    """:func:`scorecard_results` of these rows: the counts from the summary's aggregate, and
    only the rows the paragraph names (under 100% or not valued) read, with only what it
    prints of them: content as large as the cruscotto's rows under target (it names each)."""
    return _named_results(cycle, title, _named_rows(rows), summary)


_NAMED = Prepared(lambda scorecard_id: _named_rows(scorecard_page_rows(scorecard_id)), int)


def scorecard_named_results(cycle: Cycle, scorecard: Scorecard, summary: Summary) -> str:
    """:func:`rows_results` of all of a cruscotto's rows, in the document's order, by a query
    compiled once per process."""
    return _named_results(cycle, scorecard.title, _NAMED.rows(scorecard.pk), summary)


def scorecard_lines(cycle: Cycle, rows: QuerySet[ScorecardRow]) -> list[ScorecardLine]:
    """One query: the rows with everything they print."""
    lines = []
    rules = measurement_rules(cycle)  # once, not rebuilt for each row
    for row in rows:
        ind = row.indicator
        op = ind.operational_objective
        so = op.strategic_objective if op else None
        lines.append(
            ScorecardLine(
                row=row,
                figure=figure_for(ind, cycle, row.declared_realization, row.weight, rules=rules),
                # The implicit levels (a plan of fewer levels) are no group of the table.
                perspective=so.perspective.name if so and not so.perspective.implicit else "",
                perspective_order=so.perspective.order if so else 0,
                strategic_code=so.code if so else "",
                strategic_name=so.name if so else "",
                operational=_operational_name(op, ind),
            )
        )
    return lines


def _operational_name(op: OperationalObjective | None, ind: Indicator) -> str:
    """The row's operational objective (none for an indicator placed directly on its strategic
    objective) or group of common objectives."""
    if op is not None:
        return "" if op.implicit else op.name
    return ind.common_group.name if ind.common_group else ""


def _row_figure(figure: IndicatorFigure, row: ScorecardRow) -> IndicatorFigure:
    return figure if row.weight is None else replace(figure, row_weight=row.weight)


def objective_card_summary(cycle: Cycle, scorecard: Scorecard) -> Summary:
    """The overall of a strategic objective's cruscotto (2.2): its objective's score, which is
    measured on this cruscotto's rows, each weighed also by its operational objective's weight
    (``indicators.scoring``); a flat mean of the rows would print a second figure for the
    same objective. Two queries, on the objective's rows only."""
    rules = measurement_rules(cycle)
    nested = rules.method.aggregation is Aggregation.NESTED_MEAN
    so_id = scorecard.strategic_objective_id
    totals = strategic_totals(cycle, per_operational=nested, objective_ids=[so_id])
    return summarize_strategic_totals(scorecard.title, totals.get(so_id, []), rules)


def scorecard_summaries(cycle: Cycle) -> dict[int, Summary]:
    """Realization of every cruscotto, for the list page: a strategic objective's (2.2) is its
    objective's score (:func:`objective_card_summary`). Queries: indicators, rows, the
    cruscotti of the objectives and the two sums of their objectives."""
    rules = measurement_rules(cycle)
    figures = {i.id: figure_for(i, cycle) for i in Indicator.objects.filter(cycle=cycle)}
    summaries = {
        scorecard_id: summarize("", (_row_figure(figures[r.indicator_id], r) for r in rows), rules)
        for scorecard_id, rows in _rows_by_scorecard(cycle).items()
    }
    cards = dict(
        Scorecard.objects.filter(cycle=cycle, strategic_objective__isnull=False).values_list(
            "strategic_objective_id", "id"
        )
    )
    if cards:
        nested = rules.method.aggregation is Aggregation.NESTED_MEAN
        totals = strategic_totals(cycle, per_operational=nested)
        for so_id, card_id in cards.items():
            summaries[card_id] = summarize_strategic_totals("", totals.get(so_id, []), rules)
    return summaries


def indicator_get(cycle: Cycle, pk: int) -> Indicator:
    """The indicator with its year set to ``cycle`` (the page's, already read: the permission
    checks and the trend read ``indicator.cycle`` without a query of their own)."""
    try:
        indicator = (
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
    indicator.cycle = cycle
    return indicator


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
