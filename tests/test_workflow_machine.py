"""The cycle's state machine, pure (no database)."""

import pytest

from core import machine

ROLES = ["planning", "manager", "oiv", "admin", None]

# Every edge of the issue, with the only role allowed to take it.
EXPECTED = {
    ("planning", "monitoring"): "planning",
    ("monitoring", "closed"): "planning",
    ("closed", "monitoring"): "planning",
    ("closed", "submitted"): "planning",
    ("submitted", "returned"): "oiv",
    ("returned", "monitoring"): "planning",
    ("returned", "closed"): "planning",
    ("returned", "submitted"): "planning",
    ("submitted", "validated"): "oiv",
    ("validated", "published"): "planning",
    ("validated", "monitoring"): "admin",
    ("published", "monitoring"): "admin",
}


def test_table_is_exactly_the_expected_one():
    assert {(e.source, e.target): next(iter(e.roles)) for e in machine.EDGES} == EXPECTED
    assert all(len(e.roles) == 1 for e in machine.EDGES)


@pytest.mark.parametrize("source", machine.STATES)
@pytest.mark.parametrize("target", machine.STATES)
@pytest.mark.parametrize("role", ROLES)
def test_every_pair_and_role(source, target, role):
    allowed = (source, target) in EXPECTED and EXPECTED[(source, target)] == role
    edge = machine.edge(source, target)
    note = "motivo" if edge and edge.note_required else ""
    if allowed:
        assert machine.check(source, target, role, note).target == target
    else:
        with pytest.raises(machine.TransitionNotAllowed):
            machine.check(source, target, role, note)


def test_return_and_reopen_need_a_note():
    with pytest.raises(machine.TransitionNotAllowed, match="obbligatorio"):
        machine.check("submitted", "returned", "oiv", "  ")
    with pytest.raises(machine.TransitionNotAllowed, match="Motivazione"):
        machine.check("validated", "monitoring", "admin", "")
    assert machine.check("validated", "monitoring", "admin", "errore nei dati").action == "reopen"


def test_messages_are_italian_and_name_the_role():
    with pytest.raises(machine.TransitionNotAllowed, match="spetta a: OIV"):
        machine.check("submitted", "validated", "planning")
    with pytest.raises(machine.TransitionNotAllowed, match="Passaggio non previsto"):
        machine.check("planning", "published", "planning")


def test_allowed_edges_by_role():
    assert [e.target for e in machine.allowed_edges("submitted", "oiv")] == [
        "returned",
        "validated",
    ]
    assert machine.allowed_edges("submitted", "planning") == []
    assert [e.target for e in machine.allowed_edges("closed", "planning")] == [
        "monitoring",
        "submitted",
    ]
    assert machine.edge_for_action("validated", "reopen").target == "monitoring"


def test_locked_states():
    assert {"validated", "published"} == machine.LOCKED_STATES


def test_machine_states_are_the_model_states():
    # The pure machine spells the states out (no Django import); they must be the model's.
    from core.models import Cycle

    assert set(machine.STATES) == set(Cycle.State.values)
    assert {Cycle.State.VALIDATED, Cycle.State.PUBLISHED} == machine.LOCKED_STATES
