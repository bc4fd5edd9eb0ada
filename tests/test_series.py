"""The series across years (dashboards.series, pandas): pure, no database. One row per year of
the span, sorted; a year without a figure is a gap (NaN, no text), never a zero."""

import math
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from dashboards.series import YearPoint, drawn, table_rows, yearly

realizations = st.one_of(
    st.none(), st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)
)
texts = st.sampled_from(["", "85,60%", ">=90%", "1.284", "30/06/2024", "SI", "NV", "12,5"])
points = st.builds(
    YearPoint,
    year=st.integers(min_value=2000, max_value=2040),
    target=texts,
    actual=texts,
    realization=realizations,
)


@given(st.lists(points, max_size=15))
def test_one_sorted_row_per_year_of_the_span(given_points):
    frame = yearly(given_points)
    years = list(frame.index)
    assert years == sorted(set(years))
    if given_points:
        low = min(p.year for p in given_points)
        high = max(p.year for p in given_points)
        assert years == list(range(low, high + 1))
    else:
        assert years == []


@given(st.lists(points, min_size=1, max_size=15))
def test_a_missing_year_is_a_gap_not_a_zero(given_points):
    frame = yearly(given_points)
    first = {}
    for point in given_points:
        first.setdefault(point.year, point)
    for year, row in frame.iterrows():
        point = first.get(year)
        if point is None:
            assert row["target_text"] is None and row["actual_text"] is None
            assert all(math.isnan(row[c]) for c in ("target", "actual", "realization"))
        else:
            assert row["target_text"] == point.target and row["actual_text"] == point.actual
            if point.realization is None:
                assert math.isnan(row["realization"])
            else:
                assert row["realization"] == float(point.realization)
    chart = drawn(frame, "realization")
    assert len(chart) == len(frame)
    assert all(v is None for v, year in zip(chart, frame.index, strict=True) if year not in first)
    rows = table_rows(frame)
    assert [r.year for r in rows if r.present] == sorted(first)
    assert all(r.realization == "" and r.target == "" for r in rows if not r.present)


def test_numbers_are_read_from_the_italian_texts_and_formatted_back():
    frame = yearly(
        [
            YearPoint(2024, ">=90%", "92,5%", Decimal("100")),
            YearPoint(2021, "1.284", "1.000", Decimal("77.88")),
        ]
    )
    assert list(frame.index) == [2021, 2022, 2023, 2024]
    assert frame.loc[2021, "target"] == 1284.0 and frame.loc[2024, "actual"] == 92.5
    assert drawn(frame, "actual") == [1000.0, None, None, 92.5]
    assert [r.realization for r in table_rows(frame)] == ["77,88%", "", "", "100%"]


def test_a_year_given_twice_keeps_its_first_point():
    frame = yearly([YearPoint(2023, "1", "2", Decimal(10)), YearPoint(2023, "3", "4", None)])
    assert list(frame.index) == [2023]
    assert frame.loc[2023, "target_text"] == "1"


def test_no_points_is_an_empty_table():
    frame = yearly([])
    assert frame.empty and table_rows(frame) == [] and drawn(frame, "actual") == []
