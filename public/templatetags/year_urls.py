"""``{% year_url 'map' cycle.year %}``: the same dashboard templates link to the internal pages
or, when the context says ``public``, to their Amministrazione trasparente twins."""

from django import template
from django.urls import reverse

register = template.Library()

INTERNAL = {
    "map": "dashboards:map",
    "objective": "dashboards:objective",
    "operational": "dashboards:operational",
    "scorecards": "dashboards:scorecards",
    "scorecard": "dashboards:scorecard",
    "indicator": "dashboards:indicator",
    "common": "dashboards:common",
    "budget": "reports:budget",
    "people": "reports:people",
    "methodology": "reports:methodology",
}


@register.simple_tag(takes_context=True)
def year_url(context, name, *args):
    if context.get("public"):
        return reverse(f"public:{name}", args=args)
    return reverse(INTERNAL[name], args=args)
