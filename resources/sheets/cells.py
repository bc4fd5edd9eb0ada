"""The cells and columns of the context-and-resources workbook: a column's declaration, the
parsing of a cell as typed (Italian numbers, choices by label, references by name) and the
text a stored value shows in the sheet. Pure: no database."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Model

from indicators.domain import ValueType, parse_value
from lib.italian import decimals_of, format_decimal

ZERO = Decimal(0)

Row = dict[str, Any]  # a row: model field -> value (see the module's docstring)
Key = tuple[Any, ...]  # a row's natural key
Stored = Decimal | int | str | None  # a cell's value as stored


class Kind(StrEnum):
    TEXT = "text"
    MONEY = "money"  # euro, two decimals
    DECIMAL = "decimal"
    INTEGER = "integer"  # >= 0
    CHOICE = "choice"  # by Italian label
    REF = "ref"  # a row of a sheet, by its natural key


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: Kind
    required: bool = True
    decimals: int = 0
    max_digits: int | None = None
    min_value: Decimal | None = None  # numbers: the smallest value allowed (inclusive)
    max_length: int | None = None  # text
    choices: tuple[tuple[str, str], ...] = ()  # (stored code, Italian label)
    ref: str | None = None  # REF: title of the sheet whose key it names
    ref_field: str | None = None  # REF: the key field of that sheet
    year: bool = False  # the cycle's year or the one before
    structure: bool = False  # copied from the previous year when pre-filling a new one

    @property
    def path(self) -> str:
        """The ``values()`` path of the column on its model."""
        return f"{self.field}__{self.ref_field}" if self.kind is Kind.REF else self.field


@dataclass(frozen=True)
class SheetSpec:
    title: str
    model: type[Model]  # its manager is _default_manager (objects), the one it declares
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # fields of the natural key
    help: str
    ordered: bool = True  # the model has an ``order`` field: the row's position in the sheet
    check: Callable[[Row], list[str]] | None = None  # row checks, after every cell is valid

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    def key_of(self, row: Row) -> Key:
        return tuple(row.get(f) for f in self.key)

    def key_text(self, row: Row) -> str:
        return " · ".join(format_value(self.column(f), row.get(f)) for f in self.key)


class CellError(ValueError):
    """A cell that cannot be read; the message is Italian and names the reason only."""


# --- Numbers --------------------------------------------------------------------------------

_SPACES_RE = re.compile(r"[\s\u00a0\u202f]+")


def parse_number(text: object, *, allow_percent: bool = False) -> Decimal:
    """A number written the Italian way (``1.284,50``, ``98,77``, ``-3``, ``€ 12``) or a
    numeric cell, read by the engine's parser (:func:`indicators.domain.parse_value`); spaces
    used as thousands separators are ignored.

    Never a formula: ``=A1*2`` is refused, not evaluated."""
    if isinstance(text, bool):
        raise CellError(f"«{text}» non è un numero")
    if isinstance(text, int | Decimal):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(str(text))
    raw = str(text or "").strip()
    if raw.startswith("="):
        raise CellError("le formule non sono ammesse: scrivere il valore")
    value = parse_value(_SPACES_RE.sub("", raw))
    if (
        value.type is not ValueType.NUMBER
        or value.number is None  # never, for a NUMBER: said for the type checker
        or value.comparator
        or (value.percent and not allow_percent)
    ):
        raise CellError(
            f"«{raw}» non è un numero (scrivere ad esempio 1.284,50: punto per le migliaia, "
            "virgola per i decimali)"
        )
    return value.number


# --- Cells ----------------------------------------------------------------------------------


def _check_number(column: Column, number: Decimal) -> Decimal:
    places = decimals_of(number)
    if column.kind is Kind.INTEGER and places:
        raise CellError(f"«{format_decimal(number)}» non è un numero intero")
    if places > column.decimals:
        raise CellError(
            f"«{format_decimal(number)}» ha più di {column.decimals} decimali"
            if column.decimals
            else f"«{format_decimal(number)}» non è un numero intero"
        )
    if column.max_digits is not None:
        integer_digits = len(str(int(abs(number))).lstrip("0"))
        if integer_digits > column.max_digits - column.decimals:
            raise CellError(f"«{format_decimal(number)}» è troppo grande")
    if column.min_value is not None and number < column.min_value:
        if column.min_value == ZERO:
            raise CellError(f"«{format_decimal(number)}» è negativo: il valore deve essere ≥ 0")
        raise CellError(
            f"«{format_decimal(number)}» è inferiore al minimo ammesso "
            f"({format_decimal(column.min_value)})"
        )
    return number


def as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SI" if value else "NO"
    if isinstance(value, int | float | Decimal):
        return format_decimal(Decimal(str(value)))
    return str(value).strip()


def parse_cell(column: Column, value: object, *, year: int | None = None) -> Stored:
    """The value of one cell for ``column`` (its text, or a number); :class:`CellError` with
    the reason otherwise.

    Empty optional cells are ``None`` (``""`` for text); text is kept as typed, a leading
    ``=`` included (stored as text, never evaluated)."""
    text = as_text(value)
    if not text:
        if column.required:
            raise CellError("valore obbligatorio mancante")
        return "" if column.kind is Kind.TEXT else None
    if column.kind in (Kind.MONEY, Kind.DECIMAL, Kind.INTEGER):
        number = _check_number(
            column, parse_number(text, allow_percent=column.kind is Kind.DECIMAL)
        )
        if column.kind is not Kind.INTEGER:
            return number
        if column.year and year is not None and int(number) not in (year, year - 1):
            raise CellError(f"l'anno deve essere {year} o {year - 1}, non {int(number)}")
        return int(number)
    if column.kind is Kind.CHOICE:
        wanted = text.casefold()
        for code, label in column.choices:
            if wanted in (label.casefold(), code.casefold()):
                return code
        allowed = ", ".join(f"«{label}»" for _, label in column.choices)
        raise CellError(f"«{text}» non è tra i valori ammessi ({allowed})")
    # Text, or a reference (whose existence is checked against the whole workbook).
    if column.max_length is not None and len(text) > column.max_length:
        raise CellError(f"testo troppo lungo (massimo {column.max_length} caratteri)")
    return text


def format_value(column: Column, value: Any) -> str:
    """A stored value as the sheet shows it (and the preview and the log print it)."""
    if value is None or value == "":
        return ""
    if column.kind is Kind.MONEY:
        return format_decimal(Decimal(value), 2)
    if column.kind is Kind.DECIMAL:
        return format_decimal(Decimal(value))
    if column.kind is Kind.INTEGER:
        return str(value) if column.year else format_decimal(Decimal(value), 0)
    if column.kind is Kind.CHOICE:
        return dict(column.choices).get(value, str(value))
    return str(value)
