"""``{% load consistency_tags %}{% findings_count cycle as counts %}``: counts of the findings
per severity (``counts.error``, ``counts.warning``, ``counts.info``, ``counts.open_errors``)."""

from django import template

from consistency import services

register = template.Library()


@register.simple_tag
def findings_count(cycle) -> dict[str, int]:
    return services.findings_count(cycle)
