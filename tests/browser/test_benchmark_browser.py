"""The comparison across bodies (Amministrazione trasparente) as the public reads it on a
desktop and a phone: accessible, nothing sideways (screenshots in docs/img/confronti/)."""

from pathlib import Path

import pytest

from .conftest import axe_violations, no_horizontal_overflow, open_page
from .journeys import DESKTOP, PHONE

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img" / "confronti"


@pytest.mark.parametrize("name,viewport", [("desktop", DESKTOP), ("telefono", PHONE)])
def test_the_public_reads_the_comparison(browser, live_url, name, viewport):
    page = open_page(browser, live_url, viewport)
    for path in ("/trasparenza/confronti/", "/trasparenza/cciaa-bergamo/confronti/"):
        response = page.goto(path)
        assert response.status == 200, path
        assert page.locator("table caption").count() > 0, path
        assert not axe_violations(page), (path, axe_violations(page))
        assert no_horizontal_overflow(page), path
        assert not page.watch.csp, page.watch.csp
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"confronti-{name}.png"), full_page=True)
    page.context.close()
