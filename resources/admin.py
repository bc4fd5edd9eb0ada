from django.contrib import admin

from .models import ResourcesImport


@admin.register(ResourcesImport)
class ResourcesImportAdmin(admin.ModelAdmin):
    """The log of the imports, for the administrators: read only, since it is the record of
    who changed the finance and staff tables and how (changes go through the workbook)."""

    list_display = ["cycle", "at", "user", "file_name", "added", "changed", "removed"]
    list_filter = ["cycle"]
    readonly_fields = [f.name for f in ResourcesImport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
