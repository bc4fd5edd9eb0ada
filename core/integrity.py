"""One year per row: a row that belongs to a cycle refers only to rows of the same cycle, and
to units and checklist items of the same body.

The rule is derived, not listed: walking ``apps.get_models()``, every concrete foreign key (or
one-to-one) of a model to another *owned* model is a reference to check. A model is owned by a
cycle when :func:`core.locking.cycle_path` finds one (its own ``cycle``, or a parent's), by
a body when it has a foreign key to ``Body`` (units, checklist items). A row's references must
all lead to one cycle (the model's own ``cycle`` included) and one body. The one reference that
crosses years by design, a target proposal's indicator of the previous year, is declared in
:data:`CROSS_YEAR` and must stay in the same body.

It runs on every path: a ``pre_save`` receiver (forms, admin, services, commands, the shell),
``m2m_changed`` for many-to-many fields between owned models (units of an operational
objective), and :class:`IntegrityQuerySet` for ``bulk_create()``, ``bulk_update()`` and
``update()``, which skip the signals and are checked before the write.

The same module refuses a Cycle created in any state but the first (planning): a year becomes
validated or published only by the workflow's transitions, which record it. The demo loader
and the synthetic generator, which rebuild whole years, do so inside ``locking.unlocked()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction

from . import locking
from .machine import PLANNING

_BULK_CHECKED: ContextVar[bool] = ContextVar("integrity_bulk_checked", default=False)

# References that cross years by design (app_label.model_name.field): same body only.
CROSS_YEAR = frozenset({"workflow.targetproposal.source_indicator"})


def field_label(field) -> str:
    """A relation's Italian name: its own verbose_name where one was given, else the name of
    the model it points to (``indicator`` -> «indicatore»)."""
    label = str(field.verbose_name)
    if label == field.name.replace("_", " ") and field.related_model is not None:
        return str(field.related_model._meta.verbose_name)
    return label


class CrossYearReference(ValidationError):
    """A row that would refer to a row of another year (or another body)."""

    def __init__(self, model, field_name: str | None = None):
        what = str(model._meta.verbose_name).capitalize()
        if field_name:
            label = field_label(model._meta.get_field(field_name))
            text = f"{what}: «{label}» appartiene a un altro anno (o a un altro ente)"
        else:
            text = f"{what}: un dato collegato appartiene a un altro anno (o a un altro ente)"
        super().__init__(
            f"{text}; si collegano solo dati dello stesso ciclo e dello stesso ente.",
            code="cross_year",
        )


class CycleMoved(ValidationError):
    def __init__(self, model):
        what = str(model._meta.verbose_name).capitalize()
        super().__init__(
            f"{what}: un dato già registrato resta nel suo anno; per l'anno successivo se ne "
            "crea uno nuovo (apertura del piano dell'anno successivo).",
            code="cycle_moved",
        )


class CycleCreatedLocked(ValidationError):
    def __init__(self):
        super().__init__(
            "Un nuovo ciclo nasce nello stato «Pianificazione»: gli stati successivi "
            "(trasmissione, validazione, pubblicazione) si raggiungono solo con le azioni del "
            "flusso di lavoro, che le registrano.",
            code="cycle_initial_state",
        )


# --- The references of each model --------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A foreign key to check: ``cycle`` is the lookup from the row to the referenced row's
    cycle (None for a body-owned target), ``body`` the lookup to its body."""

    name: str
    attname: str
    target: type
    cycle: str | None
    body: str
    cross_year: bool = False


def _cycle_model():
    return apps.get_model("core", "Cycle")


def _body_model():
    return apps.get_model("core", "Body")


def _body_owned(model) -> bool:
    body = _body_model()
    return model is not _cycle_model() and any(
        f.many_to_one and f.related_model is body for f in model._meta.concrete_fields
    )


