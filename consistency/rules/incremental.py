"""The per-indicator checks evaluated on what changed since the last run.

A per-indicator check (:func:`.base.indicator_check`) is a pure function of one indicator's
data and the year's settings (:class:`.base.YearSettings`): it is given nothing else. So its
findings for an indicator whose every field, and whose year's settings, are equal to those of
the previous run are the findings it gave then. :class:`IncrementalRun` keeps, for each
indicator, the exact input it saw (the tuple of every field of :class:`.base.IndicatorData`,
compared as a whole: no hash stands for it) and the findings it produced; the next run
re-evaluates only the indicators whose input differs (changed, new; the deleted ones are
dropped), and every indicator if the settings or the set of checks differ.

Equal inputs give equal findings: the fields are plain values (texts, integers, booleans,
dates, named tuples of them) and decimals, which the rules only compare and format by value
(``format_pct`` prints ``85,6`` and ``85,60`` alike); the snapshot builds each decimal field
at one exponent anyway (``consistency.selectors``). The findings come out in the order a full
run gives: per check, in the indicators' order (``tests/test_consistency_incremental.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

from .base import (
    INDICATOR_DATA_FIELDS,
    Finding,
    IndicatorCheck,
    YearData,
    YearSettings,
)

# The whole input of an indicator, read in one C call.
indicator_input = attrgetter(*INDICATOR_DATA_FIELDS)

# An indicator's input and its findings, each with the position of its check in the run.
Entry = tuple[tuple[object, ...], tuple[tuple[int, Finding], ...]]


@dataclass(frozen=True)
class IndicatorMemo:
    """What a run leaves for the next: the settings and checks it ran with, and by indicator
    id its input and findings. Never changed once made (a run makes a new one)."""

    settings: YearSettings
    checks: tuple[IndicatorCheck, ...]
    entries: dict[int, Entry]


class IncrementalRun:
    """The ``indicator_findings`` of :func:`.base.run_rules`: reuses ``previous`` where the
    input is the same, and leaves in :attr:`memo` the memo of this run and in
    :attr:`evaluated` how many indicators it evaluated."""

    def __init__(self, previous: IndicatorMemo | None = None) -> None:
        self.previous = previous
        self.memo: IndicatorMemo | None = None
        self.evaluated = 0

    def __call__(self, data: YearData, checks: tuple[IndicatorCheck, ...]) -> list[list[Finding]]:
        settings = data.settings
        previous = self.previous
        old: dict[int, Entry] = (
            previous.entries
            if previous is not None and previous.settings == settings and previous.checks == checks
            else {}
        )
        entries: dict[int, Entry] = {}
        per_check: list[list[Finding]] = [[] for _ in checks]
        evaluated = 0
        for ind in data.indicators:
            key = indicator_input(ind)
            entry = old.get(ind.id)
            if entry is None or entry[0] != key:
                found: list[tuple[int, Finding]] = []
                for position, func in enumerate(checks):
                    for finding in func(settings, ind):
                        found.append((position, finding))
                entry = (key, tuple(found))
                evaluated += 1
            entries[ind.id] = entry
            for position, finding in entry[1]:
                per_check[position].append(finding)
        self.memo = IndicatorMemo(settings, checks, entries)
        self.evaluated = evaluated
        return per_check
