"""The Relazione 2023 as PDF/A-3, rendered once for the module by `manage.py relazione_pdf`."""

import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

from core.models import Cycle
from dashboards.export import export_rows, to_csv
from objectives.models import Scorecard, StrategicObjective
from tests.people import set_state

pytestmark = pytest.mark.django_db


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip()


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """Renders the validated (published) 2023 Relazione once; returns path and page texts."""
    folder = Path(tempfile.mkdtemp())
    output = folder / "relazione-2023.pdf"
    with django_db_blocker.unblock(), transaction.atomic():
        set_state(Cycle.objects.get(body__slug="cciaa-bergamo", year=2023), Cycle.State.PUBLISHED)
        call_command("relazione_pdf", year=2023, body="cciaa-bergamo", output=str(output))
        transaction.set_rollback(True)
    raw = subprocess.run(
        ["pdftotext", str(output), "-"], capture_output=True, text=True, check=True
    ).stdout
    layout = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", "3", str(output), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = [_norm(p) for p in raw.split("\f")]
    return {"path": output, "pages": pages, "toc": layout, "reader": PdfReader(output)}


def test_document_has_every_strategic_objective(rendered, cycle):
    text = " ".join(rendered["pages"])
    objectives = list(StrategicObjective.objects.filter(cycle=cycle))
    assert len(objectives) > 10
    for so in objectives:
        assert _norm(f"{so.code} {so.name}") in text, so


def test_document_has_every_cruscotto_title(rendered, cycle):
    text = " ".join(rendered["pages"])
    units = Scorecard.objects.filter(cycle=cycle, section__in=["2.4", "3"])
    assert units.count() > 10
    for scorecard in units:
        title = scorecard.title if scorecard.section == "2.4" else scorecard.holder
        assert _norm(title) in text, scorecard
        assert _norm(f"Cruscotto {scorecard.title}") in text


def test_indicator_rows_are_printed_with_their_values(rendered, cycle):
    from indicators.models import ScorecardRow
    from indicators.rollup import figure_for

    rows = list(
        ScorecardRow.objects.filter(scorecard__cycle=cycle)
        .select_related("indicator")
        .order_by("id")
    )
    sample = rows[:: max(1, len(rows) // 12)]
    assert len(sample) >= 10
    for row in sample:
        ind = row.indicator
        name = _norm(ind.name)[:45]
        figure = figure_for(ind, cycle)
        pages = [p for p in rendered["pages"] if name in p]
        assert pages, f"indicatore non trovato: {ind.name}"
        assert any(
            _norm(ind.actual or "–") in p
            and _norm(ind.target or "–") in p
            and figure.realization_text in p
            for p in pages
        ), ind.name


def test_table_of_contents_page_numbers_match_headings(rendered):
    entries = re.findall(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", rendered["toc"], re.MULTILINE)
    assert len(entries) >= 30
    reader = rendered["reader"]
    outline = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                outline.setdefault(_norm(item.title), reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    for title, page in entries:
        title, page = _norm(title), int(page)
        # The heading is printed on the page the TOC announces...
        assert title.upper() in rendered["pages"][page - 1].upper(), (title, page)
        # ...and the PDF bookmark of that heading points to the same page.
        assert outline.get(title) == page, (title, page, outline.get(title))


def test_pdf_a3_metadata_language_title_and_fonts(rendered):
    reader = rendered["reader"]
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part(>|=\")3", xmp)
    assert re.search(r"pdfaid:conformance(>|=\")A", xmp)  # tagged: level A
    assert root["/Lang"] == "it"
    assert "Relazione sulla Performance 2023" in reader.metadata.title
    for page in reader.pages[:5]:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()
            if "/DescendantFonts" in descriptor:
                descriptor = descriptor["/DescendantFonts"][0].get_object()
            fd = descriptor["/FontDescriptor"].get_object()
            assert any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")), fd


def test_open_data_csv_is_attached(rendered, cycle):
    attachments = rendered["reader"].attachments
    assert list(attachments) == ["indicatori-2023.csv"]
    content = attachments["indicatori-2023.csv"][0].decode("utf-8")
    assert content == to_csv(export_rows(cycle))


def test_validated_document_has_no_draft_mark(rendered):
    assert all("BOZZA" not in page for page in rendered["pages"])
    assert "Validata dall'Organismo Indipendente di Valutazione" in rendered["pages"][0]


def test_page_numbers_pagina_n_di_m(rendered):
    pages = [p for p in rendered["pages"] if p]
    total = len(pages)
    assert total > 50
    for number in (2, total // 2, total):
        assert f"pagina {number} di {total}" in pages[number - 1]


def test_narrative_footnote_links_to_its_note(rendered):
    # The 2.1 narrative cites the tempestività dei pagamenti indicator in a footnote: the
    # reference and the note are linked both ways, on the page that prints them.
    reader = rendered["reader"]
    cited = "indicatore di tempestività dei pagamenti"
    index = next(i for i, p in enumerate(rendered["pages"]) if cited in p)
    dests = [
        annot.get_object().get("/Dest")
        for annot in reader.pages[index].get("/Annots") or []
        if annot.get_object().get("/Subtype") == "/Link"
    ]
    assert any(re.fullmatch(r"fn-[0-9a-f]{8}-1", str(d)) for d in dests), dests
    assert any(re.fullmatch(r"fnref-[0-9a-f]{8}-1", str(d)) for d in dests), dests
