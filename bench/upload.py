"""Upload benchmark: what one workbook upload costs, at the limits of ``lib.xlsx`` and beyond.

    .venv/bin/python bench/upload.py

Builds, in the same run, a small upload (the demo's cruscotto: 30 rows), the largest workbooks
the reader accepts (at the cell limit; at the size limit of a part and of the shared strings)
and hostile ones (40 MB of shared strings, also read by openpyxl with no bounds for comparison;
every row padded to column XFD; a row numbered 1.048.576; a 12 MB sheet of empty cells; a 12 MB
styles part), and reads each through
the cruscotto's upload path (``indicators.workbook.workbook_parse``: the zip checks and the one
reader shared with the plan and the resources workbooks) in a fresh subprocess. Prints CPU time
(user + system, ``resource.getrusage``), peak RSS and its growth over the idle process, the
outcome (rows read or the message shown) and the ratio to the small upload.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _package(sheet_xml: bytes, shared: bytes | None = None, styles: bytes | None = None) -> bytes:
    """A minimal .xlsx around one sheet named «Valori» (raw XML: openpyxl could not write the
    hostile parts, and is too slow to write the large ones)."""
    overrides = [
        ("/xl/workbook.xml", "sheet.main+xml"),
        ("/xl/worksheets/sheet1.xml", "worksheet+xml"),
    ]
    rels = [(f"{REL}/worksheet", "worksheets/sheet1.xml")]
    if shared is not None:
        overrides.append(("/xl/sharedStrings.xml", "sharedStrings+xml"))
        rels.append((f"{REL}/sharedStrings", "sharedStrings.xml"))
    if styles is not None:
        overrides.append(("/xl/styles.xml", "styles+xml"))
        rels.append((f"{REL}/styles", "styles.xml"))
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(
            f'<Override PartName="{name}" ContentType="application/vnd.openxmlformats-'
            f'officedocument.spreadsheetml.{kind}"/>'
            for name, kind in overrides
        )
        + "</Types>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets><sheet name="Valori" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PKG}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>'
                for i, (kind, target) in enumerate(rels, start=1)
            )
            + "</Relationships>",
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
        if styles is not None:
            z.writestr("xl/styles.xml", styles)
    return out.getvalue()


def _header_row() -> str:
    from indicators.workbook import HEADERS

    cells = "".join(
        f'<c r="{_column(i)}1" t="inlineStr"><is><t>{escape(h)}</t></is></c>'
        for i, h in enumerate(HEADERS, start=1)
    )
    return f'<row r="1">{cells}</row>'


def _sheet(rows: list[str], dimension: str = "") -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{dim}<sheetData>'
        + _header_row()
        + "".join(rows)
        + "</sheetData></worksheet>"
    ).encode()


def _shared(strings: list[str]) -> bytes:
    body = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{body}</sst>'
    ).encode()


WORDS = [
    "valore",
    "ottenuto",
    "obiettivo",
    "indicatore",
    "risultato",
    "atteso",
    "scostamento",
    "motivazione",
    "camera",
    "commercio",
    "bergamo",
    "imprese",
    "servizio",
    "ufficio",
    "pratiche",
    "giorni",
    "percentuale",
    "entro",
    "anno",
]


def _words(rng, length: int, words=WORDS) -> str:
    """Italian-looking text: compresses about as much as real explanations do."""
    parts, size = [], 0
    while size < length:
        word = rng.choice(words)
        parts.append(word)
        size += len(word) + 1
    return " ".join(parts)[:length]


def small() -> bytes:
    """The demo-sized upload: 30 rows of the cruscotto's 8 columns."""
    rows = [
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{r}:1</t></is></c>'
        + "".join(
            f'<c r="{_column(c)}{r}" t="inlineStr"><is><t>testo {r}.{c}</t></is></c>'
            for c in range(2, 7)
        )
        + f'<c r="G{r}"><v>{r * 7}</v></c>'
        f'<c r="H{r}" t="inlineStr"><is><t>Motivazione {r}</t></is></c></row>'
        for r in range(2, 32)
    ]
    return _package(_sheet(rows))


