from django.contrib import admin

from .models import Body, ContextTable, Cycle, DeclaredFigure
from .readonly_admin import ReadOnlyAdmin


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "band_achieved_from", "band_partial_from"]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["body", "year", "state"]
    list_filter = ["state", "body"]

    def get_readonly_fields(self, request, obj=None):
        # The state moves only through the workflow (who may, with a log and notifications).
        return ["state"] if obj is not None else []


@admin.register(DeclaredFigure)
class DeclaredFigureAdmin(admin.ModelAdmin):
    list_display = ["cycle", "table", "key", "label", "text", "value"]
    list_filter = ["cycle", "table"]


@admin.register(ContextTable)
class ContextTableAdmin(ReadOnlyAdmin):
    """Written at /gestione/<year>/risorse/contesto/ (resources.context_services), where the
    pasted cells are parsed and the version checked."""

    list_display = ["cycle", "key", "title", "updated_at", "updated_by"]
    list_filter = ["cycle"]
