# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""The Excel round-trip: download, edit, upload, preview, confirm; security checks of uploads;
the plan of a new year from the template."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Body, Cycle
from indicators import plan_workbook, services, workbook
from indicators.models import Indicator
from lib.xlsx_response import XLSX_TYPE
from objectives.models import Scorecard
from tests.people import (  # noqa: F401 - fixtures
    log_in,
    open_cycle,
    people,
    unit_a_indicator,
    unit_b_indicator,
)

ACTUAL_COL = workbook.HEADERS.index(workbook.ACTUAL_HEADER) + 1
EXPL_COL = workbook.HEADERS.index(workbook.EXPLANATION_HEADER) + 1


def _download(client, slug="promozione", year=2023):
    response = client.get(reverse("indicators:workbook", args=["cciaa-bergamo", year, slug]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _row_of(wb, indicator_id):
    ws = wb[workbook.ACTUALS_SHEET]
    for row in range(2, ws.max_row + 1):
        if str(ws.cell(row, 1).value).startswith(f"{indicator_id}:"):
            return row
    raise AssertionError("indicator not in the sheet")


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, data: bytes, slug="promozione", name="valori.xlsx"):
    return client.post(
        reverse("indicators:upload", args=["cciaa-bergamo", 2023, slug]),
        {"file": SimpleUploadedFile(name, data, content_type=XLSX_TYPE)},
    )


def _set(wb, row, actual=None, explanation=None):
    ws = wb[workbook.ACTUALS_SHEET]
    if actual is not None:
        ws.cell(row, ACTUAL_COL).value = actual
    if explanation is not None:
        cell = ws.cell(row, EXPL_COL)
        cell.value = explanation
        cell.data_type = "s"


def test_download_locks_descriptive_columns_and_hides_the_id(
    client, people, open_cycle, unit_a_indicator
):
    log_in(client, people.manager_a)
    wb = _download(client)
    ws = wb[workbook.ACTUALS_SHEET]
    assert ws.protection.sheet is True
    assert ws.column_dimensions["A"].hidden is True
    row = _row_of(wb, unit_a_indicator.id)
    assert ws.cell(row, 1).value == f"{unit_a_indicator.id}:{unit_a_indicator.version}"
    assert ws.cell(row, 3).protection.locked is True  # indicator name
    assert ws.cell(row, ACTUAL_COL).protection.locked is False
    assert ws.cell(row, EXPL_COL).protection.locked is False
    card = Scorecard.objects.get(cycle=open_cycle, slug="promozione")
    assert ws.max_row - 1 == card.rows.values("indicator").distinct().count()


def test_valid_file_previews_then_applies(client, people, open_cycle, unit_a_indicator):
    log_in(client, people.manager_a)
    wb = _download(client)
    _set(wb, _row_of(wb, unit_a_indicator.id), actual="1.284")
    response = _upload(client, _save(wb))
    assert response.status_code == 200
    text = response.content.decode()
    assert "14 → <strong>1.284</strong>" in text
    unit_a_indicator.refresh_from_db()
    assert unit_a_indicator.actual == "14"  # nothing until confirmed
    token = response.context["token"]
    response = client.post(reverse("indicators:confirm", args=["cciaa-bergamo", 2023, token]))
    assert response.status_code == 302
    unit_a_indicator.refresh_from_db()
    assert (unit_a_indicator.actual, unit_a_indicator.version) == ("1.284", 2)
    # The token is single use.
    assert (
        client.post(reverse("indicators:confirm", args=["cciaa-bergamo", 2023, token])).status_code
        == 404
    )


def test_confirm_revalidates_a_preview_gone_stale(client, people, open_cycle, unit_a_indicator):
    log_in(client, people.manager_a)
    wb = _download(client)
    _set(wb, _row_of(wb, unit_a_indicator.id), actual="20")
    token = _upload(client, _save(wb)).context["token"]
    services.indicator_update_actual(
        user=people.planning,
        indicator=unit_a_indicator,
        actual="30",
        explanation="",
        expected_version=1,
    )
    response = client.post(reverse("indicators:confirm", args=["cciaa-bergamo", 2023, token]))
    assert response.status_code == 409
    assert "modificato da altri" in response.content.decode()
    unit_a_indicator.refresh_from_db()
    assert unit_a_indicator.actual == "30"


def test_one_bad_row_in_the_middle_changes_nothing(client, people, open_cycle):
    log_in(client, people.manager_a)
    wb = _download(client)
    ws = wb[workbook.ACTUALS_SHEET]
    numeric = []
    for row in range(2, ws.max_row + 1):
        ind_id = int(ws.cell(row, 1).value.split(":")[0])
        if Indicator.objects.get(pk=ind_id).kind == "number":
            numeric.append(row)
    first, middle, last = numeric[0], numeric[len(numeric) // 2], numeric[-1]
    before = list(Indicator.objects.order_by("id").values_list("actual", "version"))
    _set(wb, first, actual="999")
    _set(wb, middle, actual="tanti")
    _set(wb, last, actual="999")
    response = _upload(client, _save(wb))
    assert response.status_code == 400
    text = response.content.decode()
    assert f"Riga {middle}" in text and "numero in formato italiano" in text
    assert "Nessun valore è stato modificato" in text
    assert response.context["token"] == ""
    assert list(Indicator.objects.order_by("id").values_list("actual", "version")) == before


def test_apply_is_all_or_nothing_in_the_service(people, open_cycle, unit_a_indicator):
    from indicators.entry import RowInput

    other = (
        Indicator.objects.filter(
            cycle=open_cycle, operational_objective__units__slug="promozione", kind="number"
        )
        .exclude(pk=unit_a_indicator.pk)
        .first()
    )
    rows = [
        RowInput(2, unit_a_indicator.id, 1, "50", ""),
        RowInput(3, other.id, other.version, "=1+1", ""),
    ]
    with pytest.raises(services.BatchRejected) as exc:
        services.actuals_import_apply(user=people.manager_a, cycle=open_cycle, rows=rows)
    assert "Riga 3" in exc.value.messages[0] and "formule" in exc.value.messages[0]
    unit_a_indicator.refresh_from_db()
    assert unit_a_indicator.actual == "14"


def test_wrong_owner_row_is_refused(client, people, open_cycle, unit_a_indicator, unit_b_indicator):
    # Manager A's sheet with a row of unit B pasted in (its id copied from B's sheet).
    log_in(client, people.manager_a)
    wb = _download(client)
    ws = wb[workbook.ACTUALS_SHEET]
    row = ws.max_row + 1
    ws.cell(row, 1).value = f"{unit_b_indicator.id}:{unit_b_indicator.version}"
    ws.cell(row, ACTUAL_COL).value = "77"
    response = _upload(client, _save(wb))
    assert response.status_code == 400
    assert f"Riga {row}" in response.content.decode()
    assert "permesso" in response.content.decode()
    unit_b_indicator.refresh_from_db()
    assert unit_b_indicator.actual != "77"


def test_formula_in_a_comment_is_stored_as_text(client, people, open_cycle, unit_a_indicator):
    log_in(client, people.manager_a)
    wb = _download(client)
    row = _row_of(wb, unit_a_indicator.id)
    formula = '=HYPERLINK("http://example.com","clic")'
    _set(wb, row, actual="5", explanation=formula)
    response = _upload(client, _save(wb))
    assert response.status_code == 200, response.content.decode()[-3000:]
    client.post(
        reverse("indicators:confirm", args=["cciaa-bergamo", 2023, response.context["token"]])
    )
    unit_a_indicator.refresh_from_db()
    assert (unit_a_indicator.actual, unit_a_indicator.explanation) == ("5", formula)
    # Downloaded again, it is a text cell, not a formula.
    wb = _download(client)
    cell = wb[workbook.ACTUALS_SHEET].cell(_row_of(wb, unit_a_indicator.id), EXPL_COL)
    assert cell.data_type == "s" and cell.value == formula


def test_formula_as_a_value_is_refused(client, people, open_cycle, unit_a_indicator):
    log_in(client, people.manager_a)
    wb = _download(client)
    _set(wb, _row_of(wb, unit_a_indicator.id), actual="=10+10")
    response = _upload(client, _save(wb))
    assert response.status_code == 400
    assert "formule non sono ammesse" in response.content.decode()


def test_closed_year_upload_is_refused(client, people, cycle):
    log_in(client, people.manager_a)
    response = _upload(client, b"PK\x03\x04whatever")
    assert response.status_code == 403


# --- Upload checks (pure) ------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_renamed_text_file_is_rejected():
    with pytest.raises(workbook.WorkbookError, match="non è un foglio Excel"):
        workbook.workbook_parse(b"indicatore;valore\nPratiche;12\n")


def test_zip_bomb_is_rejected():
    bomb = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/worksheets/sheet1.xml": b"0" * (60 * 1024 * 1024),
        }
    )
    assert len(bomb) < 1024 * 1024  # small on the wire
    with pytest.raises(workbook.WorkbookError, match="zip bomb"):
        workbook.workbook_parse(bomb)


