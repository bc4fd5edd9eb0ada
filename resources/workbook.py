"""The context-and-resources workbook: written from rows, read back into raw sheets.

The upload checks (size, zip bomb, entry count, DTD/entity declarations) and the reading of
cells as the text a person sees are the data-entry workbook's (:mod:`indicators.workbook`):
one set of defences for every file the app accepts.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.workbook import WorkbookError, read_sheets
from lib.formulas import as_text_cell
from lib.xlsx import Sheet

from . import sheets
from .sheets import Kind

__all__ = ["WorkbookError", "build_workbook", "read_workbook"]


def _number_format(column: sheets.Column) -> str:
    if column.kind is Kind.MONEY:
        return "#,##0.00"
    if column.kind is Kind.DECIMAL:
        return "#,##0.00" + "#" * max(0, column.decimals - 2)
    if column.kind is Kind.INTEGER:
        return "0" if column.year else "#,##0"
    return "@"


def _write_cell(cell, column: sheets.Column, value) -> None:
    cell.number_format = _number_format(column)
    if value is None or value == "":
        return
    if column.kind in (Kind.MONEY, Kind.DECIMAL):
        cell.value = Decimal(value)
    elif column.kind is Kind.INTEGER:
        cell.value = int(value)
    else:
        # Text stays text: a label starting with "=" must not become a formula.
        as_text_cell(cell, sheets.format_value(column, value))


def build_workbook(
    rows: dict[str, list[dict]],
    *,
    heading: str,
    prefilled: list[str] = (),
    source_year: int | None = None,
) -> bytes:
    """One sheet per spec (bold frozen header, the rows, number formats, a list of the allowed
    labels on each choice column), and an instructions sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for spec in sheets.SHEETS:
        ws = wb.create_sheet(spec.title)
        ws.append(spec.headers)
        for cell in ws[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for number, row in enumerate(rows.get(spec.title, []), start=2):
            for index, column in enumerate(spec.columns, start=1):
                _write_cell(ws.cell(row=number, column=index), column, row.get(column.field))
        last = ws.max_row + 1000  # room for the rows the office adds
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            long_text = column.kind is Kind.TEXT and (column.max_length or 0) > 100
            dimension = ws.column_dimensions[letter]
            dimension.width = 60 if long_text else max(14, len(column.header))
            dimension.number_format = _number_format(column)  # for the rows typed in
            if column.kind is Kind.CHOICE:
                labels = ",".join(label for _, label in column.choices)
                check = DataValidation(
                    type="list",
                    formula1=f'"{labels}"',
                    allow_blank=not column.required,
                    showErrorMessage=True,
                    errorTitle="Valore non ammesso",
                    error=f"Scegliere uno dei valori dell'elenco di «{column.header}».",
                )
                ws.add_data_validation(check)
                check.add(f"{letter}2:{letter}{last}")
        ws.freeze_panes = "A2"
    info = wb.create_sheet(sheets.INSTRUCTIONS_SHEET)
    lines = [
        heading,
        "Ogni foglio è una tabella della sezione «Contesto e risorse». Compilare o correggere "
        "le righe e ricaricare il file dalla stessa pagina: un'anteprima mostra le righe "
        "aggiunte, modificate ed eliminate prima di applicarle.",
        "Numeri in formato italiano (1.284,50: punto per le migliaia, virgola per i decimali) "
        "oppure celle numeriche. Le formule non sono calcolate: scrivere i valori.",
        "Un foglio tolto dal file lascia invariata la sua tabella; un foglio lasciato senza "
        "righe la svuota. Non rinominare i fogli né le intestazioni.",
        "Le righe sono identificate dalla chiave indicata sotto: cambiarla equivale a eliminare "
        "la riga e aggiungerne una nuova.",
    ]
    if prefilled and source_year:
        lines.append(
            f"Fogli pre-compilati con la struttura del {source_year} (voci, etichette, aree), "
            "senza valori: " + ", ".join(f"«{t}»" for t in prefilled) + ". Inserire i valori."
        )
    for text in lines:
        info.append([text])
    info.append([])
    info.append(["Foglio", "Contenuto", "Chiave della riga"])
    for cell in info[info.max_row]:
        cell.font = bold
    for spec in sheets.SHEETS:
        key = " + ".join(spec.column(f).header for f in spec.key)
        info.append([spec.title, spec.help, key])
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 90
    info.column_dimensions["C"].width = 50
    for row in info.iter_rows(min_col=1, max_col=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    info["A1"].font = Font(bold=True, size=14)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_workbook(file) -> tuple[bytes, dict[str, Sheet]]:
    """The checked bytes of an upload and its sheets as text; :class:`WorkbookError` for a
    file that is not a safe, readable .xlsx (read by the one reader, :mod:`lib.xlsx`)."""
    return read_sheets(file)
