"""Lookups of the plan's own rows, for the pages of the apps above (indicators, dashboards)."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from core.models import Cycle
from core.prepared import Prepared

from .models import CycleUnit, Scorecard


def scorecard_list(cycle: Cycle | int) -> QuerySet[Scorecard]:
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


# Every cruscotto's page asks it: its SQL compiled once per process (core.prepared).
_SCORECARD = Prepared(
    lambda cycle_id, slug: scorecard_list(cycle_id).filter(slug=slug).order_by()[:1], int, str
)


def scorecard_get(cycle: Cycle, slug: str) -> Scorecard:
    """With ``unit_name`` (:func:`scorecard_list`); one per year and slug (a unique pair)."""
    found = _SCORECARD.objects(cycle.pk, slug)
    if not found:
        raise Http404("Cruscotto inesistente.")
    return found[0]
