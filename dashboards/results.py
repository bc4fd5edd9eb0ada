"""The results paragraph generated from the figures of a cruscotto or a section: the starting
text of a narrative, printed by the cruscotto's page and by the document. Pure."""

from __future__ import annotations

from collections.abc import Iterable

from indicators import domain
from indicators.rollup import IndicatorFigure, Summary


def _names(figures: Iterable[IndicatorFigure]) -> str:
    return "; ".join(f"«{f.indicator.name}» {_reason_of(f)}" for f in figures)


def _reason_of(figure: IndicatorFigure) -> str:
    text = figure.realization_text
    if figure.correction is not None:
        return f"{text} ({figure.correction.reason})"
    explanation = (getattr(figure.indicator, "explanation", "") or "").strip()
    if explanation:
        return f"{text} ({explanation.rstrip('.')})"
    return text


def _converted(summary: Summary) -> str:
    return f", {summary.conversion_text}" if summary.conversion_text else ""


def results_paragraph(subject: str, figures: Iterable[IndicatorFigure], summary: Summary) -> str:
    """«Il cruscotto PROMOZIONE comprende 12 indicatori: 11 raggiunti, 1 non raggiunto (...)»:
    the generated starting text of a narrative, from the figures of its cruscotti."""
    unique = list({f.id: f for f in figures}.values())
    if not unique:
        return f"{subject} non comprende indicatori."
    by_band: dict[domain.Band, list[IndicatorFigure]] = {band: [] for band in domain.Band}
    for f in unique:
        by_band[f.band].append(f)
    n = len(unique)
    parts = []
    for band, one, many in (
        (domain.Band.ACHIEVED, "raggiunto", "raggiunti"),
        (domain.Band.PARTIAL, "parzialmente raggiunto", "parzialmente raggiunti"),
        (domain.Band.NOT_ACHIEVED, "non raggiunto", "non raggiunti"),
        (domain.Band.NV, "non valutabile", "non valutabili"),
    ):
        count = len(by_band[band])
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    noun = "indicatore" if n == 1 else "indicatori"
    text = [f"{subject} comprende {n} {noun}: " + ", ".join(parts) + "."]
    below = [f for f in unique if f.realization is not None and f.realization < domain.HUNDRED]
    if below:
        text.append(f" Sotto il 100%: {_names(below)}.")
    if by_band[domain.Band.NV]:
        text.append(f" Non valutabili: {_names(by_band[domain.Band.NV])}.")
    text.append(
        f" Realizzazione complessiva: {summary.realization_text} "
        f"({summary.band_label.lower()}{_converted(summary)}), {summary.coverage_text}."
    )
    return "".join(text)
