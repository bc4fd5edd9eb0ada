"""The sheets and columns of the plan workbook (:mod:`indicators.plan_workbook`): every column
names the model field it fills, so that the limits a cell is checked against are the model's
own. Columns marked ``added`` came after the first template: a workbook made before them (which
lacks them at the end of its sheet) is still read, with their defaults."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from lib.codes import CODE_HELP
from objectives.models import OperationalObjective, OrgUnit, Perspective, StrategicObjective

from . import domain
from .models import Indicator, ScorecardRow

# --- Sheets and columns ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlanColumn:
    header: str
    field: models.Field
    help: str
    required: bool = True
    default: str = ""
    added: bool = False  # came after the first template: may be missing at the sheet's end

    @property
    def max_length(self) -> int | None:
        return getattr(self.field, "max_length", None)


def _f(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)  # type: ignore[return-value]


def _weight(model: type[models.Model], meaning: str) -> PlanColumn:
    """The weight of a level in the body's scoring method (added after the first template)."""
    return PlanColumn(
        "Peso", _f(model, "weight"), f"{meaning}; numero, vuoto = 1", False, "1", added=True
    )


_CODE = _f(StrategicObjective, "code")
COMMON_CODE = "Codice obiettivo comune"
PERSPECTIVES, STRATEGIC, OPERATIONAL, INDICATORS, UNITS_SHEET, LEGEND = (
    "Prospettive",
    "Obiettivi strategici",
    "Obiettivi operativi",
    "Indicatori",
    "Unità",
    "Legenda",
)
COLUMNS: dict[str, list[PlanColumn]] = {
    PERSPECTIVES: [
        PlanColumn("Ordine", _f(Perspective, "order"), "numero intero, diverso per ogni riga"),
        PlanColumn("Prospettiva", _f(Perspective, "name"), "nome, diverso per ogni riga"),
        _weight(Perspective, "peso della prospettiva nella performance complessiva dell'anno"),
    ],
    STRATEGIC: [
        PlanColumn("Codice", _CODE, f"{CODE_HELP}; diverso per ogni riga"),
        PlanColumn(
            "Prospettiva",
            _f(Perspective, "name"),
            "il nome di una riga del foglio Prospettive; vuota in ogni riga se il piano non ha "
            "il primo livello (foglio Prospettive senza righe)",
            required=False,
        ),
        PlanColumn("Obiettivo strategico", _f(StrategicObjective, "name"), "nome"),
        _weight(StrategicObjective, "peso dell'obiettivo strategico nella sua prospettiva"),
    ],
    OPERATIONAL: [
        PlanColumn("Obiettivo strategico", _CODE, "il codice di una riga del foglio precedente"),
        PlanColumn(
            "Obiettivo operativo",
            _f(OperationalObjective, "name"),
            "nome, diverso per ogni obiettivo strategico; vuoto = gli indicatori diretti "
            "dell'obiettivo strategico (unica riga del suo codice: ne dà le unità e il peso)",
            required=False,
        ),
        PlanColumn(
            "Unità",
            _f(OrgUnit, "slug"),
            "codici delle unità assegnatarie separati da ; (elenco nel foglio Unità)",
            required=False,
        ),
        _weight(OperationalObjective, "peso dell'obiettivo operativo nel suo obiettivo strategico"),
    ],
    INDICATORS: [
        PlanColumn("Obiettivo strategico", _CODE, "codice, come nel foglio «Obiettivi strategici»"),
        PlanColumn(
            "Obiettivo operativo",
            _f(OperationalObjective, "name"),
            "il nome di una riga del foglio Obiettivi operativi con quel codice; vuoto = "
            "indicatore diretto dell'obiettivo strategico (che allora non ha obiettivi operativi)",
            required=False,
        ),
        PlanColumn("Indicatore", _f(Indicator, "name"), "nome"),
        PlanColumn("Algoritmo", _f(Indicator, "algorithm"), "facoltativo", required=False),
        PlanColumn("Tipo", _f(Indicator, "kind"), "codice o descrizione (foglio Legenda)"),
        PlanColumn(
            "Polarità",
            _f(Indicator, "direction"),
            "codice o descrizione (foglio Legenda); vuota = higher, o at_least / at_most se il "
            "risultato atteso è una soglia (≥ 60, <= 10 gg.)",
            required=False,
            default=str(domain.Direction.HIGHER),
        ),
        PlanColumn(
            "Risultato atteso",
            _f(Indicator, "target"),
            "nel formato del tipo: 1.284, 12,5, 85,60%, 30/06/2024, SI/NO; <30; monitoraggio;"
            " anche come si scrive nei piani: ≥ 90%, maggiore o uguale a 90%, <= 10 gg., "
            "entro il 31.12.2024 (foglio Legenda)",
            required=False,
        ),
        PlanColumn(
            "Peso", _f(Indicator, "weight"), "numero, vuoto = 1", required=False, default="1"
        ),
        PlanColumn(
            "Unità di misura", _f(Indicator, "unit_of_measure"), "facoltativa", required=False
        ),
        PlanColumn("Fonte dei dati", _f(Indicator, "data_source"), "facoltativa", required=False),
        PlanColumn(
            "Regola della soglia",
            _f(Indicator, "threshold_rule"),
            "per un risultato atteso a soglia (≥ 60): all_or_nothing (tutto o niente) o "
            "proportional (56 su ≥ 60 vale 93,33%); vuota = quella del metodo dell'ente",
            required=False,
            added=True,
        ),
        PlanColumn(
            "Peso nel cruscotto",
            _f(ScorecardRow, "weight"),
            "peso dell'indicatore nel cruscotto dell'unità, se diverso dal Peso; vuoto = il Peso",
            required=False,
            added=True,
        ),
        # The triennial plan (indicators.horizon), added after the first template.
        PlanColumn(
            "Risultato atteso N+1",
            _f(Indicator, "target_n1"),
            "il risultato atteso dell'anno successivo, scritto come il Risultato atteso; "
            "facoltativo",
            required=False,
            added=True,
        ),
        PlanColumn(
            "Risultato atteso N+2",
            _f(Indicator, "target_n2"),
            "il risultato atteso del terzo anno del piano, come il Risultato atteso; facoltativo",
            required=False,
            added=True,
        ),
        PlanColumn(
            "Valore di partenza",
            _f(Indicator, "baseline"),
            "la baseline: il valore rilevato da cui si parte, nel formato del tipo (85,60%, "
            "1.284, 30/06/2023), non una soglia; facoltativo",
            required=False,
            added=True,
        ),
        PlanColumn(
            "Anno del valore di partenza",
            _f(Indicator, "baseline_year"),
            "l'anno a cui si riferisce il valore di partenza, precedente quello del piano; "
            "vuoto = l'anno prima",
            required=False,
            added=True,
        ),
        # A past year brought in (added after the first template): what the body measured and
        # the % its published document printed, which the app checks against its own.
        PlanColumn(
            "Valore ottenuto",
            _f(Indicator, "actual"),
            "per un anno già rendicontato: il valore ottenuto, nel formato del tipo (NV se non "
            "valutabile); vuoto per un piano nuovo",
            required=False,
            added=True,
        ),
        PlanColumn(
            "% dichiarata",
            _f(ScorecardRow, "declared_realization"),
            "per un anno già rendicontato: la % di realizzazione stampata dal documento "
            "dell'ente (es. 98,77%); l'applicazione la confronta con quella che calcola e "
            "segnala ogni differenza; facoltativa",
            required=False,
            added=True,
        ),
        # The key of the comparison across bodies (public.benchmark), added after the first
        # template.
        PlanColumn(
            COMMON_CODE,
            _f(Indicator, "common_code"),
            "per un indicatore comune del sistema camerale: il suo codice, lo stesso per ogni "
            f"ente (es. OC1.1), che lo confronta tra gli enti; {CODE_HELP}; facoltativo",
            required=False,
            added=True,
        ),
    ],
}
PLAN_SHEETS = {title: [c.header for c in columns] for title, columns in COLUMNS.items()}
# The forms of a target the Legenda shows, each with the text stored (docs/import-template.md).
TARGET_EXAMPLES = (
    "≥ 90%",
    ">= 90,00%",
    "maggiore o uguale a 90%",
    "almeno il 90%",
    "minore di 5",
    "non superiore a 10 giorni",
    "<= 10 gg.",
    "= 45.000",
    "pari a 45.000",
    "entro 30 giorni",
    "entro il 31.12.2024",
    "31.12.2024",
    "31/12/2024",
)
PLAN_EXAMPLE = {
    PERSPECTIVES: [["1", "SVILUPPO ECONOMICO DELLE IMPRESE E DEL TERRITORIO", "1"]],
    STRATEGIC: [
        ["1.1", "SVILUPPO ECONOMICO DELLE IMPRESE E DEL TERRITORIO", "Sostenere le imprese", "1"]
    ],
    OPERATIONAL: [["1.1", "Erogare i contributi alle imprese", "promozione", "1"]],
    INDICATORS: [
        [
            "1.1",
            "Erogare i contributi alle imprese",
            "Tempo medio di liquidazione dei contributi (giorni)",
            "Somma dei giorni / numero delle pratiche",
            "number",
            "lower",
            "60",
            "1",
            "giorni",
            "Gestionale contributi",
            "",
            "",
            "55 giorni",
            "50 giorni",
            "62",
            "",
            "",
            "",
            "",
        ]
    ],
}
