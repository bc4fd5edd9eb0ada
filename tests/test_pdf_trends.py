"""The trends in the PDF of the Relazione (issue 17): each strategic objective's % realization
in the years up to the document's, as a static SVG line (WeasyPrint runs no plotly) from two
years on, and always as a table; never a later year, nor an unpublished earlier one."""

import re
import subprocess
from pathlib import Path

import pytest
from django.db import transaction

from core.models import Cycle
from dashboards.selectors import strategic_map
from indicators import domain
from reports.pdf import render_layout, render_pdf
from tests.people import set_state

OUT = Path("/tmp/relazione-trends")
pytestmark = pytest.mark.django_db


def _flat(html: str) -> str:
    return re.sub(r"\s", "", html)


@pytest.fixture(scope="module")
def documents(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        y2023 = Cycle.objects.select_related("body").get(body__slug="cciaa-bergamo", year=2023)
        y2024 = Cycle.objects.select_related("body").get(body__slug="cciaa-bergamo", year=2024)
        set_state(y2023, Cycle.State.VALIDATED)  # validated, not yet published
        unpublished_2024 = render_layout(y2024)[0]
        set_state(y2023, Cycle.State.PUBLISHED)
        html_2023 = render_layout(y2023)[0]
        html_2024 = render_layout(y2024)[0]
        figures = {
            year: {
                n.objective.code: n.summary.realization
                for p in strategic_map(c).perspectives
                for n in p.objectives
            }
            for year, c in ((2023, y2023), (2024, y2024))
        }
        pdf = render_pdf(y2024).content
        transaction.set_rollback(True)
    OUT.mkdir(exist_ok=True)
    (OUT / "relazione-2024.pdf").write_bytes(pdf)
    return {
        "2023": html_2023,
        "2024": html_2024,
        "2024-before": unpublished_2024,
        "figures": figures,
        "pdf": OUT / "relazione-2024.pdf",
    }


def test_two_years_print_the_line_and_the_table_of_each_objective(documents):
    html = _flat(documents["2024"])
    for code in documents["figures"][2024]:
        caption = f"Obiettivo{code}:%direalizzazioneneglianni</caption>"
        assert caption in html, code
        table = html.split(caption, 1)[1].split("</table>", 1)[0]
        for year in (2023, 2024):
            text = domain.format_pct(documents["figures"][year][code])
            assert f'<thscope="row">{year}</th><tdclass="num">{text}</td>' in table, (code, year)
        assert f'aria-label="Obiettivo{code}:%direalizzazioneneglianni"' in html


def test_a_single_year_prints_the_table_without_a_line(documents):
    html = _flat(documents["2023"])
    assert "(unsoloanno:l'andamentocomparedalsecondo)</caption>" in html
    assert 'class="charttrend"' not in html
    # Only its own year: never 2024, a later year.
    for table in html.split('<tableclass="trendkeep">')[1:]:
        table = table.split("</table>", 1)[0]
        assert '<thscope="row">2023</th>' in table and "2024" not in table


def test_an_unpublished_earlier_year_is_left_out(documents):
    html = _flat(documents["2024-before"])
    assert "(unsoloanno:l'andamentocomparedalsecondo)</caption>" in html
    assert 'class="charttrend"' not in html


def test_the_pdf_prints_the_trends(documents):
    text = subprocess.run(
        ["pdftotext", str(documents["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "% di realizzazione negli anni" in text
    assert "andamento della % di realizzazione negli anni" in text
