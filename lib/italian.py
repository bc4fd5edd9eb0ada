"""Italian numbers, dates and wording, as a person reads and types them (``1.284,50``,
``30/06/2023``, ``3 indicatori``): one definition for the pages, the messages, the workbooks
and the open data. Pure: no Django.

Numbers are :class:`~decimal.Decimal` throughout; rounding is half-up, as a spreadsheet's ROUND,
which is how the reference document was produced.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

# A number written the Italian way: an optional sign, thousands grouped by dots (or not
# grouped at all), decimals after a comma. Other parsers embed it (indicators.domain).
NUMBER_PATTERN = r"[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"
_NUMBER_RE = re.compile(rf"^{NUMBER_PATTERN}$")
_CENT = Decimal("0.01")
_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(7)}
_PRECISE = Context(prec=28)  # the default context's, never a caller's changed one
_ITALIAN_MARKS = str.maketrans(",.", ".,")


def parse_number(text: str) -> Decimal:
    """``1.284,50`` -> ``Decimal('1284.50')``, ``-3`` -> ``Decimal('-3')``; :class:`ValueError`
    for anything else (``1,284.50``, ``12.5``, ``1e3``, a currency or percent sign)."""
    raw = text.strip()
    if not _NUMBER_RE.match(raw):
        raise ValueError(f"not an Italian number: {raw!r}")
    return Decimal(raw.replace(".", "").replace(",", "."))


def decimals_of(number: Decimal) -> int:
    """Decimal places without trailing zeros: ``4.3800`` has 2, ``1E+3`` none. Not
    ``normalize()``: it rounds to the context's 28 digits."""
    _, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    places, index = -exponent, len(digits)
    while places and index and digits[index - 1] == 0:
        places, index = places - 1, index - 1
    return places if index else 0  # every digit a zero: ``0.000`` is a whole zero


def format_number(number: Decimal | int, decimals: int = 0) -> str:
    """``Decimal('1284') -> '1.284'``, ``Decimal('1.09'), 2 -> '1,09'``, ``20000 -> '20.000'``
    (half up; never ``-0``)."""
    number = Decimal(number)
    assert number.is_finite()  # the parsers never make NaN or inf
    quantum = _QUANTA[decimals] if decimals in _QUANTA else Decimal(1).scaleb(-decimals)
    # The rounded number has at most adjusted() + 1 + decimals digits, one more if rounding
    # carries: 28 digits hold any figure a page prints, and a quantize that fits is exact
    # whatever the precision. A page's hundreds of figures skip a localcontext each.
    if number.adjusted() + decimals + 2 <= _PRECISE.prec:
        q = number.quantize(quantum, rounding=ROUND_HALF_UP, context=_PRECISE)
    else:
        exponent = number.as_tuple().exponent
        assert isinstance(exponent, int)
        digits = len(number.as_tuple().digits) + abs(exponent) + decimals + 2
        with localcontext(prec=max(28, digits)):
            q = number.quantize(quantum, rounding=ROUND_HALF_UP)
    # Python's grouping (a comma every three digits of the integer part), then the Italian
    # marks swapped in: the same text as grouping by hand, in C.
    text = format(q.copy_abs(), ",f").translate(_ITALIAN_MARKS)
    return "-" + text if q < 0 else text


def format_decimal(number: Decimal, decimals: int | None = None) -> str:
    """Italian text that :func:`parse_number` reads back to the same value; without
    ``decimals``, as many as the number has (``4,38``, not ``4,3800``)."""
    return format_number(number, decimals_of(number) if decimals is None else decimals)


def format_figure(number: Decimal | int, decimals: int | None = None) -> str:
    """A figure as the document prints it: without ``decimals``, a whole number (once rounded
    to the cent) without decimals and any other with two (``100``, ``98,77``, ``91,50``)."""
    number = Decimal(number)
    if decimals is None:
        q = number.quantize(_CENT, rounding=ROUND_HALF_UP)
        decimals = 0 if q == q.to_integral_value() else 2
    return format_number(number, decimals)


def format_date(value: dt.date) -> str:
    """``03/06/2023``. Not strftime: it does not zero-pad years before 1000 on every
    platform."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def shorten(text: str, limit: int) -> str:
    """``text`` on one line in at most ``limit`` characters, cut between words with "…" (a
    word longer than the whole limit is the only thing ever cut inside)."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if text[limit - 1] != " " and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:.-–") + "…"


def count(number: int, singular: str, plural: str) -> str:
    """``1 indicatore``, ``3 indicatori``, ``0 indicatori``."""
    return f"{number} {singular if number == 1 else plural}"
