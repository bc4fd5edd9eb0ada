"""The admin of the plan goes through the same predicates and services as the web forms: a
unit manager who somehow reaches it gets 403, a closed year is read-only, and every save is
version-checked and recorded in the history."""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_rules import YearRulesAdmin
from core.scoring_method import DEFAULT_SCALE
from core.selectors import measurement_rules

from . import services
from .entry import EntryError, normalize_actual
from .models import CommonGroup, Indicator, ScorecardRow


class PlanAdminMixin(YearRulesAdmin):
    """The plan's rows: deleted through the service (history, per-year check)."""

    def delete_model(self, request, obj):
        services.plan_delete(user=request.user, obj=obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # The bulk delete bypasses delete_model (and so the service): not offered.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions


class IndicatorAdminForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "cycle",
            "operational_objective",
            "common_group",
            "common_code",
            "name",
            "algorithm",
            "kind",
            "direction",
            "target",
            "target_n1",
            "target_n2",
            "baseline",
            "baseline_year",
            "weight",
            "unit_of_measure",
            "data_source",
            "actual",
            "explanation",
            "notes",
            "order",
            "version",
        ]
        widgets = {"version": forms.HiddenInput}

    def clean_actual(self):
        try:
            cycle = self.cleaned_data.get("cycle") or getattr(self.instance, "cycle", None)
            scale = measurement_rules(cycle).method.scale if cycle else DEFAULT_SCALE
            return normalize_actual(
                self.cleaned_data.get("kind") or "number", self.data.get("actual"), scale
            )
        except EntryError as exc:
            raise ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        if self.instance.pk and data.get("version") != self.instance.version:
            current = self.instance
            raise ValidationError(
                "L'indicatore è stato modificato da un'altra persona dopo l'apertura della "
                f"pagina (valore ora registrato: «{current.actual or 'vuoto'}»). "
                "Ricaricare la pagina."
            )
        return data


@admin.register(Indicator)
class IndicatorAdmin(PlanAdminMixin, SimpleHistoryAdmin):
    form = IndicatorAdminForm
    list_display = ["name", "cycle", "kind", "target", "actual", "weight"]
    list_filter = ["cycle", "kind", "direction"]
    search_fields = ["name"]
    list_select_related = ["cycle__body"]
    raw_id_fields = ["operational_objective", "common_group"]

    def get_readonly_fields(self, request, obj=None):
        # The year of an existing indicator never changes.
        return ["cycle"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        plan = {
            name: data[name]
            for name in form.changed_data
            if name in services.PLAN_FIELDS and name in data
        }
        if not change:
            created = services.indicator_create(
                user=request.user,
                cycle=data["cycle"],
                **{n: data[n] for n in services.PLAN_FIELDS if n in data},
            )
            obj.pk = created.pk
            obj.version = created.version
            if data.get("actual") or data.get("explanation"):
                created.refresh_from_db()
                services.indicator_update_actual(
                    user=request.user,
                    indicator=created,
                    actual=data.get("actual", ""),
                    explanation=data.get("explanation", ""),
                    expected_version=created.version,
                )
            return
        # The form already put the posted values on obj: start again from the database row.
        current = Indicator.objects.select_related("cycle__body").get(pk=obj.pk)
        version = data["version"]
        if plan:
            current = services.indicator_update(
                user=request.user, indicator=current, expected_version=version, **plan
            )
            version = current.version
        if {"actual", "explanation"} & set(form.changed_data):
            current = services.indicator_update_actual(
                user=request.user,
                indicator=current,
                actual=data.get("actual", ""),
                explanation=data.get("explanation", ""),
                expected_version=version,
            )
        obj.version = current.version


@admin.register(CommonGroup)
class CommonGroupAdmin(PlanAdminMixin, admin.ModelAdmin):
    list_display = ["name", "cycle", "order"]
    list_filter = ["cycle"]

    def get_readonly_fields(self, request, obj=None):
        return ["cycle"] if obj is not None else []


@admin.register(ScorecardRow)
class ScorecardRowAdmin(PlanAdminMixin, admin.ModelAdmin):
    """A row ties an indicator to a cruscotto of the same year (core.integrity), in a
    year whose plan is open (the form checks the cruscotto's year before saving)."""

    list_display = ["scorecard", "indicator", "order", "declared_realization"]
    list_filter = ["scorecard__cycle", "scorecard__section"]
    raw_id_fields = ["indicator", "scorecard"]

    def delete_model(self, request, obj):
        YearRulesAdmin.delete_model(self, request, obj)  # no ``cycle`` of its own


# The objectives' admin, registered with the indicators' (it needs PlanAdminMixin, above).
from . import admin_objectives  # noqa: E402, F401
