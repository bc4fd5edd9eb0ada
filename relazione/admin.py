from django.contrib import admin

from .models import Body, ContextTable, Cycle, DeclaredFigure


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "band_achieved_from", "band_partial_from"]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["body", "year", "state"]
    list_filter = ["state", "body"]


@admin.register(DeclaredFigure)
class DeclaredFigureAdmin(admin.ModelAdmin):
    list_display = ["cycle", "table", "key", "label", "text", "value"]
    list_filter = ["cycle", "table"]


@admin.register(ContextTable)
class ContextTableAdmin(admin.ModelAdmin):
    list_display = ["cycle", "key", "title"]
