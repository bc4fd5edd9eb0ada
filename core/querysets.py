"""A QuerySet for the models that belong to a cycle: ``update()``, ``delete()``,
``bulk_create()`` and ``bulk_update()`` skip the model signals, so they check here that no
locked (validated) year is touched. Imported by the models of the other apps: no model import
at module level."""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import Q

from . import dataversion, integrity, locking, machine


class CycleOwnedQuerySet(integrity.IntegrityQuerySet):  # + one year per row (integrity.py)
    """The manager of every row that belongs to a year: a model declares that it is locked with
    its year by using it (core.locking derives the guards from it, for every app above)."""

    # The states in which the rows may not change (core.locking.lock_states).
    year_lock = machine.LOCKED_STATES

    def _rows_cycles_q(self, extra: Q | None = None) -> Q:
        q = Q(pk__in=self.order_by().values(locking.lookup(self.model)))
        return q | extra if extra is not None else q

    def _ensure_rows_unlocked(self, extra: Q | None = None) -> None:
        if locking.is_unlocked():
            return
        locking.ensure_unlocked(self._rows_cycles_q(extra), locking.lock_states(self.model))

    def update(self, **kwargs):
        # Moving rows into a locked year (cycle=..., or the parent that carries the cycle).
        extra = None
        path = locking.cycle_path(self.model)
        fk = self.model._meta.get_field(path[0])
        for name in (fk.name, fk.attname):
            if name in kwargs:
                value = getattr(kwargs[name], "pk", kwargs[name])
                extra = (
                    Q(pk=value)
                    if path == ("cycle",)
                    else Q(pk__in=fk.related_model._base_manager.filter(pk=value).values("cycle"))
                )
        self._ensure_rows_unlocked(extra)
        with transaction.atomic(using=self.db, savepoint=False):
            dataversion.bump(self._rows_cycles_q(extra), self.db)
            return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        self._ensure_rows_unlocked()
        self._workflow_checked = True
        with transaction.atomic(using=self.db, savepoint=False):
            dataversion.bump(self._rows_cycles_q(), self.db)
            self._data_version_bumped = True
            return super().delete()

    delete.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        locking.ensure_instances_unlocked(self.model, objs)
        if not objs:
            return super().bulk_create(objs, *args, **kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            dataversion.bump(locking.instances_cycles_q(self.model, objs), self.db)
            return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        locking.ensure_instances_unlocked(self.model, objs)
        if not objs:
            return super().bulk_update(objs, fields, *args, **kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            dataversion.bump(locking.instances_cycles_q(self.model, objs), self.db)
            return super().bulk_update(objs, fields, *args, **kwargs)

    bulk_update.alters_data = True


class FrozenAtSubmissionQuerySet(CycleOwnedQuerySet):
    """For the rows the planning office may no longer change once the OIV has the year (the
    context and resources, the Relazione's texts, the justifications of its gaps): frozen from
    the submission, not only at validation; a return to the planning office reopens them."""

    year_lock = machine.FROZEN_STATES


class CycleQuerySet(models.QuerySet):
    """The cycles themselves. ``Cycle.save()`` is guarded by signals (a locked cycle keeps its
    fields; a change of state outside the workflow is logged as a transition). A queryset
    ``update()`` skips both, so here it may change neither a locked cycle nor any cycle's
    state: the state moves through the workflow services, or a ``save()`` that is logged."""

    def update(self, **kwargs):
        from .models import YEAR_SETTINGS, rules_changed  # the models import this module

        if not locking.is_unlocked():
            if "state" in kwargs and not locking.is_in_transition():
                raise locking.StateOutsideWorkflow()
            locking.ensure_unlocked(Q(pk__in=self.order_by().values("pk")))
        rules = set(kwargs) & set(YEAR_SETTINGS)
        ids = list(self.order_by().values_list("pk", flat=True)) if rules else []
        count = super().update(**kwargs)
        if ids:  # save() says it itself; here the stored figures follow the new rules too
            rules_changed.send(sender=self.model, cycle_ids=ids)
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        integrity.cycle_bulk_guard(objs)  # created in planning only, as save() (integrity.py)
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True

    def delete(self):
        if not locking.is_unlocked():
            locking.ensure_unlocked(Q(pk__in=self.order_by().values("pk")))
        return super().delete()

    delete.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        from .models import YEAR_SETTINGS, rules_changed

        objs = list(objs)
        if not locking.is_unlocked():
            if "state" in fields and not locking.is_in_transition():
                raise locking.StateOutsideWorkflow()
            locking.ensure_unlocked(Q(pk__in=[obj.pk for obj in objs]))
        count = super().bulk_update(objs, fields, *args, **kwargs)
        if set(fields) & set(YEAR_SETTINGS):
            rules_changed.send(sender=self.model, cycle_ids=[obj.pk for obj in objs])
        return count

    bulk_update.alters_data = True
