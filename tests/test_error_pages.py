# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""Error pages speak Italian and say what happened (the reason of a refusal included)."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from tests.people import log_in, people  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_forbidden_page_shows_the_italian_reason(client, people):
    # A unit manager on the consistency checks: refused by accounts.permissions.ensure().
    log_in(client, people.manager_a)
    response = client.get(reverse("consistency:findings", args=["cciaa-bergamo", 2023]))
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="it">' in html and "Operazione non consentita" in html
    assert "Solo l&#x27;ufficio pianificazione e l&#x27;OIV vedono i controlli" in html


def test_not_found_page_is_italian(client, cycle):
    response = client.get("/trasparenza/performance/1999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina non trovata" in html and "Not Found" not in html


def test_csrf_failure_page_is_italian(people):
    csrf_client = Client(enforce_csrf_checks=True)
    log_in(csrf_client, people.planning)
    response = csrf_client.post(
        reverse("consistency:findings", args=["cciaa-bergamo", 2023]), {"key": "x"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Il modulo non è stato inviato" in html and "Nessun dato è stato modificato" in html
    assert "CSRF verification failed" not in html


def test_server_error_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "Si è verificato un errore" in html and 'lang="it"' in html
