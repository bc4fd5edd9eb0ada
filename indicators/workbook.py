"""The Excel round-trip of the data entry, and the workbook of a whole plan.

Everything here is pure (bytes in, plain data out): no database. Uploads are read by
:mod:`lib.xlsx`, the one reader of every workbook the app accepts (zip checks, bounded work,
every malformed file an Italian message). Formulas are never evaluated: a formula cell is its
text marked :class:`lib.formulas.Formula`, which a column of values refuses.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection

from lib import converters, xlsx
from lib.formulas import Formula, as_text_cell
from lib.italian import decimals_of, format_date, format_number

# The views still call workbook.xlsx_response: to go once they import it from lib.
from lib.xlsx_response import xlsx_response as xlsx_response

from . import domain
from .entry import KIND_HINTS, RowInput

MAX_UPLOAD_BYTES = xlsx.LIMITS.max_bytes
MAX_ROWS = xlsx.LIMITS.max_rows
MAX_ID = converters.Id.maximum  # the ids the URLs accept: BigAutoField
MAX_VERSION = 2**31 - 1  # PositiveIntegerField

ACTUALS_SHEET = "Valori"
ID_HEADER = "Identificativo (non modificare)"
ACTUAL_HEADER = "Valore ottenuto"
EXPLANATION_HEADER = "Motivazione dello scostamento"
HEADERS = [
    ID_HEADER,
    "Obiettivo operativo",
    "Indicatore",
    "Tipo",
    "Formato da usare",
    "Risultato atteso",
    ACTUAL_HEADER,
    EXPLANATION_HEADER,
]
EDITABLE_COLUMNS = {ACTUAL_HEADER, EXPLANATION_HEADER}

WorkbookError = xlsx.XlsxError
check_xlsx = xlsx.check


def read_sheets(file, sheets=None) -> tuple[bytes, dict[str, xlsx.Sheet]]:
    """The checked bytes of an upload and its sheets as the Italian text a person sees."""
    return xlsx.read(file, convert=cell_text, sheets=sheets)


# --- Cell values ----------------------------------------------------------------------------


def cell_text(value, number_format: str = "General") -> str:
    """A cell as the Italian text a person would have typed (never evaluated)."""
    if value is None:
        return ""
    if type(value) is str:  # most cells: first, the reader calls this for every cell
        return value.strip()
    if isinstance(value, Formula):  # kept marked: a value column refuses it, a text keeps it
        return value
    if isinstance(value, bool):
        return "SI" if value else "NO"
    if isinstance(value, dt.datetime | dt.date):
        return format_date(value.date() if isinstance(value, dt.datetime) else value)
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        percent = "%" in (number_format or "")
        if percent:
            number *= 100
        text = format_number(number, min(decimals_of(number), 6))
        return text + "%" if percent else text
    return str(value).strip()


# --- Actuals workbook -----------------------------------------------------------------------


@dataclass(frozen=True)
class SheetLine:
    indicator_id: int
    version: int
    operational: str
    name: str
    kind: str
    target: str
    actual: str
    explanation: str


def actuals_workbook(title: str, lines: list[SheetLine], *, editable: bool = True) -> bytes:
    """The .xlsx of a cruscotto: descriptive columns locked, actual/explanation editable, a
    hidden identifier (indicator id and version) per row."""
    wb = Workbook()
    ws = wb.active
    ws.title = ACTUALS_SHEET
    ws.append(HEADERS)
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    fill = PatternFill("solid", fgColor="FFF2CC")
    for line in lines:
        ws.append([None] * len(HEADERS))
        row = ws.max_row
        values = [
            f"{line.indicator_id}:{line.version}",
            line.operational,
            line.name,
            domain.KIND_LABELS[domain.Kind(line.kind)],
            KIND_HINTS[domain.Kind(line.kind)],
            line.target,
            line.actual,
            line.explanation,
        ]
        for col, (header, text) in enumerate(zip(HEADERS, values, strict=True), start=1):
            cell = ws.cell(row=row, column=col)
            as_text_cell(cell, text)
            cell.number_format = "@"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if editable and header in EDITABLE_COLUMNS:
                cell.protection = Protection(locked=False)
                cell.fill = fill
    ws.column_dimensions["A"].hidden = True
    for letter, width in zip("BCDEFGH", (40, 60, 16, 30, 16, 16, 50), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "C2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    info = wb.create_sheet("Istruzioni")
    for text in (
        title,
        "Compilare solo le colonne evidenziate: «Valore ottenuto» e «Motivazione dello "
        "scostamento». La motivazione è obbligatoria quando il valore è sotto il risultato atteso.",
        "Numeri in formato italiano (1.284 oppure 12,5), date gg/mm/aaaa, SI/NO, NV se non "
        "valutabile. Le formule non sono calcolate.",
        "Non modificare né spostare le righe: il file si ricarica dalla stessa pagina.",
    ):
        info.append([text])
    info.protection.sheet = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class ParsedRows:
    rows: list[RowInput] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


_ID_RE = re.compile(r"^\s*(\d{1,19})\s*:\s*(\d{1,10})\s*$")


def _identifier(text: str) -> tuple[int, int] | None:
    """The hidden (indicator id, version) of a row, or None when altered or out of the
    columns' range (a 23-digit id would overflow the database's integer)."""
    match = _ID_RE.match(text)
    if match is None:
        return None
    ident, version = int(match[1]), int(match[2])
    if not (0 < ident <= MAX_ID and 0 < version <= MAX_VERSION):
        return None
    return ident, version


def workbook_parse(file) -> ParsedRows:
    """Rows of an uploaded actuals workbook (checked first; raises :class:`WorkbookError`)."""
    _, sheets = read_sheets(file, sheets={ACTUALS_SHEET})
    sheet = sheets.get(ACTUALS_SHEET)
    if sheet is None:
        raise WorkbookError(
            f"Il file non contiene il foglio «{ACTUALS_SHEET}»: usare il file scaricato dal "
            "cruscotto."
        )
    try:
        col_id = sheet.header.index(ID_HEADER)
        col_actual = sheet.header.index(ACTUAL_HEADER)
        col_expl = sheet.header.index(EXPLANATION_HEADER)
    except ValueError as exc:
        raise WorkbookError(
            "Le intestazioni del foglio sono state modificate: usare il file scaricato dal "
            "cruscotto."
        ) from exc
    parsed = ParsedRows()
    for number, texts in sheet.rows:

        def get(i, texts=texts):
            return texts[i] if i < len(texts) else ""

        ident, actual, explanation = get(col_id), get(col_actual), get(col_expl)
        if not (ident or actual or explanation):
            continue
        key = _identifier(ident)
        if key is None:
            parsed.errors.append(
                f"Riga {number}: identificativo mancante o alterato: usare il file scaricato."
            )
            parsed.rows.append(RowInput(number, None, None, actual, explanation))
            continue
        parsed.rows.append(RowInput(number, key[0], key[1], actual, explanation))
    return parsed
