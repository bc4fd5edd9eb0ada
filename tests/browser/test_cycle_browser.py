"""Issue 9 in a real browser: the whole cycle on the demo's 2024 (in data entry). The planning
office justifies the open findings and submits the year, the OIV leaves a remark, the unit
manager answers it, the OIV closes it, completes the checklist and validates; an edit attempt
afterwards is refused. Then issue 6's public journey on 2023."""

import re

import pytest

from .conftest import axe_violations, login

pytestmark = pytest.mark.browser


def logout(page):
    page.click("button:has-text('Esci')")


def test_whole_cycle_from_data_entry_to_validation(page):
    login(page, "pianificazione", "demo-pianificazione-2023")

    # Closing data entry turns the missing actuals into errors; open error findings block the
    # submission, so the planning office justifies them (a rule at once, or one by one).
    page.goto("/2024/ciclo/")
    page.click("button:has-text('Chiudi la rendicontazione')")
    page.goto("/2024/coerenza/")
    assert not axe_violations(page), axe_violations(page)
    reason = "Verificato con l'unità: scostamento noto e motivato."
    for _ in range(40):
        bulk = page.locator("form:has(input[name=rule])")
        if bulk.count():
            bulk.first.locator("textarea").fill(reason)
            bulk.first.locator("button").click()
            continue
        empty = [
            form
            for form in page.locator("form:has(input[name=key])").all()
            if not form.locator("textarea").input_value().strip()
        ]
        if not empty:
            break
        empty[0].locator("textarea").fill(reason)
        empty[0].locator("button").click()

    page.goto("/2024/ciclo/")
    page.click('button:has-text("Trasmetti all\'OIV")')
    alerts = page.locator("[role=alert]").all_inner_texts()
    assert page.locator("[aria-current=step]").inner_text() == "▶ Trasmessa all'OIV", alerts
    indicator_id = None
    page.goto("/gestione/2024/cruscotti/promozione/")
    link = page.locator("tbody a[href*='/2024/indicatori/']").first
    indicator_id = re.search(r"/indicatori/(\d+)/", link.get_attribute("href")).group(1)
    assert page.locator("button:has-text('Salva i valori')").count() == 0  # entry closed
    logout(page)

    # The OIV leaves a remark on an indicator of PROMOZIONE.
    login(page, "oiv", "demo-oiv-2023")
    page.goto(f"/2024/oiv/osservazioni/nuova/?indicator={indicator_id}")
    page.fill("textarea[name=text]", "Indicare la fonte del dato e la data di rilevazione.")
    page.click('button:has-text("Registra l\'osservazione")')
    remark_url = page.url
    assert "/oiv/osservazioni/" in remark_url
    assert not axe_violations(page)
    logout(page)

    # The manager of the unit answers.
    login(page, "promozione", "demo-promozione-2023")
    page.goto(remark_url)
    page.fill("textarea[name=text]", "Fonte: registro eventi 2024, rilevazione al 31/12.")
    page.click("button:has-text('Rispondi')")
    assert "registro eventi 2024" in page.content()
    logout(page)

    # The OIV closes the remark, completes the checklist and validates.
    login(page, "oiv", "demo-oiv-2023")
    page.goto(remark_url)
    page.click('button:has-text("Chiudi l\'osservazione")')
    page.goto("/2024/oiv/")
    assert not axe_violations(page), axe_violations(page)
    for box in page.locator("input[type=checkbox][name^='item-']").all():
        box.check()
    page.click("button:has-text('Salva la lista di verifica')")
    page.goto("/2024/oiv/#validazione")
    page.fill("textarea[name=statement]", "L'OIV valida la Relazione sulla Performance 2024.")
    page.fill("input[name=date]", "2025-05-28")  # a native date picker
    page.click("button:has-text('Valida la Relazione 2024')")
    alerts = page.locator("[role=alert]").all_inner_texts()
    assert "Validata il 28/05/2025" in page.content(), alerts
    logout(page)

    # Afterwards nobody can change the year: the manager's page is read-only and a forged
    # POST is refused.
    login(page, "promozione", "demo-promozione-2023")
    page.goto("/gestione/2024/cruscotti/promozione/")
    assert page.locator("input[name^='actual-']").count() == 0
    token = page.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    response = page.request.post(
        f"/gestione/2024/indicatori/{indicator_id}/valore/",
        form={"actual": "1", "explanation": "x", "version": "1"},
        headers={"X-CSRFToken": csrf, "Referer": page.url},
    )
    assert response.status in (403, 404), response.status
    assert page.watch.outside == [] and page.watch.csp == []


def test_public_journey_on_the_published_year(page):
    page.goto("/trasparenza/")
    assert not axe_violations(page), axe_violations(page)
    page.click("text=2023")
    page.click("text=Mappa strategica")
    assert "1.1" in page.content()
    assert not axe_violations(page)
    page.goto("/trasparenza/2023/cruscotti/")
    page.click("text=PROMOZIONE")
    assert "Progetto: Turismo" in page.content()
    assert not axe_violations(page)
    assert "Esci" not in page.content() and "Modifica" not in page.content()

    response = page.request.get("/trasparenza/2023/indicatori.csv")
    assert response.status == 200
    text = response.text()
    assert text.startswith("year,section,cruscotto,perspective")
    assert len(text.splitlines()) == 346  # header + 345 printed rows
    pdf = page.request.get("/trasparenza/2023/relazione-performance.pdf")
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"
    assert page.watch.outside == [] and page.watch.csp == []
