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
    counts: dict[str, int] = {}
    for f in unique:
        counts[f.band.value] = counts.get(f.band.value, 0) + 1
    return results_text(subject, counts, unique, summary)


def results_text(
    subject: str, counts: dict[str, int], named: list[IndicatorFigure], summary: Summary
) -> str:
    """The paragraph from the count of each band and the figures it names: those under 100%
    and the not valued ones (any other figure in ``named`` is ignored), in the order given.
    A page reads only these from the database, the counts being a sum."""
    n = sum(counts.values())
    if not n:
        return f"{subject} non comprende indicatori."
    parts = []
    for band, one, many in (
        (domain.Band.ACHIEVED, "raggiunto", "raggiunti"),
        (domain.Band.PARTIAL, "parzialmente raggiunto", "parzialmente raggiunti"),
        (domain.Band.NOT_ACHIEVED, "non raggiunto", "non raggiunti"),
        (domain.Band.NV, "non valutabile", "non valutabili"),
    ):
        count = counts.get(band.value, 0)
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    noun = "indicatore" if n == 1 else "indicatori"
    text = [f"{subject} comprende {n} {noun}: " + ", ".join(parts) + "."]
    below = [f for f in named if f.realization is not None and f.realization < domain.HUNDRED]
    if below:
        text.append(f" Sotto il 100%: {_names(below)}.")
    not_valued = [f for f in named if f.band == domain.Band.NV]
    if not_valued:
        text.append(f" Non valutabili: {_names(not_valued)}.")
    text.append(
        f" Realizzazione complessiva: {summary.realization_text} "
        f"({summary.band_label.lower()}{_converted(summary)}), {summary.coverage_text}."
    )
    return "".join(text)
