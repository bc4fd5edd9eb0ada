# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""The plan import: every error of a file listed at once, the limits of the model fields,
the unique constraints of the plan checked before the write, the unit codes in the template."""

import html
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.models import Cycle
from indicators import plan_workbook
from indicators.models import Indicator
from indicators.plan_workbook import COLUMNS, PlanReference, check_cell, plan_validate
from lib.xlsx import Sheet
from objectives.models import (
    OperationalObjective,
    OrgUnit,
    Perspective,
    Scorecard,
    StrategicObjective,
)
from tests.people import log_in, people  # noqa: F401 - fixtures

UNITS = PlanReference(units={"promozione": "Promozione", "registro-imprese": "Registro imprese"})


def _sheets(**rows) -> dict[str, Sheet]:
    """The four sheets with the template's example and the given rows appended (by sheet)."""
    titles = {
        "perspectives": plan_workbook.PERSPECTIVES,
        "strategic": plan_workbook.STRATEGIC,
        "operational": plan_workbook.OPERATIONAL,
        "indicators": plan_workbook.INDICATORS,
    }
    sheets = {}
    for key, title in titles.items():
        body = [list(r) for r in plan_workbook.PLAN_EXAMPLE[title]] + list(rows.get(key, []))
        sheets[title] = Sheet(
            header=list(plan_workbook.PLAN_SHEETS[title]),
            rows=[(number, values) for number, values in enumerate(body, start=2)],
        )
    return sheets


def _column(title: str, header: str):
    return next(c for c in COLUMNS[title] if c.header == header)


# --- Pure: no database ------------------------------------------------------------------------


def test_the_template_example_is_a_valid_plan():
    plan = plan_validate(_sheets(), reference=UNITS)
    assert plan.errors == []
    assert plan.perspectives == [(1, "SVILUPPO ECONOMICO DELLE IMPRESE E DEL TERRITORIO")]
    assert plan.indicators[0]["weight"] == Decimal(1)


def test_every_error_of_every_sheet_is_listed_at_once():
    persp = "SVILUPPO ECONOMICO DELLE IMPRESE E DEL TERRITORIO"
    plan = plan_validate(
        _sheets(
            perspectives=[["1", "ALTRA"], ["x", "TERZA"], ["4", "P" * 175]],
            strategic=[["1.1", persp, "Doppione"], ["1,1", persp, "Codice rotto"]],
            operational=[["1.1", "Nuovo", "inesistente; promozione"]],
            indicators=[
                ["1.1", "Erogare i contributi alle imprese", "", "", "colore"],
                [
                    "1.1",
                    "Erogare i contributi alle imprese",
                    "Peso",
                    "",
                    "number",
                    "",
                    "",
                    "0,0001",
                ],
                ["9.9", "Nessuno", "Orfano", "", "number"],
            ],
        ),
        reference=UNITS,
    )
    assert plan.errors == [
        "Foglio «Prospettive», riga 4, colonna «Ordine»: «x» non è un numero intero tra 0 e "
        "32.767: scrivere un numero intero.",
        "Foglio «Prospettive», riga 5, colonna «Prospettiva»: 175 caratteri, al massimo 120: "
        "accorciare il testo.",
        "Foglio «Prospettive», riga 3, colonna «Ordine»: ordine «1» già usato alla riga 2: "
        "cambiarlo.",
        "Foglio «Obiettivi strategici», riga 4, colonna «Codice»: «1,1» non è un codice valido: "
        "lettere, cifre e i separatori . - _ /, iniziando e finendo con una lettera o una cifra "
        "(es. 1.1, 6, 0101, A.1); al massimo 20 caratteri.",
        "Foglio «Obiettivi strategici», riga 3, colonna «Codice»: codice «1.1» già usato alla "
        "riga 2: renderlo diverso.",
        "Foglio «Obiettivi operativi», riga 3, colonna «Unità»: codice «inesistente» "
        "inesistente: usare i codici del foglio «Unità» del modello.",
        "Foglio «Indicatori», riga 3, colonna «Indicatore»: obbligatoria: compilare la cella.",
        "Foglio «Indicatori», riga 3, colonna «Tipo»: «colore» non valido: usare uno dei codici "
        "number, percentage, ratio, currency, deadline, boolean, project, qualitative "
        "(foglio Legenda).",
        "Foglio «Indicatori», riga 4, colonna «Peso»: 0,0001: al massimo 3 decimali: arrotondare "
        "il numero.",
        "Foglio «Indicatori», riga 5, colonna «Obiettivo operativo»: «Nessuno» (9.9) non è nel "
        "foglio «Obiettivi operativi»: copiarne codice e nome esatti.",
    ]


