"""lib.xlsx, the one reader of uploaded workbooks, without a database: each way a workbook once
broke the reader (a 500), and each bound on the work of one upload."""

import dataclasses
import io
import zipfile

import pytest
from openpyxl import Workbook

from indicators import workbook
from lib import xlsx


def _cell_text(value, number_format):
    return "" if value is None else str(value)


def _base() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = workbook.ACTUALS_SHEET
    ws.append(workbook.HEADERS)
    ws.append(["1:1", "a", "b", "c", "d", "e", 12, "motivo"])
    ws.append(["2:1", "a", "b", "c", "d", "e", 13, "altro"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _replace(data: bytes, part: str, change) -> bytes:
    """The workbook with one part changed (or added: ``change(b"")``)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in src.infolist():
            body = src.read(info)
            archive.writestr(info.filename, change(body) if info.filename == part else body)
        if part not in src.namelist():
            archive.writestr(part, change(b""))
    return out.getvalue()


def _shared(strings: list[bytes]) -> bytes:
    body = b"".join(b"<si><t>" + s + b"</t></si>" for s in strings)
    return (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + body
        + b"</sst>"
    )


SHEET = "xl/worksheets/sheet1.xml"


def _g2(xml_cell: bytes):
    def change(body):
        start = body.index(b'<c r="G2"')
        end = body.index(b"</c>", start) + 4
        return body[:start] + xml_cell + body[end:]

    return change


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        (b'<c r="G2" t="n"><v>abc</v></c>', "valore di cella non valido"),
        (b'<c r="G2" t="d"><v>2023-02-31</v></c>', "valore di cella non valido"),
        (b'<c r="G2" t="s"><v>4000</v></c>', "testo condiviso inesistente"),
        (b'<c r="G2" t="b"><v>yes</v></c>', "valore di cella non valido"),
        (b'<c r="G2"><v>1e400</v></c>', "fuori dall'intervallo ammesso"),
    ],
)
def test_each_broken_cell_once_a_500_is_named_in_italian(cell, reason):
    data = _replace(_base(), SHEET, _g2(cell))
    with pytest.raises(xlsx.XlsxError) as info:
        workbook.workbook_parse(data)
    message = str(info.value)
    assert "foglio «Valori», cella G2" in message
    assert reason in message


def test_a_truncated_sheet_names_the_sheet():
    data = _replace(_base(), SHEET, lambda body: body[: len(body) // 2])
    with pytest.raises(xlsx.XlsxError, match=r"foglio «Valori».*XML danneggiato o troncato"):
        workbook.workbook_parse(data)


def test_a_truncated_workbook_part_is_a_message():
    data = _replace(_base(), "xl/workbook.xml", lambda body: body[:40])
    with pytest.raises(xlsx.XlsxError, match="non può essere letto"):
        workbook.workbook_parse(data)


def test_the_reader_still_reads_a_good_file():
    parsed = workbook.workbook_parse(_base())
    assert [(r.indicator_id, r.actual) for r in parsed.rows] == [(1, "12"), (2, "13")]


# --- Bounds of one upload (scaled down: the same checks, smaller numbers) --------------------


def _limits(**changes):
    return dataclasses.replace(xlsx.LIMITS, **changes)


def _read(data, **changes):
    return xlsx.read(data, convert=_cell_text, limits=_limits(**changes))


def test_shared_strings_bounded_by_expanded_size():
    big = _replace(_base(), xlsx.SHARED_STRINGS, lambda _: _shared([b"x" * 200_000]))
    with pytest.raises(xlsx.XlsxError, match="troppo testo"):
        _read(big, max_shared_bytes=100_000)


def test_shared_strings_bounded_by_count():
    strings = [b"%d" % n for n in range(50)]
    data = _replace(_base(), xlsx.SHARED_STRINGS, lambda _: _shared(strings))
    with pytest.raises(xlsx.XlsxError, match="più di 20 testi diversi"):
        _read(data, max_shared_strings=20)
    _read(data, max_shared_strings=50)


def test_every_part_bounded_by_its_expanded_size():
    with pytest.raises(xlsx.XlsxError, match="zip bomb"):
        _read(_base(), max_part_bytes=500)
    with pytest.raises(xlsx.XlsxError, match="zip bomb"):
        _read(_base(), max_other_part_bytes=200)  # styles, workbook...
    with pytest.raises(xlsx.XlsxError, match="zip bomb"):
        _read(_base(), max_total_bytes=1000)


def test_cells_bounded_padding_included():
    # One cell at column XFD pads its row to 16.384 cells.
    data = _replace(
        _base(), SHEET, lambda b: b.replace(b"</row>", b'<c r="XFD2"><v>1</v></c></row>', 2)
    )
    with pytest.raises(xlsx.XlsxError, match=r"massimo di 10\.000 celle"):
        _read(data, max_cells=10_000)


def test_rows_bounded_even_when_numbered_far_away():
    data = _replace(
        _base(),
        SHEET,
        lambda b: b.replace(b'r="3"', b'r="1048576"').replace(b'r="A3"', b'r="A1048576"'),
    )
    with pytest.raises(xlsx.XlsxError, match=r"massimo di 15\.000 righe"):
        _read(data)


def test_parse_time_bounded():
    wb = Workbook()
    ws = wb.active
    for n in range(600):
        ws.append([n, "testo"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(xlsx.XlsxError, match="troppo tempo"):
        _read(out.getvalue(), max_cpu_seconds=0)
    _, sheets = _read(out.getvalue())
    assert len(sheets["Sheet"].rows) == 599


def test_doctype_refused_in_any_part():
    data = _replace(_base(), "xl/styles.xml", lambda b: b'<!DOCTYPE x [<!ENTITY a "b">]>' + b)
    with pytest.raises(xlsx.XlsxError, match="DOCTYPE"):
        _read(data)


@pytest.mark.parametrize("length", [1, 7, 100, 4093])
def test_shared_strings_counted_exactly_across_read_chunks(length):
    # The part is scanned in 64 KiB chunks: a <si> split between two is counted once.
    strings = [b"y" * length] * (300_000 // (length + 16))
    data = _replace(_base(), xlsx.SHARED_STRINGS, lambda _: _shared(strings))
    _read(data, max_shared_strings=len(strings))
    with pytest.raises(xlsx.XlsxError, match="testi diversi"):
        _read(data, max_shared_strings=len(strings) - 1)
