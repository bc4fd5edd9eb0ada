from django.contrib import admin

from .models import FindingJustification


@admin.register(FindingJustification)
class FindingJustificationAdmin(admin.ModelAdmin):
    list_display = ["cycle", "rule", "object_key", "created_by", "created_at"]
    list_filter = ["cycle", "rule"]
    search_fields = ["object_key", "text"]
    readonly_fields = ["created_by", "created_at"]
