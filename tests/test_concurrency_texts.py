# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""No silent overwrite of the texts people write: the Relazione's narrative sections and the
strategic/operational objectives are optimistic-locked on ``version`` (service, pages, admin),
and every saved version of a section is kept in its history."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import Cycle
from indicators import services as plan_services
from narratives.models import Narrative
from objectives.models import OperationalObjective, StrategicObjective
from reports import services
from reports.selectors import narrative_history
from tests.people import (  # noqa: F401 - fixtures
    grant,
    log_in,
    open_cycle,
    people,
    set_state,
    unit_a_indicator,
)

pytestmark = pytest.mark.django_db

VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')


@pytest.fixture
def colleague(db):
    """A second person of the planning office, who edits the same text at the same time."""
    user = User.objects.create_user(
        "t-collega", password="pw-collega-test", first_name="Carla", last_name="Bianchi"
    )
    grant(user, Role.PLANNING)
    return user


def _narrative(cycle, key="premessa"):
    return Narrative.objects.select_related("cycle").get(cycle=cycle, key=key)


def _date_of(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y")


def client_for(user):
    """A second browser, for the other person."""
    other = Client()
    log_in(other, user)
    return other


def _hidden_version(response) -> int:
    found = VERSION_INPUT.findall(response.content.decode())
    assert len(found) == 1, found
    return int(found[0])


# --- Narratives: service -----------------------------------------------------------------


def test_second_stale_narrative_save_is_refused_with_who_when_and_the_newer_text(
    people, colleague, open_cycle
):
    mine = _narrative(open_cycle)
    theirs = _narrative(open_cycle)
    loaded = mine.version
    services.narrative_update(
        user=colleague,
        narrative=theirs,
        title="Premessa",
        body="Testo della collega",
        expected_version=loaded,
    )
    with pytest.raises(services.StaleNarrative) as refused:
        services.narrative_update(
            user=people.planning,
            narrative=mine,
            title="Premessa rivista",
            body="Il mio testo",
            expected_version=loaded,
        )
    message = refused.value.messages[0]
    saved = _narrative(open_cycle)
    assert "Carla Bianchi" in message and _date_of(saved.updated_at) in message
    assert "non sono state salvate" in message
    assert refused.value.current.body == "Testo della collega"
    assert refused.value.current.version == loaded + 1
    assert (saved.title, saved.body, saved.updated_by, saved.version) == (
        "Premessa",
        "Testo della collega",
        colleague,
        loaded + 1,
    )
    assert saved.history.count() == 2  # the loaded text and the colleague's: not mine


def test_no_expected_version_means_the_version_of_the_instance_loaded(
    people, colleague, open_cycle
):
    stale = _narrative(open_cycle)
    services.narrative_update(
        user=colleague, narrative=_narrative(open_cycle), title="Premessa", body="Prima"
    )
    with pytest.raises(services.StaleNarrative):
        services.narrative_update(
            user=people.planning, narrative=stale, title="Premessa", body="Seconda"
        )
    assert _narrative(open_cycle).body == "Prima"


def test_deliberate_overwrite_after_the_conflict_saves(people, colleague, open_cycle):
    mine = _narrative(open_cycle)
    loaded = mine.version
    services.narrative_update(
        user=colleague, narrative=_narrative(open_cycle), title="Premessa", body="Della collega"
    )
    with pytest.raises(services.StaleNarrative) as refused:
        services.narrative_update(
            user=people.planning,
            narrative=mine,
            title="Premessa",
            body="Mio",
            expected_version=loaded,
        )
    services.narrative_update(
        user=people.planning,
        narrative=_narrative(open_cycle),
        title="Premessa",
        body="Mio",
        expected_version=refused.value.current.version,
    )
    saved = _narrative(open_cycle)
    assert (saved.body, saved.updated_by, saved.version) == ("Mio", people.planning, loaded + 2)


def test_history_keeps_who_when_old_and_new(people, colleague, open_cycle):
    original = _narrative(open_cycle).body
    first = services.narrative_update(
        user=colleague,
        narrative=_narrative(open_cycle),
        title="Premessa",
        body="Versione di Carla",
    )
    services.narrative_update(
        user=people.planning,
        narrative=_narrative(open_cycle),
        title="Premessa 2023",
        body="Versione della pianificazione",
        expected_version=first.version,
    )
    records = list(_narrative(open_cycle).history.order_by("history_date", "history_id"))
    assert [(r.history_user, r.body, r.version) for r in records] == [
        (None, original, 1),  # as the demo loaded it
        (colleague, "Versione di Carla", 2),
        (people.planning, "Versione della pianificazione", 3),
    ]
    versions = narrative_history(_narrative(open_cycle))
    assert [(v.version, v.user, v.changed, v.first) for v in versions] == [
        (3, people.planning.get_full_name(), ["titolo", "testo"], False),
        (2, "Carla Bianchi", ["testo"], False),
        (1, "sistema (caricamento)", [], True),
    ]
    assert versions[0].date == records[-1].history_date


def test_first_change_of_a_section_without_history_keeps_the_old_text(
    people, colleague, open_cycle
):
    # Sections loaded in bulk without history (the scale generator, rows older than it).
    narrative = _narrative(open_cycle, "processo")
    narrative.history.all().delete()
    old = narrative.body
    services.narrative_update(
        user=colleague, narrative=narrative, title=narrative.title, body="Nuovo processo"
    )
    bodies = list(
        _narrative(open_cycle, "processo")
        .history.order_by("history_date", "history_id")
        .values_list("body", "history_user")
    )
    assert bodies == [(old, None), ("Nuovo processo", colleague.id)]


def test_history_lists_the_last_ten_versions(people, open_cycle):
    for n in range(12):
        services.narrative_update(
            user=people.planning,
            narrative=_narrative(open_cycle),
            title="Premessa",
            body=f"Versione {n}",
        )
    versions = narrative_history(_narrative(open_cycle))
    assert [v.version for v in versions] == list(range(13, 3, -1))
    assert versions[-1].changed == ["testo"] and not versions[-1].first


def test_locked_year_still_refuses_a_narrative_with_the_right_version(people, cycle):
    assert cycle.state == Cycle.State.PUBLISHED
    narrative = _narrative(cycle)
    with pytest.raises(PermissionDenied):
        services.narrative_update(
            user=people.admin,
            narrative=narrative,
            title="X",
            body="Y",
            expected_version=narrative.version,
        )
    saved = _narrative(cycle)
    assert (saved.title, saved.version) == ("Premessa", narrative.version)
    assert saved.history.count() == 1


# --- Narratives: the page ----------------------------------------------------------------


def test_stale_narrative_page_keeps_my_text_shows_theirs_and_saves_knowingly(
    client, people, colleague, open_cycle
):
    url = reverse("reports:narrative", args=["cciaa-bergamo", 2023, "premessa"])
    log_in(client, people.planning)
    page = client.get(url)
    loaded = _hidden_version(page)
    assert loaded == _narrative(open_cycle).version
    # Meanwhile the colleague saves from her own page.
    other = client_for(colleague)
    response = other.post(url, {"title": "Premessa", "body": "Testo di Carla", "version": loaded})
    assert response.status_code == 302
    mine = {"title": "Premessa", "body": "Il mio testo & altro", "version": loaded}
    response = client.post(url, mine)
    assert response.status_code == 409
    html = response.content.decode()
    assert "è stata modificata da Carla Bianchi" in html
    assert "Il mio testo &amp; altro</textarea>" in html  # what I typed, still in the form
    assert 'id="registrato-testo"' in html and "Testo di Carla</textarea>" in html
    assert _hidden_version(response) == loaded + 1
    saved = _narrative(open_cycle)
    assert (saved.body, saved.updated_by, saved.version) == (
        "Testo di Carla",
        colleague,
        loaded + 1,
    )
    # Having seen the colleague's text, I save again: now on purpose, over her version.
    response = client.post(url, {**mine, "version": _hidden_version(response)})
    assert response.status_code == 302
    saved = _narrative(open_cycle)
    assert (saved.body, saved.updated_by, saved.version) == (
        "Il mio testo & altro",
        people.planning,
        loaded + 2,
    )


def test_narrative_post_without_version_is_refused(client, people, open_cycle):
    log_in(client, people.planning)
    url = reverse("reports:narrative", args=["cciaa-bergamo", 2023, "premessa"])
    response = client.post(url, {"title": "Premessa", "body": "Senza versione"})
    assert response.status_code == 400
    assert "ricaricarla e riprovare" in response.content.decode()
    assert _narrative(open_cycle).body != "Senza versione"


def test_narrative_history_is_shown_to_internal_people_only(client, people, colleague, open_cycle):
    services.narrative_update(
        user=colleague, narrative=_narrative(open_cycle), title="Premessa", body="Da Carla"
    )
    url = reverse("reports:narrative_history", args=["cciaa-bergamo", 2023, "premessa"])
    for user in (people.manager_a, people.oiv, people.planning):
        log_in(client, user)
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Carla Bianchi" in html and "Da Carla" in html
        assert "sistema (caricamento)" in html
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    log_in(client, User.objects.create_user("t-esterno", password="pw-esterno-test"))
    assert client.get(url).status_code == 403
    # The edit page of the planning office shows it too.
    log_in(client, people.planning)
    page = client.get(
        reverse("reports:narrative", args=["cciaa-bergamo", 2023, "premessa"])
    ).content.decode()
    assert "Storico delle modifiche" in page and "Carla Bianchi" in page


# --- Objectives: service -----------------------------------------------------------------


def test_stale_strategic_objective_save_is_refused_with_who_when_and_the_newer_text(
    people, colleague, open_cycle
):
    mine = StrategicObjective.objects.select_related("cycle").filter(cycle=open_cycle).first()
    theirs = StrategicObjective.objects.select_related("cycle").get(pk=mine.pk)
    loaded = mine.version
    plan_services.strategic_objective_update(
        user=colleague,
        objective=theirs,
        expected_version=loaded,
        narrative="Descrizione di Carla",
    )
    with pytest.raises(plan_services.StaleObjective) as refused:
        plan_services.strategic_objective_update(
            user=people.planning,
            objective=mine,
            expected_version=loaded,
            name="Nome mio",
            narrative="Descrizione mia",
        )
    last = mine.history.order_by("-history_date", "-history_id").first()
    message = refused.value.messages[0]
    assert "Carla Bianchi" in message and _date_of(last.history_date) in message
    assert "«Descrizione di Carla»" in message
    assert refused.value.current.narrative == "Descrizione di Carla"
    saved = StrategicObjective.objects.get(pk=mine.pk)
    assert (saved.name, saved.narrative, saved.version) == (
        theirs.name,
        "Descrizione di Carla",
        loaded + 1,
    )


def test_stale_operational_objective_save_changes_neither_name_nor_units(
    people, colleague, open_cycle, unit_a_indicator
):
    op = unit_a_indicator.operational_objective
    units_before = set(op.units.values_list("id", flat=True))
    records_before = op.history.count()
    loaded = op.version
    plan_services.operational_objective_update(
        user=colleague,
        objective=OperationalObjective.objects.select_related("cycle").get(pk=op.pk),
        expected_version=loaded,
        name="Nome di Carla",
    )
    with pytest.raises(plan_services.StaleObjective) as refused:
        plan_services.operational_objective_update(
            user=people.planning,
            objective=OperationalObjective.objects.select_related("cycle").get(pk=op.pk),
            expected_version=loaded,
            name="Nome mio",
            units=[],
        )
    assert "Carla Bianchi" in refused.value.messages[0]
    assert refused.value.current.name == "Nome di Carla"
    saved = OperationalObjective.objects.get(pk=op.pk)
    assert (saved.name, saved.version) == ("Nome di Carla", loaded + 1)
    assert set(saved.units.values_list("id", flat=True)) == units_before
    assert saved.history.count() == records_before + 1  # the colleague's save only


def test_locked_year_still_refuses_the_objectives(people, cycle):
    so = StrategicObjective.objects.select_related("cycle").filter(cycle=cycle).first()
    op = OperationalObjective.objects.select_related("cycle").filter(cycle=cycle).first()
    with pytest.raises(PermissionDenied):
        plan_services.strategic_objective_update(
            user=people.admin, objective=so, expected_version=so.version, name="X"
        )
    with pytest.raises(PermissionDenied):
        plan_services.operational_objective_update(
            user=people.admin, objective=op, expected_version=op.version, name="X"
        )
    assert StrategicObjective.objects.get(pk=so.pk).name == so.name
    assert OperationalObjective.objects.get(pk=op.pk).name == op.name


# --- Objectives: the page and the admin ----------------------------------------------------


def test_stale_operational_form_keeps_my_text_and_saves_knowingly(
    client, people, colleague, open_cycle, unit_a_indicator
):
    op = unit_a_indicator.operational_objective
    url = reverse("indicators:operational_edit", args=["cciaa-bergamo", 2023, op.pk])
    log_in(client, people.planning)
    loaded = _hidden_version(client.get(url))
    plan_services.operational_objective_update(
        user=colleague,
        objective=OperationalObjective.objects.select_related("cycle").get(pk=op.pk),
        expected_version=loaded,
        name="Nome di Carla",
    )
    mine = {
        "strategic_objective": op.strategic_objective_id,
        "name": "Il mio nome dell'obiettivo",
        "units": [u.id for u in op.units.all()],
        "order": op.order,
        "weight": "1",
        "version": loaded,
    }
    response = client.post(url, mine)
    assert response.status_code == 409
    html = response.content.decode()
    assert "è stato modificato da Carla Bianchi" in html
    assert "Il mio nome dell&#x27;obiettivo</textarea>" in html
    assert "Dati ora registrati" in html and "<dd>Nome di Carla</dd>" in html
    assert _hidden_version(response) == loaded + 1
    assert OperationalObjective.objects.get(pk=op.pk).name == "Nome di Carla"
    response = client.post(url, {**mine, "version": _hidden_version(response)})
    assert response.status_code == 302
    saved = OperationalObjective.objects.get(pk=op.pk)
    assert (saved.name, saved.version) == ("Il mio nome dell'obiettivo", loaded + 2)


def test_operational_form_without_version_is_refused(client, people, open_cycle, unit_a_indicator):
    op = unit_a_indicator.operational_objective
    log_in(client, people.planning)
    response = client.post(
        reverse("indicators:operational_edit", args=["cciaa-bergamo", 2023, op.pk]),
        {
            "strategic_objective": op.strategic_objective_id,
            "name": "Senza versione",
            "units": [u.id for u in op.units.all()],
            "order": op.order,
            "weight": "1",
        },
    )
    assert response.status_code == 400
    assert "ricaricarla e riprovare" in response.content.decode()
    assert OperationalObjective.objects.get(pk=op.pk).name == op.name


def _strategic_admin_post(so, **changes):
    return {
        "perspective": so.perspective_id,
        "code": so.code,
        "name": so.name,
        "narrative": so.narrative,
        "order": so.order,
        "weight": "1",
        "version": so.version,
        "_save": "Salva",
        **changes,
    }


def test_admin_strategic_objective_refuses_a_stale_save_and_keeps_the_text(
    client, people, colleague, open_cycle
):
    so = StrategicObjective.objects.select_related("cycle").filter(cycle=open_cycle).first()
    url = reverse("admin:objectives_strategicobjective_change", args=[so.pk])
    log_in(client, people.planning)
    page = client.get(url)
    assert page.status_code == 200
    assert _hidden_version(page) == so.version
    plan_services.strategic_objective_update(
        user=colleague,
        objective=StrategicObjective.objects.select_related("cycle").get(pk=so.pk),
        expected_version=so.version,
        narrative="Descrizione di Carla",
    )
    mine = _strategic_admin_post(so, narrative="La mia descrizione")
    response = client.post(url, mine)
    assert response.status_code == 200  # the change form again, with the error
    html = response.content.decode()
    assert "è stato modificato da Carla Bianchi" in html
    assert "«Descrizione di Carla»" in html
    assert "La mia descrizione</textarea>" in html
    assert _hidden_version(response) == so.version + 1
    assert StrategicObjective.objects.get(pk=so.pk).narrative == "Descrizione di Carla"
    response = client.post(url, {**mine, "version": _hidden_version(response)})
    assert response.status_code == 302
    saved = StrategicObjective.objects.get(pk=so.pk)
    assert (saved.narrative, saved.version) == ("La mia descrizione", so.version + 2)
    last = saved.history.order_by("-history_date", "-history_id").first()
    assert last.history_user == people.planning


def test_admin_operational_objective_refuses_a_stale_save(
    client, people, colleague, open_cycle, unit_a_indicator
):
    op = unit_a_indicator.operational_objective
    url = reverse("admin:objectives_operationalobjective_change", args=[op.pk])
    log_in(client, people.planning)
    assert _hidden_version(client.get(url)) == op.version
    plan_services.operational_objective_update(
        user=colleague,
        objective=OperationalObjective.objects.select_related("cycle").get(pk=op.pk),
        expected_version=op.version,
        name="Nome di Carla",
    )
    data = {
        "strategic_objective": op.strategic_objective_id,
        "name": "Nome dall'admin",
        "units": [u.id for u in op.units.all()],
        "order": op.order,
        "weight": "1",
        "version": op.version,
        "_save": "Salva",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "è stato modificato da Carla Bianchi" in response.content.decode()
    assert OperationalObjective.objects.get(pk=op.pk).name == "Nome di Carla"
    response = client.post(url, {**data, "version": _hidden_version(response)})
    assert response.status_code == 302
    assert OperationalObjective.objects.get(pk=op.pk).name == "Nome dall'admin"


def test_admin_adds_a_strategic_objective_without_a_version(client, people, open_cycle):
    so = StrategicObjective.objects.filter(cycle=open_cycle).first()
    log_in(client, people.planning)
    response = client.post(
        reverse("admin:objectives_strategicobjective_add"),
        {
            "cycle": open_cycle.pk,
            "perspective": so.perspective_id,
            "code": "9.9",
            "name": "Nuovo obiettivo",
            "narrative": "",
            "order": 99,
            "weight": "1",
            "version": "",
            "_save": "Salva",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    created = StrategicObjective.objects.get(cycle=open_cycle, code="9.9")
    assert created.version == 1
