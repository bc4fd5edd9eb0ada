# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""Targets as plans write them (``≥ 90%``, ``maggiore o uguale a 90%``, ``<= 10 gg.``,
``= 45.000``, ``entro il 31.12.2023``): one canonical text stored, the unit of measure kept, a
formula refused only when the cell is a formula."""

import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from core.models import Cycle
from indicators import domain, plan_workbook, services, targets
from indicators.domain import Kind, ValueType, parse_value
from indicators.entry import EntryError, normalize_actual
from indicators.models import Indicator
from indicators.plan_import import plan_import_apply
from indicators.plan_workbook import PlanReference, plan_validate
from indicators.services import parse_target as service_parse_target
from indicators.targets import parse_target
from indicators.workbook import read_sheets
from lib.formulas import Formula, as_text_cell, escape_formula
from lib.italian import format_date, format_number
from lib.xlsx import Sheet
from objectives.models import OperationalObjective
from tests.people import people, set_state  # noqa: F401 - fixtures

OPERATIONAL = ("1.1", "Erogare i contributi alle imprese")


def meaning(value: domain.Value) -> domain.Value:
    """A parsed value without the text it was parsed from."""
    return replace(value, raw="")


# --- Every form of the issue, by example ------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored", "unit"),
    [
        ("≥ 90%", ">=90%", ""),
        (">= 90,00%", ">=90,00%", ""),
        ("maggiore o uguale a 90%", ">=90%", ""),
        ("Maggiore o uguale al 90%", ">=90%", ""),
        ("superiore o uguale a 90%", ">=90%", ""),
        ("almeno il 90%", ">=90%", ""),
        ("non inferiore a 90%", ">=90%", ""),
        ("maggiore di 5", ">5", ""),
        ("superiore a 5", ">5", ""),
        ("più di 5", ">5", ""),
        ("minore o uguale a 3", "<=3", ""),
        ("non superiore a 10 giorni", "<=10", "giorni"),
        ("al massimo 10", "<=10", ""),
        ("minore di 7", "<7", ""),
        ("inferiore al 7%", "<7%", ""),
        ("≤ 15", "<=15", ""),
        ("=< 15", "<=15", ""),
        ("=> 15", ">=15", ""),
        ("<= 10 gg.", "<=10", "gg."),
        ("10 gg.", "10", "gg."),
        ("< 30 giorni lavorativi", "<30", "giorni lavorativi"),
        ("entro 30 giorni", "<=30", "giorni"),
        ("= 45.000", "45.000", ""),
        ("=45.000", "45.000", ""),
        ("pari a 45.000", "45.000", ""),
        ("45.000 euro", "€ 45.000", ""),
        ("entro il 31.12.2023", "31/12/2023", ""),
        ("entro il 31/12/2023", "31/12/2023", ""),
        ("Entro 30.06.2023", "30/06/2023", ""),
        ("31.12.2020", "31/12/2020", ""),
        ("31/12/2020", "31/12/2020", ""),
        ("1.1.2024", "01/01/2024", ""),
        ("  maggiore  o uguale a\u00a090% ", ">=90%", ""),
    ],
)
def test_every_written_form_has_its_canonical_text_and_unit(written, stored, unit):
    target = parse_target(written)
    assert (target.text, target.unit) == (stored, unit)
    assert target.value.raw.split() == written.split()  # the text as written, spaces aside
    # The canonical text parses to the same value with the plain parser, and stays itself.
    assert meaning(parse_value(stored)) == meaning(target.value)
    assert parse_target(stored).text == stored


@pytest.mark.parametrize(
    "written",
    [
        "=A1",
        "=SOMMA(A1:A3)",
        "almeno SI",
        "maggiore di monitoraggio",
        "= <5",
        ">= almeno 5",
        "maggiore o uguale a 31/12/2023",  # a comparison is for numbers; a deadline is «entro»
        "entro il 31/12/2023 ore 12",
        "31.02.2023",
        "31-12-2023",
        "almeno",
        "gg. 10",
        "maggioreo uguale a 5",
    ],
)
def test_what_is_not_a_target_stays_invalid_as_written(written):
    target = parse_target(written)
    assert target.value.type is ValueType.INVALID
    assert (target.text, target.unit) == (written, "")


def test_the_canonical_forms_of_the_plain_parser_are_unchanged():
    for text in ("<30", ">40%", "85,60%", "1.284", "€ 1.250,00", "SI", "NO", "NV", "monitoraggio"):
        assert parse_target(text).value == parse_value(text)
        assert parse_target(text).unit == ""


@pytest.mark.parametrize(
    ("kind", "written", "stored"),
    [
        (Kind.PERCENTAGE, "≥ 90%", ">=90%"),
        (Kind.PERCENTAGE, "maggiore o uguale a 90,00%", ">=90,00%"),
        (Kind.PERCENTAGE, "pari al 95%", "95%"),
        (Kind.PERCENTAGE, "= 95", "95%"),  # a percentage without its sign, as the actuals
        (Kind.NUMBER, "<= 10 gg.", "<=10"),
        (Kind.NUMBER, "= 45.000", "45.000"),
        (Kind.NUMBER, "pari a 45.000", "45.000"),
        (Kind.CURRENCY, "45.000 euro", "€ 45.000"),
        (Kind.DEADLINE, "entro il 31.12.2023", "31/12/2023"),
        (Kind.DEADLINE, "31.12.2020", "31/12/2020"),
        (Kind.DEADLINE, "31/12/2020", "31/12/2020"),
        (Kind.NUMBER, "monitoraggio", "monitoraggio"),
        (Kind.NUMBER, "", ""),
    ],
)
def test_the_service_stores_the_canonical_text(kind, written, stored):
    assert service_parse_target(kind, written) == stored


@pytest.mark.parametrize(
    ("kind", "written", "message"),
    [
        (Kind.DEADLINE, "maggiore di 5", "soglia"),
        (Kind.NUMBER, "entro il 31.12.2023", "Valore non valido"),
        (Kind.NUMBER, "=A1*2", "formule"),  # typed text: not a value, with the formula hint
        (Kind.DEADLINE, "31.02.2023", "Data inesistente"),
    ],
)
def test_the_service_refuses_a_target_not_of_its_kind(kind, written, message):
    with pytest.raises(ValidationError, match=message):
        service_parse_target(kind, written)


def test_actuals_read_dates_with_dots_and_still_refuse_comparisons():
    assert normalize_actual(Kind.DEADLINE, "30.06.2023") == "30/06/2023"
    with pytest.raises(EntryError, match="non può contenere"):
        normalize_actual(Kind.NUMBER, ">= 5")


# --- Hypothesis: one meaning, whatever the form ----------------------------------------------

COMPARATORS = ["", "<", "<=", ">", ">="]
UNITS = ["gg.", "giorni", "ore", "pratiche", "gg lavorativi", "mesi"]


@st.composite
def thresholds(draw):
    """(comparator, number, decimals, percent) of a numeric target."""
    decimals = draw(st.integers(0, 2))
    number = Decimal(draw(st.integers(0, 10**9))).scaleb(-decimals)
    return draw(st.sampled_from(COMPARATORS)), number, decimals, draw(st.booleans())


def _canonical(comparator, number, decimals, percent) -> str:
    return domain.format_value(
        domain.Value(
            "",
            ValueType.NUMBER,
            number=number,
            comparator=comparator,
            percent=percent,
            decimals=decimals,
        )
    )


def _case(draw, text: str) -> str:
    return draw(st.sampled_from([text, text.upper(), text.capitalize()]))


def _phrase(draw, comparator: str) -> str:
    """A way of writing ``comparator`` before a figure: words (with their articles) or a
    symbol, in any case, with any spacing."""
    forms = [w for w, c in targets.TARGET_WORDS if c == comparator]
    forms += [s for s, c in targets.TARGET_SYMBOLS if c == comparator]
    words = draw(st.sampled_from(forms))
    if words.endswith(" a"):
        words = words[:-1] + draw(st.sampled_from(["a ", "al ", "all'"]))
    elif words.endswith(" di"):
        words = words[:-2] + draw(st.sampled_from(["di ", "del ", "dell'"]))
    else:
        words += draw(st.sampled_from([" ", "  ", " il " if words[0].isalpha() else " "]))
    return _case(draw, words)


@given(thresholds())
def test_the_canonical_text_parses_to_the_same_value(threshold):
    canonical = _canonical(*threshold)
    target = parse_target(canonical)
    assert target.text == canonical
    assert meaning(target.value) == meaning(parse_value(canonical))
    assert target.unit == ""


@given(st.data(), thresholds(), st.sampled_from(["", *UNITS]))
def test_any_written_form_of_a_threshold_means_its_canonical_form(data, threshold, unit):
    comparator, number, decimals, percent = threshold
    canonical = _canonical(comparator, number, decimals, percent)
    figure = format_number(number, decimals) + data.draw(st.sampled_from(["", " "])) * percent
    figure += "%" * percent
    written = _phrase(data.draw, comparator) if comparator else ""
    if not comparator and data.draw(st.booleans()):
        written = _phrase(data.draw, "")  # «= 45.000», «pari a 45.000»
    written += figure + (" " + unit if unit else "")
    target = parse_target(written)
    assert meaning(target.value) == meaning(parse_value(canonical)), written
    assert (target.text, target.unit) == (canonical, unit)


@given(
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    st.sampled_from(["/", "."]),
    st.sampled_from(["", "entro ", "entro il ", "Entro il "]),
    st.booleans(),
)
def test_any_written_form_of_a_deadline_means_its_date(date, mark, before, padded):
    day, month = (f"{date.day:02d}", f"{date.month:02d}") if padded else (date.day, date.month)
    target = parse_target(f"{before}{day}{mark}{month}{mark}{date.year}")
    assert target.value.type is ValueType.DATE and target.value.date == date
    assert target.text == format_date(date)
    assert parse_target(target.text).value.date == date


@given(st.text(max_size=30))
def test_the_parser_never_raises_and_an_accepted_text_round_trips(text):
    target = parse_target(text)
    if target.value.type is not ValueType.INVALID:
        assert meaning(parse_target(target.text).value) == meaning(target.value)


# --- Formulas: a formula cell, not a text that begins with «=» ------------------------------


def _workbook_with(*cells: tuple[str, bool]) -> bytes:
    """A one-column sheet: each (text, is_formula) a formula cell or a text cell."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Foglio"
    ws.append(["Valore"])
    for number, (text, formula) in enumerate(cells, start=2):
        cell = ws.cell(row=number, column=1)
        if formula:
            cell.value = text  # openpyxl makes a formula of any string starting with «=»
        else:
            as_text_cell(cell, text)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_reader_marks_formula_cells_only():
    _, sheets = read_sheets(_workbook_with(("= 45.000", False), ("=45000", True)))
    (_, [text]), (_, [formula]) = sheets["Foglio"].rows
    assert text == "= 45.000" and not isinstance(text, Formula)
    assert formula == "=45000" and isinstance(formula, Formula)


