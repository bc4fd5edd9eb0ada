"""The sheets of the context-and-resources workbook, declared once, and everything that can be
decided about an upload without the database: cell parsing, row and cross-sheet checks, the
diff against the rows already recorded and the fingerprint of those rows.

A row is a plain ``dict`` keyed by model field: numbers as :class:`~decimal.Decimal` or ``int``,
choices as their stored code, references (a foreign key) as the natural key of the row they
name (a category's name, a budget line's code). Cells arrive as the text a person sees (see
:func:`indicators.workbook.cell_text`), so one parser serves numeric cells and typed text alike.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Model

from finance.models import BudgetLine, EconomicIntervention, FinancialRatio, Holding
from indicators.domain import ValueType, parse_value
from lib.italian import decimals_of, format_decimal
from staff.models import (
    Absence,
    Gender,
    Headcount,
    ParentalLeave,
    PartTimeCount,
    SmartWorking,
    StaffCategory,
    WorkforceSummary,
)

ZERO = Decimal(0)
INSTRUCTIONS_SHEET = "Istruzioni"


Row = dict[str, Any]  # a row: model field -> value (see the module's docstring)
Key = tuple[Any, ...]  # a row's natural key
Stored = Decimal | int | str | None  # a cell's value as stored


class Kind(StrEnum):
    TEXT = "text"
    MONEY = "money"  # euro, two decimals
    DECIMAL = "decimal"
    INTEGER = "integer"  # >= 0
    CHOICE = "choice"  # by Italian label
    REF = "ref"  # a row of a sheet, by its natural key


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: Kind
    required: bool = True
    decimals: int = 0
    max_digits: int | None = None
    min_value: Decimal | None = None  # numbers: the smallest value allowed (inclusive)
    max_length: int | None = None  # text
    choices: tuple[tuple[str, str], ...] = ()  # (stored code, Italian label)
    ref: str | None = None  # REF: title of the sheet whose key it names
    ref_field: str | None = None  # REF: the key field of that sheet
    year: bool = False  # the cycle's year or the one before
    structure: bool = False  # copied from the previous year when pre-filling a new one

    @property
    def path(self) -> str:
        """The ``values()`` path of the column on its model."""
        return f"{self.field}__{self.ref_field}" if self.kind is Kind.REF else self.field


@dataclass(frozen=True)
class SheetSpec:
    title: str
    model: type[Model]  # its manager is _default_manager (objects), the one it declares
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # fields of the natural key
    help: str
    ordered: bool = True  # the model has an ``order`` field: the row's position in the sheet
    check: Callable[[Row], list[str]] | None = None  # row checks, after every cell is valid

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    def key_of(self, row: Row) -> Key:
        return tuple(row.get(f) for f in self.key)

    def key_text(self, row: Row) -> str:
        return " · ".join(format_value(self.column(f), row.get(f)) for f in self.key)


class CellError(ValueError):
    """A cell that cannot be read; the message is Italian and names the reason only."""


# --- Numbers --------------------------------------------------------------------------------

_SPACES_RE = re.compile(r"[\s\u00a0\u202f]+")


def parse_number(text: object, *, allow_percent: bool = False) -> Decimal:
    """A number written the Italian way (``1.284,50``, ``98,77``, ``-3``, ``€ 12``) or a
    numeric cell, read by the engine's parser (:func:`indicators.domain.parse_value`); spaces
    used as thousands separators are ignored.

    Never a formula: ``=A1*2`` is refused, not evaluated."""
    if isinstance(text, bool):
        raise CellError(f"«{text}» non è un numero")
    if isinstance(text, int | Decimal):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(str(text))
    raw = str(text or "").strip()
    if raw.startswith("="):
        raise CellError("le formule non sono ammesse: scrivere il valore")
    value = parse_value(_SPACES_RE.sub("", raw))
    if (
        value.type is not ValueType.NUMBER
        or value.number is None  # never, for a NUMBER: said for the type checker
        or value.comparator
        or (value.percent and not allow_percent)
    ):
        raise CellError(
            f"«{raw}» non è un numero (scrivere ad esempio 1.284,50: punto per le migliaia, "
            "virgola per i decimali)"
        )
    return value.number


# --- Cells ----------------------------------------------------------------------------------


def _check_number(column: Column, number: Decimal) -> Decimal:
    places = decimals_of(number)
    if column.kind is Kind.INTEGER and places:
        raise CellError(f"«{format_decimal(number)}» non è un numero intero")
    if places > column.decimals:
        raise CellError(
            f"«{format_decimal(number)}» ha più di {column.decimals} decimali"
            if column.decimals
            else f"«{format_decimal(number)}» non è un numero intero"
        )
    if column.max_digits is not None:
        integer_digits = len(str(int(abs(number))).lstrip("0"))
        if integer_digits > column.max_digits - column.decimals:
            raise CellError(f"«{format_decimal(number)}» è troppo grande")
    if column.min_value is not None and number < column.min_value:
        if column.min_value == ZERO:
            raise CellError(f"«{format_decimal(number)}» è negativo: il valore deve essere ≥ 0")
        raise CellError(
            f"«{format_decimal(number)}» è inferiore al minimo ammesso "
            f"({format_decimal(column.min_value)})"
        )
    return number


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SI" if value else "NO"
    if isinstance(value, int | float | Decimal):
        return format_decimal(Decimal(str(value)))
    return str(value).strip()


def parse_cell(column: Column, value: object, *, year: int | None = None) -> Stored:
    """The value of one cell for ``column`` (its text, or a number); :class:`CellError` with
    the reason otherwise.

    Empty optional cells are ``None`` (``""`` for text); text is kept as typed, a leading
    ``=`` included (stored as text, never evaluated)."""
    text = _as_text(value)
    if not text:
        if column.required:
            raise CellError("valore obbligatorio mancante")
        return "" if column.kind is Kind.TEXT else None
    if column.kind in (Kind.MONEY, Kind.DECIMAL, Kind.INTEGER):
        number = _check_number(
            column, parse_number(text, allow_percent=column.kind is Kind.DECIMAL)
        )
        if column.kind is not Kind.INTEGER:
            return number
        if column.year and year is not None and int(number) not in (year, year - 1):
            raise CellError(f"l'anno deve essere {year} o {year - 1}, non {int(number)}")
        return int(number)
    if column.kind is Kind.CHOICE:
        wanted = text.casefold()
        for code, label in column.choices:
            if wanted in (label.casefold(), code.casefold()):
                return code
        allowed = ", ".join(f"«{label}»" for _, label in column.choices)
        raise CellError(f"«{text}» non è tra i valori ammessi ({allowed})")
    # Text, or a reference (whose existence is checked against the whole workbook).
    if column.max_length is not None and len(text) > column.max_length:
        raise CellError(f"testo troppo lungo (massimo {column.max_length} caratteri)")
    return text


def format_value(column: Column, value: Any) -> str:
    """A stored value as the sheet shows it (and the preview and the log print it)."""
    if value is None or value == "":
        return ""
    if column.kind is Kind.MONEY:
        return format_decimal(Decimal(value), 2)
    if column.kind is Kind.DECIMAL:
        return format_decimal(Decimal(value))
    if column.kind is Kind.INTEGER:
        return str(value) if column.year else format_decimal(Decimal(value), 0)
    if column.kind is Kind.CHOICE:
        return dict(column.choices).get(value, str(value))
    return str(value)


# --- The sheets -----------------------------------------------------------------------------


def _money(header: str, field_name: str, **kw: Any) -> Column:
    return Column(header, field_name, Kind.MONEY, decimals=2, max_digits=16, **kw)


def _count(header: str, field_name: str, **kw: Any) -> Column:
    return Column(header, field_name, Kind.INTEGER, min_value=ZERO, max_digits=10, **kw)


def _year() -> Column:
    return Column("Anno", "year", Kind.INTEGER, min_value=ZERO, year=True, structure=True)


def _gender(**kw: Any) -> Column:
    return Column("Genere", "gender", Kind.CHOICE, choices=tuple(Gender.choices), **kw)


def _budget_check(row: Row) -> list[str]:
    if (row["forecast"] is None) != (row["actual"] is None):
        return [
            "indicare sia il preventivo aggiornato sia il consuntivo, oppure nessuno dei due "
            "(per una voce suddivisa in sottovoci)"
        ]
    return []


def _holding_check(row: Row) -> list[str]:
    errors = []
    if row["share_capital"] <= 0:
        errors.append("il capitale sociale deve essere maggiore di zero")
    elif row["nominal_value"] > row["share_capital"]:
        errors.append(
            f"il valore nominale della partecipazione ({format_decimal(row['nominal_value'], 2)})"
            f" supera il capitale sociale ({format_decimal(row['share_capital'], 2)})"
        )
    return errors


BUDGET = "Conto economico"
INTERVENTIONS = "Interventi economici"
RATIOS = "Indici di bilancio"
HOLDINGS = "Partecipazioni"
CATEGORIES = "Aree di inquadramento"
HEADCOUNTS = "Personale"
PART_TIME = "Tempo parziale"
FTE = "FTE"
ABSENCES = "Assenze"
PARENTAL = "Congedi parentali"
SMART_WORKING = "Lavoro agile"

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        BUDGET,
        BudgetLine,
        (
            Column(
                "Sezione",
                "group",
                Kind.CHOICE,
                choices=tuple(BudgetLine.Group.choices),
                structure=True,
            ),
            Column("Voce", "code", Kind.TEXT, max_length=10, structure=True),
            Column("Descrizione", "label", Kind.TEXT, max_length=200, structure=True),
            Column(
                "Voce superiore",
                "parent",
                Kind.REF,
                required=False,
                max_length=10,
                ref=BUDGET,
                ref_field="code",
                structure=True,
            ),
            _money("Preventivo aggiornato", "forecast", required=False),
            _money("Consuntivo", "actual", required=False),
        ),
        key=("code",),
        help="Conto economico: preventivo aggiornato e consuntivo per voce. Una voce suddivisa "
        "in sottovoci (indicate con «Voce superiore») non ha importi propri.",
        check=_budget_check,
    ),
    SheetSpec(
        INTERVENTIONS,
        EconomicIntervention,
        (
            Column("Linea di intervento", "label", Kind.TEXT, max_length=200, structure=True),
            _money("Previsione", "forecast", min_value=ZERO),
            _money("Costi", "actual", min_value=ZERO),
        ),
        key=("label",),
        help="Interventi economici: previsione e costi per linea di intervento.",
    ),
    SheetSpec(
        RATIOS,
        FinancialRatio,
        (
            Column("Gruppo", "group", Kind.TEXT, max_length=120, structure=True),
            Column("Indicatore", "label", Kind.TEXT, max_length=250, structure=True),
            Column(
                "Unità",
                "unit",
                Kind.CHOICE,
                choices=tuple(FinancialRatio.Unit.choices),
                structure=True,
            ),
            Column("Valore dell'anno", "value", Kind.DECIMAL, decimals=4, max_digits=16),
            Column(
                "Valore dell'anno precedente",
                "previous_value",
                Kind.DECIMAL,
                decimals=4,
                max_digits=16,
                required=False,
            ),
        ),
        key=("group", "label"),
        help="Indici di bilancio per gruppo; i valori in % si scrivono come numeri (4,38).",
    ),
    SheetSpec(
        HOLDINGS,
        Holding,
        (
            Column("Società", "company", Kind.TEXT, max_length=200, structure=True),
            _money("Capitale sociale", "share_capital", min_value=ZERO),
            _money("Valore nominale della partecipazione", "nominal_value", min_value=ZERO),
        ),
        key=("company",),
        help="Partecipazioni: il valore nominale non può superare il capitale sociale.",
        check=_holding_check,
    ),
    SheetSpec(
        CATEGORIES,
        StaffCategory,
        (
            Column("Area di inquadramento", "name", Kind.TEXT, max_length=120, structure=True),
            _count("Dotazione organica", "establishment", required=False),
            Column(
                "Nota alla dotazione",
                "establishment_note",
                Kind.TEXT,
                required=False,
                max_length=200,
            ),
        ),
        key=("name",),
        help="Aree di inquadramento e dotazione organica; i fogli del personale le citano "
        "per nome.",
    ),
    SheetSpec(
        HEADCOUNTS,
        Headcount,
        (
            _year(),
            Column(
                "Area di inquadramento",
                "category",
                Kind.REF,
                max_length=120,
                ref=CATEGORIES,
                ref_field="name",
                structure=True,
            ),
            _gender(structure=True),
            Column(
                "Contratto",
                "contract",
                Kind.CHOICE,
                choices=tuple(Headcount.Contract.choices),
                structure=True,
            ),
            _count("Dipendenti", "count"),
        ),
        key=("year", "category", "gender", "contract"),
        help="Personale in servizio al 31/12 per anno, area, genere e contratto.",
        ordered=False,
    ),
    SheetSpec(
        PART_TIME,
        PartTimeCount,
        (_year(), _gender(structure=True), _count("Dipendenti a tempo parziale", "count")),
        key=("year", "gender"),
        help="Personale a tempo parziale per anno e genere.",
        ordered=False,
    ),
    SheetSpec(
        FTE,
        WorkforceSummary,
        (
            _year(),
            Column(
                "FTE (full time equivalent)",
                "fte",
                Kind.DECIMAL,
                decimals=2,
                max_digits=8,
                min_value=ZERO,
            ),
        ),
        key=("year",),
        help="Personale equivalente a tempo pieno.",
        ordered=False,
    ),
    SheetSpec(
        ABSENCES,
        Absence,
        (
            _year(),
            Column(
                "Causa",
                "cause",
                Kind.CHOICE,
                choices=tuple(Absence.Cause.choices),
                structure=True,
            ),
            _count("Giorni", "days"),
        ),
        key=("year", "cause"),
        help="Giorni di assenza per causa.",
        ordered=False,
    ),
    SheetSpec(
        PARENTAL,
        ParentalLeave,
        (
            _year(),
            Column(
                "Tipo di congedo",
                "leave_type",
                Kind.CHOICE,
                choices=tuple(ParentalLeave.LeaveType.choices),
                structure=True,
            ),
            _gender(structure=True),
            _count("Giorni", "days"),
        ),
        key=("year", "leave_type", "gender"),
        help="Giorni di congedo parentale per tipo e genere.",
        ordered=False,
    ),
    SheetSpec(
        SMART_WORKING,
        SmartWorking,
        (
            _year(),
            _count("Dipendenti che hanno svolto lavoro agile", "employees"),
            _count("Giornate complessive in lavoro agile", "days_total"),
            Column(
                "Giornate medie a settimana per dipendente",
                "days_per_week",
                Kind.DECIMAL,
                decimals=2,
                max_digits=4,
                min_value=ZERO,
            ),
            _count("Dipendenti in lavoro agile al 31/12", "employees_at_year_end"),
        ),
        key=("year",),
        help="Lavoro agile nell'anno.",
        ordered=False,
    ),
)
SHEETS_BY_TITLE = {spec.title: spec for spec in SHEETS}


# --- Reading an upload ----------------------------------------------------------------------


@dataclass(frozen=True)
class RawSheet:
    """A sheet as read from the file: header texts and (row number, cell texts) pairs."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


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


