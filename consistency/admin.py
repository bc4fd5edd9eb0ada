from django.contrib import admin

from accounts.admin_rules import ReadOnlyAdmin

from .models import FindingJustification


@admin.register(FindingJustification)
class FindingJustificationAdmin(ReadOnlyAdmin):
    """Written on the consistency page (consistency.services), where the role, the year and
    the finding being open are checked."""

    list_display = ["cycle", "rule", "object_key", "created_by", "created_at"]
    list_filter = ["cycle", "rule"]
    search_fields = ["object_key", "text"]
