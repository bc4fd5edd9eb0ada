from django.contrib import admin

from relazione.admin_rules import ReadOnlyAdmin, YearRulesAdmin

from .models import ChecklistItem, Remark, TargetRevision, Transition, Validation


@admin.register(ChecklistItem)
class ChecklistItemAdmin(YearRulesAdmin):
    """An item answered in a validated year is what the OIV signed: read-only (and not
    deleted) from then on; new items and items not yet signed are edited here."""

    list_display = ["text", "body", "order", "active"]
    list_filter = ["body", "active"]


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
