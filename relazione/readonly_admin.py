"""Admin pages that only show records whose one write path is a page with its service (the
consistency justifications, the context tables, the log of the resources imports): an admin
form would go around the service's checks (role, finding still open, parsed cells, version)."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
