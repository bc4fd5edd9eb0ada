"""Reads of indicators, with the joins every page and export needs in one query."""

from django.db.models import QuerySet

from relazione.models import Cycle

from .models import Indicator, ScorecardRow


def scorecard_rows(*, cycle: Cycle) -> QuerySet[ScorecardRow]:
    """Every printed row of the Relazione, in the document's order (section, cruscotto, row)."""
    return (
        ScorecardRow.objects.filter(scorecard__cycle=cycle)
        .select_related(
            "scorecard",
            "scorecard__strategic_objective",
            "scorecard__unit",
            "indicator",
            "indicator__common_group",
            "indicator__operational_objective",
            "indicator__operational_objective__strategic_objective",
            "indicator__operational_objective__strategic_objective__perspective",
        )
        .order_by("scorecard__order", "order")
    )


def indicator_list(*, cycle: Cycle) -> QuerySet[Indicator]:
    return Indicator.objects.filter(cycle=cycle).select_related(
        "common_group",
        "operational_objective",
        "operational_objective__strategic_objective",
        "operational_objective__strategic_objective__perspective",
    )
