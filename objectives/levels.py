"""An implicit level (the perspective of a plan without a first level, the operational
objective that carries a strategic objective's direct indicators) is its parent's only child.

``clean()`` says so to the forms and the admin, the plan's checks to the workbook; this module
holds it on every other write path: ``save()``, ``bulk_create()``, ``bulk_update()`` and
``update()`` (the base manager is ``objects``, core.locking). Each write is followed, in its
own savepoint, by one aggregate over the parents it touched; a parent with an implicit child and
any other child rolls the write back with the model's Italian message. Imported by the models:
no model import here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Count, Q

from core.querysets import CycleOwnedQuerySet


def ensure_alone(model, parent_ids, using: str | None) -> None:
    """Refuse if any of ``parent_ids`` has an implicit child beside another child."""
    parent = model.implicit_parent
    ids = {pk for pk in parent_ids if pk is not None}
    if not ids:
        return
    crowded = (
        model._base_manager.db_manager(using)
        .filter(**{f"{parent}__in": ids})
        .order_by()
        .values(parent)
        .annotate(rows=Count("pk"), implicit_rows=Count("pk", filter=Q(implicit=True)))
        .filter(implicit_rows__gt=0, rows__gt=1)
    )
    if crowded.exists():
        raise ValidationError(model.implicit_crowded_message, code="implicit_not_alone")


class ImplicitLevelQuerySet(CycleOwnedQuerySet):
    def _watched(self, names) -> bool:
        field = self.model._meta.get_field(self.model.implicit_parent)
        return bool({"implicit", field.name, field.attname} & set(names))

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        attname = self.model._meta.get_field(self.model.implicit_parent).attname
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            ensure_alone(self.model, {getattr(obj, attname) for obj in objs}, self.db)
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        if not self._watched(fields):
            return super().bulk_update(objs, fields, *args, **kwargs)
        parent = self.model.implicit_parent
        with transaction.atomic(using=self.db):
            done = super().bulk_update(objs, fields, *args, **kwargs)
            parents = self.model._base_manager.db_manager(self.db).filter(
                pk__in=[obj.pk for obj in objs]
            )
            ensure_alone(self.model, parents.values_list(parent, flat=True), self.db)
        return done

    bulk_update.alters_data = True

    def update(self, **kwargs):
        if not self._watched(kwargs):
            return super().update(**kwargs)
        parent = self.model.implicit_parent
        with transaction.atomic(using=self.db):
            pks = list(self.order_by().values_list("pk", flat=True))
            done = super().update(**kwargs)
            parents = self.model._base_manager.db_manager(self.db).filter(pk__in=pks)
            ensure_alone(self.model, parents.values_list(parent, flat=True), self.db)
        return done

    update.alters_data = True


class ImplicitLevel(models.Model):
    """The model side: ``save()`` checks the parent when the row is new or its parent or its
    flag changed since it was read (a save that changes neither costs no query)."""

    implicit_parent: str  # the foreign key whose children the rule counts
    implicit_crowded_message: str

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        key = self._implicit_key()
        if not self._state.adding and getattr(self, "_implicit_loaded", None) == key:
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            super().save(*args, **kwargs)
            ensure_alone(type(self), {key[0]}, using)
        self._implicit_loaded = key

    def _implicit_key(self):
        attname = self._meta.get_field(self.implicit_parent).attname
        return (self.__dict__.get(attname), self.__dict__.get("implicit"))

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._implicit_loaded = instance._implicit_key()
        return instance
