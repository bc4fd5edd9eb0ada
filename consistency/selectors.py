"""Reads for the consistency checks: the :class:`~consistency.rules.YearData` snapshot of a
cycle in a fixed number of queries (one per table, whatever the size of the year), and the
justifications already given."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db import connections
from django.db.models import F, QuerySet, Subquery
from django.utils import timezone

from core.models import Cycle, Transition
from core.scoring_method import ScoringMethod
from core.selectors import measurement_rules
from finance.models import BudgetLine, EconomicIntervention, FinancialRatio, Holding
from indicators import domain
from indicators.aggregates import REALIZATION_UNITS, WEIGHT_UNITS, whole
from indicators.models import Indicator, ScorecardRow, TargetRevision
from narratives.models import Narrative
from objectives.models import OperationalObjective, Scorecard, StrategicObjective
from resources.models import ContextTable, DeclaredFigure
from staff.models import (
    Absence,
    Headcount,
    ParentalLeave,
    PartTimeCount,
    StaffCategory,
    WorkforceSummary,
)

from . import rules
from .corrections import Correction, figure_corrections
from .models import FindingJustification
from .rules import Placement

# Queries made by year_data_build (the cycle's body must come with the cycle: select_related):
# 18 tables (the cruscotti apart from their rows) + 2 for unrecorded target changes.
YEAR_DATA_QUERIES = 20


def _unrecorded_target_changes(cycle: Cycle, current: dict[int, str]) -> set[int]:
    """Indicators whose target differs from the approved plan's (the target each had when the
    cycle first left "planning") with no revision record giving it as the new target. Two
    queries, whatever the state: the history up to the approval, the revisions."""
    approved = (
        Transition.objects.filter(cycle=cycle, source=Cycle.State.PLANNING)
        .order_by("at")
        .values("at")[:1]
    )
    plan_target: dict[int, str] = {}
    for ind_id, target in (
        Indicator.history.filter(cycle_id=cycle.id, history_date__lte=Subquery(approved))
        .order_by("id", "history_date", "history_id")
        .values_list("id", "target")
    ):
        plan_target[ind_id] = target  # the last record before approval wins
    recorded = set(
        TargetRevision.objects.filter(indicator__cycle=cycle).values_list(
            "indicator_id", "new_target"
        )
    )
    return {
        ind_id
        for ind_id, target in current.items()
        if ind_id in plan_target
        and target != plan_target[ind_id]
        and (ind_id, target) not in recorded
    }


_INDICATOR_FIELDS = (
    "id",
    "name",
    "kind",
    "direction",
    "target",
    "actual",
    "explanation",
    "operational_objective_id",
    "common_group_id",
    "order",
    "status",
    "threshold_rule",
)


def _tuples(queryset: QuerySet) -> list[tuple]:
    """The rows of a ``values_list`` as the database driver gives them, all at once: on a
    year of tens of thousands of rows, Django's per-row converters and chunked fetches cost
    more than the query. Only for columns the driver returns as they are meant (integers,
    texts; decimals read as whole units)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _Placements(NamedTuple):
    """The cruscotti and their rows as read (driver tuples, in the order they came)."""

    cards: list[tuple]
    rows: list[tuple]


# An indicator as read (its row, its printed rows, its unrecorded target change) and as made.
_IndicatorEntry = tuple[tuple, tuple[Placement, ...], bool, rules.IndicatorData]


@dataclass(frozen=True)
class SnapshotMemo:
    """What a snapshot leaves for the next of its cycle (:func:`year_data_snapshot`): the
    rows it read of the indicators and of their printed rows, and what it made of them. Never
    changed once made; exact whatever it holds, since each row is read again and compared
    whole (a process that holds no memo, or an old one, only builds more)."""

    method: ScoringMethod
    placements_read: _Placements
    placements: dict[int, tuple[Placement, ...]]
    first: dict[int, tuple[int, int]]
    indicators: dict[int, _IndicatorEntry]


def _placements(
    cycle: Cycle, previous: SnapshotMemo | None
) -> tuple[_Placements, dict[int, tuple[Placement, ...]], dict[int, tuple[int, int]]]:
    """Each indicator's printed rows, in the document's order, and the place of its first.
    Two queries: the cruscotti, then their rows (read from the cruscotti's index, without
    repeating each cruscotto's title on every row: a third of the time on a large year). The
    rows come unsorted and are put in the document's order here (cruscotto, row; the row's id
    breaks a tie): sorting them in the query cost PostgreSQL a sort of the year's rows, more
    than the sort of their tuples here. Rows read equal to ``previous``'s (the same order
    too) give ``previous``'s placements."""
    cards_read = _tuples(
        Scorecard.objects.filter(cycle=cycle).order_by().values_list("id", "title", "section")
    )
    rows = _tuples(
        ScorecardRow.objects.filter(scorecard__cycle=cycle)
        .order_by()
        .values_list(
            "scorecard__order",
            "order",
            "id",
            "indicator_id",
            "scorecard_id",
            "declared_realization",
        )
    )
    read = _Placements(cards_read, rows)
    if previous is not None and previous.placements_read == read:
        return previous.placements_read, previous.placements, previous.first
    cards = {card_id: (title, section) for card_id, title, section in cards_read}
    rows = sorted(rows)  # the document's order: the ids are unique, the texts never compared
    placements: dict[int, list[Placement]] = defaultdict(list)
    first: dict[int, tuple[int, int]] = {}
    for card_order, order, row_id, indicator_id, card_id, declared in rows:
        title, section = cards[card_id]
        placements[indicator_id].append(Placement(row_id, card_id, title, section, declared))
        if indicator_id not in first:  # the rows are in the document's order
            first[indicator_id] = (card_order, order)
    return read, {ind_id: tuple(each) for ind_id, each in placements.items()}, first


