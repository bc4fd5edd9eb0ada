# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""«An implicit level is its parent's only child» on the write paths that skip ``clean()``:
``save()``/``create()``, ``bulk_create()``, ``bulk_update()`` and ``update()``, also through the
base manager. Each refusal is the model's Italian message and writes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from objectives.models import OperationalObjective, Perspective, StrategicObjective
from tests.people import people  # noqa: F401 - fixture
from tests.test_plan_depth import two_levels  # noqa: F401 - fixture

FIRST_LEVEL = "una sola prospettiva, implicita"
DIRECT = "un solo obiettivo operativo"


def _counts(cycle):
    return (
        Perspective.objects.filter(cycle=cycle).count(),
        OperationalObjective.objects.filter(cycle=cycle).count(),
    )


@pytest.fixture
def direct(two_levels):
    """The strategic objective «A», whose indicators hang on its implicit objective."""
    return StrategicObjective.objects.get(cycle=two_levels, code="A")


@pytest.mark.parametrize("manager", ["objects", "_base_manager"])
def test_create_refuses_a_sibling_of_an_implicit_level(two_levels, direct, manager):
    before = _counts(two_levels)
    with pytest.raises(ValidationError, match=FIRST_LEVEL):
        getattr(Perspective, manager).create(cycle=two_levels, order=9, name="Seconda")
    with pytest.raises(ValidationError, match=DIRECT):
        getattr(OperationalObjective, manager).create(
            cycle=two_levels, strategic_objective=direct, name="Altro"
        )
    assert _counts(two_levels) == before


@pytest.mark.parametrize("manager", ["objects", "_base_manager"])
def test_bulk_create_refuses_a_sibling_of_an_implicit_level(two_levels, direct, manager):
    before = _counts(two_levels)
    with pytest.raises(ValidationError, match=FIRST_LEVEL):
        getattr(Perspective, manager).bulk_create(
            [Perspective(cycle=two_levels, order=9, name="Seconda")]
        )
    with pytest.raises(ValidationError, match=DIRECT):
        getattr(OperationalObjective, manager).bulk_create(
            [OperationalObjective(cycle=two_levels, strategic_objective=direct, name="Altro")]
        )
    assert _counts(two_levels) == before


def test_a_refusal_inside_a_transaction_leaves_it_usable(two_levels, direct):
    """The check runs in its own savepoint: the caller's transaction goes on."""
    with transaction.atomic():
        with pytest.raises(ValidationError):
            Perspective.objects.create(cycle=two_levels, order=9, name="Seconda")
        assert Perspective.objects.filter(cycle=two_levels).count() == 1


def test_update_and_bulk_update_cannot_crowd_an_implicit_level(two_levels, direct):
    b = StrategicObjective.objects.get(cycle=two_levels, code="B")
    # B's objective made visible (alone: allowed), then moved beside A's implicit one.
    OperationalObjective.objects.filter(strategic_objective=b).update(implicit=False)
    with pytest.raises(ValidationError, match=DIRECT):
        OperationalObjective.objects.filter(strategic_objective=b).update(
            strategic_objective=direct
        )
    op = OperationalObjective.objects.get(strategic_objective=b)
    op.strategic_objective = direct
    with pytest.raises(ValidationError, match=DIRECT):
        OperationalObjective.objects.bulk_update([op], ["strategic_objective"])
    with pytest.raises(ValidationError, match=DIRECT):
        op.save()
    assert OperationalObjective.objects.filter(strategic_objective=b).count() == 1
    assert OperationalObjective.objects.filter(strategic_objective=direct).count() == 1


def test_a_plan_with_levels_keeps_every_write_path(two_levels, direct):
    """No implicit row in the parent: siblings as many as wanted, on every path."""
    b = StrategicObjective.objects.get(cycle=two_levels, code="B")
    OperationalObjective.objects.filter(strategic_objective=b).update(implicit=False)
    OperationalObjective.objects.create(cycle=two_levels, strategic_objective=b, name="Due")
    OperationalObjective.objects.bulk_create(
        [OperationalObjective(cycle=two_levels, strategic_objective=b, name="Tre")]
    )
    assert OperationalObjective.objects.filter(strategic_objective=b).count() == 3
    # ...and then none of them may become implicit.
    with pytest.raises(ValidationError, match=DIRECT):
        OperationalObjective.objects.filter(strategic_objective=b, name="Due").update(implicit=True)


def test_a_save_that_keeps_parent_and_flag_costs_no_check(two_levels, direct):
    op = OperationalObjective.objects.get(strategic_objective=direct)
    op.name = "Rinominato"
    with CaptureQueriesContext(connection) as plain:
        op.save()
    op.implicit = False
    with CaptureQueriesContext(connection) as checked:
        op.save()
    aggregates = [q for q in checked.captured_queries if "COUNT(" in q["sql"]]
    assert len(aggregates) == 1
    assert not [q for q in plain.captured_queries if "COUNT(" in q["sql"]]
