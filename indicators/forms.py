"""Forms of the data entry: values typed per kind, Italian messages, canonical text stored."""

from django import forms

from core.selectors import measurement_rules
from lib import xlsx
from objectives.models import OperationalObjective, OrgUnit, StrategicObjective

from . import domain
from .entry import KIND_HINTS, EntryError, RowInput, normalize_actual
from .models import CommonGroup, Indicator

BOOLEAN_CHOICES = [("", "— non ancora rilevato —"), ("SI", "SI"), ("NO", "NO"), ("NV", "NV")]


def actual_widget(kind: str, *, attrs=None, scale=()):
    """The input of an actual for its kind (a choice for SI/NO and for a level of the body's
    qualitative ``scale``, a text box elsewhere)."""
    attrs = {"class": "form-control", **(attrs or {})}
    kind = domain.Kind(kind)
    if kind is domain.Kind.BOOLEAN:
        return forms.Select(choices=BOOLEAN_CHOICES, attrs={**attrs, "class": "form-select"})
    if kind is domain.Kind.QUALITATIVE:
        levels = [(level.label, level.label) for level in scale]
        choices = [BOOLEAN_CHOICES[0], *levels, ("NV", "NV")]
        return forms.Select(choices=choices, attrs={**attrs, "class": "form-select"})
    if kind is domain.Kind.DEADLINE:
        return forms.TextInput(attrs={**attrs, "placeholder": "gg/mm/aaaa", "inputmode": "numeric"})
    return forms.TextInput(attrs={**attrs, "inputmode": "decimal"})


MISSING_VERSION = (
    "La pagina non indica quale versione dei dati è stata modificata: ricaricarla e riprovare "
    "(nulla è stato salvato)."
)


class VersionedForm(forms.Form):
    """The hidden ``version`` of an edit form: the version of the row the page was loaded with,
    sent back so the service refuses a save over a newer one (optimistic locking). Mixed into
    model forms: ``class F(VersionedForm, forms.ModelForm)``; never written to the instance."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self._editing:
            self.fields["version"].initial = self.instance.version

    @property
    def _editing(self) -> bool:
        instance = getattr(self, "instance", None)
        return instance is not None and instance.pk is not None

    def clean(self):
        data = super().clean()
        # Without a version the service would take the current one: a silent overwrite.
        if self._editing and data.get("version") is None:
            raise forms.ValidationError(MISSING_VERSION, code="version")
        return data

    def rebase(self, version: int) -> None:
        """After a save refused as stale: the page shows the newer data, and its next submit
        knowingly saves over ``version``. The rest of the submission stays as typed."""
        data = self.data.copy()
        data[self.add_prefix("version")] = str(version)
        self.data = data


def posted_rows(data, indicators) -> list[RowInput]:
    """The rows of a cruscotto's form (``actual-<id>``, ``explanation-<id>``, ``version-<id>``)
    for the indicators it showed; an indicator without its version was not on the page. The
    line numbers are the positions on the page, which the errors name."""
    rows = []
    for position, ind in enumerate(indicators, start=1):
        if f"version-{ind.id}" not in data:
            continue
        try:
            version = int(data.get(f"version-{ind.id}", ""))
        except ValueError:
            version = None
        rows.append(
            RowInput(
                row=position,
                indicator_id=ind.id,
                version=version,
                actual=data.get(f"actual-{ind.id}", ""),
                explanation=data.get(f"explanation-{ind.id}", ""),
            )
        )
    return rows


class ActualForm(forms.Form):
    actual = forms.CharField(label="Valore ottenuto", required=False, max_length=60)
    explanation = forms.CharField(
        label="Motivazione dello scostamento",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text="Obbligatoria quando il valore è sotto il risultato atteso.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "actual": indicator.actual,
                "explanation": indicator.explanation,
                "version": indicator.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        scale = measurement_rules(indicator.cycle).method.scale
        self.fields["actual"].widget = actual_widget(indicator.kind, scale=scale)
        self.fields["actual"].help_text = "Inserire " + KIND_HINTS[domain.Kind(indicator.kind)]
        if indicator.kind == domain.Kind.BOOLEAN:
            self.fields["actual"].widget.choices = BOOLEAN_CHOICES

    def clean_actual(self):
        try:
            scale = measurement_rules(self.indicator.cycle).method.scale  # no query: the year's
            return normalize_actual(self.indicator.kind, self.cleaned_data.get("actual"), scale)
        except EntryError as exc:
            raise forms.ValidationError(str(exc)) from exc


class IndicatorForm(forms.ModelForm):
    """The plan of an indicator (planning office)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Indicator
        fields = [
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
            "threshold_rule",
            "unit_of_measure",
            "data_source",
            "notes",
        ]
        localized_fields = ["weight"]
        widgets = {
            "algorithm": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "target": (
                "Come lo scrive il piano: 30/06/2023, entro il 31.12.2023, 85,60%, ≥ 90%, "
                "maggiore o uguale a 90%, <= 10 gg., = 45.000, SI, monitoraggio."
            ),
            "target_n1": "Il risultato atteso del piano per l'anno successivo, scritto allo stesso "
            "modo.",
            "target_n2": "Il risultato atteso del piano per il terzo anno del triennio.",
            "baseline": "Il valore rilevato da cui l'indicatore parte (es. quello dell'anno "
            "prima).",
            "weight": "Peso nella media ponderata (es. 1 oppure 0,5).",
        }

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operational_objective"].queryset = OperationalObjective.objects.filter(
            cycle=cycle
        ).select_related("strategic_objective")
        self.fields["common_group"].queryset = CommonGroup.objects.filter(cycle=cycle)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput | forms.Select):
                field.widget.attrs.setdefault("class", "form-control")
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")

    def clean(self):
        data = super().clean()
        if bool(data.get("operational_objective")) == bool(data.get("common_group")):
            raise forms.ValidationError(
                "Indicare un obiettivo operativo oppure un gruppo di obiettivi comuni (uno solo)."
            )
        return data


class OperationalObjectiveForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = OperationalObjective
        fields = ["strategic_objective", "name", "units", "order", "weight"]
        localized_fields = ["weight"]
        widgets = {
            "units": forms.CheckboxSelectMultiple,
            "name": forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        }

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategic_objective"].queryset = StrategicObjective.objects.filter(cycle=cycle)
        self.fields["strategic_objective"].widget.attrs["class"] = "form-select"
        self.fields["units"].queryset = OrgUnit.objects.filter(body=cycle.body)
        self.fields["order"].widget.attrs["class"] = "form-control"
        self.fields["weight"].widget.attrs["class"] = "form-control"


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label="File Excel (.xlsx)",
        help_text="Il foglio scaricato da questo cruscotto, con i valori compilati (max 5 MB).",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )


class PlanImportForm(WorkbookUploadForm):
    """The body is the page's (its address): a plan is never imported into a body picked
    from a list of every body of the installation."""

    year = forms.IntegerField(label="Anno del nuovo piano", min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "Il modello del piano scaricato da questa pagina, compilato (max "
            f"{xlsx.LIMITS.max_bytes // xlsx.MB} MB)."
        )
