"""lib.benchmark: the distribution of a figure across bodies and a body's place in it. Pure."""

from __future__ import annotations

import statistics
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.benchmark import (
    BY_CODE,
    BY_NAME,
    Distribution,
    distribution,
    match_keys,
    quartile_of,
    rank,
)

D = Decimal
figures = st.decimals(min_value=-1000, max_value=100000, places=2, allow_nan=False)
samples = st.lists(figures, min_size=1, max_size=40)


def test_quartiles_of_a_hand_computed_sample():
    # Sorted 10, 20, 40, 80, 90: positions 1 + k*(5-1)/4 = 2, 3, 4 -> 20, 40, 80.
    assert distribution([D(80), D(10), D(40), D(90), D(20)]) == Distribution(
        5, D(10), D(20), D(40), D(80), D(90)
    )
    # Four values: positions 1,75 / 2,5 / 3,25 -> 1 + 0,75*(2-1) = 1,75; 2,5; 3,25.
    assert distribution([D(1), D(2), D(3), D(4)]) == Distribution(
        4, D(1), D("1.75"), D("2.5"), D("3.25"), D(4)
    )


def test_an_empty_sample_is_refused():
    with pytest.raises(ValueError, match="almeno un ente"):
        distribution([])


@given(samples)
def test_quartiles_are_ordered_and_inside_the_range(values):
    dist = distribution(values)
    assert dist.minimum <= dist.q1 <= dist.median <= dist.q3 <= dist.maximum
    assert dist.minimum == min(values) and dist.maximum == max(values)
    assert dist.count == len(values)


@given(samples)
def test_the_median_is_the_median(values):
    assert distribution(values).median == statistics.median(values)


@given(samples, st.randoms(use_true_random=False))
def test_the_order_of_the_bodies_does_not_matter(values, rnd):
    shuffled = list(values)
    rnd.shuffle(shuffled)
    assert distribution(shuffled) == distribution(values)
    for value in values:
        assert rank(value, shuffled) == rank(value, values)


@given(figures)
def test_one_body_alone_is_its_own_distribution_and_first(value):
    dist = distribution([value])
    assert dist == Distribution(1, value, value, value, value, value)
    assert rank(value, [value]) == 1
    assert rank(value, [value], higher_is_better=False) == 1
    assert quartile_of(value, dist) == 1


@given(samples, st.booleans(), st.data())
def test_a_rank_is_between_one_and_the_number_of_bodies(values, higher, data):
    value = data.draw(st.sampled_from(values))
    place = rank(value, values, higher_is_better=higher)
    assert 1 <= place <= len(values)
    # The best value is first, whatever the direction.
    best = max(values) if higher else min(values)
    assert rank(best, values, higher_is_better=higher) == 1
    # Ties share the better place; a strictly better value has a strictly better place.
    for other in values:
        if (other > value) if higher else (other < value):
            assert rank(other, values, higher_is_better=higher) < place
        elif other == value:
            assert rank(other, values, higher_is_better=higher) == place


@given(samples, st.data())
def test_the_quartile_follows_the_value(values, data):
    dist = distribution(values)
    value = data.draw(st.sampled_from(values))
    quarter = quartile_of(value, dist)
    assert 1 <= quarter <= 4
    assert quartile_of(dist.minimum, dist) == 1
    for other in values:
        if other >= value:
            assert quartile_of(other, dist) >= quarter


def test_a_value_not_compared_has_no_rank():
    with pytest.raises(ValueError):
        rank(D(5), [D(1), D(2)])


# --- matching by code, by name otherwise ----------------------------------------------------

items = st.lists(
    st.tuples(st.sampled_from(["", "OC1.1", "OC1.2", "X"]), st.sampled_from(["a", "b", "c"])),
    max_size=12,
)


@given(items)
def test_one_code_is_one_indicator_and_two_codes_never_meet(pairs):
    matches = match_keys(pairs)
    for (code, _name), m in zip(pairs, matches, strict=True):
        if code:
            assert (m.by_code, m.key, m.basis) == (True, code, BY_CODE)
    for (c1, _n1), m1 in zip(pairs, matches, strict=True):
        for (c2, _n2), m2 in zip(pairs, matches, strict=True):
            if c1 and c2:
                assert ((m1.by_code, m1.key) == (m2.by_code, m2.key)) == (c1 == c2)


@given(items)
def test_without_a_code_the_name_decides(pairs):
    """An indicator without a code meets the others of its name, and joins the coded ones
    of its name exactly when these agree on one code."""
    matches = match_keys(pairs)
    for (code, name), m in zip(pairs, matches, strict=True):
        if code:
            continue
        assert m.basis == BY_NAME
        codes = {c for c, n in pairs if c and n == name}
        expected = (True, codes.pop()) if len(codes) == 1 else (False, name)
        assert (m.by_code, m.key) == expected


def test_without_any_code_the_match_is_the_name():
    assert [(m.by_code, m.key) for m in match_keys([("", "a"), ("", "b"), ("", "a")])] == [
        (False, "a"),
        (False, "b"),
        (False, "a"),
    ]
