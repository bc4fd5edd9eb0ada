"""Reading an uploaded .xlsx with bounded work, every failure an Italian message.

The one reader of every workbook the app accepts (the cruscotto's values, the plan, the
context and resources). Pure: bytes in, plain rows out, no Django.

Why each bound (``Limits``): openpyxl loads the whole shared-strings part into a list before
the first cell is read, and pads a row to its last cell's column, so neither the compressed
size nor the row count alone bounds the work. The parts are checked in the zip before openpyxl
opens it (count, expanded size of each part and of all, shared strings size and count, no
DTD/entity declaration: billion laughs, XXE); then cells and CPU time are counted while
reading. Anything openpyxl or the XML parser raises on a malformed file (a text in a numeric
cell, a date of 31 February, a shared string index out of range, truncated XML...) becomes
:class:`XlsxError` naming the sheet and cell where known.
"""

from __future__ import annotations

import io
import math
import re
import time
import traceback
import warnings
import zipfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Protocol

from .formulas import Formula
from .italian import format_number

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

ZIP_MAGIC = b"PK\x03\x04"
MB = 1024 * 1024
Upload = IO[bytes] | bytes | bytearray  # an uploaded file, or its bytes
Convert = Callable[[object, str], object]  # (cell value, number format) -> what the caller keeps
_DTD_RE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_SHARED_STRING_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_SCAN_TAIL = 64  # longer than any pattern above, so a match split between chunks is seen once
SHARED_STRINGS = "xl/sharedStrings.xml"


@dataclass(frozen=True)
class Limits:
    """What one upload may cost. The defaults keep the largest accepted file under ~2 s of
    CPU and ~150 MB (``bench/upload.py``, ``docs/benchmarks.md``)."""

    max_bytes: int = 5 * MB  # the file as uploaded
    max_parts: int = 200  # zip entries
    max_part_bytes: int = 12 * MB  # expanded size of any one worksheet part
    max_other_part_bytes: int = 2 * MB  # styles, workbook, themes...: openpyxl builds them whole
    max_total_bytes: int = 32 * MB  # expanded size of all parts
    max_ratio: int = 200  # expanded / compressed of a part above 1 MB
    max_shared_strings: int = 50_000  # ~12 µs each to load: 0,6 s
    max_shared_bytes: int = 4 * MB  # expanded sharedStrings.xml
    max_rows: int = 15_000  # per sheet, below the header
    max_cells: int = 125_000  # in the sheets read, padding included: 15.000 rows x 8 + slack
    max_cpu_seconds: float = 3.0  # reading the cells (a backstop: the sizes bound it first)


LIMITS = Limits()


class XlsxError(ValueError):
    """A file that cannot be read; the message is Italian and meant for the person."""


@dataclass
class Sheet:
    """A sheet as read: the texts of row 1 and the (row number, texts) of every non-empty row
    below it."""

    header: list[object]
    rows: list[tuple[int, list[object]]]


# --- The zip, before openpyxl ---------------------------------------------------------------


def read_upload(file: Upload, limits: Limits = LIMITS) -> bytes:
    """The bytes of an upload (a file object or bytes), refused when empty or too large."""
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise XlsxError(f"Il file supera la dimensione massima di {limits.max_bytes // MB} MB.")
    if not data:
        raise XlsxError("Il file è vuoto.")
    return data


def _expanded_too_much() -> XlsxError:
    return XlsxError(
        "Il file si espande in modo anomalo una volta decompresso (possibile «zip bomb»): "
        "rifiutato."
    )


def _too_much_text(limits: Limits) -> XlsxError:
    return XlsxError(
        f"Il file contiene troppo testo (oltre {limits.max_shared_bytes // MB} MB di testi "
        "condivisi): rifiutato."
    )


