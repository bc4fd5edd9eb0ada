"""A context table pasted from a spreadsheet, and back: resources.context, without a database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resources.context import (
    ParsedTable,
    ParseError,
    empty_values,
    format_cell,
    format_table,
    parse_cell,
    parse_table,
    table_size,
)

# The labour-force table of the 2023 demo as a spreadsheet copies it (tabs, Italian numbers).
LABOUR = (
    "Valori medi annui (migliaia)\t2022\t2023\n"
    "Popolazione in età lavorativa (15 anni e più)\t946,5\t951,3\n"
    "Forze lavoro\t505,8\t505,7\n"
    "- occupati (15-89 anni)\t488,7\t491,0\n"
    "Tasso di attività (15-64 anni)\t70,0%\t69,8%\n"
)


def test_a_spreadsheet_paste_becomes_headers_and_rows():
    table = parse_table(LABOUR)
    assert table.columns == ["Valori medi annui (migliaia)", "2022", "2023"]
    assert table.rows[0] == ["Popolazione in età lavorativa (15 anni e più)", 946.5, 951.3]
    assert table.rows[2] == ["- occupati (15-89 anni)", 488.7, 491.0]
    assert table.rows[3] == ["Tasso di attività (15-64 anni)", 70.0, 69.8]
    assert len(table.rows) == 4


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.284", 1284),
        ("4884", 4884),
        ("-68", -68),
        ("-1,4", -1.4),
        ("\u22121,4", -1.4),  # the minus sign some sheets copy
        ("0,5", 0.5),
        ("9,4%", 9.4),
        ("9,4 %", 9.4),
        ("1.234.567,25", 1234567.25),
        ("0,0", 0.0),
        ("  12  ", 12),
        ("", None),
        ("   ", None),
        ("n.d.", "n.d."),
        ("-", "-"),
        ("2021/22", "2021/22"),
    ],
)
def test_cells(text, value):
    parsed = parse_cell(text)
    assert parsed == value
    assert type(parsed) is type(value)


def test_a_number_written_with_decimals_stays_a_float_even_when_integral():
    # 491,0 prints "491,0" in the Relazione, as the source wrote it: not "491".
    assert isinstance(parse_cell("491,0"), float)
    assert isinstance(parse_cell("491"), int)


@pytest.mark.parametrize("text", ["2.6", "1,284.5", "1.28", "12.3456", "1.2.3", ",5"])
def test_a_number_not_written_the_italian_way_is_an_error(text):
    with pytest.raises(ValueError, match="non è un numero scritto all'italiana"):
        parse_cell(text)


def test_semicolon_csv_is_read_too():
    table = parse_table("Settore;Imprese;Quota %\nAgricoltura;4.884;5,3\nServizi;n.d.;\n")
    assert table == ParsedTable(
        ["Settore", "Imprese", "Quota %"], [["Agricoltura", 4884, 5.3], ["Servizi", "n.d.", None]]
    )


def test_with_tabs_a_semicolon_belongs_to_the_cell():
    table = parse_table("Voce\tValore\nAcqua; reti fognarie\t202\n")
    assert table.rows == [["Acqua; reti fognarie", 202]]


def test_empty_lines_and_windows_line_ends_are_ignored():
    table = parse_table("\r\nA\tB\r\n\r\nx\t1\r\n\t\r\ny\t2\r\n\r\n")
    assert table.rows == [["x", 1], ["y", 2]]


def test_the_first_cell_is_a_label_even_when_it_looks_like_a_number():
    assert parse_table("Anno\tValore\n2023\t1,5\n").rows == [["2023", 1.5]]


def test_wrong_cell_counts_are_named_by_line_all_at_once():
    text = "A\tB\tC\nx\t1\t2\ny\t1\n\nz\t1\t2\t3\tx\n"
    with pytest.raises(ParseError) as info:
        parse_table(text)
    assert info.value.errors == [
        "Riga 3: 2 celle, ne servono 3.",
        "Riga 5: 5 celle, ne servono 3.",
    ]


def test_the_eight_column_table_message_of_the_brief():
    header = "\t".join(f"C{i}" for i in range(8))
    text = f"{header}\nr\t1\t2\t3\t4\t5\t6\t7\nr\t1\t2\n\ns\t1\t2\t3\t4\t5\n"
    with pytest.raises(ParseError) as info:
        parse_table(text)
    assert info.value.errors == ["Riga 3: 3 celle, ne servono 8.", "Riga 5: 6 celle, ne servono 8."]


def test_bad_numbers_name_line_and_column():
    with pytest.raises(ParseError) as info:
        parse_table("Voce\t2022\t2023\nx\t2.6\t1\n")
    [error] = info.value.errors
    assert error.startswith("Riga 2, colonna «2022»: «2.6» non è un numero")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "La tabella è vuota"),
        ("\n \n\t\n", "La tabella è vuota"),
        ("A\tB\n", "solo le intestazioni"),
        ("Solo una colonna\nx\n", "una sola colonna"),
        ("A\tB\n\t3\n", "Riga 2: manca l'etichetta"),
        ("A\tB\n" + "x" * 251 + "\t1\n", "più di 250 caratteri"),
    ],
)
def test_tables_that_cannot_be_stored(text, message):
    with pytest.raises(ParseError, match=message):
        parse_table(text)


def test_format_writes_italian_numbers_with_their_decimals():
    assert format_cell(4884) == "4.884"
    assert format_cell(-1234567) == "-1.234.567"
    assert format_cell(9.4) == "9,4"
    assert format_cell(491.0) == "491,0"
    assert format_cell(-0.5) == "-0,5"
    assert format_cell(1e16) == "10.000.000.000.000.000,0"
    assert format_cell(None) == ""
    assert format_cell("n.d.") == "n.d."
    assert format_table(["Voce", "2023"], [["Forze lavoro", 505.7], ["Vuota", None]]) == (
        "Voce\t2023\nForze lavoro\t505,7\nVuota\t\n"
    )


def test_the_demo_tables_survive_the_round_trip():
    rows = [["A Agricoltura, silvicoltura pesca", 4884, 4834, -68, -1.4, 0.0]]
    columns = ["Sezioni Ateco", "Registrate", "Attive", "Variazione", "Var. %", "Altro"]
    assert parse_table(format_table(columns, rows)) == ParsedTable(columns, rows)


def test_structure_and_size():
    assert empty_values([["a", 1, 2.5], ["b", "n.d.", None]]) == [["a", None, None]] * 1 + [
        ["b", None, None]
    ]
    assert table_size(["a", "b"], [["x", 1]]) == "1 riga × 2 colonne"
    assert table_size(["a", "b", "c"], [[], []]) == "2 righe × 3 colonne"


# --- Round trip: what the edit form shows is read back as the same table ---------------------

_printable = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
_text = st.text(_printable, min_size=1, max_size=40).map(str.strip).filter(bool)
# Text cells that the parser keeps as text: not number-like.
_words = _text.filter(lambda s: not any(ch.isdigit() for ch in s))
_values = st.one_of(
    st.none(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    _words,
)
# Cells with tabs, newlines and quotes inside: quoted the way spreadsheets quote them.
_awkward = st.sampled_from(['Acqua; reti "fognarie"', "a\tcapo", "due\nrighe", '"citato"'])


@st.composite
def tables(draw):
    width = draw(st.integers(min_value=2, max_value=8))
    columns = draw(st.lists(st.one_of(_text, st.just("")), min_size=width, max_size=width))
    columns[0] = draw(st.one_of(_text, _awkward))  # a header line is never blank
    rows = draw(
        st.lists(
            st.tuples(
                st.one_of(_text, _awkward),
                st.lists(_values, min_size=width - 1, max_size=width - 1),
            ).map(lambda r: [r[0], *r[1]]),
            min_size=1,
            max_size=12,
        )
    )
    return columns, rows


@given(tables())
def test_format_then_parse_gives_the_table_back(table):
    columns, rows = table
    parsed = parse_table(format_table(columns, rows))
    assert parsed.columns == columns
    assert parsed.rows == rows
    # Same types too: 491.0 stays a float, 491 an int.
    assert [[type(v) for v in row] for row in parsed.rows] == [
        [type(v) for v in row] for row in rows
    ]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_float_comes_back_exactly(value):
    assert parse_cell(format_cell(value)) == value
    assert isinstance(parse_cell(format_cell(value)), float)


@given(st.integers())
def test_every_int_comes_back_exactly(value):
    assert parse_cell(format_cell(value)) == value
