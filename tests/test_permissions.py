# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""Permission matrix: every data-entry view and every write service x every role (anonymous,
planning office, manager of the unit, manager of another unit, OIV, administrator) x GET/POST,
on an open year and on a closed one."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import permissions as perms
from core.models import Body, Cycle
from indicators import services
from indicators.entry import RowInput
from indicators.models import Indicator
from objectives.models import OperationalObjective, OrgUnit, StrategicObjective
from tests.people import (  # noqa: F401 - fixtures
    log_in,
    open_cycle,
    people,
    set_state,
    unit_a_indicator,
    unit_b_indicator,
)
from workflow import permissions as wperms

ROLES = ["anonymous", "planning", "manager_a", "manager_b", "oiv", "admin"]


def _client(client, people, role):
    user = people.all()[role]
    if role != "anonymous":
        log_in(client, user)
    return client


def _indicator_post(ind):
    return {
        "operational_objective": ind.operational_objective_id,
        "common_group": "",
        "name": ind.name,
        "algorithm": ind.algorithm,
        "kind": ind.kind,
        "direction": ind.direction,
        "target": ind.target,  # past planning a target changes only through a revision
        "weight": "1,5",
        "unit_of_measure": "",
        "data_source": "",
        "notes": "",
        "version": ind.version,
    }


PLANNER_ONLY_GET = {
    "anonymous": 302,
    "planning": 200,
    "manager_a": 403,
    "manager_b": 403,
    "oiv": 403,
    "admin": 200,
}

