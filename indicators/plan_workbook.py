"""The workbook of a whole plan: its sheets and columns, the template and the validation.

Every column names the model field it fills, so that the limits a cell is checked against
(``max_length``, ``max_digits``/``decimal_places``, the integer range, the choices) are the
model's own, never copied numbers. :func:`plan_validate` is pure (no database): it checks every
cell of every sheet and every unique constraint of the plan and lists all the errors at once,
each naming sheet, row, column and the fix. The only database facts it needs (the codes of the
body's units, whether the year exists) come in a :class:`PlanReference` loaded by the service.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from core.scoring_method import DEFAULT_SCALE, ScaleLevel
from lib import xlsx
from lib.codes import CODE_HELP, code_allowed
from lib.formulas import Formula
from lib.italian import decimals_of, format_number

from . import domain, targets
from .plan_cells import SheetRow, declared_cells, multiyear_cells, where
from .plan_columns import (  # noqa: F401 (the sheets and columns, read from here too)
    _CODE,
    COLUMNS,
    COMMON_CODE,
    INDICATORS,
    LEGEND,
    OPERATIONAL,
    PERSPECTIVES,
    PLAN_EXAMPLE,
    PLAN_SHEETS,
    STRATEGIC,
    TARGET_EXAMPLES,
    UNITS_SHEET,
    PlanColumn,
)
from .plan_template import plan_template  # noqa: F401 - read from here too (views, tests)
from .workbook import read_sheets


def strategic_card_slug(code: str) -> str:
    """The slug of the 2.2 cruscotto of a strategic objective (it shares the year's slugs with
    the units' cruscotti, whose slug is the unit's code)."""
    return "obiettivo-" + code.replace(".", "-").replace("/", "-")


# --- Reading and validation -----------------------------------------------------------------

SheetRows = dict[str, xlsx.Sheet]


@dataclass(frozen=True)
class PlanReference:
    """What the validation needs of the database: the body's unit codes (with their names) and
    whether the year already exists."""

    units: Mapping[str, str] = field(default_factory=dict)
    year: int | None = None
    year_exists: bool = False
    scale: tuple[ScaleLevel, ...] = DEFAULT_SCALE  # the body's, for qualitative targets


@dataclass
class PlanData:
    perspectives: list[tuple[int, str]] = field(default_factory=list)
    strategic: list[tuple[str, str, str]] = field(default_factory=list)  # code, perspective, name
    operational: list[tuple[str, str, list[str]]] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # The weights of the body's scoring method: perspective by name, strategic objective by
    # code, operational objective by (code, name).
    weights: dict[object, Decimal] = field(default_factory=dict)


def plan_read(file) -> SheetRows:
    """The plan's sheets of an upload, through :mod:`lib.xlsx` (raises ``XlsxError``)."""
    _, sheets = read_sheets(file, sheets=set(COLUMNS))
    return sheets


def _choice(text: str, choices) -> str | None:
    """A choice by code (``number``) or by its Italian label (``Numero``)."""
    key = text.strip().lower()
    for code, label in choices:
        if key in (str(code).lower(), str(label).lower()):
            return str(code)
    return None


def check_cell(column: PlanColumn, text: str) -> tuple[object, str | None]:
    """The value of a cell for its model field, or the Italian reason and fix. Pure."""
    text = text or column.default
    f = column.field
    if not text:
        return text, ("obbligatoria: compilare la cella" if column.required else None)
    if f.choices:  # by code or by label: a label may be longer than the stored code
        code = _choice(text, f.choices)
        if code is None:
            codes = ", ".join(str(c) for c, _ in f.choices)
            return None, f"«{text[:40]}» non valido: usare uno dei codici {codes} (foglio Legenda)"
        return code, None
    if column.max_length is not None and len(text) > column.max_length:
        return None, (
            f"{format_number(len(text))} caratteri, al massimo "
            f"{format_number(column.max_length)}: accorciare il testo"
        )
    if isinstance(f, models.DecimalField):
        return _check_decimal(f, text)
    if isinstance(f, models.IntegerField):
        # Django's range of the field type (what PostgreSQL enforces), the same on every
        # database: SQLite would store a 20-digit order that PostgreSQL refuses.
        low, high = BaseDatabaseOperations.integer_field_ranges[f.get_internal_type()]
        if not text.isdigit() or not low <= int(text) <= high:
            return None, (
                f"«{text[:40]}» non è un numero intero tra {format_number(low)} e "
                f"{format_number(high)}: "
                "scrivere un numero intero"
            )
        return int(text), None
    return text, None


