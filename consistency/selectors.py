"""Reads for the consistency checks: the :class:`~consistency.rules.YearData` snapshot of a
cycle in a fixed number of queries (one per table, whatever the size of the year), and the
justifications already given."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Subquery
from django.utils import timezone

from core.models import Cycle, Transition
from core.selectors import measurement_rules
from finance.models import BudgetLine, EconomicIntervention, FinancialRatio, Holding
from indicators import domain
from indicators.models import Indicator, ScorecardRow, TargetRevision
from narratives.models import Narrative
from objectives.models import OperationalObjective, StrategicObjective
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

# Queries made by year_data_build (the cycle's body must come with the cycle: select_related).
YEAR_DATA_QUERIES = 19  # 17 tables + 2 for unrecorded target changes


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
    "weight",
    "explanation",
    "operational_objective_id",
    "common_group_id",
    "order",
    "realization",
    "status",
    "threshold_rule",
)


def _indicators(cycle: Cycle) -> list[rules.IndicatorData]:
    measurement = measurement_rules(cycle)
    """Two queries (the indicators, their rows), read as plain values: on a plan of tens of
    thousands of indicators, building the model instances cost more than the rules."""
    placements: dict[int, list[rules.Placement]] = defaultdict(list)
    first: dict[int, tuple[int, int]] = {}
    for row_id, indicator_id, card_id, title, section, declared, card_order, order in (
        ScorecardRow.objects.filter(indicator__cycle=cycle)
        .order_by("scorecard__order", "order")
        .values_list(
            "id",
            "indicator_id",
            "scorecard_id",
            "scorecard__title",
            "scorecard__section",
            "declared_realization",
            "scorecard__order",
            "order",
        )
    ):
        placements[indicator_id].append(
            rules.Placement(
                row_id=row_id,
                scorecard_id=card_id,
                scorecard_title=title,
                section=section,
                declared_realization=declared,
            )
        )
        first[indicator_id] = min(first.get(indicator_id, (card_order, order)), (card_order, order))
    indicators = list(Indicator.objects.filter(cycle=cycle).values(*_INDICATOR_FIELDS))
    unrecorded = _unrecorded_target_changes(cycle, {ind["id"]: ind["target"] for ind in indicators})
    result = []
    for ind in indicators:
        result.append(
            (
                (*first.get(ind["id"], (10**6, 0)), ind["order"], ind["id"]),
                rules.IndicatorData(
                    id=ind["id"],
                    name=ind["name"],
                    kind=ind["kind"],
                    direction=ind["direction"],
                    target=ind["target"],
                    actual=ind["actual"],
                    weight=ind["weight"],
                    explanation=ind["explanation"],
                    operational_objective_id=ind["operational_objective_id"],
                    common_group_id=ind["common_group_id"],
                    rows=tuple(placements.get(ind["id"], ())),
                    target_revised_without_record=ind["id"] in unrecorded,
                    stored_figures=(ind["realization"], ind["status"]),
                    proportional=domain.is_proportional(measurement, ind["threshold_rule"]),
                    scale=measurement.method.scale,
                ),
            )
        )
    result.sort(key=lambda pair: pair[0])  # the document's order: first printed row
    return [ind for _order, ind in result]


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
    measurement = measurement_rules(cycle)
    data = rules.YearData(
        year=cycle.year,
        state=cycle.state,
        missed_deadline_pct=measurement.missed_deadline_pct,
        bands=measurement.bands,
        as_of=as_of or timezone.localdate(),
    )
    data.indicators = _indicators(cycle)
    data.strategic_objectives = [
        rules.StrategicObjectiveData(
            so.id,
            so.code,
            so.name,
            so.narrative,
            so.scorecard.id if hasattr(so, "scorecard") else None,
        )
        for so in StrategicObjective.objects.filter(cycle=cycle)
        .select_related("scorecard")
        .order_by("order", "code_key", "code")
    ]
    data.operational_objectives = [
        rules.OperationalObjectiveData(op.id, op.name, op.strategic_objective_id)
        for op in OperationalObjective.objects.filter(cycle=cycle).order_by(
            "strategic_objective__order", "order", "id"
        )
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
    return data


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
