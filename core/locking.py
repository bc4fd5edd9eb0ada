"""The locked year: once the OIV has validated a year, nothing of it changes by any path.

The guard sits below everything (forms, Excel import, admin, management commands, services):

* ``pre_save``/``pre_delete`` receivers on every model that belongs to a cycle (its own
  ``cycle`` foreign key, or through a parent that has one, e.g. ScorecardRow -> Scorecard);
* ``m2m_changed`` on a many-to-many of a year's model (the units of an operational objective,
  connected by objectives' ready() with :func:`guard_many_to_many`);
* :class:`core.querysets.CycleOwnedQuerySet` for ``update()``, ``delete()``,
  ``bulk_create()`` and ``bulk_update()``, which bypass the signals;
* the Cycle itself: a locked cycle cannot be deleted, its fields other than the state cannot
  change, and a change of state made outside the workflow services is logged as a transition
  (and, when it leaves a locked state, voids the validation), so nothing happens unseen;
  :class:`core.querysets.CycleQuerySet` refuses the bulk paths (``update()``,
  ``bulk_update()``) that would change a state with no record, or a locked cycle.

The context and the resources (finance, staff, context tables) freeze earlier, at the
submission to the OIV (``machine.FROZEN_STATES``: submitted, validated, published; a return
reopens them), as the permissions freeze the plan and the texts.

Every guarded model's base manager (``Model._base_manager``, used by related-object access and
reachable from any code) is its guarded ``objects`` manager, set by :func:`connect_guards`,
which also refuses to start if a guarded model lacks the guarded QuerySet. The assignment of
units to operational objectives (the table Django creates) gets the guarded manager too.

What the body says for every year (band thresholds, the missed-deadline rule, its name, the
units' names and codes, the OIV's checklist texts) is copied into each year (``Cycle`` fields,
``objectives.CycleUnit``, ``ChecklistAnswer.text``): a change of the body reaches the years not
yet submitted only, and the copies in a validated year are guarded like the rest of it.

Each check is one query. The only ways around are :func:`unlocked` (the demo loader, which
rebuilds the demo years) and raw SQL, which ``manage.py verify_snapshot`` detects.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.dispatch import Signal

from . import dataversion
from .machine import LOCKED_STATES  # the one definition, in the pure machine

_UNLOCKED: ContextVar[bool] = ContextVar("workflow_unlocked", default=False)
_IN_TRANSITION: ContextVar[bool] = ContextVar("workflow_in_transition", default=False)


# Sent when a validated year leaves its locked states outside the workflow's services (the
# admin, a script): the apps above that hold what the lock stood for (the OIV's validation)
# void it. Its receivers run in the same transaction as the change.
unlocked_outside_workflow = Signal()


class YearLocked(PermissionDenied):
    """A write to a year that the OIV has validated (or, for the context and resources, that
    was submitted to the OIV)."""

    def __init__(self, year=None, state=None):
        year_text = f"L'anno {year}" if year else "L'anno"
        if state is not None and state not in LOCKED_STATES:
            message = (
                f"{year_text} è stato trasmesso all'OIV: i suoi dati di contesto e risorse non "
                "possono essere modificati finché l'OIV non lo restituisce."
            )
        else:
            message = (
                f"{year_text} è stato validato dall'OIV: i suoi dati non possono più essere "
                "modificati. Solo l'amministratore di sistema può riaprirlo, con una motivazione."
            )
        super().__init__(message)
        self.year = year
        self.state = state


class StateOutsideWorkflow(PermissionDenied):
    """A bulk change of a cycle's state, which no transition would record."""

    def __init__(self):
        super().__init__(
            "Lo stato di un ciclo cambia solo con le azioni del flusso di lavoro (chiusura, "
            "trasmissione all'OIV, validazione, pubblicazione, riapertura), che lo registrano."
        )


@contextmanager
def unlocked() -> Iterator[None]:
    """Lift the guard for the block (the demo loader only: it rebuilds its demo years)."""
    token = _UNLOCKED.set(True)
    try:
        yield
    finally:
        _UNLOCKED.reset(token)


@contextmanager
def in_transition() -> Iterator[None]:
    """Marks the state changes made by the workflow services (not logged a second time)."""
    token = _IN_TRANSITION.set(True)
    try:
        yield
    finally:
        _IN_TRANSITION.reset(token)


