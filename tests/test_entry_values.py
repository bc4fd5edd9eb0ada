"""Typed values per kind and the mandatory explanation: pure functions, no database."""

from decimal import Decimal

import pytest

from indicators.entry import (
    EntryError,
    IndicatorSnapshot,
    RowInput,
    needs_explanation,
    normalize_actual,
    plan_batch,
)


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        ("number", "1284", "1.284"),
        ("number", "1.284", "1.284"),
        ("number", "12,50", "12,50"),
        ("ratio", "1,09", "1,09"),
        ("percentage", "85,6", "85,6%"),
        ("percentage", "85,60%", "85,60%"),
        ("project", "75", "75%"),
        ("deadline", "5/6/2023", "05/06/2023"),
        ("boolean", "si", "SI"),
        ("boolean", "No", "NO"),
        ("currency", "€ 1.250,00", "€ 1.250,00"),
        ("number", "nv", "NV"),
        ("number", "  ", ""),
    ],
)
def test_values_are_stored_as_canonical_text(kind, typed, stored):
    assert normalize_actual(kind, typed) == stored


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [
        ("deadline", "31/02/2023", "Data inesistente"),
        ("deadline", "2023-06-30", "gg/mm/aaaa"),
        ("boolean", "forse", "SI oppure NO"),
        ("number", "1.5", "formato italiano"),
        ("number", "abc", "formato italiano"),
        ("project", "120%", "tra 0% e 100%"),
        ("number", "<30", "non può contenere"),
        ("number", "=1+1", "formule non sono ammesse"),
        ("percentage", "=A1", "formule non sono ammesse"),
    ],
)
def test_bad_values_get_a_clear_italian_error(kind, typed, message):
    with pytest.raises(EntryError, match=message):
        normalize_actual(kind, typed)


def test_explanation_needed_only_below_target():
    assert needs_explanation("number", "higher", "10", "9", Decimal(0))
    assert not needs_explanation("number", "higher", "10", "10", Decimal(0))
    assert not needs_explanation("number", "higher", "10", "", Decimal(0))
    assert needs_explanation("deadline", "higher", "30/06/2023", "01/07/2023", Decimal(0))
    assert not needs_explanation("number", "monitoring", "monitoraggio", "3", Decimal(0))


def _snap(**kw):
    base = dict(
        id=1,
        name="Pratiche evase",
        kind="number",
        direction="higher",
        target="10",
        actual="",
        explanation="",
        version=3,
        editable=True,
    )
    return IndicatorSnapshot(**{**base, **kw})


def test_batch_names_each_bad_row_and_keeps_good_ones_out():
    snaps = {1: _snap(), 2: _snap(id=2, name="Tempi"), 3: _snap(id=3, editable=False)}
    plan = plan_batch(
        [
            RowInput(2, 1, 3, "12", ""),
            RowInput(3, 2, 3, "abc", ""),
            RowInput(4, 3, 3, "12", ""),
            RowInput(5, 99, 1, "1", ""),
        ],
        snaps,
    )
    assert [e.row for e in plan.errors] == [3, 4, 5]
    assert "formato italiano" in plan.errors[0].message
    assert "permesso" in plan.errors[1].message
    assert not plan.ok


def test_batch_refuses_stale_version_and_missing_explanation():
    plan = plan_batch([RowInput(2, 1, 2, "12", "")], {1: _snap(actual="11")})
    assert "modificato da altri" in plan.errors[0].message and "11" in plan.errors[0].message
    plan = plan_batch([RowInput(2, 1, 3, "5", "")], {1: _snap()})
    assert "motivazione" in plan.errors[0].message
    plan = plan_batch([RowInput(2, 1, 3, "5", "Meno domande")], {1: _snap()})
    assert plan.ok and plan.changes[0].new_actual == "5"


def test_unchanged_rows_are_not_changes():
    plan = plan_batch([RowInput(2, 1, 1, "11", "")], {1: _snap(actual="11", editable=False)})
    assert plan.ok and plan.changes == [] and plan.unchanged == 1