def test_a_missing_sheet_and_a_changed_header_are_listed_with_the_rest():
    sheets = _sheets(indicators=[["1.1", "Erogare i contributi alle imprese", "", "", "number"]])
    del sheets[plan_workbook.PERSPECTIVES]
    sheets[plan_workbook.OPERATIONAL].header[1] = "Nome"
    errors = plan_validate(sheets, reference=UNITS).errors
    assert errors[0].startswith("Manca il foglio «Prospettive»")
    assert any(e.startswith("Foglio «Obiettivi operativi», riga 1: intestazioni") for e in errors)
    assert any("riga 3, colonna «Indicatore»: obbligatoria" in e for e in errors)


def test_duplicates_name_both_rows():
    plan = plan_validate(
        _sheets(
            perspectives=[["2", "SVILUPPO ECONOMICO DELLE IMPRESE E DEL TERRITORIO"]],
            operational=[["1.1", "Erogare i contributi alle imprese", ""]],
        ),
        reference=UNITS,
    )
    assert plan.errors == [
        "Foglio «Prospettive», riga 3, colonna «Prospettiva»: nome «SVILUPPO ECONOMICO DELLE "
        "IMPRESE E DEL TERRITORIO» già usato alla riga 2: renderlo diverso.",
        "Foglio «Obiettivi operativi», riga 3, colonna «Obiettivo operativo»: nome «Erogare i "
        "contributi alle imprese» già usato alla riga 2: renderlo diverso.",
    ]


def test_the_cruscotti_the_import_creates_cannot_clash():
    reference = PlanReference(
        units={"obiettivo-1-1": "Promozione", "promozione": "PROMOZIONE"}, year=2031
    )
    errors = plan_validate(
        _sheets(operational=[["1.1", "Altro", "obiettivo-1-1; promozione"]]), reference=reference
    ).errors
    assert errors == [
        "Foglio «Obiettivi strategici», riga 2, colonna «Codice»: il cruscotto dell'obiettivo 1.1 "
        "avrebbe il codice «obiettivo-1-1», già codice di un'unità: cambiare il codice dell'unità "
        "nell'admin.",
        "Le unità «obiettivo-1-1» e «promozione» hanno lo stesso nome «PROMOZIONE»: i loro "
        "cruscotti avrebbero lo stesso titolo: rinominarne una nell'admin.",
    ]


def test_an_existing_year_is_a_message():
    reference = PlanReference(units=UNITS.units, year=2024, year_exists=True)
    assert plan_validate(_sheets(), reference=reference).errors == [
        "L'anno 2024 esiste già: il piano si importa solo per un anno nuovo."
    ]


def test_a_target_is_checked_against_its_kind():
    errors = plan_validate(
        _sheets(
            indicators=[
                ["1.1", "Erogare i contributi alle imprese", "Data", "", "deadline", "", "domani"],
                ["1.1", "Erogare i contributi alle imprese", "F", "", "number", "", "=A1"],
            ]
        ),
        reference=UNITS,
    ).errors
    assert [e.split(":")[0] for e in errors] == [
        "Foglio «Indicatori», riga 3, colonna «Risultato atteso»",
        "Foglio «Indicatori», riga 4, colonna «Risultato atteso»",
    ]


# --- The limits are the model fields' own (Hypothesis) ----------------------------------------

TEXT_COLUMNS = [
    (title, c) for title, cols in COLUMNS.items() for c in cols if c.max_length is not None
]


def test_every_column_names_a_model_field_and_text_columns_carry_its_max_length():
    assert {c.field.model for cols in COLUMNS.values() for c in cols} >= {
        Perspective,
        StrategicObjective,
        OperationalObjective,
        Indicator,
        OrgUnit,
    }
    name = _column(plan_workbook.INDICATORS, "Indicatore")
    assert name.max_length == Indicator._meta.get_field("name").max_length


@given(
    index=st.integers(min_value=0, max_value=len(TEXT_COLUMNS) - 1),
    extra=st.integers(min_value=-5, max_value=5),
)
def test_text_longer_than_the_field_is_refused_with_both_lengths(index, extra):
    _title, column = TEXT_COLUMNS[index]
    length = max(1, column.max_length + extra)
    _, problem = check_cell(column, "a" * length)
    if length > column.max_length and not column.field.choices:
        assert problem == (
            f"{length} caratteri, al massimo {column.max_length}: accorciare il testo"
        )
    elif not column.field.choices:
        assert problem is None


