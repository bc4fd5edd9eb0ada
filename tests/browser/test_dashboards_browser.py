"""Issue 3 in a real browser: map -> objective -> cruscotto, figures, accessibility, no outside
requests, no CSP refusal."""

import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.browser


def test_map_objective_and_cruscotto_journey(page):
    page.goto("/cciaa-bergamo/2023/")
    assert page.title().startswith("Mappa strategica 2023")
    box = page.locator("a.map-objective", has_text="1.1")
    assert "Raggiunto" in box.inner_text()
    assert not axe_violations(page), axe_violations(page)

    box.click()
    page.wait_for_url("**/2023/obiettivi/1.1/")
    assert page.locator("h1").inner_text() == "1.1 Attrattività del territorio"
    row = page.locator("tr", has_text="N. Iniziative strategiche di valorizzazione")
    cells = row.locator("td").all_inner_texts()
    assert "14" in cells and "13" in cells  # document line 1214: "14 13 100%"
    assert not axe_violations(page)

    page.click("text=Cruscotti")
    page.click("text=AFFARI GENERALI")
    page.wait_for_url("**/2023/cruscotti/affari-generali/")
    iso = page.locator("tr", has_text="ISO 9001:2015")
    assert "98,77%" in iso.inner_text()  # document line 3597
    assert not axe_violations(page)

    assert page.watch.outside == []
    assert page.watch.csp == []


def test_resource_pages_draw_charts_under_the_strict_csp(page):
    for url in ("/cciaa-bergamo/2023/risorse-economiche/", "/cciaa-bergamo/2023/personale/"):
        page.goto(url)
        page.wait_for_selector(".plotly-figure .main-svg")
        # the chart's layers are stacked (plotly.css served as a file, not injected)
        assert page.locator(".plotly-figure").first.bounding_box()["height"] < 700
        assert not axe_violations(page), url
    assert page.watch.outside == []
    assert page.watch.csp == []


def test_corrections_and_the_nota_metodologica(page):
    """A late deadline's row says what the document printed and why; the map links to the note,
    which lists the corrections; both pages pass axe, the correction wraps in its column."""
    page.goto("/cciaa-bergamo/2023/cruscotti/risorse-strumentali/")
    row = page.locator("tr", has_text="videosorveglianza")
    assert "valore pubblicato: 100%" in row.inner_text()
    assert "28/11/2023" in row.locator(".declared-differs").inner_text()
    assert row.locator(".declared-differs").bounding_box()["width"] < 400
    assert not axe_violations(page), axe_violations(page)

    page.goto("/cciaa-bergamo/2023/")
    page.click("text=nota metodologica")
    page.wait_for_url("**/2023/nota-metodologica/")
    assert "Raggiunto: da 90%" in page.locator("main").inner_text()
    assert page.locator("table tbody tr").count() == 12
    assert not axe_violations(page), axe_violations(page)
    assert page.watch.outside == []
    assert page.watch.csp == []
