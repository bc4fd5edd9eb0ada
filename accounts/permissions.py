"""Every permission of the app, in one place below the views.

Views, forms, the Excel import, the admin and the management commands all ask these
predicates (through the services, which call :func:`ensure`), so no path can edit what the
role does not allow. Predicates are plain functions of (user, object): cheap and testable.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from core.machine import FROZEN_STATES, LOCKED_STATES, STATES  # pure module
from core.models import Cycle
from core.prepared import Prepared

from .models import Membership, Role

# States in which each kind of write is allowed.
PLAN_EDIT_STATES = {Cycle.State.PLANNING, Cycle.State.MONITORING, Cycle.State.RETURNED}
DATA_ENTRY_STATES = {Cycle.State.MONITORING, Cycle.State.RETURNED}
# The Relazione's texts, the context and the resources: until the submission to the OIV.
NARRATIVE_EDIT_STATES = set(STATES) - FROZEN_STATES


def _body_id(body) -> int | None:
    """A Body, its id, or an object of a body (a year): the body a question is about."""
    if body is None:
        return None
    if isinstance(body, int):
        return body
    if isinstance(body, Cycle):
        return body.body_id
    return body.pk


# Asked by every internal page (core.prepared: the SQL compiled once, the rows read each time).
_MEMBERSHIPS = Prepared(
    lambda user_id: Membership.objects.filter(user_id=user_id).values_list(
        "body_id", "role", "units__id"
    ),
    int,
)


def _memberships(user) -> dict[int, tuple[str, set[int]]]:
    """The person's role and units in each body, read once per request (one query: the
    memberships joined to their units) and kept on the user object."""
    cached = getattr(user, "_relazione_memberships", None)
    if cached is None:
        cached = {}
        for body_id, role, unit_id in _MEMBERSHIPS.rows(user.pk):
            units = cached.setdefault(body_id, (role, set()))[1]
            if unit_id is not None:
                units.add(unit_id)
        user._relazione_memberships = cached
    return cached


def role_of(user, body) -> str | None:
    """The person's role in ``body`` (a Body, its id or a year of it): none outside their
    bodies. A superuser administers every body."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    body_id = _body_id(body)
    if body_id is None:
        return None
    held = _memberships(user).get(body_id)
    return held[0] if held else None


def unit_ids_of(user, body) -> set[int]:
    """The units of ``body`` a manager answers for."""
    if user is None or not user.is_authenticated:
        return set()
    held = _memberships(user).get(_body_id(body) or 0)
    return set(held[1]) if held and held[0] == Role.MANAGER else set()


def body_ids_of(user) -> set[int] | None:
    """The bodies a person works for: ``None`` means every body (a superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    return set(_memberships(user))


def is_internal(user, body) -> bool:
    """The body's planning office, managers, OIV and administrators see its unpublished years."""
    return role_of(user, body) is not None


def can_view_cycle(user, cycle: Cycle) -> bool:
    return cycle.state == Cycle.State.PUBLISHED or is_internal(user, cycle)


def can_view_internal_notes(user, body) -> bool:
    return is_internal(user, body)


def can_edit_plan(user, cycle: Cycle) -> bool:
    return role_of(user, cycle) in (Role.PLANNING, Role.ADMIN) and cycle.state in PLAN_EDIT_STATES


def can_edit_narratives(user, cycle: Cycle) -> bool:
    """The Relazione's narrative sections: the planning office, from planning until the year is
    submitted to the OIV (and again if the OIV returns it)."""
    return (
        role_of(user, cycle) in (Role.PLANNING, Role.ADMIN) and cycle.state in NARRATIVE_EDIT_STATES
    )


def can_edit_actual(user, indicator) -> bool:
    cycle = indicator.cycle
    role = role_of(user, cycle)
    if cycle.state not in DATA_ENTRY_STATES:
        return False
    if role in (Role.PLANNING, Role.ADMIN):
        return True
    if role == Role.MANAGER:
        return bool(indicator_unit_ids(indicator) & unit_ids_of(user, cycle))
    return False


def indicator_unit_ids(indicator) -> set[int]:
    op = indicator.operational_objective
    if op is None:
        return set()
    return {unit.id for unit in op.units.all()}


def is_manager(user, body) -> bool:
    return role_of(user, body) == Role.MANAGER


def is_oiv(user, body) -> bool:
    return role_of(user, body) == Role.OIV


def is_admin(user, body) -> bool:
    """The body's administrators (a superuser counts as one of every body)."""
    return role_of(user, body) == Role.ADMIN


def is_superadmin(user) -> bool:
    """The administrators of the installation (superusers): bodies, people, roles."""
    return bool(user is not None and user.is_active and user.is_superuser)


def is_planning_office(user, body) -> bool:
    """The planning office itself, without the administrators :func:`is_planner` admits."""
    return role_of(user, body) == Role.PLANNING