def is_unlocked() -> bool:
    return _UNLOCKED.get()


def is_in_transition() -> bool:
    return _IN_TRANSITION.get()


# --- Where a model's cycle is ------------------------------------------------------------

_PATHS: dict[type, tuple[str, ...] | None] = {}


def cycle_path(model) -> tuple[str, ...] | None:
    """The chain of foreign keys from ``model`` to its Cycle: ("cycle",) for most models,
    ("scorecard", "cycle") for a row of a cruscotto; None when it has no cycle."""
    model = (getattr(model, "_meta", None) and model._meta.concrete_model) or model
    if model in _PATHS:
        return _PATHS[model]
    cycle_model = apps.get_model("core", "Cycle")
    path = None
    # One-to-one too: a target proposal belongs to the year of its (new) indicator.
    fields = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    for f in fields:
        if f.name == "cycle" and f.related_model is cycle_model:
            path = ("cycle",)
            break
    else:
        for f in fields:
            parent = cycle_path(f.related_model) if f.related_model is not model else None
            if parent == ("cycle",):
                path = (f.name, "cycle")
                break
    _PATHS[model] = path
    return path


def lookup(model) -> str | None:
    path = cycle_path(model)
    return "__".join(path) if path else None


def _declared_lock(model) -> frozenset[str] | None:
    """The states that lock ``model``'s rows, as its manager declares them (``year_lock`` of
    core.querysets.CycleOwnedQuerySet and FrozenAtSubmissionQuerySet); None: not a year's row.
    Declared by each model in its own app, so the core names none of the apps above it."""
    queryset_class = getattr(model._default_manager, "_queryset_class", None)
    return getattr(queryset_class, "year_lock", None)


def lock_states(model) -> frozenset[str]:
    """The states in which the rows of ``model`` may not change."""
    return _declared_lock(model._meta.concrete_model) or LOCKED_STATES


def is_guarded(model) -> bool:
    meta = model._meta
    if meta.auto_created or meta.abstract:
        return False
    if _declared_lock(model) is None:
        return False
    if any(f.name == "history_id" for f in meta.fields):  # django-simple-history records
        return False
    return cycle_path(model) is not None


def _cycle_q_for_instance(instance) -> Q:
    """The cycle an instance (saved or not) points to, as a filter on Cycle."""
    path = cycle_path(type(instance))
    if path == ("cycle",):
        return Q(pk=instance.cycle_id)
    fk = type(instance)._meta.get_field(path[0])
    return Q(
        pk__in=fk.related_model._base_manager.filter(pk=getattr(instance, fk.attname)).values(
            "cycle"
        )
    )


def locked_cycle(q: Q, states: frozenset[str] = LOCKED_STATES) -> tuple[int, str] | None:
    """(year, state) of a cycle matching ``q`` in one of ``states`` (one query), or None."""
    cycle_model = apps.get_model("core", "Cycle")
    return (
        cycle_model._base_manager.filter(q, state__in=states).values_list("year", "state").first()
    )


def ensure_unlocked(q: Q, states: frozenset[str] = LOCKED_STATES) -> None:
    if is_unlocked():
        return
    found = locked_cycle(q, states)
    if found is not None:
        raise YearLocked(*found)


def instances_cycles_q(model, objs: list) -> Q:
    """The cycles ``objs`` point to now, and the cycles the saved ones belong to in the
    database, as a filter on Cycle (subqueries: no query of its own)."""
    path = cycle_path(model)
    if path == ("cycle",):
        q = Q(pk__in={obj.cycle_id for obj in objs})
    else:
        fk = model._meta.get_field(path[0])
        parents = {getattr(obj, fk.attname) for obj in objs}
        q = Q(pk__in=fk.related_model._base_manager.filter(pk__in=parents).values("cycle"))
    pks = [obj.pk for obj in objs if obj.pk is not None]
    if pks:
        q |= Q(pk__in=model._base_manager.filter(pk__in=pks).values(lookup(model)))
    return q


def ensure_instances_unlocked(model, objs: Iterable) -> None:
    """One query for any number of objects: the cycles they point to now, and the cycles the
    saved ones belong to in the database (a row may not be moved out of a locked year)."""
    if is_unlocked():
        return
    ensure_unlocked(instances_cycles_q(model, list(objs)), lock_states(model))


# --- Receivers ---------------------------------------------------------------------------


