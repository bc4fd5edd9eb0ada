"""Plotly figures built server-side as plain dicts (plotly.graph_objects) and handed to the page
with ``json_script``: no inline script, so the pages work under the strict CSP."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go  # type: ignore[import-untyped]  # plotly ships no types

# (name, values, colour key) of one series of bars
Series = Sequence[tuple[str, Iterable[Any], str]]

FONT = {"family": "Titillium Web, Geneva, Tahoma, sans-serif", "size": 14}
COLORS = {
    "forecast": "#5c6f82",
    "actual": "#0066cc",
    "women": "#a01e61",
    "men": "#0b5e7e",
    "target": "#5c6f82",
    "realization": "#008055",
}


def _f(values: Iterable[Any]) -> list[Any]:
    return [float(v) if isinstance(v, Decimal) else v for v in values]


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title},
        "font": FONT,
        "separators": ",.",  # Italian: decimal comma, thousands dot
        "margin": {"l": 60, "r": 20, "t": 60, "b": 60},
        "legend": {"orientation": "h"},
        **extra,
    }


def grouped_bars(
    title: str,
    categories: Iterable[str],
    series: Series,
    *,
    horizontal: bool = False,
    number_format: str = ",.0f",
) -> dict[str, Any]:
    """series: list of (name, values, colour key)."""
    traces = []
    for name, values, colour in series:
        kwargs: dict[str, Any] = {"name": name, "marker": {"color": COLORS.get(colour, colour)}}
        if horizontal:
            kwargs.update(y=list(categories), x=_f(values), orientation="h")
            kwargs["hovertemplate"] = "%{y}: %{x:" + number_format + "}<extra>" + name + "</extra>"
        else:
            kwargs.update(x=list(categories), y=_f(values))
            kwargs["hovertemplate"] = "%{x}: %{y:" + number_format + "}<extra>" + name + "</extra>"
        traces.append(go.Bar(**kwargs))
    layout = _layout(title, barmode="group")
    if horizontal:
        layout["yaxis"] = {"automargin": True, "autorange": "reversed"}
        layout["margin"]["l"] = 20
    figure = go.Figure(data=traces, layout=layout)
    chart: dict[str, Any] = figure.to_plotly_json() | {"config": {"displayModeBar": False}}
    return chart


def stacked_bars(
    title: str, categories: Iterable[str], series: Series, *, horizontal: bool = True
) -> dict[str, Any]:
    figure = grouped_bars(title, categories, series, horizontal=horizontal)
    figure["layout"]["barmode"] = "stack"
    return figure


def year_lines(
    title: str,
    years: Iterable[int],
    series: Series,
    *,
    number_format: str = ",.2~f",
    suffix: str = "",
) -> dict[str, Any]:
    """Lines across years, one per series (name, values with None at a gap, colour key): a
    missing year breaks the line (``connectgaps`` off), never drawn as a zero."""
    x = [str(year) for year in years]
    traces = [
        go.Scatter(
            x=x,
            y=_f(values),
            name=name,
            mode="lines+markers",
            connectgaps=False,
            marker={"color": COLORS.get(colour, colour), "size": 9},
            line={"color": COLORS.get(colour, colour)},
            hovertemplate="%{x}: %{y:"
            + number_format
            + "}"
            + suffix
            + "<extra>"
            + name
            + "</extra>",
        )
        for name, values, colour in series
    ]
    layout = _layout(title, xaxis={"type": "category", "title": {"text": "Anno"}})
    if suffix:
        layout["yaxis"] = {"ticksuffix": suffix}
    figure = go.Figure(data=traces, layout=layout)
    chart: dict[str, Any] = figure.to_plotly_json() | {"config": {"displayModeBar": False}}
    return chart