def _cap(name: str, limits: Limits) -> int:
    """The expanded size a part may have: sheets are read cell by cell (and counted), the
    shared strings and every other part are built whole by openpyxl before any cell."""
    if name == SHARED_STRINGS:
        return limits.max_shared_bytes
    if name.startswith("xl/worksheets/"):
        return limits.max_part_bytes
    return limits.max_other_part_bytes


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    """Stream one XML part: its real expanded size (the declared one may lie), no DTD, and the
    number of shared strings."""
    is_shared = info.filename == SHARED_STRINGS
    cap = _cap(info.filename, limits)
    read = strings = 0
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(64 * 1024):
            read += len(chunk)
            if read > cap:
                raise _too_much_text(limits) if is_shared else _expanded_too_much()
            window = tail + chunk
            if _DTD_RE.search(window):
                raise XlsxError(
                    "Il file contiene dichiarazioni XML non ammesse (DOCTYPE/ENTITY): "
                    "rifiutato per sicurezza."
                )
            if is_shared:
                strings += sum(1 for m in _SHARED_STRING_RE.finditer(window) if m.end() > len(tail))
                if strings > limits.max_shared_strings:
                    raise XlsxError(
                        f"Il file contiene più di {format_number(limits.max_shared_strings)} testi "
                        "diversi: rifiutato."
                    )
            tail = window[-_SCAN_TAIL:]


def check(file: Upload, limits: Limits = LIMITS) -> bytes:
    """The bytes of a safe .xlsx, or :class:`XlsxError` with the reason."""
    data = read_upload(file, limits)
    if not data.startswith(ZIP_MAGIC):
        raise XlsxError(
            "Il file non è un foglio Excel .xlsx valido (forse un file di testo o un .xls "
            "rinominato): salvarlo da Excel o LibreOffice nel formato .xlsx."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise XlsxError("Il file .xlsx è danneggiato e non può essere letto.") from exc
    if len(infos) > limits.max_parts:
        raise XlsxError("Il file contiene troppe parti interne: non è un foglio ordinario.")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.filename == SHARED_STRINGS and info.file_size > limits.max_shared_bytes:
            raise _too_much_text(limits)
        if (
            total > limits.max_total_bytes
            or info.file_size > _cap(info.filename, limits)
            or (info.file_size > MB and ratio > limits.max_ratio)
        ):
            raise _expanded_too_much()
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise XlsxError("Il file non è un foglio Excel .xlsx valido.")
    try:
        for info in infos:
            if info.filename.endswith((".xml", ".rels", ".vml")):
                _scan_part(archive, info, limits)
    except XlsxError:
        raise
    except Exception as exc:  # zlib, CRC, truncated members: whatever the zip module raises
        raise XlsxError("Il file .xlsx è danneggiato e non può essere letto.") from exc
    return data


# --- The cells --------------------------------------------------------------------------------


def _where(exc: BaseException, title: str, row: int, cell: str | None) -> str:
    """Sheet and cell of a failure: the cell being converted, or the one openpyxl's row parser
    was reading (its frame's ``coordinate``), or else the row after the last one read."""
    coordinate = cell
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        coordinate = frame.f_locals.get("coordinate", coordinate)
        if not isinstance(coordinate, str):
            coordinate = None
    if coordinate:
        return f"foglio «{title}», cella {coordinate}"
    return f"foglio «{title}», riga {row}"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, IndexError):
        return "un testo condiviso inesistente (file alterato)"
    if isinstance(exc, OverflowError):
        return "un numero o una data fuori dall'intervallo ammesso"
    if type(exc).__name__ == "ParseError" or isinstance(exc, SyntaxError):
        return "XML danneggiato o troncato"
    if isinstance(exc, ValueError | TypeError):
        return "un valore di cella non valido per il suo tipo (numero, data o SI/NO)"
    if isinstance(exc, zipfile.BadZipFile | EOFError | OSError):
        return "archivio danneggiato"
    return "contenuto non riconosciuto"


