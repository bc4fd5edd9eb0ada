"""Issue 6's public journey on 2023 in a real browser. The whole cycle of 2024 (issues 9 and
15) is in journeys.py, run at 1366 and 390 px."""

import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.browser


def logout(page):
    page.click("button:has-text('Esci')")


def test_public_journey_on_the_published_year(page):
    page.goto("/trasparenza/")
    assert not axe_violations(page), axe_violations(page)
    page.click("text=2023")
    page.click("text=Mappa strategica")
    assert "1.1" in page.content()
    assert not axe_violations(page)
    page.goto("/trasparenza/cciaa-bergamo/2023/cruscotti/")
    page.click("text=PROMOZIONE")
    assert "Progetto: Turismo" in page.content()
    assert not axe_violations(page)
    assert "Esci" not in page.content() and "Modifica" not in page.content()

    response = page.request.get("/trasparenza/cciaa-bergamo/2023/indicatori.csv")
    assert response.status == 200
    text = response.text()
    assert text.startswith("year,section,cruscotto,perspective")
    assert len(text.splitlines()) == 346  # header + 345 printed rows
    pdf = page.request.get("/trasparenza/cciaa-bergamo/2023/relazione-performance.pdf")
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"
    assert page.watch.outside == [] and page.watch.csp == []
