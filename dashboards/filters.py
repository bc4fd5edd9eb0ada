import django_filters

from indicators import domain
from indicators.models import ScorecardRow
from objectives.models import Perspective, StrategicObjective

BAND_CHOICES = [(b.value, domain.BAND_LABELS[b]) for b in domain.Band]


class ScorecardFilter(django_filters.FilterSet):
    """Filters on the database columns; the status band is computed and filtered in Python by
    the view (see ``band_value``)."""

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

    def __init__(self, *args, cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["perspective"].queryset = Perspective.objects.filter(cycle=cycle)
        if cycle is not None:  # the body's name of the level, before the form is built
            self.filters["perspective"].label = cycle.levels["perspective"]
        self.filters["strategic_objective"].queryset = StrategicObjective.objects.filter(
            cycle=cycle
        )
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "form-select")

    def filter_band(self, queryset, name, value):
        return queryset  # applied after the realization is computed

    @property
    def band_value(self) -> str:
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return data.get("band") or ""