def _owner_lookups(model) -> tuple[str | None, str] | None:
    """(lookup to the cycle, lookup to the body) from a row of ``model``; None if unowned."""
    if model is _cycle_model():
        return ("pk", "body")
    path = locking.cycle_path(model)
    if path is not None:
        cycle = "__".join(path)
        return (cycle, f"{cycle}__body")
    if _body_owned(model):
        return (None, "body")
    return None


def _is_history(model) -> bool:
    return any(f.name == "history_id" for f in model._meta.fields)


@cache
def refs(model) -> tuple[Ref, ...]:
    """The references of ``model`` that must agree; empty when fewer than two (nothing to
    compare) or for history records (they copy what was saved)."""
    meta = model._meta
    if meta.abstract or meta.auto_created or _is_history(model) or model is _cycle_model():
        return ()
    found = []
    for f in meta.concrete_fields:
        if not (f.many_to_one or f.one_to_one) or f.related_model is None:
            continue
        target = f.related_model
        if target is _body_model():
            found.append(Ref(f.name, f.attname, target, None, f.name))
            continue
        owner = _owner_lookups(target)
        if owner is None:
            continue
        cycle, body = owner
        found.append(
            Ref(
                f.name,
                f.attname,
                target,
                f.name if cycle == "pk" else (f"{f.name}__{cycle}" if cycle else None),
                f"{f.name}__{body}",
                cross_year=f"{meta.label_lower}.{f.name}" in CROSS_YEAR,
            )
        )
    return tuple(found) if len(found) > 1 else ()


def checked_models() -> list:
    return [m for m in apps.get_models() if refs(m)]


@cache
def has_own_cycle(model) -> bool:
    """Rows with their own ``cycle``: once saved they stay in it (rows of the same year
    refer to them)."""
    return not _is_history(model) and locking.cycle_path(model) == ("cycle",)


def tracked_models() -> list:
    return [m for m in apps.get_models() if refs(m) or has_own_cycle(m)]


def m2m_fields() -> list:
    """Many-to-many fields between an owned model and an owned target (units of an
    operational objective), checked on ``m2m_changed``."""
    found = []
    for model in apps.get_models():
        if _is_history(model) or _owner_lookups(model) is None:
            continue
        for f in model._meta.local_many_to_many:
            if _owner_lookups(f.related_model) is not None:
                found.append(f)
    return found


# --- The check ---------------------------------------------------------------------------


def _agree(model, owners: Iterable[tuple[Ref, object, object]]) -> None:
    """``owners``: (reference, cycle id or None, body id) of each non-null reference."""
    cycles: dict[object, Ref] = {}
    bodies: dict[object, Ref] = {}
    for ref, cycle, body in owners:
        if cycle is not None and not ref.cross_year:
            cycles.setdefault(cycle, ref)
        if body is not None:  # None: not needed (every reference is to a row of a year)
            bodies.setdefault(body, ref)
    for seen in (cycles, bodies):
        if len(seen) > 1:
            raise CrossYearReference(model, list(seen.values())[-1].name)


def _owners_of(ref: Ref, pks) -> dict:
    """{pk: (cycle id or None, body id)} of the rows ``pks`` that ``ref`` points to (one
    query; none for a reference to the body itself)."""
    pks = set(pks) - {None}
    target = ref.target
    if not pks:
        return {}
    if target is _body_model():
        return {pk: (None, pk) for pk in pks}
    cycle, body = _owner_lookups(target)
    rows = target._base_manager.filter(pk__in=pks).values_list("pk", cycle or "pk", body)
    return {pk: (c if cycle else None, b) for pk, c, b in rows}


