"""lib.benchmark: the distribution of a figure across bodies and a body's place in it. Pure."""

from __future__ import annotations

import statistics
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.benchmark import Distribution, distribution, quartile_of, rank

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