# The kind and direction as the enums' members (equal to their stored texts): the domain's
# functions take a member as it is, and convert a text at each of their calls. An unknown text
# stays as it is (and fails where it always did).
_KINDS: dict[str, domain.Kind] = {str(k): k for k in domain.Kind}
_DIRECTIONS: dict[str, domain.Direction] = {str(d): d for d in domain.Direction}


def _decimal(cache: dict[int, Decimal], units: int, places: int) -> Decimal:
    """A decimal from whole units; one per distinct value (decimals are immutable)."""
    if units not in cache:
        cache[units] = Decimal(units).scaleb(-places)
    return cache[units]


def _indicators(
    cycle: Cycle, previous: SnapshotMemo | None
) -> tuple[list[rules.IndicatorData], SnapshotMemo]:
    """Three queries (the cruscotti, their rows, the indicators) and the two of the target
    changes, read as plain tuples: on a plan of tens of
    thousands of indicators, building model instances (or dicts, or SQLite's decimals from
    floating point) cost more than the rules. The weight and the stored % come as whole
    thousandths and hundredths (``indicators.aggregates``: exact), made decimals here.

    An indicator whose row, printed rows and unrecorded target change are equal to those
    ``previous`` read, under the same scoring method, is ``previous``'s indicator: what it is
    made of was read again and found equal, so it is the indicator that would be made of it
    (immutable; what it caches follows from its fields alone: ``IndicatorData.memo``)."""
    measurement = measurement_rules(cycle)
    method = measurement.method
    placements_read, placements, first = _placements(cycle, previous)
    known = previous.indicators if previous is not None and previous.method == method else {}
    proportional: dict[str, bool] = {}  # by the indicator's own threshold rule
    weights: dict[int, Decimal] = {}
    pcts: dict[int, Decimal] = {}
    scale = method.scale
    indicators = _tuples(
        # Unsorted (sorted below, by the first printed row): the model's ordering by cycle joins
        # the cycle and sorts the year's widest rows (on disk, on PostgreSQL).
        Indicator.objects.filter(cycle=cycle)
        .order_by()
        .annotate(
            whole_weight=whole(F("weight"), WEIGHT_UNITS),
            whole_realization=whole(F("realization"), REALIZATION_UNITS),
        )
        .values_list(*_INDICATOR_FIELDS, "whole_weight", "whole_realization")
    )
    unrecorded = _unrecorded_target_changes(cycle, {ind[0]: ind[4] for ind in indicators})
    entries: dict[int, _IndicatorEntry] = {}
    result: list[tuple] = []
    no_rows = (10**6, 0)
    for row in indicators:
        ind_id = row[0]
        rows = placements.get(ind_id, ())
        unrecorded_change = ind_id in unrecorded
        entry = known.get(ind_id)
        if (
            entry is not None
            and entry[0] == row
            and entry[1] == rows
            and entry[2] == unrecorded_change
        ):
            data = entry[3]
        else:
            (
                ind_id, name, kind, direction, target, actual, explanation, op_id, group_id,
                _order, status, threshold_rule, weight, realization,
            ) = row  # fmt: skip
            if threshold_rule not in proportional:
                proportional[threshold_rule] = domain.is_proportional(measurement, threshold_rule)
            data = rules.IndicatorData.of_values(
                (
                    ind_id,
                    name,
                    _KINDS.get(kind, kind),
                    _DIRECTIONS.get(direction, direction),
                    target,
                    actual,
                    _decimal(weights, weight, 3),
                    explanation,
                    op_id,
                    group_id,
                    rows,
                    unrecorded_change,
                    (None if realization is None else _decimal(pcts, realization, 2), status),
                    proportional[threshold_rule],
                    scale,
                )
            )
        entries[ind_id] = (row, rows, unrecorded_change, data)
        result.append((*first.get(ind_id, no_rows), row[9], ind_id, data))
    # The document's order: first printed row (the ids are unique: the data never compared).
    result.sort()
    memo = SnapshotMemo(method, placements_read, placements, first, entries)
    return [each[-1] for each in result], memo