def is_planner(user, body) -> bool:
    """The planning office, and the administrators who stand in for it."""
    return role_of(user, body) in (Role.PLANNING, Role.ADMIN)


def is_data_entry_open(cycle: Cycle) -> bool:
    return cycle.state in DATA_ENTRY_STATES


def can_enter_data(user, cycle: Cycle) -> bool:
    """Whether the person may open the data-entry pages of the year at all."""
    role = role_of(user, cycle)
    return role in (Role.PLANNING, Role.ADMIN, Role.MANAGER) and is_data_entry_open(cycle)


def can_edit_scorecard(user, scorecard) -> bool:
    """Edit mode of a cruscotto: the planning office on every one, a manager on their units'."""
    if not can_enter_data(user, scorecard.cycle):
        return False
    if is_planner(user, scorecard.cycle):
        return True
    return scorecard.unit_id is not None and scorecard.unit_id in unit_ids_of(user, scorecard.cycle)


def can_download_workbook(user, scorecard) -> bool:
    """The Excel sheet of a cruscotto: for whoever can edit it (and read by the OIV)."""
    if not can_view_cycle(user, scorecard.cycle):
        return False
    cycle = scorecard.cycle
    if role_of(user, cycle) in (Role.PLANNING, Role.ADMIN, Role.OIV):
        return True
    return is_manager(user, cycle) and scorecard.unit_id in unit_ids_of(user, cycle)


def can_import_plan(user, body) -> bool:
    """Loading the plan of a new year of ``body`` from a workbook: its planning office."""
    return is_planner(user, body)


def can_setup_body(user) -> bool:
    """Setting up a new body (its units, people, rules, first year): the administrators of the
    installation."""
    return is_superadmin(user)


def can_edit_resources(user, cycle: Cycle) -> bool:
    """The context-and-resources tables (budget, holdings, staff, context tables) of a year:
    the planning office, until the year is submitted to the OIV (a return reopens them)."""
    return is_planner(user, cycle) and cycle.state not in FROZEN_STATES


def can_view_plan_admin(user) -> bool:
    """The Django admin of the plan models: the planning offices and the administrators (each
    sees the rows of their own bodies, see accounts.admin_rules)."""
    if is_superadmin(user):
        return True
    return (
        any(role in (Role.PLANNING, Role.ADMIN) for role, _units in _memberships(user).values())
        if user is not None and user.is_authenticated and user.is_active
        else False
    )


def plan_admin_body_ids(user) -> set[int] | None:
    """The bodies whose rows the person manages in the admin (None: every body)."""
    if is_superadmin(user):
        return None
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    return {
        body_id
        for body_id, (role, _units) in _memberships(user).items()
        if role in (Role.PLANNING, Role.ADMIN)
    }


def can_view_history(user, body) -> bool:
    """Who changed what: internal people only (names of staff are not published)."""
    return is_internal(user, body)


def can_view_findings(user, cycle: Cycle) -> bool:
    return role_of(user, cycle) in (Role.PLANNING, Role.OIV, Role.ADMIN)


def can_justify_findings(user, cycle: Cycle) -> bool:
    """The planning office explains the findings of a year until the OIV validates it."""
    return is_planning_office(user, cycle) and cycle.state not in LOCKED_STATES


def can_view_oiv_workspace(user, body) -> bool:
    """The OIV workspace: the OIV, the planning office and the administrators."""
    return role_of(user, body) in (Role.OIV, Role.PLANNING, Role.ADMIN)


def can_view_todo(user, body) -> bool:
    """Each internal role has its own "Da fare" page: its next actions on a year."""
    return is_internal(user, body)


# The internal pages of a year, in menu order, with who may open them: the one place that
# decides what the menu shows (its labels and addresses are in relazione.navigation).
MENU_RULES = (
    ("todo", can_view_todo),
    ("cycle", is_internal),
    ("findings", can_view_findings),
    ("oiv", can_view_oiv_workspace),
    ("texts", is_internal),
    ("entry", lambda user, cycle: is_planner(user, cycle) or is_manager(user, cycle)),
    ("resources", is_planner),
)


def menu_pages(user, cycle: Cycle) -> list[str]:
    """The codes of the internal pages of ``cycle`` the person may open."""
    return [code for code, allowed in MENU_RULES if allowed(user, cycle)]


def editable_unit_ids(user, body) -> set[int] | None:
    """The units of ``body`` whose indicators the person may edit: ``None`` means every unit."""
    if is_planner(user, body):
        return None
    if is_manager(user, body):
        return unit_ids_of(user, body)
    return set()


def ensure(allowed: bool, message: str = "Operazione non consentita.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def can_edit_rules(user, body) -> bool:
    """The body's measurement rules (bands, missed deadline, scoring method), which reach its
    years not yet submitted to the OIV: its planning office."""
    return is_planner(user, body)
