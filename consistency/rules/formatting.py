"""The Italian formatting of numbers and values in the findings' messages."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from indicators.domain import Value, ValueType
from lib.italian import format_figure, shorten

# --- Formatting helpers -------------------------------------------------------------------


def _num(value: Decimal | int | None, decimals: int | None = None) -> str:
    if value is None:
        return "n.s."
    return format_figure(value, decimals)


def _pct(value: Decimal | None, decimals: int | None = None) -> str:
    if value is None:
        return "n.s."
    return _num(value, decimals) + "%"


def _short(text: str, limit: int = 110) -> str:
    """At most ``limit`` characters, cut between words (a name is never cut mid-word)."""
    return shorten(text, limit)


def _shown(raw: str) -> str:
    return f"«{raw}»" if raw.strip() else "(vuoto)"


_NOT_WORD = re.compile(r"[\W_]+")
# The ASCII characters [\W_] matches, each made a space (a name of a large year is ASCII).
_ASCII_NOT_WORD = bytes(32 if _NOT_WORD.match(chr(c)) else c for c in range(256))


@lru_cache(maxsize=1 << 16)
def normalize_name(name: str) -> str:
    """The identity of an indicator name: case, accents form, apostrophes, punctuation and
    spacing do not count (``Progetto:Riconoscimento`` == ``Progetto: riconoscimento``).
    Remembered (a pure function of the text): a run after a small change finds nearly every
    name of the year already normalized, at a tenth of the cost."""
    text = name or ""
    if text.isascii():  # NFKC leaves ASCII as it is: a table does what the pattern does
        return " ".join(text.lower().encode().translate(_ASCII_NOT_WORD).decode().split())
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return _NOT_WORD.sub(" ", text.casefold().replace("`", "'")).strip()


def _value_identity(value: Value) -> tuple[object, ...]:
    """What a value *means*, so that ``85,60%`` == ``85,6%`` (Decimal compares by value)."""
    if value.type is ValueType.NUMBER:
        return (value.type, value.number)
    if value.type is ValueType.DATE:
        return (value.type, value.date)
    if value.type is ValueType.BOOLEAN:
        return (value.type, value.flag)
    if value.type in (ValueType.EMPTY, ValueType.NV, ValueType.MONITORING):
        return (value.type,)
    return (value.type, value.raw.strip().casefold())
