"""Lookups of the plan's own rows, for the pages of the apps above (indicators, dashboards)."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from core.models import Cycle

from .models import CycleUnit, Scorecard


def scorecard_list(cycle: Cycle) -> QuerySet[Scorecard]:
    """With ``unit_name``: the unit's name as this year shows it (objectives.CycleUnit)."""
    return (
        Scorecard.objects.filter(cycle=cycle)
        .select_related("unit", "strategic_objective")
        .annotate(
            unit_name=Subquery(
                CycleUnit.objects.filter(cycle=cycle, unit=OuterRef("unit_id")).values("name")[:1]
            )
        )
    )


def scorecard_get(cycle: Cycle, slug: str) -> Scorecard:
    try:
        return scorecard_list(cycle).get(slug=slug)
    except Scorecard.DoesNotExist as exc:
        raise Http404("Cruscotto inesistente.") from exc
