"""Everything that can be decided about an upload of the workbook without the database: sheets
and headers, cells, rows, duplicates and the references between sheets."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from lib.xlsx import Sheet

from .cells import CellError, Key, Kind, Row, SheetSpec, as_text, parse_cell
from .specs import BUDGET, INSTRUCTIONS_SHEET, SHEETS, SHEETS_BY_TITLE


@dataclass
class Upload:
    """What an upload says, sheet by sheet; ``rows`` only for the sheets it contains."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    numbers: dict[str, list[int]] = field(default_factory=dict)  # row numbers, same order
    missing: list[str] = field(default_factory=list)  # sheets left out: no change
    unfilled: list[str] = field(default_factory=list)  # pre-filled structure only: no change
    errors: list[str] = field(default_factory=list)


def where(title: str, number: int | None = None) -> str:
    return f"Foglio «{title}», riga {number}" if number else f"Foglio «{title}»"


def _header_map(spec: SheetSpec, header: Sequence[object], errors: list[str]) -> dict[str, int]:
    names = [as_text(h) for h in header]
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        if not name:
            continue
        if name in positions:
            errors.append(f"{where(spec.title)}: l'intestazione «{name}» compare due volte.")
        positions[name] = index
    expected = spec.headers
    unknown = [n for n in positions if n not in expected]
    missing = [h for h in expected if h not in positions]
    if unknown:
        errors.append(
            f"{where(spec.title)}: intestazioni non previste: "
            + ", ".join(f"«{n}»" for n in unknown)
            + "."
        )
    if missing:
        errors.append(
            f"{where(spec.title)}: mancano le intestazioni "
            + ", ".join(f"«{n}»" for n in missing)
            + " (usare il modello scaricato da questa pagina)."
        )
    return positions if not (unknown or missing) else {}


def _texts(
    spec: SheetSpec, raw: Sheet, positions: dict[str, int]
) -> Iterator[tuple[int, dict[str, object]]]:
    """(row number, {header: cell}) of the rows with anything in the sheet's columns."""
    for number, cells in raw.rows:
        texts: dict[str, object] = {
            c.header: cells[positions[c.header]] if positions[c.header] < len(cells) else ""
            for c in spec.columns
        }
        if any(as_text(t) for t in texts.values()):
            yield number, texts


def _is_unfilled(spec: SheetSpec, rows: list[dict[str, object]]) -> bool:
    """Only the structure a new year's workbook is pre-filled with: no figure typed at all."""
    figures = [c for c in spec.columns if not c.structure]
    return bool(rows) and not any(as_text(row[c.header]) for row in rows for c in figures)


def parse_rows(
    spec: SheetSpec, filled: list[tuple[int, dict[str, object]]], *, year: int
) -> tuple[list[tuple[int, Row]], list[str]]:
    """(row number, row) pairs of one sheet's non-empty rows, and its cell and row errors."""
    parsed, errors = [], []
    for number, texts in filled:
        row, row_errors = {}, []
        for column in spec.columns:
            try:
                row[column.field] = parse_cell(column, texts[column.header], year=year)
            except CellError as exc:
                row_errors.append(f"{where(spec.title, number)}: «{column.header}»: {exc}.")
        if not row_errors and spec.check is not None:
            row_errors = [f"{where(spec.title, number)}: {e}." for e in spec.check(row)]
        errors.extend(row_errors)
        if not row_errors:
            parsed.append((number, row))
    return parsed, errors


