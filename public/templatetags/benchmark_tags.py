"""Italian words for the comparisons across bodies: ``98,77%``, ``1.284``, ``3ª su 7``."""

from decimal import Decimal

from django import template

from lib.italian import format_figure

register = template.Library()

QUARTERS = {
    1: "1° quarto (fino a Q1)",
    2: "2° quarto (da Q1 alla mediana)",
    3: "3° quarto (dalla mediana a Q3)",
    4: "4° quarto (oltre Q3)",
}


@register.filter
def bench_figure(value: Decimal | None, percent: bool = False) -> str:
    """A compared figure with two decimals when it has any (``91,50%``, ``1.576``)."""
    if value is None:
        return "–"
    return format_figure(value) + ("%" if percent else "")


@register.filter
def bench_place(entry, count: int) -> str:
    """``3ª su 7``; a dash when no place is given (fewer than 3 bodies, no better side)."""
    if entry is None or entry.rank is None:
        return "–"
    return f"{entry.rank}ª su {count}"


@register.filter
def bench_quarter(entry) -> str:
    if entry is None or entry.quartile is None:
        return "–"
    return QUARTERS[entry.quartile]


@register.filter
def bench_entry(comparison, body_slug: str):
    """The body's entry in a comparison (None: it has no figure there)."""
    return comparison.entry_of(body_slug)
