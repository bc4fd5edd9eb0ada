"""Assembles computed figures for the dashboards, the PDF and the public pages.

Everything here works on rows already fetched (a fixed number of queries, whatever the size of
the plan); the arithmetic itself is in :mod:`indicators.domain`.

Roll-up rule (documented in the README), by the year's scoring method (``indicators.scoring``,
``core.scoring_method``): an operational objective is the weighted mean of its indicators; a
strategic objective that of the indicators of its strategic cruscotto (section 2.2), or of all
its indicators when it has none, weighed also by their operational objective's weight (or the
weighted mean of its operational objectives, with the nested method); a perspective the weighted
mean of its strategic objectives; the year that of its perspectives; a cruscotto (unit or
individual) the weighted mean of the indicators printed in it, by the row's weight where the
cruscotto gives one. Every summary carries the method's conversion (points, judgement).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from functools import cached_property

from core.measurement import MeasurementRules
from core.scoring_method import NvRule
from core.selectors import measurement_rules

from . import domain, scoring
from .targets import ParsedFigures

DEFAULT_RULES = MeasurementRules()
NOT_CONVERTED = scoring.Converted()


@dataclass
class IndicatorFigure:
    """An indicator with its computed realization, ready for a template."""

    indicator: object  # indicators.models.Indicator
    realization: Decimal | None
    band: domain.Band
    declared: str = ""
    rules: MeasurementRules = DEFAULT_RULES
    row_weight: Decimal | None = None  # the cruscotto's own weight of the indicator

    @property
    def id(self):
        return self.indicator.id

    @property
    def weight(self) -> Decimal:
        return self.row_weight if self.row_weight is not None else self.indicator.weight

    @property
    def nv_counts(self) -> bool:
        """Whether the method's NV rule applies (a monitoring-only indicator is never counted)."""
        return self.indicator.direction != domain.Direction.MONITORING

    @property
    def pending(self) -> bool:
        """No actual entered yet: shown as to be entered, not as *non valutabile* (NV is an
        answer the body gives; both stay out of the roll-up)."""
        return self.indicator.actual_value.type is domain.ValueType.EMPTY

    @property
    def realization_text(self) -> str:
        return "da inserire" if self.pending else domain.format_pct(self.realization)

    @property
    def band_label(self) -> str:
        return "Valore da inserire" if self.pending else domain.BAND_LABELS[self.band]

    @property
    def band_icon(self) -> str:
        return domain.BAND_ICONS[self.band]

    @cached_property
    def correction(self) -> domain.RealizationCorrection | None:
        """The published % this figure corrects, with the reason (None if none or agreed)."""
        return self.correction_against(self.declared)

    def correction_against(self, published: str) -> domain.RealizationCorrection | None:
        if not (published or "").strip():
            # realization_correction's own first answer, without parsing the indicator's
            # figures for it: a results paragraph asks this of each of hundreds it names.
            return None
        ind = self.indicator
        return domain.realization_correction(
            ind.kind,
            ind.direction,
            ind.target_value,
            ind.actual_value,
            published,
            missed_deadline_pct=self.rules.missed_deadline_pct,
            proportional=domain.is_proportional(self.rules, ind.threshold_rule),
            scale=self.rules.method.scale,
        )


def figure_for(
    indicator,
    cycle,
    declared: str = "",
    row_weight: Decimal | None = None,
    *,
    rules: MeasurementRules | None = None,
) -> IndicatorFigure:
    """With the year's own rules (``Cycle``: bands, missed-deadline rule, scoring method),
    never the body's current defaults: a validated year keeps the rules it was validated with.
    ``row_weight``: the indicator's weight in the cruscotto being shown, if it has its own.
    ``rules``: the year's, read once by a caller that figures many of its indicators
    (``measurement_rules(cycle)``; read here otherwise)."""
    if rules is None:
        rules = measurement_rules(cycle)
    value = domain.realization_by(
        rules,
        indicator.kind,
        indicator.direction,
        indicator.target_value,
        indicator.actual_value,
        indicator.threshold_rule,
    )
    return IndicatorFigure(indicator, value, rules.bands.band(value), declared, rules, row_weight)


@dataclass(frozen=True)
class StoredFigure:
    """An indicator's stored % realization and band (``Indicator.realization``, ``status``),
    read as plain values: enough for a roll-up (:func:`summarize`) without building the
    indicator, for the pages that sum thousands of them."""

    id: int
    realization: Decimal | None
    band: domain.Band
    weight: Decimal
    nv_counts: bool = True


STORED_FIGURE_FIELDS = ("id", "realization", "status", "weight", "direction")


def stored_figure(ind_id, realization, status, weight, direction) -> StoredFigure:
    """From ``values_list(*STORED_FIGURE_FIELDS)``."""
    return StoredFigure(
        ind_id, realization, domain.Band(status), weight, direction != domain.Direction.MONITORING
    )


@dataclass(frozen=True)
class NamedIndicator(ParsedFigures):
    """What a figure (:func:`figure_for`) and a paragraph naming it read of an indicator, as
    plain values: the results paragraph of a large cruscotto names hundreds of indicators,
    and building each as a model (with its row) was most of the page's time."""

    id: int
    name: str
    kind: str
    direction: str
    target: str
    actual: str
    threshold_rule: str
    explanation: str


NAMED_INDICATOR_FIELDS = tuple(f.name for f in fields(NamedIndicator))