def check_instances(model, objs) -> None:
    """Refuse, before any write, the objects whose references disagree (one query per
    reference, whatever the number of objects)."""
    model_refs = refs(model)
    objs = list(objs)
    if not model_refs or not objs:
        return
    # Bodies are compared only where the cycles do not say it all: a reference to a unit or
    # a checklist item, or across years.
    needs_body = any(r.cycle is None or r.cross_year for r in model_refs)
    known = {(id(o), ref): _known_owner(o, ref, needs_body) for o in objs for ref in model_refs}
    owners = {
        ref: _owners_of(ref, (getattr(o, ref.attname) for o in objs if known[id(o), ref] is None))
        for ref in model_refs
    }
    for obj in objs:
        found = []
        for ref in model_refs:
            owner = known[id(obj), ref] or owners[ref].get(getattr(obj, ref.attname))
            if owner is not None:  # None: no such row, the database's foreign key refuses it
                found.append((ref, *owner))
        _agree(model, found)


def _known_owner(obj, ref: Ref, needs_body: bool) -> tuple | None:
    """The owner of ``obj``'s reference without a query, where it is certain: the cycle
    itself, or a row of a year held in memory as read or saved (a stored row never changes
    year, see :class:`CycleMoved`). None: ask the database."""
    value = getattr(obj, ref.attname)
    if value is None or needs_body:
        return None
    if ref.target is _cycle_model():
        return (value, None)
    field = obj._meta.get_field(ref.name)
    if locking.cycle_path(ref.target) != ("cycle",) or not field.is_cached(obj):
        return None
    target = field.get_cached_value(obj)
    stored = getattr(target, "_integrity_cycle", None)
    if target.pk != value or target._state.adding or stored != target.cycle_id:
        return None
    return (stored, None)


def check_instance(instance) -> None:
    """Refuse an unsaved state of ``instance`` whose references disagree (one query per
    reference that is new or changed since the row was read)."""
    model = type(instance)._meta.concrete_model
    if has_own_cycle(model) and not instance._state.adding:
        cycle = getattr(instance, "_integrity_cycle", None)
        if cycle is None or cycle != instance.cycle_id:
            stored = model._base_manager.filter(pk=instance.pk).values_list("cycle", flat=True)
            if stored.first() not in (None, instance.cycle_id):
                raise CycleMoved(model)
    model_refs = refs(model)
    if not model_refs:
        return
    loaded = getattr(instance, "_integrity_loaded", None)
    current = tuple(getattr(instance, r.attname) for r in model_refs)
    if loaded == current and not instance._state.adding:
        return  # the references are those read from the database, which were checked
    check_instances(model, [instance])


def check_update(queryset, kwargs) -> None:
    """``queryset.update(**kwargs)`` that sets references: the new targets must agree with
    each other and with the references the rows keep (a few queries, before the write)."""
    model = queryset.model
    model_refs = refs(model)
    changed = {}
    for ref in model_refs:
        for key in (ref.name, ref.attname):
            if key in kwargs:
                changed[ref] = getattr(kwargs[key], "pk", kwargs[key])
    if not changed:
        return
    new = []
    for ref, pk in changed.items():
        owner = _owners_of(ref, [pk]).get(pk)
        if owner is not None:
            new.append((ref, *owner))
    _agree(model, new)
    if not new:
        return
    cycle = next((c for ref, c, _ in new if c is not None and not ref.cross_year), None)
    body = new[0][2]
    for ref in model_refs:
        if ref in changed:
            continue
        kept = queryset.filter(**{f"{ref.attname}__isnull": False})
        other_year = cycle is not None and ref.cycle and not ref.cross_year
        if other_year and kept.exclude(**{ref.cycle: cycle}).exists():
            raise CrossYearReference(model, next(iter(changed)).name)
        if kept.exclude(**{ref.body: body}).exists():
            raise CrossYearReference(model, next(iter(changed)).name)


def check_rows(model, pks) -> None:
    """The saved rows ``pks`` of ``model``, read back with the cycle and body of every
    reference (one query): after an update by expression, and to verify stored data."""
    model_refs = refs(model)
    pks = [pk for pk in pks if pk is not None]
    if not model_refs or not pks:
        return
    lookups = []
    for ref in model_refs:
        lookups += [ref.cycle or ref.body, ref.body]  # placeholder pair for body-only targets
    for values in model._base_manager.filter(pk__in=pks).values_list(*lookups).iterator():
        owners = []
        for i, ref in enumerate(model_refs):
            cycle, body = values[2 * i], values[2 * i + 1]
            if body is None:
                continue
            owners.append((ref, cycle if ref.cycle else None, body))
        _agree(model, owners)


