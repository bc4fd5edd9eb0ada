# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""The same limits on every path: a value the column cannot hold, a number the engine cannot
store, an id or year beyond its column is a message or a 404 on the form, the workbook, the
management command and the URL, never a 500 or a DataError (the suite runs on SQLite and on
PostgreSQL)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from core.models import Cycle
from indicators import plan_workbook, services, workbook
from indicators.entry import MAX_VALUE, EntryError, normalize_actual
from indicators.models import Indicator
from lib.converters import Id, Year
from resources import sheets
from resources.models import ContextTable
from tests.people import log_in, open_cycle, people, unit_a_indicator  # noqa: F401 - fixtures

FIFTY_DIGITS = "9" * 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- URLs: a year or an id beyond its column is a 404 ---------------------------------------


def _patterns(resolver=None, prefix=""):
    """Every URL pattern of the site as (route, converters by parameter name)."""
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        route = prefix + str(item.pattern)
        if isinstance(item, URLResolver):
            if route.startswith("admin/"):
                continue  # Django's own URLs: admin ids are strings there
            yield from _patterns(item, route)
        elif isinstance(item, URLPattern):
            yield route, dict(getattr(item.pattern, "converters", {}))


NUMERIC_ROUTES = [
    (route, converters)
    for route, converters in _patterns()
    if any(isinstance(c, Year | Id) for c in converters.values())
]


def test_no_url_takes_an_unbounded_integer():
    unbounded = [r for r, conv in _patterns() if "<int:" in r or "<path:" in r]
    assert unbounded == []
    assert len(NUMERIC_ROUTES) > 50  # every app's year pages are here


def _url(route: str, converters: dict, overflow: str, target: str) -> str:
    """The route with ``overflow`` in the parameter ``target`` and valid values elsewhere."""
    url = route
    for name, converter in converters.items():
        if name == target:
            value = overflow
        elif isinstance(converter, Year):
            value = "2023"
        elif isinstance(converter, Id):
            value = "1"
        else:
            value = "promozione"
        url = url.replace(f"<{_kind(route, name)}:{name}>", value)
    return "/" + url.lstrip("^").rstrip("$")


def _kind(route, name):
    start = route.index(f":{name}>")
    return route[route.rindex("<", 0, start) + 1 : start]


OVERFLOWS = ["9223372036854775808", "99999999999999999999", "1999", "2101", "0"]


@pytest.mark.parametrize("overflow", OVERFLOWS)
def test_every_year_and_id_out_of_range_is_a_404(client, people, overflow):
    log_in(client, people.admin)  # every page would open: only the URL can refuse
    checked = 0
    for route, converters in NUMERIC_ROUTES:
        for name, converter in converters.items():
            if not isinstance(converter, Year | Id):
                continue
            if overflow in ("1999", "2101") and not isinstance(converter, Year):
                continue
            url = _url(route, converters, overflow, name)
            assert client.get(url).status_code == 404, url
            assert client.post(url).status_code == 404, url
            checked += 1
    assert checked >= len(NUMERIC_ROUTES)


def test_the_public_year_beyond_bigint_is_a_404(client, cycle):
    # Once an integer overflow in the raw SQL of the public pages: a 500.
    assert client.get("/trasparenza/9223372036854775808/").status_code == 404
    assert (
        client.get("/trasparenza/cciaa-bergamo/2023/indicatori/9223372036854775808/").status_code
        == 404
    )
    assert client.get("/trasparenza/cciaa-bergamo/2023/").status_code == 200


def test_converters_bounds():
    assert Year().to_python("2000") == 2000 and Year().to_python("2100") == 2100
    assert Id().to_python(str(2**63 - 1)) == 2**63 - 1
    for converter, text in [(Year(), "2101"), (Id(), str(2**63)), (Id(), "0"), (Id(), "9" * 30)]:
        with pytest.raises(ValueError):
            converter.to_python(text)


# --- Actuals: the stored text must fit the column, on every path ----------------------------