def _finance_tables(cycle: Cycle, data: rules.YearData) -> None:
    """Budget lines, interventions, holdings, ratios: 4 queries."""
    data.budget_lines = [
        rules.BudgetLineData(
            line.id,
            line.code,
            line.label,
            line.group,
            line.parent.code if line.parent_id else None,
            line.forecast,
            line.actual,
        )
        for line in BudgetLine.objects.filter(cycle=cycle).select_related("parent")
    ]
    data.interventions = [
        rules.InterventionData(i.id, i.order, i.label, i.forecast, i.actual)
        for i in EconomicIntervention.objects.filter(cycle=cycle)
    ]
    data.holdings = [
        rules.HoldingData(h.id, h.company, h.share_capital, h.nominal_value)
        for h in Holding.objects.filter(cycle=cycle)
    ]
    data.ratios = [
        rules.RatioData(r.id, r.group, r.label, r.unit, r.value, r.previous_value)
        for r in FinancialRatio.objects.filter(cycle=cycle)
    ]


def _staff_tables(cycle: Cycle, data: rules.YearData) -> None:
    """Staff categories, headcounts, part-time, FTE, absences, parental leave: 6 queries."""
    data.staff_categories = [
        rules.StaffCategoryData(c.id, c.name, c.establishment)
        for c in StaffCategory.objects.filter(cycle=cycle)
    ]
    data.headcounts = [
        rules.HeadcountData(h.year, h.category.name, h.gender, h.contract, h.count)
        for h in Headcount.objects.filter(cycle=cycle).select_related("category")
    ]
    data.part_time = {
        (p.year, p.gender): p.count for p in PartTimeCount.objects.filter(cycle=cycle)
    }
    data.fte = {w.year: Decimal(w.fte) for w in WorkforceSummary.objects.filter(cycle=cycle)}
    data.absences = {(a.year, a.cause): a.days for a in Absence.objects.filter(cycle=cycle)}
    data.parental_leave = {
        (p.year, p.leave_type, p.gender): p.days for p in ParentalLeave.objects.filter(cycle=cycle)
    }


def _declared_figures(cycle: Cycle, data: rules.YearData) -> None:
    """The figures the sources declared: 1 query."""
    data.declared = {
        (d.table, d.key): rules.DeclaredData(d.id, d.table, d.key, d.label, d.value, d.text)
        for d in DeclaredFigure.objects.filter(cycle=cycle)
    }


def year_data_build(*, cycle: Cycle, as_of: dt.date | None = None) -> rules.YearData:
    """The snapshot the rules read. ``YEAR_DATA_QUERIES`` queries, whatever the year's size."""
    return year_data_snapshot(cycle=cycle, as_of=as_of)[0]


def year_data_snapshot(
    *, cycle: Cycle, as_of: dt.date | None = None, previous: SnapshotMemo | None = None
) -> tuple[rules.YearData, SnapshotMemo]:
    """:func:`year_data_build`, which makes again only the indicators whose rows differ from
    those ``previous`` read (every row is read, in the same queries), and the memo for the
    next: a snapshot equal to one built afresh."""
    measurement = measurement_rules(cycle)
    data = rules.YearData(
        year=cycle.year,
        state=cycle.state,
        missed_deadline_pct=measurement.missed_deadline_pct,
        bands=measurement.bands,
        as_of=as_of or timezone.localdate(),
    )
    data.indicators, memo = _indicators(cycle, previous)
    data.strategic_objectives = [
        rules.StrategicObjectiveData(*values)
        for values in StrategicObjective.objects.filter(cycle=cycle)
        .order_by("order", "code_key", "code")
        .values_list("id", "code", "name", "narrative", "scorecard__id")
    ]
    data.operational_objectives = [
        rules.OperationalObjectiveData(*values)
        for values in OperationalObjective.objects.filter(cycle=cycle)
        .order_by("strategic_objective__order", "order", "id")
        .values_list("id", "name", "strategic_objective_id", "implicit")
    ]
    _finance_tables(cycle, data)
    _staff_tables(cycle, data)
    _declared_figures(cycle, data)
    data.context_tables = [
        rules.ContextTableData(t.id, t.key, t.title, t.columns, t.rows)
        for t in ContextTable.objects.filter(cycle=cycle)
    ]
    data.narratives = [
        rules.NarrativeData(n.id, n.key, n.title, n.body)
        for n in Narrative.objects.filter(cycle=cycle).only("id", "key", "title", "body")
    ]
    return data, memo


def justifications_by_key(*, cycle: Cycle) -> dict[str, FindingJustification]:
    """The justifications of a cycle by finding key (one query, with their authors)."""
    return {
        j.key: j
        for j in FindingJustification.objects.filter(cycle=cycle).select_related("created_by")
    }


# Queries of corrections_of_area: the area's tables and the declared figures.
CORRECTIONS_QUERIES = {"finance": 5, "staff": 7}


def corrections_of_area(*, cycle: Cycle, area: str) -> list[Correction]:
    """The declared totals and shares of the finance or staff tables that the app prints
    corrected (consistency.corrections), for their pages: only the tables they are computed
    from are read (``CORRECTIONS_QUERIES``), not the whole snapshot."""
    data = rules.YearData(year=cycle.year, state=cycle.state)
    {"finance": _finance_tables, "staff": _staff_tables}[area](cycle, data)
    _declared_figures(cycle, data)
    return [c for c in figure_corrections(data) if c.area == area]
