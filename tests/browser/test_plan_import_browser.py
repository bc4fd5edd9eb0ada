"""Issue 16, point 4 in a real browser: the template downloaded from the page lists the unit
codes; a workbook with errors in every sheet comes back with all of them at once, readable on a
desktop and on a phone."""

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .conftest import axe_violations, login, no_horizontal_overflow, open_page
from .journeys import DESKTOP, PHONE

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SCREENSHOTS")  # a folder: the PNGs a reviewer looks at


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_every_error_of_the_plan_workbook_at_once(browser, live_url, viewport, tmp_path):
    page = open_page(browser, live_url, viewport)
    login(page, "pianificazione", "demo-pianificazione-2023")
    page.goto("/cciaa-bergamo/gestione/piano/importa/")
    with page.expect_download() as download:
        page.click("text=modello Excel del piano")
    template = Path(download.value.path()).read_bytes()
    wb = load_workbook(io.BytesIO(template))
    codes = [row[0] for row in wb["Unità"].iter_rows(min_row=2, values_only=True)]
    assert "promozione" in codes
    wb["Prospettive"].append(["1", "P" * 175])
    wb["Obiettivi operativi"].append(["1.1", "Nuovo", "ufficio-sconosciuto"])
    wb["Indicatori"].append(["1.1", "Erogare i contributi alle imprese", "", "", "colore"])
    upload = tmp_path / "piano.xlsx"
    wb.save(upload)
    page.fill("#id_year", "2039")
    page.set_input_files("#id_file", str(upload))
    page.click("button:has-text('Importa')")
    alert = page.locator(".alert-danger")
    assert "(5 errori)" in alert.inner_text()
    for text in (
        "Foglio «Prospettive», riga 3, colonna «Prospettiva»: 175 caratteri, al massimo 120",
        "Foglio «Prospettive», riga 3, colonna «Ordine»",
        "Foglio «Obiettivi operativi», riga 3, colonna «Unità»: codice «ufficio-sconosciuto»",
        "Foglio «Indicatori», riga 3, colonna «Indicatore»: obbligatoria",
        "Foglio «Indicatori», riga 3, colonna «Tipo»: «colore» non valido",
    ):
        assert text in alert.inner_text(), text
    assert no_horizontal_overflow(page)
    assert not axe_violations(page), axe_violations(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/plan-import-{viewport['width']}.png", full_page=True)
    page.context.close()
