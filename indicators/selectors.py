"""Reads of indicators, with the joins every page and export needs in one query."""

from itertools import pairwise

from django.db.models import QuerySet

from core.models import Cycle
from lib.authorship import user_label

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


def indicator_history(indicator: Indicator, limit: int = 50) -> list[dict]:
    """The changes of an indicator, newest first: who, when, each field's old and new value.

    Queries: the history records with their users (one), nothing per record.
    """
    records = list(
        indicator.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    labels = {f.name: f.verbose_name for f in Indicator._meta.fields}
    entries = []
    for newer, older in pairwise(records):
        delta = newer.diff_against(older, excluded_fields=["version"])
        changes = [
            {"label": labels.get(c.field, c.field), "old": c.old, "new": c.new}
            for c in delta.changes
        ]
        if changes:
            entries.append(
                {
                    "date": newer.history_date,
                    "user": user_label(newer.history_user),
                    "changes": changes,
                }
            )
    return entries[:limit]


def plan_unit_codes() -> list[tuple[str, str]]:
    """(code, name) of every unit a plan can assign, for the template's sheet «Unità» (the body
    named when the installation serves several). One query."""
    from objectives.models import OrgUnit

    rows = list(
        OrgUnit.objects.order_by("body__name", "order", "name").values_list(
            "slug", "name", "body__name", "body_id"
        )
    )
    several = len({row[3] for row in rows}) > 1
    return [(slug, f"{name} ({body})" if several else name) for slug, name, body, _ in rows]
