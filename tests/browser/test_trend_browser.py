"""The trend across years (issue 17, multi-year plans) drawn in a real browser: the chart from
the app's own plotly under the strict CSP, the table beside it, accessible on a desktop and a
phone (screenshots in docs/img/andamento/)."""

from pathlib import Path

import pytest

from .conftest import axe_violations, login, no_horizontal_overflow, open_page
from .journeys import DESKTOP, PHONE

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img" / "andamento"


@pytest.mark.parametrize("name,viewport", [("desktop", DESKTOP), ("telefono", PHONE)])
def test_an_objectives_trend_is_drawn_with_its_table(browser, live_url, name, viewport):
    page = open_page(browser, live_url, viewport)
    login(page, "oiv", "demo-oiv-2023")
    page.wait_for_url("**/da-fare/")
    page.goto("/cciaa-bergamo/2024/obiettivi/1.1/")
    section = page.locator("section[aria-labelledby=trend-title]")
    assert "Andamento negli anni" in section.inner_text()
    section.locator(".plotly-figure .main-svg").first.wait_for()  # drawn by static/js/app.js
    rows = section.locator("tbody tr").all_inner_texts()
    assert any(row.startswith("2023") for row in rows) and any(r.startswith("2024") for r in rows)
    assert not page.watch.csp, page.watch.csp
    assert not axe_violations(page), axe_violations(page)
    assert no_horizontal_overflow(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=str(SHOTS / f"obiettivo-{name}.png"))
    page.context.close()
