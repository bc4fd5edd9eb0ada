import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from indicators import domain
from indicators.models import ScorecardRow
from objectives.models import Perspective, StrategicObjective

BAND_CHOICES = [(b.value, domain.BAND_LABELS[b]) for b in domain.Band]


class PlainSelect(forms.Select):
    """Django's ``<select>``, its options written directly instead of through a template
    each (about 1 ms an option: half a second for the 500 objectives of a large cruscotto)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options
        )


class ScorecardFilter(django_filters.FilterSet):
    """Filters on the database columns, the status band on the stored one
    (``Indicator.status``, the engine's band kept by every write)."""

    perspective = django_filters.ModelChoiceFilter(
        label="Prospettiva",
        field_name="indicator__operational_objective__strategic_objective__perspective",
        queryset=Perspective.objects.none(),
        empty_label="Tutte",
    )
    strategic_objective = django_filters.ModelChoiceFilter(
        label="Obiettivo strategico",
        field_name="indicator__operational_objective__strategic_objective",
        queryset=StrategicObjective.objects.none(),
        empty_label="Tutti",
    )
    kind = django_filters.ChoiceFilter(
        label="Tipo di indicatore",
        field_name="indicator__kind",
        choices=list(domain.KIND_LABELS.items()),
        empty_label="Tutti",
    )
    band = django_filters.ChoiceFilter(
        label="Stato", choices=BAND_CHOICES, method="filter_band", empty_label="Tutti"
    )

    class Meta:
        model = ScorecardRow
        fields = ["perspective", "strategic_objective", "kind", "band"]

    def __init__(self, *args, cycle=None, scorecard=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cycle is not None:  # the body's names of the levels, before the form is built
            self.filters["perspective"].label = cycle.levels["perspective"]
            self.filters["strategic_objective"].label = cycle.levels["strategic"]
        # The choices are the cruscotto's own objectives, not the year's: a large plan has
        # over a thousand strategic objectives, and a choice outside the cruscotto shows nothing.
        printed = ScorecardRow.objects.filter(scorecard=scorecard).values(
            "indicator__operational_objective__strategic_objective"
        )
        objectives = StrategicObjective.objects.filter(cycle=cycle, pk__in=printed)
        # A plan without a first level offers no perspective (its one is implicit).
        self.filters["perspective"].queryset = Perspective.objects.filter(
            cycle=cycle, implicit=False, pk__in=objectives.values("perspective")
        )
        self.filters["strategic_objective"].queryset = objectives
        for field in self.form.fields.values():
            field.widget = PlainSelect(attrs={**field.widget.attrs, "class": "form-select"})
            field.widget.choices = field.choices

    def filter_band(self, queryset, name, value):
        return queryset.filter(indicator__status=value)