# (name, method, url builder, data builder, expected status per role) on an OPEN year.
# Anonymous people are sent to the login page (302); "ok" POSTs redirect after saving (302).
OPEN_YEAR = [
    (
        "index",
        "get",
        lambda i: reverse("indicators:index", args=["cciaa-bergamo", 2023]),
        None,
        {
            "anonymous": 302,
            "planning": 200,
            "manager_a": 200,
            "manager_b": 200,
            "oiv": 200,
            "admin": 200,
        },
    ),
    (
        "scorecard A",
        "get",
        lambda i: reverse("indicators:scorecard", args=["cciaa-bergamo", 2023, "promozione"]),
        None,
        {
            "anonymous": 302,
            "planning": 200,
            "manager_a": 200,
            "manager_b": 403,
            "oiv": 200,
            "admin": 200,
        },
    ),
    (
        "scorecard A save",
        "post",
        lambda i: reverse("indicators:scorecard", args=["cciaa-bergamo", 2023, "promozione"]),
        lambda i: {f"actual-{i.id}": "15", f"explanation-{i.id}": "", f"version-{i.id}": i.version},
        {
            "anonymous": 302,
            "planning": 302,
            "manager_a": 302,
            "manager_b": 403,
            "oiv": 403,
            "admin": 302,
        },
    ),
    (
        "workbook A",
        "get",
        lambda i: reverse("indicators:workbook", args=["cciaa-bergamo", 2023, "promozione"]),
        None,
        {
            "anonymous": 302,
            "planning": 200,
            "manager_a": 200,
            "manager_b": 403,
            "oiv": 200,
            "admin": 200,
        },
    ),
    (
        "upload A (no file)",
        "post",
        lambda i: reverse("indicators:upload", args=["cciaa-bergamo", 2023, "promozione"]),
        lambda i: {},
        {
            "anonymous": 302,
            "planning": 400,
            "manager_a": 400,
            "manager_b": 403,
            "oiv": 403,
            "admin": 400,
        },
    ),
    (
        "actual form",
        "get",
        lambda i: reverse("indicators:actual", args=["cciaa-bergamo", 2023, i.id]),
        None,
        {
            "anonymous": 302,
            "planning": 200,
            "manager_a": 200,
            "manager_b": 403,
            "oiv": 403,
            "admin": 200,
        },
    ),
    (
        "actual save",
        "post",
        lambda i: reverse("indicators:actual", args=["cciaa-bergamo", 2023, i.id]),
        lambda i: {"actual": "15", "explanation": "", "version": i.version},
        {
            "anonymous": 302,
            "planning": 302,
            "manager_a": 302,
            "manager_b": 403,
            "oiv": 403,
            "admin": 302,
        },
    ),
    (
        "indicator edit form",
        "get",
        lambda i: reverse("indicators:indicator_edit", args=["cciaa-bergamo", 2023, i.id]),
        None,
        {
            "anonymous": 302,
            "planning": 200,
            "manager_a": 403,
            "manager_b": 403,
            "oiv": 403,
            "admin": 200,
        },
    ),
    (
        "indicator edit save",
        "post",
        lambda i: reverse("indicators:indicator_edit", args=["cciaa-bergamo", 2023, i.id]),
        _indicator_post,
        {
            "anonymous": 302,
            "planning": 302,
            "manager_a": 403,
            "manager_b": 403,
            "oiv": 403,
            "admin": 302,
        },
    ),
    (
        "indicator create form",
        "get",
        lambda i: reverse("indicators:indicator_create", args=["cciaa-bergamo", 2023]),
        None,
        {
            "anonymous": 302,
            "planning": 200,
            "manager_a": 403,
            "manager_b": 403,
            "oiv": 403,
            "admin": 200,
        },
    ),
    (
        "indicator create save",
        "post",
        lambda i: reverse("indicators:indicator_create", args=["cciaa-bergamo", 2023]),
        _indicator_post,
        {
            "anonymous": 302,
            "planning": 302,
            "manager_a": 403,
            "manager_b": 403,
            "oiv": 403,
            "admin": 302,
        },
    ),
    (
        "operational create form",
        "get",
        lambda i: reverse("indicators:operational_create", args=["cciaa-bergamo", 2023]),
        None,
        {
            "anonymous": 302,
            "planning": 200,
            "manager_a": 403,
            "manager_b": 403,
            "oiv": 403,
            "admin": 200,
        },
    ),
    (
        "operational edit save",
        "post",
        lambda i: reverse(
            "indicators:operational_edit", args=["cciaa-bergamo", 2023, i.operational_objective_id]
        ),
        lambda i: {
            "strategic_objective": i.operational_objective.strategic_objective_id,
            "name": i.operational_objective.name + " (rivisto)",
            "units": [u.id for u in i.operational_objective.units.all()],
            "order": 1,
            "weight": "1",
            "version": i.operational_objective.version,
        },
        {
            "anonymous": 302,
            "planning": 302,
            "manager_a": 403,
            "manager_b": 403,
            "oiv": 403,
            "admin": 302,
        },
    ),
    (
        "plan template",
        "get",
        lambda i: reverse("indicators:plan_template", args=["cciaa-bergamo"]),
        None,
        {
            "anonymous": 302,
            "planning": 200,
            "manager_a": 403,
            "manager_b": 403,
            "oiv": 403,
            "admin": 200,
        },
    ),
    (
        "plan import form",
        "get",
        lambda i: reverse("indicators:plan_import", args=["cciaa-bergamo"]),
        None,
        {
            "anonymous": 302,
            "planning": 200,
            "manager_a": 403,
            "manager_b": 403,
            "oiv": 403,
            "admin": 200,
        },
    ),
    # The Django admin: non-staff people are sent to the admin login; staff by predicate.
    (
        "admin indicator change",
        "get",
        lambda i: reverse("admin:indicators_indicator_change", args=[i.id]),
        None,
        {
            "anonymous": 302,
            "planning": 200,
            "manager_a": 302,
            "manager_b": 302,
            "oiv": 302,
            "admin": 200,
        },
    ),
    (
        "admin indicator list",
        "get",
        lambda i: reverse("admin:indicators_indicator_changelist"),
        None,
        {
            "anonymous": 302,
            "planning": 200,
            "manager_a": 302,
            "manager_b": 302,
            "oiv": 302,
            "admin": 200,
        },
    ),
    # Context and resources: the planning office (and the administrators) only.
    (
        "resources page",
        "get",
        lambda i: reverse("resources:index", args=["cciaa-bergamo", 2023]),
        None,
        PLANNER_ONLY_GET,
    ),
    (
        "resources workbook",
        "get",
        lambda i: reverse("resources:workbook", args=["cciaa-bergamo", 2023]),
        None,
        PLANNER_ONLY_GET,
    ),
    (
        "resources upload (no file)",
        "post",
        lambda i: reverse("resources:index", args=["cciaa-bergamo", 2023]),
        lambda i: {},
        {**PLANNER_ONLY_GET, "planning": 400, "admin": 400},
    ),
    (
        "resources confirm (no preview)",
        "post",
        lambda i: reverse("resources:confirm", args=["cciaa-bergamo", 2023, "nessuna"]),
        lambda i: {},
        {**PLANNER_ONLY_GET, "planning": 404, "admin": 404},
    ),
    (
        "context tables",
        "get",
        lambda i: reverse("resources:context_list", args=["cciaa-bergamo", 2023]),
        None,
        PLANNER_ONLY_GET,
    ),
    (
        "context table new (empty)",
        "post",
        lambda i: reverse("resources:context_list", args=["cciaa-bergamo", 2023]),
        lambda i: {},
        {**PLANNER_ONLY_GET, "planning": 400, "admin": 400},
    ),
    (
        "context table edit",
        "get",
        lambda i: reverse("resources:context_edit", args=["cciaa-bergamo", 2023, "labour_force"]),
        None,
        PLANNER_ONLY_GET,
    ),
    (
        "context table save (empty)",
        "post",
        lambda i: reverse("resources:context_edit", args=["cciaa-bergamo", 2023, "labour_force"]),
        lambda i: {},
        {**PLANNER_ONLY_GET, "planning": 400, "admin": 400},
    ),
    (
        "context table delete",
        "get",
        lambda i: reverse("resources:context_delete", args=["cciaa-bergamo", 2023, "labour_force"]),
        None,
        PLANNER_ONLY_GET,
    ),
    (
        "context table delete (no version)",
        "post",
        lambda i: reverse("resources:context_delete", args=["cciaa-bergamo", 2023, "labour_force"]),
        lambda i: {},
        {**PLANNER_ONLY_GET, "planning": 400, "admin": 400},
    ),
    (
        "context tables copy (year has some)",
        "post",
        lambda i: reverse("resources:context_copy", args=["cciaa-bergamo", 2023]),
        lambda i: {},
        {**PLANNER_ONLY_GET, "planning": 302, "admin": 302},
    ),
    # The public page of an unpublished year does not exist for the public.
    (
        "public indicator page",
        "get",
        lambda i: reverse("dashboards:indicator", args=["cciaa-bergamo", 2023, i.id]),
        None,
        {
            "anonymous": 404,
            "planning": 200,
            "manager_a": 200,
            "manager_b": 200,
            "oiv": 200,
            "admin": 200,
        },
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "url", "data", "expected"), OPEN_YEAR, ids=[c[0] for c in OPEN_YEAR]
)
def test_open_year_matrix(
    client, people, open_cycle, unit_a_indicator, role, name, method, url, data, expected
):
    c = _client(client, people, role)
    ind = unit_a_indicator
    response = c.get(url(ind)) if method == "get" else c.post(url(ind), data(ind))
    assert response.status_code == expected[role], (name, role, response.content[:500])
    if method == "post" and expected[role] == 302 and role != "anonymous":
        assert (
            "/account/login" not in response["Location"]
            and "/admin/login" not in response["Location"]
        )


