"""Renders the Relazione to PDF/A-3b with WeasyPrint, from Django templates.

WeasyPrint never touches the network: the URL fetcher serves only files under the static
folders (fonts, stylesheet) and ``data:`` URLs, and refuses everything else."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from indicators.export import export_rows, to_csv
from relazione.models import Cycle

from .selectors import relazione_document

PDF_VARIANT = "pdf/a-3b"
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


def render_html(cycle: Cycle, *, generated_at=None) -> tuple[str, bool]:
    document = relazione_document(cycle)
    html = render_to_string(
        "reports/document.html",
        {
            "doc": document,
            "cycle": cycle,
            "body": cycle.body,
            "generated_at": generated_at or timezone.localtime(),
            "font_dir": static_path("vendor/bootstrap-italia/fonts/Titillium_Web").as_uri(),
        },
    )
    return html, document.draft


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


DRAFT_SVG = (
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 210 297' width='210mm' height='297mm'>"
    "<text x='105' y='160' font-family='DejaVu Sans' font-weight='bold' font-size='46' "
    "fill='%23f2d7d7' text-anchor='middle' transform='rotate(-55 105 148)'>BOZZA</text></svg>"
)


def draft_css() -> str:
    """Marks every page of a draft: a diagonal BOZZA behind the text and one in the header."""
    return (
        '@page { background: url("data:image/svg+xml;utf8,' + DRAFT_SVG + '") no-repeat center;'
        " @top-center { content: 'BOZZA'; color: #b71918; font-weight: 700; font-size: 9pt; } }"
    )


def build_document(cycle: Cycle):
    """Lays the document out (WeasyPrint Document) and says whether it is a draft."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html, draft = render_html(cycle)
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
    return document, draft


def render_pdf(cycle: Cycle) -> RenderedPdf:
    document, draft = build_document(cycle)
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
    )
