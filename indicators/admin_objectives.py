"""Admin of the objectives: same predicates and services as the web forms (see
indicators.admin.PlanAdminMixin). Here rather than in objectives because the plan's writes are
the services of indicators, above the objectives' models."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts import permissions as perms
from accounts.admin_rules import YearRulesAdmin
from objectives.models import (
    OperationalObjective,
    OrgUnit,
    Perspective,
    Scorecard,
    StrategicObjective,
    UnitKind,
)

from . import services
from .admin import PlanAdminMixin
from .forms import VersionedForm


class _UserFormAdmin:
    def get_readonly_fields(self, request, obj=None):
        return ["cycle"] if obj is not None else []


class _ImplicitShownAdmin(_UserFormAdmin):
    """An implicit row (a level the body's plan does not have, objectives.models) is shown as
    such and never made or unmade here: the plan's import and copy place them, and the model's
    clean refuses a second one or a sibling beside one."""

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "implicit"]


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
class OperationalObjectiveAdmin(_ImplicitShownAdmin, PlanAdminMixin, SimpleHistoryAdmin):
    form = OperationalObjectiveForm
    list_display = ["name", "strategic_objective", "cycle", "implicit"]
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
class PerspectiveAdmin(_ImplicitShownAdmin, PlanAdminMixin, admin.ModelAdmin):
    list_display = ["name", "cycle", "order", "weight", "implicit"]
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The kind is chosen among the kinds of the bodies the person manages (the model
        checks that it is one of the unit's own body: objectives.unit_kinds)."""
        form = super().get_form(request, obj, change, **kwargs)
        ids = perms.plan_admin_body_ids(request.user)
        kinds = UnitKind.objects.select_related("body").order_by("body", "order", "name")
        if ids is not None:
            kinds = kinds.filter(body_id__in=ids)
        choices: dict[str, str] = {}
        several = len({k.body_id for k in kinds}) > 1
        for kind in kinds:
            label = (
                f"{kind.name} ({kind.body.short_name or kind.body.name})" if several else kind.name
            )
            choices[kind.code] = f"{choices[kind.code]}; {label}" if kind.code in choices else label
        if "kind" in form.base_fields:
            form.base_fields["kind"] = forms.ChoiceField(
                label="Tipo",
                choices=[("", "---------"), *choices.items()],
                help_text=(
                    "Uno dei tipi di unità dell'ente (si modificano in «Tipi di unità "
                    "organizzativa»)."
                ),
            )
        return form


@admin.register(UnitKind)
class UnitKindAdmin(YearRulesAdmin):
    """The kinds of unit of the body, edited by its planning office; a kind in use is neither
    deleted nor given another code (objectives.models.UnitKind)."""

    list_display = ["name", "code", "order", "body"]
    ordering = ["body", "order", "name"]

    def may_delete(self, user, obj) -> bool:
        return super().may_delete(user, obj) and not obj.in_use()
