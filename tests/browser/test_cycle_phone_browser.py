"""Issue 15 on a phone (390 px): navigation by role, then the whole 2024 cycle with its
guardrails (see journeys.py)."""

import pytest

from .conftest import open_page
from .journeys import PHONE, navigation_by_role, whole_cycle

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, live_url):
    pg = open_page(browser, live_url, PHONE)
    yield pg
    pg.context.close()


def test_navigation_by_role_on_a_phone(page):
    navigation_by_role(page)


def test_whole_cycle_with_its_guardrails_on_a_phone(page):
    whole_cycle(page)