def _check_decimal(f: models.DecimalField, text: str) -> tuple[object, str | None]:
    value = domain.parse_value(text)
    number = value.number
    if value.type is not domain.ValueType.NUMBER or number is None or value.comparator:
        return None, f"«{text[:40]}» non è un numero: scrivere un numero come 1 oppure 0,5"
    if number < 0:  # the check constraint indicator_weight_gte_0
        return None, f"{text} è negativo: scrivere un numero maggiore o uguale a zero"
    places, digits = f.decimal_places or 0, f.max_digits or 0
    if decimals_of(number) > places:
        return None, f"{text}: al massimo {places} decimali: arrotondare il numero"
    if number >= Decimal(10) ** (digits - places):
        return None, (
            f"{text}: al massimo {digits - places} cifre prima della virgola: "
            "scrivere un numero più piccolo"
        )
    return number, None


def _rows(sheets: SheetRows, title: str, errors: list[str]) -> list[SheetRow]:
    """Every non-empty row of a sheet with each bad cell an error (the row is kept, marked, so
    that the checks across rows still see its good cells)."""
    sheet = sheets.get(title)
    columns = COLUMNS[title]
    if sheet is None:
        errors.append(f"Manca il foglio «{title}»: usare il modello scaricato da questa pagina.")
        return []
    expected = [c.header for c in columns]
    present = [str(h) for h in sheet.header[: len(expected)]]
    while present and not present[-1].strip() and len(present) > len(expected) - _added(columns):
        present.pop()
    if present != expected[: max(len(present), len(expected) - _added(columns))]:
        errors.append(
            f"Foglio «{title}», riga 1: intestazioni attese «{'», «'.join(expected)}»: "
            "ripristinare la prima riga del modello."
        )
        return []
    rows = []
    for number, texts in sheet.rows:
        # A formula cell keeps its mark (lib.formulas.Formula): the target column refuses it.
        texts = [
            t if isinstance(t, Formula) else str(t)
            for t in (list(texts) + [""] * len(columns))[: len(columns)]
        ]
        if not any(texts):
            continue
        row = SheetRow(number, {})
        for column, text in zip(columns, texts, strict=True):
            if not text and column.default:
                row.left_empty.add(column.header)
            value, problem = check_cell(column, text)
            if problem:
                errors.append(f"{where(title, number, column.header)}: {problem}.")
                row.bad.add(column.header)
            row.values[column.header] = value
        rows.append(row)
    return rows


def _added(columns: list[PlanColumn]) -> int:
    """How many columns at the sheet's end a workbook made before them may lack."""
    count = 0
    for column in reversed(columns):
        if not column.added:
            break
        count += 1
    return count


def _valid(rows: list[SheetRow], *columns: str) -> list[SheetRow]:
    return [r for r in rows if not r.bad.intersection(columns)]


def _unique(rows: list[SheetRow], title: str, columns: tuple[str, ...], what: str, errors) -> None:
    """A repeat of a unique key (the values of ``columns``) names both rows."""
    column = columns[-1]
    first: dict[object, int] = {}
    for row in _valid(rows, *columns):
        key = tuple(row.values[c] for c in columns)
        if key in first:
            fix = "cambiarlo" if what == "ordine" else "renderlo diverso"
            errors.append(
                f"{where(title, row.number, column)}: {what} «{row.values[column]}» già usato "
                f"alla riga {first[key]}: {fix}."
            )
            row.bad.add(column)
        else:
            first[key] = row.number


def _references(
    rows: list[SheetRow], title: str, column: str, known: Callable[[object], bool], fix: str, errors
) -> None:
    for row in _valid(rows, column):
        if not known(row.values[column]):
            errors.append(f"{where(title, row.number, column)}: «{row.values[column]}» {fix}.")
            row.bad.add(column)


