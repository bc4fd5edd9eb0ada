"""Markdown written by the planning office, rendered to sanitized HTML (the page and the PDF
render the same text the same way)."""

from __future__ import annotations

import hashlib
import re

import markdown as md  # type: ignore[import-untyped]  # no stubs in the lock
import nh3
from django.utils.safestring import SafeString, mark_safe

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


def _keep_footnote_ids(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id" and not FOOTNOTE_ID.match(value):
        return None
    return value


def render_markdown(text: str | None) -> SafeString:
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
