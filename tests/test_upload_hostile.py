# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""Hostile uploads on the three upload paths (the cruscotto's values, the context-and-resources
workbook, the plan of a new year): workbooks downloaded from the app itself, then a cell or a
whole XML part broken inside the zip. Every one is a 400 with the reader's Italian message, and
the database is as it was."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import Cycle
from finance.models import BudgetLine, EconomicIntervention, FinancialRatio, Holding
from indicators.models import Indicator, ScorecardRow
from objectives.models import Perspective
from resources.models import ContextTable, ResourcesImport
from staff.models import Headcount, WorkforceSummary
from tests.people import log_in, open_cycle, people  # noqa: F401 - fixtures
from tests.test_import_workbook import _zip

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
READER_REFUSAL = "non può essere letto"
FUZZ = settings(
    max_examples=12,
    derandomize=True,  # the same examples on every run and in CI
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
WATCHED = (
    Cycle,
    Perspective,
    Indicator,
    ScorecardRow,
    BudgetLine,
    EconomicIntervention,
    FinancialRatio,
    Holding,
    Headcount,
    WorkforceSummary,
    ResourcesImport,
    ContextTable,
)


def _database():
    """Every row an upload could touch, as plain tuples."""
    return {m.__name__: list(m.objects.order_by("pk").values_list()) for m in WATCHED}


# --- The three paths: a real download, and its upload -----------------------------------------


class Path:
    """One upload path: how the app hands out its workbook, which parts the reader parses,
    and how the file is sent back."""

    def __init__(self, name, person, download, upload, sheets):
        self.name, self.person, self.download, self.upload = name, person, download, upload
        self.sheets = sheets  # worksheet parts the path reads (the others are not opened)


def _values_path():
    return Path(
        "valori",
        "manager_a",
        lambda c: c.get(reverse("indicators:workbook", args=["cciaa-bergamo", 2023, "promozione"])),
        lambda c, data: c.post(
            reverse("indicators:upload", args=["cciaa-bergamo", 2023, "promozione"]),
            {"file": SimpleUploadedFile("valori.xlsx", data, content_type=XLSX)},
        ),
        ["xl/worksheets/sheet1.xml"],  # «Valori»; «Istruzioni» is never read
    )


def _resources_path():
    return Path(
        "risorse",
        "planning",
        lambda c: c.get(reverse("resources:workbook", args=["cciaa-bergamo", 2024])),
        lambda c, data: c.post(
            reverse("resources:index", args=["cciaa-bergamo", 2024]),
            {"file": SimpleUploadedFile("risorse.xlsx", data, content_type=XLSX)},
        ),
        None,  # every sheet is read
    )


def _plan_path():
    return Path(
        "piano",
        "planning",
        lambda c: c.get(reverse("indicators:plan_template", args=["cciaa-bergamo"])),
        lambda c, data: c.post(
            reverse("indicators:plan_import", args=["cciaa-bergamo"]),
            {"year": 2040, "file": SimpleUploadedFile("piano.xlsx", data, content_type=XLSX)},
        ),
        [f"xl/worksheets/sheet{n}.xml" for n in range(1, 5)],  # the four plan sheets
    )


PATHS = {"valori": _values_path, "risorse": _resources_path, "piano": _plan_path}


@pytest.fixture(params=sorted(PATHS))
def path(request, client, people, open_cycle):
    chosen = PATHS[request.param]()
    log_in(client, getattr(people, chosen.person))
    response = chosen.download(client)
    assert response.status_code == 200
    chosen.original = response.content
    return chosen


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _sheet_parts(path, parts):
    names = sorted(n for n in parts if n.startswith("xl/worksheets/sheet"))
    return [n for n in names if path.sheets is None or n in path.sheets]


_CELL_RE = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*?(?:/>|>.*?</c>)', re.DOTALL)

# Cells that no reader can take: each is the raw XML of a cell whose type and content disagree.
HOSTILE_CELLS = {
    "testo in una cella numerica": b'<c r="{r}" t="n"><v>abc</v></c>',
    "numero 1e400": b'<c r="{r}"><v>1e400</v></c>',
    "numero -1e400": b'<c r="{r}" t="n"><v>-1E+400</v></c>',
    "intero di 5000 cifre": b'<c r="{r}"><v>' + b"9" * 5000 + b"</v></c>",
    "data del 31 febbraio": b'<c r="{r}" t="d"><v>2023-02-31</v></c>',
    "data in formato italiano": b'<c r="{r}" t="d"><v>31/02/2023</v></c>',
    "mese 13": b'<c r="{r}" t="d"><v>2023-13-01T00:00:00</v></c>',
    "booleano yes": b'<c r="{r}" t="b"><v>yes</v></c>',
    "booleano vero": b'<c r="{r}" t="b"><v>vero</v></c>',
    "testo condiviso inesistente": b'<c r="{r}" t="s"><v>99999</v></c>',
    "indice non numerico": b'<c r="{r}" t="s"><v>uno</v></c>',
}


@given(data=st.data())
@FUZZ
def test_a_broken_cell_is_a_400_and_changes_nothing(client, path, data):
    parts = _parts(path.original)
    sheet = data.draw(st.sampled_from(_sheet_parts(path, parts)), label="foglio")
    cells = list(_CELL_RE.finditer(parts[sheet]))
    match = data.draw(st.sampled_from(cells), label="cella")
    kind = data.draw(st.sampled_from(sorted(HOSTILE_CELLS)), label="guasto")
    broken = HOSTILE_CELLS[kind].replace(b"{r}", match[1])
    xml = parts[sheet]
    parts[sheet] = xml[: match.start()] + broken + xml[match.end() :]
    before = _database()
    response = path.upload(client, _zip(parts))
    page = response.content.decode()
    assert response.status_code == 400, (path.name, kind, page[-1500:])
    assert READER_REFUSAL in page
    assert f"cella {match[1].decode()}" in page  # the person is told where
    assert _database() == before


def _read_parts(path, parts):
    """The parts the reader parses (a truncated part nobody opens is no error)."""
    fixed = [
        "[Content_Types].xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/sharedStrings.xml",
    ]
    return [n for n in fixed if n in parts] + _sheet_parts(path, parts)


@given(data=st.data())
@FUZZ
def test_a_truncated_or_garbled_xml_part_is_a_400_and_changes_nothing(client, path, data):
    parts = _parts(path.original)
    name = data.draw(st.sampled_from(_read_parts(path, parts)), label="parte")
    xml = parts[name]
    how = data.draw(st.sampled_from(["tronca", "tag non chiuso", "byte non UTF-8"]), label="come")
    if how == "tronca":
        cut = data.draw(st.integers(min_value=1, max_value=len(xml) - 1), label="taglio")
        parts[name] = xml[:cut]
    elif how == "tag non chiuso":
        at = data.draw(st.integers(min_value=xml.index(b">") + 1, max_value=len(xml) - 2))
        parts[name] = xml[:at] + b"<rotto" + xml[at:]
    else:
        at = data.draw(st.integers(min_value=xml.index(b">") + 1, max_value=len(xml) - 2))
        parts[name] = xml[:at] + b"\xff\xfe" + xml[at:]
    before = _database()
    response = path.upload(client, _zip(parts))
    page = response.content.decode()
    assert response.status_code == 400, (path.name, name, how, page[-1500:])
    assert READER_REFUSAL in page or "non è un foglio Excel" in page
    assert _database() == before


@given(data=st.data())
@FUZZ
def test_a_truncated_zip_is_a_400_and_changes_nothing(client, path, data):
    cut = data.draw(st.integers(min_value=4, max_value=len(path.original) - 1), label="taglio")
    before = _database()
    response = path.upload(client, path.original[:cut])
    assert response.status_code == 400
    assert "danneggiato" in response.content.decode() or READER_REFUSAL in (
        response.content.decode()
    )
    assert _database() == before
