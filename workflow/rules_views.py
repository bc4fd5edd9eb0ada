"""The page *Regole di valutazione* of a body (``/<ente>/gestione/regole/``): the form of
:func:`workflow.rules.body_rules_update`, for its planning office."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import permissions as perms
from accounts.selectors import request_body
from core import structure
from core.machine import FROZEN_STATES
from core.models import LEVEL_LABELS, Cycle
from core.scoring_method import (
    AGGREGATION_LABELS,
    CONVERSION_LABELS,
    NV_LABELS,
    THRESHOLD_LABELS,
    parse_scoring_method,
)

from .onboarding_forms import TEXT_INPUT as _TEXT
from .onboarding_forms import BandFields
from .rules import MAX_LINES, body_rules_update, figure_text, method_texts

_AREA = {"class": "form-control", "rows": 5, "spellcheck": "false"}


def _radio(label, labels):
    return forms.ChoiceField(
        label=label, choices=[(k.value, v) for k, v in labels.items()], widget=forms.RadioSelect
    )


class RulesForm(BandFields):
    aggregation = _radio("Come si compongono i punteggi", AGGREGATION_LABELS)
    thresholds = _radio("Risultati attesi scritti come soglia («≥ 60»)", THRESHOLD_LABELS)
    nv = _radio("Indicatori non valutabili (NV)", NV_LABELS)
    conversion = _radio("Conversione del punteggio complessivo", CONVERSION_LABELS)
    points = forms.CharField(
        label="Fasce dei punti",
        required=False,
        max_length=2000,
        help_text=(
            "Una fascia per riga: da %; a %; punti minimi; punti massimi, es. «76; 90; 15; 18». "
            f"Dallo 0 al 100%, senza sovrapposizioni, al più {MAX_LINES} righe."
        ),
        widget=forms.Textarea(_AREA),
    )
    scale = forms.CharField(
        label="Scala di giudizio",
        required=False,
        max_length=2000,
        help_text=(
            "Un livello per riga: nome; valore; da % del punteggio, es. «ottimo; 3; 90». Vuota: "
            "insufficiente, sufficiente, buono, ottimo. Vale anche per gli indicatori qualitativi."
        ),
        widget=forms.Textarea(_AREA),
    )


def _label_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=60,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(_TEXT),
    )


_SAME_PLURAL = "Lo stesso nome al plurale"


class BodyRulesForm(RulesForm):
    perspective_label = _label_field(
        "Nome del primo livello del piano",
        "Come lo chiama l'ente: Prospettiva, Area strategica, Missione… Vuoto: Prospettiva.",
    )
    perspective_label_plural = _label_field(
        _SAME_PLURAL, "Prospettive, Aree strategiche, Missioni… Vuoto: Prospettive."
    )
    strategic_label = _label_field(
        "Nome del secondo livello del piano",
        "Obiettivo strategico, Linea di mandato, Obiettivo di DUP… Vuoto: Obiettivo strategico.",
    )
    strategic_label_plural = _label_field(
        _SAME_PLURAL, "Obiettivi strategici, Linee di mandato… Vuoto: Obiettivi strategici."
    )
    operational_label = _label_field(
        "Nome del terzo livello del piano",
        "Obiettivo operativo, Obiettivo esecutivo, Azione… Vuoto: Obiettivo operativo.",
    )
    operational_label_plural = _label_field(
        _SAME_PLURAL,
        "Obiettivi operativi, Obiettivi esecutivi, Azioni… Vuoto: Obiettivi operativi.",
    )
    omitted_sections = forms.MultipleChoiceField(
        label="Parti facoltative da escludere dalla Relazione",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Le parti senza dati sono omesse comunque; la nota metodologica le elenca.",
    )

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["omitted_sections"].choices = structure.optional_parts(body.kind)


def _initial(body) -> dict:
    method = parse_scoring_method(body.scoring_method)
    points, scale = method_texts(body.scoring_method or {})
    return {
        "band_achieved_from": figure_text(body.band_achieved_from),
        "band_partial_from": figure_text(body.band_partial_from),
        "missed_deadline_pct": figure_text(body.missed_deadline_pct),
        "aggregation": method.aggregation.value,
        "thresholds": method.thresholds.value,
        "nv": method.nv.value,
        "conversion": method.conversion.value,
        "points": points,
        "scale": scale,
        "omitted_sections": sorted(structure.parse_omitted(body.omitted_sections)),
        **{name: getattr(body, name) for name in LEVEL_LABELS},
    }


@login_required
@require_http_methods(["GET", "POST"])
def body_rules(request):
    body = request_body(request)
    if not perms.can_edit_rules(request.user, body):
        raise PermissionDenied("Solo l'ufficio pianificazione imposta le regole di valutazione.")
    form = BodyRulesForm(request.POST or None, initial=_initial(body), body=body)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            done = body_rules_update(user=request.user, body=body, **form.cleaned_data)
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            years = ", ".join(map(str, done.open_years)) or "nessuno"
            messages.success(request, f"Regole salvate; valgono per gli anni aperti: {years}.")
            return redirect("workflow:rules", ente=body.slug)
    cycles = [
        (c.year, c.get_state_display(), c.state not in FROZEN_STATES)
        for c in Cycle.objects.filter(body=body).order_by("-year").only("year", "state")
    ]
    return render(
        request,
        "workflow/rules.html",
        {"form": form, "errors": errors, "body": body, "cycles": cycles},
        status=400 if errors or form.errors else 200,
    )
