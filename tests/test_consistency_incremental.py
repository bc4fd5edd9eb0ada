"""The incremental run (consistency.rules.incremental) gives, after any sequence of edits to a
plan's indicators and to the year's settings, exactly the findings of a fresh full run: the
same findings in the same order. And the services reuse the findings while nothing changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency import rules, selectors, services
from consistency.rules.incremental import IncrementalRun
from core import machine
from core.locking import unlocked
from indicators.domain import Direction, Kind
from indicators.models import Indicator

VALUES = (
    "",
    "NV",
    "10",
    "12,5",
    "40%",
    ">40%",
    "<30",
    "85,6%",
    "150",
    "-3",
    "31/12/2023",
    "15/03/2024",
    "00/01/1900",
    "Sì",
    "No",
    "buono",
    "in monitoraggio",
    "abc",
)
NAMES = ("Numero di eventi", "Tasso di copertura", "Progetto Alfa", "Numero eventi %", "Eventi")
DECLARED = ("", "100%", "80%", "85,60%", "NV", "0%")
STATES = (machine.MONITORING, machine.CLOSED, machine.VALIDATED)

values = st.sampled_from(VALUES)
placements = st.lists(
    st.builds(
        rules.Placement,
        row_id=st.integers(1, 40),
        scorecard_id=st.integers(1, 3),
        scorecard_title=st.sampled_from(("Cruscotto A", "Cruscotto B")),
        section=st.sampled_from(("2.2", "2.4", "3")),
        declared_realization=st.sampled_from(DECLARED),
    ),
    max_size=2,
).map(tuple)
stored = st.none() | st.tuples(
    st.none() | st.sampled_from((Decimal("0.00"), Decimal("85.60"), Decimal("100.00"))),
    st.sampled_from(("achieved", "partial", "not_achieved", "nv")),
)
# What an edit may set on an indicator: any field a rule reads.
changes = st.fixed_dictionaries(
    {},
    optional={
        "name": st.sampled_from(NAMES),
        "kind": st.sampled_from(list(Kind)).map(str),
        "direction": st.sampled_from(list(Direction)).map(str),
        "target": values,
        "actual": values,
        "explanation": st.sampled_from(("", "Motivo")),
        "rows": placements,
        "target_revised_without_record": st.booleans(),
        "stored_figures": stored,
        "proportional": st.booleans(),
    },
)


def _indicator(ind_id: int, fields: dict) -> rules.IndicatorData:
    return rules.IndicatorData(**{"id": ind_id, "name": "Eventi", "kind": "number", **fields})


edits = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 50), changes),
    st.tuples(st.just("delete"), st.integers(0, 50), st.just({})),
    st.tuples(st.just("add"), st.integers(0, 50), changes),
    st.tuples(
        st.just("settings"),
        st.just(0),
        st.fixed_dictionaries(
            {},
            optional={
                "state": st.sampled_from(STATES),
                "missed_deadline_pct": st.sampled_from((Decimal(0), Decimal(50))),
                "as_of": st.sampled_from((dt.date(2024, 1, 10), dt.date(2023, 6, 1))),
            },
        ),
    ),
)


def _fresh(ind: rules.IndicatorData) -> rules.IndicatorData:
    """The same fields in a new object: a full run must not inherit what a run cached on the
    instance (IndicatorData.memo)."""
    return replace(ind)


def _year(state: dict, indicators: list[rules.IndicatorData]) -> rules.YearData:
    return rules.YearData(year=2023, indicators=[_fresh(i) for i in indicators], **state)


@settings(max_examples=150, deadline=None)
@given(initial=st.lists(changes, min_size=1, max_size=6), steps=st.lists(edits, max_size=12))
def test_incremental_run_equals_a_fresh_full_run(initial, steps):
    indicators = [_indicator(n + 1, fields) for n, fields in enumerate(initial)]
    state: dict = {"state": machine.MONITORING, "as_of": dt.date(2024, 1, 10)}
    next_id = len(indicators) + 1
    run = IncrementalRun()
    for step, (action, at, fields) in enumerate([("none", 0, {}), *steps]):
        if action == "edit" and indicators:
            n = at % len(indicators)
            indicators[n] = replace(indicators[n], **fields)
        elif action == "delete" and indicators:
            del indicators[at % len(indicators)]
        elif action == "add":
            indicators.insert(at % (len(indicators) + 1), _indicator(next_id, fields))
            next_id += 1
        elif action == "settings":
            state.update(fields)
        run = IncrementalRun(run.memo)
        incremental = rules.run_rules(_year(state, indicators), indicator_findings=run)
        assert incremental == rules.run_rules(_year(state, indicators)), f"step {step}"
        # Only what changed was evaluated again (all of it after a change of settings).
        if step and action in ("edit", "add") and indicators:
            assert run.evaluated <= 1


def test_an_unchanged_year_evaluates_nothing_and_one_change_one_indicator():
    indicators = [_indicator(n, {"target": "10", "actual": str(n)}) for n in range(1, 30)]
    first = IncrementalRun()
    expected = rules.run_rules(_year({}, indicators), indicator_findings=first)
    second = IncrementalRun(first.memo)
    assert rules.run_rules(_year({}, indicators), indicator_findings=second) == expected
    assert (first.evaluated, second.evaluated) == (29, 0)
    indicators[4] = replace(indicators[4], actual="")
    third = IncrementalRun(second.memo)
    assert rules.run_rules(_year({}, indicators), indicator_findings=third) == rules.run_rules(
        _year({}, indicators)
    )
    assert third.evaluated == 1
    # Other settings: every indicator again.
    fourth = IncrementalRun(third.memo)
    rules.run_rules(_year({"state": machine.CLOSED}, indicators), indicator_findings=fourth)
    assert fourth.evaluated == 29


LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "consistency": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "consistency-incremental-test",
    },
}


@pytest.mark.django_db
def test_the_findings_are_cached_per_data_version_and_follow_a_change(
    cycle, django_assert_num_queries
):
    with override_settings(CACHES=LOCMEM):
        caches["consistency"].clear()
        with django_assert_num_queries(services.RUN_QUERIES):
            first = services.consistency_run(cycle=cycle)
        with django_assert_num_queries(1):  # the data version: nothing changed
            assert services.consistency_run(cycle=cycle) == first
        ind = Indicator.objects.filter(cycle=cycle).exclude(actual="").order_by("id").first()
        with unlocked():
            Indicator.objects.filter(pk=ind.pk).update(actual="")
        changed = services.consistency_run(cycle=cycle)  # on the memo of the first run
        assert changed == rules.run_rules(selectors.year_data_build(cycle=cycle)) != first
        caches["consistency"].clear()
