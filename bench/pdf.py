"""Benchmark of the Relazione PDF: `.venv/bin/python bench/pdf.py [--year 2023]`.

Renders the year's Relazione (demo DB var/db.sqlite3, or the demo loaded into a temporary
SQLite DB when that file has no such year), then a plain HTML reference of the same number of
pages (simple paragraphs and tables, same fonts) in the same run, and prints pages, seconds,
pages per second, the ratio between the two rates and the peak memory. Each document is
measured ``--runs`` times (default 3), alternating, and the medians are reported with their
spread."""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(year: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relazione.settings.local")
    demo_db = ROOT / "var" / "db.sqlite3"
    use_temp = True
    if demo_db.exists() and "DATABASE_URL" not in os.environ:
        import sqlite3

        try:
            with sqlite3.connect(demo_db) as conn:
                tables = {r[0] for r in conn.execute("select name from sqlite_master")}
                use_temp = not (
                    "reports_narrative" in tables
                    and conn.execute(
                        "select count(*) from relazione_cycle where year = ?", (year,)
                    ).fetchone()[0]
                )
        except sqlite3.Error:
            use_temp = True
    if use_temp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    import django

    django.setup()
    if use_temp:
        from django.core.management import call_command

        from demo.loader import demo_load

        call_command("migrate", verbosity=0, skip_checks=True)
        demo_load(year=year)


PARAGRAPH = (
    "Il presente documento rendiconta i risultati realizzati al 31 dicembre, sia per il "
    "cruscotto strategico sia per i cruscotti delle singole aree organizzative contenuti nella "
    "pianificazione degli obiettivi di performance. La relazione è sottoposta alla validazione "
    "dell'Organismo Indipendente di Valutazione e pubblicata nel sito istituzionale. "
)


def plain_html(sections: int) -> str:
    parts = [
        "<!doctype html><html lang='it'><head><meta charset='utf-8'><title>Riferimento"
        "</title></head><body>"
    ]
    for i in range(sections):
        parts.append(f"<h2>Sezione {i + 1}</h2>")
        parts.extend(f"<p>{PARAGRAPH * 2}</p>" for _ in range(3))
        parts.append(
            "<table><thead><tr><th>Indicatore</th><th>Valore</th><th>Atteso</th>"
            "<th>%</th></tr></thead><tbody>"
        )
        parts.extend(
            f"<tr><td>Indicatore di esempio numero {j} con descrizione</td><td>{j * 7}</td>"
            f"<td>{j * 8}</td><td>{87 + j % 13},5%</td></tr>"
            for j in range(12)
        )
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts)


PLAIN_CSS = """
@page { size: A4; margin: 20mm 16mm;
  @bottom-right { content: "pagina " counter(page) " di " counter(pages); font-size: 8pt; } }
html { font-family: "Titillium Web", "DejaVu Sans", sans-serif; font-size: 10pt;
  line-height: 1.35; }
table { width: 100%; border-collapse: collapse; font-size: 8.5pt; }
thead { display: table-header-group; } tr { break-inside: avoid; }
th, td { border: 0.25mm solid #c5d1dc; padding: 1mm 1.4mm; }
"""


def plain_renderer(target_pages: int):
    """Returns a function that renders the plain reference at the Relazione's length."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from reports.pdf import font_css, url_fetcher

    def render(sections):
        fonts = FontConfiguration()
        fetcher = url_fetcher()
        css = [
            CSS(string=font_css(), font_config=fonts, url_fetcher=fetcher),
            CSS(string=PLAIN_CSS, font_config=fonts, url_fetcher=fetcher),
        ]
        start = time.perf_counter()
        doc = HTML(string=plain_html(sections), url_fetcher=fetcher).render(
            stylesheets=css, font_config=fonts, pdf_variant="pdf/a-3b"
        )
        doc.write_pdf(pdf_variant="pdf/a-3b")
        return len(doc.pages), time.perf_counter() - start

    # Calibrate the number of sections on small renders (not timed), corrected once if the
    # estimate missed the target length by more than 5%.
    pages, _ = render(4)
    sections = max(1, round(4 * target_pages / pages))
    pages, _ = render(sections)
    if abs(pages - target_pages) > target_pages * 0.05:
        sections = max(1, round(sections * target_pages / pages))
    return lambda: render(sections)


def spread(values: list[float]) -> str:
    return f"min {min(values):.2f}, max {max(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument(
        "--runs", type=int, default=3, help="misure alternate per documento (si riporta la mediana)"
    )
    args = parser.parse_args()
    setup_django(args.year)

    from core.models import Cycle
    from reports.pdf import render_pdf

    cycle = Cycle.objects.select_related("body").get(year=args.year)
    warm = render_pdf(cycle)  # warm-up: fonts, templates, imports
    plain = plain_renderer(warm.pages)
    # The two documents are measured in alternation, so that a burst of load from elsewhere
    # on the machine hits both; the medians are reported, with their spread. Timed without
    # tracemalloc (it slows Python allocation-heavy code many times over); the peak memory is
    # the process's maximum resident set size (getrusage), which covers the C libraries
    # (Pango, HarfBuzz) too.
    rates, ref_rates, rss_relazione_mb = [], [], 0.0
    for _ in range(max(1, args.runs)):
        start = time.perf_counter()
        result = render_pdf(cycle)
        rates.append(result.pages / (time.perf_counter() - start))
        rss_relazione_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ref_pages, ref_seconds = plain()
        ref_rates.append(ref_pages / ref_seconds)
    rss_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate, ref_rate = statistics.median(rates), statistics.median(ref_rates)
    ratio = ref_rate / rate
    print(
        f"Relazione {args.year}: {result.pages} pagine, {result.pages / rate:.2f} s "
        f"= {rate:.2f} pagine/s mediana su {len(rates)} ({spread(rates)}; "
        f"{len(result.content) / 1e6:.2f} MB)"
    )
    print(
        f"Riferimento HTML semplice: {ref_pages} pagine, {ref_pages / ref_rate:.2f} s "
        f"= {ref_rate:.2f} pagine/s mediana su {len(ref_rates)} ({spread(ref_rates)})"
    )
    print(f"Rapporto (riferimento / Relazione): {ratio:.2f}x  [obiettivo <= 1,5x]")
    print(
        f"Memoria di picco (RSS): {rss_relazione_mb:.0f} MB dopo la Relazione, "
        f"{rss_peak_mb:.0f} MB a fine esecuzione  [obiettivo < 1 GB]"
    )
    print(
        f"Obiettivo >= 5 pagine/s: {'raggiunto' if rate >= 5 else 'NON raggiunto'}; "
        f"carico medio della macchina: {os.getloadavg()[0]:.1f} su {os.cpu_count()} core"
    )


if __name__ == "__main__":
    main()
