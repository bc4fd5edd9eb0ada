from django.contrib import admin

from accounts.admin_rules import ReadOnlyAdmin, YearRulesAdmin
from core.models import Transition
from indicators.models import TargetRevision

from .models import (
    ChecklistItem,
    GapJustification,
    Remark,
    Validation,
)


@admin.register(ChecklistItem)
class ChecklistItemAdmin(YearRulesAdmin):
    """The body's checklist: a validated year keeps the texts as the OIV answered them
    (ChecklistAnswer.text), so items change freely; one answered in a validated year is not
    deleted (its answers would go with it)."""

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


@admin.register(GapJustification)
class GapJustificationAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "item", "created_by", "created_at"]