def test_an_array_formula_is_marked_with_its_text():
    wb = Workbook()
    ws = wb.active
    ws.title = "Foglio"
    ws.append(["Valore"])
    ws["A2"] = ArrayFormula("A2:A2", "=SUM(B1:B2)")
    out = io.BytesIO()
    wb.save(out)
    _, sheets = read_sheets(out.getvalue())
    [(_, [formula])] = sheets["Foglio"].rows
    assert formula == "=SUM(B1:B2)" and isinstance(formula, Formula)


def test_a_formula_cell_is_refused_as_an_actual_and_as_a_target():
    formula = Formula("=45000")
    with pytest.raises(EntryError, match="formule"):
        normalize_actual(Kind.NUMBER, formula)
    with pytest.raises(ValidationError, match="formule"):
        service_parse_target(Kind.NUMBER, formula)


def _plan_sheets(rows) -> dict[str, Sheet]:
    sheets = {}
    for title, header in plan_workbook.PLAN_SHEETS.items():
        body = [list(r) for r in plan_workbook.PLAN_EXAMPLE[title]]
        if title == plan_workbook.INDICATORS:
            body += rows
        sheets[title] = Sheet(header=list(header), rows=list(enumerate(body, start=2)))
    return sheets


def _indicator(name, kind, target, unit=""):
    return [*OPERATIONAL, name, "", kind, "", target, "1", unit, ""]