def _guard_save(sender, instance, raw=False, **kwargs):
    if is_unlocked() or not is_guarded(sender):
        return
    q = _cycle_q_for_instance(instance)
    if instance.pk is not None and not instance._state.adding:
        # Moving a row out of a locked year is a change of that year too.
        q |= Q(pk__in=sender._base_manager.filter(pk=instance.pk).values(lookup(sender)))
    ensure_unlocked(q, lock_states(sender))


def _guard_delete(sender, instance, origin=None, **kwargs):
    if is_unlocked() or not is_guarded(sender):
        return
    if getattr(origin, "_workflow_checked", False):
        return  # CycleOwnedQuerySet.delete() already checked the whole queryset
    path = cycle_path(sender)
    key = (path[0], getattr(instance, f"{path[0]}_id"))
    memo = None
    if origin is not None:
        memo = origin.__dict__.setdefault("_workflow_lock_memo", {})
        if key in memo:
            if memo[key] is not None:
                raise YearLocked(*memo[key])
            return
    found = locked_cycle(_cycle_q_for_instance(instance), lock_states(sender))
    if memo is not None:
        memo[key] = found
    if found is not None:
        raise YearLocked(*found)


def _saved_instance_cycles_q(sender, instance) -> Q:
    q = _cycle_q_for_instance(instance)
    if instance.pk is not None and not instance._state.adding:
        q |= Q(pk__in=sender._base_manager.filter(pk=instance.pk).values(lookup(sender)))
    return q


def _bump_before_save(sender, instance, raw=False, using="default", **kwargs):
    """core.dataversion: the year's data version, before the write (the cycle's row lock
    first), and again after it when the save commits on its own."""
    dataversion.bump(_saved_instance_cycles_q(sender, instance), using)


def _bump_after_save(sender, instance, raw=False, using="default", **kwargs):
    if dataversion.in_autocommit(using):
        dataversion.bump(_cycle_q_for_instance(instance), using)


def _bump_before_delete(sender, instance, origin=None, using="default", **kwargs):
    """Once per year for a whole deletion (its cascade stays in the year: core.integrity);
    a queryset's delete() raised it already. Deletions run in a transaction (the collector's)."""
    if getattr(origin, "_data_version_bumped", False):
        return
    path = cycle_path(sender)
    key = (sender, getattr(instance, f"{path[0]}_id"))
    done = origin.__dict__.setdefault("_data_version_memo", set()) if origin is not None else None
    if done is not None and key in done:
        return
    dataversion.bump(_cycle_q_for_instance(instance), using)
    if done is not None:
        done.add(key)


def _bump_transition(sender, instance, raw=False, using="default", **kwargs):
    dataversion.bump(Q(pk=instance.cycle_id), using)


def _bump_rules_changed(sender, cycle_ids, **kwargs):
    dataversion.bump(Q(pk__in=list(cycle_ids)))


def _cycle_pre_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or is_unlocked():
        instance._workflow_old_state = None
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._workflow_old_state = old.state if old else None
    if old is None or old.state not in LOCKED_STATES:
        return
    for field in sender._meta.concrete_fields:
        if field.name in ("state", "id", "data_version"):
            continue
        if getattr(old, field.attname) != getattr(instance, field.attname):
            raise YearLocked(old.year)


def _cycle_post_save(sender, instance, created=False, raw=False, **kwargs):
    """A change of state made outside the workflow services (Django admin, shell, a test) is
    still logged; leaving a locked state that way voids the validation."""
    old_state = getattr(instance, "_workflow_old_state", None)
    if created or raw or old_state is None or old_state == instance.state:
        return
    if is_in_transition():
        return
    from django.utils import timezone

    from .models import Transition

    now = timezone.now()
    Transition.objects.create(
        cycle=instance,
        source=old_state,
        target=instance.state,
        user=None,
        at=now,
        note="Cambio di stato fuori dal flusso di lavoro (amministrazione o script).",
    )
    if old_state in LOCKED_STATES and instance.state not in LOCKED_STATES:
        # The validation is workflow's: it voids it (workflow.apps connects the receiver).
        unlocked_outside_workflow.send(sender=sender, cycle=instance, at=now)


def _cycle_pre_delete(sender, instance, **kwargs):
    if is_unlocked():
        return
    if sender._base_manager.filter(pk=instance.pk, state__in=LOCKED_STATES).exists():
        raise YearLocked(instance.year)