def _units(text: object) -> list[str]:
    return list(dict.fromkeys(s.strip() for s in re.split(r"[;,]", str(text or "")) if s.strip()))


def plan_validate(sheets: SheetRows, *, reference: PlanReference) -> PlanData:
    """The plan of a new year from the sheets of the template; every error of every sheet is
    listed (sheet, row, column, fix). Pure: the database facts are in ``reference``. A value
    refused in its own cell is still a valid reference for the other sheets, so that one
    mistake is reported once, not again in every row that names it."""
    plan = PlanData()
    errors = plan.errors
    if reference.year_exists:
        errors.append(
            f"L'anno {reference.year} esiste già: il piano si importa solo per un anno nuovo."
        )
    persp = _rows(sheets, PERSPECTIVES, errors)
    _unique(persp, PERSPECTIVES, ("Ordine",), "ordine", errors)
    _unique(persp, PERSPECTIVES, ("Prospettiva",), "nome", errors)
    names = {r.values["Prospettiva"] for r in persp}

    strategic = _rows(sheets, STRATEGIC, errors)
    _references(
        strategic,
        STRATEGIC,
        "Codice",
        lambda code: code_allowed(str(code)),
        f"non è un codice valido: {CODE_HELP}",
        errors,
    )
    _first_level(strategic, names, errors)
    _unique(strategic, STRATEGIC, ("Codice",), "codice", errors)
    codes = {str(r.values["Codice"]): r.number for r in _valid(strategic, "Codice")}

    operational = _rows(sheets, OPERATIONAL, errors)
    _references(
        operational,
        OPERATIONAL,
        "Obiettivo strategico",
        lambda code: code in codes,
        "non è un codice del foglio «Obiettivi strategici»",
        errors,
    )
    _unique(
        operational, OPERATIONAL, ("Obiettivo strategico", "Obiettivo operativo"), "nome", errors
    )
    _direct_alone(operational, errors)
    for row in _valid(operational, "Unità"):
        unknown = [s for s in _units(row.values["Unità"]) if s not in reference.units]
        if unknown:
            errors.append(
                f"{where(OPERATIONAL, row.number, 'Unità')}: "
                f"{'codice' if len(unknown) == 1 else 'codici'} «{'», «'.join(unknown)}» "
                f"{'inesistente' if len(unknown) == 1 else 'inesistenti'}: "
                "usare i codici del foglio «Unità» del modello."
            )
            row.bad.add("Unità")
    plan.perspectives = [
        (int(str(r.values["Ordine"])), str(r.values["Prospettiva"])) for r in persp if not r.bad
    ]
    _weights(plan, persp, strategic, operational)
    plan.strategic = [
        (
            str(r.values["Codice"]),
            str(r.values["Prospettiva"]),
            str(r.values["Obiettivo strategico"]),
        )
        for r in strategic
        if not r.bad
    ]
    plan.operational = [
        (
            str(r.values["Obiettivo strategico"]),
            str(r.values["Obiettivo operativo"]),
            _units(r.values["Unità"]),
        )
        for r in operational
        if not r.bad
    ]
    _card_clashes(plan, codes, reference, errors)
    known_operational = {
        (r.values["Obiettivo strategico"], r.values["Obiettivo operativo"])
        for r in _valid(operational, "Obiettivo strategico", "Obiettivo operativo")
    }
    _indicators(sheets, plan, known_operational, set(codes), errors, reference)
    return plan


def _first_level(strategic: list[SheetRow], names: set[object], errors: list[str]) -> None:
    """With perspectives, each strategic objective names one; a plan without a first level
    (the sheet «Prospettive» has no rows) leaves the column empty in every row."""
    for row in _valid(strategic, "Prospettiva"):
        name = row.values["Prospettiva"]
        if names and not name:
            problem = "obbligatoria: il foglio «Prospettive» ha righe: copiarne il nome esatto"
        elif names and name not in names:
            problem = f"«{name}» non è nel foglio «Prospettive»: copiarne il nome esatto"
        elif not names and name:
            problem = (
                f"«{name}»: il foglio «Prospettive» non ha righe (piano senza primo livello): "
                "lasciare vuota la colonna o aggiungere la prospettiva al foglio"
            )
        else:
            continue
        errors.append(f"{where(STRATEGIC, row.number, 'Prospettiva')}: {problem}.")
        row.bad.add("Prospettiva")