def test_a_fifty_digit_actual_is_a_message_not_a_data_error():
    with pytest.raises(EntryError, match="troppo grande"):
        normalize_actual("number", FIFTY_DIGITS)
    with pytest.raises(EntryError):
        normalize_actual("number", "1e400")
    longest = "9" * 45  # 45 digits and 14 thousands separators: 59 characters
    assert len(normalize_actual("number", longest)) <= MAX_VALUE


def test_form_refuses_a_fifty_digit_actual(client, people, open_cycle, unit_a_indicator):
    log_in(client, people.manager_a)
    url = reverse("indicators:actual", args=["cciaa-bergamo", 2023, unit_a_indicator.id])
    before = Indicator.objects.values_list("actual", "version").get(pk=unit_a_indicator.pk)
    for value in (FIFTY_DIGITS, "1e400"):
        response = client.post(url, {"actual": value, "explanation": "x", "version": 1})
        assert response.status_code == 400
    response = client.post(url, {"actual": "5", "explanation": "x", "version": "9" * 20})
    assert response.status_code == 400  # a version beyond the column: stale, not a 500
    after = Indicator.objects.values_list("actual", "version").get(pk=unit_a_indicator.pk)
    assert after == before


def test_set_actual_refuses_the_same_values(people, open_cycle, unit_a_indicator):
    ente = ["--ente", "cciaa-bergamo"]  # the test database holds two bodies
    args = ["set_actual", *ente, "--year", "2023", "--indicator", str(unit_a_indicator.id)]
    with pytest.raises(CommandError, match="troppo grande"):
        call_command(*args, "--value", FIFTY_DIGITS, "--user", "t-promozione")
    with pytest.raises(CommandError, match="inesistente"):
        call_command(
            "set_actual",
            *ente,
            "--year",
            "2023",
            "--indicator",
            "99999999999999999999",
            "--value",
            "1",
            "--user",
            "t-promozione",
        )
    with pytest.raises(CommandError, match="Nessun ciclo della performance 99999"):
        call_command(
            "set_actual",
            *ente,
            "--year",
            "99999",
            "--indicator",
            str(unit_a_indicator.id),
            "--value",
            "1",
            "--user",
            "t-promozione",
        )
    unit_a_indicator.refresh_from_db()
    assert unit_a_indicator.actual == "14"


def _values_workbook(client, edit):
    response = client.get(
        reverse("indicators:workbook", args=["cciaa-bergamo", 2023, "promozione"])
    )
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb[workbook.ACTUALS_SHEET]
    edit(ws)
    out = io.BytesIO()
    wb.save(out)
    return client.post(
        reverse("indicators:upload", args=["cciaa-bergamo", 2023, "promozione"]),
        {"file": SimpleUploadedFile("valori.xlsx", out.getvalue(), content_type=XLSX)},
    )


def test_workbook_refuses_a_fifty_digit_actual_in_the_bulk_path(
    client, people, open_cycle, unit_a_indicator
):
    log_in(client, people.manager_a)
    actual_col = workbook.HEADERS.index(workbook.ACTUAL_HEADER) + 1

    def edit(ws):
        for row in range(2, ws.max_row + 1):
            if str(ws.cell(row, 1).value).startswith(f"{unit_a_indicator.id}:"):
                ws.cell(row, actual_col).value = FIFTY_DIGITS
                ws.cell(row, actual_col + 1).value = "x"

    before = list(Indicator.objects.order_by("pk").values_list("actual", "version"))
    response = _values_workbook(client, edit)
    assert response.status_code == 400
    assert "troppo grande" in response.content.decode()
    with pytest.raises(Exception, match="troppo grande"):
        services.actuals_import_apply(
            user=people.manager_a,
            cycle=open_cycle,
            rows=[
                workbook.RowInput(
                    2, unit_a_indicator.id, unit_a_indicator.version, FIFTY_DIGITS, "x"
                )
            ],
        )
    assert list(Indicator.objects.order_by("pk").values_list("actual", "version")) == before


