"""Filters of the PDF templates (Italian formats for the generic context tables)."""

from decimal import Decimal, InvalidOperation

from django import template

from indicators import domain

register = template.Library()


@register.filter
def it_cell(value):
    """A cell of a context table: numbers in Italian format with the decimals they were written
    with (``9.4 -> 9,4``, ``4884 -> 4.884``, ``-1.4 -> -1,4``), text as is, ``–`` when empty."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    decimals = max(0, -number.as_tuple().exponent) if number.as_tuple().exponent < 0 else 0
    return domain.format_number(number, decimals)


@register.filter
def is_number(value):
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
