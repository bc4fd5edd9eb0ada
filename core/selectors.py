"""Reads of the core that every layer above needs."""

from .measurement import MeasurementRules
from .models import Cycle


def measurement_rules(cycle: Cycle) -> MeasurementRules:
    """The bands and the missed-deadline rule a year is measured by: the year's own copies
    (no query), never the body's current defaults, so a validated year keeps its rules."""
    return MeasurementRules(cycle.bands, cycle.missed_deadline_pct)
