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
from hypothesis import HealthCheck, given, settings
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


# --- The snapshot reused across runs (consistency.selectors.year_data_snapshot) ---------------

# A write to the year through one of the paths the app (or an administrator) has: each takes
# the step's position among the year's rows and a value.
WRITES = (
    "save",  # Model.save()
    "update",  # QuerySet.update()
    "bulk_update",
    "bulk_create",
    "delete",
    "raw",  # SQL by hand, which no signal, counter or history sees
    "row_update",  # a printed row's declared % (QuerySet.update)
    "row_save",  # a printed row moved (Model.save)
    "row_delete",
    "card",  # a cruscotto's title (what every placement of its rows prints)
    "objective",  # an operational objective's name
    "method",  # the year's scoring method: thresholds scored proportionally
    "missed",  # the year's value of a missed deadline
    "state",
)
writes = st.lists(
    st.tuples(st.sampled_from(WRITES), st.integers(0, 10**6), values), min_size=1, max_size=8
)


def _nth(queryset, at: int):
    rows = list(queryset.order_by("pk"))
    return rows[at % len(rows)] if rows else None


def _indicator_write(cycle, action: str, at: int, value: str) -> None:
    from django.db import connection, transaction
    from django.db.models import ProtectedError, RestrictedError

    indicators = Indicator.objects.filter(cycle=cycle)
    ind = _nth(indicators, at)
    if action == "save":
        ind.actual = value
        ind.save()
    elif action == "update":
        indicators.filter(pk=ind.pk).update(target=value, explanation=value)
    elif action == "bulk_update":
        some = list(indicators.order_by("pk")[at % 7 :: 11])
        for each in some:
            each.actual, each.name = value, f"{each.name[:400]} {value}"
        Indicator.objects.bulk_update(some, ["actual", "name"])
    elif action == "bulk_create":
        ind.pk, ind.actual, ind.order = None, value, at % 50
        Indicator.objects.bulk_create([ind])
    elif action == "delete":
        with transaction.atomic():  # an indicator others refer to stays: the step does nothing
            try:
                indicators.filter(pk=ind.pk).delete()
            except (ProtectedError, RestrictedError):
                transaction.set_rollback(True)
    elif action == "raw":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE indicators_indicator SET actual = %s, weight = %s WHERE id = %s",
                [value, Decimal(at % 4), ind.pk],
            )


def _related_write(cycle, action: str, at: int, value: str) -> None:
    from core.models import Cycle
    from indicators.models import ScorecardRow
    from objectives.models import OperationalObjective, Scorecard

    rows = ScorecardRow.objects.filter(scorecard__cycle=cycle)
    if action == "row_update":
        rows.filter(pk=_nth(rows, at).pk).update(declared_realization=value[:10])
    elif action == "row_save":
        row = _nth(rows, at)
        row.order = at % 40
        row.save()
    elif action == "row_delete":
        rows.filter(pk=_nth(rows, at).pk).delete()
    elif action == "card":
        card = _nth(Scorecard.objects.filter(cycle=cycle), at)
        Scorecard.objects.filter(pk=card.pk).update(title=f"Cruscotto {value}")
    elif action == "objective":
        objective = _nth(OperationalObjective.objects.filter(cycle=cycle), at)
        OperationalObjective.objects.filter(pk=objective.pk).update(name=value or "Obiettivo")
    elif action == "method":
        rule = ("proportional", "all_or_nothing")[at % 2]
        Cycle.objects.filter(pk=cycle.pk).update(scoring_method={"thresholds": rule})
    elif action == "missed":
        Cycle.objects.filter(pk=cycle.pk).update(missed_deadline_pct=Decimal(at % 3 * 25))
    elif action == "state":
        Cycle.objects.filter(pk=cycle.pk).update(state=STATES[at % len(STATES)])


def _write(cycle, action: str, at: int, value: str) -> None:
    if WRITES.index(action) < WRITES.index("row_update"):
        _indicator_write(cycle, action, at, value)
    else:
        _related_write(cycle, action, at, value)


@pytest.mark.django_db
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=writes)
def test_a_reused_snapshot_equals_a_fresh_one_after_any_write(cycle, steps):
    """After any sequence of writes, by any path (raw SQL too: nothing marks the rows that
    changed, each is read again and compared whole), the run on the previous run's memos
    gives, byte for byte, the findings of a fresh snapshot and a fresh full run. The memos
    are kept across examples: a memo of rows since rolled back must be as harmless."""
    from django.db import transaction

    from core.models import Cycle

    with transaction.atomic(), unlocked():
        services._run(cycle)  # the memos of the example's starting state
        for step, (action, at, value) in enumerate(steps):
            _write(cycle, action, at, value)
            now = Cycle.objects.select_related("body").get(pk=cycle.pk)
            snapshot_memo, _indicator_memo = services._memos.get(cycle.pk)
            reused, _ = selectors.year_data_snapshot(cycle=now, previous=snapshot_memo)
            fresh = selectors.year_data_build(cycle=now)
            assert repr(reused) == repr(fresh), f"step {step}: {action}"
            found = services._run(now)
            assert repr(found) == repr(rules.run_rules(fresh)), f"step {step}: {action}"
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_an_unchanged_indicator_is_the_previous_snapshots(cycle):
    """What the reuse saves: an unchanged indicator is not made again (and so keeps what its
    rules computed of it), a changed one is."""
    data, memo = selectors.year_data_snapshot(cycle=cycle)
    changed = data.indicators[3]
    with unlocked():
        Indicator.objects.filter(pk=changed.id).update(actual=f"{changed.actual}0")
    again, _ = selectors.year_data_snapshot(cycle=cycle, previous=memo)
    same = [new is old for new, old in zip(again.indicators, data.indicators, strict=True)]
    assert same.count(False) == 1 and not same[3]
    assert again.indicators[3].actual == f"{changed.actual}0"


def test_the_memos_held_are_bounded_by_cycles_and_by_indicators():
    """A process keeps the memos of the last cycles run only while they hold few enough
    indicators together; the last run's is kept whatever its size."""
    from types import SimpleNamespace

    def memo(indicators: int):
        return (None, SimpleNamespace(entries=dict.fromkeys(range(indicators))))

    memos = services._Memos()
    memos.SIZE, memos.INDICATORS = 3, 100
    for cycle_id in (1, 2, 3, 4):
        memos.put(cycle_id, memo(10))
    assert memos.cycles() == [2, 3, 4]  # by count
    memos.put(2, memo(60))  # run again: the most recent
    assert memos.cycles() == [3, 4, 2]
    memos.put(5, memo(35))  # four cycles: 3 goes; 10 + 60 + 35 > 100: 4 goes too
    assert memos.cycles() == [2, 5]
    memos.put(6, memo(500))  # alone above the bound: still kept, alone
    assert memos.cycles() == [6]
    assert memos.get(2) == (None, None)
