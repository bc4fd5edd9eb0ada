# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""Django's own CSP middleware sends the strict policy on every kind of response: public and
internal pages, the login, the admin, error pages, downloads. Nothing from outside, no inline
script, no nonce (no template needs one)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.people import log_in, people  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' "
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' "
    "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o=' 'report-sample'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

PUBLIC = [
    ("/trasparenza/", 302),  # one body publishes: its page
    ("/trasparenza/cciaa-bergamo/", 200),
    ("/trasparenza/cciaa-bergamo/2023/", 200),
    ("/cciaa-bergamo/2023/", 200),
    ("/account/login/", 200),
    ("/trasparenza/cciaa-bergamo/2023/indicatori.csv", 200),
    ("/trasparenza/performance/1999/", 404),
    ("/admin/login/", 200),
]
INTERNAL = [
    ("planning", "/cciaa-bergamo/gestione/2024/", 200),
    ("planning", "/cciaa-bergamo/2023/coerenza/", 200),
    ("admin", "/admin/", 200),
    ("manager_a", "/cciaa-bergamo/2023/coerenza/", 403),
]


def assert_strict(response):
    assert "Content-Security-Policy-Report-Only" not in response.headers
    policy = response.headers["Content-Security-Policy"]
    assert policy == POLICY
    assert "unsafe" not in policy and "nonce" not in policy and "http" not in policy


def test_the_policy_is_djangos_middleware_not_a_copy():
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE
    assert not any(m.startswith("relazione.middleware") for m in settings.MIDDLEWARE)


@pytest.mark.parametrize(("url", "status"), PUBLIC)
def test_public_responses_carry_the_strict_policy(client, cycle, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert_strict(response)


@pytest.mark.parametrize(("who", "url", "status"), INTERNAL)
def test_internal_responses_carry_the_strict_policy(client, people, who, url, status):
    log_in(client, getattr(people, who))
    response = client.get(url)
    assert response.status_code == status
    assert_strict(response)


def test_a_refused_post_carries_the_strict_policy(people):
    csrf_client = Client(enforce_csrf_checks=True)
    log_in(csrf_client, people.planning)
    response = csrf_client.post(
        reverse("consistency:findings", args=["cciaa-bergamo", 2023]), {"key": "x"}
    )
    assert response.status_code == 403
    assert_strict(response)