def _header_map(spec: SheetSpec, header: Sequence[str], errors: list[str]) -> dict[str, int]:
    names = [h.strip() for h in header]
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
    spec: SheetSpec, raw: RawSheet, positions: dict[str, int]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {header: cell}) of the rows with anything in the sheet's columns."""
    for number, cells in raw.rows:
        texts = {
            c.header: cells[positions[c.header]] if positions[c.header] < len(cells) else ""
            for c in spec.columns
        }
        if any(_as_text(t) for t in texts.values()):
            yield number, texts


def _is_unfilled(spec: SheetSpec, rows: list[dict[str, str]]) -> bool:
    """Only the structure a new year's workbook is pre-filled with: no figure typed at all."""
    figures = [c for c in spec.columns if not c.structure]
    return bool(rows) and not any(_as_text(row[c.header]) for row in rows for c in figures)


def parse_rows(
    spec: SheetSpec, filled: list[tuple[int, dict[str, str]]], *, year: int
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


def read_upload(raw: dict[str, RawSheet], *, year: int, current: dict[str, list[Row]]) -> Upload:
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
    filled: dict[str, list[tuple[int, dict[str, str]]]] = {}
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


# --- Diff -----------------------------------------------------------------------------------


@dataclass
class SheetDiff:
    """Rows as the sheet shows them: ``added``/``removed`` as (key, [(header, text)]),
    ``changed`` as (key, [(header, old text, new text)])."""

    added: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    changed: list[tuple[str, list[tuple[str, str, str]]]] = field(default_factory=list)
    removed: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def as_json(self) -> dict[str, Any]:
        return {
            "added": [{"key": k, "values": dict(v)} for k, v in self.added],
            "changed": [
                {"key": k, "fields": {h: [old, new] for h, old, new in fields}}
                for k, fields in self.changed
            ],
            "removed": [{"key": k, "values": dict(v)} for k, v in self.removed],
        }


def _same(column: Column, old: Any, new: Any) -> bool:
    if column.kind in (Kind.MONEY, Kind.DECIMAL, Kind.INTEGER):
        if old is None or new is None:
            return old is None and new is None
        return Decimal(old) == Decimal(new)
    return (old or "") == (new or "")


def changed_columns(spec: SheetSpec, old: Row, new: Row) -> list[Column]:
    return [c for c in spec.columns if not _same(c, old.get(c.field), new.get(c.field))]


def _shown(spec: SheetSpec, row: Row) -> list[tuple[str, str]]:
    return [(c.header, format_value(c, row.get(c.field))) for c in spec.columns]


def sheet_diff(spec: SheetSpec, current_rows: Iterable[Row], new_rows: Iterable[Row]) -> SheetDiff:
    current = {spec.key_of(row): row for row in current_rows}
    new_keys = set()
    result = SheetDiff()
    for row in new_rows:
        key = spec.key_of(row)
        new_keys.add(key)
        old = current.get(key)
        if old is None:
            result.added.append((spec.key_text(row), _shown(spec, row)))
            continue
        fields = [
            (c.header, format_value(c, old.get(c.field)), format_value(c, row.get(c.field)))
            for c in changed_columns(spec, old, row)
        ]
        if fields:
            result.changed.append((spec.key_text(row), fields))
    for key, row in current.items():
        if key not in new_keys:
            result.removed.append((spec.key_text(row), _shown(spec, row)))
    return result


def diff(
    current_rows: dict[str, list[Row]], new_rows: dict[str, list[Row]]
) -> dict[str, SheetDiff]:
    """Per sheet of ``new_rows`` (the sheets of an upload): added, changed and removed rows."""
    return {
        spec.title: sheet_diff(spec, current_rows.get(spec.title, []), new_rows[spec.title])
        for spec in SHEETS
        if spec.title in new_rows
    }


def changes_summary(added: int, changed: int, removed: int) -> str:
    """``1 riga aggiunta, 2 modificate, 0 eliminate``."""

    def part(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    return ", ".join(
        (
            part(added, "riga aggiunta", "righe aggiunte"),
            part(changed, "modificata", "modificate"),
            part(removed, "eliminata", "eliminate"),
        )
    )


# --- Fingerprint and pre-fill ---------------------------------------------------------------


def fingerprint(current_rows: dict[str, list[Row]]) -> str:
    """A digest of every recorded row (in order) of every sheet: it changes with any write."""
    canonical = {
        spec.title: [
            [format_value(c, row.get(c.field)) for c in spec.columns]
            for row in current_rows.get(spec.title, [])
        ]
        for spec in SHEETS
    }
    text = json.dumps(canonical, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def structure_of(spec: SheetSpec, rows: Iterable[Row], *, year_shift: int) -> list[Row]:
    """A previous year's rows reduced to their structure (labels, codes, categories), years
    moved forward, figures left empty: the new year's workbook, ready for the numbers."""
    result = []
    for row in rows:
        new = {}
        for column in spec.columns:
            value = row.get(column.field)
            if not column.structure:
                value = "" if column.kind is Kind.TEXT else None
            elif column.year and value is not None:
                value = value + year_shift
            new[column.field] = value
        result.append(new)
    return result
