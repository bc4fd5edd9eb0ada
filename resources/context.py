"""A context table as text: what the planning office copies from a spreadsheet and pastes in
the edit form, and back. Pure functions, no database.

The text is tab-separated (a spreadsheet's clipboard) or ";"-separated (an Italian CSV); the
first line holds the headers, each following line a row whose first cell is its label. Other
cells become numbers when written the Italian way ("1.284", "-1,4", "9,4%"), None when empty,
text otherwise ("n.d."). A cell that looks like a number but not an Italian one ("2.6",
"1,284.5") is an error rather than text: stored as text it would print as typed and drop out
of the totals the consistency rules check, and nobody would notice.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from indicators.domain import ValueType, parse_value
from lib.italian import format_number

Cell = int | float | str | None

MAX_LINES = 1000  # a context table of the Relazione has tens of rows: a paste gone wrong
MAX_CELL = 250

# Digits with separators: a number, though maybe not in the Italian format.
_NUMERIC = re.compile(r"[-+\u2212]?\s*[.,]*\d[\d.,]*\s*%?")


class ParseError(ValueError):
    """The text cannot become a table; ``errors`` names each line at fault (1 = headers)."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(" ".join(errors))


@dataclass(frozen=True)
class ParsedTable:
    columns: list[str]
    rows: list[list[Cell]]


def _check_storable(text: str, number: Decimal, *, as_float: bool) -> None:
    """A number the table stores as typed: within a float's range (``1e400`` would be
    infinity: invalid JSON on PostgreSQL, a 500 on the preview) and, with decimals, given back
    exactly by the float it becomes (20 significant digits would come back rounded)."""
    try:
        stored = float(number)
    except OverflowError:
        stored = math.inf
    if not math.isfinite(stored) or (as_float and Decimal(repr(stored)) != number):
        raise ValueError(
            f"«{text[:40]}» è un numero troppo grande o con troppe cifre per essere conservato "
            "esattamente"
        )


def parse_cell(text: str) -> Cell:
    """One value cell: None, an int or float from an Italian number, or the text as given.
    Raises ValueError for a number not written the Italian way."""
    text = text.strip()
    if not text:
        return None
    # The engine's parser reads the number (indicators.domain.parse_value); a "%" is the unit
    # the header states ("9,4%" is stored as 9.4), a typographic minus is a minus.
    value = parse_value(re.sub(r"^([-+])\s+", r"\1", text.replace("\u2212", "-")))
    if (
        value.type is ValueType.NUMBER
        and value.number is not None  # always, for a NUMBER: said for the type checker
        and not value.comparator
        and not value.currency
    ):
        _check_storable(text, value.number, as_float=value.decimals > 0)
        return int(value.number) if value.decimals == 0 else float(value.number)
    if _NUMERIC.fullmatch(text):
        raise ValueError(
            f"«{text}» non è un numero scritto all'italiana (migliaia con il punto, decimali "
            "con la virgola: 1.284 oppure 9,4)"
        )
    return text


def _delimiter(text: str) -> str:
    # A spreadsheet's clipboard always has tabs between cells; a ";" then belongs to a cell.
    if "\t" in text:
        return "\t"
    return ";" if ";" in text else "\t"


def _is_blank(cells: list[str]) -> bool:
    return all(not c.strip() for c in cells)


def _column_name(columns: list[str], index: int) -> str:
    name = columns[index] if index < len(columns) else ""
    return f"colonna «{name}»" if name else f"colonna {index + 1}"


