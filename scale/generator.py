"""A synthetic performance plan of any size, deterministic for a seed.

``plan_generate(units=N, indicators=M, years=Y, seed=S)`` builds a body with Y cycles, each with
perspectives, strategic objectives, operational objectives shared between units, indicators of
every kind and direction (plausible Italian names, targets and actuals, NV, thresholds), the
cruscotti of sections 2.2, 2.3, 2.4 and 3 with their rows, and small staff and budget tables.

Everything random comes from one ``random.Random(seed)`` drawn in a fixed order, so the same
seed gives the same data (ids aside); :func:`plan_fingerprint` hashes that content. Each year is
drawn into a :class:`~indicators.plan_spec.PlanSpec` and written by the plan builder
(:mod:`indicators.plan_builder`: ``bulk_create`` through the guarded managers, history records
included), as every other path that builds a plan; the units by its ``units_build``. All of it
inside the workflow's ``unlocked()`` block: the generator builds whole new years, published
ones included (and the years are refused up front if they exist).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from core.locking import unlocked
from core.models import Body, BodyKind, Cycle
from finance.models import BudgetLine
from indicators import domain
from indicators.models import Indicator, ScorecardRow
from indicators.plan_builder import plan_build, units_build
from indicators.plan_spec import (
    GroupSpec,
    IndicatorSpec,
    OperationalSpec,
    PerspectiveSpec,
    PlanSpec,
    RowSpec,
    ScorecardSpec,
    StrategicSpec,
    UnitSpec,
)
from objectives import sections
from objectives.models import OperationalObjective, OrgUnit, StrategicObjective
from staff.models import Headcount

from .resources import resources_generate
from .vocabulary import (
    COMMON_GROUPS,
    OO_OBJECTS,
    OO_VERBS,
    PERSPECTIVES,
    SO_VERBS,
    THEMES,
    UNIT_NAMES,
    indicator_values,
)

HISTORY_REASON = "Piano sintetico generato"
EXPLANATIONS = [
    "Scostamento dovuto alla riorganizzazione dell'ufficio nel corso dell'anno.",
    "Ritardo nell'avvio della procedura di gara, recuperato nell'anno successivo.",
    "Minore domanda da parte delle imprese rispetto alle previsioni.",
]


@dataclass(frozen=True)
class PlanSize:
    units: int
    indicators: int
    years: int

    @property
    def strategic(self) -> int:  # the 2023 demo: 12 for 169 indicators
        return max(4, round(self.indicators / 14))

    @property
    def operational(self) -> int:  # the 2023 demo: 60 for 169 indicators
        return max(self.strategic, round(self.indicators / 3))


@dataclass
class GeneratedPlan:
    body: Body
    cycles: list[Cycle]
    counts: dict[str, int]


# --- Units ----------------------------------------------------------------------------------


def _unit_specs(rng: random.Random, body: Body, count: int) -> list[UnitSpec]:
    """A hierarchy: Segreteria generale > aree > servizi > uffici (plus an azienda speciale)."""
    count = max(1, count)
    areas = max(1, count // 8) if count > 1 else 0
    rest = max(0, count - 1 - areas)
    agency = 1 if rest >= 4 else 0
    services = max(0, round((rest - agency) * 0.6))
    offices = rest - agency - services
    plan: list[tuple[str, str, int | None]] = [("secretariat", "Segreteria Generale", None)]
    for i in range(areas):
        plan.append(("area", f"Area {i + 1} – {rng.choice(THEMES).capitalize()}", 0))
    for i in range(services):
        parent = 1 + i % areas
        plan.append(("service", f"{UNIT_NAMES[i % len(UNIT_NAMES)]} {i + 1}", parent))
    first_service = 1 + areas
    for i in range(offices):
        parent = first_service + i % max(1, services) if services else 0
        plan.append(("office", f"Ufficio {rng.choice(OO_OBJECTS).split()[-1]} {i + 1}", parent))
    if agency:
        plan.append(("agency", f"Azienda speciale {body.short_name or body.name}"[:200], 0))
    return [
        UnitSpec(
            slug=f"u{order:05d}",
            name=name,
            kind=kind,
            parent=None if parent is None else f"u{parent:05d}",
            order=order % 32000,
        )
        for order, (kind, name, parent) in enumerate(plan)
    ]


# --- One year's plan, drawn ------------------------------------------------------------------


def _strategic(rng: random.Random, year: int, size: PlanSize) -> list[StrategicSpec]:
    strategic = []
    per_perspective: dict[int, int] = {}
    for i in range(size.strategic):
        p = i % len(PERSPECTIVES)
        per_perspective[p] = per_perspective.get(p, 0) + 1
        theme = rng.choice(THEMES)
        strategic.append(
            StrategicSpec(
                code=f"{p + 1}.{per_perspective[p]}",
                perspective=PERSPECTIVES[p],
                name=f"{rng.choice(SO_VERBS)} {theme} ({i + 1})",
                narrative=f"Nel {year} l'ente ha lavorato su {theme}.",
                order=i % 32000,
            )
        )
    return strategic


def _operational(
    rng: random.Random, plan: PlanSpec, size: PlanSize, units: list[UnitSpec]
) -> list[str]:
    """The operational objectives, assigned to leaf units; returns the theme of each."""
    themes, names = [], []
    for i in range(size.operational):
        so = plan.strategic[i % len(plan.strategic)]
        theme = rng.choice(THEMES)
        themes.append(theme)
        names.append(
            (so.code, f"{rng.choice(OO_VERBS)} {rng.choice(OO_OBJECTS)} – {theme} ({i + 1})")
        )
    # Leaf units answer for operational objectives; the areas and the secretariat supervise.
    leaves = [u for u in units if u.kind in ("service", "office", "agency")] or units
    for i, (code, name) in enumerate(names):
        # Shared between units: one in three objectives has two or three units.
        n = 1 if rng.random() < 0.66 else rng.choice([2, 3])
        chosen = rng.sample(leaves, min(n, len(leaves)))
        plan.operational.append(
            OperationalSpec(strategic=code, name=name, units=tuple(u.slug for u in chosen), order=i)
        )
    return themes


def _explanation(rng: random.Random, kind: str, direction: str, target: str, actual: str) -> str:
    realization = domain.realization(
        kind, direction, domain.parse_value(target), domain.parse_value(actual)
    )
    if domain.is_below_target(realization) and rng.random() < 0.9:
        return rng.choice(EXPLANATIONS)
    return ""


def _indicators(
    rng: random.Random, plan: PlanSpec, year: int, size: PlanSize, themes: list[str]
) -> list[int | None]:
    """The indicators, the first ones common objectives; returns each one's operational
    objective (its index), None for a common one."""
    common_count = max(len(COMMON_GROUPS), round(size.indicators * 0.08))
    parents: list[int | None] = []
    for i in range(size.indicators):
        group: str | None = None
        op_index: int | None = None
        if i < common_count:
            group = COMMON_GROUPS[i % len(COMMON_GROUPS)]
            theme = group.lower()
        else:
            op_index = (i - common_count) % len(plan.operational)
            theme = themes[op_index]
        name, algorithm, kind, direction, target, actual, uom = indicator_values(rng, year, theme)
        explanation = _explanation(rng, kind, direction, target, actual)
        plan.indicators.append(
            IndicatorSpec(
                operational=None if op_index is None else plan.operational[op_index].key,
                common_group=group,
                name=name,
                algorithm=algorithm,
                kind=kind,
                direction=direction,
                target=target,
                actual=actual,
                weight=Decimal(rng.choice(["1", "1", "1", "2", "0.5"])),
                unit_of_measure=uom,
                data_source=rng.choice(["Gestionale interno", "Registro Imprese", "Contabilità"]),
                explanation=explanation,
                order=i + 1,
            )
        )
        parents.append(op_index)
    return parents


def _scorecards(plan: PlanSpec, units: list[UnitSpec]) -> list[ScorecardSpec]:
    """2.2 one per strategic objective, 2.3 one per group, 2.4 one per leaf unit with
    objectives, 3 the Segretario Generale and one Dirigente per area (rows still empty)."""
    cards = [
        ScorecardSpec(
            section=sections.STRATEGIC,
            title=f"{so.code} {so.name}"[:200],
            slug=f"obiettivo-{so.code.replace('.', '-')}",
            strategic=so.code,
            order=i % 32000,
        )
        for i, so in enumerate(plan.strategic)
    ]
    cards += [
        ScorecardSpec(section=sections.COMMON, title=group.name, slug=f"comuni-{i + 1}", order=i)
        for i, group in enumerate(plan.common_groups)
    ]
    used = plan.unit_slugs()
    cards += [
        ScorecardSpec(
            section=sections.UNIT,
            title=unit.name.upper()[:200],
            slug=unit.slug,
            unit=unit.slug,
            order=i % 32000,
        )
        for i, unit in enumerate(u for u in units if u.slug in used)
    ]
    heads = [units[0]] + [u for u in units if u.kind == "area"]
    for i, unit in enumerate(heads):
        holder = "Segretario Generale" if i == 0 else f"Dirigente {unit.name}"[:120]
        cards.append(
            ScorecardSpec(
                section=sections.INDIVIDUAL,
                title=holder.upper()[:200],
                slug="segretario-generale" if i == 0 else f"dirigente-{unit.slug}",
                holder=holder,
                unit=unit.slug,
                order=i,
            )
        )
    return cards


def _rows(
    rng: random.Random, plan: PlanSpec, cards: list[ScorecardSpec], parents: list[int | None]
) -> list[ScorecardSpec]:
    """Each indicator in its group's or units' cruscotti, in half of the cases its strategic
    objective's, sometimes a manager's."""
    rows: dict[str, list[RowSpec]] = {card.slug: [] for card in cards}

    def add(slug: str, index: int) -> None:
        rows[slug].append(RowSpec(indicator=index, order=len(rows[slug]) + 1))

    by_group = {card.title: card.slug for card in cards if card.section == sections.COMMON}
    by_so = {card.strategic: card.slug for card in cards if card.section == sections.STRATEGIC}
    individual = [card.slug for card in cards if card.section == sections.INDIVIDUAL]
    for index, (ind, op_index) in enumerate(zip(plan.indicators, parents, strict=True)):
        if op_index is None:
            add(by_group[str(ind.common_group)], index)
            continue
        op = plan.operational[op_index]
        if rng.random() < 0.5:
            add(by_so[op.strategic], index)
        for slug in op.units:  # the unit's cruscotto has the unit's code
            add(slug, index)
        if rng.random() < 0.08:
            add(individual[0] if rng.random() < 0.5 else rng.choice(individual), index)
    return [replace(card, rows=tuple(rows[card.slug])) for card in cards]


def _plan(rng: random.Random, year: int, size: PlanSize, units: list[UnitSpec]) -> PlanSpec:
    plan = PlanSpec(
        perspectives=[
            PerspectiveSpec(name=name, order=i + 1) for i, name in enumerate(PERSPECTIVES)
        ],
        common_groups=[GroupSpec(name=name, order=i) for i, name in enumerate(COMMON_GROUPS)],
    )
    plan.strategic = _strategic(rng, year, size)
    themes = _operational(rng, plan, size, units)
    parents = _indicators(rng, plan, year, size, themes)
    plan.scorecards = _rows(rng, plan, _scorecards(plan, units), parents)
    return plan


def _cycle(
    rng: random.Random,
    body: Body,
    year: int,
    state: str,
    size: PlanSize,
    units: list[UnitSpec],
) -> dict[str, int]:
    cycle = Cycle.objects.create(
        body=body,
        year=year,
        state=state,
        plan_reference=(
            f"PIAO {year}-{year + 2} approvato con delibera n. {rng.randrange(1, 40)}/{year}"
        ),
    )
    plan = _plan(rng, year, size, units)
    built = plan_build(cycle=cycle, plan=plan, history_reason=HISTORY_REASON, fast_history=True)
    resources_generate(rng, cycle, year)
    return {
        "strategic": len(built.strategic),
        "operational": len(built.operational),
        "indicators": len(built.indicators),
        "rows": built.rows,
        "scorecards": len(built.scorecards),
    }


# --- Entry points ---------------------------------------------------------------------------


def plan_generate(
    *,
    units: int,
    indicators: int,
    years: int,
    seed: int,
    body_slug: str | None = None,
    first_year: int = 2030,
    open_last: bool = True,
) -> GeneratedPlan:
    """Build the plan in one transaction. Refuses (Italian :class:`ValidationError`) years the
    body already has (other bodies may have the same years: each has its own addresses)."""
    if units < 1 or indicators < 1 or not 1 <= years <= 50:
        raise ValidationError("Servono almeno 1 unità, 1 indicatore e da 1 a 50 anni.")
    size = PlanSize(units=units, indicators=indicators, years=years)
    year_list = [first_year + i for i in range(years)]
    slug = body_slug or f"ente-sintetico-{seed}"
    taken = sorted(
        Cycle.objects.filter(body__slug=slug, year__in=year_list).values_list("year", flat=True)
    )
    if taken:
        raise ValidationError(
            f"Gli anni {', '.join(map(str, taken))} esistono già: scegliere un altro primo anno."
        )
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible by design
    counts = {"units": 0, "cycles": 0, "indicators": 0, "rows": 0}
    with transaction.atomic(), unlocked():
        body = Body.objects.filter(slug=slug).first()
        if body is None:
            body = Body.objects.create(
                slug=slug,
                name=f"Camera di commercio sintetica {slug}"[:200],
                short_name=f"CCIAA sintetica {seed}"[:80],
                kind=BodyKind.CHAMBER,  # its units are a Camera's (the agency)
            )
        if OrgUnit.objects.filter(body=body).exists():
            raise ValidationError(
                f"L'ente «{slug}» ha già unità organizzative: usare un ente nuovo."
            )
        unit_list = _unit_specs(rng, body, units)
        units_build(body=body, units=unit_list)
        counts["units"] = len(unit_list)
        cycles = []
        for i, year in enumerate(year_list):
            last = i == len(year_list) - 1
            state = Cycle.State.MONITORING if (last and open_last) else Cycle.State.PUBLISHED
            made = _cycle(rng, body, year, state, size, unit_list)
            counts["cycles"] += 1
            counts["indicators"] += made["indicators"]
            counts["rows"] += made["rows"]
            cycles.append(Cycle.objects.get(body=body, year=year))
    return GeneratedPlan(body=body, cycles=cycles, counts=counts)


def plan_fingerprint(body: Body) -> str:
    """SHA-256 of the generated content of a body, without ids, slugs of the body or dates of
    the history: equal for two plans generated with the same seed and sizes."""
    data = {
        "units": list(
            OrgUnit.objects.filter(body=body)
            .order_by("order")
            .values_list("kind", "name", "slug", "parent__slug")
        ),
        "cycles": [],
    }
    for cycle in Cycle.objects.filter(body=body).order_by("year"):
        data["cycles"].append(
            {
                "year": cycle.year,
                "state": cycle.state,
                "strategic": list(
                    StrategicObjective.objects.filter(cycle=cycle)
                    .order_by("order")
                    .values_list("code", "name", "perspective__name")
                ),
                "operational": list(
                    OperationalObjective.objects.filter(cycle=cycle)
                    .order_by("order")
                    .values_list("name", "strategic_objective__code")
                ),
                "units": sorted(
                    OperationalObjective.units.through.objects.filter(
                        operationalobjective__cycle=cycle
                    ).values_list("operationalobjective__order", "orgunit__slug")
                ),
                "indicators": [
                    [str(v) for v in row]
                    for row in Indicator.objects.filter(cycle=cycle)
                    .order_by("order")
                    .values_list(
                        "order",
                        "name",
                        "kind",
                        "direction",
                        "target",
                        "actual",
                        "weight",
                        "explanation",
                        "operational_objective__order",
                        "common_group__name",
                    )
                ],
                "rows": sorted(
                    ScorecardRow.objects.filter(scorecard__cycle=cycle).values_list(
                        "scorecard__slug", "indicator__order", "order"
                    )
                ),
                "headcounts": sorted(
                    Headcount.objects.filter(cycle=cycle).values_list(
                        "year", "category__name", "gender", "contract", "count"
                    )
                ),
                "budget": [
                    [str(v) for v in row]
                    for row in BudgetLine.objects.filter(cycle=cycle)
                    .order_by("order")
                    .values_list("code", "forecast", "actual")
                ],
            }
        )
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