def test_the_plan_refuses_a_formula_cell_but_reads_a_text_starting_with_equals():
    plan = plan_validate(
        _plan_sheets(
            [
                _indicator("Testo", "number", "= 45.000"),
                _indicator("Formula", "number", Formula("=45000")),
            ]
        ),
        reference=PlanReference(units={"promozione": "Promozione"}),
    )
    assert plan.errors == [
        "Foglio «Indicatori», riga 4, colonna «Risultato atteso»: le formule non sono ammesse: "
        "scrivere il valore."
    ]
    assert [i["target"] for i in plan.indicators] == ["60", "45.000"]


def test_exports_still_escape_a_text_that_starts_a_formula():
    assert escape_formula("= 45.000") == "'= 45.000"
    assert escape_formula(">=90%") == ">=90%"  # the stored canonical text starts no formula


# --- The plan import of a template filled with every form ------------------------------------

WRITTEN = [
    ("Quota di pratiche evase", "percentage", "≥ 90%", "", ">=90%", ""),
    ("Quota con decimali", "percentage", ">= 90,00%", "", ">=90,00%", ""),
    ("Soddisfazione", "percentage", "maggiore o uguale a 90%", "", ">=90%", ""),
    ("Tempo di risposta", "number", "<= 10 gg.", "", "<=10", "gg."),
    ("Tempo con unità propria", "number", "<= 10 gg.", "giorni", "<=10", "giorni"),
    ("Contributi erogati", "number", "= 45.000", "", "45.000", ""),
    ("Progetti avviati", "number", "pari a 12", "", "12", ""),
    ("Reclami", "number", "minore di 5", "", "<5", ""),
    ("Tempo medio", "number", "non superiore a 30 giorni", "", "<=30", "giorni"),
    ("Relazione annuale", "deadline", "entro il 31.12.2023", "", "31/12/2023", ""),
    ("Bilancio", "deadline", "31.12.2020", "", "31/12/2020", ""),
    ("Piano", "deadline", "31/12/2020", "", "31/12/2020", ""),
]