def _direct_alone(operational: list[SheetRow], errors: list[str]) -> None:
    """A row without an operational objective's name holds the strategic objective's direct
    indicators (its units, its weight): the only row of its code."""
    key = ("Obiettivo strategico", "Obiettivo operativo")
    count: dict[object, int] = {}
    for row in _valid(operational, *key):
        count[row.values[key[0]]] = count.get(row.values[key[0]], 0) + 1
    for row in _valid(operational, *key):
        code = row.values[key[0]]
        if not row.values[key[1]] and count[code] > 1:
            errors.append(
                f"{where(OPERATIONAL, row.number, key[1])}: vuoto, cioè gli indicatori diretti "
                f"dell'obiettivo strategico {code}, che però ha obiettivi operativi in altre "
                "righe: dare un nome all'obiettivo operativo o togliere le altre righe."
            )
            row.bad.add(key[1])


def _weights(plan: PlanData, persp: list[SheetRow], strategic: list[SheetRow], operational) -> None:
    for r in persp:
        plan.weights[("p", str(r.values["Prospettiva"]))] = _decimal(r.values.get("Peso"))
    for r in strategic:
        plan.weights[("s", str(r.values["Codice"]))] = _decimal(r.values.get("Peso"))
    for r in operational:
        key = (str(r.values["Obiettivo strategico"]), str(r.values["Obiettivo operativo"]).strip())
        plan.weights[("o", *key)] = _decimal(r.values.get("Peso"))


