"""The indicator engine (indicators/domain.py): pure code, no database.

Expected figures are worked out by hand (or with an independent oracle, e.g. exact fractions),
never copied from the function under test.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import product

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from indicators.domain import (
    Band,
    Bands,
    Direction,
    Kind,
    Value,
    ValueType,
    declared_matches,
    format_pct,
    format_value,
    infer_direction,
    infer_kind,
    is_below_target,
    parse_value,
    realization,
    value_fits_kind,
    weighted_mean,
)

D = Decimal
NUMERIC_KINDS = [Kind.NUMBER, Kind.PERCENTAGE, Kind.RATIO, Kind.CURRENCY, Kind.PROJECT]


def r(kind, direction, target, actual, **kwargs):
    """Realization from texts as a body writes them."""
    return realization(kind, direction, parse_value(target), parse_value(actual), **kwargs)


# --- parse_value --------------------------------------------------------------------------


class TestParseNumbers:
    @pytest.mark.parametrize(
        ("text", "number", "decimals"),
        [
            ("0", D(0), 0),
            ("14", D(14), 0),
            ("1.284", D(1284), 0),  # thousands separator, not a decimal point
            ("12.000", D(12000), 0),
            ("1.234.567", D(1234567), 0),
            ("1,09", D("1.09"), 2),
            ("2,60", D("2.6"), 2),
            ("3,00", D(3), 2),
            ("0,5", D("0.5"), 1),
            ("1.284,5", D("1284.5"), 1),
            ("-25", D(-25), 0),
            ("+5", D(5), 0),
            ("  300  ", D(300), 0),
        ],
    )
    def test_italian_numbers(self, text, number, decimals):
        value = parse_value(text)
        assert value.type is ValueType.NUMBER
        assert value.number == number
        assert value.decimals == decimals
        assert not value.percent
        assert not value.currency
        assert value.comparator == ""
        assert value.is_valid

    @pytest.mark.parametrize(
        ("text", "number", "decimals"),
        [
            ("98,77%", D("98.77"), 2),
            ("100%", D(100), 0),
            ("0%", D(0), 0),
            ("40,0%", D(40), 1),
            ("-0,5%", D("-0.5"), 1),
            ("85,6 %", D("85.6"), 1),
            ("600%", D(600), 0),
        ],
    )
    def test_percentages(self, text, number, decimals):
        value = parse_value(text)
        assert value.type is ValueType.NUMBER
        assert value.number == number
        assert value.decimals == decimals
        assert value.percent
        assert not value.currency

    @pytest.mark.parametrize(
        ("text", "number"),
        [
            ("€ 1.000", D(1000)),
            ("€1.000,50", D("1000.50")),
            ("1.000 €", D(1000)),
            ("€ 106.446", D(106446)),
        ],
    )
    def test_money(self, text, number):
        value = parse_value(text)
        assert value.type is ValueType.NUMBER
        assert value.number == number
        assert value.currency
        assert not value.percent

    def test_raw_text_is_kept(self):
        assert parse_value(" 1.284 ").raw == "1.284"
        assert parse_value("85,60%").raw == "85,60%"


class TestParseThresholds:
    @pytest.mark.parametrize(
        ("text", "comparator", "number", "percent"),
        [
            ("<30", "<", D(30), False),
            ("< 30", "<", D(30), False),
            (">40%", ">", D(40), True),
            ("<=30", "<=", D(30), False),
            (">=5", ">=", D(5), False),
            ("≤30", "<=", D(30), False),
            ("≥40%", ">=", D(40), True),
        ],
    )
    def test_thresholds(self, text, comparator, number, percent):
        value = parse_value(text)
        assert value.type is ValueType.NUMBER
        assert value.comparator == comparator
        assert value.number == number
        assert value.percent is percent


class TestParseDates:
    @pytest.mark.parametrize(
        ("text", "date"),
        [
            ("30/06/2023", dt.date(2023, 6, 30)),
            ("01/09/2023", dt.date(2023, 9, 1)),
            ("1/7/2023", dt.date(2023, 7, 1)),
            ("29/02/2024", dt.date(2024, 2, 29)),
            ("31/12/2023", dt.date(2023, 12, 31)),
        ],
    )
    def test_dates(self, text, date):
        value = parse_value(text)
        assert value.type is ValueType.DATE
        assert value.date == date
        assert value.is_valid

    @pytest.mark.parametrize(
        "text", ["00/01/1900", "31/02/2023", "29/02/2023", "32/01/2023", "15/13/2023", "01/00/2023"]
    )
    def test_impossible_dates_are_invalid(self, text):
        value = parse_value(text)
        assert value.type is ValueType.INVALID
        assert value.date is None
        assert not value.is_valid


class TestParseWords:
    @pytest.mark.parametrize("text", ["SI", "si", "Si", "SÌ", "Sì", "YES"])
    def test_yes(self, text):
        value = parse_value(text)
        assert value.type is ValueType.BOOLEAN
        assert value.flag is True

    @pytest.mark.parametrize("text", ["NO", "no", "No"])
    def test_no(self, text):
        value = parse_value(text)
        assert value.type is ValueType.BOOLEAN
        assert value.flag is False

    @pytest.mark.parametrize("text", ["NV", "nv", "N.V.", "n/v", "non valutabile"])
    def test_nv(self, text):
        value = parse_value(text)
        assert value.type is ValueType.NV
        assert not value.is_valid

    @pytest.mark.parametrize("text", ["monitoraggio", "MONITORAGGIO", " Monitoraggio "])
    def test_monitoring(self, text):
        value = parse_value(text)
        assert value.type is ValueType.MONITORING
        assert not value.is_valid

    @pytest.mark.parametrize("text", [None, "", "   "])
    def test_empty(self, text):
        value = parse_value(text)
        assert value.type is ValueType.EMPTY
        assert not value.is_valid

    @pytest.mark.parametrize(
        "text",
        [
            "abc",
            "30 giorni",
            "%",
            "€",
            "<",
            "--5",
            "1,2,3",
            "1.2.3",
            "12.34.567",
            "1.28",  # not Italian: a dot is only a thousands separator
            "1,",
            "=1+1",
            "30-06-2023",
            "2023-06-30",
            "SI NO",
        ],
    )
    def test_garbage_is_invalid(self, text):
        value = parse_value(text)
        assert value.type is ValueType.INVALID
        assert value.number is None
        assert not value.is_valid
        assert value.raw == text.strip()

    def test_non_string_input(self):
        assert parse_value(300).number == D(300)
        assert parse_value(D("1.5")).type is ValueType.INVALID  # "1.5" is not Italian


class TestMachine:
    def test_numbers_use_a_dot_and_no_grouping(self):
        assert parse_value("1.284").machine() == "1284"
        assert parse_value("-25").machine() == "-25"
        assert parse_value("98,77%").machine() == "98.77"
        assert parse_value("€ 1.000,50").machine() in ("1000.5", "1000.50")
        assert D(parse_value("3,00").machine()) == D(3)
        assert "," not in parse_value("1.234.567,89").machine()

    def test_dates_are_iso(self):
        assert parse_value("30/06/2023").machine() == "2023-06-30"

    def test_flags_are_true_false(self):
        assert parse_value("SI").machine() == "true"
        assert parse_value("NO").machine() == "false"

    @pytest.mark.parametrize("text", ["NV", "", "monitoraggio", "00/01/1900", "abc"])
    def test_not_a_value_is_empty(self, text):
        assert parse_value(text).machine() == ""


# --- formatting ---------------------------------------------------------------------------


class TestFormatPct:
    @pytest.mark.parametrize(
        ("number", "text"),
        [
            (D(100), "100%"),
            (D("100.00"), "100%"),
            (D("98.77"), "98,77%"),
            (D("91.5"), "91,50%"),
            (D("0.00"), "0%"),
            (D("99.999"), "100%"),
            (D("66.666"), "66,67%"),
        ],
    )
    def test_examples(self, number, text):
        assert format_pct(number) == text

    def test_none_is_nv(self):
        assert format_pct(None) == "NV"

    def test_explicit_decimals(self):
        assert format_pct(D("91.67"), 0) == "92%"
        assert format_pct(D(100), 1) == "100,0%"


class TestFormatValue:
    @pytest.mark.parametrize(
        ("text", "canonical"),
        [
            ("1.284", "1.284"),
            ("1284", "1.284"),
            ("1,09", "1,09"),
            ("85,60%", "85,60%"),
            ("85,6 %", "85,6%"),
            ("-25", "-25"),
            ("€1.000", "€ 1.000"),
            ("1.000 €", "€ 1.000"),
            ("< 30", "<30"),
            ("≥40%", ">=40%"),
            ("1/7/2023", "01/07/2023"),
            ("si", "SI"),
            ("no", "NO"),
            ("n.v.", "NV"),
            ("MONITORAGGIO", "monitoraggio"),
            ("00/01/1900", "00/01/1900"),  # invalid: kept as written
            ("", ""),
        ],
    )
    def test_canonical_text(self, text, canonical):
        assert format_value(parse_value(text)) == canonical


# --- hypothesis: parsing and round trip ----------------------------------------------------


@st.composite
def italian_numbers(draw):
    """An Italian number as text, built independently of the code under test, with the
    Decimal it means."""
    integer = draw(st.integers(min_value=0, max_value=10**12))
    grouped = draw(st.booleans())
    int_text = f"{integer:,}".replace(",", ".") if grouped else str(integer)
    decimals = draw(st.integers(min_value=0, max_value=4))
    fraction = draw(st.text("0123456789", min_size=decimals, max_size=decimals))
    negative = draw(st.booleans())
    text = ("-" if negative else "") + int_text + ("," + fraction if decimals else "")
    number = D(("-" if negative else "") + str(integer) + ("." + fraction if decimals else ""))
    percent = draw(st.booleans())
    currency = not percent and draw(st.booleans())
    comparator = draw(st.sampled_from(["", "", "<", ">", "<=", ">="]))
    if percent:
        text += draw(st.sampled_from(["%", " %"]))
    if currency:
        text = draw(st.sampled_from(["€ ", "€"])) + text
    return comparator + text, number, decimals, percent, currency, comparator


@given(italian_numbers())
def test_parse_reads_any_italian_number(case):
    text, number, decimals, percent, currency, comparator = case
    value = parse_value(text)
    assert value.type is ValueType.NUMBER
    assert value.number == number
    assert value.decimals == decimals
    assert value.percent is percent
    assert value.currency is currency
    assert value.comparator == comparator


@given(italian_numbers())
def test_format_value_round_trips_numbers(case):
    text = case[0]
    value = parse_value(text)
    again = parse_value(format_value(value))
    assert again.type is ValueType.NUMBER
    assert again.number == value.number
    assert again.decimals == value.decimals
    assert (again.percent, again.currency, again.comparator) == (
        value.percent,
        value.currency,
        value.comparator,
    )


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_format_value_round_trips_dates(date):
    text = f"{date.day}/{date.month}/{date.year:04d}"
    value = parse_value(text)
    assert value.date == date
    again = parse_value(format_value(value))
    assert again.type is ValueType.DATE
    assert again.date == date


@given(st.booleans(), st.sampled_from(["", " ", "  "]))
def test_format_value_round_trips_flags(flag, pad):
    value = parse_value(pad + ("SI" if flag else "no") + pad)
    assert parse_value(format_value(value)).flag is flag


@given(st.text())
def test_parse_never_raises(text):
    value = parse_value(text)
    assert isinstance(value, Value)
    if value.type is ValueType.NUMBER:
        assert isinstance(value.number, Decimal)
    if value.type is ValueType.DATE:
        assert isinstance(value.date, dt.date)


def test_format_value_does_not_crash_on_long_numbers():
    text = "1" * 29
    value = parse_value(text)
    assert value.type is ValueType.NUMBER
    assert parse_value(format_value(value)).number == value.number


def test_format_date_round_trips_years_before_1000():
    value = parse_value("01/01/0999")
    assert value.type is ValueType.DATE
    assert parse_value(format_value(value)).date == dt.date(999, 1, 1)


# --- kinds and directions -----------------------------------------------------------------


class TestInference:
    @pytest.mark.parametrize(
        ("name", "target", "actual", "kind"),
        [
            ("Progetto: Turismo", "100%", "100%", Kind.PROJECT),
            ("progetto: x", "SI", "SI", Kind.PROJECT),
            ("Scarto documentazione", "31/12/2023", "15/11/2023", Kind.DEADLINE),
            ("Presidio", "SI", "SI", Kind.BOOLEAN),
            ("Grado di adesione", "40,0%", "60,3%", Kind.PERCENTAGE),
            ("Costo", "€ 1.000", "€ 900", Kind.CURRENCY),
            ("Tempo medio", "3,00", "2,60", Kind.RATIO),
            ("N. iniziative", "13", "14", Kind.NUMBER),
            ("Regolamento", "NV", "30/06/2023", Kind.DEADLINE),  # the actual decides
            ("Garbage", "abc", "abc", Kind.NUMBER),
        ],
    )
    def test_infer_kind(self, name, target, actual, kind):
        assert infer_kind(name, parse_value(target), parse_value(actual)) is kind

    @pytest.mark.parametrize(
        ("target", "direction"),
        [
            ("monitoraggio", Direction.MONITORING),
            ("<30", Direction.AT_MOST),
            ("<=30", Direction.AT_MOST),
            (">40%", Direction.AT_LEAST),
            (">=40%", Direction.AT_LEAST),
            ("30", Direction.HIGHER),
            ("30/06/2023", Direction.HIGHER),
        ],
    )
    def test_infer_direction(self, target, direction):
        assert infer_direction(parse_value(target)) is direction

    @pytest.mark.parametrize(
        ("kind", "text", "fits"),
        [
            (Kind.DEADLINE, "30/06/2023", True),
            (Kind.DEADLINE, "300", False),
            (Kind.NUMBER, "30/06/2023", False),
            (Kind.BOOLEAN, "SI", True),
            (Kind.PERCENTAGE, "SI", False),
            (Kind.PERCENTAGE, "85,60%", True),
            (Kind.CURRENCY, "1.000", True),
            (Kind.PROJECT, "100%", True),
            (Kind.PROJECT, "0%", True),
            (Kind.PROJECT, "120%", False),
            (Kind.PROJECT, "-5%", False),
            (Kind.NUMBER, "NV", False),
        ],
    )
    def test_value_fits_kind(self, kind, text, fits):
        assert value_fits_kind(kind, parse_value(text)) is fits


# --- realization --------------------------------------------------------------------------


class TestRealizationHigher:
    @pytest.mark.parametrize(
        ("kind", "target", "actual", "expected"),
        [
            (Kind.NUMBER, "13", "14", D(100)),  # capped
            (Kind.NUMBER, "300", "991", D(100)),
            (Kind.NUMBER, "12", "11", D("91.67")),
            (Kind.NUMBER, "3", "1", D("33.33")),
            (Kind.NUMBER, "3", "2", D("66.67")),
            (Kind.NUMBER, "10", "0", D(0)),
            (Kind.NUMBER, "10", "-5", D(0)),  # floor
            (Kind.NUMBER, "0", "0", D(100)),  # zero target reached
            (Kind.NUMBER, "0", "5", D(100)),
            (Kind.NUMBER, "0", "-1", D(0)),
            (Kind.NUMBER, "-10", "-5", D(100)),  # negative target exceeded
            (Kind.NUMBER, "-10", "-20", D(0)),
            (Kind.PERCENTAGE, "65,0%", "63,8%", D("98.15")),
            (Kind.PERCENTAGE, "80%", "93%", D(100)),
            (Kind.PERCENTAGE, "100%", "600%", D(100)),
            (Kind.RATIO, "1", "1,09", D(100)),
            (Kind.RATIO, "3,00", "1,50", D(50)),
            (Kind.CURRENCY, "€ 1.000", "€ 750", D(75)),
            (Kind.PROJECT, "100%", "98,77%", D("98.77")),
            (Kind.PROJECT, "100%", "100%", D(100)),
            (Kind.PROJECT, "80%", "40%", D(50)),
        ],
    )
    def test_examples(self, kind, target, actual, expected):
        assert r(kind, Direction.HIGHER, target, actual) == expected

    def test_result_has_two_decimals(self):
        assert r(Kind.NUMBER, Direction.HIGHER, "13", "14").as_tuple().exponent == -2
        assert r(Kind.NUMBER, Direction.HIGHER, "12", "11").as_tuple().exponent == -2

    def test_rounds_half_up(self):
        # 1/8 = 12.5%; 0.125 * 100 -> 12.50; 1/16 -> 6.25; 1/32 -> 3.125 -> 3.13 (half up)
        assert r(Kind.NUMBER, Direction.HIGHER, "32", "1") == D("3.13")
        assert r(Kind.NUMBER, Direction.HIGHER, "160", "1") == D("0.63")  # 0.625


class TestRealizationLower:
    @pytest.mark.parametrize(
        ("kind", "target", "actual", "expected"),
        [
            (Kind.NUMBER, "30", "-25", D(100)),
            (Kind.NUMBER, "30", "30", D(100)),
            (Kind.NUMBER, "10", "0", D(100)),  # zero actual, lower is better
            (Kind.NUMBER, "0", "0", D(100)),
            (Kind.NUMBER, "0", "5", D(0)),  # zero target missed
            (Kind.NUMBER, "-5", "5", D(0)),
            (Kind.NUMBER, "3", "4", D(75)),
            (Kind.NUMBER, "2", "3", D("66.67")),
            (Kind.NUMBER, "10", "1000", D(1)),
            (Kind.RATIO, "3,00", "2,60", D(100)),
            (Kind.PERCENTAGE, "50%", "34%", D(100)),
            (Kind.PERCENTAGE, "10%", "0%", D(100)),
            (Kind.PERCENTAGE, "10%", "20%", D(50)),
            (Kind.CURRENCY, "€ 1.000", "€ 1.250", D(80)),
            (Kind.PROJECT, "20%", "40%", D(50)),
        ],
    )
    def test_examples(self, kind, target, actual, expected):
        assert r(kind, Direction.LOWER, target, actual) == expected


class TestRealizationThresholds:
    @pytest.mark.parametrize(
        ("kind", "direction", "target", "actual", "expected"),
        [
            (Kind.NUMBER, Direction.AT_MOST, "<30", "5", D(100)),
            (Kind.NUMBER, Direction.AT_MOST, "<30", "29,99", D(100)),
            (Kind.NUMBER, Direction.AT_MOST, "<30", "30", D(0)),  # strict: 30 is not < 30
            (Kind.NUMBER, Direction.AT_MOST, "<30", "31", D(0)),
            (Kind.NUMBER, Direction.AT_MOST, "<=30", "30", D(100)),
            (Kind.NUMBER, Direction.AT_MOST, "<=30", "30,01", D(0)),
            (Kind.NUMBER, Direction.AT_MOST, "30", "30", D(100)),  # no comparator: <=
            (Kind.NUMBER, Direction.AT_MOST, "30", "31", D(0)),
            (Kind.PERCENTAGE, Direction.AT_LEAST, ">40%", "48,75%", D(100)),
            (Kind.PERCENTAGE, Direction.AT_LEAST, ">40%", "40%", D(0)),  # strict
            (Kind.PERCENTAGE, Direction.AT_LEAST, ">40%", "39%", D(0)),
            (Kind.PERCENTAGE, Direction.AT_LEAST, ">=40%", "40%", D(100)),
            (Kind.PERCENTAGE, Direction.AT_LEAST, "40%", "40%", D(100)),  # no comparator: >=
            (Kind.PERCENTAGE, Direction.AT_LEAST, "40%", "39,99%", D(0)),
            (Kind.CURRENCY, Direction.AT_MOST, "<€ 1.000", "€ 999", D(100)),
            (Kind.RATIO, Direction.AT_LEAST, ">1,50", "1,51", D(100)),
            (Kind.PROJECT, Direction.AT_LEAST, ">=50%", "49%", D(0)),
        ],
    )
    def test_met_or_not(self, kind, direction, target, actual, expected):
        assert r(kind, direction, target, actual) == expected


class TestRealizationDeadline:
    def test_met_before_the_date(self):
        assert r(Kind.DEADLINE, Direction.HIGHER, "30/06/2023", "30/03/2023") == D(100)

    def test_met_on_the_date(self):
        assert r(Kind.DEADLINE, Direction.HIGHER, "31/03/2023", "31/03/2023") == D(100)

    def test_missed_by_one_day(self):
        assert r(Kind.DEADLINE, Direction.HIGHER, "30/04/2023", "01/05/2023") == D(0)

    def test_missed_uses_the_configured_pct(self):
        missed = r(
            Kind.DEADLINE,
            Direction.HIGHER,
            "30/10/2023",
            "28/11/2023",
            missed_deadline_pct=D(50),
        )
        assert missed == D(50)
        assert missed.as_tuple().exponent == -2

    def test_configured_pct_does_not_touch_met_deadlines(self):
        met = r(
            Kind.DEADLINE, Direction.HIGHER, "30/10/2023", "01/10/2023", missed_deadline_pct=D(50)
        )
        assert met == D(100)

    def test_configured_pct_is_capped(self):
        assert r(
            Kind.DEADLINE, Direction.HIGHER, "30/10/2023", "28/11/2023", missed_deadline_pct=D(150)
        ) == D(100)

    @pytest.mark.parametrize("direction", [d for d in Direction if d is not Direction.MONITORING])
    def test_every_valued_direction_reads_a_deadline_the_same_way(self, direction):
        assert r(Kind.DEADLINE, direction, "30/06/2023", "30/03/2023") == D(100)
        assert r(Kind.DEADLINE, direction, "30/06/2023", "01/07/2023") == D(0)

    def test_a_date_against_a_number_is_not_valued(self):
        # "Avvio seconda tranche ...": actual 17/05/2023, target 300 (line 2095 of the document)
        assert r(Kind.NUMBER, Direction.HIGHER, "300", "17/05/2023") is None
        assert r(Kind.DEADLINE, Direction.HIGHER, "300", "17/05/2023") is None
        assert r(Kind.DEADLINE, Direction.HIGHER, "30/06/2023", "300") is None


class TestRealizationBoolean:
    @pytest.mark.parametrize("direction", [d for d in Direction if d is not Direction.MONITORING])
    @pytest.mark.parametrize(
        ("target", "actual", "expected"),
        [("SI", "SI", D(100)), ("SI", "NO", D(0)), ("NO", "NO", D(100)), ("NO", "SI", D(0))],
    )
    def test_yes_no(self, direction, target, actual, expected):
        assert r(Kind.BOOLEAN, direction, target, actual) == expected

    def test_a_number_is_not_a_flag(self):
        assert r(Kind.BOOLEAN, Direction.HIGHER, "SI", "1") is None
        assert r(Kind.BOOLEAN, Direction.HIGHER, "1", "SI") is None


class TestRealizationNotValued:
    VALID = {
        Kind.NUMBER: ("10", "8"),
        Kind.PERCENTAGE: ("80%", "70%"),
        Kind.RATIO: ("1,00", "0,90"),
        Kind.CURRENCY: ("€ 1.000", "€ 900"),
        Kind.PROJECT: ("100%", "90%"),
        Kind.DEADLINE: ("30/06/2023", "30/05/2023"),
        Kind.BOOLEAN: ("SI", "SI"),
        Kind.QUALITATIVE: ("ottimo", "buono"),  # levels of the default scale
    }

    @pytest.mark.parametrize(("kind", "direction"), list(product(Kind, Direction)))
    def test_every_kind_and_direction(self, kind, direction):
        target, actual = self.VALID[kind]
        result = r(kind, direction, target, actual)
        if direction is Direction.MONITORING:
            assert result is None
        else:
            assert result is not None
            assert D(0) <= result <= D(100)
        # whatever the kind and direction, a missing / NV / invalid figure is never valued
        for bad in ("", "NV", "00/01/1900", "abc", "monitoraggio"):
            assert r(kind, direction, target, bad) is None
            assert r(kind, direction, bad, actual) is None

    @pytest.mark.parametrize(
        ("kind", "wrong"),
        [
            (Kind.NUMBER, "30/06/2023"),
            (Kind.NUMBER, "SI"),
            (Kind.PERCENTAGE, "SI"),
            (Kind.RATIO, "30/06/2023"),
            (Kind.CURRENCY, "NO"),
            (Kind.PROJECT, "120%"),
            (Kind.DEADLINE, "SI"),
            (Kind.DEADLINE, "15"),
            (Kind.BOOLEAN, "100%"),
            (Kind.BOOLEAN, "30/06/2023"),
        ],
    )
    def test_value_of_the_wrong_type_for_the_kind(self, kind, wrong):
        target, actual = self.VALID[kind]
        assert r(kind, Direction.HIGHER, target, wrong) is None
        assert r(kind, Direction.HIGHER, wrong, actual) is None

    def test_monitoring_ignores_valid_figures(self):
        assert r(Kind.NUMBER, Direction.MONITORING, "10", "10") is None
        assert r(Kind.NUMBER, Direction.HIGHER, "monitoraggio", "0") is None

    def test_kind_and_direction_may_be_plain_strings(self):
        # the models store them as text
        assert realization("number", "lower", parse_value("3"), parse_value("4")) == D(75)
        with pytest.raises(ValueError):
            realization("nonsense", "higher", parse_value("3"), parse_value("4"))


# --- hypothesis: realization --------------------------------------------------------------

numbers = st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False)


@st.composite
def any_values(draw):
    choice = draw(st.integers(0, 5))
    if choice == 0:
        n = draw(numbers)
        pct = draw(st.booleans())
        cmp = draw(st.sampled_from(["", "<", ">", "<=", ">="]))
        return Value(str(n), ValueType.NUMBER, number=n, percent=pct, comparator=cmp)
    if choice == 1:
        return Value("d", ValueType.DATE, date=draw(st.dates()))
    if choice == 2:
        return Value("b", ValueType.BOOLEAN, flag=draw(st.booleans()))
    return Value("x", draw(st.sampled_from([ValueType.NV, ValueType.EMPTY, ValueType.INVALID])))


@given(
    st.sampled_from(Kind),
    st.sampled_from(Direction),
    any_values(),
    any_values(),
    st.decimals(min_value=0, max_value=100, places=2),
)
def test_realization_is_none_or_a_two_decimal_pct(kind, direction, target, actual, missed):
    result = realization(kind, direction, target, actual, missed_deadline_pct=missed)
    if result is not None:
        assert D(0) <= result <= D(100)
        assert result.as_tuple().exponent == -2


def _num(n):
    return Value(str(n), ValueType.NUMBER, number=n)


@given(
    st.sampled_from([Kind.NUMBER, Kind.PERCENTAGE, Kind.RATIO, Kind.CURRENCY]),
    st.sampled_from([d for d in Direction if d is not Direction.MONITORING]),
    numbers,
    numbers,
    st.sampled_from(["", "<", ">", "<=", ">="]),
)
def test_numeric_realization_is_always_valued_within_bounds(kind, direction, t, a, cmp):
    target = Value("t", ValueType.NUMBER, number=t, comparator=cmp)
    result = realization(kind, direction, target, _num(a))
    assert result is not None
    assert D(0) <= result <= D(100)
    assert result.as_tuple().exponent == -2


@given(st.sampled_from([Kind.NUMBER, Kind.RATIO, Kind.CURRENCY]), numbers, numbers, numbers)
def test_higher_is_monotone_non_decreasing_in_actual(kind, target, a1, a2):
    low, high = sorted((a1, a2))
    assert realization(kind, Direction.HIGHER, _num(target), _num(low)) <= realization(
        kind, Direction.HIGHER, _num(target), _num(high)
    )


@given(st.sampled_from([Kind.NUMBER, Kind.RATIO, Kind.CURRENCY]), numbers, numbers, numbers)
def test_lower_is_monotone_non_increasing_in_actual(kind, target, a1, a2):
    low, high = sorted((a1, a2))
    assert realization(kind, Direction.LOWER, _num(target), _num(low)) >= realization(
        kind, Direction.LOWER, _num(target), _num(high)
    )


@given(numbers, numbers, numbers, st.sampled_from(["", "<", "<="]))
def test_at_most_is_monotone_non_increasing_in_actual(target, a1, a2, cmp):
    low, high = sorted((a1, a2))
    t = Value("t", ValueType.NUMBER, number=target, comparator=cmp)
    assert realization(Kind.NUMBER, Direction.AT_MOST, t, _num(low)) >= realization(
        Kind.NUMBER, Direction.AT_MOST, t, _num(high)
    )


@given(numbers, numbers, numbers, st.sampled_from(["", ">", ">="]))
def test_at_least_is_monotone_non_decreasing_in_actual(target, a1, a2, cmp):
    low, high = sorted((a1, a2))
    t = Value("t", ValueType.NUMBER, number=target, comparator=cmp)
    assert realization(Kind.NUMBER, Direction.AT_LEAST, t, _num(low)) <= realization(
        Kind.NUMBER, Direction.AT_LEAST, t, _num(high)
    )


@given(
    st.decimals(min_value=D("0.001"), max_value=10**6, places=3),
    st.decimals(min_value=0, max_value=10**6, places=3),
)
def test_higher_with_positive_target_is_the_ratio_rounded_half_up(target, actual):
    exact = Fraction(actual) / Fraction(target) * 100
    clamped = min(max(exact, Fraction(0)), Fraction(100))
    cents = math.floor(clamped * 100 + Fraction(1, 2))  # half up, exactly
    assert realization(Kind.NUMBER, Direction.HIGHER, _num(target), _num(actual)) == D(
        cents
    ).scaleb(-2)


# --- declared_matches ---------------------------------------------------------------------


class TestDeclaredMatches:
    @pytest.mark.parametrize(
        ("computed", "declared", "matches"),
        [
            (D("91.67"), "92%", True),  # 11 vs 12, printed 92%
            (D("91.67"), "91%", False),
            (D("98.15"), "98%", True),  # 63,8% vs 65,0%, printed 98%
            (D("98.15"), "98,15%", True),
            (D("98.15"), "98,2%", True),
            (D("98.15"), "98,1%", False),
            (D("98.77"), "98,77%", True),
            (D("98.77"), "98,78%", False),
            (D("99.50"), "100%", True),  # half up at the declared precision
            (D("98.50"), "99%", True),  # half up, not half even
            (D("98.45"), "98,5%", True),
            (D("98.45"), "98,4%", False),
            (D("99.49"), "100%", False),
            (D("100.00"), "100%", True),
            (D("0.00"), "0%", True),
            (D("100.00"), "NV", False),
            (D("100.00"), "", False),
            (D("100.00"), "SI", False),
            (D("100.00"), "30/06/2023", False),
            (None, "NV", True),
            (None, "", True),
            (None, "monitoraggio", True),
            (None, "100%", False),
            (None, "0%", False),
        ],
    )
    def test_examples(self, computed, declared, matches):
        assert declared_matches(computed, parse_value(declared)) is matches


# --- weighted_mean ------------------------------------------------------------------------


class TestWeightedMean:
    def test_plain_mean(self):
        assert weighted_mean([(D(100), D(1)), (D(50), D(1))]) == D(75)

    def test_weights_are_honoured(self):
        assert weighted_mean([(D(100), D(3)), (D(0), D(1))]) == D(75)
        assert weighted_mean([(D(100), D("0.5")), (D(40), D("1.5"))]) == D(55)

    def test_none_values_are_ignored(self):
        assert weighted_mean([(D(80), D(1)), (None, D(5)), (D(60), D(1))]) == D(70)

    def test_zero_and_negative_weights_are_ignored(self):
        assert weighted_mean([(D(80), D(1)), (D(0), D(0)), (D(10), D(-1))]) == D(80)

    def test_none_weight_is_ignored(self):
        assert weighted_mean([(D(80), D(1)), (D(0), None)]) == D(80)

    def test_nothing_valued_is_none(self):
        assert weighted_mean([]) is None
        assert weighted_mean([(None, D(1)), (D(90), D(0))]) is None

    def test_rounded_half_up_to_two_decimals(self):
        result = weighted_mean([(D(100), D(1)), (D(0), D(2))])  # 33.333...
        assert result == D("33.33")
        assert result.as_tuple().exponent == -2
        assert weighted_mean([(D("0.01"), D(1)), (D("0.02"), D(1))]) == D("0.02")  # 0.015

    def test_accepts_a_generator(self):
        assert weighted_mean((D(v), D(1)) for v in (10, 20, 30)) == D(20)


realizations = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2))
weights = st.one_of(
    st.none(), st.just(D(0)), st.decimals(min_value=D("-5"), max_value=10**3, places=3)
)
items = st.lists(st.tuples(realizations, weights), max_size=25)


def _valued(pairs):
    return [(v, w) for v, w in pairs if v is not None and w is not None and w > 0]


@given(items)
def test_weighted_mean_lies_between_min_and_max(pairs):
    valued = _valued(pairs)
    result = weighted_mean(pairs)
    if not valued:
        assert result is None
    else:
        values = [v for v, _ in valued]
        assert min(values) <= result <= max(values)


@given(items)
def test_weighted_mean_matches_exact_arithmetic(pairs):
    valued = _valued(pairs)
    assume(valued)
    exact = sum(Fraction(v) * Fraction(w) for v, w in valued) / sum(Fraction(w) for _, w in valued)
    expected = (D(exact.numerator) / D(exact.denominator)).quantize(
        D("0.01"), rounding=ROUND_HALF_UP
    )
    assert weighted_mean(pairs) == expected


@given(st.data(), items)
def test_weighted_mean_is_permutation_invariant(data, pairs):
    shuffled = data.draw(st.permutations(pairs))
    assert weighted_mean(shuffled) == weighted_mean(pairs)


# --- bands --------------------------------------------------------------------------------


class TestBands:
    @pytest.mark.parametrize(
        ("value", "band"),
        [
            (D(100), Band.ACHIEVED),
            (D(90), Band.ACHIEVED),
            (D("89.99"), Band.PARTIAL),
            (D(60), Band.PARTIAL),
            (D("59.99"), Band.NOT_ACHIEVED),
            (D(0), Band.NOT_ACHIEVED),
            (None, Band.NV),
        ],
    )
    def test_defaults_are_90_and_60(self, value, band):
        assert Bands().band(value) is band

    @pytest.mark.parametrize(
        ("value", "band"),
        [
            (D(80), Band.ACHIEVED),
            (D("79.99"), Band.PARTIAL),
            (D(50), Band.PARTIAL),
            (D("49.99"), Band.NOT_ACHIEVED),
        ],
    )
    def test_custom_thresholds(self, value, band):
        assert Bands(achieved_from=D(80), partial_from=D(50)).band(value) is band

    def test_equal_thresholds_leave_no_partial_band(self):
        bands = Bands(achieved_from=D(70), partial_from=D(70))
        assert bands.band(D(70)) is Band.ACHIEVED
        assert bands.band(D("69.99")) is Band.NOT_ACHIEVED

    @pytest.mark.parametrize(
        ("value", "below"),
        [(D("99.99"), True), (D(0), True), (D(100), False), (None, False)],
    )
    def test_is_below_target(self, value, below):
        assert is_below_target(value) is below


# --- a threshold target under an explicit polarity (issue 17) --------------------------------


@given(
    st.sampled_from([Kind.NUMBER, Kind.PERCENTAGE, Kind.RATIO, Kind.CURRENCY]),
    st.sampled_from([Direction.HIGHER, Direction.LOWER]),
    numbers,
    numbers,
    st.sampled_from(["<", ">", "<=", ">="]),
    st.booleans(),
)
def test_a_threshold_target_is_scored_by_the_threshold_rule_whatever_the_polarity(
    kind, direction, t, a, cmp, proportional
):
    """«≥ 60» under «higher» (or «lower») scores as it does under «sopra/sotto la soglia»:
    the comparison written decides, and the body's threshold rule applies."""
    target = Value("t", ValueType.NUMBER, number=t, comparator=cmp)
    as_threshold = Direction.AT_LEAST if cmp.startswith(">") else Direction.AT_MOST
    assert realization(kind, direction, target, _num(a), proportional=proportional) == (
        realization(kind, as_threshold, target, _num(a), proportional=proportional)
    )


@pytest.mark.parametrize(
    ("direction", "proportional", "expected"),
    [
        (Direction.HIGHER, False, D("0.00")),
        (Direction.HIGHER, True, D("93.33")),
        (Direction.LOWER, False, D("0.00")),
        (Direction.AT_LEAST, True, D("93.33")),
    ],
)
def test_at_least_sixty_with_56_follows_the_threshold_rule(direction, proportional, expected):
    target = parse_value("≥ 60")
    assert realization(Kind.NUMBER, direction, target, _num(D(56)), proportional=proportional) == (
        expected
    )
    assert realization(Kind.NUMBER, direction, target, _num(D(61))) == D("100.00")