def test_xml_entity_payload_is_rejected():
    good = workbook.actuals_workbook("x", [])
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;">]><sst>&lol2;</sst>'
    )
    with pytest.raises(workbook.WorkbookError, match="DOCTYPE/ENTITY"):
        workbook.workbook_parse(_zip(entries))


def test_oversized_and_corrupt_files_are_rejected():
    with pytest.raises(workbook.WorkbookError, match="5 MB"):
        workbook.workbook_parse(b"PK\x03\x04" + b"0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(workbook.WorkbookError, match="danneggiato"):
        workbook.workbook_parse(b"PK\x03\x04 not really a zip")


def test_rejections_reach_the_page_in_italian(client, people, open_cycle):
    log_in(client, people.manager_a)
    response = _upload(client, b"solo testo", name="valori.xlsx")
    assert response.status_code == 400
    assert "Il file non è stato importato" in response.content.decode()


def test_parse_reads_typed_excel_cells_as_italian_text():
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = workbook.ACTUALS_SHEET
    ws.append(workbook.HEADERS)
    ws.append(["1:1", "", "", "", "", "", dt.datetime(2023, 6, 30), ""])
    ws.append(["2:1", "", "", "", "", "", 1284, ""])
    ws.append(["3:1", "", "", "", "", "", 0.856, ""])
    ws.cell(4, ACTUAL_COL).number_format = "0.00%"
    ws.append(["4:1", "", "", "", "", "", "=SUM(A1:A2)", ""])
    parsed = workbook.workbook_parse(_save(wb))
    assert [r.actual for r in parsed.rows] == ["30/06/2023", "1.284", "85,6%", "=SUM(A1:A2)"]


# --- Plan of a new year ----------------------------------------------------------------------


def _plan_file(extra_indicator_row=None) -> bytes:
    wb = load_workbook(io.BytesIO(plan_workbook.plan_template([("promozione", "Promozione")])))
    if extra_indicator_row:
        wb["Indicatori"].append(extra_indicator_row)
    return _save(wb)


def test_plan_template_round_trip_creates_a_new_year(client, people):
    log_in(client, people.planning)
    template = client.get(reverse("indicators:plan_template", args=["cciaa-bergamo"]))
    assert template.status_code == 200
    data = _plan_file(
        ["1.1", "Erogare i contributi alle imprese", "Bandi pubblicati", "", "Sì/No", "", "SI"]
    )
    response = client.post(
        reverse("indicators:plan_import", args=["cciaa-bergamo"]),
        {"year": 2031, "file": SimpleUploadedFile("piano.xlsx", data)},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    new = Cycle.objects.get(year=2031)
    assert new.state == Cycle.State.PLANNING
    names = sorted(new.indicators.values_list("name", "kind", "target"))
    assert names == [
        ("Bandi pubblicati", "boolean", "SI"),
        ("Tempo medio di liquidazione dei contributi (giorni)", "number", "60"),
    ]
    unit_card = Scorecard.objects.get(cycle=new, slug="promozione")
    assert unit_card.rows.count() == 2


def test_plan_with_a_bad_row_creates_nothing(client, people):
    log_in(client, people.planning)
    data = _plan_file(["1.1", "Erogare i contributi alle imprese", "Rotto", "", "colore"])
    response = client.post(
        reverse("indicators:plan_import", args=["cciaa-bergamo"]),
        {"year": 2032, "file": SimpleUploadedFile("piano.xlsx", data)},
    )
    assert response.status_code == 400
    assert "Foglio «Indicatori», riga 3, colonna «Tipo»: «colore» non valido" in (
        response.content.decode()
    )
    assert not Cycle.objects.filter(year=2032).exists()


def test_the_plan_goes_into_the_body_of_the_address_never_one_the_form_names(client, people):
    other = Body.objects.create(name="Camera di commercio di Prova", slug="prova")
    bergamo = Body.objects.get(slug="cciaa-bergamo")
    log_in(client, people.planning)  # planning office of Bergamo only
    data = _plan_file(
        ["1.1", "Erogare i contributi alle imprese", "Bandi pubblicati", "", "Sì/No", "", "SI"]
    )
    response = client.post(
        reverse("indicators:plan_import", args=[other.slug]),
        {"year": 2033, "file": SimpleUploadedFile("piano.xlsx", data)},
    )
    assert response.status_code == 403  # not a planner of «prova»
    assert not Cycle.objects.filter(year=2033).exists()
    response = client.post(  # a «body» sent by hand is not a field of the form
        reverse("indicators:plan_import", args=[bergamo.slug]),
        {"year": 2033, "body": other.pk, "file": SimpleUploadedFile("piano.xlsx", data)},
    )
    assert response.status_code == 302
    assert Cycle.objects.get(year=2033).body == bergamo
