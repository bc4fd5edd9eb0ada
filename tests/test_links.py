"""Issue 18, the fixed cost of every internal page: the header's and the menu's addresses are
worked out once per process (lib.links) and are Django's own, for the URL patterns, the script
prefix and the static files' storage in force."""

from django.template import Context, Template
from django.test import override_settings
from django.urls import clear_script_prefix, reverse, set_script_prefix

from lib import links

TAGS = (
    "{% load relazione_tags %}{% asset 'css/app.css' %} {% link 'home' %} "
    "{% link 'body_home' slug %} {% link 'dashboards:map' slug year %}"
)
DJANGO = (
    "{% load static %}{% static 'css/app.css' %} {% url 'home' %} "
    "{% url 'body_home' slug %} {% url 'dashboards:map' slug year %}"
)


def render(source: str) -> str:
    return Template(source).render(Context({"slug": "cciaa-bergamo", "year": 2023}))


def test_the_tags_print_what_djangos_print():
    assert render(TAGS) == render(DJANGO)
    assert "/cciaa-bergamo/2023/" in render(TAGS)


def test_an_address_follows_the_script_prefix():
    assert links.url("dashboards:map", "ente", 2023) == "/ente/2023/"
    set_script_prefix("/relazione/")
    try:
        assert links.url("dashboards:map", "ente", 2023) == "/relazione/ente/2023/"
        assert links.url("dashboards:map", "ente", 2023) == reverse(
            "dashboards:map", args=["ente", 2023]
        )
    finally:
        clear_script_prefix()
    assert links.url("dashboards:map", "ente", 2023) == "/ente/2023/"


def test_a_static_address_follows_the_storage_settings():
    before = links.static_url("css/app.css")
    with override_settings(STATIC_URL="/altrove/"):
        assert links.static_url("css/app.css") == "/altrove/css/app.css"
        assert render(TAGS).startswith("/altrove/css/app.css ")
    assert links.static_url("css/app.css") == before == "/static/css/app.css"