def _guard_base_manager(model) -> None:
    """Make the guarded ``objects`` the model's base manager too, so ``_base_manager.update()``
    and the like are refused as ``objects.update()`` is. Set here rather than in every Meta so
    that no model can be forgotten; refuses to start if a model is not guarded at all."""
    from django.core.exceptions import ImproperlyConfigured

    from .querysets import CycleOwnedQuerySet

    meta = model._meta
    manager = meta.managers_map.get("objects")
    if manager is None or not isinstance(manager.get_queryset(), CycleOwnedQuerySet):
        raise ImproperlyConfigured(
            f"{meta.label} belongs to a cycle: its manager 'objects' must be "
            "CycleOwnedQuerySet.as_manager() (core.querysets)."
        )
    meta.base_manager_name = "objects"
    meta.__dict__.pop("base_manager", None)  # a cached_property, maybe read already


def _guard_through(through) -> None:
    """The table Django creates for a many-to-many field gets the guarded manager (its rows
    belong to a cycle through their objective), so ``through.objects.filter().delete()``,
    ``bulk_create()`` and the related managers' ``add``/``remove``/``set`` are all checked."""
    from .querysets import CycleOwnedQuerySet

    meta = through._meta
    meta.local_managers = [m for m in meta.local_managers if m.name != "objects"]
    CycleOwnedQuerySet.as_manager().contribute_to_class(through, "objects")
    meta.base_manager_name = "objects"
    meta.__dict__.pop("base_manager", None)


def connect_guards() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

    from .models import rules_changed

    for model in apps.get_models():
        if is_guarded(model):
            _guard_base_manager(model)
            uid = f"workflow-lock-{model._meta.label_lower}"
            pre_save.connect(_guard_save, sender=model, dispatch_uid=f"{uid}-save")
            pre_delete.connect(_guard_delete, sender=model, dispatch_uid=f"{uid}-delete")
            # After the guard (connected first): a refused write raises no version.
            pre_save.connect(_bump_before_save, sender=model, dispatch_uid=f"{uid}-version")
            post_save.connect(_bump_after_save, sender=model, dispatch_uid=f"{uid}-version-after")
            pre_delete.connect(_bump_before_delete, sender=model, dispatch_uid=f"{uid}-v-delete")
    transition = apps.get_model("core", "Transition")
    post_save.connect(_bump_transition, sender=transition, dispatch_uid="core-version-transition")
    post_delete.connect(_bump_transition, sender=transition, dispatch_uid="core-version-tr-del")
    rules_changed.connect(_bump_rules_changed, dispatch_uid="core-version-rules")
    cycle = apps.get_model("core", "Cycle")
    pre_save.connect(_cycle_pre_save, sender=cycle, dispatch_uid="workflow-cycle-pre-save")
    post_save.connect(_cycle_post_save, sender=cycle, dispatch_uid="workflow-cycle-post-save")
    pre_delete.connect(_cycle_pre_delete, sender=cycle, dispatch_uid="workflow-cycle-delete")


def guard_many_to_many(field) -> None:
    """Lock the many-to-many ``field`` of a year's model with the year: its through table
    gets the guarded manager, and adding or removing (from either side) in a locked year is
    refused. Called by the ready() of the app that owns the field (the units of an operational
    objective), so the core names no model above it."""
    from django.db.models.signals import m2m_changed

    owner = field.model
    by_owner = owner._meta.get_field("cycle").related_query_name()
    through = field.remote_field.through
    _guard_through(through)

    def guard(sender, instance, action, reverse, model, pk_set, using="default", **kwargs):
        if action not in ("pre_add", "pre_remove", "pre_clear"):
            return
        if not reverse:
            q = Q(pk=instance.cycle_id)
        elif pk_set:
            q = Q(**{f"{by_owner}__in": pk_set})
        else:
            q = Q(**{f"{by_owner}__{field.name}": instance})
        if not is_unlocked():
            ensure_unlocked(q)
        dataversion.bump(q, using)  # the related managers write in a transaction

    uid = f"core-lock-{through._meta.label_lower}"
    m2m_changed.connect(guard, sender=through, weak=False, dispatch_uid=uid)


def guarded_models() -> list:
    return [model for model in apps.get_models() if is_guarded(model)]
