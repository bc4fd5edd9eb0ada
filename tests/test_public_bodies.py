"""Amministrazione trasparente with several bodies: the index lists every publishing body and
leads to its page, a body without a published year has none, and the addresses without the
body (the releases before bodies had their own) lead on only when one body exists.

The test database holds the demo body and demo.second's (its 2023 in monitoring, never
published); a third body is created where a test needs two publishing ones."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.models import Body, BodyKind, Cycle
from demo.second import SECOND_BODY
from tests.people import set_state

from .public_helpers import only_the_demo_body

OTHER = {"name": "Comune di Esempio", "slug": "comune-esempio", "kind": BodyKind.MUNICIPALITY}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _publishing_body(year):
    """One more body, with ``year`` published."""
    body = Body.objects.create(**OTHER)
    cycle = Cycle.objects.create(body=body, year=year, state=Cycle.State.PLANNING)
    set_state(cycle, Cycle.State.PUBLISHED)
    return body


def test_the_index_lists_every_publishing_body_with_a_link_to_its_page(client, cycle):
    other = _publishing_body(2022)
    response = client.get(reverse("public:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for body, year in ((cycle.body, 2023), (other, 2022)):
        assert f'href="/trasparenza/{body.slug}/">{body.name}</a>' in html
        assert f'href="/trasparenza/{body.slug}/{year}/"' in html
    assert "/trasparenza/comune-esempio/2023/" not in html  # each body its own years
    assert SECOND_BODY["slug"] not in html  # a body without a published year is not listed
    own = client.get(reverse("public:body", args=[other.slug])).content.decode()
    assert other.name in own and "/trasparenza/comune-esempio/2022/" in own
    assert cycle.body.name not in own and "/trasparenza/cciaa-bergamo/" not in own


def test_a_body_without_a_published_year_has_no_public_page(client, cycle):
    slug = SECOND_BODY["slug"]
    assert Cycle.objects.filter(body__slug=slug, year=2023).exclude(state="published").exists()
    assert client.get(reverse("public:body", args=[slug])).status_code == 404
    assert client.get(reverse("public:year", args=[slug, 2023])).status_code == 404
    # One body publishes: the index leads there, not to the other.
    assert client.get(reverse("public:index")).url == "/trasparenza/cciaa-bergamo/"


@pytest.mark.parametrize(
    "url",
    ["/trasparenza/ente-inesistente/", "/trasparenza/ente-inesistente/2023/", "/ente-inesistente/"],
)
def test_an_unknown_body_is_a_plain_404(client, cycle, url):
    """The 404 page prints the body's name and menu: an unknown code must not raise again
    while it renders (it was a 500)."""
    response = client.get(url)
    assert response.status_code == 404
    assert "Pagina non trovata" in response.content.decode()


@pytest.mark.parametrize("publishing", [1, 2])
def test_the_index_and_a_body_page_refuse_a_post(client, cycle, publishing):
    if publishing == 2:
        _publishing_body(2023)
    for url in (reverse("public:index"), reverse("public:body", args=["cciaa-bergamo"])):
        assert client.post(url).status_code == 405, url
        assert client.get(url).status_code in (200, 302), url


def test_an_old_public_address_leads_to_the_only_body(client, cycle):
    only_the_demo_body()
    response = client.get("/trasparenza/2023/mappa-strategica/?x=1")
    assert response.status_code == 302
    assert response["Location"] == "/trasparenza/cciaa-bergamo/2023/mappa-strategica/?x=1"
    assert client.get(response["Location"]).status_code == 200


def test_an_old_public_address_is_a_404_with_two_bodies(client, cycle):
    assert Body.objects.filter(slug=SECOND_BODY["slug"]).exists()  # it cannot be guessed
    assert client.get("/trasparenza/2023/mappa-strategica/").status_code == 404
