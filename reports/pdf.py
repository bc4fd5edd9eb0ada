"""Renders the Relazione to a tagged PDF/A-3a with WeasyPrint, from Django templates.

WeasyPrint never touches the network: the URL fetcher serves only files under the static
folders (fonts, stylesheet) and ``data:`` URLs, and refuses everything else."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from core.models import Cycle
from dashboards.export import export_rows, to_csv

from .layout import Layout
from .selectors import relazione_document

logger = logging.getLogger(__name__)

# PDF/A-3a: archival, with the attached open data, and tagged (structure tree, reading order,
# table headers, alternative text of the charts, language) for screen readers.
PDF_VARIANT = "pdf/a-3a"
STYLESHEET = "reports/relazione.css"


class LocalOnlyFetchError(ValueError):
    pass


def _static_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in getattr(settings, "STATICFILES_DIRS", [])]
    roots.append((Path(__file__).parent / "static").resolve())
    return roots


def static_path(name: str) -> Path:
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(name)
    return Path(found).resolve()


def _url_fetcher_class():
    from weasyprint.urls import URLFetcher

    class LocalStaticFetcher(URLFetcher):
        """Serves file:// URLs inside the static folders and data: URLs; nothing else."""

        def __init__(self):
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=False)
            self.roots = _static_roots()
            self.fetched: list[str] = []

        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if not any(path.is_relative_to(root) for root in self.roots):
                    raise LocalOnlyFetchError(f"Risorsa non consentita: {url}")
            elif parsed.scheme != "data":
                raise LocalOnlyFetchError(f"Risorsa esterna non consentita: {url}")
            self.fetched.append(url)
            return super().fetch(url, headers)

    return LocalStaticFetcher


def url_fetcher():
    return _url_fetcher_class()()


@dataclass
class RenderedPdf:
    content: bytes
    pages: int
    sha256: str
    draft: bool
    unknown_placeholders: list[str] = field(default_factory=list)


def render_layout(cycle: Cycle, *, generated_at=None) -> tuple[str, object, Layout]:
    """The document's HTML, its data and its layout (numbers taken, placeholders that named
    nothing: logged, so that the planning office hears of them)."""
    document = relazione_document(cycle)
    texts = [n.body for n in document.narratives.values()]
    texts += [o.node.objective.narrative for o in document.objectives]
    state = Layout.for_texts(texts)
    html = render_to_string(
        "reports/document.html",
        {
            "layout": state,
            "doc": document,
            "cycle": cycle,
            "body": cycle.body,
            "generated_at": generated_at or timezone.localtime(),
            "font_dir": static_path("vendor/bootstrap-italia/fonts/Titillium_Web").as_uri(),
        },
    )
    if state.unknown:
        logger.warning(
            "Relazione %s: segnaposto senza tabella o figura: %s",
            cycle.year,
            ", ".join(state.unknown),
        )
    return html, document, state


def open_data_attachment(cycle: Cycle):
    from weasyprint import Attachment

    return Attachment(
        string=to_csv(export_rows(cycle)).encode("utf-8"),
        name=f"indicatori-{cycle.year}.csv",
        description=f"Dati aperti: indicatori della Relazione sulla Performance {cycle.year} (CSV)",
        relationship="Data",
    )


FONT_FILES = {
    (400, "normal"): "regular",
    (400, "italic"): "italic",
    (600, "normal"): "600",
    (700, "normal"): "700",
    (700, "italic"): "700italic",
}


def font_css() -> str:
    """@font-face rules for the Titillium Web files shipped with Bootstrap Italia (file:// URLs,
    embedded in the PDF). Glyphs they lack (✔ ◐ ✖) fall back to the system DejaVu Sans."""
    folder = static_path("vendor/bootstrap-italia/fonts/Titillium_Web")
    rules = []
    for (weight, style), suffix in FONT_FILES.items():
        path = folder / f"titillium-web-v10-latin-ext_latin-{suffix}.woff2"
        rules.append(
            f"@font-face {{ font-family: 'Titillium Web'; font-weight: {weight}; "
            f"font-style: {style}; src: url('{path.as_uri()}') format('woff2'); }}"
        )
    return "\n".join(rules)


# The draft mark is drawn, not written: strokes of the letters B O Z Z A (10 x 20 units
# each), so that it stays out of the extracted text and of the tagged structure, where the
# cover's sentence says the same in words.
_LETTERS = (
    "M0 0V20H6C12 20 12 10 6 10H0M0 0H5C10 0 10 10 5 10",  # B
    "M5 0C-1.7 0-1.7 20 5 20C11.7 20 11.7 0 5 0Z",  # O
    "M0 0H10L0 20H10",  # Z
    "M0 0H10L0 20H10",  # Z
    "M0 20L5 0L10 20M2 13H8",  # A
)


def _draft_word(colour: str, stroke: float) -> str:
    return "".join(
        f"<path transform='translate({15 * i} 0)' d='{d}' fill='none' stroke='{colour}' "
        f"stroke-width='{stroke}' stroke-linejoin='round' stroke-linecap='round'/>"
        for i, d in enumerate(_LETTERS)
    )


DRAFT_SVG = (
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 210 297' width='210mm' height='297mm'>"
    "<g transform='rotate(-55 105 148) translate(37 130) scale(1.9)'>"
    + _draft_word("%23f2d7d7", 2.6)
    + "</g></svg>"
)
DRAFT_HEADER_SVG = (
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='-2 -2 74 24' width='14mm' height='4.5mm'>"
    + _draft_word("%23b71918", 2.4)
    + "</svg>"
)


def draft_css() -> str:
    """Marks every page of a draft: a diagonal BOZZA behind the text and one in the header,
    both drawn (see ``_LETTERS``)."""
    return (
        '@page { background: url("data:image/svg+xml;utf8,' + DRAFT_SVG + '") no-repeat center;'
        ' @top-center { content: url("data:image/svg+xml;utf8,' + DRAFT_HEADER_SVG + '"); } }'
    )


def build_document(cycle: Cycle):
    """Lays the document out (WeasyPrint Document), says whether it is a draft and which
    placeholders of its narratives named nothing."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html, doc, state = render_layout(cycle)
    draft = doc.draft
    fetcher = url_fetcher()
    fonts = FontConfiguration()
    stylesheets = [
        CSS(string=font_css(), url_fetcher=fetcher, font_config=fonts),
        CSS(filename=str(static_path(STYLESHEET)), url_fetcher=fetcher, font_config=fonts),
    ]
    if draft:
        stylesheets.append(CSS(string=draft_css(), url_fetcher=fetcher, font_config=fonts))
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).render(
        stylesheets=stylesheets, font_config=fonts, pdf_variant=PDF_VARIANT
    )
    return document, draft, state.unknown


def render_pdf(cycle: Cycle) -> RenderedPdf:
    document, draft, unknown = build_document(cycle)
    content = document.write_pdf(
        pdf_variant=PDF_VARIANT,
        attachments=[open_data_attachment(cycle)],
        pdf_identifier=hashlib.md5(  # noqa: S324 - an identifier, not security
            f"relazione-{cycle.body.slug}-{cycle.year}".encode()
        ).digest(),
    )
    return RenderedPdf(
        content=content,
        pages=len(document.pages),
        sha256=hashlib.sha256(content).hexdigest(),
        draft=draft,
        unknown_placeholders=unknown,
    )
