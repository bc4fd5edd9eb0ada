"""The strategic map's objective cards, rendered in one pass: a large plan has over a thousand
strategic objectives, and a template loop with a ``reverse`` per card cost more than the
roll-up itself (117 ms of a 100x map; tests/test_map_aggregates.py holds the HTML equal to the
template's)."""

from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import RFC3986_SUBDELIMS

register = template.Library()

MARKER = "codice-obiettivo"
CARD = (
    '<li class="col-12 col-md-6 col-lg-4">\n'
    '      <a class="map-objective band-bg-{}" href="{}">\n'
    '        <span class="code">{}</span> {}<br>\n'
    '        <span class="pct">{}</span>\n'
    '        <span class="band band-{}"><span aria-hidden="true">{}</span> {}</span>\n'
    "      </a>\n"
    "    </li>"
)


def objective_url_maker(public: bool, slug: str, year: int):
    """``code -> URL`` of a strategic objective's page (internal, or its public twin): one
    ``reverse``, then each code quoted as ``reverse`` quotes it; a code ``reverse`` would
    refuse (a slash) still goes through ``reverse``."""
    name = "public:objective" if public else "dashboards:objective"
    head, _marker, tail = reverse(name, args=[slug, year, MARKER]).rpartition(MARKER)

    def url(code: str) -> str:
        if "/" in code or not code:
            return reverse(name, args=[slug, year, code])
        return head + quote(code, safe=RFC3986_SUBDELIMS + "/~:@") + tail

    return url


@register.simple_tag(takes_context=True)
def objective_cards(context, nodes, cycle):
    url = objective_url_maker(bool(context.get("public")), cycle.body.slug, cycle.year)
    cards = (
        (
            node.summary.band,
            url(node.objective.code),
            node.objective.code,
            node.objective.name,
            node.summary.realization_text,
            node.summary.band,
            node.summary.band_icon,
            node.summary.band_label,
        )
        for node in nodes
    )
    return format_html_join("\n    ", CARD, cards) if nodes else format_html("")
