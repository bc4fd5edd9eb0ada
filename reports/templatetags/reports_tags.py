"""Filters and tags of the PDF templates: Italian formats for the generic context tables, the
numbered captions and the blocks the narratives place (``reports.layout``)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from lib.italian import format_number
from lib.markdown import render_markdown
from reports import layout
from reports.blocks import BLOCK_TEMPLATES

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
    return format_number(number, decimals)


@register.filter
def is_number(value):
    return layout.is_number(value)


# The layout of the PDF: numbered captions, blocks placed by the narratives (reports.layout).


def _render_block(context, block) -> str:
    if block.empty:
        return format_html('<p class="pending">{}: dati non ancora inseriti.</p>', block.title)
    values = context.flatten()
    values.update(block=block, number=context["layout"].number(block.kind))
    return render_to_string(BLOCK_TEMPLATES + block.template, values)


@register.simple_tag(takes_context=True)
def number(context, kind):
    """The next number of a caption: ``{% number "tabella" %}`` -> "Tabella 4"."""
    return context["layout"].number(kind)


@register.simple_tag(takes_context=True)
def place(context, kind, key):
    """Prints a block where the template puts it by default, unless a narrative has already
    placed it (or the year has no such block)."""
    block, state = context["doc"].blocks.get((kind, key)), context["layout"]
    if block is None or (kind, key) in state.claimed or not state.take((kind, key)):
        return ""
    return mark_safe(_render_block(context, block))  # noqa: S308 - rendered by a template


@register.simple_tag(takes_context=True)
def narrative(context, text):
    """A narrative section with its blocks in place of the placeholders. A placeholder that names
    no block (or one already printed) is dropped and reported in ``layout.unknown``. An empty
    section of a draft says it is still to be written."""
    doc, state = context["doc"], context["layout"]
    if not (text or "").strip():
        return format_html('<p class="pending">{}</p>', "Sezione da redigere.") if doc.draft else ""

    def replace(match):
        kind, key = match.groups()
        block = doc.blocks.get((kind, key))
        if block is None:
            state.unknown.append(f"[[{kind}:{key}]]")
            return ""
        if not state.take((kind, key)):
            state.unknown.append(f"[[{kind}:{key}]] (già inserito)")
            return ""
        return _render_block(context, block)

    html = layout.RENDERED_PLACEHOLDER.sub(replace, str(render_markdown(text)))
    # Whatever is left looks like a placeholder but is not one on a line of its own.
    for match in layout.LOOSE_PLACEHOLDER.finditer(html):
        state.unknown.append(match.group(0))
    html = layout.LOOSE_PLACEHOLDER.sub("", html)
    return format_html('<div class="narrative">{}</div>', mark_safe(html))  # noqa: S308


@register.filter
def markdown_web(text):
    """A narrative on a web page: the tables and figures its placeholders name belong to the
    PDF (numbered there), so the placeholders are left out here rather than printed raw."""
    html = layout.RENDERED_PLACEHOLDER.sub("", str(render_markdown(text)))
    return mark_safe(layout.LOOSE_PLACEHOLDER.sub("", html))  # noqa: S308 - sanitized by markdown
