"""Issue 4 in a real browser: the manager of PROMOZIONE updates an actual with a reason,
downloads the spreadsheet, uploads it back with one change, confirms and sees the new value."""

import io

import pytest
from openpyxl import load_workbook

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def test_unit_manager_updates_actuals_online_and_through_excel(page, tmp_path):
    login(page, "promozione", "demo-promozione-2023")
    page.goto("/cciaa-bergamo/gestione/2024/cruscotti/promozione/")
    assert "PROMOZIONE" in page.locator("h1").inner_text()
    assert not axe_violations(page), axe_violations(page)

    # 1. Online: a value below target needs a reason; with the reason it is saved.
    row = page.locator("tbody tr", has_text="Iniziative strategiche di valorizzazione").first
    target = row.locator("td").nth(1).inner_text().strip()
    below = str(max(int(target.replace(".", "")) - 1, 0))
    actual = row.locator("input[name^='actual-']")
    actual.fill(below)
    row.locator("textarea").fill("")
    page.click("text=Salva i valori")
    assert "motivazione" in page.content().lower()
    row = page.locator("tbody tr", has_text="Iniziative strategiche di valorizzazione").first
    row.locator("input[name^='actual-']").fill(below)
    row.locator("textarea").fill("Due iniziative rinviate al 2025 per il calendario regionale.")
    page.click("text=Salva i valori")
    row = page.locator("tbody tr", has_text="Iniziative strategiche di valorizzazione").first
    assert row.locator("input[name^='actual-']").input_value() == below

    # 2. Excel: download, change one actual, upload, preview, confirm.
    with page.expect_download() as info:
        page.click("text=Scarica il foglio Excel del cruscotto")
    path = tmp_path / "cruscotto.xlsx"
    info.value.save_as(path)
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    name_col = headers.index("Indicatore") if "Indicatore" in headers else 2
    actual_col = headers.index("Valore ottenuto")
    changed = None
    for cells in sheet.iter_rows(min_row=2):
        if 'Marchio "Pietre originali' in str(cells[name_col].value):
            cells[actual_col].value = "7"
            changed = cells[name_col].value
            break
    assert changed, "riga non trovata nel foglio scaricato"
    out = io.BytesIO()
    workbook.save(out)
    upload = tmp_path / "cruscotto-compilato.xlsx"
    upload.write_bytes(out.getvalue())

    page.set_input_files("input[type=file]", str(upload))
    page.click("text=Carica e mostra l'anteprima")
    preview = page.locator("table", has_text="valore precedente")
    assert "→" in preview.inner_text() and "7" in preview.inner_text()
    assert not axe_violations(page)
    page.click("text=Conferma e applica tutte le modifiche")

    page.goto("/cciaa-bergamo/gestione/2024/cruscotti/promozione/")
    row = page.locator("tbody tr", has_text='Pietre originali della bergamasca": n. azioni').first
    assert row.locator("input[name^='actual-']").input_value() == "7"
    assert page.watch.outside == [] and page.watch.csp == []
