# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""The figures a source printed (``DeclaredFigure``) in the context-and-resources workbook: the
sheet «Valori dichiarati», keyed by table and key, downloaded, previewed, applied, logged, and
refused on a locked year like every other sheet."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.locking import YearLocked
from core.models import Cycle
from resources import selectors, services, sheets
from resources.models import DeclaredFigure, ResourcesImport
from tests.people import log_in, open_cycle, people  # noqa: F401 - fixtures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["Tabella", "Chiave", "Descrizione", "Valore", "Valore come riportato", "Fonte"]


def _download(client, year):
    response = client.get(reverse("resources:workbook", args=["cciaa-bergamo", year]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _file(wb, name="dichiarati.xlsx"):
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX)


def _upload(client, year, wb):
    return client.post(
        reverse("resources:index", args=["cciaa-bergamo", year]), {"file": _file(wb)}
    )


def _confirm(client, year, token):
    return client.post(reverse("resources:confirm", args=["cciaa-bergamo", year, token]))


def _rows(ws):
    header = [c.value for c in ws[1]]
    return [
        (row[0].row, dict(zip(header, (c.value for c in row), strict=False)))
        for row in ws.iter_rows(min_row=2)
        if any(c.value not in (None, "") for c in row)
    ]


def _find(ws, table, key):
    for number, row in _rows(ws):
        if (row["Tabella"], row["Chiave"]) == (table, key):
            return number
    raise AssertionError((table, key))


def _set(ws, number, header, value):
    ws.cell(row=number, column=HEADERS.index(header) + 1).value = value


def _figures(cycle):
    return {
        (d.table, d.key): (d.label, d.value, d.text, d.source)
        for d in DeclaredFigure.objects.filter(cycle=cycle)
    }


def _declared_only(*rows):
    """A workbook with the declared figures' sheet alone (the others left out: unchanged)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheets.DECLARED
    ws.append(HEADERS)
    for row in rows:
        ws.append(list(row))
    return wb


# --- The sheet ----------------------------------------------------------------------------------


def test_the_sheet_is_declared_once_with_the_models_limits():
    spec = sheets.SHEETS_BY_TITLE[sheets.DECLARED]
    assert spec.model is DeclaredFigure
    assert spec.headers == HEADERS
    assert spec.key == ("table", "key")
    for column in spec.columns:
        field = DeclaredFigure._meta.get_field(column.field)
        if column.kind is sheets.Kind.TEXT:
            assert column.max_length == field.max_length
        else:
            assert (column.max_digits, column.decimals) == (field.max_digits, field.decimal_places)


def test_the_download_lists_every_declared_figure_of_the_year(client, people, open_cycle):
    log_in(client, people.planning)
    wb = _download(client, 2023)
    rows = _rows(wb[sheets.DECLARED])
    assert [c.value for c in wb[sheets.DECLARED][1]] == HEADERS
    figures = _figures(open_cycle)
    assert len(rows) == len(figures) > 0
    for _, row in rows:
        label, value, text, source = figures[(row["Tabella"], row["Chiave"])]
        assert row["Descrizione"] == label and (row["Fonte"] or "") == source
        assert (row["Valore come riportato"] or "") == text
        assert (None if row["Valore"] is None else Decimal(str(row["Valore"]))) == value
    # The sheet is explained with the others.
    instructions = " ".join(str(c.value) for row in wb["Istruzioni"].iter_rows() for c in row)
    assert sheets.DECLARED in instructions


def test_the_same_workbook_uploaded_again_changes_nothing(client, people, open_cycle):
    log_in(client, people.planning)
    response = _upload(client, 2023, _download(client, 2023))
    assert response.status_code == 200, response.context["preview"].errors
    statuses = {s.title: s.status for s in response.context["preview"].sheets}
    assert statuses[sheets.DECLARED] == "uploaded"
    assert not response.context["preview"].has_changes


# --- Preview, apply, log ------------------------------------------------------------------------


def test_added_changed_and_removed_figures_are_previewed_then_applied_and_logged(
    client, people, open_cycle
):
    log_in(client, people.planning)
    wb = _download(client, 2023)
    ws = wb[sheets.DECLARED]
    (first, row), (second, gone) = _rows(ws)[:2]
    _set(ws, first, "Valore", "1.234,5")  # Italian text in a value cell
    _set(ws, first, "Valore come riportato", "1.234,50")
    ws.delete_rows(second)
    ws.append(["nuova", "totale", "Totale della tabella nuova", 12.25, "12,25%", "Documento"])
    before = _figures(open_cycle)

    response = _upload(client, 2023, wb)
    assert response.status_code == 200, response.context["preview"].errors
    diff = response.context["preview"].diffs[sheets.DECLARED]
    assert [key for key, _ in diff.added] == ["nuova · totale"]
    assert [key for key, _ in diff.removed] == [f"{gone['Tabella']} · {gone['Chiave']}"]
    [(key, fields)] = diff.changed
    assert key == f"{row['Tabella']} · {row['Chiave']}"
    assert ("Valore", "1.234,5") in [(h, new) for h, _, new in fields]
    assert _figures(open_cycle) == before  # the preview writes nothing

    assert _confirm(client, 2023, response.context["token"]).status_code == 302
    after = _figures(open_cycle)
    assert after[(row["Tabella"], row["Chiave"])][1:3] == (Decimal("1234.5"), "1.234,50")
    assert (gone["Tabella"], gone["Chiave"]) not in after
    assert after[("nuova", "totale")] == (
        "Totale della tabella nuova",
        Decimal("12.25"),
        "12,25%",
        "Documento",
    )
    log = ResourcesImport.objects.get(cycle=open_cycle)
    assert log.user == people.planning
    assert (log.added, log.changed, log.removed) == (1, 1, 1)
    assert set(log.diff) == {sheets.DECLARED}
    assert log.diff[sheets.DECLARED]["added"][0]["values"]["Valore come riportato"] == "12,25%"


def test_a_sheet_of_declared_figures_alone_leaves_the_other_tables_alone(people, open_cycle):
    before = selectors.resources_rows(open_cycle)
    wb = _declared_only(["t", "k", "Un totale", "-3", "", ""])
    preview = services.resources_import_preview(
        user=people.planning, cycle=open_cycle, file=_file(wb)
    )
    assert preview.ok, preview.errors
    services.resources_import_apply(
        user=people.planning,
        cycle=open_cycle,
        file=_file(wb),
        expected_fingerprint=preview.fingerprint,
    )
    after = selectors.resources_rows(open_cycle)
    assert after[sheets.DECLARED] == [
        {"table": "t", "key": "k", "label": "Un totale", "value": Decimal("-3"), "text": ""}
        | {"source": ""}
    ]
    assert {k: v for k, v in after.items() if k != sheets.DECLARED} == {
        k: v for k, v in before.items() if k != sheets.DECLARED
    }


def test_bad_rows_change_nothing_and_are_named(people, open_cycle):
    before = _figures(open_cycle)
    wb = _declared_only(
        ["t", "k", "Buono", "1", "", ""],
        ["t", "k", "Ripetuto", "2", "", ""],
        ["t", "vuoto", "Né valore né testo", "", "", ""],
        ["t", "numero", "Non un numero", "1,2,3", "", ""],
        ["t", "decimali", "Troppi decimali", "1,23456", "", ""],
        ["", "senza tabella", "Manca la tabella", "1", "", ""],
        ["t", "k" * 121, "Chiave lunga", "1", "", ""],
    )
    preview = services.resources_import_preview(
        user=people.planning, cycle=open_cycle, file=_file(wb)
    )
    prefix = f"Foglio «{sheets.DECLARED}», riga"
    assert preview.errors == [
        f"{prefix} 4: indicare il valore oppure il valore come riportato dalla fonte (o entrambi).",
        f"{prefix} 5: «Valore»: «1,2,3» non è un numero (scrivere ad esempio 1.284,50: punto "
        "per le migliaia, virgola per i decimali).",
        f"{prefix} 6: «Valore»: «1,23456» ha più di 4 decimali.",
        f"{prefix} 7: «Tabella»: valore obbligatorio mancante.",
        f"{prefix} 8: «Chiave»: testo troppo lungo (massimo 120 caratteri).",
    ]
    wb = _declared_only(["t", "k", "Buono", "1", "", ""], ["t", "k", "Ripetuto", "2", "", ""])
    preview = services.resources_import_preview(
        user=people.planning, cycle=open_cycle, file=_file(wb)
    )
    assert preview.errors == [f"{prefix} 3: riga ripetuta (t · k compare già alla riga 2)."]
    with pytest.raises(services.ResourcesImportRejected):
        services.resources_import_apply(
            user=people.planning,
            cycle=open_cycle,
            file=_file(wb),
            expected_fingerprint=preview.fingerprint,
        )
    assert _figures(open_cycle) == before
    assert not ResourcesImport.objects.exists()


def test_a_formula_cell_is_not_a_value_but_a_text_starting_with_equals_is_kept(people, open_cycle):
    wb = _declared_only(["t", "f", "Formula", "=1+1", "", ""])
    preview = services.resources_import_preview(
        user=people.planning, cycle=open_cycle, file=_file(wb)
    )
    assert preview.errors == [
        f"Foglio «{sheets.DECLARED}», riga 2: «Valore»: le formule non sono ammesse: scrivere il "
        "valore."
    ]
    wb = _declared_only(["t", "=k", "=Etichetta", "", "=45.000", ""])
    ws = wb[sheets.DECLARED]
    for cell in ws[2]:
        cell.data_type = "s"  # typed text, not formulas
    preview = services.resources_import_preview(
        user=people.planning, cycle=open_cycle, file=_file(wb)
    )
    assert preview.ok, preview.errors
    services.resources_import_apply(
        user=people.planning,
        cycle=open_cycle,
        file=_file(wb),
        expected_fingerprint=preview.fingerprint,
    )
    figure = DeclaredFigure.objects.get(cycle=open_cycle, table="t", key="=k")
    assert (figure.label, figure.text, figure.value) == ("=Etichetta", "=45.000", None)


# --- Refusals -----------------------------------------------------------------------------------


def test_a_locked_year_refuses_the_sheet_like_the_others(client, people, cycle):
    assert cycle.state == Cycle.State.PUBLISHED
    before = _figures(cycle)
    wb = _declared_only(["t", "k", "Un totale", "1", "", ""])
    with pytest.raises(PermissionDenied, match="validato o pubblicato"):
        services.resources_import_preview(user=people.planning, cycle=cycle, file=_file(wb))
    with pytest.raises(PermissionDenied, match="validato o pubblicato"):
        services.resources_import_apply(
            user=people.admin,
            cycle=cycle,
            file=_file(wb),
            expected_fingerprint=sheets.fingerprint(selectors.resources_rows(cycle)),
        )
    # Past the permission check, the ORM writes meet the locked-year guard.
    preview = services.Preview(fingerprint="")
    preview.rows = {
        sheets.DECLARED: [
            {"table": "t", "key": "k", "label": "l", "value": None, "text": "x", "source": ""}
        ]
    }
    spec = sheets.SHEETS_BY_TITLE[sheets.DECLARED]
    preview.sheets = [
        services.SheetPreview(
            sheets.DECLARED, "uploaded", sheets.sheet_diff(spec, [], preview.rows[sheets.DECLARED])
        )
    ]
    with pytest.raises(YearLocked):
        services._write(cycle, preview)
    log_in(client, people.planning)
    assert _upload(client, 2023, wb).status_code == 403
    assert _figures(cycle) == before


@pytest.mark.parametrize("role", ["manager_a", "oiv"])
def test_refused_for_managers_and_the_oiv(people, open_cycle, role):
    wb = _declared_only(["t", "k", "Un totale", "1", "", ""])
    with pytest.raises(PermissionDenied):
        services.resources_import_preview(
            user=getattr(people, role), cycle=open_cycle, file=_file(wb)
        )


def test_a_stale_preview_is_refused(people, open_cycle):
    first = _declared_only(["t", "k", "Un totale", "1", "", ""])
    preview = services.resources_import_preview(
        user=people.planning, cycle=open_cycle, file=_file(first)
    )
    other = _declared_only(["t", "k", "Un totale", "2", "", ""])
    services.resources_import_apply(
        user=people.planning,
        cycle=open_cycle,
        file=_file(other),
        expected_fingerprint=preview.fingerprint,
    )
    with pytest.raises(services.StalePreview):
        services.resources_import_apply(
            user=people.planning,
            cycle=open_cycle,
            file=_file(first),
            expected_fingerprint=preview.fingerprint,
        )
    assert DeclaredFigure.objects.get(cycle=open_cycle, table="t", key="k").value == 2


# --- A new year -----------------------------------------------------------------------------------


def test_a_new_year_gets_the_previous_years_tables_and_keys_without_the_figures(
    client, people, cycle
):
    y2024 = Cycle.objects.get(body=cycle.body, year=2024)
    assert not DeclaredFigure.objects.filter(cycle=y2024).exists()
    log_in(client, people.planning)
    wb = _download(client, 2024)
    rows = [row for _, row in _rows(wb[sheets.DECLARED])]
    keys = sorted(
        (t, k) for t, k in DeclaredFigure.objects.filter(cycle=cycle).values_list("table", "key")
    )
    assert sorted((r["Tabella"], r["Chiave"]) for r in rows) == keys
    assert {(r["Valore"], r["Valore come riportato"]) for r in rows} == {(None, None)}
    # Sent back untouched, the pre-filled structure changes nothing.
    response = _upload(client, 2024, wb)
    statuses = {s.title: s.status for s in response.context["preview"].sheets}
    assert statuses[sheets.DECLARED] == "unfilled"
    ws = wb[sheets.DECLARED]
    number = _find(ws, *keys[0])
    _set(ws, number, "Valore", "7")
    response = _upload(client, 2024, wb)
    assert response.status_code == 400
    errors = response.context["preview"].errors
    # Once a figure is typed, every other row of the sheet needs its own (or is removed).
    assert errors and all("indicare il valore" in e for e in errors)
    for row_number, _ in reversed(_rows(ws)):
        if row_number != number:
            ws.delete_rows(row_number)
    response = _upload(client, 2024, wb)
    assert response.status_code == 200, response.context["preview"].errors
    assert _confirm(client, 2024, response.context["token"]).status_code == 302
    assert list(
        DeclaredFigure.objects.filter(cycle=y2024).values_list("table", "key", "value")
    ) == [(*keys[0], Decimal(7))]
