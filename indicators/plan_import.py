"""The plan of a new year from the plan workbook: the cycle, its objectives, indicators and
cruscotti created in one transaction through the services of :mod:`indicators.services`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import permissions as perms
from core.models import Body, Cycle
from objectives.models import OrgUnit

from .services import indicator_create, operational_objective_create, strategic_objective_create

if TYPE_CHECKING:
    from lib.xlsx import Sheet


def plan_import_apply(*, user: User, body: Body, year: int, sheets: dict[str, Sheet]) -> Cycle:
    """Create the cycle of a new year with its whole plan from the sheets of the plan workbook
    (:func:`plan_workbook.plan_read`), all or nothing: every error of the file is listed before
    anything is written. The cruscotti follow: one per strategic objective (2.2), one per unit
    (2.4)."""
    from objectives.models import Perspective, Scorecard

    from .models import ScorecardRow
    from .plan_workbook import PlanReference, plan_validate, strategic_card_slug

    perms.ensure(perms.can_import_plan(user), "Solo l'ufficio pianificazione importa un piano.")
    units = {u.slug: u for u in OrgUnit.objects.filter(body=body)}
    empty = empty_year(body, year)
    reference = PlanReference(
        units={slug: unit.name for slug, unit in units.items()},
        year=year,
        year_exists=empty is None and Cycle.objects.filter(body=body, year=year).exists(),
    )
    plan = plan_validate(sheets, reference=reference)
    if plan.errors:
        raise ValidationError(plan.errors)
    with transaction.atomic():
        cycle = empty or Cycle.objects.create(body=body, year=year, state=Cycle.State.PLANNING)
        perspectives = {}
        for order, name in plan.perspectives:
            perspective = Perspective(cycle=cycle, order=order, name=name)
            perspective.full_clean()  # already checked: a constraint the validation missed
            perspective.save()
            perspectives[name] = perspective
        strategic = {}
        for order, (code, persp, name) in enumerate(plan.strategic):
            strategic[code] = strategic_objective_create(
                user=user,
                cycle=cycle,
                perspective=perspectives[persp],
                code=code,
                name=name,
                order=order,
            )
        operational = {}
        for order, (code, name, slugs) in enumerate(plan.operational):
            operational[(code, name)] = operational_objective_create(
                user=user,
                cycle=cycle,
                strategic_objective=strategic[code],
                name=name,
                units=[units[s] for s in slugs],
                order=order,
            )
        cards: dict[tuple[str, str | int], Scorecard] = {}  # by strategic code or unit id
        for order, so in enumerate(strategic.values()):
            cards[("so", so.code)] = Scorecard.objects.create(
                cycle=cycle,
                section=Scorecard.Section.STRATEGIC,
                title=f"{so.code} {so.name}"[:200],
                slug=strategic_card_slug(so.code),
                strategic_objective=so,
                order=200 + order,
            )
        for order, item in enumerate(plan.indicators):
            op = operational[(item["strategic"], item["operational"])]
            try:
                indicator = indicator_create(
                    user=user,
                    cycle=cycle,
                    operational_objective=op,
                    name=item["name"],
                    algorithm=item["algorithm"],
                    kind=item["kind"],
                    direction=item["direction"],
                    target=item["target"],
                    weight=item["weight"],
                    unit_of_measure=item["unit_of_measure"],
                    data_source=item["data_source"],
                    order=order,
                )
            except ValidationError as exc:
                raise ValidationError(
                    f"Indicatori, riga {item['row']}: {' '.join(exc.messages)}"
                ) from exc
            ScorecardRow.objects.create(
                scorecard=cards[("so", item["strategic"])], indicator=indicator, order=order
            )
            for unit in op.units.all():
                card = cards.get(("unit", unit.id))
                if card is None:
                    card = cards[("unit", unit.id)] = Scorecard.objects.create(
                        cycle=cycle,
                        section=Scorecard.Section.UNIT,
                        title=unit.name.upper()[:200],
                        slug=unit.slug,
                        unit=unit,
                        order=100 + len(cards),
                    )
                ScorecardRow.objects.create(scorecard=card, indicator=indicator, order=order)
    return cycle


def empty_year(body: Body, year: int) -> Cycle | None:
    """The year if it exists in planning with no plan at all (the setup of a body opens its
    first year so, :mod:`workflow.onboarding`): the plan is imported into it rather than
    refused as an existing year."""
    return (
        Cycle.objects.filter(body=body, year=year, state=Cycle.State.PLANNING)
        .exclude(perspectives__isnull=False)
        .exclude(strategic_objectives__isnull=False)
        .exclude(scorecards__isnull=False)
        .exclude(indicators__isnull=False)
        .first()
    )