def _records(text: str) -> list[tuple[int, list[str]]]:
    """The non-blank lines of ``text`` with their numbers, bounded."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=False)
    records: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if cells and not _is_blank(cells):
                records.append((reader.line_num, cells))
            if len(records) > MAX_LINES + 1:
                raise ParseError([f"Troppe righe: al massimo {MAX_LINES} oltre le intestazioni."])
    except csv.Error:  # a cell beyond the csv module's field size limit
        raise ParseError([f"Riga {reader.line_num}: cella troppo lunga."]) from None
    if not records:
        raise ParseError(
            ["La tabella è vuota: incollare la riga delle intestazioni e almeno una riga."]
        )
    return records


def _row(line: int, cells: list[str], columns: list[str], errors: list[str]) -> list[Cell] | None:
    """One line of values, or None (with its errors) when its shape is wrong."""
    if len(cells) != len(columns):
        errors.append(f"Riga {line}: {len(cells)} celle, ne servono {len(columns)}.")
        return None
    label = cells[0].strip()
    if not label:
        errors.append(f"Riga {line}: manca l'etichetta nella prima cella.")
        return None
    row: list[Cell] = [label]
    for index, cell in enumerate(cells[1:], start=1):
        try:
            row.append(parse_cell(cell))
        except ValueError as exc:
            errors.append(f"Riga {line}, {_column_name(columns, index)}: {exc}.")
    return row


def parse_table(text: str) -> ParsedTable:
    """The table in ``text``; raises :class:`ParseError` listing every faulty line."""
    records = _records((text or "").replace("\x00", ""))
    header_line, header = records[0]
    columns = [c.strip() for c in header]
    errors: list[str] = []
    if len(columns) < 2:
        raise ParseError(
            [
                f"Riga {header_line}: una sola colonna. Servono l'etichetta e almeno un "
                "valore per riga, separati da tabulazioni (copia dal foglio di calcolo) o da "
                "punto e virgola."
            ]
        )
    if len(records) == 1:
        errors.append("La tabella ha solo le intestazioni: serve almeno una riga di valori.")
    rows: list[list[Cell]] = []
    lines: list[int] = []
    for line, cells in records[1:]:
        row = _row(line, cells, columns, errors)
        if row is not None:
            rows.append(row)
            lines.append(line)
    # Only text is bounded: a number is as long as its digits need.
    texts = [(header_line, i, c) for i, c in enumerate(columns)] + [
        (line, i, v)
        for line, row in zip(lines, rows, strict=True)
        for i, v in enumerate(row)
        if isinstance(v, str)
    ]
    errors += [
        f"Riga {line}, {_column_name(columns, index)}: più di {MAX_CELL} caratteri."
        for line, index, value in texts
        if len(value) > MAX_CELL
    ]
    if errors:
        raise ParseError(errors)
    return ParsedTable(columns, rows)


def format_cell(value: Cell) -> str:
    """One cell as the parser reads it back: Italian numbers with the decimals they have."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return format_number(Decimal(value), 0)
    # repr() is the shortest text giving back the same float: its decimals are "the decimals
    # given" (9.4 -> 9,4; 479.0 -> 479,0), never the binary noise of 9.4000000000000004.
    # 1e16 has no decimals in its plain form: one zero keeps it a float when read back.
    number = Decimal(repr(value))
    decimals = len(format(number, "f").partition(".")[2]) or 1
    return format_number(number, decimals)


def format_table(columns: list[Cell], rows: list[list[Cell]]) -> str:
    """Pasteable text (tab-separated, one line per row) of a table: what the edit form shows.
    Cells holding a tab, a newline or a quote are quoted the way spreadsheets do."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["" if c is None else str(c) for c in columns])
    for row in rows:
        writer.writerow([format_cell(c) if i else str(c) for i, c in enumerate(row)])
    return out.getvalue()


def empty_values(rows: list[list[Cell]]) -> list[list[Cell]]:
    """The rows with their labels only: every value cell None (a new year's structure)."""
    return [[row[0], *([None] * (len(row) - 1))] if row else [] for row in rows]


def table_size(columns: list[Cell], rows: list[list[Cell]]) -> str:
    """«12 righe × 5 colonne», for the list of tables."""
    n, m = len(rows), len(columns)
    return f"{n} rig{'a' if n == 1 else 'he'} × {m} colonn{'a' if m == 1 else 'e'}"
