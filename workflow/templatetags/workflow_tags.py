from django import template

register = template.Library()


@register.filter
def revisions_for(revisions_by_indicator, indicator_id):
    """``{% with revs=revisions|revisions_for:indicator.id %}`` on the dict of
    :func:`workflow.selectors.revisions_by_indicator`."""
    if not revisions_by_indicator:
        return []
    return revisions_by_indicator.get(indicator_id, [])
