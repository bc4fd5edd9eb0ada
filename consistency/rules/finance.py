"""The figures of the conto economico, the interventi economici, the holdings and the Totale
rows of the context tables, recomputed from their detail."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from finance import domain as fin

from .base import ZERO, DeclaredData, YearData
from .figures import Expectation, _share, _sum_text
from .formatting import _num


def _budget_expectations(data: YearData) -> Iterator[Expectation]:
    """The conto economico, the interventi economici and the holdings."""
    yield from _conto_economico(data)
    yield from _interventions(data)
    yield from _holdings(data)


def _conto_economico(data: YearData) -> Iterator[Expectation]:
    table = "conto_economico"
    lines = [
        fin.Line(b.code, b.label, b.group, b.forecast, b.actual, parent=b.parent_code)
        for b in data.budget_lines
    ]
    top = fin.build_tree(lines)
    for line in lines:
        yield from _budget_line(table, line)
    if lines:
        yield from _budget_totals(table, top)


def _budget_line(table: str, line: fin.Line) -> Iterator[Expectation]:
    """A line of the conto economico: the sums of its sub-lines, its difference and variation."""
    f, a = line.total_forecast, line.total_actual
    if line.children:
        for key, value in (("preventivo", f), ("consuntivo", a)):
            parts = [
                c.total_forecast if key == "preventivo" else c.total_actual for c in line.children
            ]
            yield Expectation(
                table,
                f"{line.code}.{key}",
                f"{line.code}) {line.label}, {key}",
                value,
                "somma delle sottovoci: " + _sum_text(parts),
            )
    yield Expectation(
        table,
        f"{line.code}.scostamento",
        f"{line.code}) {line.label}, scostamento",
        line.difference,
        f"consuntivo {_num(a)} - preventivo {_num(f)}",
    )
    yield Expectation(
        table,
        f"{line.code}.variation",
        f"{line.code}) {line.label}, variazione %",
        line.variation,
        f"({_num(a)} - {_num(f)}) / {_num(abs(f))} × 100",
        kind="variation",
        percent=True,
        forecast=f,
        actual=a,
    )


def _budget_totals(table: str, top: list[fin.Line]) -> Iterator[Expectation]:
    """The totals of the conto economico (gestione corrente, risultato...)."""
    for key, total in fin.conto_economico_totals(top).items():
        f, a = total.forecast, total.actual
        for field_name, value, how in (
            ("preventivo", f, "dalle voci del conto economico"),
            ("consuntivo", a, "dalle voci del conto economico"),
            ("scostamento", total.difference, f"{_num(a)} - {_num(f)}"),
        ):
            yield Expectation(
                table, f"{key}.{field_name}", f"{total.label}, {field_name}", value, how
            )
        yield Expectation(
            table,
            f"{key}.variation",
            f"{total.label}, variazione %",
            total.variation,
            f"({_num(a)} - {_num(f)}) / {_num(abs(f))} × 100",
            kind="variation",
            percent=True,
            forecast=f,
            actual=a,
        )


def _interventions(data: YearData) -> Iterator[Expectation]:
    table = "interventi_economici"
    for item in data.interventions:
        yield Expectation(
            table,
            f"{item.order}.scostamento",
            f"{item.label}, scostamento",
            item.actual - item.forecast,
            f"costi {_num(item.actual)} - previsione {_num(item.forecast)}",
        )
    if data.interventions:
        for key, attr in (("preventivo", "forecast"), ("consuntivo", "actual")):
            parts = [getattr(i, attr) for i in data.interventions]
            yield Expectation(
                table,
                f"totale.{key}",
                f"TOTALE, {key}",
                sum(parts, ZERO),
                "somma delle linee di intervento",
            )
        diff = [i.actual - i.forecast for i in data.interventions]
        yield Expectation(
            table,
            "totale.scostamento",
            "TOTALE, scostamento",
            sum(diff, ZERO),
            "somma degli scostamenti",
        )


def _holdings(data: YearData) -> Iterator[Expectation]:
    for h in data.holdings:
        yield Expectation(
            "holdings",
            f"{h.company}.pct",
            f"{h.company}, % di partecipazione",
            _share(h.nominal_value, h.share_capital),
            f"{_num(h.nominal_value)} / {_num(h.share_capital)} × 100",
            kind="pct",
            percent=True,
        )


def _context_expectations(data: YearData) -> Iterator[Expectation]:
    """The Totale row of a context table (sum of each column, except % columns)."""
    for table in data.context_tables:
        fig = data.declared_figure(f"economy.{table.key}", "total_row")
        if fig is None:
            continue
        cells = [c.strip() for c in (fig.text or "").split("|")]
        for j, cell in enumerate(cells[1:], start=1):
            header = str(table.columns[j]) if j < len(table.columns) else str(j)
            if "%" in header or "tasso" in header.casefold():
                continue
            try:
                declared = Decimal(cell)
                column = [Decimal(str(row[j])) for row in table.rows]
            except (InvalidOperation, ValueError, IndexError, TypeError):
                continue
            yield Expectation(
                f"economy.{table.key}",
                f"total_row.{j}",
                f"riga Totale, colonna «{header}»",
                sum(column, ZERO),
                "somma della colonna",
                declared=DeclaredData(
                    fig.id, fig.table, f"total_row.{j}", fig.label, declared, cell
                ),
            )
