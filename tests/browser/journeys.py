"""Issue 15 in a real browser: the whole 2024 cycle by each role, through the role menu, with
the guardrails (close asks to confirm the missing actuals, submission refused while a section
of the Relazione is empty, validation refused with a remark open, the remark answered and
closed, publication dated and the PDF link or the "in preparazione" message), on a desktop
and on a phone. Used by test_cycle_desktop_browser.py (1366 px) and
test_cycle_phone_browser.py (390 px), each on its own copy of the demo database."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import axe_violations, login, no_horizontal_overflow, open_page

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SECTIONS = (
    "premessa",
    "contesto_economico",
    "contesto_istituzionale",
    "amministrazione",
    "risorse_umane",
    "risorse_economiche",
    "mappa_strategica",
    "obiettivi_comuni",
    "obiettivi_operativi",
    "bilancio_di_genere",
    "obiettivi_individuali",
    "processo",
)


def page_of_size(viewport):
    """The ``page`` fixture of a module, at this screen size."""

    @pytest.fixture
    def page(browser, live_url):
        pg = open_page(browser, live_url, viewport)
        yield pg
        pg.context.close()

    return page


def is_phone(page) -> bool:
    return page.viewport_size["width"] < 992


def check(page, label: str = "") -> None:
    """What every page must pass: axe (serious and critical), no sideways scroll on a phone."""
    violations = axe_violations(page)
    assert not violations, (label or page.url, violations)
    if is_phone(page):
        assert no_horizontal_overflow(page), f"scorrimento orizzontale su {page.url}"


def open_phone_menu(page) -> None:
    """The toggle opens the menu once Bootstrap Italia's script has bound it (after "load");
    a click that came too early is repeated."""
    page.wait_for_load_state("load")
    toggle = page.locator("button.custom-navbar-toggler")
    assert toggle.is_visible()
    first = page.locator("#nav-main .nav-link").first
    for _ in range(3):
        toggle.click()
        try:
            first.wait_for(state="visible", timeout=3000)
            break
        except PlaywrightTimeout:
            continue
    assert first.is_visible(), "il menu non si apre"
    page.wait_for_timeout(500)  # the opening animation ignores clicks until done


def menu(page, label: str) -> None:
    """Open a page from the main menu, through the toggle on a phone."""
    if is_phone(page):
        open_phone_menu(page)
    page.locator("#nav-main .nav-link", has_text=label).first.click()
    page.wait_for_load_state()


def logout(page) -> None:
    page.context.clear_cookies()


def alerts(page) -> str:
    return " ".join(page.locator("[role=alert]").all_inner_texts())


def state(page) -> str:
    return page.locator("[aria-current=step]").inner_text()


def whole_cycle(page) -> None:
    # The planning office lands on its "Da fare": what is missing before closing.
    login(page, "pianificazione", "demo-pianificazione-2023")
    page.wait_for_url("**/2024/da-fare/")
    assert "Valori ottenuti da inserire: 84" in page.content()
    check(page)

    # Close: the missing actuals are listed, the closing must be confirmed (and is logged).
    menu(page, "Ciclo")
    page.wait_for_url("**/2024/ciclo/")
    assert "Valori ottenuti ancora da inserire: 84" in page.content()
    check(page)
    page.click("button:has-text('Chiudi la rendicontazione')")
    assert "confermare la chiusura" in alerts(page)
    assert state(page) == "▶ Monitoraggio (inserimento dati aperto)"
    page.click("label[for=confirm-missing]")
    page.click("button:has-text('Chiudi la rendicontazione')")
    assert state(page) == "▶ Rendicontazione chiusa", alerts(page)
    assert "Chiusura confermata con 84 valori ottenuti da inserire" in page.content()

    # The consistency findings: justified (a rule at once, or one by one).
    menu(page, "Controlli di coerenza")
    check(page)
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

    # Submit: refused while a section of the Relazione is not written.
    menu(page, "Ciclo")
    page.click('button:has-text("Trasmetti all\'OIV")')
    assert "«Premessa» non scritto" in alerts(page)
    assert state(page) == "▶ Rendicontazione chiusa"

    # The texts are written (from 2023's as the starting point); the resources are not filled
    # yet: each missing table gets its own recorded justification.
    menu(page, "Testi della Relazione")
    check(page)
    for key in SECTIONS:
        page.goto(f"/cciaa-bergamo/reports/2024/testi/{key}/")
        page.click("button:has-text('Salva')")
        assert "Testo salvato" in page.content(), key
    menu(page, "Ciclo")
    assert page.locator("#mancanze form").count() == 2
    for _ in range(2):
        form = page.locator("#mancanze form").first
        form.locator("textarea").fill("Conto annuale del personale e bilancio approvati a giugno.")
        form.locator("button").click()
        assert "Giustificazione registrata" in page.content()
    page.click('button:has-text("Trasmetti all\'OIV")')
    assert state(page) == "▶ Trasmessa all'OIV", alerts(page)
    logout(page)

    # The OIV lands on the year submitted to it, leaves a remark; it cannot validate with the
    # remark open.
    login(page, "oiv", "demo-oiv-2023")
    page.wait_for_url("**/2024/da-fare/")
    assert "Relazione 2024 da esaminare" in page.content()
    check(page)
    page.goto("/cciaa-bergamo/2024/oiv/osservazioni/nuova/?section=generale")
    page.fill("textarea[name=text]", "Indicare la fonte dei dati sul personale.")
    page.click('button:has-text("Registra l\'osservazione")')
    remark_url = page.url
    assert "/oiv/osservazioni/" in remark_url
    menu(page, "Spazio OIV")
    check(page)
    for box in page.locator("input[type=checkbox][name^='item-']").all():
        box.check()
    page.click("button:has-text('Salva la lista di verifica')")
    today = timezone.localdate()
    page.fill("textarea[name=statement]", "L'OIV valida la Relazione sulla Performance 2024.")
    page.fill("input[name=date]", today.isoformat())
    page.click("button:has-text('Valida la Relazione 2024')")
    assert "chiudere le osservazioni aperte (1)" in alerts(page)
    logout(page)

    # The planning office finds the remark on its "Da fare" and answers.
    login(page, "pianificazione", "demo-pianificazione-2023")
    page.wait_for_url("**/2024/da-fare/")
    assert "Osservazioni aperte dell'OIV: 1" in page.content()
    page.click("#remarks-h + ul a")
    page.fill("textarea[name=text]", "Fonte: conto annuale 2024, dati al 31/12.")
    page.click("button:has-text('Rispondi')")
    assert "conto annuale 2024" in page.content()
    check(page)
    logout(page)

    # The OIV closes the remark and validates.
    login(page, "oiv", "demo-oiv-2023")
    page.wait_for_url("**/2024/da-fare/")
    page.goto(remark_url)
    page.click('button:has-text("Chiudi l\'osservazione")')
    menu(page, "Spazio OIV")
    page.fill("textarea[name=statement]", "L'OIV valida la Relazione sulla Performance 2024.")
    page.fill("input[name=date]", today.isoformat())
    page.click("button:has-text('Valida la Relazione 2024')")
    assert f"Validata il {today:%d/%m/%Y}" in page.content(), alerts(page)
    logout(page)

    # Afterwards nobody can change the year: the manager's page is read-only and a forged
    # POST is refused.
    login(page, "promozione", "demo-promozione-2023")
    page.wait_for_url("**/da-fare/")
    page.goto("/cciaa-bergamo/gestione/2024/cruscotti/promozione/")
    assert page.locator("input[name^='actual-']").count() == 0
    link = page.locator("tbody a[href*='/cciaa-bergamo/2024/indicatori/']").first.get_attribute(
        "href"
    )
    indicator_id = link.rstrip("/").rsplit("/", 1)[-1]
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"/cciaa-bergamo/gestione/2024/indicatori/{indicator_id}/valore/",
        form={"actual": "1", "explanation": "x", "version": "1"},
        headers={"X-CSRFToken": csrf, "Referer": page.url},
    )
    assert response.status in (403, 404), response.status
    logout(page)

    # The planning office publishes; the public page is dated by the publication and says the
    # PDF is being prepared (no PDF of 2024 generated yet).
    login(page, "pianificazione", "demo-pianificazione-2023")
    page.wait_for_url("**/da-fare/")
    menu(page, "Ciclo")
    page.click("button:has-text('Pubblica')")
    assert state(page) == "▶ Pubblicata", alerts(page)
    logout(page)
    page.goto("/trasparenza/cciaa-bergamo/2024/")
    content = page.content()
    assert f"pubblicata il {today:%d/%m/%Y}" in content
    assert "in preparazione" in content or "relazione-performance.pdf" in content
    check(page)
    page.goto("/trasparenza/cciaa-bergamo/2023/")
    assert "pubblicata il 20/06/2024" in page.content()
    assert page.watch.outside == [] and page.watch.csp == []


MAIN_PAGES = {
    "pianificazione": (
        "/cciaa-bergamo/2024/da-fare/",
        "/cciaa-bergamo/2024/ciclo/",
        "/cciaa-bergamo/2024/coerenza/",
        "/cciaa-bergamo/2024/oiv/",
        "/cciaa-bergamo/reports/2024/",
        "/cciaa-bergamo/gestione/2024/",
        "/cciaa-bergamo/gestione/2024/cruscotti/promozione/",
        "/cciaa-bergamo/gestione/2024/risorse/",
        "/cciaa-bergamo/2024/",
        "/cciaa-bergamo/2024/cruscotti/",
        "/cciaa-bergamo/2024/risorse-economiche/",
        "/cciaa-bergamo/2024/personale/",
    ),
    "promozione": (
        "/cciaa-bergamo/2024/da-fare/",
        "/cciaa-bergamo/gestione/2024/cruscotti/promozione/",
        "/cciaa-bergamo/2024/ciclo/",
    ),
    "oiv": (
        "/cciaa-bergamo/2024/da-fare/",
        "/cciaa-bergamo/2024/oiv/",
        "/cciaa-bergamo/2024/coerenza/",
    ),
}
PASSWORDS = {
    "pianificazione": "demo-pianificazione-2023",
    "promozione": "demo-promozione-2023",
    "oiv": "demo-oiv-2023",
}
MENUS = {
    "pianificazione": [
        "Da fare",
        "Ciclo",
        "Controlli di coerenza",
        "Spazio OIV",
        "Testi della Relazione",
        "Gestione",
        "Contesto e risorse",
    ],
    "promozione": ["Da fare", "Ciclo", "Testi della Relazione", "Gestione"],
    "oiv": ["Da fare", "Ciclo", "Controlli di coerenza", "Spazio OIV", "Testi della Relazione"],
}


def navigation_by_role(page) -> None:
    """Each role lands on its "Da fare", sees its own menu (behind the toggle on a phone) and
    every main page fits the screen."""
    for user, pages in MAIN_PAGES.items():
        login(page, user, PASSWORDS[user])
        page.wait_for_url("**/2024/da-fare/")
        body = page.locator(".body-name").inner_text()
        assert body.startswith("Camera di commercio"), body
        nav = page.locator("#nav-main .navbar-nav > li.nav-item:not(.dropdown) > a.nav-link")
        labels = [t.strip() for t in nav.all_inner_texts() if t.strip() != "Cambia password"]
        if is_phone(page):
            assert not page.locator("#nav-main").is_visible()
            open_phone_menu(page)
            assert page.locator("#nav-main").is_visible()
            page.click("#nav-main button.close-menu")
            page.locator("#nav-main .nav-link").first.wait_for(state="hidden")
        else:
            assert page.locator("button.custom-navbar-toggler").is_hidden()
            page.click("#menu-dati")  # the year's data pages in a drop-down
            page.click("#nav-main .dropdown-menu a:has-text('Cruscotti')")
            page.wait_for_url("**/2024/cruscotti/")
        assert labels == MENUS[user], labels
        for url in pages:
            page.goto(url)
            check(page, f"{user} {url}")
        logout(page)
    for url in (
        "/account/login/",
        "/trasparenza/",
        "/trasparenza/cciaa-bergamo/2023/",
        "/cciaa-bergamo/2023/",
    ):
        page.goto(url)
        assert "Camera di commercio" in page.locator(".body-name").inner_text(), url
        check(page, url)
    assert page.watch.outside == [] and page.watch.csp == []
