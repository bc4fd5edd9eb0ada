"""Reads of indicators, with the joins every page and export needs in one query."""

from itertools import pairwise

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts import permissions as perms
from core.models import Cycle
from lib.authorship import user_label
from objectives.models import OperationalObjective, Scorecard

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


def plan_unit_codes(*, body) -> list[tuple[str, str]]:
    """(code, name) of the body's units a plan can assign, for the template's sheet «Unità».
    One query."""
    from objectives.models import OrgUnit

    return list(
        OrgUnit.objects.filter(body=body).order_by("order", "name").values_list("slug", "name")
    )


def scorecards_editable(user, cycle: Cycle) -> list[Scorecard]:
    """The cruscotti of the data entry page: a manager's own units', every one for the others
    (the OIV reads them all)."""
    qs = Scorecard.objects.filter(cycle=cycle).select_related("unit").order_by("order")
    units = perms.editable_unit_ids(user, cycle)
    if units is None or perms.is_oiv(user, cycle):
        return list(qs)
    return list(qs.filter(unit_id__in=units))


def scorecard_indicators(scorecard: Scorecard) -> list[Indicator]:
    """The indicators of a cruscotto in its order, each once (a row may repeat one), with what
    the permissions and the figures read."""
    rows = (
        ScorecardRow.objects.filter(scorecard=scorecard)
        .select_related("indicator__operational_objective", "indicator__cycle__body")
        .prefetch_related(
            Prefetch("indicator__operational_objective__units"),
        )
        .order_by("order")
    )
    seen, indicators = set(), []
    for row in rows:
        if row.indicator_id not in seen:
            seen.add(row.indicator_id)
            indicators.append(row.indicator)
    return indicators


def operational_objectives(cycle: Cycle) -> QuerySet[OperationalObjective]:
    return (
        OperationalObjective.objects.filter(cycle=cycle)
        .select_related("strategic_objective")
        .prefetch_related("units")
    )


def indicator_for_entry(cycle: Cycle, pk: int) -> Indicator:
    """An indicator of the year (404 otherwise), with what its edit permission reads."""
    return get_object_or_404(
        Indicator.objects.select_related("cycle__body", "operational_objective").prefetch_related(
            "operational_objective__units"
        ),
        cycle=cycle,
        pk=pk,
    )
