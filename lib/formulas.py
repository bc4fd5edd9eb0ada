"""Spreadsheet formulas kept out of every file the app writes: a person's text must open in
Excel or LibreOffice as that text, never as a formula that runs (OWASP «CSV injection»)."""

from __future__ import annotations

import re
from typing import Protocol

from .italian import NUMBER_PATTERN

# What a spreadsheet reads as the start of a formula in a CSV cell or a typed one.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A signed Italian number, as a percentage or an amount too (``-25``, ``-0,5%``, ``+5 €``):
# a spreadsheet reads it as that number, so it stays as written.
_SIGNED_NUMBER_RE = re.compile(rf"^{NUMBER_PATTERN}\s*%?\s*€?$")


def escape_formula(text: str) -> str:
    """A text cell for a CSV or an open-data workbook: one starting with = + - @ tab or CR gets
    a leading apostrophe, unless it is a plain signed number such as ``-25`` or ``-0,5%``."""
    if not text or not text.startswith(FORMULA_PREFIXES):
        return text
    if text[0] in "+-" and _SIGNED_NUMBER_RE.match(text.strip()):
        return text
    return "'" + text


class Formula(str):
    """The formula of a spreadsheet cell as read (``=SUM(A1:A3)``), never evaluated.

    The reader (:func:`lib.xlsx.read`) marks with it the cells a spreadsheet stores as formulas
    (openpyxl's ``data_type`` ``"f"``), so that a column of values can refuse a formula while a
    text that merely starts with ``=`` (``= 45.000``, a target as a plan writes it) is read as
    that text. ``str(formula)`` is the plain text: a caller that keeps the mark keeps the
    object."""

    __slots__ = ()


class _Cell(Protocol):
    value: object
    data_type: str


def as_text_cell(cell: _Cell, text: str) -> None:
    """Write an openpyxl cell as text that stays text: a leading ``=`` must not become a
    formula (openpyxl makes one of any string starting with it)."""
    cell.value = text
    cell.data_type = "s"
