"""The statistics of a comparison across bodies: the distribution of one figure over the bodies
that published it (minimum, quartiles, median, maximum) and a body's place in it.

Quartiles by the *inclusive* method (Python's ``statistics.quantiles(method="inclusive")``,
the spreadsheet's ``QUARTILE.INC``, Hyndman and Fan's type 7): with the values sorted,
Q_k is at position 1 + k·(n − 1)/4, linearly interpolated between the two values around it.
Q2 is the median; Q1 and Q3 never leave the observed range, which is what a reader of "the
middle half of the bodies" expects from a handful of values. On Decimals the interpolation
divides by 4 only, so every figure is exact (no rounding here: the pages round to print).

Pure: no Django, no database."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

QUARTILE_METHOD: Final = "inclusive"


@dataclass(frozen=True)
class Distribution:
    count: int
    minimum: Decimal
    q1: Decimal
    median: Decimal
    q3: Decimal
    maximum: Decimal


def distribution(values: Sequence[Decimal]) -> Distribution:
    """The distribution of at least one value; a single value is its own quartiles."""
    if not values:
        raise ValueError("Nessun valore: la distribuzione richiede almeno un ente.")
    ordered = sorted(values)
    if len(ordered) == 1:
        only = ordered[0]
        return Distribution(1, only, only, only, only, only)
    q1, median, q3 = statistics.quantiles(ordered, n=4, method=QUARTILE_METHOD)
    return Distribution(len(ordered), ordered[0], q1, median, q3, ordered[-1])


def rank(value: Decimal, values: Sequence[Decimal], *, higher_is_better: bool = True) -> int:
    """The place of ``value`` (one of ``values``) from the best, 1-based, ties sharing the
    better place ("1, 2, 2, 4"): 1 + the number of values strictly better."""
    if value not in values:
        raise ValueError("Il valore dell'ente non è tra quelli confrontati.")
    if higher_is_better:
        return 1 + sum(1 for v in values if v > value)
    return 1 + sum(1 for v in values if v < value)


def quartile_of(value: Decimal, dist: Distribution) -> int:
    """Which quarter of the distribution ``value`` falls in, counted from the lowest values:
    1 up to Q1, 2 up to the median, 3 up to Q3, 4 above Q3."""
    if value <= dist.q1:
        return 1
    if value <= dist.median:
        return 2
    if value <= dist.q3:
        return 3
    return 4


# --- matching an indicator across bodies --------------------------------------------------

BY_CODE, BY_NAME = "codice", "nome"


@dataclass(frozen=True)
class Match:
    """How one body's indicator joins the others: ``key`` is the shared code when ``by_code``
    (its own code, or by name the one code the bodies that coded it gave it), else the
    normalised name; ``basis`` says which of the body's own data made the match."""

    by_code: bool
    key: str
    basis: str  # BY_CODE: its own code; BY_NAME: its name


def match_keys(items: Sequence[tuple[str, str]]) -> list[Match]:
    """For each (code, normalised name) of one indicator of one body, how it is matched: by
    its code when it has one; without a code, by name, joining the coded indicators of that
    name when they all carry one code (the bodies that coded it agree), else the others
    without a code. Two codes never meet: a code says the indicator, a name only guesses it."""
    codes_of_name: dict[str, set[str]] = {}
    for code, name in items:
        if code:
            codes_of_name.setdefault(name, set()).add(code)
    matches = []
    for code, name in items:
        if code:
            matches.append(Match(True, code, BY_CODE))
            continue
        codes = codes_of_name.get(name, set())
        if len(codes) == 1:
            matches.append(Match(True, next(iter(codes)), BY_NAME))
        else:
            matches.append(Match(False, name, BY_NAME))
    return matches
