from django.contrib import admin

from relazione.admin_rules import ReadOnlyAdmin, YearRulesAdmin

from . import locking
from .machine import LOCKED_STATES
from .models import ChecklistItem, Remark, TargetRevision, Transition, Validation


@admin.register(ChecklistItem)
class ChecklistItemAdmin(YearRulesAdmin):
    """An item answered in a validated year is what the OIV signed: read-only (and not
    deleted) from then on. While the items belong to the body rather than to a year, the
    list of a validated year is the body's active items, so none is added either."""

    list_display = ["text", "body", "order", "active"]
    list_filter = ["body", "active"]

    def write_error(self, user, instance):
        if (
            instance.pk is None
            and locking.cycle_path(type(instance)) is None
            and instance.body_id is not None
            and instance.body.cycles.filter(state__in=LOCKED_STATES).exists()
        ):
            return (
                "La lista di verifica di un anno validato dall'OIV non cambia: una voce "
                "nuova comparirebbe anche in quell'anno."
            )
        return super().write_error(user, instance)


# Process records are written by the workflow services only.


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "source", "target", "user", "at"]
    list_filter = ["cycle", "target"]


@admin.register(Validation)
class ValidationAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "date", "snapshot_hash", "voided"]
    exclude = ["snapshot"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "snapshot"]


@admin.register(TargetRevision)
class TargetRevisionAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "old_target", "new_target", "act_reference", "act_date"]


@admin.register(Remark)
class RemarkAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "status", "created_at", "author"]
