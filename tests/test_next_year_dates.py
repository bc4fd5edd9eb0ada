"""Next year's plan carries its deadlines into the new year: the pure shift (with the leap
day), the demo's 2024 opened from 2023, and a body's own next year opened by the service."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Role
from core.locking import unlocked
from core.models import Cycle
from indicators import domain
from indicators.models import Indicator
from lib.italian import format_date
from tests.people import *  # noqa: F403
from workflow import services
from workflow.models import TargetProposal

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))
years = st.integers(min_value=-50, max_value=50)


# --- The pure shift -------------------------------------------------------------------------


def test_leap_day_goes_to_the_last_day_of_february():
    assert domain.shift_date_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert domain.shift_date_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
    assert domain.shift_date_years(dt.date(2023, 2, 28), 1) == dt.date(2024, 2, 28)
    assert domain.shift_value_years("29/02/2024", 1) == "28/02/2025"
    assert domain.shift_value_years("30/06/2023", 1) == "30/06/2024"
    assert domain.shift_value_years("1/7/2023", 1) == "01/07/2024"  # canonical form


@given(dates, years)
def test_shift_keeps_month_and_day_but_a_missing_leap_day(date, n):
    shifted = domain.shift_date_years(date, n)
    assert shifted.year == date.year + n and shifted.month == date.month
    if (date.month, date.day) == (2, 29) and shifted.day != 29:
        assert shifted.day == 28
    else:
        assert shifted.day == date.day


@given(dates, dates, years)
def test_shift_keeps_the_order_of_dates(a, b, n):
    if a <= b:
        assert domain.shift_date_years(a, n) <= domain.shift_date_years(b, n)


@given(dates, years)
def test_shift_there_and_back_is_the_same_day_except_a_leap_day(date, n):
    back = domain.shift_date_years(domain.shift_date_years(date, n), -n)
    assert back == date or (date.month, date.day, back.day) == (2, 29, 28)


@given(st.text(max_size=20))
def test_values_other_than_dates_are_kept_as_written(text):
    if domain.parse_value(text).type is not domain.ValueType.DATE:
        assert domain.shift_value_years(text, 1) == text


@pytest.mark.parametrize("text", ["85,60%", "<30", "SI", "NV", "monitoraggio", "1.284", ""])
def test_targets_of_other_kinds_do_not_move(text):
    assert domain.shift_value_years(text, 1) == text


# --- The demo's 2024 and a body's own next year ------------------------------------------------


def _deadlines(year):
    return {
        (ind.order, ind.name): ind
        for ind in Indicator.objects.filter(cycle__year=year, kind=domain.Kind.DEADLINE)
    }


@pytest.mark.django_db
def test_demo_2024_date_targets_are_in_2024(cycle):
    y2023, y2024 = _deadlines(2023), _deadlines(2024)
    dated = {k for k, ind in y2023.items() if domain.parse_value(ind.target).date}
    assert dated and set(y2024) == set(y2023)
    for key in dated:
        old = domain.parse_value(y2023[key].target).date
        new = domain.parse_value(y2024[key].target).date
        assert new.year == 2024 and (new.month, new.day) == (old.month, old.day), key
        proposal = TargetProposal.objects.get(indicator=y2024[key])
        assert proposal.proposed_target == y2024[key].target
    # The half of the actuals the demo fills in for 2024 are 2024 dates too.
    actuals = [domain.parse_value(ind.actual).date for ind in y2024.values()]
    assert any(actuals) and all(d.year == 2024 for d in actuals if d)


@pytest.mark.django_db
def test_a_2024_date_on_time_is_met_in_the_demo_2024(cycle):
    for ind in _deadlines(2024).values():
        target = domain.parse_value(ind.target)
        if target.date is None:
            continue
        on_time = domain.parse_value(format_date(target.date))
        assert domain.realization(ind.kind, ind.direction, target, on_time) == 100, ind.name
        late = domain.parse_value(format_date(target.date + dt.timedelta(days=1)))
        assert domain.realization(ind.kind, ind.direction, target, late) == 0, ind.name


@pytest.mark.django_db
def test_open_next_shifts_a_bodys_deadlines_with_the_leap_day(cycle):
    from tests.people import _person

    planning = _person("t-pianificazione-2025", Role.PLANNING)
    y2024 = Cycle.objects.get(body__slug="cciaa-bergamo", year=2024)
    leap, ordinary = list(_deadlines(2024).values())[:2]
    with unlocked():
        Indicator.objects.filter(pk=leap.pk).update(target="29/02/2024")
    new = services.cycle_open_next(user=planning, source=y2024)
    moved = {(i.order, i.name): i.target for i in _deadlines(2025).values()}
    assert moved[(leap.order, leap.name)] == "28/02/2025"
    assert moved[(ordinary.order, ordinary.name)] == domain.shift_value_years(ordinary.target, 1)
    assert new.year == 2025 and all(t.endswith("/2025") for t in moved.values() if "/" in t)
