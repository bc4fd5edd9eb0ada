from django import template

from workflow.review_html import review_rows as _review_rows

register = template.Library()


@register.filter
def revisions_for(revisions_by_indicator, indicator_id):
    """``{% with revs=revisions|revisions_for:indicator.id %}`` on the dict of
    :func:`workflow.selectors.revisions_by_indicator`."""
    if not revisions_by_indicator:
        return []
    return revisions_by_indicator.get(indicator_id, [])


@register.simple_tag
def review_rows(items, cycle, can_remark):
    """The rows of the OIV workspace's list (workflow.review_html)."""
    return _review_rows(items, cycle.body.slug, cycle.year, can_remark)
