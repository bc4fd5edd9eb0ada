"""Public pages and files are cached per publication version and answer conditional GETs."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.models import Cycle
from indicators.models import Indicator
from public.models import Publication

from .public_helpers import writable


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def republish(cycle):
    cycle.state = Cycle.State.CLOSED
    cycle.save()
    cycle.state = Cycle.State.PUBLISHED
    cycle.save()


def test_a_cached_page_costs_one_query_and_survives_until_republication(
    client, cycle, django_assert_num_queries
):
    url = reverse("public:common", args=["cciaa-bergamo", cycle.year])
    indicator = Indicator.objects.filter(cycle=cycle, common_group__isnull=False).first()
    old_name = indicator.name
    assert old_name in client.get(url).content.decode()
    with writable():
        indicator.name = "Nome cambiato dopo la pubblicazione"
        indicator.save()
    with django_assert_num_queries(1):  # the published year with its publication version
        cached = client.get(url).content.decode()
    assert old_name in cached and indicator.name not in cached
    version = Publication.objects.get(cycle=cycle).version
    republish(cycle)
    assert Publication.objects.get(cycle=cycle).version == version + 2
    fresh = client.get(url).content.decode()
    assert indicator.name in fresh


def test_downloads_are_cached_too(client, cycle, django_assert_num_queries):
    url = reverse("public:download", args=["cciaa-bergamo", cycle.year, "indicatori", "csv"])
    first = client.get(url)
    with django_assert_num_queries(1):
        second = client.get(url)
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize("name", ["public:map", "public:download"])
def test_conditional_get_answers_304_until_republication(client, cycle, name):
    extra = ["indicatori", "json"] if name == "public:download" else []
    args = ["cciaa-bergamo", cycle.year, *extra]
    url = reverse(name, args=args)
    response = client.get(url)
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304
    assert client.get(url, headers={"if-none-match": '"altro"'}).status_code == 200
    Publication.objects.filter(cycle=cycle).update(
        published_at=Publication.objects.get(cycle=cycle).published_at.replace(year=2000)
    )
    republish(cycle)
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 200 and again["ETag"] != etag


def test_a_public_page_is_the_same_for_a_logged_in_user(client, cycle, django_user_model):
    url = reverse("public:map", args=["cciaa-bergamo", cycle.year])
    user = django_user_model.objects.create_superuser("capo_ufficio", "capo@example.org", "pw")
    client.force_login(user)
    logged = client.get(url)
    client.logout()
    anonymous = client.get(url)
    assert logged.content == anonymous.content
    assert b"capo_ufficio" not in logged.content
    assert "Cookie" not in anonymous.get("Vary", "")
