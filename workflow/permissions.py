"""Who may move a cycle, revise a target, remark, answer and validate. Builds on
:mod:`accounts.permissions` (roles, units); plain functions of (user, object)."""

from __future__ import annotations

from accounts.models import Role
from accounts.permissions import (
    can_view_oiv_workspace,
    indicator_unit_ids,
    is_internal,
    is_oiv,
    is_planning_office,
    role_of,
    unit_ids_of,
)
from core import machine
from core.models import Cycle

REVISION_STATES = {Cycle.State.MONITORING, Cycle.State.RETURNED}
REPLY_STATES = {
    Cycle.State.MONITORING,
    Cycle.State.CLOSED,
    Cycle.State.SUBMITTED,
    Cycle.State.RETURNED,
}


def allowed_edges(user, cycle: Cycle) -> list[machine.Edge]:
    return machine.allowed_edges(cycle.state, role_of(user, cycle))


def can_transition(user, cycle: Cycle, target: str) -> bool:
    found = machine.edge(cycle.state, target)
    return found is not None and role_of(user, cycle) in found.roles


def can_view_workspace(user, cycle: Cycle) -> bool:
    return can_view_oiv_workspace(user, cycle)


def can_view_cycle_page(user, cycle: Cycle) -> bool:
    return is_internal(user, cycle)


def can_revise_target(user, indicator) -> bool:
    """A rimodulazione: the planning office, while the year is open (past planning)."""
    return is_planning_office(user, indicator.cycle) and indicator.cycle.state in REVISION_STATES


def can_remark(user, cycle: Cycle) -> bool:
    return is_oiv(user, cycle) and cycle.state == Cycle.State.SUBMITTED


def remark_unit_ids(remark) -> set[int]:
    if remark.indicator_id:
        return indicator_unit_ids(remark.indicator)
    if remark.operational_objective_id:
        return {u.id for u in remark.operational_objective.units.all()}
    return set()


def can_view_remark(user, remark) -> bool:
    role = role_of(user, remark.cycle)
    if role in (Role.OIV, Role.PLANNING, Role.ADMIN):
        return True
    return role == Role.MANAGER and bool(remark_unit_ids(remark) & unit_ids_of(user, remark.cycle))


def can_reply(user, remark) -> bool:
    """The planning office, and the manager of the unit the remark is about."""
    if not remark.is_open or remark.cycle.state not in REPLY_STATES:
        return False
    role = role_of(user, remark.cycle)
    if role == Role.PLANNING:
        return True
    return role == Role.MANAGER and bool(remark_unit_ids(remark) & unit_ids_of(user, remark.cycle))


def can_close_remark(user, remark) -> bool:
    return (
        remark.is_open
        and is_oiv(user, remark.cycle)
        and remark.cycle.state not in machine.LOCKED_STATES
    )


GAP_JUSTIFY_STATES = {Cycle.State.MONITORING, Cycle.State.CLOSED, Cycle.State.RETURNED}


def can_justify_gaps(user, cycle: Cycle) -> bool:
    """Why a mandatory part of the Relazione is missing: the planning office, before the year
    goes (again) to the OIV."""
    return is_planning_office(user, cycle) and cycle.state in GAP_JUSTIFY_STATES


def can_answer_checklist(user, cycle: Cycle) -> bool:
    return is_oiv(user, cycle) and cycle.state == Cycle.State.SUBMITTED


def can_open_next(user, source: Cycle) -> bool:
    return is_planning_office(user, source)


def can_confirm_targets(user, cycle: Cycle) -> bool:
    """The targets proposed when the year was opened from the previous one, all at once."""
    return is_planning_office(user, cycle) and cycle.state == Cycle.State.PLANNING


def can_confirm_target(user, indicator) -> bool:
    return can_confirm_targets(user, indicator.cycle)
