"""Plotly figures built server-side as plain dicts (plotly.graph_objects) and handed to the page
with ``json_script``: no inline script, so the pages work under the strict CSP."""

from decimal import Decimal

import plotly.graph_objects as go

FONT = {"family": "Titillium Web, Geneva, Tahoma, sans-serif", "size": 14}
COLORS = {"forecast": "#5c6f82", "actual": "#0066cc", "women": "#a01e61", "men": "#0b5e7e"}


def _f(values):
    return [float(v) if isinstance(v, Decimal) else v for v in values]


def _layout(title: str, **extra) -> dict:
    return {
        "title": {"text": title},
        "font": FONT,
        "separators": ",.",  # Italian: decimal comma, thousands dot
        "margin": {"l": 60, "r": 20, "t": 60, "b": 60},
        "legend": {"orientation": "h"},
        **extra,
    }


def grouped_bars(title, categories, series, *, horizontal=False, number_format=",.0f"):
    """series: list of (name, values, colour key)."""
    traces = []
    for name, values, colour in series:
        kwargs = {"name": name, "marker": {"color": COLORS.get(colour, colour)}}
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
    return figure.to_plotly_json() | {"config": {"displayModeBar": False}}


def stacked_bars(title, categories, series, *, horizontal=True):
    figure = grouped_bars(title, categories, series, horizontal=horizontal)
    figure["layout"]["barmode"] = "stack"
    return figure
