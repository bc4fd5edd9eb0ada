"""A line across the years as static SVG markup, for the PDF (WeasyPrint draws SVG but runs no
JavaScript, so the pages' plotly charts cannot be printed): one point per year, a year without
a figure breaks the line (never drawn as a zero), every point labelled with its value in
Italian format, so the figure reads without colour and the table beside it says the same.

Pure: plain values in, a string out; no Django, no database."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise
from xml.sax.saxutils import escape, quoteattr

from .italian import format_number

FONT = "Titillium Web, DejaVu Sans, sans-serif"
LINE = "#0066cc"
GRID = "#d9e1e8"
MUTED = "#5c6f82"
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 24, 26  # the plot's margins: ticks left, years below
INSET = 24  # the first and last year stand clear of the axis, their labels of the ticks


def _nice_max(value: Decimal) -> Decimal:
    """The smallest 1/2/5 x 10^k at or above ``value``: the axis end (1 for nothing above 0)."""
    if value <= 0:
        return Decimal(1)
    step = Decimal(10) ** (value.adjusted())
    for factor in (1, 2, 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10  # pragma: no cover - the loop ends at 10 x step >= value


def runs(values: Sequence[Decimal | None]) -> list[list[int]]:
    """The indices of the consecutive values present: each run is one piece of the line."""
    pieces: list[list[int]] = []
    current: list[int] = []
    for index, value in enumerate(values):
        if value is None:
            if current:
                pieces.append(current)
            current = []
        else:
            current.append(index)
    if current:
        pieces.append(current)
    return pieces


def year_line(
    title: str,
    years: Sequence[int],
    values: Sequence[Decimal | None],
    *,
    decimals: int = 2,
    suffix: str = "%",
    maximum: Decimal | None = None,
    width: int = 480,
    height: int = 170,
    labels: Sequence[str] | None = None,
) -> str:
    """The SVG of ``values`` (None: no figure that year) over ``years`` (ascending, at least
    two: a single year is a table, not a line). The axis runs from 0 (or the lowest negative
    value) to ``maximum`` or a round number above the highest value. ``labels``: the text
    of each point as the table beside it prints it (default: the value with ``decimals``)."""
    if labels is not None and len(labels) != len(values):
        raise ValueError("Un'etichetta per ogni anno.")
    if len(years) < 2 or len(years) != len(values):
        raise ValueError("Servono almeno due anni, ciascuno con il suo valore (anche vuoto).")
    if any(b <= a for a, b in pairwise(years)):
        raise ValueError("Gli anni vanno in ordine crescente, senza ripetizioni.")
    present = [Decimal(v) for v in values if v is not None]
    top_value = max([maximum or Decimal(0), *present]) if present else maximum or Decimal(0)
    low = min([Decimal(0), *present])
    high = _nice_max(top_value)
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM

    def x_of(index: int) -> float:
        return LEFT + INSET + (plot_w - 2 * INSET) * index / (len(years) - 1)

    def y_of(value: Decimal) -> float:
        return TOP + plot_h * float((high - value) / (high - low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart trend" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
        f'<g font-family="{FONT}" font-size="9" fill="#1a1a1a">',
    ]
    for tick in range(5):
        level = low + (high - low) * tick / 4
        y = y_of(level)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{width - RIGHT}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 3:.1f}" fill="{MUTED}" text-anchor="end">'
            f"{escape(format_number(level, 0) + suffix)}</text>"
        )
    for index, year in enumerate(years):
        parts.append(
            f'<text x="{x_of(index):.1f}" y="{height - 8}" fill="{MUTED}" '
            f'text-anchor="middle">{year}</text>'
        )
    for piece in runs(values):
        points = " ".join(
            f"{x_of(i):.1f},{y_of(Decimal(values[i])):.1f}"  # type: ignore[arg-type]
            for i in piece
        )
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="1.6"/>'
        )
    for index, figure in enumerate(values):
        if figure is None:
            continue
        x, y = x_of(index), y_of(Decimal(figure))
        label = labels[index] if labels else format_number(Decimal(figure), decimals) + suffix
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{LINE}"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</g></svg>")
    return "".join(parts)
