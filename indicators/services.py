"""Every write to the plan and to the actuals. Views, the admin, the Excel import and the
management commands all come here, and every function checks the permission predicates of
:mod:`accounts.permissions` before writing.

Writes of an indicator are optimistic-locked on ``Indicator.version``: the version is checked
and bumped in one ``UPDATE ... WHERE id = .. AND version = ..``; a save from a stale page is
refused with :class:`StaleIndicator` instead of overwriting. Strategic and operational
objectives are locked the same way (:class:`StaleObjective`). Each write records who did it in
the history (django-simple-history).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts import permissions as perms
from core.locking import ensure_instances_unlocked
from core.models import Cycle
from core.scoring_method import DEFAULT_SCALE, ScaleLevel
from core.selectors import measurement_rules
from lib.authorship import change_author
from lib.versioning import version_bump
from objectives.models import OperationalObjective, OrgUnit, StrategicObjective

from . import domain, horizon, targets
from .entry import (
    BatchPlan,
    EntryError,
    IndicatorSnapshot,
    RowChange,
    RowInput,
    clean_text,
    needs_explanation,
    normalize_actual,
    plan_batch,
)
from .models import Indicator

PLAN_FIELDS = frozenset(
    {
        "name",
        "algorithm",
        "kind",
        "direction",
        "target",
        "weight",
        "threshold_rule",
        "target_n1",
        "target_n2",
        "baseline",
        "baseline_year",
        "unit_of_measure",
        "data_source",
        "notes",
        "operational_objective",
        "common_group",
        "common_code",
        "order",
    }
)
ACTUAL_FIELDS = frozenset({"actual", "explanation"})


class StaleIndicator(ValidationError):
    """Someone else saved the indicator after the page (or file) was loaded."""

    def __init__(self, current: Indicator):
        self.current = current
        super().__init__(
            "L'indicatore è stato modificato da un'altra persona dopo l'apertura della pagina: "
            f"il valore ora registrato è «{current.actual or 'vuoto'}»"
            + (f" con motivazione «{current.explanation}»" if current.explanation else "")
            + ". Le modifiche non sono state salvate: ricaricare la pagina e riprovare.",
            code="stale",
        )


class StaleObjective(ValidationError):
    """Someone else saved the strategic or operational objective after the page was loaded.

    ``current`` is the objective as now saved; who saved it and when come from its latest
    history record. Nothing of the refused save was written."""

    def __init__(self, current: StrategicObjective | OperationalObjective):
        self.current = current
        last = (
            current.history.select_related("history_user")
            .order_by("-history_date", "-history_id")
            .first()
        )
        self.changed_by = last.history_user if last else None
        self.changed_at = last.history_date if last else None
        saved = f"«{current.name}»"
        if isinstance(current, StrategicObjective):
            saved += f" con la descrizione «{current.narrative or 'vuota'}»"
        super().__init__(
            "L'obiettivo è stato modificato "
            f"{change_author(self.changed_by, self.changed_at)} dopo l'apertura della pagina: "
            f"ora è registrato come {saved}. Le modifiche non sono state salvate e i dati "
            "inseriti sono rimasti nel modulo: per sostituire quelli registrati, salvare di nuovo.",
            code="stale",
        )


class BatchRejected(ValidationError):
    """A batch (form or workbook) with at least one bad row: nothing was written."""

    def __init__(self, plan: BatchPlan):
        self.plan = plan
        super().__init__([str(error) for error in plan.errors], code="batch")


# --- Single indicator -----------------------------------------------------------------------


def _versioned_save(
    *, user: User, indicator: Indicator, expected_version: int | None, values: dict[str, Any]
) -> Indicator:
    """Check and bump the version atomically, then save the new values with their history."""
    with transaction.atomic():
        version_bump(
            indicator,
            expected_version,
            stale=lambda: StaleIndicator(Indicator.objects.get(pk=indicator.pk)),
        )
        for name, value in values.items():
            setattr(indicator, name, value)
        indicator._history_user = user
        indicator.full_clean(exclude=["cycle"])
        indicator.save(update_fields=[*values, "version"])
    return indicator


def parse_target(kind: str, target: str, scale: tuple[ScaleLevel, ...] = DEFAULT_SCALE) -> str:
    """A target keeps its comparator (``<30``) and ``monitoraggio``; otherwise typed as actuals.
    Written as plans write them too (``maggiore o uguale a 90%``, ``entro il 31.12.2023``:
    :func:`indicators.targets.parse_target`); the canonical text is what is stored. The one
    parser of targets: the indicator form, the plan import and the rimodulazione use it."""
    if kind not in domain.KIND_LABELS:
        raise ValidationError({"kind": "Tipo di indicatore non valido."})
    if kind == domain.Kind.QUALITATIVE and target.strip().casefold() != "monitoraggio":
        try:
            return normalize_actual(kind, target, scale)
        except EntryError as exc:
            raise ValidationError({"target": str(exc)}) from exc
    value = targets.parse_target(target).value
    if value.type in (domain.ValueType.EMPTY, domain.ValueType.MONITORING):
        return domain.format_value(value)
    if value.type is domain.ValueType.NUMBER and value.comparator:
        if kind not in domain.NUMERIC_KINDS:
            raise ValidationError({"target": "Una soglia (<, >) vale solo per i numeri."})
        return domain.format_value(value)
    try:
        return normalize_actual(
            kind, target if value.type is domain.ValueType.INVALID else domain.format_value(value)
        )
    except EntryError as exc:
        raise ValidationError({"target": str(exc)}) from exc


def indicator_update_actual(
    *, user: User, indicator: Indicator, actual: str, explanation: str, expected_version: int | None
) -> Indicator:
    """The actual and the explanation of the gap, by the planning office or the unit manager."""
    perms.ensure(
        perms.can_edit_actual(user, indicator),
        "Non si ha il permesso di modificare il valore di questo indicatore "
        "(o l'anno non è aperto all'inserimento dei dati).",
    )
    rules = measurement_rules(indicator.cycle)
    try:
        actual = normalize_actual(indicator.kind, actual, rules.method.scale)
        explanation = clean_text(explanation)
    except EntryError as exc:
        raise ValidationError({"actual": str(exc)}) from exc
    if not explanation and needs_explanation(
        indicator.kind,
        indicator.direction,
        indicator.target,
        actual,
        rules.missed_deadline_pct,
        proportional=domain.is_proportional(rules, indicator.threshold_rule),
        scale=rules.method.scale,
    ):
        raise ValidationError(
            {
                "explanation": "Il valore è sotto il risultato atteso: la motivazione dello "
                "scostamento è obbligatoria."
            }
        )
    return _versioned_save(
        user=user,
        indicator=indicator,
        expected_version=expected_version,
        values={"actual": actual, "explanation": explanation},
    )


def _check_plan_fields(fields: dict) -> None:
    unknown = set(fields) - PLAN_FIELDS
    if unknown:
        raise ValueError(f"Campi non modificabili da questo servizio: {sorted(unknown)}")


def _clean_plan_fields(
    cycle: Cycle, fields: dict, kind: str, current: Indicator | None = None
) -> dict:
    fields = dict(fields)
    if horizon.FIELDS.intersection(fields) or (current is not None and "kind" in fields):
        # A change of kind re-reads the later targets and the baseline in the new kind; the
        # baseline and its year are checked together.
        for name in horizon.FIELDS:
            if name not in fields and current is not None:
                fields[name] = getattr(current, name)
        scale = measurement_rules(cycle).method.scale
        fields = horizon.clean(
            fields, kind=kind, year=cycle.year, parse=lambda k, t: parse_target(k, t, scale)
        )
    if "target" in fields:
        unit = targets.parse_target(fields["target"]).unit  # ``<= 10 gg.``: the unit is «gg.»
        scale = measurement_rules(cycle).method.scale
        fields["target"] = parse_target(kind, fields["target"] or "", scale)
        if unit and "unit_of_measure" in fields and not fields["unit_of_measure"]:
            fields["unit_of_measure"] = unit
    if "weight" in fields:
        try:
            weight = Decimal(str(fields["weight"]))
        except InvalidOperation as exc:
            raise ValidationError({"weight": "Peso non valido."}) from exc
        if weight < 0:
            raise ValidationError({"weight": "Il peso non può essere negativo."})
        fields["weight"] = weight
    for name in ("operational_objective", "common_group"):
        parent = fields.get(name)
        if parent is not None and parent.cycle_id != cycle.id:
            raise ValidationError({name: "Appartiene a un altro anno."})
    return fields


def indicator_update(
    *, user: User, indicator: Indicator, expected_version: int | None = None, **plan_fields: Any
) -> Indicator:
    """Plan fields of an indicator (kind, direction, target, weight, objective...)."""
    perms.ensure(
        perms.can_edit_plan(user, indicator.cycle),
        "Solo l'ufficio pianificazione può modificare il piano, e solo negli anni aperti.",
    )
    _check_plan_fields(plan_fields)
    kind = plan_fields.get("kind", indicator.kind)
    values = _clean_plan_fields(indicator.cycle, plan_fields, kind, indicator)
    if (
        "target" in values
        and values["target"] != indicator.target
        and indicator.cycle.state != Cycle.State.PLANNING
    ):
        # Once the plan is approved a target changes only through a *rimodulazione* that keeps
        # the old target, the reason and the approving act (workflow.services.target_revise).
        raise ValidationError(
            {
                "target": "Dopo l'approvazione del piano il risultato atteso si modifica solo con "
                "una rimodulazione (motivazione e atto di approvazione): usare la pagina "
                "«Rimodulazioni» dell'indicatore."
            }
        )
    return _versioned_save(
        user=user, indicator=indicator, expected_version=expected_version, values=values
    )


def indicator_create(*, user: User, cycle: Cycle, **plan_fields: Any) -> Indicator:
    perms.ensure(
        perms.can_edit_plan(user, cycle),
        "Solo l'ufficio pianificazione può modificare il piano, e solo negli anni aperti.",
    )
    _check_plan_fields(plan_fields)
    values = _clean_plan_fields(cycle, plan_fields, plan_fields.get("kind", ""))
    indicator = Indicator(cycle=cycle, **values)
    indicator._history_user = user
    indicator.full_clean()
    with transaction.atomic():
        indicator.save()
    return indicator


# --- Objectives -----------------------------------------------------------------------------


def _ensure_plan(user: User, cycle: Cycle) -> None:
    perms.ensure(
        perms.can_edit_plan(user, cycle),
        "Solo l'ufficio pianificazione può modificare il piano, e solo negli anni aperti.",
    )


def _check_units(cycle: Cycle, units: Iterable[OrgUnit] | None) -> list[OrgUnit]:
    units = list(units or [])
    if any(unit.body_id != cycle.body_id for unit in units):
        raise ValidationError({"units": "Unità organizzativa di un altro ente."})
    return units


def operational_objective_create(
    *,
    user: User,
    cycle: Cycle,
    strategic_objective: StrategicObjective,
    name: str,
    units: Iterable[OrgUnit] = (),
    order: int = 0,
    weight: Decimal = Decimal(1),
) -> OperationalObjective:
    _ensure_plan(user, cycle)
    if strategic_objective.cycle_id != cycle.id:
        raise ValidationError({"strategic_objective": "Obiettivo strategico di un altro anno."})
    units = _check_units(cycle, units)
    objective = OperationalObjective(
        cycle=cycle,
        strategic_objective=strategic_objective,
        name=name.strip(),
        order=order,
        weight=weight,
    )
    objective._history_user = user
    objective.full_clean()
    with transaction.atomic():
        objective.save()
        objective.units.set(units)
    return objective


def _bump_version(
    objective: OperationalObjective | StrategicObjective, expected_version: int | None
) -> None:
    """The objective's optimistic lock (lib.versioning), refused as StaleObjective."""
    model = type(objective)
    related = "perspective" if model is StrategicObjective else "strategic_objective"
    version_bump(
        objective,
        expected_version,
        stale=lambda: StaleObjective(model.objects.select_related(related).get(pk=objective.pk)),
    )


