"""Role and unit membership are managed on the User page of the admin (Profile inline): the
system administrators' only (who may do what is not the planning office's to change)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import User

from accounts.admin_rules import YearRulesAdmin

from .models import Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    verbose_name = "ruolo e unità"
    verbose_name_plural = "ruolo e unità"
    filter_horizontal = ["units"]


class UserAdmin(YearRulesAdmin, BaseUserAdmin):
    admin_only = True

    def may_write(self, user, obj) -> bool:
        return True  # a person is not data of a year (their records keep them: PROTECT)

    inlines = [ProfileInline]
    list_display = [*BaseUserAdmin.list_display, "role"]
    list_select_related = ["profile"]

    @admin.display(description="ruolo")
    def role(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.get_role_display() if profile else "–"


admin.site.unregister(User)
admin.site.register(User, UserAdmin)


@admin.register(Profile)
class ProfileAdmin(YearRulesAdmin):
    admin_only = True

    def may_write(self, user, obj) -> bool:
        return True

    list_display = ["user", "role"]
    list_filter = ["role"]
    filter_horizontal = ["units"]
