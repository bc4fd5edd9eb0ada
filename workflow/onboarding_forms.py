"""The form of the page *Configura l'ente* (:mod:`workflow.onboarding_views`): the fields of
:func:`workflow.onboarding.body_setup`, checked there (every error at once), not here."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from core.models import BodyKind
from objectives.unit_kinds import default_kinds

# The attributes of every text input of the onboarding and rules forms (Bootstrap Italia).
TEXT_INPUT = {"class": "form-control"}
MAX_PASTE = 200_000  # characters of a pasted table: thousands of rows, never a whole upload


def _kinds() -> str:
    """The default unit kinds of each kind of body (objectives.unit_kinds)."""
    return "; ".join(
        f"{label.lower()}: " + ", ".join(name.lower() for _c, name in default_kinds(code))
        for code, label in BodyKind.choices
    )


class BandFields(forms.Form):
    """The status bands and the value of a missed deadline, as the setup page and the rules
    page (``workflow.rules_views``) both ask them; checked by the services, not here."""

    band_achieved_from = forms.CharField(
        label="Soglia «raggiunto» (%)", initial="90", widget=forms.TextInput(TEXT_INPUT)
    )
    band_partial_from = forms.CharField(
        label="Soglia «parzialmente raggiunto» (%)",
        initial="60",
        widget=forms.TextInput(TEXT_INPUT),
    )
    missed_deadline_pct = forms.CharField(
        label="Realizzazione di una scadenza mancata (%)",
        initial="0",
        help_text="La % assegnata a un indicatore a scadenza raggiunto dopo la data attesa.",
        widget=forms.TextInput(TEXT_INPUT),
    )


class BodySetupForm(BandFields):
    # The page asks for the body first, then its rules, units and people.
    field_order = (
        "name",
        "short_name",
        "kind",
        "tax_code",
        "slug",
        "first_year",
        *BandFields.base_fields,
    )

    name = forms.CharField(
        label="Denominazione dell'ente", max_length=200, widget=forms.TextInput(TEXT_INPUT)
    )
    short_name = forms.CharField(
        label="Denominazione breve",
        max_length=80,
        required=False,
        help_text="Come la stampano le pagine e la Relazione, es. «CCIAA Bergamo».",
        widget=forms.TextInput(TEXT_INPUT),
    )
    kind = forms.ChoiceField(
        label="Tipo di ente",
        choices=BodyKind.choices,
        initial=BodyKind.OTHER,
        widget=forms.Select({"class": "form-select"}),
    )
    tax_code = forms.CharField(
        label="Codice fiscale", max_length=16, widget=forms.TextInput(TEXT_INPUT)
    )
    slug = forms.SlugField(
        label="Codice dell'ente",
        max_length=50,
        required=False,
        help_text="Facoltativo: se vuoto, ricavato dalla denominazione breve.",
        widget=forms.TextInput(TEXT_INPUT),
    )
    first_year = forms.IntegerField(
        label="Primo anno da rendicontare",
        min_value=2000,
        max_value=2100,
        help_text="Il suo ciclo è creato in pianificazione, pronto per importare il piano.",
        widget=forms.NumberInput(TEXT_INPUT),
    )
    units = forms.CharField(
        label="Unità organizzative",
        required=False,
        max_length=MAX_PASTE,
        help_text=(
            "Una per riga: codice; denominazione; tipo; codice dell'unità superiore (vuoto per "
            f"la prima). Tipi di unità per tipo di ente ({_kinds()}); si cambiano poi in «Tipi "
            "di unità organizzativa». Si può incollare da un foglio di calcolo (colonne "
            "separate da tabulazioni)."
        ),
        widget=forms.Textarea({**TEXT_INPUT, "rows": 8, "spellcheck": "false"}),
    )
    logo = forms.FileField(
        label="Logo dell'ente (facoltativo)",
        required=False,
        help_text="PNG o JPEG, al massimo 512 kB e 2000 pixel per lato: compare nelle pagine.",
        widget=forms.ClearableFileInput({"accept": ".png,.jpg,.jpeg", "class": "form-control"}),
    )
    units_file = forms.FileField(
        label="Oppure: unità da un file Excel (.xlsx)",
        required=False,
        help_text="Foglio «Unità» con le colonne codice, denominazione, tipo, unità superiore.",
        widget=forms.ClearableFileInput({"accept": ".xlsx", "class": "form-control"}),
    )
    people = forms.CharField(
        label="Persone",
        max_length=MAX_PASTE,
        help_text=(
            "Una per riga: e-mail; nome e cognome; ruolo; unità (solo per i responsabili, codici "
            "separati da virgola). Ruoli: pianificazione, responsabile, OIV, amministratore. "
            "Ciascuno riceve un'e-mail con il collegamento per scegliere la password."
        ),
        widget=forms.Textarea({**TEXT_INPUT, "rows": 6, "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        if not data.get("units", "").strip() and not data.get("units_file"):
            self.add_error("units", "Incollare le unità organizzative o caricarne il file.")
        return data
