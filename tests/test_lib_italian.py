"""lib.italian: Italian numbers, dates and wording, one definition for the whole app. Pure."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.italian import (
    count,
    decimals_of,
    format_date,
    format_decimal,
    format_figure,
    format_number,
    parse_number,
    shorten,
)

D = Decimal


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("0", D(0)),
        ("1.284", D(1284)),
        ("1284", D(1284)),
        ("1.284,50", D("1284.50")),
        ("98,77", D("98.77")),
        ("-3", D(-3)),
        ("+0,5", D("0.5")),
        ("1.234.567,891", D("1234567.891")),
        ("  12  ", D(12)),
    ],
)
def test_parse_number_reads_italian_numbers(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    "text",
    ["", "1,284.50", "12.5", "1.28", "1e3", "€ 12", "12%", "1 284", "NaN", "--1", ",5", "1,"],
)
def test_parse_number_refuses_anything_else(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("number", "places"),
    [(D("4.3800"), 2), (D("4"), 0), (D("1E+3"), 0), (D("0.000"), 0), (D("-0.125"), 3)],
)
def test_decimals_of_ignores_trailing_zeros(number, places):
    assert decimals_of(number) == places


def test_decimals_of_does_not_round_to_the_context():
    # normalize() would round this 40-digit number to 28 digits and lose its decimals.
    number = D("1234567890123456789012345678901234567.891")
    assert decimals_of(number) == 3
    assert format_decimal(number).endswith(",891")


class TestFormatNumber:
    @pytest.mark.parametrize(
        ("number", "decimals", "text"),
        [
            (D(0), 0, "0"),
            (D(999), 0, "999"),
            (D(1000), 0, "1.000"),
            (D(1284), 0, "1.284"),
            (D(1234567), 0, "1.234.567"),
            (D("1.09"), 2, "1,09"),
            (D(3), 2, "3,00"),
            (D("1234567.891"), 2, "1.234.567,89"),
            (D("-1234567.891"), 2, "-1.234.567,89"),
            (D(-25), 0, "-25"),
            (D("0.5"), 0, "1"),  # half up, as a spreadsheet's ROUND
            (D("2.5"), 0, "3"),
            (D("0.125"), 2, "0,13"),
            (D("-0.001"), 2, "0,00"),  # no negative zero
            (D("98.765"), 2, "98,77"),
        ],
    )
    def test_examples(self, number, decimals, text):
        assert format_number(number, decimals) == text


@given(
    st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False),
    st.integers(0, 4),
)
def test_format_number_matches_an_independent_formatter(number, decimals):
    q = number.quantize(D(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)
    expected = format(q, f",.{decimals}f").replace(",", "_").replace(".", ",").replace("_", ".")
    assert format_number(number, decimals) == expected


@pytest.mark.parametrize(
    ("number", "decimals", "text"),
    [
        (D("4.3800"), None, "4,38"),
        (D(1284), None, "1.284"),
        (D("1284.5"), 2, "1.284,50"),
    ],
)
def test_format_decimal(number, decimals, text):
    assert format_decimal(number, decimals) == text


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (D(100), "100"),
        (D("100.001"), "100"),
        (D("98.765"), "98,77"),
        (D("91.5"), "91,50"),
        (3, "3"),
    ],
)
def test_format_figure_prints_whole_numbers_without_decimals(number, text):
    assert format_figure(number) == text


def test_format_date_pads_day_month_and_year():
    assert format_date(dt.date(2023, 6, 3)) == "03/06/2023"
    assert format_date(dt.date(999, 12, 31)) == "31/12/0999"


def test_count_and_shorten():
    assert (count(1, "riga", "righe"), count(0, "riga", "righe")) == ("1 riga", "0 righe")
    assert shorten("Obiettivo   operativo\nlungo", 15) == "Obiettivo…"


# --- Properties: what is written is read back -------------------------------------------------

numbers = st.decimals(allow_nan=False, allow_infinity=False, places=6)


@given(numbers)
def test_any_number_round_trips_through_its_italian_text(number):
    text = format_decimal(number)
    assert parse_number(text) == number
    integer, _, fraction = text.lstrip("-").partition(",")
    assert "." not in fraction  # the comma separates the decimals, the dots the thousands
    assert all(len(group) == 3 for group in integer.split(".")[1:])


@given(numbers, st.integers(0, 6))
def test_formatting_with_decimals_reads_back_the_rounded_number(number, decimals):
    text = format_number(number, decimals)
    with localcontext(prec=80):  # the default 28 digits cannot hold every drawn number
        rounded = number.quantize(D(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    assert parse_number(text) == rounded
    assert decimals_of(parse_number(text)) <= decimals


@given(st.integers(-(10**15), 10**15))
def test_integers_round_trip(number):
    assert parse_number(format_number(D(number))) == number


@given(st.text(), st.integers(2, 120))
def test_shorten_never_exceeds_the_limit(text, limit):
    assert len(shorten(text, limit)) <= limit


# --- format_number against its former implementation -------------------------------------------


def _reference_format_number(number: Decimal | int, decimals: int = 0) -> str:
    """format_number as it was before its fast path (a localcontext per call, groups built by
    hand): the reference the new one must equal, text for text."""
    number = Decimal(number)
    quantum = Decimal(1).scaleb(-decimals)
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    digits = len(number.as_tuple().digits) + abs(exponent) + decimals + 2
    with localcontext(prec=max(28, digits)):
        q = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    integer, _, fraction = format(q.copy_abs(), "f").partition(".")
    groups: list[str] = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = ".".join(groups)
    if decimals > 0:
        text += "," + fraction.ljust(decimals, "0")[:decimals]
    return sign + text


# Any finite Decimal a figure could be: drawn by Hypothesis's own strategy (huge, tiny, many
# places), and built from a sign, a coefficient of up to 60 digits and an exponent from -80 to
# +80 (so the edge of the 28 digits, a carry that rounds 999… up, and negative zero all occur).
any_decimals = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False),
    st.builds(
        lambda sign, coefficient, exponent: Decimal((sign, tuple(map(int, coefficient)), exponent)),
        st.integers(0, 1),
        st.from_regex(r"\A[0-9]{1,60}\Z") | st.from_regex(r"\A9{1,40}\Z"),
        st.integers(-80, 80),
    ),
    st.integers(-(10**40), 10**40),
)


@given(any_decimals, st.integers(0, 6))
def test_format_number_equals_its_former_implementation(number, decimals):
    assert format_number(number, decimals) == _reference_format_number(number, decimals)


@pytest.mark.parametrize(
    "number",
    [D("9" * 26 + ".995"), D("9" * 27 + ".5"), D("-0.0049"), D("0E+40"), D("1E+30"), D("-5E-7")],
)
@pytest.mark.parametrize("decimals", range(7))
def test_format_number_equals_its_former_implementation_at_the_edges(number, decimals):
    assert format_number(number, decimals) == _reference_format_number(number, decimals)
