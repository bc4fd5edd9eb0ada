"""The plan of a year as plain data: what :func:`indicators.plan_builder.plan_build` creates.

Every path that builds a year's plan (the copy of a plan to the next year, the plan workbook,
the demo loader, the synthetic generator) turns its source into a :class:`PlanSpec` and hands
it to the one builder. The spec names rows by their natural keys, the ones the database
constraints make unique in a year: a perspective by its name, a strategic objective by its
code, an operational objective by (strategic code, name), a group of common objectives by its
name, a unit by its code (slug) in the body, a cruscotto by its slug. An indicator has no
natural key (the document prints two indicators with one name and different figures): a row
of a cruscotto names it by its position in :attr:`PlanSpec.indicators`.

Pure: no database, no Django model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import domain


@dataclass(frozen=True)
class UnitSpec:
    """An organizational unit of the body (not of a year): created or updated by its code."""

    slug: str
    name: str
    kind: str
    parent: str | None = None  # the parent's slug, listed before it
    order: int = 0


@dataclass(frozen=True)
class PerspectiveSpec:
    name: str
    order: int
    weight: Decimal = Decimal(1)  # in the year's overall score
    # A plan without a first level: the year's one perspective, never printed as a level.
    implicit: bool = False


@dataclass(frozen=True)
class StrategicSpec:
    code: str
    perspective: str  # the perspective's name
    name: str
    narrative: str = ""
    order: int = 0
    weight: Decimal = Decimal(1)  # in its perspective


@dataclass(frozen=True)
class OperationalSpec:
    strategic: str  # the strategic objective's code
    name: str
    units: tuple[str, ...] = ()  # the codes (slugs) of the units it is assigned to
    order: int = 0
    weight: Decimal = Decimal(1)  # in its strategic objective
    # The indicators placed directly on the strategic objective: its one operational objective.
    implicit: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.strategic, self.name)


@dataclass(frozen=True)
class GroupSpec:
    """A group of the common objectives (section 2.3)."""

    name: str
    order: int = 0


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator under an operational objective ((strategic code, name)) or a group of
    common objectives (its name): exactly one of the two."""

    name: str
    kind: str
    direction: str = domain.Direction.HIGHER
    target: str = ""
    actual: str = ""
    weight: Decimal = Decimal(1)
    algorithm: str = ""
    unit_of_measure: str = ""
    data_source: str = ""
    notes: str = ""
    explanation: str = ""
    threshold_rule: str = ""  # "": the year's method's
    common_code: str = ""  # the shared indicator's code (public.benchmark); "": none
    # The triennial plan (indicators.horizon): targets of the two years after, the baseline.
    target_n1: str = ""
    target_n2: str = ""
    baseline: str = ""
    baseline_year: int | None = None
    order: int = 0
    operational: tuple[str, str] | None = None
    common_group: str | None = None
    # Where the indicator comes from, for a message (the workbook: "Indicatori, riga 4").
    source: str = field(default="", compare=False)


@dataclass(frozen=True)
class RowSpec:
    """An indicator as printed in a cruscotto: ``indicator`` is its index in the plan's list."""

    indicator: int
    order: int = 0
    declared_realization: str = ""
    source_note: str = ""
    weight: Decimal | None = None  # None: the indicator's


@dataclass(frozen=True)
class ScorecardSpec:
    """A cruscotto: 2.2 names its strategic objective (code), 2.4 its unit (slug), 3 its
    holder (and the holder's unit), 2.3 only its title."""

    section: str
    title: str
    slug: str
    order: int = 0
    strategic: str | None = None
    unit: str | None = None
    holder: str = ""
    rows: tuple[RowSpec, ...] = ()


@dataclass
class PlanSpec:
    perspectives: list[PerspectiveSpec] = field(default_factory=list)
    strategic: list[StrategicSpec] = field(default_factory=list)
    operational: list[OperationalSpec] = field(default_factory=list)
    common_groups: list[GroupSpec] = field(default_factory=list)
    indicators: list[IndicatorSpec] = field(default_factory=list)
    scorecards: list[ScorecardSpec] = field(default_factory=list)

    def unit_slugs(self) -> set[str]:
        """Every unit the plan refers to (assignments and cruscotti)."""
        slugs = {slug for op in self.operational for slug in op.units}
        return slugs | {card.unit for card in self.scorecards if card.unit}

    def references(self) -> list[str]:
        """What the plan names and does not hold (a spec built wrong: a programming error, in
        English), empty when every reference resolves."""
        problems = []
        perspectives = {p.name for p in self.perspectives}
        codes = {so.code for so in self.strategic}
        operational = {op.key for op in self.operational}
        groups = {g.name for g in self.common_groups}
        problems += [
            f"strategic {so.code}: perspective {so.perspective!r}"
            for so in self.strategic
            if so.perspective not in perspectives
        ]
        problems += [
            f"operational {op.name!r}: strategic {op.strategic!r}"
            for op in self.operational
            if op.strategic not in codes
        ]
        # The invariants of the implicit levels (the models' constraints and clean()).
        if any(p.implicit for p in self.perspectives) and len(self.perspectives) > 1:
            problems.append("an implicit perspective is the year's only one")
        siblings: dict[str, list[bool]] = {}
        for op in self.operational:
            siblings.setdefault(op.strategic, []).append(op.implicit)
        problems += [
            f"strategic {code}: an implicit operational objective is its only one"
            for code, flags in siblings.items()
            if any(flags) and len(flags) > 1
        ]
        for i, ind in enumerate(self.indicators):
            if (ind.operational is None) == (ind.common_group is None):
                problems.append(f"indicator {i}: one parent, operational or common group")
            elif ind.operational is not None and ind.operational not in operational:
                problems.append(f"indicator {i}: operational {ind.operational!r}")
            elif ind.common_group is not None and ind.common_group not in groups:
                problems.append(f"indicator {i}: common group {ind.common_group!r}")
        for card in self.scorecards:
            if card.strategic is not None and card.strategic not in codes:
                problems.append(f"scorecard {card.slug}: strategic {card.strategic!r}")
            problems += [
                f"scorecard {card.slug}: row of indicator {row.indicator}"
                for row in card.rows
                if not 0 <= row.indicator < len(self.indicators)
            ]
        return problems
