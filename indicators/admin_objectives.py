"""Admin of the objectives: same predicates and services as the web forms (see
indicators.admin.PlanAdminMixin). Here rather than in objectives because the plan's writes are
the services of indicators, above the objectives' models."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_rules import YearRulesAdmin
from objectives.models import (
    OperationalObjective,
    OrgUnit,
    Perspective,
    Scorecard,
    StrategicObjective,
)

from . import services
from .admin import PlanAdminMixin
from .forms import VersionedForm


class _UserFormAdmin:
    def get_readonly_fields(self, request, obj=None):
        return ["cycle"] if obj is not None else []


class _VersionCheckedForm(VersionedForm):
    """The change form carries, hidden, the version it was loaded with. A save over a newer
    version is refused here, in the form, so that the admin shows the form again with what
    was typed (the service refuses it too, for a save that races this check)."""

    def clean(self):
        data = super().clean()
        version = data.get("version")
        if self._editing and version is not None and version != self.instance.version:
            # self.instance was read from the database for this request: the saved data.
            self.rebase(self.instance.version)
            raise services.StaleObjective(self.instance)
        return data


class StrategicObjectiveForm(_VersionCheckedForm, forms.ModelForm):
    class Meta:
        model = StrategicObjective
        fields = ["cycle", "perspective", "code", "name", "narrative", "order", "weight"]


@admin.register(StrategicObjective)
class StrategicObjectiveAdmin(_UserFormAdmin, PlanAdminMixin, SimpleHistoryAdmin):
    form = StrategicObjectiveForm
    list_display = ["code", "name", "cycle", "perspective"]
    list_filter = ["cycle"]
    search_fields = ["code", "name"]

    def save_model(self, request, obj, form, change):
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("cycle", "version")}
        if change:
            fresh = StrategicObjective.objects.get(pk=obj.pk)
            services.strategic_objective_update(
                user=request.user,
                objective=fresh,
                expected_version=form.cleaned_data["version"],
                **data,
            )
        else:
            created = services.strategic_objective_create(
                user=request.user, cycle=form.cleaned_data["cycle"], **data
            )
            obj.pk = created.pk


class OperationalObjectiveForm(_VersionCheckedForm, forms.ModelForm):
    class Meta:
        model = OperationalObjective
        fields = ["cycle", "strategic_objective", "name", "units", "order", "weight"]


@admin.register(OperationalObjective)
class OperationalObjectiveAdmin(_UserFormAdmin, PlanAdminMixin, SimpleHistoryAdmin):
    form = OperationalObjectiveForm
    list_display = ["name", "strategic_objective", "cycle"]
    list_filter = ["cycle"]
    search_fields = ["name"]
    filter_horizontal = ["units"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {k: data[k] for k in ("strategic_objective", "name", "order", "weight")}
        if change:
            fresh = OperationalObjective.objects.get(pk=obj.pk)
            services.operational_objective_update(
                user=request.user,
                objective=fresh,
                units=data["units"],
                expected_version=data["version"],
                **fields,
            )
        else:
            created = services.operational_objective_create(
                user=request.user, cycle=data["cycle"], units=data["units"], **fields
            )
            obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        # Units were set by the service; only inline formsets (none) would remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Perspective)
class PerspectiveAdmin(_UserFormAdmin, PlanAdminMixin, admin.ModelAdmin):
    list_display = ["name", "cycle", "order", "weight"]
    list_filter = ["cycle"]


@admin.register(Scorecard)
class ScorecardAdmin(_UserFormAdmin, PlanAdminMixin, admin.ModelAdmin):
    list_display = ["title", "section", "cycle", "unit"]
    list_filter = ["cycle", "section"]


@admin.register(OrgUnit)
class OrgUnitAdmin(YearRulesAdmin):
    """A unit belongs to the body: a rename reaches the years not yet submitted (each year
    keeps its labels, CycleUnit); not deleted once a validated year uses it."""

    list_display = ["name", "kind", "parent", "body"]
    list_filter = ["kind"]
