"""Vector charts for the PDF: SVG markup built in Python (no browser, no network).

Pure functions of plain values, tested without the database. Every chart carries a <title> and
an aria-label, and the figures are also printed in the table beside it, so colour is never the
only signal (each bar is labelled with its value)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from lib.italian import format_number

FONT = "Titillium Web, DejaVu Sans, sans-serif"
PALETTE = ["#5c6f82", "#0066cc", "#a01e61", "#0b5e7e", "#00703c"]
BAND_FILL = {
    "achieved": "#00703c",
    "partial": "#a66d00",
    "not_achieved": "#b71918",
    "nv": "#6f6f6f",
}


@dataclass(frozen=True)
class Series:
    name: str
    values: list[Decimal | None]
    colour: str = ""


def _fmt(value: Decimal | None, decimals: int, suffix: str) -> str:
    if value is None:
        return "–"
    return format_number(Decimal(value), decimals) + suffix


def _nice_max(value: Decimal) -> Decimal:
    """The smallest 1/2/5 x 10^k at or above ``value`` (axis end)."""
    if value <= 0:
        return Decimal(1)
    exponent = len(str(int(value))) - 1
    for step in (1, 2, 5, 10):
        candidate = Decimal(step) * Decimal(10) ** exponent
        if candidate >= value:
            return candidate
    return Decimal(10) ** (exponent + 1)


def _label_lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, max_lines=2, placeholder="…") or [""]


def horizontal_bars(
    title: str,
    categories: list[str],
    series: list[Series],
    *,
    decimals: int = 0,
    suffix: str = "",
    maximum: Decimal | None = None,
    band_colours: list[str] | None = None,
    width: int = 640,
    label_width: int = 230,
) -> str:
    """Horizontal grouped bars: one group per category, one bar per series, value at the end.
    ``band_colours`` (one band per category) colours a single series by status band. With a
    negative value the axis is centred on zero: bars grow left for falls, right for rises."""
    bar, gap, group_gap = 11, 2, 10
    group_h = len(series) * (bar + gap) + group_gap
    legend_h = 18 if len(series) > 1 else 0
    top = 8 + legend_h
    height = top + group_h * len(categories) + 22
    values = [v for s in series for v in s.values if v is not None]
    largest = max([abs(Decimal(v)) for v in values] or [Decimal(1)])
    axis_max = maximum if maximum is not None else _nice_max(largest)
    signed = any(Decimal(v) < 0 for v in values)
    plot_w = width - label_width - 70
    # Where zero stands and how long the whole axis is, in pixels.
    zero = label_width + (plot_w / 2 if signed else 0)
    scale = plot_w / 2 if signed else plot_w
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
        f'<g font-family="{FONT}" font-size="9" fill="#1a1a1a">',
    ]
    if legend_h:
        x = label_width
        for index, s in enumerate(series):
            colour = s.colour or PALETTE[index % len(PALETTE)]
            parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{colour}"/>')
            parts.append(f'<text x="{x + 14}" y="13" >{escape(s.name)}</text>')
            x += 24 + 7 * len(s.name)
    for tick in range(5):
        x = label_width + plot_w * tick / 4
        value = axis_max * (tick - 2) / 2 if signed else axis_max * tick / 4
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{height - 18}" '
            'stroke="#d9e1e8" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{height - 6}" fill="#5c6f82" text-anchor="middle">'
            f"{escape(_fmt(value, 0, suffix))}</text>"
        )
    for i, category in enumerate(categories):
        y0 = top + i * group_h
        lines = _label_lines(category, max(12, label_width // 6))
        mid = y0 + (group_h - group_gap) / 2
        for j, line in enumerate(lines):
            dy = (j - (len(lines) - 1) / 2) * 11 + 4
            parts.append(
                f'<text x="{label_width - 6}" y="{mid + dy:.1f}" text-anchor="end">'
                f"{escape(line)}</text>"
            )
        for k, s in enumerate(series):
            value = s.values[i]
            y = y0 + k * (bar + gap)
            colour = s.colour or PALETTE[k % len(PALETTE)]
            if band_colours:
                colour = BAND_FILL.get(band_colours[i], colour)
            length = 0 if value is None else float(min(abs(Decimal(value)), axis_max) / axis_max)
            w = scale * length
            negative = value is not None and Decimal(value) < 0
            x = zero - w if negative else zero
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}"/>'
            )
            # A fall's value is written on the other side of zero, clear of the category labels.
            label_x = zero + 4 if negative else zero + w + 4
            parts.append(
                f'<text x="{label_x:.1f}" y="{y + bar - 2}">'
                f"{escape(_fmt(value, decimals, suffix))}</text>"
            )
    parts.append("</g></svg>")
    return "".join(parts)


def _box(x: float, y: float, w: float, h: float, lines: list[str], fill: str, bold=False) -> str:
    weight = ' font-weight="700"' if bold else ""
    parts = [
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="2" fill="{fill}" '
        'stroke="#0b5e7e" stroke-width="0.8"/>'
    ]
    top = y + h / 2 - (len(lines) - 1) * 5.5 + 3
    for i, line in enumerate(lines):
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{top + i * 11:.1f}" text-anchor="middle"{weight}>'
            f"{escape(line)}</text>"
        )
    return "".join(parts)


def org_chart(
    title: str, head: str, columns: list[tuple[str, list[str]]], aside: list[str], *, width=640
) -> str:
    """The organization chart: the head unit on top, one column per area with its services
    below it, the units that report to the head directly (an azienda speciale) beside it."""
    box_h, gap = 30, 8
    column_w = (width - 20) / max(1, len(columns)) - 12
    depth = max([len(children) for _, children in columns] or [0])
    height = 20 + box_h + 30 + (box_h + gap) * (depth + 1) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
        f'<g font-family="{FONT}" font-size="8.5" fill="#1a1a1a">',
    ]
    head_w = 200
    head_x = (width - head_w) / 2
    parts.append(_box(head_x, 10, head_w, box_h, _label_lines(head, 34), "#dbe6f2", bold=True))
    for i, name in enumerate(aside):
        x = head_x + head_w + 30 + i * 150
        parts.append(
            f'<line x1="{head_x + head_w}" y1="{10 + box_h / 2}" x2="{x}" y2="{10 + box_h / 2}" '
            'stroke="#0b5e7e" stroke-dasharray="3 2"/>'
        )
        parts.append(_box(x, 10, 140, box_h, _label_lines(name, 26), "#f4f6f9"))
    bus_y = 10 + box_h + 15
    if columns:
        first = 10 + 6 + column_w / 2
        last = 10 + 6 + (len(columns) - 1) * (column_w + 12) + column_w / 2
        parts.append(
            f'<line x1="{width / 2}" y1="{10 + box_h}" x2="{width / 2}" y2="{bus_y}" '
            'stroke="#0b5e7e"/>'
            f'<line x1="{first:.1f}" y1="{bus_y}" x2="{last:.1f}" y2="{bus_y}" stroke="#0b5e7e"/>'
        )
    for i, (area, children) in enumerate(columns):
        x = 10 + 6 + i * (column_w + 12)
        mid = x + column_w / 2
        y = bus_y + 15
        parts.append(
            f'<line x1="{mid:.1f}" y1="{bus_y}" x2="{mid:.1f}" y2="{y}" stroke="#0b5e7e"/>'
        )
        chars = max(16, int(column_w / 5))
        parts.append(_box(x, y, column_w, box_h, _label_lines(area, chars), "#e8eef5", bold=True))
        for j, child in enumerate(children):
            cy = y + (box_h + gap) * (j + 1)
            parts.append(
                f'<line x1="{x + 6:.1f}" y1="{cy - gap:.1f}" x2="{x + 6:.1f}" '
                f'y2="{cy + box_h / 2:.1f}" stroke="#0b5e7e" stroke-width="0.6"/>'
            )
            parts.append(_box(x + 14, cy, column_w - 14, box_h, _label_lines(child, chars), "#fff"))
    parts.append("</g></svg>")
    return "".join(parts)
