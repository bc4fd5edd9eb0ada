from django.contrib import admin

from .models import ChecklistItem, Remark, TargetRevision, Transition, Validation


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["text", "body", "order", "active"]
    list_filter = ["body", "active"]
    list_editable = ["order", "active"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Process records are written by the workflow services only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "source", "target", "user", "at"]
    list_filter = ["cycle", "target"]


@admin.register(Validation)
class ValidationAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "date", "snapshot_hash", "voided"]
    exclude = ["snapshot"]


@admin.register(TargetRevision)
class TargetRevisionAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "old_target", "new_target", "act_reference", "act_date"]


@admin.register(Remark)
class RemarkAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "status", "created_at", "author"]
