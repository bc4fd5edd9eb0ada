"""The admin of the core (the body and its years): here, in the project, because it asks the
permission rules of ``accounts``, which sit above the core."""

from django.contrib import admin

from accounts import permissions as perms
from accounts.admin_rules import YearRulesAdmin
from core.models import YEAR_SETTINGS, Body, Cycle


@admin.register(Body)
class BodyAdmin(YearRulesAdmin):
    """The body's settings (name, bands, missed-deadline rule): the system administrators';
    a change reaches the years not yet submitted (each Cycle keeps its own copy)."""

    admin_only = True
    list_display = ["name", "slug", "kind", "band_achieved_from", "band_partial_from"]


@admin.register(Cycle)
class CycleAdmin(YearRulesAdmin):
    """A year is created in planning and moves only through the workflow's transitions
    (who may, with a record and notifications): the state is never a field here. The planning
    office edits the year's plan reference while its plan is open; creating or deleting a year,
    and the year's copy of the body's settings, are the administrators' (the planning office
    opens the next year from the previous one)."""

    list_display = ["body", "year", "state"]
    list_filter = ["state", "body"]

    def get_readonly_fields(self, request, obj=None):
        fields = ["state", "body", "year"] if obj is not None else ["state"]
        if not (perms.is_superadmin(request.user) or (obj and perms.is_admin(request.user, obj))):
            # The year's copy of the body's settings and name: the administrators' (as the
            # body's own), kept in step with the body until the submission.
            fields += [*YEAR_SETTINGS, "body_name", "body_short_name"]
        return fields

    def has_add_permission(self, request, obj=None):
        return perms.is_superadmin(request.user)

    def has_delete_permission(self, request, obj=None):
        if not perms.is_superadmin(request.user):
            return False
        return obj is None or self.may_write(request.user, obj)
