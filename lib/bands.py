"""The status band of a figure or a summary as HTML (icon and words, not colour only): one
definition for the ``{% band %}`` tag and the lists written in Python (the OIV workspace's
hundred rows a page)."""

from html import escape

from django.utils.safestring import SafeString


def _escaped(value: object) -> str:
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return escape(str(value))


def _shown(item: object, name: str) -> str:
    """``{{ item.name }}`` of a template: a missing attribute prints nothing."""
    return _escaped(getattr(item, name, ""))


def band_html(item: object) -> SafeString:
    """With the conversion and the coverage of a summary (a figure has neither)."""
    conversion = getattr(item, "conversion_text", "")
    coverage = getattr(item, "coverage_text", "")
    return SafeString(
        f'<span class="band band-{_shown(item, "band")}"><span aria-hidden="true">'
        f"{_shown(item, 'band_icon')}</span> {_shown(item, 'realization_text')} "
        f'<span class="visually-hidden">–</span> <small>{_shown(item, "band_label")}</small>'
        "</span>"
        + (f' <strong class="conversion">{_escaped(conversion)}</strong>' if conversion else "")
        + (f' <small class="coverage">({_escaped(coverage)})</small>' if coverage else "")
        + "\n"
    )
