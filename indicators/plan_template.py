"""The plan workbook's template (:mod:`indicators.plan_workbook` reads it back): one example row
per sheet, the body's unit codes, and the «Legenda» documenting every column, kind, direction
and the ways a target may be written."""

from __future__ import annotations

import io
from collections.abc import Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.levels import DEFAULT_LEVEL_LABELS
from lib.formulas import as_text_cell

from . import domain, targets
from .plan_columns import (
    COLUMNS,
    INDICATORS,
    LEGEND,
    OPERATIONAL,
    PERSPECTIVES,
    PLAN_EXAMPLE,
    STRATEGIC,
    TARGET_EXAMPLES,
    UNITS_SHEET,
)

# The sheet and column that hold each level (their names stay the template's).
_LEVEL_PLACES = {
    "perspective": (PERSPECTIVES, "Prospettiva", "Il primo livello"),
    "strategic": (STRATEGIC, "Obiettivo strategico", "Il secondo livello"),
    "operational": (OPERATIONAL, "Obiettivo operativo", "Il terzo livello"),
}


def plan_template(units: list[tuple[str, str]], levels: Mapping[str, str] | None = None) -> bytes:
    """The template: one example row per sheet, a sheet «Unità» with the valid unit codes
    (code, name), the «Legenda» of kinds and directions and every column documented.
    ``levels``: the body's names of the levels (``Body.levels``), each said in the «Legenda»
    where it is not the template's (the sheets keep their names: the import reads them)."""
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for title, columns in COLUMNS.items():
        ws = wb.create_sheet(title)
        ws.append([c.header for c in columns])
        for cell in ws[1]:
            cell.font = bold
        for row in PLAN_EXAMPLE[title]:
            ws.append([None] * len(row))
            for col, text in enumerate(row, start=1):
                cell = ws.cell(row=ws.max_row, column=col)
                as_text_cell(cell, text)
                cell.number_format = "@"
    sheet = wb.create_sheet(UNITS_SHEET)
    sheet.append(["Codice", "Unità organizzativa"])
    for slug, name in units:
        sheet.append([slug, name])
    sheet["A1"].font = sheet["B1"].font = bold
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 60
    legend = wb.create_sheet(LEGEND)
    _level_note(legend, levels or {})
    legend.append(["Foglio", "Colonna", "Contenuto", "Obbligatoria", "Lunghezza massima"])
    for title, columns in COLUMNS.items():
        for c in columns:
            legend.append([title, c.header, c.help, "sì" if c.required else "no", c.max_length])
    legend.append([])
    legend.append(["Tipo (codice)", "Descrizione"])
    for kind, label in domain.KIND_LABELS.items():
        legend.append([str(kind), label])
    legend.append([])
    legend.append(["Polarità (codice)", "Descrizione"])
    for direction, label in domain.DIRECTION_LABELS.items():
        legend.append([str(direction), label])
    _target_legend(legend)
    _depth_legend(legend)
    for letter, width in zip("ABCDE", (22, 24, 70, 12, 18), strict=True):
        legend.column_dimensions[letter].width = width
    for row in legend.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _level_note(legend, levels: Mapping[str, str]) -> None:
    """The body's names of the levels, where they are not the template's."""
    notes = 0
    for level, (sheet, column, which) in _LEVEL_PLACES.items():
        name = levels.get(level, "")
        if not name or name == DEFAULT_LEVEL_LABELS[f"{level}_label"]:
            continue
        legend.append(
            [
                sheet,
                column,
                f"{which} del piano: le pagine e la Relazione dell'ente lo chiamano "
                f"«{name}» («{levels.get(level + 's', name)}» al plurale). I nomi dei fogli e "
                "delle colonne restano quelli del modello.",
            ]
        )
        notes += 1
    if notes:
        legend.append([])


def _depth_legend(legend) -> None:
    """Plans of fewer levels: which cells to leave empty (docs/import-template.md)."""
    legend.append([])
    legend.append(["Piani con meno livelli", "Come si scrivono"])
    legend.append(
        [
            PERSPECTIVES,
            "Senza primo livello (obiettivi strategici in cima): il foglio «Prospettive» senza "
            "righe e la colonna «Prospettiva» del foglio «Obiettivi strategici» vuota in ogni "
            "riga.",
        ]
    )
    legend.append(
        [
            INDICATORS,
            "Indicatori direttamente sull'obiettivo strategico: la colonna «Obiettivo "
            "operativo» vuota. L'obiettivo strategico non ha allora obiettivi operativi; una "
            "riga del foglio «Obiettivi operativi» con il suo codice e il nome vuoto ne indica "
            "le unità assegnatarie, i cui responsabili inseriscono i valori (senza unità: solo "
            "l'ufficio pianificazione).",
        ]
    )


def _target_legend(legend) -> None:
    """How a target may be written: examples with the text stored, and the comparison words."""
    legend.append([])
    legend.append(["Risultato atteso (come scritto)", "Registrato come", "Unità di misura"])
    for example in TARGET_EXAMPLES:
        written, row = targets.parse_target(example), legend.max_row + 1
        for col, text in enumerate((example, written.text, written.unit), start=1):
            as_text_cell(legend.cell(row=row, column=col), text)  # «= 45.000» stays text
    legend.append([])
    legend.append(["Confronto (parole o simboli)", "Significa"])
    meaning = {">=": "≥ (almeno)", ">": "> (più di)", "<=": "≤ (al massimo)", "<": "< (meno di)"}
    for words, comparator in (*targets.TARGET_WORDS, *targets.TARGET_SYMBOLS):
        row = legend.max_row + 1
        as_text_cell(legend.cell(row=row, column=1), words)
        as_text_cell(legend.cell(row=row, column=2), meaning.get(comparator, "= (esatto)"))
    legend.append(
        [
            "",
            "«entro» davanti a una data è la scadenza; le date si scrivono anche con i punti. "
            "Un'unità di misura dopo il numero riempie la colonna «Unità di misura» se vuota.",
        ]
    )
