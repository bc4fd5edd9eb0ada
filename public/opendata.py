"""The open data of a published year besides the indicators (whose contract is
:mod:`dashboards.export`): budget, staff and gender tables. Each dataset is a list of flat rows
of strings with machine formats (numbers with a dot, no thousands separator), one column
contract per dataset, documented by its data dictionary (column, meaning, type)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from core.models import Cycle
from dashboards import export as indicators_export
from finance.selectors import budget_view
from lib.formulas import escape_formula
from lib.xlsx_response import XLSX_TYPE
from staff.selectors import people_view

TEXT, INTEGER, DECIMAL, CODE = "testo", "numero intero", "numero decimale (punto)", "codice"


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    type: str

    @property
    def machine(self) -> bool:
        return self.type in (INTEGER, DECIMAL)


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: list[Column]
    rows: Callable[[Cycle], Iterable[dict[str, str]]]
    formats: tuple[str, ...] = ("csv", "json")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def num(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


# --- budget -------------------------------------------------------------------------------


def budget_rows(cycle: Cycle) -> Iterable[dict[str, str]]:
    view = budget_view(cycle)
    year = str(cycle.year)
    blank = dict.fromkeys(
        ("group", "code", "parent_code", "label", "forecast", "actual", "difference",
         "variation_pct", "value", "previous_value", "unit", "share_capital", "nominal_value",
         "share_pct"),
        "",
    )  # fmt: skip

    def line_row(group_label, line, parent=""):
        return {
            **blank,
            "year": year,
            "table": "conto_economico",
            "group": group_label,
            "code": line.code,
            "parent_code": parent,
            "label": line.label,
            "forecast": num(line.total_forecast),
            "actual": num(line.total_actual),
            "difference": num(line.difference),
            "variation_pct": num(line.variation),
        }

    for group_label, lines in view.groups:
        for line in lines:
            yield line_row(group_label, line)
            for child in line.children:
                yield line_row(group_label, child, line.code)
    for total in view.totals.values():
        yield {
            **blank,
            "year": year,
            "table": "conto_economico_totali",
            "code": total.key,
            "label": total.label,
            "forecast": num(total.forecast),
            "actual": num(total.actual),
            "difference": num(total.difference),
            "variation_pct": num(total.variation),
        }
    for item in view.interventions:
        yield {
            **blank,
            "year": year,
            "table": "interventi_economici",
            "label": item.label,
            "forecast": num(item.forecast),
            "actual": num(item.actual),
            "difference": num(item.difference),
        }
    for group, ratios in view.ratios:
        for ratio in ratios:
            yield {
                **blank,
                "year": year,
                "table": "indici_di_bilancio",
                "group": group,
                "label": ratio.label,
                "value": num(ratio.value),
                "previous_value": num(ratio.previous_value),
                "unit": ratio.unit,
            }
    for holding in view.holdings:
        yield {
            **blank,
            "year": year,
            "table": "partecipazioni",
            "label": holding.company,
            "share_capital": num(holding.share_capital),
            "nominal_value": num(holding.nominal_value),
            "share_pct": num(holding.share_pct.quantize(Decimal("0.0001"))),
        }


BUDGET_COLUMNS = [
    Column("year", "Anno della Relazione", INTEGER),
    Column(
        "table",
        "Tabella: conto_economico, conto_economico_totali, interventi_economici, "
        "indici_di_bilancio, partecipazioni",
        CODE,
    ),
    Column("group", "Sezione del conto economico o gruppo di indici", TEXT),
    Column("code", "Voce del conto economico (es. 1, 7a) o codice del totale", CODE),
    Column("parent_code", "Voce superiore, per le sottovoci", CODE),
    Column("label", "Descrizione della voce, linea di intervento, indice o società", TEXT),
    Column("forecast", "Preventivo aggiornato / previsione (euro)", DECIMAL),
    Column("actual", "Consuntivo / costi (euro)", DECIMAL),
    Column("difference", "Scostamento calcolato: consuntivo - preventivo (euro)", DECIMAL),
    Column(
        "variation_pct",
        "Variazione % calcolata sul preventivo; vuota se non significativa",
        DECIMAL,
    ),
    Column("value", "Valore dell'indice nell'anno", DECIMAL),
    Column("previous_value", "Valore dell'indice nell'anno precedente", DECIMAL),
    Column("unit", "Unità dell'indice: percent, ratio, eur, number", CODE),
    Column("share_capital", "Capitale sociale della partecipata (euro)", DECIMAL),
    Column("nominal_value", "Valore nominale della partecipazione (euro)", DECIMAL),
    Column("share_pct", "Quota di partecipazione calcolata (%)", DECIMAL),
]

# --- staff --------------------------------------------------------------------------------

CONTRACT_LABELS = {"full": "tempo_pieno", "part": "tempo_parziale", "any": "non_specificato"}


def staff_rows(cycle: Cycle) -> Iterable[dict[str, str]]:
    view = people_view(cycle)
    for year, rows in ((cycle.year - 1, view.previous), (cycle.year, view.current)):
        for row in rows:
            for (contract, gender), count in sorted(row.cells.items()):
                yield {
                    "year": str(cycle.year),
                    "reference_year": str(year),
                    "category": row.category.name,
                    "establishment": num(row.category.establishment),
                    "contract": CONTRACT_LABELS.get(contract, contract),
                    "gender": gender,
                    "count": str(count),
                }


STAFF_COLUMNS = [
    Column("year", "Anno della Relazione", INTEGER),
    Column("reference_year", "Anno a cui si riferisce il dato (al 31/12)", INTEGER),
    Column("category", "Area di inquadramento", TEXT),
    Column("establishment", "Dotazione organica dell'area (anno della Relazione)", INTEGER),
    Column("contract", "Contratto: tempo_pieno, tempo_parziale, non_specificato", CODE),
    Column("gender", "Genere: F (donne), M (uomini)", CODE),
    Column("count", "Numero di dipendenti in servizio", INTEGER),
]

# --- gender -------------------------------------------------------------------------------


def gender_rows(cycle: Cycle) -> Iterable[dict[str, str]]:
    view = people_view(cycle)

    def row(table, year, item, women, men):
        total = women + men
        share = (Decimal(women) / Decimal(total) * 100).quantize(Decimal("0.01")) if total else None
        return {
            "year": str(cycle.year),
            "table": table,
            "reference_year": str(year),
            "item": item,
            "women": str(women),
            "men": str(men),
            "total": str(total),
            "women_pct": num(share),
        }

    for year, rows, total in (
        (cycle.year - 1, view.previous, view.previous_total),
        (cycle.year, view.current, view.current_total),
    ):
        for r in rows:
            yield row("personale_per_area", year, r.category.name, r.women, r.men)
        yield row("personale_per_area", year, "Totale", total.women, total.men)
    for year in (cycle.year - 1, cycle.year):
        counts = view.part_time.get(year, {})
        if counts:
            yield row("part_time", year, "Part-time", counts.get("F", 0), counts.get("M", 0))
    for label, women, men, _total in view.leave:
        yield row("congedi_parentali_giorni", cycle.year, label, women, men)


GENDER_COLUMNS = [
    Column("year", "Anno della Relazione", INTEGER),
    Column(
        "table",
        "Tabella: personale_per_area, part_time, congedi_parentali_giorni",
        CODE,
    ),
    Column("reference_year", "Anno a cui si riferisce il dato", INTEGER),
    Column("item", "Area di inquadramento, totale o tipo di congedo", TEXT),
    Column("women", "Donne (persone o, per i congedi, giorni)", INTEGER),
    Column("men", "Uomini (persone o, per i congedi, giorni)", INTEGER),
    Column("total", "Totale calcolato: donne + uomini", INTEGER),
    Column("women_pct", "Quota di donne sul totale calcolata (%)", DECIMAL),
]

# --- indicators (contract of dashboards.export) ------------------------------------------

INDICATOR_MEANINGS = {
    "year": ("Anno della Relazione", INTEGER),
    "section": ("Sezione della Relazione: 2.2, 2.3, 2.4, 3", CODE),
    "cruscotto": ("Cruscotto in cui è stampata la riga", TEXT),
    "perspective": ("Prospettiva della mappa strategica", TEXT),
    "strategic_objective_code": ("Codice dell'obiettivo strategico", CODE),
    "strategic_objective": ("Obiettivo strategico", TEXT),
    "operational_objective": ("Obiettivo operativo o gruppo di obiettivi comuni", TEXT),
    "indicator": ("Indicatore", TEXT),
    "kind": (
        "Tipo: number, percentage, ratio, currency, deadline (scadenza), boolean (sì/no), project",
        CODE,
    ),
    "direction": (
        "Polarità: higher (più è meglio), lower (meno è meglio), at_most (soglia massima), "
        "at_least (soglia minima), monitoring (solo monitoraggio)",
        CODE,
    ),
    "target": ("Risultato atteso come scritto dall'ente", TEXT),
    "actual": ("Valore ottenuto come scritto dall'ente", TEXT),
    "realization": ("% di realizzazione calcolata, formato italiano", TEXT),
    "declared_realization": ("% di realizzazione riportata nel documento", TEXT),
    "target_value": ("Risultato atteso in formato macchina (numero o data ISO)", TEXT),
    "actual_value": ("Valore ottenuto in formato macchina (numero o data ISO)", TEXT),
    "realization_pct": ("% di realizzazione calcolata", DECIMAL),
    "weight": ("Peso dell'indicatore", DECIMAL),
    "unit_of_measure": ("Unità di misura", TEXT),
    "notes": ("Note pubblicate", TEXT),
    "correction_reason": (
        "Perché la % calcolata differisce da quella riportata nel documento (vuoto se coincidono)",
        TEXT,
    ),
    "cruscotto_realization_pct": ("% di realizzazione complessiva del cruscotto", DECIMAL),
    "cruscotto_valued": (
        "Copertura: indicatori del cruscotto su cui è calcolata la realizzazione (esclusi gli NV)",
        INTEGER,
    ),
    "cruscotto_indicators": ("Indicatori del cruscotto", INTEGER),
    "year_realization_pct": ("% di performance complessiva dell'anno", DECIMAL),
    "year_valued": (
        "Copertura: indicatori su cui è calcolata la performance complessiva (esclusi gli NV)",
        INTEGER,
    ),
    "year_indicators": ("Indicatori della mappa strategica", INTEGER),
    "row_weight": (
        "Peso dell'indicatore nel cruscotto (quello dell'indicatore se il cruscotto non ne dà uno)",
        DECIMAL,
    ),
    "cruscotto_points": (
        "Punti del cruscotto secondo il sistema di valutazione dell'ente (vuoto se non "
        "converte in punti)",
        DECIMAL,
    ),
    "cruscotto_judgement": (
        "Giudizio del cruscotto sulla scala dell'ente (vuoto se non converte in giudizio)",
        TEXT,
    ),
    "year_points": (
        "Punti della performance complessiva secondo il sistema di valutazione dell'ente",
        DECIMAL,
    ),
    "year_judgement": ("Giudizio della performance complessiva sulla scala dell'ente", TEXT),
    "baseline": ("Valore di partenza (baseline) come scritto dall'ente", TEXT),
    "baseline_year": ("Anno a cui si riferisce il valore di partenza", INTEGER),
    "baseline_value": ("Valore di partenza in formato macchina (numero o data ISO)", TEXT),
    "target_n1": ("Risultato atteso per l'anno successivo (N+1) nel piano triennale", TEXT),
    "target_n1_value": ("Risultato atteso N+1 in formato macchina (numero o data ISO)", TEXT),
    "target_n2": ("Risultato atteso per il terzo anno (N+2) nel piano triennale", TEXT),
    "target_n2_value": ("Risultato atteso N+2 in formato macchina (numero o data ISO)", TEXT),
    "common_code": (
        "Codice dell'indicatore comune del sistema camerale, lo stesso per ogni ente (vuoto se "
        "non è un indicatore comune o non ha codice)",
        CODE,
    ),
}
INDICATOR_COLUMNS = [
    Column(name, *INDICATOR_MEANINGS.get(name, ("", TEXT))) for name in indicators_export.COLUMNS
]

# --- corrections (consistency.corrections) ------------------------------------------------


def correction_rows(cycle: Cycle) -> Iterable[dict[str, str]]:
    """Every figure the Relazione prints differently from what its source declared."""
    from consistency.corrections import corrections
    from consistency.selectors import year_data_build

    for c in corrections(year_data_build(cycle=cycle)):
        yield {
            "year": str(cycle.year),
            "area": c.area,
            "where": c.where,
            "what": c.what,
            "published": c.published,
            "computed": c.computed,
            "reason": c.reason,
        }


CORRECTION_COLUMNS = [
    Column("year", "Anno della Relazione", INTEGER),
    Column("area", "Ambito: indicators, finance, staff, context", CODE),
    Column("where", "Cruscotto o tabella in cui è stampato il valore", TEXT),
    Column("what", "Indicatore o valore", TEXT),
    Column("published", "Valore dichiarato dalla fonte (documento pubblicato o foglio)", TEXT),
    Column("computed", "Valore calcolato, riportato dalla Relazione", TEXT),
    Column("reason", "Motivo della differenza", TEXT),
]

DATASETS = {
    d.slug: d
    for d in (
        Dataset(
            "indicatori",
            "Indicatori",
            "Una riga per ogni indicatore come stampato nei cruscotti della Relazione, con la "
            "% di realizzazione calcolata.",
            INDICATOR_COLUMNS,
            indicators_export.export_rows,
            ("csv", "json", "xlsx"),
        ),
        Dataset(
            "bilancio",
            "Risorse economiche",
            "Conto economico (preventivo aggiornato e consuntivo, con scostamento e variazione "
            "calcolati), interventi economici, indici di bilancio e partecipazioni.",
            BUDGET_COLUMNS,
            budget_rows,
        ),
        Dataset(
            "personale",
            "Personale",
            "Dipendenti in servizio al 31 dicembre per area di inquadramento, contratto e "
            "genere, nell'anno della Relazione e nel precedente.",
            STAFF_COLUMNS,
            staff_rows,
        ),
        Dataset(
            "genere",
            "Bilancio di genere",
            "Tabelle del bilancio di genere: personale per area e genere, part-time, congedi "
            "parentali.",
            GENDER_COLUMNS,
            gender_rows,
        ),
        Dataset(
            "correzioni",
            "Correzioni ai valori pubblicati",
            "I valori che la Relazione riporta diversamente da quanto dichiarato dalla fonte, "
            "con il valore pubblicato, il valore calcolato e il motivo.",
            CORRECTION_COLUMNS,
            correction_rows,
        ),
    )
}

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": XLSX_TYPE,
}


def render(dataset: Dataset, cycle: Cycle, fmt: str) -> bytes:
    """The file of one dataset of one year; CSV and XLSX cells are escaped against formula
    injection, JSON keeps the values as they are (a JSON reader never evaluates them)."""
    if dataset.slug == "indicatori":
        data = indicators_export.WRITERS[fmt](indicators_export.export_rows(cycle))
        return data if isinstance(data, bytes) else data.encode("utf-8")
    return rows_file(dataset.columns, dataset.rows(cycle), fmt)


def rows_file(columns: list[Column], rows: Iterable[dict[str, str]], fmt: str) -> bytes:
    """Flat rows of strings as a CSV or JSON file, by their columns' contract."""
    items = list(rows)
    if fmt == "json":
        return json.dumps(items, ensure_ascii=False, indent=1).encode("utf-8")
    machine = {c.name for c in columns if c.machine}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[c.name for c in columns], lineterminator="\r\n")
    writer.writeheader()
    for row in items:
        writer.writerow({k: v if k in machine else escape_formula(v) for k, v in row.items()})
    return out.getvalue().encode("utf-8")
