"""The scoring engine: the overall score of an objective, a cruscotto, a perspective and the
year by the body's scoring method (``core.scoring_method``), and its conversion into points or
a judgement. Pure (no Django), typed, checked by mypy strictly; property-tested
(tests/test_scoring.py: weights scale, bounds, monotonicity, zero weights, equal weights).

A single indicator's % realization is :mod:`indicators.domain`'s; this module puts them
together:

* an operational objective, a cruscotto: the weighted mean of its indicators (a row's weight in
  a cruscotto, else the indicator's);
* a strategic objective: with the method's ``weighted_mean``, the weighted mean of its
  indicators, each weighed by its weight times its operational objective's; with
  ``nested_mean``, the weighted mean of its operational objectives' scores;
* a perspective: the weighted mean of its strategic objectives' scores; the year: that of its
  perspectives' scores.

*Non valutabile* indicators are left out, or count as 0% with the method's ``nv: zero`` (a
monitoring-only indicator is never counted: it has no target). A weight of 0 leaves an item
out. Every mean is rounded half-up to two decimals, as the published documents do: with equal
weights the figures are the plain means printed before weights existed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.scoring_method import (
    Aggregation,
    Conversion,
    NvRule,
    PointBand,
    ScaleLevel,
    ScoringMethod,
)
from lib.italian import format_figure

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Part:
    """An indicator in a mean: its % realization (None: not valued), its weight, and whether
    the NV rule applies to it (False for a monitoring-only indicator: never counted)."""

    realization: Decimal | None
    weight: Decimal = ONE
    nv_counts: bool = True


@dataclass(frozen=True)
class Group:
    """The indicators of one operational objective within a strategic objective."""

    weight: Decimal
    parts: tuple[Part, ...]


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Totals:
    """The sums a weighted mean is made of: of realization × weight and of the weights of the
    valued parts, and of the weights of the NV parts the method's NV rule may count as 0%.
    Sums add up (two objectives' indicators together are the sum of their totals), so a
    database may add them (``dashboards.aggregates``) and this module still takes the mean."""

    total: Decimal = ZERO
    weights: Decimal = ZERO
    nv_weights: Decimal = ZERO

    def scaled(self, weight: Decimal) -> Totals:
        """Every part weighed ``weight`` times more (an operational objective's weight)."""
        return Totals(self.total * weight, self.weights * weight, self.nv_weights * weight)

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.total + other.total,
            self.weights + other.weights,
            self.nv_weights + other.nv_weights,
        )


def totals(parts: Iterable[Part]) -> Totals:
    """The sums of the parts; a weight of 0 (or less) leaves a part out."""
    total = weights = nv_weights = ZERO
    for part in parts:
        if part.weight <= 0:
            continue
        if part.realization is not None:
            total += part.realization * part.weight
            weights += part.weight
        elif part.nv_counts:
            nv_weights += part.weight
    return Totals(total, weights, nv_weights)


def score(sums: Totals, method: ScoringMethod) -> Decimal | None:
    """The weighted mean the sums stand for, by the method's NV rule; None when nothing
    counts."""
    weights = sums.weights + (sums.nv_weights if method.nv is NvRule.ZERO else ZERO)
    return None if weights == 0 else _round(sums.total / weights)


def mean(parts: Iterable[Part], method: ScoringMethod) -> Decimal | None:
    """The weighted mean of the parts by the method's NV rule; None when nothing counts."""
    return score(totals(parts), method)


def mean_of_totals(total: Decimal, weights: Decimal) -> Decimal | None:
    """The mean from its two sums as :func:`mean` adds them up (Σ realization × weight over
    the parts that count, Σ their weights): for a mean the database sums."""
    return score(Totals(total, weights), ScoringMethod())


def strategic_score(groups: Iterable[Group], method: ScoringMethod) -> Decimal | None:
    """A strategic objective from its operational objectives' indicators (see the module)."""
    return strategic_score_of(((g.weight, totals(g.parts)) for g in groups), method)


def strategic_score_of(
    groups: Iterable[tuple[Decimal, Totals]], method: ScoringMethod
) -> Decimal | None:
    """The same from each operational objective's weight and the totals of its indicators:
    the weighted mean of every indicator weighed by its weight times its objective's is the
    sum of the objectives' totals each scaled by its weight; the nested mean, the weighted
    mean of the objectives' own means."""
    groups = list(groups)
    if method.aggregation is Aggregation.NESTED_MEAN:
        return children_score((score(sums, method), weight) for weight, sums in groups)
    scaled = [sums.scaled(weight) for weight, sums in groups if weight > 0]
    return score(sum(scaled, Totals()), method)


def children_score(children: Iterable[tuple[Decimal | None, Decimal]]) -> Decimal | None:
    """A perspective (from its strategic objectives) or the year (from its perspectives): the
    weighted mean of the scores below; a child without any score is left out."""
    return mean(
        (Part(value, weight, nv_counts=False) for value, weight in children), ScoringMethod()
    )


# --- Conversion of an overall % into points or a judgement ---------------------------------


def points(score: Decimal, bands: tuple[PointBand, ...]) -> Decimal:
    """``76–90% → 15–18 punti``, linear inside the band; a score between two bands (90,5
    between 76–90 and 91–100) keeps the top of the lower band. The bands cover 0–100%
    (the method's parser requires it)."""
    band = bands[0]
    for candidate in bands:
        if candidate.low <= score:
            band = candidate
    if score >= band.high or band.high == band.low:
        return band.points_high
    share = (score - band.low) / (band.high - band.low)
    return _round(band.points_low + share * (band.points_high - band.points_low))


def judgement(score: Decimal, scale: tuple[ScaleLevel, ...]) -> ScaleLevel:
    """The highest level of the scale whose starting % the score reaches."""
    level = scale[0]
    for candidate in scale:
        if candidate.from_pct <= score:
            level = candidate
    return level


@dataclass(frozen=True)
class Converted:
    """An overall score as the method converts it: points, a judgement, or nothing."""

    points: Decimal | None = None
    level: ScaleLevel | None = None

    @property
    def text(self) -> str:
        """``16,2 punti`` / ``buono (2)`` / ``""`` (no conversion, or nothing valued)."""
        if self.points is not None:
            return f"{format_figure(self.points)} punti"
        if self.level is not None:
            return f"{self.level.label} ({format_figure(self.level.value)})"
        return ""


def convert(score: Decimal | None, method: ScoringMethod) -> Converted:
    if score is None:
        return Converted()
    if method.conversion is Conversion.POINTS and method.points:
        return Converted(points=points(score, method.points))
    if method.conversion is Conversion.SCALE:
        return Converted(level=judgement(score, method.scale))
    return Converted()
