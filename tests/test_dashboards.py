"""Dashboards (issue 3): every page renders the 2023 data, its figures match the document's
tables, and each page runs a fixed number of queries whatever the size of the plan."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from core.locking import unlocked
from indicators.models import Indicator, ScorecardRow
from objectives.models import OperationalObjective, Scorecard, StrategicObjective

PAGES = [
    "/cciaa-bergamo/2023/",
    "/cciaa-bergamo/2023/obiettivi/1.1/",
    "/cciaa-bergamo/2023/obiettivi/4.1/",
    "/cciaa-bergamo/2023/cruscotti/",
    "/cciaa-bergamo/2023/cruscotti/promozione/",
    "/cciaa-bergamo/2023/cruscotti/segretario-generale/",
    "/cciaa-bergamo/2023/obiettivi-comuni/",
    "/cciaa-bergamo/2023/risorse-economiche/",
    "/cciaa-bergamo/2023/personale/",
]


@pytest.fixture
def grow_plan(cycle):
    """Adds ``n`` indicators to the plan (printed in PROMOZIONE and in the 1.1 table), so a test
    can check that a page's query count does not depend on the number of rows."""

    def grow(n):
        with unlocked():
            _grow(n)

    def _grow(n):
        so = StrategicObjective.objects.get(cycle=cycle, code="1.1")
        op = OperationalObjective.objects.create(cycle=cycle, strategic_objective=so, name="Extra")
        op.units.add(Scorecard.objects.get(cycle=cycle, slug="promozione").unit)
        cards = Scorecard.objects.filter(cycle=cycle, slug__in=["promozione", "obiettivo-1-1"])
        for i in range(n):
            ind = Indicator.objects.create(
                cycle=cycle,
                operational_objective=op,
                name=f"Indicatore sintetico {i}",
                kind="number",
                direction="higher",
                target=str(10 + i),
                actual=str(5 + i),
            )
            for card in cards:
                ScorecardRow.objects.create(scorecard=card, indicator=ind, order=1000 + i)

    return grow


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_page_renders_for_the_public_on_a_published_year(client, cycle, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="it">' in html
    assert "Content-Security-Policy" in response.headers
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    # No inline script: the only <script> tags load our own static files.
    for chunk in html.split("<script")[1:]:
        head = chunk.split(">", 1)[0]
        assert 'src="/static/' in head or 'type="application/json"' in head, head


def test_strategic_map_shows_every_objective_with_band_text(client, cycle):
    html = client.get("/cciaa-bergamo/2023/").content.decode()
    for code in [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "1.5",
        "1.6",
        "2.1",
        "2.2",
        "2.3",
        "3.1",
        "3.2",
        "4.1",
    ]:
        assert f'href="/cciaa-bergamo/2023/obiettivi/{code}/"' in html
    # colour is never the only signal: the band label is printed in words
    assert "Raggiunto" in html
    assert "Mappa strategica 2023" in html and "2.023" not in html


def test_objective_page_lists_operational_objectives_and_document_values(client, cycle):
    html = client.get("/cciaa-bergamo/2023/obiettivi/1.1/").content.decode()
    # Table of 1.1 (document lines 1209-1257): "N. Iniziative strategiche ... 14 13 100%"
    assert "N. Iniziative strategiche di valorizzazione e promozione" in html
    assert "Promuovere l&#x27;attrattività del territorio" in html
    assert "Progetto: Gestione Tavolo BERGAMO 2030" in html


def test_scorecard_shows_the_unit_rows_with_document_values(client, cycle):
    html = client.get("/cciaa-bergamo/2023/cruscotti/affari-generali/").content.decode()
    # AFFARI GENERALI (lines 3534-3660): ISO 9001 row "98,77% 100% 98,77%", mediation NV row
    assert "Gestione per la Qualità secondo la norma ISO 9001:2015" in html
    assert "98,77%" in html
    assert "Adozione del nuovo Regolamento di mediazione" in html
    assert "NV" in html


def test_scorecard_flags_a_declared_realization_that_the_engine_disagrees_with(client, cycle):
    html = client.get("/cciaa-bergamo/2023/cruscotti/risorse-strumentali/").content.decode()
    # videosorveglianza: done 28/11/2023 against 30/10/2023, printed 100% by the document
    assert "28/11/2023" in html and "30/10/2023" in html
    assert (
        "* valore pubblicato: 100% – scadenza raggiunta il 28/11/2023, dopo la data attesa del "
        "30/10/2023: una scadenza mancata vale 0% per regola dell&#x27;ente"
    ) in html


def test_scorecard_filters_by_kind_and_band(client, cycle):
    html = client.get("/cciaa-bergamo/2023/cruscotti/promozione/?kind=deadline").content.decode()
    assert "Progetto: Turismo" not in html
    assert "01/09/2023" in html  # the only deadline row of PROMOZIONE
    html = client.get(
        "/cciaa-bergamo/2023/cruscotti/promozione/?band=not_achieved"
    ).content.decode()
    assert "01/09/2023" in html and "Progetto: Turismo" not in html
    html = client.get("/cciaa-bergamo/2023/cruscotti/promozione/?band=achieved").content.decode()
    assert "01/09/2023" not in html and "Progetto: Turismo" in html


def test_scorecard_export_csv_and_xlsx_are_escaped(client, cycle):
    ind = Indicator.objects.filter(cycle=cycle, rows__scorecard__slug="promozione").first()
    with unlocked():  # 2023 is validated: test data may only be planted past the lock
        Indicator.objects.filter(pk=ind.pk).update(name='=HYPERLINK("http://x","y")')
    response = client.get("/cciaa-bergamo/2023/cruscotti/promozione/?formato=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][3] == "Indicatore"
    names = [r[3] for r in rows[1:]]
    assert '\'=HYPERLINK("http://x","y")' in names
    assert not any(n.startswith("=") for n in names)
    response = client.get("/cciaa-bergamo/2023/cruscotti/promozione/?formato=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for c in sheet["D"]]
    assert '\'=HYPERLINK("http://x","y")' in values
    assert len(values) == len(rows)


def test_common_objectives_page_has_algorithm_target_actual(client, cycle):
    html = client.get("/cciaa-bergamo/2023/obiettivi-comuni/").content.decode()
    # section 2.3 (lines 3397-3526): "impresainungiorno.gov ... 12.000 16.505 100%"
    assert "FAVORIRE LA TRANSIZIONE DIGITALE" in html
    assert "N. delle pratiche inviate attraverso il portale impresainungiorno.gov" in html
    assert "12.000" in html and "16.505" in html
    assert "40,0%" in html and "60,3%" in html


def test_budget_page_figures_match_the_document(client, cycle):
    html = client.get("/cciaa-bergamo/2023/risorse-economiche/").content.decode()
    # conto economico (lines 700-811), computed from the lines
    for figure in [
        "18.689.700",
        "20.105.042",
        "1.415.342",
        "20.695.700",
        "19.825.572",
        "-870.128",
        "-2.006.000",
        "279.470",
        "2.666.870",
        "3.263.920",
    ]:
        assert figure in html, figure
    # interventi economici total (line 697) and a ratio (line 860)
    assert "8.880.200" in html and "8.501.261" in html and "-378.939" in html
    assert "35,68%" in html and "42,82%" in html
    # holdings: the % is computed (Bergamo Fiera Nuova 59,05%, the document prints 48,83%)
    assert "59,05%" in html


def test_people_page_figures_match_the_document(client, cycle):
    html = client.get("/cciaa-bergamo/2023/personale/").content.decode()
    assert "<strong>91</strong>" in html  # staff at 31/12/2023 (line 655)
    assert "dotazione organica di 98" in html
    assert "87,34" in html  # FTE (line 618)
    assert "1.377" in html  # absences total (line 5041)
    assert "2.660" in html  # smart working days (line 2896)
    assert "73%" in html and "27%" in html  # part-time split 2023 (lines 4992-4994)


def test_year_selector_goes_to_the_chosen_year(client, cycle):
    page = client.get("/cciaa-bergamo/2023/").content.decode()
    assert 'action="/cciaa-bergamo/"' in page  # the selector's form: the body's home
    response = client.get("/cciaa-bergamo/?anno=2023")
    assert response.status_code == 302 and response["Location"] == "/cciaa-bergamo/2023/"


def test_unknown_year_is_404(client, cycle):
    assert client.get("/cciaa-bergamo/1999/").status_code == 404
    assert client.get("/1999/", follow=True).status_code == 404  # the old address, redirected
    assert client.get("/ente-inesistente/2023/").status_code == 404  # an unknown body
    assert client.get("/cciaa-bergamo/2023/obiettivi/9.9/").status_code == 404
    assert client.get("/cciaa-bergamo/2023/cruscotti/nessuno/").status_code == 404


def test_unpublished_year_is_hidden_from_the_public(client, cycle):
    with unlocked():
        cycle.state = "monitoring"
        cycle.save(update_fields=["state"])
    for url in PAGES:
        assert client.get(url).status_code == 404, url


# --- Query budgets ------------------------------------------------------------------------
# Each page's queries, in order. The count is pinned and must not grow with the plan. The body
# of the address comes joined to the cycle (accounts.selectors.cycle_get): no query of its own.

MAP_QUERIES = [
    "cycle (with body) for the year",
    "visible years for the selector",
    "perspectives",
    "strategic objectives",
    "sums of the indicators printed in each 2.2 cruscotto (indicators.aggregates)",
    "sums of the indicators of the objectives whose cruscotto prints none",
]
OBJECTIVE_QUERIES = [
    "cycle (with body)",
    "visible years",
    "strategic objective with perspective and scorecard",
    "operational objectives",
    "their units (prefetch)",
    "their indicators (prefetch)",
    "2.2 rows for the declared realization",
    "trend: the objective with that code in the visible years",
    "trend: their indicators' stored figures",
    "trend: their 2.2 rows (weights)",
]
SCORECARD_QUERIES = [
    "cycle (with body)",
    "scorecard (with unit, strategic objective)",
    "the filter form's perspectives, with the cruscotto's number of objectives",
    "the filter form's strategic objectives (all, or the matches of a search if many)",
    "summary: one aggregate over the stored figures, the rows' count too (the pages)",
    "rows of the page, with indicator, objectives and perspective",
    "rows the results paragraph names (under 100% or not valued)",
    "visible years",
]
BUDGET_QUERIES = [
    "cycle (with body)",
    *(f"corrections: {t}" for t in ("budget lines", "interventions", "holdings", "ratios")),
    "corrections: declared figures",
    "budget lines (with parent)",
    "interventions",
    "ratios",
    "holdings",
    "visible years",
]
PEOPLE_QUERIES = [
    "cycle (with body)",
    *(
        f"corrections: {t}"
        for t in ("categories", "headcounts", "part-time", "FTE", "absences", "leave")
    ),
    "corrections: declared figures",
    "staff categories",
    "headcounts",
    "FTE",
    "part-time counts",
    "absences",
    "parental leave",
    "smart working",
    "visible years",
]
COMMON_QUERIES = [
    "cycle (with body)",
    "2.3 rows for the declared realization",
    "common groups",
    "their indicators (prefetch)",
    "visible years",
]
# Every page of a year: its menu shows the data pages of the parts the year has.
MENU_QUERIES = ["the year's parts (resources.structure.year_structure)"]
SCORECARD_INDEX_QUERIES = [
    "cycle (with body)",
    "indicators",
    "scorecard rows",
    "the strategic objectives' cruscotti (2.2: each is its objective's score)",
    "sums of the cruscotti's rows by operational objective (indicators.aggregates)",
    "sums of the objectives that print none of their indicators",
    "scorecards (with unit, strategic objective)",
    "visible years",
]


@pytest.mark.parametrize(
    "url, budget",
    [
        ("/cciaa-bergamo/2023/", MAP_QUERIES),
        ("/cciaa-bergamo/2023/obiettivi/1.1/", OBJECTIVE_QUERIES),
        ("/cciaa-bergamo/2023/cruscotti/promozione/", SCORECARD_QUERIES),
        ("/cciaa-bergamo/2023/cruscotti/", SCORECARD_INDEX_QUERIES),
        ("/cciaa-bergamo/2023/obiettivi-comuni/", COMMON_QUERIES),
        ("/cciaa-bergamo/2023/risorse-economiche/", BUDGET_QUERIES),
        ("/cciaa-bergamo/2023/personale/", PEOPLE_QUERIES),
    ],
)
def test_query_budget_is_fixed_and_does_not_grow_with_the_plan(
    client, cycle, django_assert_num_queries, grow_plan, url, budget
):
    with django_assert_num_queries(len(budget) + len(MENU_QUERIES)):
        client.get(url)
    grow_plan(150)
    with django_assert_num_queries(len(budget) + len(MENU_QUERIES)):
        response = client.get(url)
    assert response.status_code == 200
