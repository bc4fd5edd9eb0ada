"""Open data of a published year: files that parse, match the year's data, carry no formula."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from finance.models import BudgetLine, EconomicIntervention, FinancialRatio, Holding
from indicators.models import Indicator, ScorecardRow
from staff.models import Headcount

from .public_helpers import writable


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def download(client, cycle, dataset, fmt):
    response = client.get(
        reverse("public:download", args=["cciaa-bergamo", cycle.year, dataset, fmt])
    )
    assert response.status_code == 200
    # Named by body: two bodies' files of the same year never meet in a download folder.
    name = f"{cycle.body.slug}-{dataset}-{cycle.year}.{fmt}"
    assert f'filename="{name}"' in response["Content-Disposition"]
    return response


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def json_rows(response):
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content.decode("utf-8"))


def test_indicators_csv_json_xlsx_follow_the_export_contract(client, cycle):
    from dashboards.export import COLUMNS

    rows = csv_rows(download(client, cycle, "indicatori", "csv"))
    assert len(rows) == ScorecardRow.objects.filter(scorecard__cycle=cycle).count()
    assert list(rows[0]) == COLUMNS
    data = json_rows(download(client, cycle, "indicatori", "json"))
    assert [r["indicator"] for r in data] == [r["indicator"] for r in rows]
    names = set(Indicator.objects.filter(cycle=cycle).values_list("name", flat=True))
    assert {r["indicator"] for r in data} == names
    sheet = load_workbook(io.BytesIO(download(client, cycle, "indicatori", "xlsx").content))
    values = list(sheet.active.iter_rows(values_only=True))
    assert list(values[0]) == COLUMNS and len(values) == len(rows) + 1


def test_budget_files_match_the_lines_and_computed_differences(client, cycle):
    rows = csv_rows(download(client, cycle, "bilancio", "csv"))
    assert rows == json_rows(download(client, cycle, "bilancio", "json"))
    lines = [r for r in rows if r["table"] == "conto_economico"]
    assert len(lines) == BudgetLine.objects.filter(cycle=cycle).count()
    leaf = BudgetLine.objects.filter(cycle=cycle, forecast__isnull=False).first()
    row = next(r for r in lines if r["code"] == leaf.code)
    assert Decimal(row["forecast"]) == leaf.forecast and Decimal(row["actual"]) == leaf.actual
    assert Decimal(row["difference"]) == leaf.actual - leaf.forecast
    interventions = [r for r in rows if r["table"] == "interventi_economici"]
    expected = EconomicIntervention.objects.filter(cycle=cycle).aggregate(s=Sum("actual"))["s"]
    assert sum(Decimal(r["actual"]) for r in interventions) == expected
    assert len([r for r in rows if r["table"] == "indici_di_bilancio"]) == (
        FinancialRatio.objects.filter(cycle=cycle).count()
    )
    holdings = [r for r in rows if r["table"] == "partecipazioni"]
    assert len(holdings) == Holding.objects.filter(cycle=cycle).count() > 0
    h = Holding.objects.filter(cycle=cycle).order_by("order").first()
    pct = Decimal(holdings[0]["share_pct"])
    assert abs(pct - h.nominal_value / h.share_capital * 100) < Decimal("0.0001")
    totals = {r["code"]: r for r in rows if r["table"] == "conto_economico_totali"}
    a = sum(Decimal(r["actual"]) for r in lines if r["code"] and not r["parent_code"]
            and r["group"].startswith("A"))  # fmt: skip
    assert Decimal(totals["proventi_correnti"]["actual"]) == a


def test_staff_and_gender_files_match_the_headcounts(client, cycle):
    staff = csv_rows(download(client, cycle, "personale", "csv"))
    assert staff == json_rows(download(client, cycle, "personale", "json"))
    for year in (cycle.year - 1, cycle.year):
        expected = Headcount.objects.filter(cycle=cycle, year=year).aggregate(s=Sum("count"))["s"]
        got = sum(int(r["count"]) for r in staff if r["reference_year"] == str(year))
        assert got == expected
    gender = csv_rows(download(client, cycle, "genere", "csv"))
    assert gender == json_rows(download(client, cycle, "genere", "json"))
    total = next(
        r
        for r in gender
        if r["table"] == "personale_per_area"
        and r["item"] == "Totale"
        and r["reference_year"] == str(cycle.year)
    )
    women = Headcount.objects.filter(cycle=cycle, year=cycle.year, gender="F")
    assert int(total["women"]) == women.aggregate(s=Sum("count"))["s"]
    assert int(total["total"]) == int(total["women"]) + int(total["men"])


def test_formulas_are_escaped_in_csv_and_xlsx_but_not_in_json(client, cycle):
    evil = '=HYPERLINK("http://attacker.example","clic")'
    indicator = Indicator.objects.filter(cycle=cycle, rows__isnull=False).first()
    holding = Holding.objects.filter(cycle=cycle).first()
    with writable():
        indicator.name = evil
        indicator.save()
        holding.company = "@SUM(1+1)*cmd"
        holding.save()

    rows = csv_rows(download(client, cycle, "indicatori", "csv"))
    assert "'" + evil in {r["indicator"] for r in rows}
    assert evil not in {r["indicator"] for r in rows}
    sheet = load_workbook(io.BytesIO(download(client, cycle, "indicatori", "xlsx").content))
    cells = {c for row in sheet.active.iter_rows(values_only=True) for c in row}
    assert "'" + evil in cells and evil not in cells
    assert evil in {
        r["indicator"] for r in json_rows(download(client, cycle, "indicatori", "json"))
    }

    budget = csv_rows(download(client, cycle, "bilancio", "csv"))
    labels = {r["label"] for r in budget if r["table"] == "partecipazioni"}
    assert "'@SUM(1+1)*cmd" in labels
    # A negative number is data, not a formula: it is not escaped.
    assert any(r["difference"].startswith("-") for r in budget)


def test_each_dataset_has_a_dictionary_with_the_licence(client, cycle, settings):
    from public.opendata import DATASETS

    settings.RELAZIONE = {**settings.RELAZIONE, "OPEN_DATA_LICENSE": "Licenza-Di-Prova 9.9"}
    for dataset in DATASETS.values():
        html = client.get(
            reverse("public:dataset", args=["cciaa-bergamo", cycle.year, dataset.slug])
        ).content
        html = html.decode()
        assert "Licenza-Di-Prova 9.9" in html
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in html
        header = csv_rows(download(client, cycle, dataset.slug, "csv"))[0].keys()
        assert list(header) == dataset.names
    assert (
        client.get(
            reverse("public:dataset", args=["cciaa-bergamo", cycle.year, "segreti"])
        ).status_code
        == 404
    )
    assert client.get(f"/trasparenza/cciaa-bergamo/{cycle.year}/bilancio.xlsx").status_code == 404
