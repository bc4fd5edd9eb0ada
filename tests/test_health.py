"""/healthz (relazione.health): 200 while the database and the cache answer, 503 naming the part
that does not; reachable by the container's own HEALTHCHECK on plain HTTP at 127.0.0.1 whatever
ALLOWED_HOSTS and SECURE_SSL_REDIRECT say; no session, no user, never cached."""

import pytest
from django.db import OperationalError

from relazione import health

pytestmark = pytest.mark.django_db

DEPLOYED = {"ALLOWED_HOSTS": ["relazione.example.it"], "SECURE_SSL_REDIRECT": True}


def test_healthy_process_answers_200_with_each_part(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies  # no session, no CSRF cookie


def test_the_containers_own_check_is_neither_refused_nor_redirected(client, settings):
    for name, value in DEPLOYED.items():
        setattr(settings, name, value)
    assert client.get("/", HTTP_HOST="127.0.0.1").status_code == 400  # any other page
    assert client.get("/trasparenza/", HTTP_HOST="relazione.example.it").status_code == 301
    response = client.get("/healthz", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200


def test_unreachable_database_is_503(client, monkeypatch):
    class Down:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Down())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "errore", "database": "errore", "cache": "ok"}


def test_cache_that_keeps_nothing_is_503(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "errore", "database": "ok", "cache": "errore"}


def test_only_reads_are_health_checks(client):
    # A POST goes through the usual stack (CSRF, URLconf): no route, so 404, not a check.
    assert client.post("/healthz").status_code == 404
