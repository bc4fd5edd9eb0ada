"""The page *Regole di valutazione* as the planning office sees it on a desktop and a phone:
accessible, nothing sideways, a method saved and read back (screenshots in docs/img/regole/)."""

from pathlib import Path

import pytest

from .conftest import axe_violations, login, no_horizontal_overflow, open_page
from .journeys import DESKTOP, PHONE

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img" / "regole"


@pytest.mark.parametrize("name,viewport", [("desktop", DESKTOP), ("telefono", PHONE)])
def test_the_planning_office_sets_the_scoring_method(browser, live_url, name, viewport):
    page = open_page(browser, live_url, viewport)
    login(page, "pianificazione", "demo-pianificazione-2023")
    page.wait_for_url("**/da-fare/")
    page.goto("/cciaa-bergamo/gestione/regole/")
    assert page.locator("h1").inner_text() == "Regole di valutazione"
    assert not axe_violations(page), axe_violations(page)
    assert no_horizontal_overflow(page)
    page.click("label:has-text('punti per fasce')")
    assert page.is_checked("input[name=conversion][value=points]")
    page.fill("textarea[name=points]", "0; 75; 0; 14\n76; 90; 15; 18\n91; 100; 19; 20")
    page.click("button:has-text('Salva le regole')")
    assert "Regole salvate" in page.content()
    assert "76; 90; 15; 18" in page.locator("textarea[name=points]").input_value()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"regole-{name}.png"), full_page=True)
    page.fill("textarea[name=points]", "10; 100; 0; 20")
    page.click("button:has-text('Salva le regole')")
    assert "devono coprire dallo 0% al 100%" in page.content()
    assert not axe_violations(page), axe_violations(page)
    page.context.close()
