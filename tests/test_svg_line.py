"""lib.svg_line: the trend drawn for the PDF. Pure: well-formed SVG, one point per figure,
every point inside the plot, the line broken at a year without a figure, Italian labels."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest
from defusedxml import ElementTree as ET
from hypothesis import given
from hypothesis import strategies as st

from lib.italian import format_number
from lib.svg_line import BOTTOM, LEFT, RIGHT, TOP, runs, year_line

NS = "{http://www.w3.org/2000/svg}"
figures = st.one_of(
    st.none(), st.decimals(min_value=-500, max_value=100000, places=2, allow_nan=False)
)
series = st.integers(min_value=2, max_value=12).flatmap(
    lambda n: st.tuples(
        st.integers(min_value=1990, max_value=2040).map(
            lambda start: list(range(start, start + n))
        ),
        st.lists(figures, min_size=n, max_size=n),
    )
)


@given(series)
def test_every_figure_is_a_point_inside_the_plot_and_gaps_break_the_line(data):
    years, values = data
    svg = ET.fromstring(year_line("Andamento", years, values))
    width, height = float(svg.get("width")), float(svg.get("height"))
    circles = svg.findall(f".//{NS}circle")
    assert len(circles) == sum(v is not None for v in values)
    for c in circles:
        assert LEFT - 0.1 <= float(c.get("cx")) <= width - RIGHT + 0.1
        assert TOP - 0.1 <= float(c.get("cy")) <= height - BOTTOM + 0.1
    # Left to right in the order of the years.
    xs = [float(c.get("cx")) for c in circles]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    lines = svg.findall(f".//{NS}polyline")
    assert len(lines) == len(runs(values))
    assert sum(len(line.get("points").split()) for line in lines) == len(circles)
    texts = [t.text for t in svg.iter(f"{NS}text")]
    for year in years:
        assert str(year) in texts
    for v in values:
        if v is not None:
            assert format_number(v, 2) + "%" in texts


@given(series)
def test_a_higher_figure_never_stands_lower(data):
    """(Equal at the drawing's precision of a tenth of a pixel.)"""
    years, values = data
    svg = ET.fromstring(year_line("Andamento", years, values))
    points = [(v, float(c.get("cy"))) for v, c in zip(
        [v for v in values if v is not None], svg.findall(f".//{NS}circle"), strict=True
    )]  # fmt: skip
    for a, ya in points:
        for b, yb in points:
            if a > b:
                assert ya <= yb


@given(st.lists(st.one_of(st.none(), st.integers(0, 9)), max_size=20))
def test_runs_are_the_consecutive_figures(values):
    pieces = runs(values)
    assert [i for piece in pieces for i in piece] == [
        i for i, v in enumerate(values) if v is not None
    ]
    for piece in pieces:
        assert piece == list(range(piece[0], piece[-1] + 1))
    for a, b in pairwise(pieces):
        assert b[0] - a[-1] >= 2


def test_the_labels_are_italian_and_the_title_is_said():
    svg = year_line("Obiettivo 1.1", [2022, 2023], [Decimal("1284.5"), Decimal("98.77")])
    assert "1.284,50%" in svg and "98,77%" in svg
    assert "<title>Obiettivo 1.1</title>" in svg and 'aria-label="Obiettivo 1.1"' in svg


@pytest.mark.parametrize(
    ("years", "values"),
    [([2023], [Decimal(1)]), ([2023, 2023], [None, None]), ([2024, 2023], [None, None])],
)
def test_a_single_year_or_a_wrong_order_is_refused(years, values):
    with pytest.raises(ValueError, match="anni"):
        year_line("x", years, values)


def test_the_points_can_say_what_the_table_says():
    svg = year_line("x", [2022, 2023, 2024], [Decimal(100), None, Decimal("98.77")],
                    labels=["100%", "", "98,77%"])  # fmt: skip
    assert ">100%</text>" in svg and ">98,77%</text>" in svg and "100,00%" not in svg
    with pytest.raises(ValueError, match="etichetta"):
        year_line("x", [2022, 2023], [Decimal(1), Decimal(2)], labels=["1"])