def test_a_23_digit_hidden_id_is_a_row_error(client, people, open_cycle):
    log_in(client, people.manager_a)

    def edit(ws):
        ws.cell(2, 1).value = "1" * 23 + ":1"
        ws.cell(3, 1).value = "5:" + "9" * 12  # a version beyond its column too

    before = list(Indicator.objects.order_by("pk").values_list("actual", "version"))
    response = _values_workbook(client, edit)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Riga 2: indicatore non riconosciuto" in page
    assert "Riga 3: indicatore non riconosciuto" in page
    assert list(Indicator.objects.order_by("pk").values_list("actual", "version")) == before


# --- Context tables: a number beyond a float is a message on the preview --------------------


@pytest.mark.parametrize(
    "cell", ["1" + "0" * 309, "-" + "9" * 400, "12345678901234567,5", "1" + "0" * 309 + ",5"]
)
def test_a_context_cell_beyond_a_float_is_a_message_on_preview(client, people, cell):
    y2024 = Cycle.objects.get(year=2024)
    log_in(client, people.planning)
    before = list(ContextTable.objects.order_by("pk").values_list())
    response = client.post(
        reverse("resources:context_list", args=["cciaa-bergamo", 2024]),
        {
            "key": "imprese",
            "title": "Imprese",
            "source": "Infocamere",
            "text": f"Settore\t2023\nAgricoltura\t{cell}\n",
            "anteprima": "1",
        },
    )
    assert response.status_code == 400
    assert "troppo grande o con troppe cifre" in response.content.decode()
    assert list(ContextTable.objects.order_by("pk").values_list()) == before
    assert y2024.pk


# --- The plan workbook: the model's limits, not only the parser's ---------------------------


def _plan(client, perspective_row):
    data = plan_workbook.plan_template([("promozione", "Promozione")])
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Prospettive"]
    for col, value in enumerate(perspective_row, start=1):
        ws.cell(2, col).value = value
    wb["Obiettivi strategici"].cell(2, 2).value = perspective_row[1]
    out = io.BytesIO()
    wb.save(out)
    return client.post(
        reverse("indicators:plan_import", args=["cciaa-bergamo"]),
        {"year": 2041, "file": SimpleUploadedFile("piano.xlsx", out.getvalue())},
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["99999999999999999999", "PROSPETTIVA"], "Prospettive"),
        (["1", "P" * 121], "Prospettive"),
    ],
)
def test_plan_perspectives_beyond_the_columns_are_refused(client, people, row, message):
    log_in(client, people.planning)
    response = _plan(client, row)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Cycle.objects.filter(year=2041).exists()


# --- The resources workbook declares the models' own limits ---------------------------------


def test_resources_columns_declare_the_limits_of_their_model_fields():
    for spec in sheets.SHEETS:
        for column in spec.columns:
            if column.kind is sheets.Kind.REF:
                continue
            field = spec.model._meta.get_field(column.field)
            if isinstance(field, models.CharField) and column.kind is sheets.Kind.TEXT:
                assert column.max_length == field.max_length, (spec.title, column.field)
            if isinstance(field, models.DecimalField):
                assert (column.max_digits, column.decimals) == (
                    field.max_digits,
                    field.decimal_places,
                ), (spec.title, column.field)


def test_admin_form_refuses_a_fifty_digit_actual(people, open_cycle, unit_a_indicator):
    from django.forms.models import model_to_dict

    from indicators.admin import IndicatorAdminForm

    data = {k: v for k, v in model_to_dict(unit_a_indicator).items() if v is not None}
    form = IndicatorAdminForm(data={**data, "actual": FIFTY_DIGITS}, instance=unit_a_indicator)
    form.user = people.admin
    assert not form.is_valid()
    assert "troppo grande" in " ".join(form.errors["actual"])
    form = IndicatorAdminForm(data={**data, "actual": "15"}, instance=unit_a_indicator)
    form.user = people.admin
    assert form.is_valid(), form.errors  # the same form takes an ordinary value
