"""Pure arithmetic of the budget tables: differences, variation %, totals of the conto economico.

The document prints these figures; the app recomputes them from the lines (and the consistency
checks compare with what was printed)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)


def variation_pct(forecast: Decimal | None, actual: Decimal | None) -> Decimal | None:
    """(actual - forecast) / |forecast| in %, or ``None`` (*n.s.*, non significativo) when the
    forecast is zero or the two figures have opposite signs, where a % has no meaning."""
    if forecast is None or actual is None or forecast == 0:
        return None
    if (forecast < 0) != (actual < 0) and actual != 0:
        return None
    return ((actual - forecast) / abs(forecast) * 100).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@dataclass
class Line:
    code: str
    label: str
    group: str
    forecast: Decimal | None
    actual: Decimal | None
    parent: str | None = None
    children: list[Line] = field(default_factory=list)

    @property
    def total_forecast(self) -> Decimal:
        if self.children:
            return sum((c.total_forecast for c in self.children), ZERO)
        return self.forecast or ZERO

    @property
    def total_actual(self) -> Decimal:
        if self.children:
            return sum((c.total_actual for c in self.children), ZERO)
        return self.actual or ZERO

    @property
    def difference(self) -> Decimal:
        return self.total_actual - self.total_forecast

    @property
    def variation(self) -> Decimal | None:
        return variation_pct(self.total_forecast, self.total_actual)


@dataclass(frozen=True)
class Total:
    key: str
    label: str
    forecast: Decimal
    actual: Decimal

    @property
    def difference(self) -> Decimal:
        return self.actual - self.forecast

    @property
    def variation(self) -> Decimal | None:
        return variation_pct(self.forecast, self.actual)


TOTAL_LABELS = {
    "proventi_correnti": "TOTALE PROVENTI CORRENTI (A)",
    "oneri_correnti": "TOTALE ONERI CORRENTI (B)",
    "risultato_gestione_corrente": "Risultato Gestione Corrente (A)-(B)",
    "risultato_esercizio": "RISULTATO ECONOMICO D'ESERCIZIO",
}


def build_tree(lines: Iterable[Line]) -> list[Line]:
    """Attach sub-lines to their parent; returns the top-level lines in order."""
    lines = list(lines)
    by_code = {line.code: line for line in lines}
    for line in lines:
        line.children = []
    top = []
    for line in lines:
        if line.parent and line.parent in by_code:
            by_code[line.parent].children.append(line)
        else:
            top.append(line)
    return top


def conto_economico_totals(
    top_lines: Iterable[Line], labels: Mapping[str, str] | None = None
) -> dict[str, Total]:
    """The totals of the conto economico; ``labels`` as the body's kind words them
    (``core.structure.Wording.budget_totals``), the Camere's by default."""
    top_lines = list(top_lines)
    labels = labels or TOTAL_LABELS

    def group_sum(group: str) -> tuple[Decimal, Decimal]:
        chosen = [line for line in top_lines if line.group == group]
        return (
            sum((line.total_forecast for line in chosen), ZERO),
            sum((line.total_actual for line in chosen), ZERO),
        )

    a, b, c, d, e = (group_sum(g) for g in "ABCDE")
    current = (a[0] - b[0], a[1] - b[1])
    result = (current[0] + c[0] + d[0] + e[0], current[1] + c[1] + d[1] + e[1])
    figures = {
        "proventi_correnti": a,
        "oneri_correnti": b,
        "risultato_gestione_corrente": current,
        "risultato_esercizio": result,
    }
    return {key: Total(key, labels[key], f, act) for key, (f, act) in figures.items()}


def share_pct(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
