"""A person's roles, one per body, are managed on the User page of the admin (Membership
inline): the system administrators' only (who may do what is not the planning office's to
change). A manager's units are offered and accepted only from the membership's body."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import User

from accounts.admin_rules import YearRulesAdmin

from .models import Membership, check_units_of_body


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["body", "role", "units"]

    def clean(self):
        data = super().clean()
        body, units = data.get("body"), data.get("units")
        if body is not None and units:
            try:
                check_units_of_body(body.pk, units)
            except forms.ValidationError as exc:
                self.add_error("units", exc)
        return data


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    verbose_name = "ruolo in un ente"
    verbose_name_plural = "ruoli negli enti"
    filter_horizontal = ["units"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "units":
            kwargs["queryset"] = db_field.related_model.objects.select_related("body").order_by(
                "body__name", "order", "name"
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class UserAdmin(YearRulesAdmin, BaseUserAdmin):
    admin_only = True

    def may_write(self, user, obj) -> bool:
        return True  # a person is not data of a year (their records keep them: PROTECT)

    inlines = [MembershipInline]
    list_display = [*BaseUserAdmin.list_display, "roles"]
    list_filter = [*BaseUserAdmin.list_filter, "memberships__body", "memberships__role"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__body")

    @admin.display(description="ruoli")
    def roles(self, obj):
        held = [f"{m.get_role_display()} ({m.body.slug})" for m in obj.memberships.all()]
        return "; ".join(held) or "–"


admin.site.unregister(User)
admin.site.register(User, UserAdmin)


@admin.register(Membership)
class MembershipAdmin(YearRulesAdmin):
    admin_only = True
    form = MembershipForm

    def may_write(self, user, obj) -> bool:
        return True

    list_display = ["user", "body", "role"]
    list_filter = ["body", "role"]
    list_select_related = ["user", "body"]
    filter_horizontal = ["units"]