WEIGHT = Indicator._meta.get_field("weight")


@given(st.decimals(min_value=0, max_value=10**9, allow_nan=False, places=5))
def test_a_weight_is_accepted_exactly_when_the_column_can_store_it(number):
    text = format(number, "f").replace(".", ",")
    value, problem = check_cell(_column(plan_workbook.INDICATORS, "Peso"), text)
    try:
        field_ok = WEIGHT.to_python(number) == number
        WEIGHT.run_validators(number.normalize())  # trailing zeros are not digits
    except ValidationError:  # Django's DecimalValidator is the oracle
        field_ok = False
    assert (problem is None) is field_ok
    if field_ok:
        assert value == number


ORDER = Perspective._meta.get_field("order")


@given(st.integers(min_value=-10, max_value=10**6))
def test_an_order_is_accepted_exactly_within_the_database_range(number):
    low, high = BaseDatabaseOperations.integer_field_ranges[ORDER.get_internal_type()]
    assert (low, high) == (0, 32767)  # a PositiveSmallIntegerField, as on PostgreSQL
    value, problem = check_cell(_column(plan_workbook.PERSPECTIVES, "Ordine"), str(number))
    assert (problem is None) is (low <= number <= high)
    if problem is None:
        assert value == number


def test_a_choice_is_read_by_code_or_label_and_must_be_one_of_the_fields():
    kind = _column(plan_workbook.INDICATORS, "Tipo")
    assert check_cell(kind, "Percentuale") == ("percentage", None)
    assert check_cell(kind, "percentage") == ("percentage", None)
    assert {code for code, _ in Indicator._meta.get_field("kind").choices} >= {"percentage"}
    assert check_cell(kind, "colore")[1].startswith("«colore» non valido")


# --- Through the page: 400, nothing written, on SQLite and PostgreSQL -------------------------


def _upload(client, sheets_rows, year=2035):
    data = plan_workbook.plan_template([("promozione", "Promozione")])
    wb = load_workbook(io.BytesIO(data))
    for title, rows in sheets_rows.items():
        for row in rows:
            wb[title].append(row)
    out = io.BytesIO()
    wb.save(out)
    return client.post(
        reverse("indicators:plan_import", args=["cciaa-bergamo"]),
        {"year": year, "file": SimpleUploadedFile("piano.xlsx", out.getvalue())},
    )


def _everything():
    return [
        list(m.objects.order_by("pk").values_list("pk", flat=True))
        for m in (
            Cycle,
            Perspective,
            StrategicObjective,
            OperationalObjective,
            Indicator,
            Scorecard,
        )
    ]


