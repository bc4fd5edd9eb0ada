"""Issue 15 on a phone (390 px): navigation by role, then the whole 2024 cycle with its
guardrails (journeys.py). A module of its own: the journey needs its own copy of the demo."""

import pytest

from .journeys import PHONE, navigation_by_role, page_of_size, whole_cycle

pytestmark = pytest.mark.browser
page = page_of_size(PHONE)


def test_navigation_by_role(page):
    navigation_by_role(page)


def test_whole_cycle_with_its_guardrails(page):
    whole_cycle(page)