# A closed year (published, then submitted to the OIV): nobody writes anything.
CLOSED_YEAR = [
    (
        "scorecard A save",
        "post",
        lambda i: reverse("indicators:scorecard", args=["cciaa-bergamo", 2023, "promozione"]),
        lambda i: {f"actual-{i.id}": "15", f"explanation-{i.id}": "", f"version-{i.id}": i.version},
    ),
    (
        "actual form",
        "get",
        lambda i: reverse("indicators:actual", args=["cciaa-bergamo", 2023, i.id]),
        None,
    ),
    (
        "actual save",
        "post",
        lambda i: reverse("indicators:actual", args=["cciaa-bergamo", 2023, i.id]),
        lambda i: {"actual": "15", "explanation": "", "version": i.version},
    ),
    (
        "indicator edit save",
        "post",
        lambda i: reverse("indicators:indicator_edit", args=["cciaa-bergamo", 2023, i.id]),
        _indicator_post,
    ),
    (
        "upload A",
        "post",
        lambda i: reverse("indicators:upload", args=["cciaa-bergamo", 2023, "promozione"]),
        lambda i: {},
    ),
]


@pytest.mark.parametrize("state", [Cycle.State.PUBLISHED, Cycle.State.SUBMITTED])
@pytest.mark.parametrize("role", ["planning", "manager_a", "manager_b", "oiv", "admin"])
@pytest.mark.parametrize(
    ("name", "method", "url", "data"), CLOSED_YEAR, ids=[c[0] for c in CLOSED_YEAR]
)
def test_closed_year_refuses_every_write(
    client, people, cycle, unit_a_indicator, state, role, name, method, url, data
):
    set_state(cycle, state)
    c = _client(client, people, role)
    ind = unit_a_indicator
    response = c.get(url(ind)) if method == "get" else c.post(url(ind), data(ind))
    assert response.status_code == 403, (name, role)
    ind.refresh_from_db()
    assert ind.actual == "14" and ind.target == "13"


