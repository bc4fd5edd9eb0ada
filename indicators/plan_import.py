"""The plan of a new year from the plan workbook: the validated sheets
(:func:`plan_workbook.plan_validate`) turned into the plan builder's spec (:func:`plan_spec`,
pure) and built by :mod:`indicators.plan_builder` in one transaction, after the permission
check of :mod:`accounts.permissions`."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import permissions as perms
from core.models import Body, Cycle
from core.scoring_method import ScaleLevel, parse_scoring_method
from core.selectors import measurement_rules
from objectives import sections
from objectives.models import OrgUnit

from .plan_builder import plan_build
from .plan_spec import (
    IndicatorSpec,
    OperationalSpec,
    PerspectiveSpec,
    PlanSpec,
    RowSpec,
    ScorecardSpec,
    StrategicSpec,
)
from .plan_workbook import PlanData, PlanReference, plan_validate, strategic_card_slug

if TYPE_CHECKING:
    from lib.xlsx import Sheet

# The name of the one perspective of a plan without a first level (never printed as a level).
IMPLICIT_PERSPECTIVE = "Piano"


def plan_import_apply(*, user: User, body: Body, year: int, sheets: dict[str, Sheet]) -> Cycle:
    """Create the cycle of a new year with its whole plan from the sheets of the plan workbook
    (:func:`plan_workbook.plan_read`), all or nothing: every error of the file is listed before
    anything is written. The cruscotti follow: one per strategic objective (2.2), one per unit
    (2.4) (:func:`plan_spec`, built by :mod:`indicators.plan_builder`)."""
    perms.ensure(
        perms.can_import_plan(user, body), "Solo l'ufficio pianificazione importa un piano."
    )
    units = dict(OrgUnit.objects.filter(body=body).values_list("slug", "name"))
    empty = empty_year(body, year)
    reference = PlanReference(
        scale=measurement_rules(empty).method.scale if empty else _body_scale(body),
        units=units,
        year=year,
        year_exists=empty is None and Cycle.objects.filter(body=body, year=year).exists(),
    )
    plan = plan_validate(sheets, reference=reference)
    if plan.errors:
        raise ValidationError(plan.errors)
    with transaction.atomic():
        cycle = empty or Cycle.objects.create(body=body, year=year, state=Cycle.State.PLANNING)
        # Every row cleaned before it is written: a constraint the validation missed is a
        # message, not a 500.
        plan_build(cycle=cycle, plan=plan_spec(plan, units), user=user, validate=True)
    return cycle


def plan_spec(plan: PlanData, units: Mapping[str, str]) -> PlanSpec:
    """The validated plan as the builder takes it (``units``: the body's unit names by code).
    The cruscotti follow from it: one per strategic objective (2.2), one per unit assigned an
    objective with indicators (2.4), each row in the order of the sheet «Indicatori», with
    the weights of the sheets (a «Peso nel cruscotto» weighs the row of the unit's cruscotto).
    Pure."""

    def weight(key: tuple[str, ...]) -> Decimal:
        return plan.weights.get(key, Decimal(1))

    perspectives = [
        PerspectiveSpec(name=name, order=order, weight=weight(("p", name)))
        for order, name in plan.perspectives
    ]
    if not perspectives and plan.strategic:  # a plan without a first level
        perspectives = [PerspectiveSpec(name=IMPLICIT_PERSPECTIVE, order=1, implicit=True)]
    titles = {code: name for code, _p, name in plan.strategic}
    # A row with no operational objective's name: the strategic objective's direct indicators.
    direct = {code for code, name, _u in plan.operational if not name.strip()}
    operational = [(code, name.strip(), slugs) for code, name, slugs in plan.operational]
    operational += [
        (code, "", [])
        for code in dict.fromkeys(
            str(item["strategic"]) for item in plan.indicators if not str(item["operational"])
        )
        if code not in direct
    ]
    spec = PlanSpec(
        perspectives=perspectives,
        strategic=[
            StrategicSpec(
                code=code,
                perspective=persp if plan.perspectives else IMPLICIT_PERSPECTIVE,
                name=name,
                order=order,
                weight=weight(("s", code)),
            )
            for order, (code, persp, name) in enumerate(plan.strategic)
        ],
        operational=[
            OperationalSpec(
                strategic=code,
                name=name or titles[code],  # the implicit one is named after its objective
                units=tuple(slugs),
                order=order,
                weight=weight(("o", code, name)),
                implicit=not name,
            )
            for order, (code, name, slugs) in enumerate(operational)
        ],
    )
    assigned = {op.key: op.units for op in spec.operational}
    strategic_rows: dict[str, list[RowSpec]] = {code: [] for code, _p, _n in plan.strategic}
    unit_rows: dict[str, list[RowSpec]] = {}
    for order, item in enumerate(plan.indicators):
        code = str(item["strategic"])
        key = (code, str(item["operational"]).strip() or titles[code])
        spec.indicators.append(
            IndicatorSpec(
                operational=key,
                name=item["name"],
                algorithm=item["algorithm"],
                kind=item["kind"],
                direction=item["direction"],
                target=item["target"],
                weight=item["weight"],
                unit_of_measure=item["unit_of_measure"],
                data_source=item["data_source"],
                threshold_rule=item.get("threshold_rule", ""),
                common_code=item.get("common_code", ""),
                target_n1=item.get("target_n1", ""),
                target_n2=item.get("target_n2", ""),
                baseline=item.get("baseline", ""),
                baseline_year=item.get("baseline_year"),
                actual=item.get("actual", ""),
                order=order,
                source=f"Indicatori, riga {item['row']}",
            )
        )
        declared = item.get("declared_realization", "")
        row = RowSpec(indicator=order, order=order, declared_realization=declared)
        strategic_rows[key[0]].append(row)
        unit_row = RowSpec(
            indicator=order,
            order=order,
            weight=item.get("row_weight"),
            declared_realization=declared,
        )
        for slug in assigned[key]:
            unit_rows.setdefault(slug, []).append(unit_row)
    spec.scorecards = [
        ScorecardSpec(
            section=sections.STRATEGIC,
            title=f"{so.code} {so.name}"[:200],
            slug=strategic_card_slug(so.code),
            strategic=so.code,
            order=200 + order,
            rows=tuple(strategic_rows[so.code]),
        )
        for order, so in enumerate(spec.strategic)
    ]
    spec.scorecards += [
        ScorecardSpec(
            section=sections.UNIT,
            title=units[slug].upper()[:200],
            slug=slug,
            unit=slug,
            order=100 + len(spec.strategic) + order,
            rows=tuple(rows),
        )
        for order, (slug, rows) in enumerate(unit_rows.items())
    ]
    return spec


def _body_scale(body: Body) -> tuple[ScaleLevel, ...]:
    """The qualitative scale a new year will copy from the body."""
    return parse_scoring_method(body.scoring_method).scale


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