def test_a_workbook_with_many_errors_gets_them_all_in_one_response(client, people):
    log_in(client, people.planning)
    before = _everything()
    persp = "SVILUPPO ECONOMICO DELLE IMPRESE E DEL TERRITORIO"
    response = _upload(
        client,
        {
            "Prospettive": [["1", "SECONDA"], ["2", "X" * 175]],
            "Obiettivi strategici": [["1.1", persp, "Doppione"]],
            "Obiettivi operativi": [["1.1", "Nuovo", "nessuna-unita"]],
            "Indicatori": [
                ["1.1", "Erogare i contributi alle imprese", "N" * 501, "", "number"],
                ["1.1", "Erogare i contributi alle imprese", "Peso", "", "number", "", "", "-1"],
            ],
        },
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "Il piano non è stato importato (6 errori)" in page
    for expected in (
        "Foglio «Prospettive», riga 4, colonna «Prospettiva»: 175 caratteri, al massimo 120",
        "Foglio «Prospettive», riga 3, colonna «Ordine»: ordine «1» già usato alla riga 2",
        "Foglio «Obiettivi strategici», riga 3, colonna «Codice»: codice «1.1» già usato alla",
        "Foglio «Obiettivi operativi», riga 3, colonna «Unità»: codice «nessuna-unita» inesistente",
        "Foglio «Indicatori», riga 3, colonna «Indicatore»: 501 caratteri, al massimo 500",
        "Foglio «Indicatori», riga 4, colonna «Peso»: -1 è negativo",
    ):
        assert expected in page, expected
    assert _everything() == before


def test_a_175_character_perspective_name_is_a_message_not_a_crash(client, people):
    log_in(client, people.planning)
    response = _upload(client, {"Prospettive": [["2", "P" * 175]]}, year=2036)
    assert response.status_code == 400
    assert "175 caratteri, al massimo 120: accorciare il testo" in response.content.decode()
    assert not Cycle.objects.filter(year=2036).exists()


def test_a_duplicated_perspective_order_is_a_message_not_a_500(client, people):
    log_in(client, people.planning)
    response = _upload(client, {"Prospettive": [["1", "ALTRA PROSPETTIVA"]]}, year=2037)
    assert response.status_code == 400
    assert (
        "Foglio «Prospettive», riga 3, colonna «Ordine»: ordine «1» già usato alla riga 2"
        in response.content.decode()
    )
    assert not Cycle.objects.filter(year=2037).exists()


def test_an_existing_year_is_refused_with_the_other_errors(client, people):
    log_in(client, people.planning)
    before = _everything()
    response = _upload(client, {"Prospettive": [["1", "ALTRA"]]}, year=2023)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "L'anno 2023 esiste già" in page and "ordine «1» già usato" in page
    assert _everything() == before


# --- The template -------------------------------------------------------------------------------


def test_the_downloaded_template_lists_the_units_codes_and_documents_every_column(client, people):
    log_in(client, people.planning)
    response = client.get(reverse("indicators:plan_template", args=["cciaa-bergamo"]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    codes = [row[0] for row in wb["Unità"].iter_rows(min_row=2, values_only=True)]
    assert codes == list(  # the units of the address's body only
        OrgUnit.objects.filter(body__slug="cciaa-bergamo")
        .order_by("order", "name")
        .values_list("slug", flat=True)
    )
    assert "promozione" in codes and "registro-imprese" in codes
    documented = {
        (row[0], row[1]) for row in wb["Legenda"].iter_rows(min_row=2, values_only=True) if row
    }
    for title, columns in COLUMNS.items():
        for column in columns:
            assert (title, column.header) in documented
    lengths = {
        (row[0], row[1]): row[4]
        for row in wb["Legenda"].iter_rows(min_row=2, values_only=True)
        if row and len(row) > 4
    }
    assert lengths[("Prospettive", "Prospettiva")] == 120


def test_the_page_explains_the_plan_template(client, people):
    log_in(client, people.planning)
    page = client.get(reverse("indicators:plan_import", args=["cciaa-bergamo"])).content.decode()
    assert "modello Excel del piano" in page and "foglio «Unità»" in page
    assert "scaricato da questo cruscotto" not in page


def test_every_text_column_is_a_char_field_of_its_model():
    for _title, column in TEXT_COLUMNS:
        assert isinstance(column.field, models.CharField)


@pytest.mark.parametrize("title", list(COLUMNS))
def test_each_sheet_of_the_template_round_trips_its_headers(title):
    wb = load_workbook(io.BytesIO(plan_workbook.plan_template([])))
    assert [c.value for c in wb[title][1]] == plan_workbook.PLAN_SHEETS[title]


def test_the_documented_lengths_are_the_model_fields():
    """docs/import-template.md repeats the limits for people reading it: they must not drift."""
    doc = (settings.BASE_DIR / "docs" / "import-template.md").read_text()
    checked = 0
    for title, columns in COLUMNS.items():
        section = doc.split(f"### {title}\n", 1)[1].split("###", 1)[0]
        for column in columns:
            line = next(x for x in section.splitlines() if x.startswith(f"| {column.header} |"))
            match = re.search(r"max (\d+) caratteri", line)
            if match:
                assert int(match[1]) == column.max_length, (title, column.header)
                checked += 1
    assert checked >= 8


def test_a_row_with_a_bad_cell_is_still_checked_across_rows_but_reported_once():
    """A 175-character name does not hide the duplicated order of its row, and a strategic
    objective whose perspective name is too long is not reported again as unknown."""
    long_name = "P" * 175
    errors = plan_validate(
        _sheets(
            perspectives=[["1", long_name]],
            strategic=[["1.2", long_name, "Altro"]],
        ),
        reference=UNITS,
    ).errors
    assert [e.split(":")[0] for e in errors] == [
        "Foglio «Prospettive», riga 3, colonna «Prospettiva»",
        "Foglio «Prospettive», riga 3, colonna «Ordine»",
        "Foglio «Obiettivi strategici», riga 3, colonna «Prospettiva»",
    ]
