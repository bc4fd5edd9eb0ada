from django.contrib import admin

from relazione.admin_rules import ReadOnlyAdmin

from .models import ResourcesImport


@admin.register(ResourcesImport)
class ResourcesImportAdmin(ReadOnlyAdmin):
    """The record of who changed the finance and staff tables and how."""

    list_display = ["cycle", "at", "user", "file_name", "added", "changed", "removed"]
    list_filter = ["cycle"]