def operational_objective_update(
    *,
    user: User,
    objective: OperationalObjective,
    units: Iterable[OrgUnit] | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> OperationalObjective:
    """Name, strategic objective, order and units of an operational objective. Optimistic-locked
    on ``version`` (``expected_version`` None: the version of ``objective`` as loaded)."""
    _ensure_plan(user, objective.cycle)
    allowed = {"strategic_objective", "name", "order", "weight"}
    if set(fields) - allowed:
        raise ValueError(f"Campi non modificabili: {sorted(set(fields) - allowed)}")
    so = fields.get("strategic_objective")
    if so is not None and so.cycle_id != objective.cycle_id:
        raise ValidationError({"strategic_objective": "Obiettivo strategico di un altro anno."})
    if units is not None:
        units = _check_units(objective.cycle, units)
    with transaction.atomic():
        _bump_version(objective, expected_version)
        for name, value in fields.items():
            setattr(objective, name, value)
        objective._history_user = user
        objective.full_clean()
        objective.save()
        if units is not None:
            objective.units.set(units)
    return objective


def strategic_objective_create(*, user: User, cycle: Cycle, **fields: Any) -> StrategicObjective:
    _ensure_plan(user, cycle)
    perspective = fields.get("perspective")
    if perspective is not None and perspective.cycle_id != cycle.id:
        raise ValidationError({"perspective": "Prospettiva di un altro anno."})
    objective = StrategicObjective(cycle=cycle, **fields)
    objective._history_user = user
    objective.full_clean()
    with transaction.atomic():
        objective.save()
    return objective


def strategic_objective_update(
    *, user: User, objective: StrategicObjective, expected_version: int | None = None, **fields: Any
) -> StrategicObjective:
    """Name, description of the results and the other fields of a strategic objective.
    Optimistic-locked on ``version`` as :func:`operational_objective_update`."""
    _ensure_plan(user, objective.cycle)
    allowed = {"perspective", "code", "name", "narrative", "order", "weight"}
    if set(fields) - allowed:
        raise ValueError(f"Campi non modificabili: {sorted(set(fields) - allowed)}")
    perspective = fields.get("perspective")
    if perspective is not None and perspective.cycle_id != objective.cycle_id:
        raise ValidationError({"perspective": "Prospettiva di un altro anno."})
    with transaction.atomic():
        _bump_version(objective, expected_version)
        for name, value in fields.items():
            setattr(objective, name, value)
        objective._history_user = user
        objective.full_clean()
        objective.save()
    return objective


def plan_delete(*, user: User, obj: Indicator | OperationalObjective | StrategicObjective) -> None:
    """Deleting a plan element (admin): same rule as editing the plan of its year."""
    _ensure_plan(user, obj.cycle)
    obj._history_user = user
    obj.delete()


# --- Batches: the cruscotto edit mode and the Excel import ----------------------------------


@dataclass
class ImportResult:
    changes: list[RowChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def count(self) -> int:
        return len(self.changes)


def _snapshots(
    user: User, cycle: Cycle, ids: Iterable[int | None], *, lock: bool
) -> dict[int, IndicatorSnapshot]:
    qs = (
        Indicator.objects.filter(cycle=cycle, pk__in=[i for i in ids if i is not None])
        .select_related("cycle__body", "operational_objective")
        .prefetch_related("operational_objective__units")
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    rules = measurement_rules(cycle)
    return {
        ind.id: IndicatorSnapshot(
            id=ind.id,
            name=ind.name,
            kind=ind.kind,
            direction=ind.direction,
            target=ind.target,
            actual=ind.actual,
            explanation=ind.explanation,
            version=ind.version,
            editable=perms.can_edit_actual(user, ind),
            missed_deadline_pct=rules.missed_deadline_pct,
            proportional=domain.is_proportional(rules, ind.threshold_rule),
            scale=rules.method.scale,
        )
        for ind in qs
    }


def actuals_import_preview(*, user: User, cycle: Cycle, rows: list[RowInput]) -> BatchPlan:
    """What a batch would change (old -> new) and its errors, without writing anything."""
    perms.ensure(
        perms.can_enter_data(user, cycle),
        "L'anno non è aperto all'inserimento dei dati o non si hanno i permessi.",
    )
    return plan_batch(rows, _snapshots(user, cycle, [r.indicator_id for r in rows], lock=False))


def actuals_import_apply(*, user: User, cycle: Cycle, rows: list[RowInput]) -> ImportResult:
    """Apply every row or none: re-validated under row locks, then written in one transaction.

    Raises :class:`BatchRejected` (nothing written) when any row is wrong.
    """
    perms.ensure(
        perms.can_enter_data(user, cycle),
        "L'anno non è aperto all'inserimento dei dati o non si hanno i permessi.",
    )
    with transaction.atomic():
        snapshots = _snapshots(user, cycle, [r.indicator_id for r in rows], lock=True)
        plan = plan_batch(rows, snapshots)
        if not plan.ok:
            raise BatchRejected(plan)
        _bulk_write_actuals(user, cycle, plan.changes)
    return ImportResult(changes=plan.changes, unchanged=plan.unchanged)


def _bulk_write_actuals(user: User, cycle: Cycle, changes: list[RowChange]) -> None:
    """Write a validated batch in a few statements, with one history record per row.

    Every row was validated by ``plan_batch`` against a snapshot read under row locks
    (``select_for_update`` on PostgreSQL; SQLite runs IMMEDIATE transactions, one writer at a
    time). The UPDATE still carries ``AND version = expected``: a row that moved anyway makes
    the whole batch fail (nothing written), never a silent overwrite. One parametrised
    statement run with executemany: Django's bulk_update builds a CASE expression per row,
    which costs more than the database work itself.
    """
    if not changes:
        return
    objs = Indicator.objects.in_bulk([c.indicator_id for c in changes])
    rules = measurement_rules(cycle)
    updated = []
    for change in changes:
        indicator = objs[change.indicator_id]
        indicator.actual = change.new_actual
        indicator.explanation = change.new_explanation
        indicator.version = change.expected_version + 1
        indicator.figures_refresh(rules)  # the stored figures, in the same statement
        updated.append(indicator)
    ensure_instances_unlocked(Indicator, updated)  # the year lock, as the ORM guards apply it
    table = connection.ops.quote_name(Indicator._meta.db_table)
    realization = Indicator._meta.get_field("realization")
    params = [
        (
            c.new_actual,
            c.new_explanation,
            c.expected_version + 1,
            realization.get_db_prep_save(objs[c.indicator_id].realization, connection),
            objs[c.indicator_id].status,
            c.indicator_id,
            c.expected_version,
        )
        for c in changes
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET actual = %s, explanation = %s, version = %s, "  # noqa: S608
            "realization = %s, status = %s WHERE id = %s AND version = %s",
            params,
        )
        written = cursor.rowcount
    if written != len(changes):  # some executemany drivers report -1: then check explicitly
        fresh = dict(
            Indicator.objects.filter(pk__in=[c.indicator_id for c in changes]).values_list(
                "id", "version"
            )
        )
        stale = [c for c in changes if fresh.get(c.indicator_id) != c.expected_version + 1]
        if stale:
            raise StaleIndicator(Indicator.objects.get(pk=stale[0].indicator_id))
    Indicator.history.bulk_history_create(
        updated,
        batch_size=500,
        default_user=user,
        default_change_reason="Importazione da foglio Excel",
        default_date=timezone.now(),
    )