def test_the_template_documents_the_target_forms():
    wb = load_workbook(io.BytesIO(plan_workbook.plan_template([("promozione", "Promozione")])))
    legend = [[c.value for c in row] for row in wb[plan_workbook.LEGEND].iter_rows()]
    rows = {row[0]: row[1:3] for row in legend if row and row[0]}
    for example in plan_workbook.TARGET_EXAMPLES:
        target = parse_target(example)
        assert target.value.type is not ValueType.INVALID, example
        assert rows[example] == [target.text, target.unit or None]
    for words, _ in targets.TARGET_WORDS:
        assert words in rows
    cells = [c for row in wb[plan_workbook.LEGEND].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)  # «= 45.000» is shown, not computed


def test_a_template_filled_with_every_form_imports(people, cycle):
    wb = load_workbook(io.BytesIO(plan_workbook.plan_template([("promozione", "Promozione")])))
    ws = wb[plan_workbook.INDICATORS]
    for name, kind, target, unit, _, _ in WRITTEN:
        ws.append([None] * 10)
        for col, text in enumerate(_indicator(name, kind, target, unit), start=1):
            as_text_cell(ws.cell(row=ws.max_row, column=col), text)
    out = io.BytesIO()
    wb.save(out)
    sheets = plan_workbook.plan_read(out.getvalue())
    year = plan_import_apply(user=people.planning, body=cycle.body, year=2035, sheets=sheets)
    stored = {
        name: (target, unit)
        for name, target, unit in Indicator.objects.filter(cycle=year).values_list(
            "name", "target", "unit_of_measure"
        )
    }
    for name, _, _, _, target, unit in WRITTEN:
        assert stored[name] == (target, unit), name


def test_the_indicator_form_keeps_the_unit_written_after_the_target(people, cycle):
    set_state(cycle, Cycle.State.PLANNING)
    objective = OperationalObjective.objects.filter(cycle=cycle).first()

    def create(name, target, unit):
        return services.indicator_create(
            user=people.planning,
            cycle=cycle,
            operational_objective=objective,
            name=name,
            kind="number",
            direction="at_most",
            target=target,
            unit_of_measure=unit,
        )

    typed = create("A", "<= 10 gg.", "")
    assert (typed.target, typed.unit_of_measure) == ("<=10", "gg.")
    written = create("B", "non superiore a 10 giorni", "giorni lavorativi")
    assert (written.target, written.unit_of_measure) == ("<=10", "giorni lavorativi")
    updated = services.indicator_update(
        user=people.planning, indicator=written, target="minore di 8 ore"
    )
    # An update that does not send the unit keeps the indicator's own.
    assert (updated.target, updated.unit_of_measure) == ("<8", "giorni lavorativi")


def test_a_unit_is_split_off_only_when_the_indicator_can_store_it():
    longest = Indicator._meta.get_field("unit_of_measure").max_length
    assert parse_target("<= 10 " + "g" * longest).unit == "g" * longest
    assert parse_target("<= 10 " + "g" * (longest + 1)).value.type is ValueType.INVALID
