"""Italian formats for templates (``1.284``, ``98,77%``, ``30/06/2023``) and Markdown."""

from decimal import Decimal

import markdown as md
import nh3
from django import template
from django.utils.safestring import mark_safe

from indicators import domain

register = template.Library()


@register.filter
def it_number(value, decimals=0):
    if value is None or value == "":
        return "–"
    return domain.format_number(Decimal(str(value)), int(decimals))


@register.filter
def it_signed(value, decimals=0):
    if value is None:
        return "–"
    text = domain.format_number(Decimal(str(value)), int(decimals))
    return text if Decimal(str(value)) <= 0 else "+" + text


@register.filter
def it_pct(value, decimals=None):
    if value is None:
        return "n.s."
    return domain.format_pct(Decimal(str(value)), None if decimals is None else int(decimals))


@register.filter
def it_date(value):
    return value.strftime("%d/%m/%Y") if value else ""


@register.filter
def markdown(text):
    """Narratives are Markdown written by the planning office: rendered, then sanitized."""
    html = md.markdown(text or "", extensions=["footnotes", "sane_lists"])
    return mark_safe(nh3.clean(html))  # noqa: S308 - nh3 has sanitized it


@register.inclusion_tag("includes/band.html")
def band(item):
    return {"item": item}


@register.filter
def meter_value(value):
    return format(value, "f") if value is not None else "0"
