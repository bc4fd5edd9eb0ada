from django.contrib import admin

from .models import Body, ContextTable, Cycle, DeclaredFigure


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
class ContextTableAdmin(admin.ModelAdmin):
    list_display = ["cycle", "key", "title", "updated_at", "updated_by"]
    readonly_fields = ["version", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        # The planning office's page saves over the version it loaded: an admin save bumps it,
        # so a page opened before this save is refused instead of overwriting it.
        if change:
            obj.version += 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