def read_upload(raw: dict[str, Sheet], *, year: int, current: dict[str, list[Row]]) -> Upload:
    """Every check that needs no database: sheets and headers, cells, rows, duplicates and the
    references between sheets (against the current rows for a sheet left out)."""
    upload = Upload()
    unknown = [t for t in raw if t not in SHEETS_BY_TITLE and t != INSTRUCTIONS_SHEET]
    for title in unknown:
        upload.errors.append(
            f"Il foglio «{title}» non è previsto: rinominarlo o toglierlo. Fogli ammessi: "
            + ", ".join(f"«{s.title}»" for s in SHEETS)
            + "."
        )
    if not any(t in SHEETS_BY_TITLE for t in raw):
        upload.errors.append(
            "Il file non contiene nessuno dei fogli del modello: usare il file scaricato da "
            "questa pagina."
        )
        return upload
    filled: dict[str, list[tuple[int, dict[str, object]]]] = {}
    for spec in SHEETS:
        if spec.title not in raw:
            upload.missing.append(spec.title)
            continue
        errors: list[str] = []
        positions = _header_map(spec, raw[spec.title].header, errors)
        upload.errors.extend(errors)
        if not errors:
            filled[spec.title] = list(_texts(spec, raw[spec.title], positions))
    # A year with no rows yet may get a pre-filled sheet back untouched: no change, unless a
    # sheet that is filled names its rows (the areas of the staff tables).
    unfilled = {
        title
        for title, rows in filled.items()
        if not current.get(title) and _is_unfilled(SHEETS_BY_TITLE[title], [t for _, t in rows])
    }
    unfilled -= {
        c.ref
        for title in filled.keys() - unfilled
        for c in SHEETS_BY_TITLE[title].columns
        if c.kind is Kind.REF and c.ref != title
    }
    for spec in SHEETS:
        if spec.title in unfilled:
            upload.unfilled.append(spec.title)
            continue
        if spec.title not in filled:
            continue
        parsed, errors = parse_rows(spec, filled[spec.title], year=year)
        upload.errors.extend(errors)
        if errors:
            continue
        rows = [row for _, row in parsed]
        numbers = [number for number, _ in parsed]
        upload.errors.extend(_duplicates(spec, rows, numbers))
        upload.rows[spec.title] = rows
        upload.numbers[spec.title] = numbers
    if not upload.errors:
        upload.errors.extend(_references(upload, current))
        upload.errors.extend(_budget_tree(upload))
    return upload


def _duplicates(spec: SheetSpec, rows: list[Row], numbers: list[int]) -> list[str]:
    errors: list[str] = []
    seen: dict[Key, int] = {}
    for number, row in zip(numbers, rows, strict=True):
        key = spec.key_of(row)
        if key in seen:
            errors.append(
                f"{where(spec.title, number)}: riga ripetuta ({spec.key_text(row)} compare già "
                f"alla riga {seen[key]})."
            )
        else:
            seen[key] = number
    return errors


def _references(upload: Upload, current: dict[str, list[Row]]) -> list[str]:
    """Each reference names a row of the referenced sheet as it will be after the import; a
    sheet left out keeps its current rows, which must not lose what they name."""
    errors = []
    for spec in SHEETS:
        for column in spec.columns:
            if column.kind is not Kind.REF or column.ref == spec.title:
                continue
            assert column.ref is not None and column.ref_field is not None  # a REF names both
            target = SHEETS_BY_TITLE[column.ref]
            target_rows = upload.rows.get(target.title, current.get(target.title, []))
            names = {row[column.ref_field] for row in target_rows}
            if spec.title in upload.rows:
                for number, row in zip(
                    upload.numbers[spec.title], upload.rows[spec.title], strict=True
                ):
                    if row[column.field] not in names:
                        errors.append(
                            f"{where(spec.title, number)}: «{column.header}»: "
                            f"«{row[column.field]}» non è elencata nel foglio «{target.title}»."
                        )
            else:
                lost = sorted({r[column.field] for r in current.get(spec.title, [])} - names)
                for name in lost:
                    errors.append(
                        f"{where(target.title)}: «{name}» è tolta, ma i dati registrati del "
                        f"foglio «{spec.title}» (non caricato) la usano ancora: caricare anche "
                        "quel foglio, aggiornato."
                    )
    return errors


def _budget_tree(upload: Upload) -> list[str]:
    """Sub-lines (one level, as in the conto economico) of a line of the same section, which
    then has no figures of its own."""
    if BUDGET not in upload.rows:
        return []
    rows, numbers = upload.rows[BUDGET], upload.numbers[BUDGET]
    by_code = {row["code"]: row for row in rows}
    parents = {row["parent"] for row in rows if row["parent"]}
    errors = []
    for number, row in zip(numbers, rows, strict=True):
        parent_code = row["parent"]
        at = f"{where(BUDGET, number)}: «Voce superiore»"
        if parent_code:
            parent = by_code.get(parent_code)
            if parent is None:
                errors.append(f"{at}: la voce «{parent_code}» non è elencata nel foglio.")
            elif parent_code == row["code"]:
                errors.append(f"{at}: una voce non può essere sottovoce di sé stessa.")
            elif parent["parent"]:
                errors.append(
                    f"{at}: la voce «{parent_code}» è a sua volta una sottovoce (è ammesso un "
                    "solo livello)."
                )
            elif parent["group"] != row["group"]:
                errors.append(f"{at}: la voce «{parent_code}» appartiene a un'altra sezione.")
        if row["code"] in parents and row["forecast"] is not None:
            errors.append(
                f"{where(BUDGET, number)}: la voce «{row['code']}» ha sottovoci: gli importi "
                "vanno nelle sottovoci, non nella voce che le raggruppa."
            )
    return errors
