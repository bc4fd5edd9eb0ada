"""The Relazione laid out by its data and tagged for accessibility (issue 15, points 3 and 4).

The 2023 document (published) and the 2024 draft are rendered once for the module; the HTML
the PDF is made from is read with an HTML parser, the PDF with pypdf and poppler."""

import re
import subprocess
from pathlib import Path

import pytest
import tinyhtml5
import yaml
from django.db import transaction
from PIL import Image
from pypdf import PdfReader

from core.models import Cycle
from narratives.models import Narrative
from objectives.models import StrategicObjective
from reports.pdf import render_layout, render_pdf
from reports.templatetags.reports_tags import it_cell
from tests.people import set_state

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "2023"
XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
CAPTION = re.compile(r"^(Tabella|Grafico|Figura) (\d+) – ")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip()


def _text(element) -> str:
    return _norm("".join(element.itertext()))


def _pdftotext(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "relazione-2023.pdf"
    with django_db_blocker.unblock(), transaction.atomic():
        cycle = Cycle.objects.select_related("body").get(body__slug="cciaa-bergamo", year=2023)
        set_state(cycle, Cycle.State.PUBLISHED)
        html, _, layout = render_layout(cycle)
        result = render_pdf(cycle)
        transaction.set_rollback(True)
    path.write_bytes(result.content)
    return {
        "html": html,
        "tree": tinyhtml5.parse(html),
        "layout": layout,
        "result": result,
        "path": path,
        "pages": _pdftotext(path),
        "reader": PdfReader(path),
    }


@pytest.fixture(scope="module")
def draft(django_db_setup, django_db_blocker, tmp_path_factory):
    """The 2024 Relazione as the demo leaves it: in data entry, no text written, half the
    actuals, no figures of context and resources."""
    path = tmp_path_factory.mktemp("draft") / "relazione-2024.pdf"
    with django_db_blocker.unblock():
        cycle = Cycle.objects.select_related("body").get(body__slug="cciaa-bergamo", year=2024)
        assert not Narrative.objects.filter(cycle=cycle).exists()
        result = render_pdf(cycle)
    path.write_bytes(result.content)
    return {"result": result, "path": path, "pages": _pdftotext(path)}


# --- tagged PDF/A -----------------------------------------------------------------------------


def _struct_elements(reader):
    """Every structure element of the tagged PDF (iterative walk of /StructTreeRoot)."""
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        kids = kids.get_object()
        for kid in kids if isinstance(kids, list) else [kids]:
            if not hasattr(kid, "get_object"):
                continue
            ref = getattr(kid, "idnum", None)
            kid = kid.get_object()
            if not isinstance(kid, dict) or kid.get("/Type") not in ("/StructElem", None):
                continue
            if "/S" not in kid or (ref is not None and ref in seen):
                continue
            seen.add(ref)
            yield kid
            stack.append(kid)


def test_pdf_is_tagged_with_language_and_pdfa_level_a(published):
    root = published["reader"].trailer["/Root"]
    assert root["/Lang"] == "it"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part(>|=\")3", xmp)
    assert re.search(r"pdfaid:conformance(>|=\")A", xmp)


def test_structure_has_headings_tables_with_headers_and_figures_with_alt(published):
    kinds = {}
    figures = []
    for element in _struct_elements(published["reader"]):
        kind = str(element["/S"])
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind == "/Figure":
            figures.append(element)
    for kind in ("/H1", "/H2", "/H3", "/P", "/Table", "/TR", "/TH", "/TD", "/Caption"):
        assert kinds.get(kind, 0) > 0, (kind, kinds)
    # Tables: more than a hundred; every one has header cells (scope col/row in the HTML).
    assert kinds["/Table"] > 40
    assert kinds["/TH"] > kinds["/Table"]
    # Every chart and figure carries its alternative text, taken from the SVG's <title>.
    charts = [s for s in published["tree"].iter(f"{SVG}svg")]
    assert len(figures) == len(charts) >= 5
    assert all(str(f.get("/Alt", "")).strip() for f in figures)


def test_every_table_header_cell_has_a_scope(published):
    cells = list(published["tree"].iter(f"{XHTML}th"))
    assert len(cells) > 500
    missing = [
        _text(c) for c in cells if c.get("scope") not in ("col", "row", "colgroup", "rowgroup")
    ]
    assert missing == []


# --- clean text extraction --------------------------------------------------------------------


def test_extracted_text_has_no_hyphen_characters_from_line_breaks(published):
    poppler = "".join(published["pages"])
    pypdf = "".join(page.extract_text() for page in published["reader"].pages[:12])
    for text in (poppler, pypdf):
        assert "\u2010" not in text
        assert "\u00ad" not in text
    # Words are whole in the extracted text: every word of the Premessa is found as written.
    premessa = Narrative.objects.get(
        cycle__body__slug="cciaa-bergamo", cycle__year=2023, key="premessa"
    ).body
    words = {w for w in re.findall(r"\w{12,}", premessa)}
    assert len(words) >= 15
    found = set(re.findall(r"\w{12,}", poppler))
    assert words <= found, words - found


# --- a document laid out by the data ----------------------------------------------------------


def test_every_caption_stands_above_its_content(published):
    tree = published["tree"]
    tables = list(tree.iter(f"{XHTML}table"))
    assert len(tables) > 40
    for table in tables:
        caption = table.find(f"{XHTML}caption")
        rows = [r for r in table.iter(f"{XHTML}tr") if r.find(f"{XHTML}td") is not None]
        assert caption is not None and rows, _text(table)[:80]
        assert next(iter(table)) is caption  # the first child: printed above
    figures = list(tree.iter(f"{XHTML}figure"))
    assert len(figures) >= 5
    for figure in figures:
        children = list(figure)
        assert children[0].tag == f"{XHTML}figcaption", _text(figure)[:80]
        svg = figure.find(f"{SVG}svg")
        assert svg is not None and len(svg.findall(f".//{SVG}rect")) > 2
        assert _text(svg.find(f"{SVG}title"))
    # No caption left in the text: the italic captions of the transcription are gone.
    for paragraph in tree.iter(f"{XHTML}p"):
        text = _text(paragraph)
        assert not re.match(r"^(Tabella|Grafico|Grafici|Figura) \d", text), text
    assert "[[" not in published["html"]


def test_numbers_are_unique_and_sequential_per_kind(published):
    labels = [
        CAPTION.match(_text(c))
        for c in published["tree"].iter()
        if c.tag in (f"{XHTML}caption", f"{XHTML}figcaption")
    ]
    assert all(labels)
    by_kind = {}
    for match in labels:
        by_kind.setdefault(match.group(1), []).append(int(match.group(2)))
    for kind, numbers in by_kind.items():
        assert numbers == list(range(1, len(numbers) + 1)), kind
    assert len(by_kind["Tabella"]) > 40 and by_kind["Figura"] == [1]
    assert len(by_kind["Grafico"]) >= 4
    # The PDF prints the same numbers in the same order.
    printed = re.findall(r"^(Tabella|Grafico|Figura) (\d+) – ", "\n".join(published["pages"]), re.M)
    assert [(k, int(n)) for k, n in printed] == [(m.group(1), int(m.group(2))) for m in labels]


def _following(tree, paragraph_start: str, tag: str):
    """The first ``tag`` element after the paragraph that starts with ``paragraph_start``."""
    found = False
    for element in tree.iter():
        if not found and element.tag == f"{XHTML}p" and _text(element).startswith(paragraph_start):
            found = True
        elif found and element.tag in (f"{XHTML}{tag}", f"{XHTML}p"):
            return element
    raise AssertionError(paragraph_start)


def test_tables_stand_right_after_the_sentence_that_announces_them(published):
    tree = published["tree"]
    for start, title in [
        ("Il tasso di occupazione tra i 15 e i 64 anni", "Forze di lavoro in provincia di Bergamo"),
        (
            "Rispetto al 31 dicembre 2022, il commercio",
            "Sedi di impresa suddivise per sezioni Ateco",
        ),
        ("In relazione alla programmazione e al preventivo", "Conto economico 2023"),
        ("Si riportano nel seguito alcuni indicatori di bilancio", "Indici e margini di bilancio"),
        ("Nella tabella si riporta la suddivisione in percentuale", "Dipendenti a tempo parziale"),
        ("Le iniziative formative attuate a supporto del lavoro agile", "Iniziative formative"),
    ]:
        table = _following(tree, start, "table")
        assert table.tag == f"{XHTML}table", start
        assert title in _text(table.find(f"{XHTML}caption")), (start, title)
    organigram = _following(tree, "L'Organismo Indipendente di Valutazione monitora", "figure")
    assert "Organigramma" in _text(organigram)


def test_premessa_is_whole(published):
    text = _norm(" ".join(published["pages"]))
    reference = _norm((FIXTURES / "reference" / "relazione-performance-2023.txt").read_text())
    ending = "pubblicata nella sezione “Amministrazione trasparente” del sito."
    assert ending in reference and ending in text


def test_smart_working_tables_of_objective_3_1_are_printed_with_the_reference_figures(published):
    data = yaml.safe_load((FIXTURES / "context.yaml").read_text("utf-8"))["smart_working"]
    page = next(p for p in published["pages"] if "Tecnologia per il lavoro agile 2023" in p)
    text = _norm(page)
    for name, participants, days in data["training"]["rows"]:
        assert _norm(f"{name} {participants} {days}") in text
    tech = data["technology"]
    assert f"N. VDI attivate {tech['vdi_activated']}" in text
    assert f"N. PC messi a disposizione per il lavoro agile {tech['pc_provided']}" in text
    # ...in objective 3.1, between its narrative and its cruscotto.
    html = published["html"]
    objective = StrategicObjective.objects.get(
        cycle__body__slug="cciaa-bergamo", cycle__year=2023, code="3.1"
    )
    start = html.index(f'id="so-{objective.code.replace(".", "")}"')
    end = html.index("obiettivo strategico 3.1 — realizzazione")
    for title in ("Dimensioni del lavoro agile 2023", "Tecnologia per il lavoro agile 2023"):
        assert start < html.index(title) < end, title


def test_totale_rows_of_the_firm_tables_match_the_printed_totals(published):
    economy = yaml.safe_load((FIXTURES / "context.yaml").read_text("utf-8"))["economy"]
    tables = {_text(t.find(f"{XHTML}caption")): t for t in published["tree"].iter(f"{XHTML}table")}
    checked = 0
    for table in economy:
        printed = table.get("declared_total_row")
        if not printed:
            continue
        element = next(t for caption, t in tables.items() if table["title"] in caption)
        total = [r for r in element.iter(f"{XHTML}tr") if "total" in (r.get("class") or "")]
        assert len(total) == 1, table["key"]
        cells = [_text(c) for c in total[0]]
        assert cells == [printed[0], *[it_cell(v) for v in printed[1:]]], table["key"]
        checked += 1
    assert checked == 2


def test_no_group_row_without_rows_under_it(published):
    checked = 0
    for table in published["tree"].iter(f"{XHTML}table"):
        rows = list(table.iter(f"{XHTML}tr"))
        kinds = [(r.get("class") or "") for r in rows]
        for index, kind in enumerate(kinds):
            if "group" not in kind:
                continue
            checked += 1
            # The next row is a data row, or a narrower band (objective under a perspective).
            after = kinds[index + 1] if index + 1 < len(kinds) else "end"
            assert "group" not in after or ("g-persp" in kind and "g-so" in after), _text(
                rows[index]
            )
            assert after != "end" and "total" not in after, _text(rows[index])
    assert checked > 20


def test_no_placeholder_reported_for_the_demo(published):
    assert published["layout"].unknown == []
    assert published["result"].unknown_placeholders == []


def test_unknown_or_repeated_placeholders_are_reported_not_printed(cycle):
    set_state(cycle, Cycle.State.MONITORING)  # the demo year reopened, so its texts can change
    narrative = Narrative.objects.get(cycle=cycle, key="premessa")
    narrative.body += (
        "\n\n[[tabella:inesistente]]\n\n[[grafico:labour_force]]\n\n[[tabella:labour_force]]\n\n"
        "Nel testo [[figura:organigramma]] e [[tavola:x]].\n"
    )
    narrative.save()
    html, _, layout = render_layout(cycle)
    assert "[[" not in html
    assert layout.unknown == [
        "[[tabella:inesistente]]",
        "[[grafico:labour_force]]",  # the labour force table has no percentage column to draw
        "[[figura:organigramma]]",  # not on a line of its own
        "[[tavola:x]]",
        # named again where section 1.1 names it
        "[[tabella:labour_force]] (già inserito)",
    ]
    # The labour force table, named by the Premessa now, is printed there and once only.
    assert html.count("Forze di lavoro in provincia di Bergamo</caption>") == 1
    assert html.index("Forze di lavoro in provincia di Bergamo") < html.index('id="cap-1"')


# --- the 2024 draft ---------------------------------------------------------------------------


def test_draft_says_what_is_still_to_write_and_enter(draft):
    text = _norm(" ".join(draft["pages"]))
    assert text.count("Sezione da redigere.") > 10
    assert (
        "Conto economico 2024: preventivo aggiornato e consuntivo (euro): dati non ancora inseriti"
        in text
    )
    assert "Dimensioni del lavoro agile 2024: dati non ancora inseriti" in text
    # No table of zeros: the staff and budget tables of 2024 are not printed.
    assert "TOTALE PROVENTI CORRENTI" not in text.upper()


def _marked(path: Path, page: int) -> bool:
    """Does the page carry the drawn BOZZA (its pale red strokes) behind the text?"""
    prefix = path.with_suffix(f".{page}")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "20", "-f", str(page), "-l", str(page), path, prefix],
        check=True,
    )
    image = Image.open(next(path.parent.glob(f"{prefix.name}*.png"))).convert("RGB")
    pale_red = sum(
        1
        for r, g, b in image.get_flattened_data()
        if r > 225 and 190 < g < 232 and 190 < b < 232 and r - g > 15
    )
    return pale_red > 40


def test_draft_watermark_is_drawn_on_every_page_and_not_in_the_text(draft):
    pages = [p for p in draft["pages"] if p.strip()]
    assert len(pages) == draft["result"].pages > 20
    # The words "BOZZA" are only in the cover's sentence, not on every page.
    assert "BOZZA" in pages[0] and "non ancora validato" in pages[0]
    assert all("BOZZA" not in page for page in pages[1:])
    for number in (1, 2, len(pages) // 2, len(pages)):
        assert _marked(draft["path"], number), number


def test_published_document_has_no_watermark(published):
    assert not _marked(published["path"], 5)
