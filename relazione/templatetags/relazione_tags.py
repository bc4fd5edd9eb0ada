"""Italian formats for templates (``1.284``, ``98,77%``, ``30/06/2023``) and Markdown."""

import hashlib
import re
from decimal import Decimal

import markdown as md
import nh3
from django import template
from django.utils.safestring import mark_safe

from indicators import domain
from lib import italian
from lib.italian import format_date, format_number

register = template.Library()


@register.filter
def it_number(value, decimals=0):
    if value is None or value == "":
        return "–"
    return format_number(Decimal(str(value)), int(decimals))


@register.filter
def it_pct(value, decimals=None):
    if value is None:
        return "n.s."
    return domain.format_pct(Decimal(str(value)), None if decimals is None else int(decimals))


@register.filter
def it_date(value):
    return format_date(value) if value else ""


FOOTNOTE_ID = re.compile(r"^fn(ref)?-[0-9a-f]{8}-\d+$")
FOOTNOTE_ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    "a": nh3.ALLOWED_ATTRIBUTES["a"] | {"title"},
    "sup": {"id"},
    "li": {"id"},
}
FOOTNOTE_CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote"},
}


def _keep_footnote_ids(tag, attribute, value):
    if attribute == "id" and not FOOTNOTE_ID.match(value):
        return None
    return value


@register.filter
def markdown(text):
    """Narratives are Markdown written by the planning office: rendered, then sanitized.

    Footnotes keep their anchors, which nh3 would strip with every other ``id``. A narrative's
    footnotes are named after a digest of its text, because the PDF puts many narratives in
    one document and each has its own ``[^1]``."""
    text = text or ""
    prefix = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:8]
    html = md.markdown(
        text,
        extensions=["footnotes", "sane_lists"],
        extension_configs={
            "footnotes": {
                "SEPARATOR": "-",
                "BACKLINK_TITLE": "Torna al richiamo della nota %d nel testo",
            }
        },
    )
    html = re.sub(r'(id="|href="#)(fn(?:ref)?)-(\d+)"', rf'\1\2-{prefix}-\3"', html)
    cleaned = nh3.clean(
        html,
        attributes=FOOTNOTE_ATTRIBUTES,
        attribute_filter=_keep_footnote_ids,
        allowed_classes=FOOTNOTE_CLASSES,
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has sanitized it


@register.filter
def correction_against(figure, published):
    """``{{ figure|correction_against:row.declared_realization }}``: the correction of the %
    a cruscotto row printed (indicators.domain.realization_correction), or None."""
    return figure.correction_against(published)


@register.simple_tag
def nv_legend():
    """The NV legend, as the Nota metodologica states it (indicators.domain.NV_LEGEND)."""
    return domain.NV_LEGEND


@register.inclusion_tag("includes/band.html")
def band(item):
    return {"item": item}


@register.filter
def meter_value(value):
    return format(value, "f") if value is not None else "0"


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The role's pages and the year's data pages (see relazione.navigation)."""
    from relazione.navigation import main_menu as build
    from relazione.selectors import cycle_latest

    request = context.get("request")
    user = getattr(request, "user", None)  # none on an error page raised before the auth
    if user is None:
        return {"menu": None}
    # Pages outside a year (login, password, accessibility) show the latest year's menu.
    cycle = context.get("cycle") or cycle_latest(user=user)
    menu = build(user, cycle, request.path) if cycle else None
    return {"menu": menu, "user": user}


@register.filter
def shorten(text, limit=80):
    """Like ``truncatechars``, but never cuts inside a word (see lib.italian)."""
    return italian.shorten(text or "", int(limit))
