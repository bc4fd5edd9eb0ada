"""How a year is measured: the status bands and the value of a missed deadline. Pure (no
Django): the core's ``Cycle`` carries a year's copy of them, and the plan's engine
(``indicators.domain``) applies them; they live here, at the bottom, so both can import them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .scoring_method import DEFAULT_METHOD, ScoringMethod

ZERO = Decimal(0)


class Band(StrEnum):
    ACHIEVED = "achieved"
    PARTIAL = "partial"
    NOT_ACHIEVED = "not_achieved"
    NV = "nv"


@dataclass(frozen=True)
class Bands:
    """Status-band thresholds of a body (defaults: achieved from 90%, partial from 60%)."""

    achieved_from: Decimal = Decimal(90)
    partial_from: Decimal = Decimal(60)

    def band(self, value: Decimal | None) -> Band:
        if value is None:
            return Band.NV
        if value >= self.achieved_from:
            return Band.ACHIEVED
        if value >= self.partial_from:
            return Band.PARTIAL
        return Band.NOT_ACHIEVED


@dataclass(frozen=True)
class MeasurementRules:
    """The rules a year is measured by: the status bands, the value of a missed deadline and
    the body's scoring method (read through core.selectors.measurement_rules, the one place
    that knows where they are stored)."""

    bands: Bands = Bands()
    missed_deadline_pct: Decimal = ZERO
    method: ScoringMethod = DEFAULT_METHOD
