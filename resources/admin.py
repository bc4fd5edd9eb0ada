from django.contrib import admin

from accounts.admin_rules import ReadOnlyAdmin, YearRulesAdmin

from .models import ContextTable, DeclaredFigure, ResourcesImport


@admin.register(ResourcesImport)
class ResourcesImportAdmin(ReadOnlyAdmin):
    """The record of who changed the finance and staff tables and how."""

    list_display = ["cycle", "at", "user", "file_name", "added", "changed", "removed"]
    list_filter = ["cycle"]


@admin.register(DeclaredFigure)
class DeclaredFigureAdmin(YearRulesAdmin):
    list_display = ["cycle", "table", "key", "label", "text", "value"]
    list_filter = ["cycle", "table"]

    def get_readonly_fields(self, request, obj=None):
        return ["cycle"] if obj is not None else []


@admin.register(ContextTable)
class ContextTableAdmin(ReadOnlyAdmin):
    """Written at /gestione/<year>/risorse/contesto/ (resources.context_services), where the
    pasted cells are parsed and the version checked."""

    list_display = ["cycle", "key", "title", "updated_at", "updated_by"]
    list_filter = ["cycle"]
