"""The printed figures (*dati dichiarati*) the arithmetic rules read: their tables, the number
each states at its printed precision, and the :class:`Expectation` computed for each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from finance import domain as fin
from indicators import domain
from indicators.domain import ValueType

from .base import DeclaredData, YearData
from .formatting import _num

# --- ARITH: totals, differences, percentages ------------------------------------------------

TABLE_LABELS = {
    "staff": "Personale per area e genere",
    "gender.by_category": "Bilancio di genere, personale per area",
    "gender.part_time": "Bilancio di genere, personale a tempo parziale",
    "gender.part_time_narrative": "Bilancio di genere, testo sul tempo parziale",
    "gender.in_service": "Bilancio di genere, personale in servizio",
    "gender.absences": "Bilancio di genere, giorni di assenza",
    "gender.parental_leave": "Bilancio di genere, congedi parentali",
    "conto_economico": "Conto economico",
    "interventi_economici": "Iniziative di promozione economica",
    "holdings": "Portafoglio partecipazioni",
}
TABLE_AREAS = {
    "conto_economico": "finance",
    "interventi_economici": "finance",
    "holdings": "finance",
}
NOT_SIGNIFICANT = {"n.s.", "n.s", "ns", "n.s.%", "non significativo"}
LEAVE_LABELS = {
    "paid_100": "congedo retribuito al 100%",
    "paid_30": "congedo retribuito al 30%",
    "unpaid": "congedo non retribuito",
}
CAUSE_LABELS = {
    "sickness": "malattia",
    "injury": "infortunio",
    "parental": "congedo parentale",
    "other": "altre cause",
}


def table_label(table: str, data: YearData | None = None) -> str:
    if table in TABLE_LABELS:
        return TABLE_LABELS[table]
    if table.startswith("economy.") and data is not None:
        key = table.removeprefix("economy.")
        for t in data.context_tables:
            if t.key == key:
                return t.title
    return table


def table_area(table: str) -> str:
    if table.startswith("economy."):
        return "context"
    return TABLE_AREAS.get(table, "staff")


@dataclass(frozen=True)
class DeclaredNumber:
    number: Decimal | None
    decimals: int
    not_significant: bool = False
    percent: bool = False


def declared_number(fig: DeclaredData) -> DeclaredNumber | None:
    """The number a declared figure states, at its printed precision; None if unreadable."""
    text = (fig.text or "").strip()
    if text.casefold() in NOT_SIGNIFICANT:
        return DeclaredNumber(None, 0, not_significant=True)
    parsed = domain.parse_value(text)
    if parsed.type is ValueType.NUMBER and not parsed.comparator:
        return DeclaredNumber(parsed.number, parsed.decimals, percent=parsed.percent)
    if fig.value is not None:
        exponent = fig.value.normalize().as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
        return DeclaredNumber(fig.value, decimals)
    try:  # machine text ("87.34", "-0.5") as written by an import
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    exponent = number.as_tuple().exponent
    return DeclaredNumber(number, max(0, -exponent) if isinstance(exponent, int) else 0)


def same_at(computed: Decimal, declared: Decimal, decimals: int) -> bool:
    """Whether ``computed`` rounds to the ``declared`` number at its printed ``decimals``."""
    quantum = Decimal(1).scaleb(-decimals)
    return computed.quantize(quantum, rounding=ROUND_HALF_UP) == declared.quantize(
        quantum, rounding=ROUND_HALF_UP
    )


def declared_text(fig: DeclaredData, number: DeclaredNumber) -> str:
    if number.not_significant:
        return "n.s."
    text = (fig.text or "").strip()
    parsed = domain.parse_value(text)
    if parsed.type is ValueType.NUMBER:
        return domain.format_value(parsed)
    return _num(number.number, number.decimals) + ("%" if number.percent else "")


@dataclass(frozen=True)
class Expectation:
    """A declared figure and the value computed for it from the detail data."""

    table: str
    key: str
    what: str  # Italian description of the figure
    computed: Decimal | None
    how: str  # how it was computed, with the figures ("67 + 22")
    kind: str = "sum"  # sum | pct | variation
    percent: bool = False
    forecast: Decimal | None = None  # for variations: the base
    actual: Decimal | None = None
    # A declared value that is not a DeclaredFigure of its own (a cell of a Totale row).
    declared: DeclaredData | None = None


def _sum_text(parts: Iterable[Decimal | int]) -> str:
    return " + ".join(_num(Decimal(p)) for p in parts).replace("+ -", "- ")


def _share(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    return fin.share_pct(Decimal(part), Decimal(whole))


class _Staff:
    """Sums of the headcounts of a snapshot."""

    def __init__(self, data: YearData):
        self.rows = data.headcounts
        self.years = {h.year for h in data.headcounts}

    def has(self, year: int) -> bool:
        """Whether the snapshot gives the headcounts of ``year`` (else its counts are 0)."""
        return year in self.years

    def count(
        self,
        year: int,
        category: str | None = None,
        gender: str | None = None,
        contracts: set[str] | None = None,
    ) -> int:
        return sum(
            h.count
            for h in self.rows
            if h.year == year
            and (category is None or h.category == category)
            and (gender is None or h.gender == gender)
            and (contracts is None or h.contract in contracts)
        )

    def parts(
        self,
        year: int,
        categories: list[str],
        gender: str | None = None,
        contracts: set[str] | None = None,
    ) -> list[int]:
        return [self.count(year, c, gender, contracts) for c in categories]
