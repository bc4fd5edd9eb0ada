"""Assembles computed figures for the dashboards, the PDF and the public pages.

Everything here works on rows already fetched (a fixed number of queries, whatever the size of
the plan); the arithmetic itself is in :mod:`indicators.domain`.

Roll-up rule (documented in the README): an operational objective is the weighted mean of its
valutabile indicators; a strategic objective the weighted mean of the indicators of its
strategic cruscotto (section 2.2), or of all its indicators when it has none; a perspective the
mean of its strategic objectives; the year the mean of its perspectives; a cruscotto (unit or
individual) the weighted mean of the indicators printed in it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from . import domain

ONE = Decimal(1)


@dataclass
class IndicatorFigure:
    """An indicator with its computed realization, ready for a template."""

    indicator: object  # indicators.models.Indicator
    realization: Decimal | None
    band: domain.Band
    declared: str = ""
    missed_deadline_pct: Decimal = Decimal(0)

    @property
    def id(self):
        return self.indicator.id

    @property
    def weight(self) -> Decimal:
        return self.indicator.weight

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
        ind = self.indicator
        return domain.realization_correction(
            ind.kind,
            ind.direction,
            ind.target_value,
            ind.actual_value,
            published,
            missed_deadline_pct=self.missed_deadline_pct,
        )


def figure_for(indicator, cycle, declared: str = "") -> IndicatorFigure:
    """With the year's own bands and missed-deadline rule (``Cycle``), never the body's
    current defaults: a validated year keeps the rules it was validated with."""
    value = domain.realization(
        indicator.kind,
        indicator.direction,
        indicator.target_value,
        indicator.actual_value,
        missed_deadline_pct=cycle.missed_deadline_pct,
    )
    return IndicatorFigure(
        indicator, value, cycle.bands.band(value), declared, cycle.missed_deadline_pct
    )


@dataclass(frozen=True)
class StoredFigure:
    """An indicator's stored % realization and band (``Indicator.realization``, ``status``),
    read as plain values: enough for a roll-up (:func:`summarize`) without building the
    indicator, for the pages that sum thousands of them."""

    id: int
    realization: Decimal | None
    band: domain.Band
    weight: Decimal


STORED_FIGURE_FIELDS = ("id", "realization", "status", "weight")


def stored_figure(ind_id, realization, status, weight) -> StoredFigure:
    """From ``values_list(*STORED_FIGURE_FIELDS)``."""
    return StoredFigure(ind_id, realization, domain.Band(status), weight)


@dataclass
class Summary:
    """A roll-up node: a realization, its band and the figures below it."""

    label: str
    realization: Decimal | None
    band: domain.Band
    counts: dict[str, int] = field(default_factory=dict)

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
        return self.total - self.counts.get(domain.Band.NV.value, 0)

    @property
    def coverage_text(self) -> str:
        """How many indicators the score rests on: NV ones are left out of every mean."""
        return domain.coverage_text(self.valued, self.total)


def summarize(
    label: str, figures: Iterable[IndicatorFigure | StoredFigure], bands: domain.Bands
) -> Summary:
    figures = list(_unique(figures))
    value = domain.weighted_mean((f.realization, f.weight) for f in figures)
    counts: dict[str, int] = defaultdict(int)
    for f in figures:
        counts[f.band.value] += 1
    return Summary(label, value, bands.band(value), dict(counts))


def summarize_means(label: str, children: Iterable[Summary], bands: domain.Bands) -> Summary:
    children = list(children)
    value = domain.weighted_mean((c.realization, ONE) for c in children)
    counts: dict[str, int] = defaultdict(int)
    for child in children:
        for key, n in child.counts.items():
            counts[key] += n
    return Summary(label, value, bands.band(value), dict(counts))


def _unique(
    figures: Iterable[IndicatorFigure | StoredFigure],
) -> Iterable[IndicatorFigure | StoredFigure]:
    seen = set()
    for f in figures:
        if f.id not in seen:
            seen.add(f.id)
            yield f
