"""Reads for the resources pages: the conto economico with computed differences and totals."""

from __future__ import annotations

from dataclasses import dataclass

from core import structure
from core.models import Cycle

from . import domain
from .models import BudgetLine, EconomicIntervention, FinancialRatio, Holding


@dataclass
class BudgetView:
    groups: list[tuple[str, list[domain.Line]]]
    totals: dict[str, domain.Total]
    interventions: list[EconomicIntervention]
    interventions_total: domain.Total
    ratios: list[tuple[str, list[FinancialRatio]]]
    holdings: list[Holding]


def budget_view(cycle: Cycle) -> BudgetView:
    """Queries: budget lines, interventions, ratios, holdings."""
    lines = [
        domain.Line(
            code=b.code,
            label=b.label,
            group=b.group,
            forecast=b.forecast,
            actual=b.actual,
            parent=b.parent.code if b.parent_id else None,
        )
        for b in BudgetLine.objects.filter(cycle=cycle).select_related("parent").order_by("order")
    ]
    top = domain.build_tree(lines)
    wording = structure.wording_of(cycle.body.kind)  # the Camere's layout or a generic one
    labels = wording.budget_groups
    groups = [(labels[g], [line for line in top if line.group == g]) for g in "ABCDE"]
    interventions = list(EconomicIntervention.objects.filter(cycle=cycle).order_by("order"))
    interventions_total = domain.Total(
        "interventi",
        "TOTALE",
        sum((i.forecast for i in interventions), domain.ZERO),
        sum((i.actual for i in interventions), domain.ZERO),
    )
    ratio_groups: dict[str, list[FinancialRatio]] = {}
    for ratio in FinancialRatio.objects.filter(cycle=cycle).order_by("order"):
        ratio_groups.setdefault(ratio.group, []).append(ratio)
    return BudgetView(
        groups=groups,
        totals=domain.conto_economico_totals(top, wording.budget_totals),
        interventions=interventions,
        interventions_total=interventions_total,
        ratios=list(ratio_groups.items()),
        holdings=list(Holding.objects.filter(cycle=cycle).order_by("order")),
    )
