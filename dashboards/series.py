"""An indicator's (or an objective's) figures across the years of a body, as a table with one
row per year: pure (plain rows in, a pandas DataFrame out), no database.

A year of the span with no figure (the indicator was not in that year's plan, or the year is
not visible) stays a row of gaps (NaN, no text), never a zero: the chart breaks its line there
and the table says «non presente».
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd  # type: ignore[import-untyped]  # no stubs in the locks (pandas-stubs)

from indicators import domain

NUMBER_COLUMNS = ("target", "actual", "realization")
TEXT_COLUMNS = ("target_text", "actual_text")


@dataclass(frozen=True)
class YearPoint:
    """The figures of one year as the page shows them: target and actual as written (their
    numbers, when they are numbers, are drawn), and the % realization (None: NV)."""

    year: int
    target: str = ""
    actual: str = ""
    realization: Decimal | None = None


def _number(text: str) -> float:
    value = domain.parse_value(text)
    if value.type is domain.ValueType.NUMBER and value.number is not None:
        return float(value.number)
    return float("nan")


def yearly(points: Iterable[YearPoint]) -> pd.DataFrame:
    """One row per year from the first to the last year given, sorted, indexed by ``anno``;
    columns ``target``, ``actual``, ``realization`` (floats, NaN where there is no number) and
    ``target_text``, ``actual_text`` (None for a year with no figure). A year given twice keeps
    its first point. No points: an empty table with those columns."""
    records = [
        {
            "anno": p.year,
            "target": _number(p.target),
            "actual": _number(p.actual),
            "realization": float(p.realization) if p.realization is not None else float("nan"),
            "target_text": p.target,
            "actual_text": p.actual,
        }
        for p in points
    ]
    columns = [*NUMBER_COLUMNS, *TEXT_COLUMNS]
    if not records:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="anno", dtype="int64"))
    frame = pd.DataFrame.from_records(records).drop_duplicates("anno", keep="first")
    frame = frame.set_index("anno").sort_index()
    span = pd.RangeIndex(int(frame.index.min()), int(frame.index.max()) + 1, name="anno")
    frame = frame.reindex(span)
    frame[list(TEXT_COLUMNS)] = frame[list(TEXT_COLUMNS)].astype(object)
    frame = frame.where(frame.notna(), None)
    frame[list(NUMBER_COLUMNS)] = frame[list(NUMBER_COLUMNS)].astype(float)
    return frame[columns]


@dataclass(frozen=True)
class TableRow:
    """A year of the accessible table beside the chart, in Italian formats."""

    year: int
    present: bool
    target: str
    actual: str
    realization: str


def table_rows(frame: pd.DataFrame) -> list[TableRow]:
    """The table's rows, one per year of ``frame`` (:func:`yearly`)."""
    rows = []
    for year, row in frame.iterrows():
        present = row["target_text"] is not None
        realization = row["realization"]
        rows.append(
            TableRow(
                year=int(str(year)),
                present=present,
                target=(row["target_text"] or "–") if present else "",
                actual=(row["actual_text"] or "–") if present else "",
                realization=(
                    domain.format_pct(Decimal(str(realization)))
                    if not pd.isna(realization)
                    else ("NV" if present else "")
                ),
            )
        )
    return rows


def drawn(frame: pd.DataFrame, column: str) -> list[float | None]:
    """A column as the chart's values: None at a gap (plotly breaks the line there)."""
    return [None if pd.isna(v) else float(v) for v in frame[column]]


def has_numbers(frame: pd.DataFrame, column: str) -> bool:
    return bool(frame[column].notna().any()) if column in frame else False
