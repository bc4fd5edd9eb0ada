"""Every permission of the app, in one place below the views.

Views, forms, the Excel import, the admin and the management commands all ask these
predicates (through the services, which call :func:`ensure`), so no path can edit what the
role does not allow. Predicates are plain functions of (user, object): cheap and testable.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from core.machine import FROZEN_STATES, LOCKED_STATES, STATES  # pure module
from core.models import Cycle

from .models import Role

# States in which each kind of write is allowed.
PLAN_EDIT_STATES = {Cycle.State.PLANNING, Cycle.State.MONITORING, Cycle.State.RETURNED}
DATA_ENTRY_STATES = {Cycle.State.MONITORING, Cycle.State.RETURNED}
# The Relazione's texts, the context and the resources: until the submission to the OIV.
NARRATIVE_EDIT_STATES = set(STATES) - FROZEN_STATES


def role_of(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def unit_ids_of(user) -> set[int]:
    """The units a manager answers for (cached on the user object for the request)."""
    if not hasattr(user, "_relazione_unit_ids"):
        profile = getattr(user, "profile", None)
        user._relazione_unit_ids = (
            set(profile.units.values_list("id", flat=True)) if profile else set()
        )
    return user._relazione_unit_ids


def is_internal(user) -> bool:
    """Planning office, managers, OIV and administrators see the unpublished years."""
    return role_of(user) is not None


def can_view_cycle(user, cycle: Cycle) -> bool:
    return cycle.state == Cycle.State.PUBLISHED or is_internal(user)


def can_view_internal_notes(user) -> bool:
    return is_internal(user)


def can_edit_plan(user, cycle: Cycle) -> bool:
    return role_of(user) in (Role.PLANNING, Role.ADMIN) and cycle.state in PLAN_EDIT_STATES


def can_edit_narratives(user, cycle: Cycle) -> bool:
    """The Relazione's narrative sections: the planning office, from planning until the year is
    submitted to the OIV (and again if the OIV returns it)."""
    return role_of(user) in (Role.PLANNING, Role.ADMIN) and cycle.state in NARRATIVE_EDIT_STATES


def can_edit_actual(user, indicator) -> bool:
    cycle = indicator.cycle
    role = role_of(user)
    if cycle.state not in DATA_ENTRY_STATES:
        return False
    if role in (Role.PLANNING, Role.ADMIN):
        return True
    if role == Role.MANAGER:
        return bool(indicator_unit_ids(indicator) & unit_ids_of(user))
    return False


def indicator_unit_ids(indicator) -> set[int]:
    op = indicator.operational_objective
    if op is None:
        return set()
    return {unit.id for unit in op.units.all()}


def is_manager(user) -> bool:
    return role_of(user) == Role.MANAGER


def is_oiv(user) -> bool:
    return role_of(user) == Role.OIV


def is_admin(user) -> bool:
    """The system administrators (a superuser counts as one)."""
    return role_of(user) == Role.ADMIN


def is_planning_office(user) -> bool:
    """The planning office itself, without the administrators :func:`is_planner` admits."""
    return role_of(user) == Role.PLANNING


def is_planner(user) -> bool:
    """The planning office, and the administrators who stand in for it."""
    return role_of(user) in (Role.PLANNING, Role.ADMIN)


def is_data_entry_open(cycle: Cycle) -> bool:
    return cycle.state in DATA_ENTRY_STATES


def can_enter_data(user, cycle: Cycle) -> bool:
    """Whether the person may open the data-entry pages of the year at all."""
    role = role_of(user)
    return role in (Role.PLANNING, Role.ADMIN, Role.MANAGER) and is_data_entry_open(cycle)


def can_edit_scorecard(user, scorecard) -> bool:
    """Edit mode of a cruscotto: the planning office on every one, a manager on their units'."""
    if not can_enter_data(user, scorecard.cycle):
        return False
    if is_planner(user):
        return True
    return scorecard.unit_id is not None and scorecard.unit_id in unit_ids_of(user)


def can_download_workbook(user, scorecard) -> bool:
    """The Excel sheet of a cruscotto: for whoever can edit it (and read by the OIV)."""
    if not can_view_cycle(user, scorecard.cycle):
        return False
    if role_of(user) in (Role.PLANNING, Role.ADMIN, Role.OIV):
        return True
    return is_manager(user) and scorecard.unit_id in unit_ids_of(user)


def can_import_plan(user) -> bool:
    """Loading the plan of a new year from a workbook: the planning office only."""
    return is_planner(user)


def can_setup_body(user) -> bool:
    """Setting up a new body (its units, people, rules, first year): the system administrators."""
    return is_admin(user)


def can_edit_resources(user, cycle: Cycle) -> bool:
    """The context-and-resources tables (budget, holdings, staff, context tables) of a year:
    the planning office, until the year is submitted to the OIV (a return reopens them)."""
    return is_planner(user) and cycle.state not in FROZEN_STATES


def can_view_plan_admin(user) -> bool:
    """The Django admin of the plan models: the planning office and the administrators."""
    return is_planner(user)


def can_view_history(user) -> bool:
    """Who changed what: internal people only (names of staff are not published)."""
    return is_internal(user)


def can_view_findings(user, cycle: Cycle) -> bool:
    return role_of(user) in (Role.PLANNING, Role.OIV, Role.ADMIN)


def can_justify_findings(user, cycle: Cycle) -> bool:
    """The planning office explains the findings of a year until the OIV validates it."""
    return is_planning_office(user) and cycle.state not in LOCKED_STATES


def can_view_oiv_workspace(user) -> bool:
    """The OIV workspace: the OIV, the planning office and the administrators."""
    return role_of(user) in (Role.OIV, Role.PLANNING, Role.ADMIN)


def can_view_todo(user) -> bool:
    """Each internal role has its own "Da fare" page: its next actions on a year."""
    return is_internal(user)


# The internal pages of a year, in menu order, with who may open them: the one place that
# decides what the menu shows (its labels and addresses are in relazione.navigation).
MENU_RULES = (
    ("todo", lambda user, cycle: can_view_todo(user)),
    ("cycle", lambda user, cycle: is_internal(user)),
    ("findings", can_view_findings),
    ("oiv", lambda user, cycle: can_view_oiv_workspace(user)),
    ("texts", lambda user, cycle: is_internal(user)),
    ("entry", lambda user, cycle: is_planner(user) or is_manager(user)),
    ("resources", lambda user, cycle: is_planner(user)),
)


def menu_pages(user, cycle: Cycle) -> list[str]:
    """The codes of the internal pages of ``cycle`` the person may open."""
    return [code for code, allowed in MENU_RULES if allowed(user, cycle)]


def editable_unit_ids(user) -> set[int] | None:
    """The units whose indicators the person may edit: ``None`` means every unit."""
    if is_planner(user):
        return None
    if is_manager(user):
        return unit_ids_of(user)
    return set()


def ensure(allowed: bool, message: str = "Operazione non consentita.") -> None:
    if not allowed:
        raise PermissionDenied(message)
