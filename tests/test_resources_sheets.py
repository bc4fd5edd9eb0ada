"""resources.sheets without the database: cells, rows, cross-sheet checks, diff, fingerprint.

No test here asks for the ``db`` fixture, so pytest-django refuses any query: the module is
pure by construction."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.italian import format_decimal
from lib.xlsx import Sheet
from resources import sheets
from resources.sheets import CellError, Kind

SPEC = sheets.SHEETS_BY_TITLE
MONEY = SPEC[sheets.BUDGET].column("forecast")
INTERVENTION_COST = SPEC[sheets.INTERVENTIONS].column("actual")
RATIO = SPEC[sheets.RATIOS].column("value")
COUNT = SPEC[sheets.HEADCOUNTS].column("count")
YEAR = SPEC[sheets.HEADCOUNTS].column("year")
GENDER = SPEC[sheets.HEADCOUNTS].column("gender")
LABEL = SPEC[sheets.INTERVENTIONS].column("label")
NOTE = SPEC[sheets.CATEGORIES].column("establishment_note")


def raw(title, *rows, header=None):
    """A sheet as the workbook reader gives it: rows numbered from 2 like Excel's."""
    return Sheet(
        header=header if header is not None else SPEC[title].headers,
        rows=[(number, list(cells)) for number, cells in enumerate(rows, start=2)],
    )


def read(*sheet_list, current=None, year=2024):
    return sheets.read_upload(dict(sheet_list), year=year, current=current or {})


CATEGORIES = (
    sheets.CATEGORIES,
    raw(sheets.CATEGORIES, ["Dirigenti", "3", ""], ["Funzionari", "", ""]),
)


# --- Numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.284,50", Decimal("1284.50")),
        ("98,77", Decimal("98.77")),
        ("-8.680", Decimal("-8680")),
        ("12765200", Decimal("12765200")),
        ("€ 1.000", Decimal("1000")),
        ("1 284,5", Decimal("1284.5")),
        (1284.5, Decimal("1284.5")),
        (7, Decimal(7)),
    ],
)
def test_parse_number_reads_italian_text_and_numeric_cells(text, expected):
    assert sheets.parse_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "1.28", "1,2,3", "1.284.50", "12,", "=A1*2", "-", "1e3"])
def test_parse_number_refuses_what_is_not_an_italian_number(text):
    with pytest.raises(CellError):
        sheets.parse_number(text)


def test_a_formula_in_a_number_column_is_refused_not_evaluated():
    with pytest.raises(CellError, match="formule"):
        sheets.parse_cell(MONEY, "=1+1")


def test_percent_sign_only_where_a_decimal_figure_is_expected():
    assert sheets.parse_cell(RATIO, "4,38%") == Decimal("4.38")
    with pytest.raises(CellError):
        sheets.parse_cell(MONEY, "4,38%")


