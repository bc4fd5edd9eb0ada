"""Issue 15 in the PDF: the corrections carry the published value and the reason (beside the
cruscotti, in the finance and staff sections, in the annex), the Nota metodologica states the
body's own rules, and every overall score states its coverage."""

import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from consistency import corrections
from consistency.selectors import year_data_build
from core.locking import unlocked
from core.models import Cycle
from dashboards.selectors import strategic_map
from reports.selectors import relazione_document
from tests.test_reports_pdf import rendered  # noqa: F401 - the PDF, rendered once per module

pytestmark = pytest.mark.django_db

LATE = [
    # (start of the indicator's name, target, actual) — the DEAD-001 findings of 2023
    ("Ridefinizione delle modalità e della periodicità", "01/09/2023", "31/12/2023"),
    ("Realizzazione nuovo impianto di videosorveglianza", "30/10/2023", "28/11/2023"),
    ("Revisione regolamento per la concessione in uso", "30/04/2023", "08/05/2023"),
    ("Organizzazione e realizzazione di un evento informativo", "30/04/2023", "09/05/2023"),
]


@pytest.fixture(scope="module")
def pages(rendered):  # noqa: F811 - the imported fixture
    """The page texts of the rendered Relazione, with the words hyphenated at a line end
    joined again (WeasyPrint's hyphenation inserts U+2010)."""
    return [p.replace("\u2010 ", "") for p in rendered["pages"]]


def _page_with(pages, heading):
    return next(p for p in pages if p.upper().startswith(heading.upper()) or heading in p)


def test_annex_lists_the_four_late_deadlines_with_published_value_and_reason(pages):
    annex = " ".join(p for p in pages if "CORREZIONI AI VALORI PUBBLICATI" in p.upper())
    for name, target, actual in LATE:
        start = annex.find(name)
        assert start >= 0, name
        row = annex[start : start + 600]
        assert "100% 0%" in row, name  # published, then computed
        assert (
            f"scadenza raggiunta il {actual}, dopo la data attesa del {target}: una scadenza "
            "mancata vale 0% per regola dell'ente"
        ) in row, name


def test_cruscotti_mark_the_corrected_rows_and_say_why(pages, cycle):
    text = " ".join(pages)
    for name, target, actual in LATE:
        note = re.search(
            rf"\* «{re.escape(name)}[^»]*»: valore pubblicato 100%, calcolato 0% – scadenza "
            rf"raggiunta il {re.escape(actual)}, dopo la data attesa del {re.escape(target)}",
            text,
        )
        assert note, name
    # one note per corrected row of a cruscotto: as many as the corrections of the indicators
    rows = [c for c in corrections.corrections(year_data_build(cycle=cycle))]
    assert text.count("valore pubblicato 100%, calcolato") == sum(
        1 for c in rows if c.area == "indicators"
    )


def test_corrected_totals_and_shares_carry_the_published_value(pages):
    text = " ".join(pages)
    assert (
        "BERGAMO FIERA NUOVA S.p.A., % di partecipazione: valore pubblicato 48,83%, calcolato "
        "59,05% – percentuale ricalcolata: 5.798.925 / 9.820.823 × 100"
    ) in text
    assert (
        "TURISMOBERGAMO S.c.a.r.l., % di partecipazione: valore pubblicato 45,35%, calcolato 45,15%"
    ) in text
    assert (
        "personale in servizio, totale 2022: valore pubblicato 87, calcolato 89 – totale "
        "ricalcolato dalle voci: donne 67 + uomini 22"
    ) in text


def test_nota_metodologica_with_the_bodys_thresholds(pages, cycle):
    note = _page_with(pages, "NOTA METODOLOGICA Le regole")
    assert (
        f"Raggiunto: da {cycle.band_achieved_from:.0f}%. Parzialmente raggiunto: da "
        f"{cycle.band_partial_from:.0f}% a meno di {cycle.band_achieved_from:.0f}%"
    ) in note
    assert "una scadenza raggiunta dopo la data attesa vale 0%, per regola dell'ente" in note
    assert "NV = non valutabile" in note
    assert "L'elenco (12 correzioni) è nell'allegato" in note


def test_nota_follows_the_rules_of_the_year(cycle):
    """Built from the data, not hard-coded: other thresholds, another note."""
    with unlocked():  # the year's own rules: a test rewrites those of the validated year
        Cycle.objects.filter(pk=cycle.pk).update(
            band_achieved_from=Decimal("85.5"),
            band_partial_from=Decimal(50),
            missed_deadline_pct=50,
        )
    cycle = Cycle.objects.select_related("body").get(pk=cycle.pk)
    html = render_to_string(
        "reports/pdf/_nota_metodologica.html", {"doc": relazione_document(cycle), "cycle": cycle}
    )
    assert "Raggiunto: da 85,50%. Parzialmente raggiunto: da 50% a meno di 85,50%" in html
    assert "una scadenza raggiunta dopo la data attesa vale 50%, per regola dell&#x27;ente" in html
    # late deadlines now count 50%: still corrections of the printed 100%
    assert "L&#x27;elenco (12 correzioni)" in html


def test_every_overall_score_states_its_coverage(pages, cycle):
    text = " ".join(pages)
    overall_map = strategic_map(cycle)
    overall = overall_map.overall
    assert overall.valued < overall.total  # 2023 has NV indicators: the coverage says so
    assert (
        f"Performance complessiva 2023: {overall.realization_text} ✔ Raggiunto – "
        f"calcolata su {overall.valued} di {overall.total} indicatori"
    ) in text
    for p in overall_map.perspectives:
        assert f"media {p.summary.realization_text}, {p.summary.coverage_text}" in text
    captions = re.findall(r"realizzazione complessiva [\d,]+% \([a-z ]+\)(,? calcolata)?", text)
    assert captions and all(captions), "a cruscotto caption without its coverage"


def test_nv_legend_beside_the_tables_that_print_nv(pages, cycle):
    text = " ".join(pages)
    doc = relazione_document(cycle)
    blocks = [*doc.units, *doc.individuals]
    with_nv = [b for b in blocks if any(line.figure.band == "nv" for line in b.lines)]
    assert with_nv  # the demo has them (2023: AFFARI GENERALI, SPORTELLI POLIFUNZIONALI)
    for block in blocks:
        start = text.index(f"Cruscotto {block.scorecard.title} — realizzazione complessiva")
        ends = [text.find(m, start + 60) for m in ("realizzazione complessiva", "Le regole con")]
        table = text[start : min(e for e in ends if e > 0)]
        assert ("NV = non valutabile" in table) == (block in with_nv), block.scorecard.title