class IntegrityQuerySet(models.QuerySet):
    """The bulk writes, which skip ``pre_save``: checked before the write, one query per
    reference for the whole batch."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        check_instances(self.model, objs)
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        names = {r.name for r in refs(self.model)} | {r.attname for r in refs(self.model)}
        if names & set(fields):
            check_instances(self.model, objs)
        token = _BULK_CHECKED.set(True)  # its update() of CASE expressions: checked here
        try:
            return super().bulk_update(objs, fields, *args, **kwargs)
        finally:
            _BULK_CHECKED.reset(token)

    bulk_update.alters_data = True

    def update(self, **kwargs):
        if has_own_cycle(self.model) and {"cycle", "cycle_id"} & set(kwargs):
            raise CycleMoved(self.model)
        if _BULK_CHECKED.get():
            return super().update(**kwargs)
        names = {r.name for r in refs(self.model)} | {r.attname for r in refs(self.model)}
        expressions = [k for k in names & set(kwargs) if hasattr(kwargs[k], "resolve_expression")]
        if not expressions:
            check_update(self, kwargs)
            return super().update(**kwargs)
        # A reference set by an expression (F(), Case): its rows are read back after the
        # write, in a savepoint that a disagreement rolls back.
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            done = super().update(**kwargs)
            check_rows(self.model, pks)
        return done

    update.alters_data = True


# --- Receivers ---------------------------------------------------------------------------


def _remember(sender, instance, **kwargs):
    """The references as read from the database (or given to the constructor): a save of a
    stored row that keeps them needs no query."""
    values = instance.__dict__
    model = type(instance)._meta.concrete_model
    model_refs = refs(model)
    if model_refs:
        try:
            instance._integrity_loaded = tuple(values[r.attname] for r in model_refs)
        except KeyError:  # deferred field (.only()): checked at save
            instance._integrity_loaded = None
    if has_own_cycle(model):
        instance._integrity_cycle = values.get("cycle_id")


def _remember_after_save(sender, instance, raw=False, **kwargs):
    _remember(sender, instance)


def _check_save(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures and restores load rows in any order, as they were dumped
        return
    check_instance(instance)


def _check_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    owned = type(instance)._meta.concrete_model
    _, own_body = _owner_lookups(owned)
    body = owned._base_manager.filter(pk=instance.pk).values_list(own_body, flat=True).first()
    _, other_body = _owner_lookups(model)
    if model._base_manager.filter(pk__in=pk_set).exclude(**{other_body: body}).exists():
        raise CrossYearReference(owned)


def _cycle_created(sender, instance, raw=False, **kwargs):
    if raw or not instance._state.adding or locking.is_unlocked():
        return
    if instance.state != PLANNING:
        raise CycleCreatedLocked()


def cycle_bulk_guard(objs) -> None:
    if not locking.is_unlocked() and any(obj.state != PLANNING for obj in objs):
        raise CycleCreatedLocked()


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_init, post_save, pre_save

    for model in tracked_models():
        uid = f"workflow-integrity-{model._meta.label_lower}"
        post_init.connect(_remember, sender=model, dispatch_uid=f"{uid}-init")
        post_save.connect(_remember_after_save, sender=model, dispatch_uid=f"{uid}-saved")
        pre_save.connect(_check_save, sender=model, dispatch_uid=f"{uid}-save")
    for field in m2m_fields():
        m2m_changed.connect(
            _check_m2m,
            sender=field.remote_field.through,
            dispatch_uid=f"workflow-integrity-m2m-{field.model._meta.label_lower}-{field.name}",
        )
    pre_save.connect(
        _cycle_created, sender=_cycle_model(), dispatch_uid="workflow-integrity-cycle-created"
    )