def test_closed_year_admin_is_read_only_for_planning(client, people, cycle, unit_a_indicator):
    log_in(client, people.planning)
    url = reverse("admin:indicators_indicator_change", args=[unit_a_indicator.id])
    response = client.get(url)
    assert response.status_code == 200
    assert b'name="_save"' not in response.content  # view-only page
    response = client.post(url, {"name": "x", "version": unit_a_indicator.version})
    assert response.status_code == 403
    unit_a_indicator.refresh_from_db()
    assert unit_a_indicator.name != "x"


def test_admin_refuses_a_manager_even_with_the_staff_flag(
    client, people, open_cycle, unit_a_indicator
):
    people.manager_a.is_staff = True
    people.manager_a.save()
    log_in(client, people.manager_a)
    url = reverse("admin:indicators_indicator_change", args=[unit_a_indicator.id])
    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "x", "version": unit_a_indicator.version})
    assert response.status_code == 403
    unit_a_indicator.refresh_from_db()
    assert unit_a_indicator.name != "x"


def test_admin_save_goes_through_the_service(client, people, open_cycle, unit_a_indicator):
    log_in(client, people.planning)
    ind = unit_a_indicator
    url = reverse("admin:indicators_indicator_change", args=[ind.id])
    data = {
        "operational_objective": ind.operational_objective_id,
        "common_group": "",
        "name": ind.name,
        "algorithm": ind.algorithm,
        "kind": ind.kind,
        "direction": ind.direction,
        "target": ind.target,
        "weight": "2",
        "unit_of_measure": "",
        "data_source": "",
        "actual": "15",
        "explanation": "Ritardo",
        "notes": "",
        "order": ind.order,
        "version": ind.version,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    ind.refresh_from_db()
    assert (ind.weight, ind.actual, ind.version) == (2, "15", 3)  # two services, two bumps
    assert ind.history.first().history_user == people.planning
    # The same form posted again (stale version) is refused with the newer value shown.
    response = client.post(url, {**data, "weight": "3"})
    assert response.status_code == 200
    assert "modificato da un&#x27;altra persona" in response.content.decode()
    ind.refresh_from_db()
    assert ind.weight == 2


def test_target_changes_past_planning_only_through_a_revision(
    client, people, open_cycle, unit_a_indicator
):
    """Form and admin alike: the indicator's target cannot be edited directly once the plan
    is approved; the refusal names the revision (rimodulazione) and nothing changes."""
    ind = unit_a_indicator
    before = (ind.target, ind.version)
    log_in(client, people.planning)
    data = {**_indicator_post(ind), "target": "999"}
    response = client.post(
        reverse("indicators:indicator_edit", args=["cciaa-bergamo", 2023, ind.id]), data
    )
    assert response.status_code == 400
    assert "rimodulazione" in response.content.decode()
    ind.refresh_from_db()
    assert (ind.target, ind.version) == before


# --- Services x roles ---------------------------------------------------------------------------

EXPECTED_ACTUAL = {
    "anonymous": False,
    "planning": True,
    "manager_a": True,
    "manager_b": False,
    "oiv": False,
    "admin": True,
}
EXPECTED_PLAN = {
    "anonymous": False,
    "planning": True,
    "manager_a": False,
    "manager_b": False,
    "oiv": False,
    "admin": True,
}


def _call_service(name, user, cycle, ind):
    op = ind.operational_objective
    if name == "indicator_update_actual":
        services.indicator_update_actual(
            user=user, indicator=ind, actual="15", explanation="", expected_version=ind.version
        )
    elif name == "actuals_import_apply":
        services.actuals_import_apply(
            user=user, cycle=cycle, rows=[RowInput(2, ind.id, ind.version, "15", "")]
        )
    elif name == "indicator_update":
        services.indicator_update(user=user, indicator=ind, weight="2")
    elif name == "indicator_create":
        services.indicator_create(
            user=user,
            cycle=cycle,
            operational_objective=op,
            name="Nuovo",
            kind="number",
            direction="higher",
            target="5",
        )
    elif name == "operational_objective_create":
        services.operational_objective_create(
            user=user,
            cycle=cycle,
            strategic_objective=op.strategic_objective,
            name="Nuovo op",
            units=OrgUnit.objects.filter(body__slug="cciaa-bergamo", slug="promozione"),
        )
    elif name == "operational_objective_update":
        services.operational_objective_update(
            user=user, objective=OperationalObjective.objects.get(pk=op.pk), name="Rinominato"
        )
    elif name == "strategic_objective_update":
        services.strategic_objective_update(
            user=user,
            objective=StrategicObjective.objects.get(pk=op.strategic_objective_id),
            name="Rinominato",
        )
    else:  # pragma: no cover
        raise AssertionError(name)


SERVICES = {
    "indicator_update_actual": EXPECTED_ACTUAL,
    "actuals_import_apply": EXPECTED_ACTUAL,
    "indicator_update": EXPECTED_PLAN,
    "indicator_create": EXPECTED_PLAN,
    "operational_objective_create": EXPECTED_PLAN,
    "operational_objective_update": EXPECTED_PLAN,
    "strategic_objective_update": EXPECTED_PLAN,
}


def _fingerprint(cycle):
    return (
        list(
            Indicator.objects.filter(cycle=cycle)
            .order_by("id")
            .values_list("target", "actual", "version")
        ),
        list(OperationalObjective.objects.filter(cycle=cycle).order_by("id").values_list("name")),
        list(StrategicObjective.objects.filter(cycle=cycle).order_by("id").values_list("name")),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_service_matrix_open_year(people, open_cycle, unit_a_indicator, role, service):
    user = people.all()[role]
    before = _fingerprint(open_cycle)
    if SERVICES[service][role]:
        _call_service(service, user, open_cycle, unit_a_indicator)
        assert _fingerprint(open_cycle) != before
    else:
        # Refused: by the predicate, or (a batch) by naming the row nobody may edit.
        with pytest.raises((PermissionDenied, services.BatchRejected)):
            _call_service(service, user, open_cycle, unit_a_indicator)
        assert _fingerprint(open_cycle) == before


@pytest.mark.parametrize("role", ["planning", "manager_a", "admin"])
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_service_matrix_closed_year(people, cycle, unit_a_indicator, role, service):
    set_state(cycle, Cycle.State.VALIDATED)
    unit_a_indicator.cycle = cycle
    before = _fingerprint(cycle)
    with pytest.raises(PermissionDenied):
        _call_service(service, people.all()[role], cycle, unit_a_indicator)
    assert _fingerprint(cycle) == before


def test_manager_edits_only_their_units(people, open_cycle, unit_a_indicator, unit_b_indicator):
    assert perms.can_edit_actual(people.manager_a, unit_a_indicator)
    assert not perms.can_edit_actual(people.manager_a, unit_b_indicator)
    assert perms.can_edit_actual(people.manager_b, unit_b_indicator)
    assert not perms.can_edit_plan(people.manager_a, open_cycle)
    assert not perms.can_edit_plan(people.oiv, open_cycle)


def test_planning_state_is_plan_only(people, cycle, unit_a_indicator):
    set_state(cycle, Cycle.State.PLANNING)
    assert perms.can_edit_plan(people.planning, cycle)
    assert not perms.can_edit_actual(people.planning, unit_a_indicator)
    assert not perms.can_enter_data(people.manager_a, cycle)


def test_each_role_lands_on_its_da_fare_page_after_login(client, people, open_cycle):
    newest_open = (
        Cycle.objects.filter(body__slug="cciaa-bergamo", state__in=perms.DATA_ENTRY_STATES)
        .order_by("-year")
        .first()
        .year
    )
    for person in (people.manager_a, people.planning):
        log_in(client, person)
        response = client.get(reverse("workflow:home"))
        assert response["Location"] == reverse("workflow:todo", args=["cciaa-bergamo", newest_open])
    log_in(client, people.oiv)  # nothing submitted to the OIV: the newest year it may see
    newest = Cycle.objects.filter(body__slug="cciaa-bergamo").order_by("-year").first().year
    assert client.get(reverse("workflow:home"))["Location"] == reverse(
        "workflow:todo", args=["cciaa-bergamo", newest]
    )
    # The administrator of the installation (two bodies): chooses the body first.
    log_in(client, people.admin)
    assert client.get(reverse("workflow:home"))["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


# --- Context and resources ------------------------------------------------------------------

RESOURCES_EDITORS = {"planning", "admin"}


@pytest.mark.parametrize("state", list(Cycle.State))
@pytest.mark.parametrize("role", ROLES)
def test_resources_predicate_by_role_and_state(people, cycle, role, state):
    set_state(cycle, state)
    # Frozen at the submission to the OIV (a return reopens them).
    expected = role in RESOURCES_EDITORS and state not in perms.FROZEN_STATES
    assert perms.can_edit_resources(people.all()[role], cycle) is expected


@pytest.mark.parametrize("state", [Cycle.State.VALIDATED, Cycle.State.PUBLISHED])
@pytest.mark.parametrize("role", ["planning", "manager_a", "oiv", "admin"])
def test_resources_locked_year_refuses_the_upload_but_shows_the_page(
    client, people, cycle, state, role
):
    set_state(cycle, state)
    c = _client(client, people, role)
    upload = c.post(reverse("resources:index", args=["cciaa-bergamo", 2023]), {})
    assert upload.status_code == 403
    page = c.get(reverse("resources:index", args=["cciaa-bergamo", 2023]))
    if role in RESOURCES_EDITORS:
        assert page.status_code == 200
        assert 'type="file"' not in page.content.decode()
    else:
        assert page.status_code == 403


def test_the_role_predicates_name_one_role_each(people, open_cycle):
    """is_planning_office leaves out the administrators that is_planner admits: the findings'
    justification and the targets' confirmation are the planning office's own acts."""
    who = people.all()
    body = open_cycle.body
    assert [r for r in ROLES if perms.is_planning_office(who[r], body)] == ["planning"]
    assert [r for r in ROLES if perms.is_planner(who[r], body)] == ["planning", "admin"]
    assert [r for r in ROLES if perms.is_oiv(who[r], body)] == ["oiv"]
    assert [r for r in ROLES if perms.is_admin(who[r], body)] == ["admin"]
    other = Body.objects.create(name="Altro ente", slug="altro-ente")
    # A role in one body is no role in another; the superuser administers every body.
    assert [r for r in ROLES if perms.role_of(who[r], other)] == ["admin"]
    assert [r for r in ROLES if wperms.can_confirm_targets(who[r], open_cycle)] == []
    open_cycle.state = Cycle.State.PLANNING  # in memory only: the predicate reads the state
    assert [r for r in ROLES if wperms.can_confirm_targets(who[r], open_cycle)] == ["planning"]
