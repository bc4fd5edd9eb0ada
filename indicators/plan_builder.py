"""The one builder of a year's plan: perspectives, strategic and operational objectives (with
their units), groups of common objectives, indicators, cruscotti and their rows, from a
:class:`~indicators.plan_spec.PlanSpec`.

Used by the copy of a plan to the next year (``workflow.services``), the plan workbook
(``indicators.services.plan_import_apply``), the demo loader and the synthetic generator; each
turns its source into the spec and asks no more of the database than this module does. Every
table is written with one ``bulk_create`` per batch through the models' own managers, so the
year lock and the one-year-per-row checks (the guarded QuerySets) see every row; the history
(django-simple-history) gets its "created" record of each objective and indicator in bulk too.

No permission check: the calling services ask :mod:`accounts.permissions` (the planning
office). ``validate=True`` (the workbook) runs each row's ``full_clean()`` before it is written,
as the forms do, and prefixes an indicator's error with where it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.models import Body, Cycle
from objectives.models import (
    OperationalObjective,
    OrgUnit,
    Perspective,
    Scorecard,
    StrategicObjective,
)

from .models import CommonGroup, Indicator, ScorecardRow
from .plan_spec import (
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

if TYPE_CHECKING:
    from django.contrib.auth.models import User

BATCH = 1000


@dataclass
class BuiltPlan:
    """The rows created, by the spec's keys; ``indicators`` in the order of the spec's list."""

    perspectives: dict[str, Perspective] = field(default_factory=dict)
    strategic: dict[str, StrategicObjective] = field(default_factory=dict)
    operational: dict[tuple[str, str], OperationalObjective] = field(default_factory=dict)
    common_groups: dict[str, CommonGroup] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    scorecards: dict[str, Scorecard] = field(default_factory=dict)
    rows: int = 0


@dataclass(frozen=True)
class _Writer:
    """How the rows are written: the history's author and reason, and whether each row is
    cleaned first."""

    user: User | None
    reason: str | None
    validate: bool
    fast_history: bool = False

    def clean(self, objs: Iterable[models.Model], source: Sequence[str] = ()) -> None:
        if not self.validate:
            return
        for i, obj in enumerate(objs):
            try:
                obj.full_clean()
            except ValidationError as exc:
                where = source[i] if i < len(source) else ""
                if not where:
                    raise
                raise ValidationError(f"{where}: {' '.join(exc.messages)}") from exc

    def create(self, model: type[models.Model], objs: list[Any], history: bool = False) -> None:
        """Insert ``objs`` (their primary keys set on return, as SQLite and PostgreSQL do)."""
        if not objs:
            return
        if history and not self.fast_history:
            bulk_create_with_history(
                objs,
                model,
                batch_size=BATCH,
                default_user=self.user,
                default_change_reason=self.reason,
            )
        else:
            model._default_manager.bulk_create(objs, batch_size=BATCH)
        if objs[0].pk is None:
            raise RuntimeError("The database did not return the ids of a bulk insert.")
        if history and self.fast_history:
            self._history(model, objs)

    def _history(self, model: type[models.Model], objs: list[Any]) -> None:
        """The "created" record of each row, as django-simple-history writes it, inserted with
        one ``executemany`` per batch: the history is no row of a year (neither locked nor
        checked), and building its model instances costs more than the plan's own rows."""
        historical = model.history.model  # type: ignore[attr-defined]
        fields = [f for f in historical._meta.concrete_fields if not f.primary_key]
        extra = {
            "history_date": timezone.now(),
            "history_type": "+",
            "history_change_reason": self.reason,
            "history_user_id": self.user.pk if self.user is not None else None,
        }
        table = connection.ops.quote_name(historical._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - model names
        with connection.cursor() as cursor:
            for start in range(0, len(objs), BATCH):
                cursor.executemany(
                    sql,
                    [
                        [
                            f.get_db_prep_save(
                                extra[f.attname] if f.attname in extra else getattr(o, f.attname),
                                connection,
                            )
                            for f in fields
                        ]
                        for o in objs[start : start + BATCH]
                    ],
                )


def plan_build(
    *,
    cycle: Cycle,
    plan: PlanSpec,
    user: User | None = None,
    history_reason: str | None = None,
    validate: bool = False,
    fast_history: bool = False,
) -> BuiltPlan:
    """Create the whole plan of ``cycle`` (a new year: it holds no plan yet) in one transaction.
    The units are the body's, named by their codes; ``user`` and ``history_reason`` go into
    the history records."""
    problems = plan.references()
    if problems:
        raise ValueError(f"Plan spec with unresolved references: {'; '.join(problems)}")
    units = _units_of(cycle, plan.unit_slugs())
    writer = _Writer(user=user, reason=history_reason, validate=validate, fast_history=fast_history)
    built = BuiltPlan()
    with transaction.atomic():
        built.perspectives = _perspectives(writer, cycle, plan.perspectives)
        built.strategic = _strategic(writer, cycle, plan.strategic, built.perspectives)
        built.operational = _operational(writer, cycle, plan.operational, built.strategic, units)
        built.common_groups = _groups(writer, cycle, plan.common_groups)
        built.indicators = _indicators(writer, cycle, plan.indicators, built)
        built.scorecards = _scorecards(writer, cycle, plan.scorecards, built.strategic, units)
        built.rows = _rows(writer, plan.scorecards, built)
    return built


def _units_of(cycle: Cycle, slugs: set[str]) -> dict[str, OrgUnit]:
    units = {u.slug: u for u in OrgUnit.objects.filter(body_id=cycle.body_id, slug__in=slugs)}
    missing = sorted(slugs - set(units))
    if missing:
        raise ValidationError(f"Unità organizzative inesistenti: {', '.join(missing)}.")
    return units


def _perspectives(
    writer: _Writer, cycle: Cycle, specs: list[PerspectiveSpec]
) -> dict[str, Perspective]:
    objs = [
        Perspective(cycle=cycle, order=s.order, name=s.name, weight=s.weight, implicit=s.implicit)
        for s in specs
    ]
    writer.clean(objs)
    writer.create(Perspective, objs)
    return {p.name: p for p in objs}


def _strategic(
    writer: _Writer,
    cycle: Cycle,
    specs: list[StrategicSpec],
    perspectives: dict[str, Perspective],
) -> dict[str, StrategicObjective]:
    objs = [
        StrategicObjective(
            cycle=cycle,
            perspective=perspectives[s.perspective],
            code=s.code,
            name=s.name,
            narrative=s.narrative,
            order=s.order,
            weight=s.weight,
        )
        for s in specs
    ]
    writer.clean(objs)
    writer.create(StrategicObjective, objs, history=True)
    return {so.code: so for so in objs}


def _operational(
    writer: _Writer,
    cycle: Cycle,
    specs: list[OperationalSpec],
    strategic: dict[str, StrategicObjective],
    units: dict[str, OrgUnit],
) -> dict[tuple[str, str], OperationalObjective]:
    objs = [
        OperationalObjective(
            cycle=cycle,
            strategic_objective=strategic[s.strategic],
            name=s.name,
            order=s.order,
            weight=s.weight,
            implicit=s.implicit,
        )
        for s in specs
    ]
    writer.clean(objs)
    writer.create(OperationalObjective, objs, history=True)
    through = OperationalObjective.units.through
    links = [
        through(operationalobjective=op, orgunit=units[slug])
        for op, s in zip(objs, specs, strict=True)
        for slug in s.units
    ]
    writer.create(through, links)
    return {s.key: op for op, s in zip(objs, specs, strict=True)}


def _groups(writer: _Writer, cycle: Cycle, specs: list[GroupSpec]) -> dict[str, CommonGroup]:
    objs = [CommonGroup(cycle=cycle, name=s.name, order=s.order) for s in specs]
    writer.clean(objs)
    writer.create(CommonGroup, objs)
    return {g.name: g for g in objs}


def _indicators(
    writer: _Writer, cycle: Cycle, specs: list[IndicatorSpec], built: BuiltPlan
) -> list[Indicator]:
    objs = [
        Indicator(
            cycle=cycle,
            operational_objective=built.operational[s.operational] if s.operational else None,
            common_group=built.common_groups[s.common_group] if s.common_group else None,
            name=s.name,
            algorithm=s.algorithm,
            kind=s.kind,
            direction=s.direction,
            target=s.target,
            actual=s.actual,
            weight=s.weight,
            unit_of_measure=s.unit_of_measure,
            data_source=s.data_source,
            notes=s.notes,
            explanation=s.explanation,
            threshold_rule=s.threshold_rule,
            common_code=s.common_code,
            target_n1=s.target_n1,
            target_n2=s.target_n2,
            baseline=s.baseline,
            baseline_year=s.baseline_year,
            order=s.order,
        )
        for s in specs
    ]
    writer.clean(objs, [s.source for s in specs])
    writer.create(Indicator, objs, history=True)
    return objs


def _scorecards(
    writer: _Writer,
    cycle: Cycle,
    specs: list[ScorecardSpec],
    strategic: dict[str, StrategicObjective],
    units: dict[str, OrgUnit],
) -> dict[str, Scorecard]:
    objs = [
        Scorecard(
            cycle=cycle,
            section=s.section,
            title=s.title,
            slug=s.slug,
            order=s.order,
            strategic_objective=strategic[s.strategic] if s.strategic else None,
            unit=units[s.unit] if s.unit else None,
            holder=s.holder,
        )
        for s in specs
    ]
    writer.clean(objs)
    writer.create(Scorecard, objs)
    return {card.slug: card for card in objs}


def _rows(writer: _Writer, specs: list[ScorecardSpec], built: BuiltPlan) -> int:
    rows = [
        ScorecardRow(
            scorecard=built.scorecards[card.slug],
            indicator=built.indicators[row.indicator],
            order=row.order,
            declared_realization=row.declared_realization,
            source_note=row.source_note,
            weight=row.weight,
        )
        for card in specs
        for row in card.rows
    ]
    writer.clean(rows)
    writer.create(ScorecardRow, rows)
    return len(rows)


# --- The units of a body --------------------------------------------------------------------


def units_build(*, body: Body, units: Sequence[UnitSpec]) -> dict[str, OrgUnit]:
    """Create or update the body's units by code (the demo reloads them, the generator makes a
    new body's tree): in bulk, the parents set once every unit exists."""
    existing = {
        u.slug: u for u in OrgUnit.objects.filter(body=body, slug__in=[s.slug for s in units])
    }
    new = []
    for spec in units:
        unit = existing.get(spec.slug)
        if unit is None:
            unit = OrgUnit(body=body, slug=spec.slug)
            new.append(unit)
        unit.name, unit.kind, unit.order = spec.name, spec.kind, spec.order
        existing[spec.slug] = unit
    OrgUnit.objects.bulk_create(new, batch_size=BATCH)
    for spec in units:
        existing[spec.slug].parent = existing[spec.parent] if spec.parent else None
    OrgUnit.objects.bulk_update(
        [existing[s.slug] for s in units], ["name", "kind", "order", "parent"], batch_size=BATCH
    )
    return {s.slug: existing[s.slug] for s in units}


# --- A year's plan as a spec ----------------------------------------------------------------


def plan_spec_of(cycle: Cycle) -> PlanSpec:
    """The plan of ``cycle`` as the builder takes it, everything included (actuals, narratives,
    declared realizations): the copy to the next year drops what it does not carry over. A
    handful of queries for any size."""
    spec = PlanSpec()
    spec.perspectives = [
        PerspectiveSpec(name=p.name, order=p.order, weight=p.weight, implicit=p.implicit)
        for p in Perspective.objects.filter(cycle=cycle).order_by("order")
    ]
    spec.strategic = [
        StrategicSpec(
            code=so.code,
            perspective=so.perspective.name,
            name=so.name,
            narrative=so.narrative,
            order=so.order,
            weight=so.weight,
        )
        for so in StrategicObjective.objects.filter(cycle=cycle)
        .select_related("perspective")
        .order_by("order", "code_key", "code")
    ]
    # Operational objectives, their units and the cruscotti in the order they were created (a
    # built plan reads back as its spec).
    operational = list(
        OperationalObjective.objects.filter(cycle=cycle)
        .select_related("strategic_objective")
        .order_by("id")
    )
    assigned: dict[int, list[str]] = {}
    through = OperationalObjective.units.through.objects.filter(operationalobjective__cycle=cycle)
    for op_id, slug in through.order_by("id").values_list(
        "operationalobjective_id", "orgunit__slug"
    ):
        assigned.setdefault(op_id, []).append(slug)
    op_keys: dict[int | None, tuple[str, str]] = {
        op.id: (op.strategic_objective.code, op.name) for op in operational
    }
    spec.operational = [
        OperationalSpec(
            strategic=op.strategic_objective.code,
            name=op.name,
            units=tuple(assigned.get(op.id, ())),
            order=op.order,
            weight=op.weight,
            implicit=op.implicit,
        )
        for op in operational
    ]
    groups = list(CommonGroup.objects.filter(cycle=cycle).order_by("order", "id"))
    group_names: dict[int | None, str] = {g.id: g.name for g in groups}
    spec.common_groups = [GroupSpec(name=g.name, order=g.order) for g in groups]
    indicators = list(Indicator.objects.filter(cycle=cycle).order_by("order", "id"))
    position = {ind.id: i for i, ind in enumerate(indicators)}
    spec.indicators = [
        IndicatorSpec(
            name=ind.name,
            kind=ind.kind,
            direction=ind.direction,
            target=ind.target,
            actual=ind.actual,
            weight=ind.weight,
            algorithm=ind.algorithm,
            unit_of_measure=ind.unit_of_measure,
            data_source=ind.data_source,
            notes=ind.notes,
            explanation=ind.explanation,
            threshold_rule=ind.threshold_rule,
            common_code=ind.common_code,
            target_n1=ind.target_n1,
            target_n2=ind.target_n2,
            baseline=ind.baseline,
            baseline_year=ind.baseline_year,
            order=ind.order,
            operational=op_keys.get(ind.operational_objective_id),
            common_group=group_names.get(ind.common_group_id),
        )
        for ind in indicators
    ]
    rows: dict[int, list[RowSpec]] = {}
    for row in ScorecardRow.objects.filter(scorecard__cycle=cycle).order_by("order", "id"):
        rows.setdefault(row.scorecard_id, []).append(
            RowSpec(
                indicator=position[row.indicator_id],
                order=row.order,
                declared_realization=row.declared_realization,
                source_note=row.source_note,
                weight=row.weight,
            )
        )
    spec.scorecards = [
        ScorecardSpec(
            section=card.section,
            title=card.title,
            slug=card.slug,
            order=card.order,
            strategic=card.strategic_objective.code if card.strategic_objective else None,
            unit=card.unit.slug if card.unit else None,
            holder=card.holder,
            rows=tuple(rows.get(card.id, ())),
        )
        for card in Scorecard.objects.filter(cycle=cycle)
        .select_related("strategic_objective", "unit")
        .order_by("id")
    ]
    return spec
