"""The context of the year pages (relazione.context_processors): the view reads the cycle once,
with the person's permissions; the processor hands that same cycle to the template and reads
the years of the selector only if the template prints them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory

from accounts.selectors import year_cycle
from core.middleware import CurrentBodyMiddleware
from relazione.context_processors import year_page


def _request():
    request = RequestFactory().get("/cciaa-bergamo/2023/")
    request.user = AnonymousUser()
    # What the middleware does with the address's body code before the view runs.
    CurrentBodyMiddleware(lambda r: None).process_view(request, None, (), {"ente": "cciaa-bergamo"})
    return request


def test_the_cycle_is_read_once_and_the_years_only_when_printed(cycle, django_assert_num_queries):
    request = _request()
    assert year_page(request) == {}  # a page that has not resolved its year gets nothing
    with django_assert_num_queries(1):  # the cycle with its body, joined by the body's code
        first = year_cycle(request, 2023)
        assert request.current_body == first.body
    with django_assert_num_queries(0):
        assert year_cycle(request, 2023) is first
        context = year_page(request)
        assert context["cycle"] is first
    with django_assert_num_queries(1):
        assert list(context["years"]) == [2023]  # the public sees the published years only


def test_a_year_the_person_may_not_see_is_404_and_gives_no_context(y2024):
    request = _request()
    with pytest.raises(Http404):
        year_cycle(request, 2024)
    assert year_page(request) == {}


def test_a_year_page_prints_the_year_selector_and_an_unseen_year_does_not(client, y2024):
    response = client.get("/cciaa-bergamo/2023/")
    assert response.status_code == 200
    assert response.context["cycle"].year == 2023
    assert list(response.context["years"]) == [2023]
    assert 'id="year-select"' in response.content.decode()
    response = client.get("/cciaa-bergamo/2024/")
    assert response.status_code == 404
    assert "cycle" not in response.context
    assert 'id="year-select"' not in response.content.decode()
