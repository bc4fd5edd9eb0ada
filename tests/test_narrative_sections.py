# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""A new year's Relazione texts: every section is listed, written from the previous year's text
as a starting point, created on save, and never created twice over someone else's."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from core.models import Cycle
from narratives.models import Narrative
from reports import services
from tests.people import log_in, people, set_state  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def y2024(cycle):
    year = Cycle.objects.select_related("body").get(body=cycle.body, year=2024)
    assert not Narrative.objects.filter(cycle=year).exists()  # the demo opens 2024 without texts
    return year


def test_report_page_lists_every_section_to_write(client, people, y2024):
    log_in(client, people.planning)
    html = client.get(reverse("reports:report", args=["cciaa-bergamo", 2024])).content.decode()
    for key in Narrative.Key:
        assert escape(key.label) in html
        assert reverse("reports:narrative", args=["cciaa-bergamo", 2024, key.value]) in html
    assert html.count("Da scrivere") == len(Narrative.Key)


def test_new_section_starts_from_last_years_text_and_is_created_on_save(client, people, y2024):
    log_in(client, people.planning)
    url = reverse("reports:narrative", args=["cciaa-bergamo", 2024, "premessa"])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    text_2023 = Narrative.objects.get(
        cycle__body__slug="cciaa-bergamo", cycle__year=2023, key="premessa"
    ).body
    assert "Il modulo parte dal testo della Relazione 2023, da aggiornare." in html
    assert text_2023[:60] in html  # the textarea starts with it
    assert not Narrative.objects.filter(cycle=y2024).exists()  # nothing saved by looking

    response = client.post(url, {"title": "Premessa", "body": "Il 2024 in breve.", "nuova": "1"})
    assert response.status_code == 302
    saved = Narrative.objects.get(cycle=y2024, key="premessa")
    assert (saved.body, saved.version, saved.updated_by) == (
        "Il 2024 in breve.",
        1,
        people.planning,
    )
    assert saved.history.count() == 1 and saved.history.first().history_user == people.planning
    assert saved.order == list(Narrative.Key.values).index("premessa")


def test_second_creation_from_a_stale_page_is_refused_and_keeps_the_text(client, people, y2024):
    services.narrative_create(
        user=people.planning, cycle=y2024, key="processo", title="Il processo", body="Primo."
    )
    log_in(client, people.admin)
    # The admin's page was opened before the section existed: it posts without a version.
    response = client.post(
        reverse("reports:narrative", args=["cciaa-bergamo", 2024, "processo"]),
        {"title": "Il processo", "body": "Secondo, scritto in parallelo.", "nuova": "1"},
    )
    assert response.status_code == 409
    assert Narrative.objects.get(cycle=y2024, key="processo").body == "Primo."
    html = response.content.decode()
    assert "Secondo, scritto in parallelo." in html  # what the admin typed, still in the form
    assert "Testo ora registrato" in html and "Primo." in html
    assert 'name="version" value="1"' in html and 'name="nuova"' not in html
    # Having seen it, the admin saves again: a knowing overwrite.
    response = client.post(
        reverse("reports:narrative", args=["cciaa-bergamo", 2024, "processo"]),
        {"title": "Il processo", "body": "Secondo, scritto in parallelo.", "version": "1"},
    )
    assert response.status_code == 302
    assert Narrative.objects.get(cycle=y2024, key="processo").body.startswith("Secondo")


def test_service_refuses_a_duplicate_creation_with_the_existing_section(people, y2024):
    services.narrative_create(
        user=people.planning, cycle=y2024, key="premessa", title="Premessa", body="A"
    )
    with pytest.raises(services.StaleNarrative) as info:
        services.narrative_create(
            user=people.planning, cycle=y2024, key="premessa", title="Premessa", body="B"
        )
    assert info.value.current.body == "A"
    assert Narrative.objects.filter(cycle=y2024, key="premessa").count() == 1


def test_unknown_section_is_not_found(client, people, y2024):
    log_in(client, people.planning)
    assert (
        client.get(
            reverse("reports:narrative", args=["cciaa-bergamo", 2024, "capitolo-99"])
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("state", "allowed"),
    [
        (Cycle.State.PLANNING, True),
        (Cycle.State.MONITORING, True),
        (Cycle.State.CLOSED, True),  # the texts are written once data entry is closed
        (Cycle.State.RETURNED, True),
        (Cycle.State.SUBMITTED, False),
        (Cycle.State.VALIDATED, False),
    ],
)
def test_sections_are_written_until_the_submission(client, people, y2024, state, allowed):
    set_state(y2024, state)
    log_in(client, people.planning)
    response = client.get(reverse("reports:narrative", args=["cciaa-bergamo", 2024, "premessa"]))
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("role", ["manager_a", "oiv"])
def test_only_the_planning_office_writes_sections(client, people, y2024, role):
    log_in(client, getattr(people, role))
    url = reverse("reports:narrative", args=["cciaa-bergamo", 2024, "premessa"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "X", "body": "Y", "nuova": "1"}).status_code == 403
    assert not Narrative.objects.filter(cycle=y2024).exists()


def test_empty_post_is_a_refused_submission_not_a_page_load(client, people, y2024):
    log_in(client, people.planning)
    response = client.post(
        reverse("reports:narrative", args=["cciaa-bergamo", 2024, "premessa"]), {}
    )
    assert response.status_code == 400
    assert not Narrative.objects.filter(cycle=y2024).exists()