def largest_cells(limits) -> bytes:
    """At the cell limit: 12 columns over as many rows as the limit allows, every text a
    shared string, the shared strings at their count limit and near their size limit."""
    rng = random.Random(2023)
    columns = 12
    rows_count = min(limits.max_rows, limits.max_cells // columns - 1)
    strings_count = limits.max_shared_strings
    length = max(4, limits.max_shared_bytes // strings_count - 40)
    alphabet = "abcdefghijklmnopqrstuvwxyz "
    strings = ["".join(rng.choices(alphabet, k=length)) for _ in range(strings_count)]
    rows = []
    for r in range(2, rows_count + 2):
        cells = [f'<c r="A{r}" t="inlineStr"><is><t>{r}:1</t></is></c>']
        for c in range(2, columns + 1):
            if c == 7:
                cells.append(f'<c r="G{r}"><v>{rng.randint(0, 10**6)}</v></c>')
            else:
                index = rng.randrange(strings_count)
                cells.append(f'<c r="{_column(c)}{r}" t="s"><v>{index}</v></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    return _package(_sheet(rows), shared=_shared(strings))


def largest_bytes(limits) -> bytes:
    """At the size limits: a sheet part just under its cap, of long explanations (32.767
    characters, Excel's maximum per cell), and shared strings just under theirs."""
    rng = random.Random(150)
    long_text = 32_000
    rows = []
    size = 0
    r = 2
    while size + long_text + 200 < limits.max_part_bytes - 4096:
        text = _words(rng, long_text)
        row = (
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{r}:1</t></is></c>'
            f'<c r="H{r}" t="inlineStr"><is><t>{text}</t></is></c></row>'
        )
        rows.append(row)
        size += len(row)
        r += 1
    count = limits.max_shared_bytes // 1100
    strings = [_words(rng, 1000) for _ in range(count)]
    return _package(_sheet(rows), shared=_shared(strings))


def hostile_shared_strings() -> bytes:
    """The measured attack: a few MB whose shared strings expand to 40 MB, 1,5 million short
    strings (openpyxl builds each one before reading any cell), under every ratio check."""
    rng = random.Random(40)
    strings = [f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(1_300_000)]
    rows = ['<row r="2"><c r="A2" t="s"><v>0</v></c></row>']
    return _package(_sheet(rows), shared=_shared(strings))


def hostile_padding() -> bytes:
    """Every row padded to column XFD (16.384 cells) by one cell there, and a dimension that
    claims the whole grid."""
    rows = [
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{r}:1</t></is></c>'
        f'<c r="XFD{r}"><v>1</v></c></row>'
        for r in range(2, 20_000)
    ]
    return _package(_sheet(rows, dimension="A1:XFD1048576"))


def hostile_row_gap() -> bytes:
    """One row numbered 1.048.576: a million empty rows in between."""
    rows = ['<row r="1048576"><c r="A1048576"><v>1</v></c></row>']
    return _package(_sheet(rows))


def hostile_empty_cells(limits) -> bytes:
    """A sheet part at its size cap made of empty cells: millions of cells in 12 MB."""
    rows, size, r = [], 0, 2
    while True:
        row = f'<row r="{r}">' + "".join(f'<c r="{_column(c)}{r}"/>' for c in range(1, 101))
        row += "</row>"
        if size + len(row) > limits.max_part_bytes - 8192:
            break
        rows.append(row)
        size += len(row)
        r += 1
    return _package(_sheet(rows))


def hostile_styles(limits) -> bytes:
    """A styles part at the part cap: openpyxl builds every cell format before any cell."""
    rng = random.Random(12)
    xfs, size = [], 0
    while size < limits.max_part_bytes - 4096:
        xf = f'<xf numFmtId="{rng.randrange(200)}" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        xfs.append(xf)
        size += len(xf)
    xfs.pop()
    styles = (
        f'<styleSheet xmlns="{NS}"><fonts count="1"><font/></fonts><fills count="1"><fill/>'
        '</fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/>'
        f'</cellStyleXfs><cellXfs count="{len(xfs)}">' + "".join(xfs) + "</cellXfs></styleSheet>"
    ).encode()
    rows = ['<row r="2"><c r="A2" t="inlineStr"><is><t>2:1</t></is></c></row>']
    return _package(_sheet(rows), styles=styles)


# --- One case, measured in its own process ---------------------------------------------------


def _peak_rss_kb() -> int:
    """The process's peak RSS. Not ``ru_maxrss``: Linux keeps it across ``execve``, so a child
    would report the parent's peak (the parent builds the large files)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _openpyxl_unchecked(data: bytes) -> str:
    """What the same file costs read by openpyxl with none of the reader's bounds (the cost
    the issue measured before them)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    cells = sum(len(row) for ws in wb.worksheets for row in ws.iter_rows())
    return f"letto senza limiti: {cells} celle"


def run_case(path: str, unchecked: bool = False) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relazione.settings.test")
    import django

    django.setup()
    from indicators import workbook

    data = Path(path).read_bytes()
    idle_rss = _peak_rss_kb()
    before = resource.getrusage(resource.RUSAGE_SELF)
    try:
        if unchecked:
            outcome, accepted = _openpyxl_unchecked(data), True
        else:
            parsed = workbook.workbook_parse(data)
            outcome = f"accettato: {len(parsed.rows)} righe"
            accepted = True
    except workbook.WorkbookError as exc:
        outcome = f"rifiutato (400): {exc}"
        accepted = False
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = _peak_rss_kb()
    return {
        "cpu": cpu,
        "peak_mb": peak / 1024,
        "growth_mb": (peak - idle_rss) / 1024,
        "accepted": accepted,
        "outcome": outcome,
    }


def measure(path: Path, unchecked: bool = False) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--case", str(path)] + (["--unchecked"] if unchecked else []),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _it(number: float, decimals: int = 2) -> str:
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--unchecked", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.case:
        print(json.dumps(run_case(args.case, args.unchecked)))
        return 0
    from lib.xlsx import LIMITS

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relazione.settings.test")
    import django

    django.setup()
    cases = {
        "piccolo (30 righe, il cruscotto della demo)": small(),
        "massimo accettato: celle (limite di celle e di testi condivisi)": largest_cells(LIMITS),
        "massimo accettato: byte (parte del foglio e testi condivisi al limite)": largest_bytes(
            LIMITS
        ),
        "ostile: 40 MB di testi condivisi": hostile_shared_strings(),
        "ostile: ogni riga estesa fino alla colonna XFD": hostile_padding(),
        "ostile: una riga numero 1.048.576": hostile_row_gap(),
        "ostile: 12 MB di celle vuote": hostile_empty_cells(LIMITS),
        "ostile: 12 MB di stili": hostile_styles(LIMITS),
    }
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, data) in enumerate(cases.items()):
            path = Path(tmp) / f"case{n}.xlsx"
            path.write_bytes(data)
            results[name] = (len(data), measure(path))
            if name.startswith("ostile: 40 MB"):
                results["lo stesso file letto da openpyxl senza limiti (prima)"] = (
                    len(data),
                    measure(path, unchecked=True),
                )
    base = next(iter(results.values()))[1]
    print(
        "| caso | file | CPU | picco RSS (crescita) | CPU / piccolo | crescita RSS / piccolo |"
        " esito |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, (size, r) in results.items():
        outcome = r["outcome"] if len(r["outcome"]) < 110 else r["outcome"][:107] + "..."
        print(
            f"| {name} | {_it(size / 1024 / 1024)} MB | {_it(r['cpu'])} s | "
            f"{_it(r['peak_mb'], 0)} MB ({_it(r['growth_mb'], 0)} MB) | "
            f"{_it(r['cpu'] / max(base['cpu'], 1e-3), 0)}x | "
            f"{_it(r['growth_mb'] / max(base['growth_mb'], 1), 0)}x | {outcome} |"
        )
    worst = max(
        (r for name, (_, r) in results.items() if "senza limiti" not in name),
        key=lambda r: r["cpu"],
    )
    print(
        f"\nCaso più costoso: {_it(worst['cpu'])} s di CPU, picco {_it(worst['peak_mb'], 0)} MB "
        "(obiettivo: al massimo ~2 s e ~150 MB)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