def _decimal(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(1)


def _card_clashes(
    plan: PlanData, codes: dict[str, int], reference: PlanReference, errors: list[str]
) -> None:
    """The cruscotti the import creates share the year's slugs and titles: a unit whose code is
    a strategic cruscotto's slug, or two units with the same name, would break a constraint."""
    slugs: dict[str, str] = {}
    for code in codes:
        slug = strategic_card_slug(code)
        if slug in slugs:  # "1.1" and "1-1": the cruscotti would share their code
            errors.append(
                f"{where(STRATEGIC, codes[code], 'Codice')}: il codice {code} differisce da "
                f"{slugs[slug]} (riga {codes[slugs[slug]]}) solo per i separatori: i loro "
                "cruscotti avrebbero lo stesso codice; cambiare uno dei due."
            )
        slugs.setdefault(slug, code)
    used = sorted({s for _c, _n, unit_slugs in plan.operational for s in unit_slugs})
    for slug in used:
        if slug in slugs:
            code = slugs[slug]
            errors.append(
                f"{where(STRATEGIC, codes[code], 'Codice')}: il cruscotto dell'obiettivo {code} "
                f"avrebbe il codice «{slug}», già codice di un'unità: cambiare il codice "
                "dell'unità nell'admin."
            )
    titles: dict[str, str] = {}
    for slug in used:
        title = reference.units[slug].upper()
        if title in titles:
            errors.append(
                f"Le unità «{titles[title]}» e «{slug}» hanno lo stesso nome «{title}»: i loro "
                "cruscotti avrebbero lo stesso titolo: rinominarne una nell'admin."
            )
        titles.setdefault(title, slug)


def _target(row: SheetRow, errors: list[str], scale: tuple[ScaleLevel, ...]) -> str:
    """The target in the form of its kind (the one parser of targets), within its column; the
    unit of measure written after it (``<= 10 gg.``) fills an empty «Unità di misura»."""
    from .services import parse_target

    column = next(c for c in COLUMNS[INDICATORS] if c.header == "Risultato atteso")
    cell = row.values[column.header] or ""
    target = str(cell)
    try:
        if isinstance(cell, Formula):  # a formula cell; a text such as «= 45.000» is a value
            raise ValidationError("le formule non sono ammesse: scrivere il valore")
        unit = targets.parse_target(target).unit
        target = parse_target(str(row.values["Tipo"]), target, scale)
        if unit and not row.values["Unità di misura"]:
            row.values["Unità di misura"] = unit  # at most 40 characters: the field's length
    except ValidationError as exc:
        problem: str | None = " ".join(exc.messages)
    else:
        _, problem = check_cell(column, target)
    if problem:
        errors.append(f"{where(INDICATORS, row.number, column.header)}: {problem.rstrip('.')}.")
        row.bad.add(column.header)
    return target


def _direction(row: SheetRow, target: str) -> object:
    """The Polarità written, or for an empty one «higher», unless the target is a threshold
    (``≥ 60``, ``<= 10 gg.``): then the polarity stored says so («sopra/sotto la soglia»).
    A threshold under a written «higher» or «lower» is scored as one all the same
    (:func:`indicators.domain.is_threshold`)."""
    if "Polarità" in row.left_empty:
        comparator = domain.parse_value(target).comparator
        if comparator.startswith(">"):
            return str(domain.Direction.AT_LEAST)
        if comparator.startswith("<"):
            return str(domain.Direction.AT_MOST)
    return row.values["Polarità"]


def _common_code(row: SheetRow, errors: list[str]) -> str:
    """The code of a shared indicator as written, checked by the rule of every code."""
    code = str(row.values.get(COMMON_CODE) or "").strip()
    if code and not code_allowed(code):
        errors.append(
            f"{where(INDICATORS, row.number, COMMON_CODE)}: «{code[:40]}» non è un codice "
            f"valido: {CODE_HELP}."
        )
        row.bad.add(COMMON_CODE)
    return code


def _indicator_parent(
    key: tuple[object, object],
    operational: set[tuple[object, object]],
    codes: set[str],
    named: set[object],
) -> str | None:
    """Why an indicator's row names no objective of the plan (None: it does). An empty
    operational objective places the indicator directly on its strategic objective."""
    code, name = key
    if name:
        if key in operational:
            return None
        return (
            f"«{name}» ({code}) non è nel foglio «Obiettivi operativi»: copiarne codice e "
            "nome esatti"
        )
    if str(code) not in codes:
        return f"codice «{code}» non è nel foglio «Obiettivi strategici»"
    if code in named:
        return (
            f"vuoto, cioè indicatore diretto dell'obiettivo strategico {code}, che però ha "
            "obiettivi operativi: scrivere il nome di uno di essi"
        )
    return None


def _indicators(
    sheets: SheetRows,
    plan: PlanData,
    operational: set[tuple[object, object]],
    codes: set[str],
    errors: list[str],
    reference: PlanReference,
) -> None:
    scale, year = reference.scale, reference.year
    # The strategic objectives with named operational objectives: no direct indicators there.
    named = {code for code, name in operational if name}
    for row in _rows(sheets, INDICATORS, errors):
        v = row.values
        key = (v["Obiettivo strategico"], v["Obiettivo operativo"])
        key_columns = ("Obiettivo strategico", "Obiettivo operativo")
        if not row.bad.intersection(key_columns):
            problem = _indicator_parent(key, operational, codes, named)
            if problem:
                column = key_columns[0] if problem.startswith("codice") else key_columns[1]
                errors.append(f"{where(INDICATORS, row.number, column)}: {problem}.")
                row.bad.update(key_columns)
        if row.bad.intersection(("Tipo", "Risultato atteso")):
            continue
        target = _target(row, errors, scale)
        common_code = _common_code(row, errors)
        later = multiyear_cells(row, errors, scale, year)
        past = declared_cells(row, errors, scale)
        if row.bad:
            continue
        plan.indicators.append(
            {
                "strategic": key[0],
                "operational": key[1],
                "name": v["Indicatore"],
                "algorithm": v["Algoritmo"],
                "kind": v["Tipo"],
                "direction": _direction(row, target),
                "target": target,
                "weight": v["Peso"],
                "unit_of_measure": v["Unità di misura"],
                "data_source": v["Fonte dei dati"],
                "threshold_rule": v["Regola della soglia"] or "",
                "row_weight": v["Peso nel cruscotto"] or None,
                "common_code": common_code,
                **later,
                **past,
                "row": row.number,
            }
        )
