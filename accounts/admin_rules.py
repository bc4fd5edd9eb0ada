"""The rules every page of the Django admin obeys, for every role (superusers included).

* Who: the planning office and the administrators see the admin of what they manage
  (:func:`accounts.permissions.can_view_plan_admin`); some models are the administrators' only
  (``admin_only``); unit managers and the OIV have no admin at all (see ``relazione.admin``).
* What: a row of a year is written only while the year's plan is open
  (:func:`accounts.permissions.can_edit_plan`: not once closed, with the OIV, validated or
  published); a row of the body (a unit, a checklist item, the body's settings) may change,
  since a submitted or validated year keeps its own copy, but is not deleted once a validated
  year uses it.
* How: the form checks, before any write, the year the new values lead to and that every
  reference is of the same year (:mod:`core.integrity`), so a refusal is a message on the
  form; what the model layer still refuses (a race) is a message too, never a 500.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.text import capfirst

from accounts import permissions as perms
from core import integrity, locking
from core.machine import LOCKED_STATES

CLOSED_YEAR = (
    "Il piano dell'anno {year} non è modificabile in questo stato ({state}): "
    "nell'amministrazione si scrive solo negli anni in pianificazione o in monitoraggio."
)

WRITE_REFUSED = (
    "Questo dato appartiene a un anno chiuso o validato, o è usato da un anno validato: "
    "non può essere modificato né eliminato."
)


def object_cycle(obj):
    """The Cycle a row belongs to (through its parents), or None."""
    from core.models import Cycle

    if isinstance(obj, Cycle):
        return obj
    path = locking.cycle_path(type(obj))
    if path is None:
        return None
    for name in path:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


def body_lookup(model) -> str | None:
    """The ORM path from ``model`` to its Body: through its year (``cycle__body``,
    ``scorecard__cycle__body``), or its own ``body`` (a unit, a checklist item); the Body
    itself is ``pk``. None: the model belongs to no body."""
    from core.models import Body

    if model is Body:
        return "pk"
    path = locking.lookup(model)
    if path is not None:
        return f"{path}__body"
    field = next((f for f in model._meta.concrete_fields if f.name == "body"), None)
    if field is not None and field.related_model is Body:
        return "body"
    return None


def object_body_id(obj) -> int | None:
    from core.models import Body

    if isinstance(obj, Body):
        return obj.pk
    cycle = object_cycle(obj)
    if cycle is not None:
        return cycle.body_id
    return getattr(obj, "body_id", None)


def reaches_locked_year(obj) -> bool:
    """Whether a row of a validated year refers to ``obj`` (a unit, a checklist item): then
    changing or deleting it would change that year. One query per reverse relation."""
    if obj is None or obj.pk is None:
        return False
    for rel in obj._meta.related_objects:
        related = rel.related_model
        lookup = locking.lookup(related)
        if lookup is None:
            continue
        name = rel.field.name
        filters = {name: obj, f"{lookup}__state__in": LOCKED_STATES}
        if related._base_manager.filter(**filters).exists():
            return True
    return False


class YearRulesAdmin(admin.ModelAdmin):
    """Permissions from accounts.permissions instead of Django's model permissions."""

    admin_only = False  # the system administrators' only (users, bodies)
    # ``list_editable`` saves a page of rows with no per-row permission: never used.
    list_editable = ()

    def _role_allowed(self, user) -> bool:
        if self.admin_only:
            return perms.is_superadmin(user)
        return perms.can_view_plan_admin(user)

    def _in_own_body(self, user, obj) -> bool:
        """A planning office manages its bodies' rows only: another body's row is not even
        listed (get_queryset), and opened by its id it is refused."""
        ids = perms.plan_admin_body_ids(user)
        if ids is None:
            return True
        body_id = object_body_id(obj)
        return body_id is not None and body_id in ids

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = perms.plan_admin_body_ids(request.user)
        if ids is None:
            return qs
        path = body_lookup(self.model)
        if path is None:
            return qs if self.admin_only else qs.none()
        return qs.filter(**{f"{path}__in": ids})

    def _scoped_choices(self, request, db_field, kwargs):
        """The rows another row may point to: the person's bodies' only."""
        ids = perms.plan_admin_body_ids(request.user)
        path = body_lookup(db_field.related_model)
        if ids is not None and path is not None:
            base = kwargs.get("queryset") or db_field.related_model._default_manager.all()
            kwargs["queryset"] = base.filter(**{f"{path}__in": ids})
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = self._scoped_choices(request, db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs = self._scoped_choices(request, db_field, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def may_write(self, user, obj) -> bool:
        """A row of a year: while its plan is open. A row of the body (a unit, a checklist
        item, the body): a change reaches only the years not yet submitted, the others keep
        their own copies (see README, Security). Another body's row: never."""
        if not self._in_own_body(user, obj):
            return False
        cycle = object_cycle(obj)
        if cycle is not None:
            return perms.can_edit_plan(user, cycle)
        return True

    def may_delete(self, user, obj) -> bool:
        """As a change, and a row of the body only if no validated year uses it (its rows
        would go with it)."""
        if object_cycle(obj) is None and reaches_locked_year(obj):
            return False
        return self.may_write(user, obj)

    def has_module_permission(self, request):
        return self._role_allowed(request.user)

    def has_view_permission(self, request, obj=None):
        if not self._role_allowed(request.user):
            return False
        return obj is None or self._in_own_body(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return self._role_allowed(request.user)

    def has_change_permission(self, request, obj=None):
        if not self._role_allowed(request.user):
            return False
        return obj is None or self.may_write(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not self._role_allowed(request.user):
            return False
        return obj is None or self.may_delete(request.user, obj)

    def write_error(self, user, instance) -> str | None:
        """Why the form's values may not be saved (None: they may)."""
        cycle = object_cycle(instance)
        if cycle is not None and not perms.can_edit_plan(user, cycle):
            return CLOSED_YEAR.format(year=cycle.year, state=cycle.get_state_display())
        if cycle is None and instance.pk is not None and not self.may_write(user, instance):
            return WRITE_REFUSED
        try:
            integrity.check_instance(instance)
        except ValidationError as exc:
            return " ".join(exc.messages)
        return None

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        model_admin, user = self, request.user

        class YearCheckedForm(form):
            def _post_clean(self):
                super()._post_clean()
                # Asked even when other fields have errors: the year is the first thing a
                # refused write should be told.
                error = model_admin.write_error(user, self.instance)
                if error:
                    self.add_error(None, error)

        for name, field in YearCheckedForm.base_fields.items():
            model_field = next((f for f in self.model._meta.fields if f.name == name), None)
            if model_field is not None and model_field.is_relation:
                field.label = capfirst(integrity.field_label(model_field))
        YearCheckedForm.__name__ = form.__name__
        return YearCheckedForm

    def delete_model(self, request, obj):
        perms.ensure(self.may_delete(request.user, obj), WRITE_REFUSED)
        obj._history_user = request.user
        obj.delete()

    def delete_queryset(self, request, queryset):
        # The bulk action asked has_delete_permission of each row already; asked again here
        # because this is the write.
        for obj in queryset:
            perms.ensure(self.may_delete(request.user, obj), WRITE_REFUSED)
        super().delete_queryset(request, queryset)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """django-simple-history's revert page saves with the *view* permission: a revert is
        a change, so it asks the change permission of the row as it is now."""
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            # A service or the model refused the save (someone else saved first): nothing
            # was written; the message says why.
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyAdmin(YearRulesAdmin):
    """Records whose one write path is a page with its service (the consistency
    justifications, the context tables, the log of the resources imports, the workflow's
    records): an admin form would go around the service's checks."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
