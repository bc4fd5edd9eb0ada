"""The OIV workspace stays usable on a large plan: a page of 100 indicators at a time, with
the filters kept in the page links, and the same number of queries whatever the size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.locking import unlocked
from indicators.models import Indicator
from objectives.models import OperationalObjective, StrategicObjective
from tests.people import *  # noqa: F403
from tests.people import log_in


def _grow(cycle, n):
    with unlocked():
        so = StrategicObjective.objects.get(cycle=cycle, code="2.1")
        op = OperationalObjective.objects.create(cycle=cycle, strategic_objective=so, name="X")
        Indicator.objects.bulk_create(
            Indicator(
                cycle=cycle,
                operational_objective=op,
                name=f"Sintetico {i}",
                kind="number",
                direction="higher",
                target="10",
                actual="4",
                order=10_000 + i,
            )
            for i in range(n)
        )


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_workspace_is_paginated_and_its_queries_do_not_grow(client, cycle, people):
    log_in(client, people.oiv)
    total = Indicator.objects.filter(cycle=cycle).count()
    html, queries = _get(client, "/cciaa-bergamo/2023/oiv/")
    assert f"{total} indicatori: da 1 a 100" in html
    _grow(cycle, 300)  # 300 more indicators, all below target (4 against 10)
    html, queries_after = _get(client, "/cciaa-bergamo/2023/oiv/?sotto=1&pagina=2")
    assert queries_after == queries
    assert "Pagina 2 di" in html
    assert "sotto=1&amp;pagina=1" in html and "sotto=1&amp;pagina=3" in html
    review = html.split('id="review-h"', 1)[1].split("</table>", 1)[0]
    assert review.count('<th scope="row">') == 100


def _python_keep(filters, item) -> bool:
    """The filters as the page applied them in Python before (the reference for the database)."""
    return (
        (not filters.below or item.below_target)
        and (not filters.nv or item.not_valued)
        and (not filters.revised or item.revised)
        and (not filters.open_remarks or item.open_remarks)
        and (not filters.unit or any(u.year_slug == filters.unit for u in item.units))
    )


def test_database_filters_select_what_the_figures_say(y2024):
    from workflow import selectors
    from workflow.selectors import ReviewFilters

    everything = selectors.review_items(y2024)
    slug = next(u.year_slug for item in everything for u in item.units)
    for filters in (
        ReviewFilters(below=True),
        ReviewFilters(nv=True),
        ReviewFilters(revised=True),
        ReviewFilters(open_remarks=True),
        ReviewFilters(unit=slug),
        ReviewFilters(below=True, unit=slug),
    ):
        expected = [item.indicator.id for item in everything if _python_keep(filters, item)]
        page, items = selectors.review_page(y2024, filters, 1, 10_000)
        assert [item.indicator.id for item in items] == expected
        assert page.paginator.count == len(expected)
    # Read a hundred rows at a time: an objective's units once, even across two hundreds.
    assert len(everything) > 100 and all(len(set(i.units)) == len(i.units) for i in everything)
    below = [i for i in everything if i.below_target]
    assert below and len(below) < len(everything)


@pytest.mark.parametrize("sort", ["", "realizzazione", "-realizzazione"])
def test_the_pages_read_from_either_end_are_the_list_in_order(y2024, sort):
    """A page in the second half of the list is read from its end (review._EitherEndPaginator):
    the pages, one after the other, are the whole list in its order, whatever the page size,
    filters and the last page's length."""
    from workflow import selectors
    from workflow.selectors import ReviewFilters

    for filters in (ReviewFilters(sort=sort), ReviewFilters(sort=sort, below=True)):
        everything = [item.indicator.id for item in selectors.review_items(y2024, filters)]
        assert len(everything) > 1
        for per_page in (7, 10, len(everything) - 1, len(everything)):
            pages, number, total = [], 1, None
            while total is None or number <= total:
                page, items = selectors.review_page(y2024, filters, number, per_page)
                assert page.number == number
                total = page.paginator.num_pages
                pages.append([item.indicator.id for item in items])
                number += 1
            assert [i for ids in pages for i in ids] == everything, (filters, per_page)
            assert all(len(ids) == per_page for ids in pages[:-1])


def test_review_page_queries_are_pinned(cycle, django_assert_num_queries):
    from workflow import selectors
    from workflow.selectors import ReviewFilters

    _grow(cycle, 250)
    # count, the page, its units, revisions, remark counts
    with django_assert_num_queries(5):
        page, items = selectors.review_page(cycle, ReviewFilters(below=True, unit=""), 2, 100)
    assert len(items) == 100 and page.number == 2
