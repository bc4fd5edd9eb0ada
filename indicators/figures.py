"""The stored figures (``Indicator.realization`` and ``status``) against the engine: recompute
them for a year, write the ones that differ, or only report them for a validated year.

Every write path sets the figures as it writes (``Indicator.save``, ``IndicatorQuerySet``'s
bulk paths, the Excel import's statement); this module is for the rest: a change of a year's
measurement rules (``core.models.rules_changed``), ``manage.py rebuild_figures`` and anything
written outside the models (raw SQL), which the consistency rule CALC-001 reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from core.machine import LOCKED_STATES
from core.models import Cycle
from core.selectors import measurement_rules

from .models import FIGURE_FIELDS, Indicator


@dataclass
class CycleFigures:
    """The outcome of a rebuild for one year: how many indicators, which ones differed, and
    whether they were written (never for a validated year)."""

    cycle: Cycle
    indicators: int = 0
    differing: list[int] = field(default_factory=list)
    written: bool = False

    @property
    def locked(self) -> bool:
        return self.cycle.state in LOCKED_STATES


def figures_rebuild(cycle: Cycle, *, write: bool = True) -> CycleFigures:
    """Recompute the stored figures of a year; write those that differ (one bulk UPDATE per 500)
    unless the year is validated: its figures are part of what the OIV validated, so a
    difference there is reported, not written (``rebuild_figures`` says so)."""
    result = CycleFigures(cycle)
    rules = measurement_rules(cycle)
    changed = []
    for ind in Indicator.objects.filter(cycle=cycle).only(
        "id", "cycle_id", "kind", "direction", "target", "actual", *FIGURE_FIELDS
    ):
        result.indicators += 1
        if ind.figures_refresh(rules):
            changed.append(ind)
    result.differing = [ind.id for ind in changed]
    if changed and write and not result.locked:
        with transaction.atomic():
            Indicator.objects.bulk_update(changed, list(FIGURE_FIELDS), batch_size=500)
        result.written = True
    return result


def figures_refresh_cycles(cycle_ids: Iterable[int]) -> None:
    """The receiver of ``core.models.rules_changed``: the rules change only before the
    submission to the OIV (``sync_open_cycles``, the year's own settings), so these years are
    open and their figures follow the new rules."""
    for cycle in Cycle.objects.filter(pk__in=list(cycle_ids)):
        figures_rebuild(cycle)


def _on_rules_changed(sender, cycle_ids, **kwargs) -> None:
    figures_refresh_cycles(cycle_ids)
