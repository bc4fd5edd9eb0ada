"""lib.formulas: a person's text never opens as a formula in a spreadsheet."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from lib.formulas import FORMULA_PREFIXES, as_text_cell, escape_formula
from lib.italian import format_decimal


class TestEscapeFormula:
    @pytest.mark.parametrize(
        "text",
        [
            '=HYPERLINK("http://example.com","x")',
            "=1+1",
            "+cmd|' /C calc'!A0",
            "@SUM(1+1)",
            "\tTAB",
            "\r=1",
            "-1+2",
            "-",
            "+39 035 4225111",
            "=5",
            "\t-25",
        ],
    )
    def test_dangerous_text_gets_an_apostrophe(self, text):
        assert escape_formula(text) == "'" + text

    @pytest.mark.parametrize(
        "text", ["-25", "-0,5%", "+5", "-1.284", "", "abc", "Progetto: Turismo", "100%"]
    )
    def test_plain_values_are_untouched(self, text):
        assert escape_formula(text) == text


@given(st.text())
def test_an_escaped_text_never_starts_a_formula_unless_it_is_a_signed_number(text):
    escaped = escape_formula(text)
    assert escaped in (text, "'" + text)
    if escaped.startswith(FORMULA_PREFIXES):
        assert escaped[0] in "+-" and any(c.isdigit() for c in escaped)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3))
def test_negative_numbers_stay_numbers(number):
    text = format_decimal(number)
    assert escape_formula(text) == text


def test_a_text_cell_starting_with_equals_stays_text():
    cell = Workbook().active["A1"]
    as_text_cell(cell, "=SUM(A2:A3)")
    assert (cell.value, cell.data_type) == ("=SUM(A2:A3)", "s")
