# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""The context-and-resources workbook end to end: download, fill, upload, preview, confirm; and
every refusal (bad rows, roles, locked year, stale preview) leaving the data as they were."""

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.locking import YearLocked
from core.models import Cycle
from finance.models import BudgetLine, EconomicIntervention, Holding
from lib.italian import format_decimal
from resources import selectors, services, sheets
from resources.models import ResourcesImport
from staff.models import Headcount, StaffCategory, WorkforceSummary
from tests.people import log_in, open_cycle, people  # noqa: F401 - fixtures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def y2024(cycle):
    return Cycle.objects.select_related("body").get(body=cycle.body, year=2024)


def _download(client, year):
    response = client.get(reverse("resources:workbook", args=["cciaa-bergamo", year]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def _bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _file(wb_or_bytes, name="contesto.xlsx"):
    data = wb_or_bytes if isinstance(wb_or_bytes, bytes) else _bytes(wb_or_bytes)
    return SimpleUploadedFile(name, data, content_type=XLSX)


def _rows(ws):
    """Data rows of a sheet as {header: value}, with their row number."""
    header = [c.value for c in ws[1]]
    return [
        (row[0].row, dict(zip(header, (c.value for c in row), strict=False)))
        for row in ws.iter_rows(min_row=2)
        if any(c.value not in (None, "") for c in row)
    ]


def _set(ws, number, header, value):
    col = [c.value for c in ws[1]].index(header) + 1
    ws.cell(row=number, column=col).value = value


def _find(ws, **where):
    for number, row in _rows(ws):
        if all(row[k] == v for k, v in where.items()):
            return number
    raise AssertionError(where)


def _upload(client, year, wb):
    return client.post(
        reverse("resources:index", args=["cciaa-bergamo", year]), {"file": _file(wb)}
    )


def _confirm(client, year, token):
    return client.post(reverse("resources:confirm", args=["cciaa-bergamo", year, token]))


def _data(cycle):
    return selectors.resources_rows(cycle)


# --- Round trip -----------------------------------------------------------------------------


def _fill_2024(wb):
    """Type a figure in every empty figure cell, as the office would."""
    budget = wb[sheets.BUDGET]
    parents = {row["Voce superiore"] for _, row in _rows(budget) if row["Voce superiore"]}
    for number, row in _rows(budget):
        if row["Voce"] in parents:
            continue  # a line with sub-lines has no figures of its own
        _set(budget, number, "Preventivo aggiornato", 1000 + number)
        _set(budget, number, "Consuntivo", "1.100,50")  # typed as Italian text
    diritto = _find(budget, Voce="1")
    _set(budget, diritto, "Preventivo aggiornato", "13.456.789,00")
    _set(budget, diritto, "Consuntivo", 13987654)
    for number, _ in _rows(wb[sheets.INTERVENTIONS]):
        _set(wb[sheets.INTERVENTIONS], number, "Previsione", 500000)
        _set(wb[sheets.INTERVENTIONS], number, "Costi", 480000)
    for number, _ in _rows(wb[sheets.RATIOS]):
        _set(wb[sheets.RATIOS], number, "Valore dell'anno", "12,34")
    for number, _ in _rows(wb[sheets.HOLDINGS]):
        _set(wb[sheets.HOLDINGS], number, "Capitale sociale", 1000000)
        _set(wb[sheets.HOLDINGS], number, "Valore nominale della partecipazione", 12345)
    for number, _ in _rows(wb[sheets.CATEGORIES]):
        _set(wb[sheets.CATEGORIES], number, "Dotazione organica", 40)
    for number, _ in _rows(wb[sheets.HEADCOUNTS]):
        _set(wb[sheets.HEADCOUNTS], number, "Dipendenti", 7)
    for number, _ in _rows(wb[sheets.PART_TIME]):
        _set(wb[sheets.PART_TIME], number, "Dipendenti a tempo parziale", 3)
    for number, _ in _rows(wb[sheets.FTE]):
        _set(wb[sheets.FTE], number, "FTE (full time equivalent)", "81,25")
    for number, _ in _rows(wb[sheets.ABSENCES]):
        _set(wb[sheets.ABSENCES], number, "Giorni", 100)
    for number, _ in _rows(wb[sheets.PARENTAL]):
        _set(wb[sheets.PARENTAL], number, "Giorni", 10)
    ws = wb[sheets.SMART_WORKING]
    for number, _ in _rows(ws):
        _set(ws, number, "Dipendenti che hanno svolto lavoro agile", 60)
        _set(ws, number, "Giornate complessive in lavoro agile", 4321)
        _set(ws, number, "Giornate medie a settimana per dipendente", "1,5")
        _set(ws, number, "Dipendenti in lavoro agile al 31/12", 55)
    _fill_declared(wb)


def _fill_declared(wb):
    for number, _ in _rows(wb[sheets.DECLARED]):
        _set(wb[sheets.DECLARED], number, "Valore come riportato", "come stampato")


def test_round_trip_of_a_new_year(client, people, cycle, y2024):
    log_in(client, people.planning)
    assert not any(_data(y2024).values())  # the demo opens 2024 with no resources data
    wb = _download(client, 2024)

    # The structure comes from 2023, the figures are left empty.
    budget_2023 = list(BudgetLine.objects.filter(cycle=cycle).order_by("order"))
    budget = _rows(wb[sheets.BUDGET])
    assert [r["Voce"] for _, r in budget] == [b.code for b in budget_2023]
    assert {r["Preventivo aggiornato"] for _, r in budget} == {None}
    assert budget[[b.code for b in budget_2023].index("7a")][1]["Voce superiore"] == "7"
    headcounts = _rows(wb[sheets.HEADCOUNTS])
    assert len(headcounts) == Headcount.objects.filter(cycle=cycle).count()
    assert {r["Anno"] for _, r in headcounts} == {2024, 2023}
    assert {r["Dipendenti"] for _, r in headcounts} == {None}
    assert wb[sheets.BUDGET].freeze_panes == "A2"
    assert wb[sheets.BUDGET]["A1"].font.b
    instructions = " ".join(str(c.value) for c in wb[sheets.INSTRUCTIONS_SHEET]["A"] if c.value)
    assert "pre-compilati con la struttura del 2023" in instructions

    _fill_2024(wb)
    response = _upload(client, 2024, wb)
    assert response.status_code == 200, response.content.decode()[:3000]
    preview = response.context["preview"]
    total = sum(len(rows) for rows in _data(cycle).values())
    assert (preview.added, preview.changed, preview.removed) == (total, 0, 0)
    assert not any(_data(y2024).values())  # a preview writes nothing
    token = response.context["token"]
    assert token

    response = _confirm(client, 2024, token)
    assert response.status_code == 302
    assert response["Location"] == reverse("resources:index", args=["cciaa-bergamo", 2024])
    message = f"Importazione applicata: {total} righe aggiunte, 0 modificate, 0 eliminate."
    assert message in client.get(response["Location"]).content.decode()

    after = _data(y2024)
    for title, rows in _data(cycle).items():
        assert len(after[title]) == len(rows), title
    line = BudgetLine.objects.get(cycle=y2024, code="1")
    assert (line.forecast, line.actual) == (Decimal("13456789"), Decimal("13987654"))
    assert BudgetLine.objects.get(cycle=y2024, code="7a").parent.code == "7"
    assert BudgetLine.objects.get(cycle=y2024, code="7").forecast is None
    log = ResourcesImport.objects.get(cycle=y2024)
    assert (log.user, log.added, log.changed, log.removed) == (people.planning, total, 0, 0)

    budget_page = client.get(
        reverse("reports:budget", args=["cciaa-bergamo", 2024])
    ).content.decode()
    assert "13.456.789" in budget_page and "13.987.654" in budget_page
    people_page = client.get(
        reverse("reports:people", args=["cciaa-bergamo", 2024])
    ).content.decode()
    categories = StaffCategory.objects.filter(cycle=y2024).count()
    assert f"<strong>{categories * 4 * 7}</strong>" in people_page  # 2 contracts x 2 genders
    assert "81,25" in people_page

    page = client.get(reverse("resources:index", args=["cciaa-bergamo", 2024])).content.decode()
    assert f"{total} righe aggiunte, 0 modificate, 0 eliminate" in page


def test_a_new_year_can_be_filled_one_table_at_a_time(client, people, y2024):
    log_in(client, people.planning)
    wb = _download(client, 2024)
    holdings = wb[sheets.HOLDINGS]
    for number, _ in _rows(holdings):
        _set(holdings, number, "Capitale sociale", "2.000.000")
        _set(holdings, number, "Valore nominale della partecipazione", "1.000")
    response = _upload(client, 2024, wb)
    assert response.status_code == 200, response.context["preview"].errors
    statuses = {s.title: s.status for s in response.context["preview"].sheets}
    assert statuses.pop(sheets.HOLDINGS) == "uploaded"
    assert set(statuses.values()) == {"unfilled"}
    others = len(sheets.SHEETS) - 1  # every sheet but the holdings
    assert response.content.decode().count("la sola struttura pre-compilata") == others
    assert _confirm(client, 2024, response.context["token"]).status_code == 302
    data = _data(y2024)
    assert data.pop(sheets.HOLDINGS)
    assert not any(data.values())
    # The next download keeps the holdings and still pre-fills the other tables.
    again = _download(client, 2024)
    assert {r["Capitale sociale"] for _, r in _rows(again[sheets.HOLDINGS])} == {2000000}
    assert {r["Preventivo aggiornato"] for _, r in _rows(again[sheets.BUDGET])} == {None}
    assert _rows(again[sheets.BUDGET])


def test_the_same_workbook_uploaded_again_changes_nothing(client, people, open_cycle):
    log_in(client, people.planning)
    wb = _download(client, 2023)
    response = _upload(client, 2023, wb)
    assert response.status_code == 200
    assert "Nessuna modifica" in response.content.decode()
    assert response.context["token"] == ""
    assert not response.context["preview"].has_changes
    # The downloaded file kept every recorded value exactly (numbers, labels, parents).
    assert {s.status for s in response.context["preview"].sheets} == {"uploaded"}


def test_a_sheet_left_out_keeps_its_table_and_the_preview_says_so(client, people, open_cycle):
    log_in(client, people.planning)
    wb = _download(client, 2023)
    for title in [s.title for s in sheets.SHEETS if s.title != sheets.HOLDINGS]:
        del wb[title]
    ws = wb[sheets.HOLDINGS]
    number = _rows(ws)[0][0]
    _set(ws, number, "Valore nominale della partecipazione", "1,00")
    before = _data(open_cycle)
    response = _upload(client, 2023, wb)
    assert response.status_code == 200
    text = response.content.decode()
    others = len(sheets.SHEETS) - 1  # every sheet but the holdings
    assert text.count("Foglio non presente nel file: la tabella resta invariata.") == others
    token = response.context["token"]
    assert _confirm(client, 2023, token).status_code == 302
    after = _data(open_cycle)
    assert after[sheets.HOLDINGS] != before[sheets.HOLDINGS]
    assert {k: v for k, v in after.items() if k != sheets.HOLDINGS} == {
        k: v for k, v in before.items() if k != sheets.HOLDINGS
    }


# --- Bad input: nothing changes -------------------------------------------------------------


def test_bad_rows_in_the_middle_change_nothing_and_are_named(client, people, open_cycle):
    log_in(client, people.planning)
    wb = _download(client, 2023)
    # A good change first, so that "nothing changes" means all or none.
    _set(wb[sheets.BUDGET], _find(wb[sheets.BUDGET], Voce="1"), "Consuntivo", 1)
    interventions = wb[sheets.INTERVENTIONS]
    bad_money = _rows(interventions)[2][0]
    _set(interventions, bad_money, "Previsione", "abc")
    holdings = wb[sheets.HOLDINGS]
    bad_holding = _rows(holdings)[1][0]
    _set(holdings, bad_holding, "Capitale sociale", 100)
    _set(holdings, bad_holding, "Valore nominale della partecipazione", 200)
    staff = wb[sheets.HEADCOUNTS]
    bad_category = _rows(staff)[5][0]
    _set(staff, bad_category, "Area di inquadramento", "Area inesistente")
    before = _data(open_cycle)

    response = _upload(client, 2023, wb)
    assert response.status_code == 400
    errors = response.context["preview"].errors
    assert errors == [
        f"Foglio «Interventi economici», riga {bad_money}: «Previsione»: «abc» non è un numero "
        "(scrivere ad esempio 1.284,50: punto per le migliaia, virgola per i decimali).",
        f"Foglio «Partecipazioni», riga {bad_holding}: il valore nominale della partecipazione "
        "(200,00) supera il capitale sociale (100,00).",
    ]
    assert response.context["token"] == ""
    assert "nessun dato è stato modificato" in response.content.decode()

    # The category is checked once the cells are valid: fix those two, upload again.
    _set(interventions, bad_money, "Previsione", 1)
    _set(holdings, bad_holding, "Capitale sociale", 1000)
    response = _upload(client, 2023, wb)
    assert response.status_code == 400
    assert response.context["preview"].errors == [
        f"Foglio «Personale», riga {bad_category}: «Area di inquadramento»: «Area inesistente» "
        "non è elencata nel foglio «Aree di inquadramento»."
    ]
    # The service refuses the same file as a whole.
    with pytest.raises(services.ResourcesImportRejected):
        services.resources_import_apply(
            user=people.planning,
            cycle=open_cycle,
            file=_file(wb),
            expected_fingerprint=sheets.fingerprint(before),
        )
    assert _data(open_cycle) == before
    assert not ResourcesImport.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(client, people, open_cycle):
    log_in(client, people.planning)
    upload = SimpleUploadedFile("dati.xlsx", b"Anno;FTE\n2023;80\n", content_type=XLSX)
    response = client.post(
        reverse("resources:index", args=["cciaa-bergamo", 2023]), {"file": upload}
    )
    assert response.status_code == 400
    assert "non è un foglio Excel .xlsx valido" in response.content.decode()


def test_a_post_without_a_file_shows_the_form_again_with_its_error(client, people, open_cycle):
    log_in(client, people.planning)
    response = client.post(reverse("resources:index", args=["cciaa-bergamo", 2023]), {})
    assert response.status_code == 400
    assert response.templates[0].name == "resources/index.html"
    assert response.context["form"].errors["file"]


def test_renamed_headers_and_unknown_sheets_are_refused(client, people, open_cycle):
    log_in(client, people.planning)
    wb = _download(client, 2023)
    wb[sheets.FTE]["B1"].value = "FTE"
    wb.create_sheet("Appunti")
    response = _upload(client, 2023, wb)
    assert response.status_code == 400
    errors = response.context["preview"].errors
    assert errors[0].startswith("Il foglio «Appunti» non è previsto")
    assert "Foglio «FTE»: intestazioni non previste: «FTE»." in errors


def test_a_label_starting_with_equals_is_stored_and_written_back_as_text(
    client, people, open_cycle
):
    log_in(client, people.planning)
    wb = _download(client, 2023)
    ws = wb[sheets.INTERVENTIONS]
    ws.append(["=1+1", 10, 5])
    response = _upload(client, 2023, wb)
    assert response.status_code == 200, response.context["preview"].errors
    assert _confirm(client, 2023, response.context["token"]).status_code == 302
    assert EconomicIntervention.objects.get(cycle=open_cycle, label="=1+1").forecast == 10
    again = _download(client, 2023)[sheets.INTERVENTIONS]
    cell = again.cell(row=_find(again, **{"Linea di intervento": "=1+1"}), column=1)
    assert cell.data_type == "s"


# --- Who and when ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager_a", "oiv"])
def test_refused_for_managers_and_the_oiv(client, people, open_cycle, role):
    user = people.all()[role]
    log_in(client, user)
    for response in (
        client.get(reverse("resources:index", args=["cciaa-bergamo", 2023])),
        client.get(reverse("resources:workbook", args=["cciaa-bergamo", 2023])),
        client.post(reverse("resources:index", args=["cciaa-bergamo", 2023]), {}),
        client.post(reverse("resources:confirm", args=["cciaa-bergamo", 2023, "x"])),
    ):
        assert response.status_code == 403
        assert "ufficio pianificazione" in response.content.decode()
    before = _data(open_cycle)
    with pytest.raises(PermissionDenied, match="Solo l'ufficio pianificazione"):
        services.resources_import_preview(user=user, cycle=open_cycle, file=b"")
    with pytest.raises(PermissionDenied):
        services.resources_import_apply(
            user=user, cycle=open_cycle, file=b"", expected_fingerprint=""
        )
    assert _data(open_cycle) == before


def test_the_planning_office_index_links_the_page(client, people, y2024):
    url = reverse("indicators:index", args=["cciaa-bergamo", 2024])
    link = reverse("resources:index", args=["cciaa-bergamo", 2024])
    log_in(client, people.planning)
    assert link in client.get(url).content.decode()
    log_in(client, people.manager_a)
    assert link not in client.get(url).content.decode()


def test_anonymous_people_are_sent_to_the_login(client, cycle):
    response = client.get(reverse("resources:index", args=["cciaa-bergamo", 2023]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_locked_year_shows_its_data_without_the_upload_form(client, people, cycle):
    assert cycle.state == Cycle.State.PUBLISHED
    log_in(client, people.planning)
    response = client.get(reverse("resources:index", args=["cciaa-bergamo", 2023]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "sono in sola lettura" in text
    assert 'type="file"' not in text
    counts = dict((spec.title, n) for spec, n in response.context["sheets"])
    assert counts[sheets.BUDGET] == BudgetLine.objects.filter(cycle=cycle).count() > 0
    wb = _download(client, 2023)  # the data, readable
    before = _data(cycle)

    response = _upload(client, 2023, wb)
    assert response.status_code == 403
    with pytest.raises(PermissionDenied, match="validato o pubblicato"):
        services.resources_import_preview(user=people.planning, cycle=cycle, file=_file(wb))
    with pytest.raises(PermissionDenied, match="validato o pubblicato"):
        services.resources_import_apply(
            user=people.admin,
            cycle=cycle,
            file=_file(wb),
            expected_fingerprint=sheets.fingerprint(before),
        )
    assert _data(cycle) == before


def test_the_year_lock_refuses_the_writes_below_the_service(people, cycle):
    """Even past the permission check, the ORM writes meet the locked-year guard."""
    preview = services.Preview(fingerprint="")
    preview.rows = {sheets.FTE: [{"year": 2023, "fte": Decimal("1")}]}
    preview.sheets = [
        services.SheetPreview(
            sheets.FTE,
            "uploaded",
            sheets.sheet_diff(sheets.SHEETS_BY_TITLE[sheets.FTE], [], preview.rows[sheets.FTE]),
        )
    ]
    with pytest.raises(YearLocked):
        services._write(cycle, preview)


def test_a_stale_preview_is_refused(client, people, open_cycle):
    log_in(client, people.planning)
    wb = _download(client, 2023)
    ws = wb[sheets.HOLDINGS]
    _set(ws, _rows(ws)[0][0], "Valore nominale della partecipazione", 2)
    response = _upload(client, 2023, wb)
    token = response.context["token"]

    # Someone else imports meanwhile.
    other = _download(client, 2023)
    other_ws = other[sheets.INTERVENTIONS]
    _set(other_ws, _rows(other_ws)[0][0], "Costi", 1)
    fingerprint = services.resources_import_preview(
        user=people.admin, cycle=open_cycle, file=_file(other)
    ).fingerprint
    services.resources_import_apply(
        user=people.admin, cycle=open_cycle, file=_file(other), expected_fingerprint=fingerprint
    )
    before = _data(open_cycle)

    response = _confirm(client, 2023, token)
    assert response.status_code == 409
    text = response.content.decode()
    assert "modificati da un&#x27;altra importazione dopo l&#x27;anteprima" in text
    assert _data(open_cycle) == before
    assert ResourcesImport.objects.count() == 1
    # The page offers the fresh comparison, to be checked and confirmed again.
    fresh = response.context["token"]
    assert fresh and fresh != token
    assert _confirm(client, 2023, fresh).status_code == 302
    assert ResourcesImport.objects.count() == 2
    # A used token is gone.
    assert _confirm(client, 2023, fresh).status_code == 404


def _fte_only(year, fte):
    wb = Workbook()
    ws = wb.active
    ws.title = sheets.FTE
    ws.append(["Anno", "FTE (full time equivalent)"])
    ws.append([year, fte])
    return wb


def test_the_service_applies_only_on_the_data_it_previewed(people, open_cycle):
    before = _data(open_cycle)
    old_fte = format_decimal(WorkforceSummary.objects.get(cycle=open_cycle, year=2023).fte)
    assert old_fte != "99,5"
    preview = services.resources_import_preview(
        user=people.planning, cycle=open_cycle, file=_file(_fte_only(2023, "99,5"))
    )
    assert preview.fingerprint == sheets.fingerprint(before)
    with pytest.raises(services.StalePreview):
        services.resources_import_apply(
            user=people.planning,
            cycle=open_cycle,
            file=_file(_fte_only(2023, "99,5")),
            expected_fingerprint="0" * 64,
        )
    assert _data(open_cycle) == before
    log = services.resources_import_apply(
        user=people.planning,
        cycle=open_cycle,
        file=_file(_fte_only(2023, "99,5")),
        expected_fingerprint=preview.fingerprint,
    )
    assert log.diff == {
        sheets.FTE: {
            "added": [],
            "changed": [
                {"key": "2023", "fields": {"FTE (full time equivalent)": [old_fte, "99,5"]}}
            ],
            "removed": [],
        }
    }
    # Applying the same file again: nothing left to change, refused without a log row.
    with pytest.raises(services.ResourcesImportRejected, match="non contiene modifiche"):
        services.resources_import_apply(
            user=people.planning,
            cycle=open_cycle,
            file=_file(_fte_only(2023, "99,5")),
            expected_fingerprint=sheets.fingerprint(_data(open_cycle)),
        )
    assert ResourcesImport.objects.count() == 1


def test_the_log_records_who_when_old_and_new(client, people, open_cycle):
    log_in(client, people.planning)
    wb = _download(client, 2023)
    budget = wb[sheets.BUDGET]
    _set(budget, _find(budget, Voce="1"), "Preventivo aggiornato", "12.800.000")
    # 7e leaves the sheet; 7d moves out of 7 to stand alone (with its figures).
    budget.delete_rows(_find(budget, Voce="7e"))
    _set(budget, _find(budget, Voce="7d"), "Voce superiore", None)
    holdings = wb[sheets.HOLDINGS]
    company = _rows(holdings)[0][1]["Società"]
    holdings.delete_rows(_rows(holdings)[0][0])
    wb[sheets.INTERVENTIONS].append(["NUOVA LINEA", "1.000,00", 900])

    response = _upload(client, 2023, wb)
    assert response.status_code == 200, response.context["preview"].errors
    assert _confirm(client, 2023, response.context["token"]).status_code == 302

    log = ResourcesImport.objects.get(cycle=open_cycle)
    assert log.user == people.planning and log.at is not None and len(log.sha256) == 64
    assert (log.added, log.changed, log.removed) == (1, 2, 2)
    assert log.diff[sheets.BUDGET]["changed"] == [
        {"key": "1", "fields": {"Preventivo aggiornato": ["12.765.200,00", "12.800.000,00"]}},
        {"key": "7d", "fields": {"Voce superiore": ["7", ""]}},
    ]
    assert log.diff[sheets.BUDGET]["removed"][0]["key"] == "7e"
    assert log.diff[sheets.BUDGET]["removed"][0]["values"]["Consuntivo"] == "229.945,00"
    assert log.diff[sheets.HOLDINGS]["removed"][0]["key"] == company
    assert log.diff[sheets.INTERVENTIONS]["added"] == [
        {
            "key": "NUOVA LINEA",
            "values": {
                "Linea di intervento": "NUOVA LINEA",
                "Previsione": "1.000,00",
                "Costi": "900,00",
            },
        }
    ]
    assert BudgetLine.objects.get(cycle=open_cycle, code="7d").parent is None
    assert not BudgetLine.objects.filter(cycle=open_cycle, code="7e").exists()
    assert not Holding.objects.filter(cycle=open_cycle, company=company).exists()

    page = client.get(reverse("resources:index", args=["cciaa-bergamo", 2023])).content.decode()
    assert "1 riga aggiunta, 2 modificate, 2 eliminate" in page
    assert re.search(r"<td>12\.765\.200,00</td><td><strong>12\.800\.000,00</strong></td>", page)


# --- Queries --------------------------------------------------------------------------------

PAGE_QUERIES = [
    "session",
    "user",
    "the body of the address (the role is asked of it before the year: a 403 before a 404)",
    "user's memberships with their units (the role in the body)",
    "cycle (with body) for the year",
    "rows per sheet (one query, a subquery per table)",
    "visible years for the selector",
    "imports of the year with their user",
    "the year's parts for the menu (resources.structure.year_structure)",
]


def test_page_query_count_is_fixed(client, people, open_cycle, django_assert_num_queries):
    log_in(client, people.planning)
    url = reverse("resources:index", args=["cciaa-bergamo", 2023])
    with django_assert_num_queries(len(PAGE_QUERIES)):
        assert client.get(url).status_code == 200
    wb = _download(client, 2023)
    _set(wb[sheets.FTE], 2, "FTE (full time equivalent)", "1,5")
    _confirm(client, 2023, _upload(client, 2023, wb).context["token"])
    wb = _download(client, 2023)
    _set(wb[sheets.FTE], 2, "FTE (full time equivalent)", "2,5")
    _confirm(client, 2023, _upload(client, 2023, wb).context["token"])
    assert ResourcesImport.objects.count() == 2
    with django_assert_num_queries(len(PAGE_QUERIES)):  # the log does not add queries
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "model_path",
    [
        "resources.ResourcesImport",
        "consistency.FindingJustification",
        "resources.ContextTable",
    ],
)
def test_records_written_by_their_pages_are_read_only_in_the_admin(
    client, people, y2024, model_path
):
    # Their one write path is a page with its service (role, open finding, parsed cells,
    # version): the admin shows them and changes nothing.
    from django.apps import apps
    from django.contrib.admin.sites import site

    model = apps.get_model(model_path)
    make = {
        "resources.ResourcesImport": {"user": people.planning, "sha256": "0" * 64},
        "consistency.FindingJustification": {"rule": "X", "object_key": "y", "text": "z"},
        "resources.ContextTable": {"key": "prova", "title": "Prova", "columns": ["A", "B"]},
    }[model_path]
    entry = model.objects.create(cycle=y2024, **make)
    log_in(client, people.admin)
    model_admin = site._registry[model]
    request = client.get("/").wsgi_request
    request.user = people.admin
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[entry.pk])
    response = client.get(url)
    assert response.status_code == 200 and 'name="_save"' not in response.content.decode()
    assert client.post(url, {}).status_code == 403
