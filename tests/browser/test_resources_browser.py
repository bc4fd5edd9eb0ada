"""The planning office fills the 2024 context-and-resources tables through the Excel workbook:
download (pre-filled with the 2023 structure), type figures, upload, preview, confirm, and the
public-facing staff page shows them."""

import io

import pytest
from openpyxl import load_workbook

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def test_planning_office_fills_the_resources_tables_with_excel(page, tmp_path):
    login(page, "pianificazione", "demo-pianificazione-2023")
    page.goto("/cciaa-bergamo/gestione/2024/risorse/")
    assert "Contesto e risorse 2024" in page.locator("h1").inner_text()
    assert not axe_violations(page), axe_violations(page)

    with page.expect_download() as info:
        page.click("text=Scarica il file Excel 2024")
    path = tmp_path / "risorse.xlsx"
    info.value.save_as(path)
    workbook = load_workbook(path)
    sheet = workbook["FTE"]
    headers = [c.value for c in sheet[1]]
    year_col, fte_col = headers.index("Anno"), headers.index("FTE (full time equivalent)")
    years = []
    for cells in sheet.iter_rows(min_row=2):
        if cells[year_col].value:
            years.append(int(cells[year_col].value))
            cells[fte_col].value = "251,75"
    assert years == [2024]  # the structure of 2023 (its FTE row), moved on by one year
    out = io.BytesIO()
    workbook.save(out)
    upload = tmp_path / "risorse-compilato.xlsx"
    upload.write_bytes(out.getvalue())

    page.set_input_files("input[type=file]", str(upload))
    page.click("text=Carica e mostra l'anteprima")
    assert "251,75" in page.content()
    assert not axe_violations(page), axe_violations(page)
    page.click("text=Conferma e applica tutte le modifiche")
    assert "Importazioni registrate" in page.content()

    page.goto("/cciaa-bergamo/2024/personale/")
    assert "Indice FTE: 251,75" in page.locator("main").inner_text()
    assert page.watch.outside == [] and page.watch.csp == []


def test_planning_office_copies_and_fills_a_context_table(page):
    login(page, "pianificazione", "demo-pianificazione-2023")
    page.goto("/cciaa-bergamo/gestione/2024/risorse/contesto/")
    assert not axe_violations(page), axe_violations(page)
    page.click("text=Copia la struttura del 2023")
    page.click("text=Forze di lavoro in provincia di Bergamo")
    text = page.locator("textarea").input_value()
    header, first = text.splitlines()[:2]
    assert header.split("\t")[-1] == "2023" and first.endswith("\t\t\t\t\t")  # values to type
    cells = header.split("\t")
    filled = [header] + [
        "\t".join([line.split("\t")[0], *["1.000,5"] * (len(cells) - 1)])
        for line in text.splitlines()[1:]
    ]
    page.locator("textarea").fill("\n".join(filled))
    page.click("button[name=anteprima]")
    assert "1.000,5" in page.locator("#anteprima").locator("..").inner_text()
    assert not axe_violations(page), axe_violations(page)
    page.click("text=Salva")
    page.goto("/cciaa-bergamo/gestione/2024/risorse/contesto/labour_force/")
    assert "1.000,5" in page.locator("textarea").input_value()
    assert page.watch.outside == [] and page.watch.csp == []


def test_relazione_text_pages_are_accessible(page):
    login(page, "pianificazione", "demo-pianificazione-2023")
    for url in (
        "/cciaa-bergamo/reports/2024/",
        "/cciaa-bergamo/reports/2024/testi/premessa/",  # not written yet: starts from the 2023 text
        "/cciaa-bergamo/reports/2023/testi/premessa/storico/",
        "/cciaa-bergamo/gestione/2023/risorse/contesto/labour_force/",  # locked year: read only
    ):
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        assert not axe_violations(page), (url, axe_violations(page))
    assert page.watch.outside == [] and page.watch.csp == []
