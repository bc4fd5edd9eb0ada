"""The cells of a plan's «Indicatori» row beyond the year's own plan: the triennial plan's
(targets for N+1 and N+2, the baseline with its year) and a past year's declared figures (the
actual and the % the body printed). Each checked by the one parser of its kind, each error
naming sheet, row and column (:func:`where`), the row's bad cells marked so that one mistake
gives one message."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from core.scoring_method import ScaleLevel
from lib.formulas import Formula

from . import domain, horizon
from .plan_columns import INDICATORS


def where(title: str, number: int, column: str | None = None) -> str:
    text = f"Foglio «{title}», riga {number}"
    return f"{text}, colonna «{column}»" if column else text


@dataclass
class SheetRow:
    number: int
    values: dict[str, object]
    bad: set[str] = field(default_factory=set)  # the columns with an error
    left_empty: set[str] = field(default_factory=set)  # the columns their default filled


_MULTIYEAR = {
    "Risultato atteso N+1": "target_n1",
    "Risultato atteso N+2": "target_n2",
    "Valore di partenza": "baseline",
    "Anno del valore di partenza": "baseline_year",
}


def multiyear_cells(
    row: SheetRow, errors: list[str], scale: tuple[ScaleLevel, ...], year: int | None
) -> dict[str, object]:
    """The triennial plan's cells (indicators.horizon, the one parser of targets): each error
    with its sheet, row and column, the row marked."""
    from .services import parse_target

    fields = {}
    for header, name in _MULTIYEAR.items():
        cell = row.values.get(header)
        if isinstance(cell, Formula):
            errors.append(f"{where(INDICATORS, row.number, header)}: le formule non sono ammesse.")
            row.bad.add(header)
        elif header not in row.bad:
            fields[name] = "" if cell is None else cell
    if "baseline" not in fields:
        fields.pop("baseline_year", None)  # the value was refused in its cell: one error
    try:
        return horizon.clean(
            fields,
            kind=str(row.values["Tipo"]),
            year=year if year is not None else 9999,
            parse=lambda kind, text: parse_target(kind, text, scale),
        )
    except ValidationError as exc:
        for name, problems in exc.message_dict.items():
            header = next(h for h, n in _MULTIYEAR.items() if n == name)
            message = " ".join(problems).rstrip(".")
            errors.append(f"{where(INDICATORS, row.number, header)}: {message}.")
            row.bad.add(header)
        return {}


def declared_cells(
    row: SheetRow, errors: list[str], scale: tuple[ScaleLevel, ...]
) -> dict[str, str]:
    """A past year's cells: the actual in the form of its kind (the data entry's one
    normalization) and the % the body's document printed (a percentage, or NV)."""
    from .entry import EntryError, normalize_actual

    fields = {}
    actual = row.values.get("Valore ottenuto")
    if actual not in (None, "") and "Valore ottenuto" not in row.bad:
        try:
            fields["actual"] = normalize_actual(str(row.values["Tipo"]), actual, scale)
        except EntryError as exc:
            errors.append(f"{where(INDICATORS, row.number, 'Valore ottenuto')}: {exc}")
            row.bad.add("Valore ottenuto")
    declared = row.values.get("% dichiarata")
    if declared not in (None, "") and "% dichiarata" not in row.bad:
        value = domain.parse_value(str(declared))
        if isinstance(declared, Formula) or value.type not in (
            domain.ValueType.NUMBER,
            domain.ValueType.NV,
        ):
            errors.append(
                f"{where(INDICATORS, row.number, '% dichiarata')}: «{declared}» non è una "
                "percentuale (es. 98,77%) né NV."
            )
            row.bad.add("% dichiarata")
        else:
            fields["declared_realization"] = str(declared).strip()
    return fields
