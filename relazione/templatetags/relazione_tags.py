"""Italian formats for templates (``1.284``, ``98,77%``, ``30/06/2023``) and Markdown."""

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone

from core.scoring_method import aggregation_caption
from core.selectors import measurement_rules
from indicators import domain
from lib import bands, italian, links
from lib.italian import format_date, format_number
from lib.markdown import render_markdown

register = template.Library()


@register.simple_tag
def asset(path):
    """``{% static path %}``, worked out once per process (lib.links): the header's files."""
    return links.static_url(path)


@register.simple_tag
def link(name, *args):
    """``{% url name args %}``, worked out once per process (lib.links): the header's pages."""
    return links.url(name, *args)


@register.filter
def it_number(value, decimals=0):
    if value is None or value == "":
        return "–"
    return format_number(Decimal(str(value)), int(decimals))


@register.filter
def it_weight(value):
    """A weight with the decimals it has (``0,5``, ``3,52``, ``1``), never rounded away."""
    if value is None or value == "":
        return "–"
    number = Decimal(str(value))
    return format_number(number, italian.decimals_of(number))


@register.filter
def it_pct(value, decimals=None):
    if value is None:
        return "n.s."
    return domain.format_pct(Decimal(str(value)), None if decimals is None else int(decimals))


@register.filter
def it_date(value):
    """A date, or the day of a moment in the body's time zone: a publication at 00:30 in Rome
    is stored as the previous day in UTC, and its date is Rome's."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_date(value)


@register.filter
def markdown(text):
    return render_markdown(text)


@register.filter
def correction_against(figure, published):
    """``{{ figure|correction_against:row.declared_realization }}``: the correction of the %
    a cruscotto row printed (indicators.domain.realization_correction), or None."""
    return figure.correction_against(published)


@register.simple_tag
def nv_legend():
    """The NV legend, as the Nota metodologica states it (indicators.domain.NV_LEGEND)."""
    return domain.NV_LEGEND


@register.simple_tag
def band(item):
    """The status band of a figure or a summary (lib.bands)."""
    return bands.band_html(item)


@register.filter
def meter_value(value):
    return format(value, "f") if value is not None else "0"


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The role's pages and the year's data pages (see relazione.navigation)."""
    from accounts.selectors import cycle_latest
    from core.middleware import page_body
    from relazione.navigation import main_menu as build

    request = context.get("request")
    user = getattr(request, "user", None)  # none on an error page raised before the auth
    if user is None:
        return {"menu": None}
    # A body's pages outside a year show its latest year's menu; pages outside a body
    # (login, password, accessibility, the choice of body) show none.
    body = page_body(request)
    cycle = context.get("cycle") or (body and cycle_latest(body=body, user=user))
    menu = build(user, cycle, request.path) if cycle else None
    return {"menu": menu, "user": user}


@register.filter
def with_unit(figure, unit):
    """A figure followed by its unit of measure, unless it already ends with it: a target
    written «≥ 90%» is stored «>=90%» and its unit «%» would print twice."""
    figure, unit = str(figure or ""), str(unit or "").strip()
    if not figure or not unit or figure.rstrip().endswith(unit):
        return figure
    return f"{figure} {unit}"


@register.filter
def shorten(text, limit=80):
    """Like ``truncatechars``, but never cuts inside a word (see lib.italian)."""
    return italian.shorten(text or "", int(limit))


@register.filter
def scoring_caption(cycle, plan_map=None):
    """``{{ cycle|scoring_caption:smap }}``: how the map's figures are put together under the
    year's scoring method and with its names of the levels
    (core.scoring_method.aggregation_caption); the map says whether the plan has a first level."""
    first_level = plan_map is None or not any(p.perspective.implicit for p in plan_map.perspectives)
    return aggregation_caption(measurement_rules(cycle).method, cycle.levels, first_level)