def _plain(value: object) -> object:
    """A cell's value as openpyxl gives it, refusing numbers Python cannot use (``1e400`` is
    read as infinity)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise OverflowError("non-finite number")
    return value


def _value(cell: Any) -> object:
    """A cell's value; a formula (``data_type`` ``"f"``, an array formula too) as its text
    marked :class:`~lib.formulas.Formula`: the one sign of a formula, since a text cell may
    start with ``=`` as well."""
    value = _plain(cell.value)
    if getattr(cell, "data_type", None) == "f":
        return Formula(getattr(value, "text", None) or value or "")
    return value


def _open(data: bytes) -> Workbook:
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns on unknown extensions, bad dates
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)


class _Cells(Protocol):
    """What is read of a worksheet in read-only mode (a chart sheet has neither)."""

    def reset_dimensions(self) -> None: ...

    def iter_rows(self) -> Iterator[tuple[Any, ...]]: ...


def _read_sheet(
    ws: _Cells,
    title: str,
    convert: Convert,
    limits: Limits,
    budget: dict[str, float],
) -> Sheet:
    ws.reset_dimensions()  # the declared <dimension> would pad every row to its width
    header: list[object] = []
    rows: list[tuple[int, list[object]]] = []
    number = 0
    failing_row = 1  # the row being parsed (the next one) or converted (this one)
    failing_cell = None  # the cell being converted
    try:
        for number, cells in enumerate(ws.iter_rows(), start=1):
            failing_row = number
            if number > limits.max_rows + 1:  # below the header row
                raise XlsxError(
                    f"Il foglio «{title}» supera il massimo di "
                    f"{format_number(limits.max_rows)} righe."
                )
            budget["cells"] += len(cells)
            if budget["cells"] > limits.max_cells:
                raise XlsxError(
                    f"Il file supera il massimo di {format_number(limits.max_cells)} celle."
                )
            if number % 256 == 0 and time.thread_time() > budget["deadline"]:
                raise XlsxError(
                    "Il file richiede troppo tempo per essere letto: dividerlo in file più piccoli."
                )
            texts = []
            for cell in cells:
                failing_cell = getattr(cell, "coordinate", None)
                texts.append(
                    convert(_value(cell), getattr(cell, "number_format", None) or "General")
                )
            failing_cell = None
            if number == 1:
                header = texts
            elif any(texts):
                rows.append((number, texts))
            failing_row = number + 1
    except XlsxError:
        raise
    except Exception as exc:  # any failure of openpyxl or the XML parser on a malformed file
        raise XlsxError(
            f"Il file .xlsx non può essere letto "
            f"({_where(exc, title, failing_row, failing_cell)}): {_reason(exc)}. Correggere la "
            "cella o riscaricare il file."
        ) from exc
    return Sheet(header=header, rows=rows)


def read(
    file: Upload,
    *,
    convert: Convert,
    sheets: Collection[str] | None = None,
    limits: Limits = LIMITS,
) -> tuple[bytes, dict[str, Sheet]]:
    """The checked bytes of an upload and its worksheets (``sheets``: only those titles),
    every cell passed through ``convert(value, number_format)``; chart sheets are read as
    empty. Raises :class:`XlsxError`, never anything else, on any malformed file."""
    data = check(file, limits)
    try:
        wb = _open(data)
    except Exception as exc:  # openpyxl raises many types on malformed parts
        raise XlsxError(
            f"Il file .xlsx non può essere letto: {_reason(exc)}. Salvarlo di nuovo da Excel o "
            "LibreOffice, oppure riscaricare il modello."
        ) from exc
    budget = {"cells": 0, "deadline": time.thread_time() + limits.max_cpu_seconds}
    try:
        result = {}
        for title in wb.sheetnames:
            if sheets is not None and title not in sheets:
                continue
            try:
                ws = wb[title]
            except Exception as exc:
                raise XlsxError(
                    f"Il file .xlsx non può essere letto (foglio «{title}»): {_reason(exc)}."
                ) from exc
            if not hasattr(ws, "iter_rows"):  # a chart sheet: no cells
                result[title] = Sheet(header=[], rows=[])
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result[title] = _read_sheet(ws, title, convert, limits, budget)
        return data, result
    finally:
        wb.close()