money_values = st.decimals(
    min_value=Decimal("-99999999999999.99"),
    max_value=Decimal("99999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(money_values)
def test_money_round_trip_format_then_parse(value):
    text = sheets.format_value(MONEY, value)
    assert sheets.parse_cell(MONEY, text) == value


@given(
    st.decimals(
        min_value=Decimal("-999999999999.9999"),
        max_value=Decimal("999999999999.9999"),
        places=4,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_decimal_round_trip_format_then_parse(value):
    text = sheets.format_value(RATIO, value)
    assert sheets.parse_cell(RATIO, text) == value
    assert "." not in text.partition(",")[2]  # Italian: the comma separates the decimals


@given(st.integers(min_value=0, max_value=9_999_999_999))
def test_count_round_trip_format_then_parse(value):
    text = sheets.format_value(COUNT, value)
    assert sheets.parse_cell(COUNT, text) == value


@given(st.decimals(allow_nan=False, allow_infinity=False, places=6))
def test_any_number_round_trips_through_its_italian_text(value):
    assert sheets.parse_number(format_decimal(value)) == value


# --- Cells ----------------------------------------------------------------------------------


def test_text_starting_with_equals_is_kept_as_text():
    assert sheets.parse_cell(LABEL, "=SOMMA(A1:A3)") == "=SOMMA(A1:A3)"


def test_empty_optional_cells_are_none_or_empty_text():
    assert sheets.parse_cell(MONEY, "") is None
    assert sheets.parse_cell(MONEY, None) is None
    assert sheets.parse_cell(NOTE, "  ") == ""


def test_required_cells_must_be_filled():
    with pytest.raises(CellError, match="obbligatorio"):
        sheets.parse_cell(INTERVENTION_COST, "")


@pytest.mark.parametrize(
    ("column", "text", "reason"),
    [
        (MONEY, "1,234", "più di 2 decimali"),
        (COUNT, "2,5", "non è un numero intero"),
        (COUNT, "-1", "negativo"),
        (INTERVENTION_COST, "-10", "negativo"),
        (MONEY, "1.000.000.000.000.000", "troppo grande"),
        (YEAR, "2021", "2024 o 2023"),
        (GENDER, "Altro", "«Donne», «Uomini»"),
        (LABEL, "x" * 201, "troppo lungo"),
    ],
)
def test_bad_cells_say_why(column, text, reason):
    with pytest.raises(CellError, match=reason):
        sheets.parse_cell(column, text, year=2024)


def test_choices_by_italian_label_or_code_in_any_case():
    assert sheets.parse_cell(GENDER, "donne") == "F"
    assert sheets.parse_cell(GENDER, "M") == "M"
    group = SPEC[sheets.BUDGET].column("group")
    assert sheets.parse_cell(group, "B) Oneri correnti") == "B"
    assert sheets.format_value(group, "B") == "B) Oneri correnti"


def test_years_print_without_thousands_separator_and_counts_with():
    assert sheets.format_value(YEAR, 2024) == "2024"
    assert sheets.format_value(COUNT, 1284) == "1.284"
    assert sheets.parse_cell(YEAR, "2.024", year=2024) == 2024  # a numeric cell's text


# --- Sheets and rows ------------------------------------------------------------------------


def test_a_valid_upload_gives_typed_rows_and_lists_the_sheets_left_out():
    upload = read(
        (
            sheets.HOLDINGS,
            raw(sheets.HOLDINGS, ["ALFA S.p.A.", "1.000.000,00", "10.000"], ["", "", ""]),
        )
    )
    assert upload.errors == []
    assert upload.rows == {
        sheets.HOLDINGS: [
            {
                "company": "ALFA S.p.A.",
                "share_capital": Decimal("1000000.00"),
                "nominal_value": Decimal("10000"),
            }
        ]
    }
    assert sheets.HOLDINGS not in upload.missing
    assert set(upload.missing) == {s.title for s in sheets.SHEETS} - {sheets.HOLDINGS}


def test_unknown_sheet_is_an_error_the_instructions_sheet_is_not():
    upload = read(
        (sheets.FTE, raw(sheets.FTE, ["2024", "80,5"])),
        ("Foglio1", Sheet(header=[], rows=[])),
        (sheets.INSTRUCTIONS_SHEET, Sheet(header=["x"], rows=[])),
    )
    assert upload.errors == [
        "Il foglio «Foglio1» non è previsto: rinominarlo o toglierlo. Fogli ammessi: "
        + ", ".join(f"«{s.title}»" for s in sheets.SHEETS)
        + "."
    ]


def test_a_file_with_none_of_the_sheets_is_an_error():
    upload = read((sheets.INSTRUCTIONS_SHEET, Sheet(header=[], rows=[])))
    assert upload.errors == [
        "Il file non contiene nessuno dei fogli del modello: usare il file scaricato da "
        "questa pagina."
    ]


def test_missing_and_unknown_headers_are_errors():
    header = ["Anno", "Indice FTE"]
    upload = read((sheets.FTE, raw(sheets.FTE, ["2024", "80"], header=header)))
    assert upload.errors == [
        "Foglio «FTE»: intestazioni non previste: «Indice FTE».",
        "Foglio «FTE»: mancano le intestazioni «FTE (full time equivalent)» (usare il "
        "modello scaricato da questa pagina).",
    ]


def test_columns_are_found_by_header_in_any_order():
    header = ["FTE (full time equivalent)", "Anno"]
    upload = read((sheets.FTE, raw(sheets.FTE, ["80,5", "2024"], header=header)))
    assert upload.rows[sheets.FTE] == [{"year": 2024, "fte": Decimal("80.5")}]


def test_errors_name_sheet_row_and_reason_and_every_bad_row_is_reported():
    upload = read(
        (
            sheets.INTERVENTIONS,
            raw(
                sheets.INTERVENTIONS,
                ["Competitività", "100", "90"],
                ["Formazione", "abc", "90"],
                ["Territorio", "100", ""],
            ),
        ),
        (
            sheets.HOLDINGS,
            raw(sheets.HOLDINGS, ["ALFA", "1.000", "500"], ["BETA", "1.000", "1.500"]),
        ),
    )
    assert upload.errors == [
        "Foglio «Interventi economici», riga 3: «Previsione»: «abc» non è un numero (scrivere "
        "ad esempio 1.284,50: punto per le migliaia, virgola per i decimali).",
        "Foglio «Interventi economici», riga 4: «Costi»: valore obbligatorio mancante.",
        "Foglio «Partecipazioni», riga 3: il valore nominale della partecipazione (1.500,00) "
        "supera il capitale sociale (1.000,00).",
    ]


def test_duplicate_rows_name_both_row_numbers():
    upload = read(
        (sheets.PART_TIME, raw(sheets.PART_TIME, ["2024", "Donne", "5"], ["2024", "F", "6"]))
    )
    assert upload.errors == [
        "Foglio «Tempo parziale», riga 3: riga ripetuta (2024 · Donne compare già alla riga 2)."
    ]


def test_headcount_must_name_a_category_of_the_categories_sheet():
    upload = read(
        CATEGORIES,
        (
            sheets.HEADCOUNTS,
            raw(
                sheets.HEADCOUNTS,
                ["2024", "Dirigenti", "Donne", "Tempo pieno", "1"],
                ["2024", "Dirigenza", "Uomini", "Tempo pieno", "2"],
            ),
        ),
    )
    assert upload.errors == [
        "Foglio «Personale», riga 3: «Area di inquadramento»: «Dirigenza» non è elencata nel "
        "foglio «Aree di inquadramento»."
    ]


def test_headcount_alone_is_checked_against_the_recorded_categories():
    current = {sheets.CATEGORIES: [{"name": "Dirigenti", "establishment": 3}]}
    row = ["2024", "Dirigenti", "Donne", "Tempo pieno", "1"]
    assert read((sheets.HEADCOUNTS, raw(sheets.HEADCOUNTS, row)), current=current).errors == []
    assert read((sheets.HEADCOUNTS, raw(sheets.HEADCOUNTS, row))).errors != []


def test_removing_a_category_still_used_by_a_sheet_left_out_is_an_error():
    current = {
        sheets.CATEGORIES: [{"name": "Dirigenti"}, {"name": "Operatori"}],
        sheets.HEADCOUNTS: [
            {"year": 2024, "category": "Operatori", "gender": "F", "contract": "full", "count": 1}
        ],
    }
    upload = read(
        (sheets.CATEGORIES, raw(sheets.CATEGORIES, ["Dirigenti", "", ""])), current=current
    )
    assert upload.errors == [
        "Foglio «Aree di inquadramento»: «Operatori» è tolta, ma i dati registrati del foglio "
        "«Personale» (non caricato) la usano ancora: caricare anche quel foglio, aggiornato."
    ]


def _budget(*rows):
    return (sheets.BUDGET, raw(sheets.BUDGET, *rows))


def test_budget_line_needs_both_figures_or_none():
    upload = read(_budget(["A", "1", "Diritto annuale", "", "100", ""]))
    assert upload.errors == [
        "Foglio «Conto economico», riga 2: indicare sia il preventivo aggiornato sia il "
        "consuntivo, oppure nessuno dei due (per una voce suddivisa in sottovoci)."
    ]


def test_budget_parent_must_be_a_line_of_the_same_sheet_and_section():
    upload = read(
        _budget(
            ["B", "7", "Funzionamento", "", "", ""],
            ["B", "7a", "Prestazione di servizi", "7", "10", "9"],
            ["B", "7b", "Godimento di beni", "8", "10", "9"],
            ["A", "7c", "Altro", "7", "1", "1"],
            ["B", "7d", "Quote", "7a", "1", "1"],
        )
    )
    assert upload.errors == [
        "Foglio «Conto economico», riga 3: la voce «7a» ha sottovoci: gli importi vanno nelle "
        "sottovoci, non nella voce che le raggruppa.",
        "Foglio «Conto economico», riga 4: «Voce superiore»: la voce «8» non è elencata nel "
        "foglio.",
        "Foglio «Conto economico», riga 5: «Voce superiore»: la voce «7» appartiene a "
        "un'altra sezione.",
        "Foglio «Conto economico», riga 6: «Voce superiore»: la voce «7a» è a sua volta una "
        "sottovoce (è ammesso un solo livello).",
    ]


def test_a_pre_filled_sheet_with_no_figure_typed_is_left_unchanged():
    upload = read(
        (sheets.INTERVENTIONS, raw(sheets.INTERVENTIONS, ["Competitività", "", ""])),
        (sheets.FTE, raw(sheets.FTE, ["2024", "80"])),
    )
    assert upload.errors == []
    assert upload.unfilled == [sheets.INTERVENTIONS]
    assert sheets.INTERVENTIONS not in upload.rows
    # The same for a sheet whose figures are all optional (no budget line without figures).
    upload = read(_budget(["A", "1", "Diritto annuale", "", "", ""]))
    assert (upload.errors, upload.unfilled, upload.rows) == ([], [sheets.BUDGET], {})
    # ... but not when the year already has rows: then empty figures are errors.
    current = {sheets.INTERVENTIONS: [{"label": "Competitività"}]}
    upload = read(
        (sheets.INTERVENTIONS, raw(sheets.INTERVENTIONS, ["Competitività", "", ""])),
        current=current,
    )
    assert len(upload.errors) == 2


# --- Diff -----------------------------------------------------------------------------------


def test_diff_gives_added_changed_and_removed_rows_with_old_and_new_values():
    current = [
        {"label": "A", "forecast": Decimal("100.00"), "actual": Decimal("90.00")},
        {"label": "B", "forecast": Decimal("50.00"), "actual": Decimal("50.00")},
        {"label": "C", "forecast": Decimal("1.00"), "actual": Decimal("1.00")},
    ]
    new = [
        {"label": "A", "forecast": Decimal("100"), "actual": Decimal("95.5")},
        {"label": "B", "forecast": Decimal("50"), "actual": Decimal("50.0")},
        {"label": "D", "forecast": Decimal("7"), "actual": Decimal("8")},
    ]
    result = sheets.diff({sheets.INTERVENTIONS: current}, {sheets.INTERVENTIONS: new})
    d = result[sheets.INTERVENTIONS]
    assert d.changed == [("A", [("Costi", "90,00", "95,50")])]
    assert d.added == [
        ("D", [("Linea di intervento", "D"), ("Previsione", "7,00"), ("Costi", "8,00")])
    ]
    assert d.removed == [
        ("C", [("Linea di intervento", "C"), ("Previsione", "1,00"), ("Costi", "1,00")])
    ]
    assert d.as_json()["changed"] == [{"key": "A", "fields": {"Costi": ["90,00", "95,50"]}}]
    assert list(result) == [sheets.INTERVENTIONS]  # only the uploaded sheets


def test_diff_of_identical_rows_is_empty():
    spec = SPEC[sheets.HEADCOUNTS]
    rows = [{"year": 2024, "category": "Dirigenti", "gender": "F", "contract": "full", "count": 3}]
    assert not sheets.sheet_diff(spec, rows, [dict(r) for r in rows])


def test_diff_key_of_a_composite_row_reads_like_the_sheet():
    spec = SPEC[sheets.HEADCOUNTS]
    old = [{"year": 2024, "category": "Dirigenti", "gender": "F", "contract": "full", "count": 3}]
    new = [{**old[0], "count": 4}]
    assert sheets.sheet_diff(spec, old, new).changed == [
        ("2024 · Dirigenti · Donne · Tempo pieno", [("Dipendenti", "3", "4")])
    ]


# --- Fingerprint and structure --------------------------------------------------------------


def test_fingerprint_changes_with_any_value_and_only_then():
    rows = {sheets.FTE: [{"year": 2024, "fte": Decimal("80.50")}]}
    same = {sheets.FTE: [{"year": 2024, "fte": Decimal("80.5")}]}
    other = {sheets.FTE: [{"year": 2024, "fte": Decimal("80.51")}]}
    assert sheets.fingerprint(rows) == sheets.fingerprint(same)
    assert sheets.fingerprint(rows) != sheets.fingerprint(other)
    assert sheets.fingerprint(rows) != sheets.fingerprint({})


def test_structure_keeps_labels_and_moves_years_forward_with_figures_empty():
    spec = SPEC[sheets.HEADCOUNTS]
    rows = [
        {"year": 2023, "category": "Dirigenti", "gender": "F", "contract": "full", "count": 3},
        {"year": 2022, "category": "Dirigenti", "gender": "M", "contract": "any", "count": 2},
    ]
    assert sheets.structure_of(spec, rows, year_shift=1) == [
        {"year": 2024, "category": "Dirigenti", "gender": "F", "contract": "full", "count": None},
        {"year": 2023, "category": "Dirigenti", "gender": "M", "contract": "any", "count": None},
    ]
    budget = SPEC[sheets.BUDGET]
    line = {
        "group": "B",
        "code": "7a",
        "label": "Servizi",
        "parent": "7",
        "forecast": 1,
        "actual": 2,
    }
    assert sheets.structure_of(budget, [line], year_shift=1) == [
        {**line, "forecast": None, "actual": None}
    ]


def test_every_sheet_title_fits_excel_and_every_key_is_a_column():
    for spec in sheets.SHEETS:
        assert len(spec.title) <= 31
        assert all(spec.column(f) for f in spec.key)
        assert len(set(spec.headers)) == len(spec.headers)
    assert {c.kind for s in sheets.SHEETS for c in s.columns} == set(Kind)


def test_changes_summary_agrees_in_number():
    assert sheets.changes_summary(1, 1, 1) == "1 riga aggiunta, 1 modificata, 1 eliminata"
    assert sheets.changes_summary(0, 2, 3) == "0 righe aggiunte, 2 modificate, 3 eliminate"


def test_pre_filled_areas_are_kept_when_the_staff_sheet_names_them():
    areas = (sheets.CATEGORIES, raw(sheets.CATEGORIES, ["Dirigenti", "", ""]))
    assert read(areas).unfilled == [sheets.CATEGORIES]
    staff = (
        sheets.HEADCOUNTS,
        raw(sheets.HEADCOUNTS, ["2024", "Dirigenti", "Donne", "Tempo pieno", "2"]),
    )
    upload = read(areas, staff)
    assert (upload.errors, upload.unfilled) == ([], [])
    assert upload.rows[sheets.CATEGORIES] == [
        {"name": "Dirigenti", "establishment": None, "establishment_note": ""}
    ]