@dataclass
class Summary:
    """A roll-up node: a realization, its band and the figures below it."""

    label: str
    realization: Decimal | None
    band: domain.Band
    counts: dict[str, int] = field(default_factory=dict)
    converted: scoring.Converted = NOT_CONVERTED
    nv_as_zero: int = 0  # NV indicators the method counted as 0%

    @property
    def conversion_text(self) -> str:
        """The score as the body's method converts it (``16,50 punti``, ``buono (2)``)."""
        return self.converted.text

    @property
    def realization_text(self) -> str:
        return domain.format_pct(self.realization)

    @property
    def band_label(self) -> str:
        return domain.BAND_LABELS[self.band]

    @property
    def band_icon(self) -> str:
        return domain.BAND_ICONS[self.band]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def valued(self) -> int:
        return self.total - self.counts.get(domain.Band.NV.value, 0) + self.nv_as_zero

    @property
    def coverage_text(self) -> str:
        """How many indicators the score rests on: NV ones are left out of every mean (or
        counted as 0%, by the body's method: then they are counted here too)."""
        text = domain.coverage_text(self.valued, self.total)
        if self.nv_as_zero == 1:
            text += ", di cui 1 non valutabile contato come 0%"
        elif self.nv_as_zero:
            text += f", di cui {self.nv_as_zero} non valutabili contati come 0%"
        return text


Figure = IndicatorFigure | StoredFigure


def _part(figure: Figure) -> scoring.Part:
    return scoring.Part(figure.realization, figure.weight, figure.nv_counts)


def _summary(label: str, value, figures: list[Figure], rules: MeasurementRules) -> Summary:
    counts: dict[str, int] = defaultdict(int)
    for f in figures:
        counts[f.band.value] += 1
    nv_as_zero = 0
    if rules.method.nv is NvRule.ZERO:
        nv_as_zero = sum(1 for f in figures if f.realization is None and f.nv_counts)
    converted = scoring.convert(value, rules.method)
    return Summary(label, value, rules.bands.band(value), dict(counts), converted, nv_as_zero)


def summarize(label: str, figures: Iterable[Figure], rules: MeasurementRules) -> Summary:
    """An operational objective or a cruscotto: the weighted mean of its indicators."""
    figures = list(_unique(figures))
    value = scoring.mean((_part(f) for f in figures), rules.method)
    return _summary(label, value, figures, rules)


@dataclass(frozen=True)
class GroupTotals:
    """The indicators of one operational objective within a strategic objective, summed: the
    totals of their weighted mean, their count by band and how many are NV ones the method may
    count as 0%. From figures (:func:`group_totals`) or summed by the database
    (``indicators.aggregates``): the same summary either way."""

    sums: scoring.Totals
    counts: tuple[tuple[str, int], ...]  # (band, how many), bands with none left out
    nv_counting: int = 0


def group_totals(figures: Iterable[Figure]) -> GroupTotals:
    counts: dict[str, int] = defaultdict(int)
    nv_counting = 0
    figures = list(figures)
    for f in figures:
        counts[f.band.value] += 1
        nv_counting += f.realization is None and f.nv_counts
    sums = scoring.totals(_part(f) for f in figures)
    return GroupTotals(sums, tuple(counts.items()), nv_counting)


def summarize_totals(
    label: str,
    total: Decimal,
    weights: Decimal,
    counts: dict[str, int],
    nv_as_zero: int,
    rules: MeasurementRules,
) -> Summary:
    """What :func:`summarize` gives, from sums the database took over the stored figures
    (Σ realization × weight and Σ weight as :func:`scoring.mean` adds them, the count of each
    band, the NV indicators the method counts as 0%): a page summing thousands of rows reads
    one row of totals."""
    value = scoring.mean_of_totals(total, weights)
    converted = scoring.convert(value, rules.method)
    counts = {band: n for band, n in counts.items() if n}
    return Summary(label, value, rules.bands.band(value), counts, converted, nv_as_zero)


def summarize_strategic(
    label: str, groups: Iterable[tuple[Decimal, list[Figure]]], rules: MeasurementRules
) -> Summary:
    """A strategic objective from its indicators grouped by operational objective (with that
    objective's weight): by the method's aggregation (``indicators.scoring``)."""
    seen: set[int] = set()
    totals = []
    for weight, members in groups:
        unique = [f for f in members if f.id not in seen]
        seen.update(f.id for f in unique)
        totals.append((weight, group_totals(unique)))
    return summarize_strategic_totals(label, totals, rules)


def summarize_strategic_totals(
    label: str, groups: Iterable[tuple[Decimal, GroupTotals]], rules: MeasurementRules
) -> Summary:
    """The same from each operational objective's weight and the totals of its indicators."""
    groups = list(groups)
    value = scoring.strategic_score_of(((w, g.sums) for w, g in groups), rules.method)
    counts: dict[str, int] = defaultdict(int)
    for _weight, group in groups:
        for band, n in group.counts:
            counts[band] += n
    nv_as_zero = 0
    if rules.method.nv is NvRule.ZERO:
        nv_as_zero = sum(group.nv_counting for _weight, group in groups)
    converted = scoring.convert(value, rules.method)
    return Summary(label, value, rules.bands.band(value), dict(counts), converted, nv_as_zero)


def summarize_children(
    label: str, children: Iterable[tuple[Summary, Decimal]], rules: MeasurementRules
) -> Summary:
    """A perspective from its strategic objectives, the year from its perspectives, each
    with its weight."""
    children = list(children)
    value = scoring.children_score((c.realization, weight) for c, weight in children)
    counts: dict[str, int] = defaultdict(int)
    for child, _weight in children:
        for key, n in child.counts.items():
            counts[key] += n
    nv_as_zero = sum(child.nv_as_zero for child, _weight in children)
    converted = scoring.convert(value, rules.method)
    return Summary(label, value, rules.bands.band(value), dict(counts), converted, nv_as_zero)


def _unique(figures: Iterable[Figure]) -> Iterable[Figure]:
    seen = set()
    for f in figures:
        if f.id not in seen:
            seen.add(f.id)
            yield f
