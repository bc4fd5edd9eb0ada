"""Benchmarking across bodies: each indicator of the *obiettivi comuni di sistema* (the
Unioncamere common objectives, section 2.3) compared over the bodies of the installation and
over the years, from published years only.

**How an indicator is matched across bodies.** The model has no code for a common objective:
a group (``CommonGroup``) is named per year and an ``Indicator`` has only its name. Unioncamere
sets the wording of the common indicators for every Camera, so the key is the indicator's
name, normalised (case, spaces, typographic apostrophes); the group is left out of the key
because bodies attach the same indicator to different groups (the demo document itself prints
the groups apart from the rows: ``fixtures/2023/s23.yaml``). Two indicators of one body's year
with one key (not in any document seen) count once, the first in the plan's order.

**What enters.** A year counts only when it is published (never a draft, a submitted or a
validated but unpublished year: not even in a median), of a kind of body that has the common
objectives, and whose Relazione did not leave the section out (``core.structure``). Two
figures are compared: the stored % of realization (``Indicator.realization``, NV left out)
and the actual value where it is a plain number (a number, %, ratio or amount without a
comparator; dates, yes/no, judgements and NV are not figures to rank).

**Fewer than three bodies.** The distribution of one or two values says nothing a reader
cannot see in the values themselves: they are shown, without quartiles, median or place."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404

from core import structure
from core.models import Cycle
from indicators.domain import Direction, Kind, ValueType, parse_value
from indicators.models import Indicator
from lib.benchmark import Distribution, distribution, quartile_of, rank

from .opendata import CODE, DECIMAL, INTEGER, TEXT, Column, num
from .selectors import PublishedYear

MIN_BODIES = 3
REALIZATION, ACTUAL = "realizzazione", "valore"
MEASURE_LABELS = {REALIZATION: "% di realizzazione", ACTUAL: "valore ottenuto"}
NUMERIC_KINDS = frozenset({Kind.NUMBER, Kind.PERCENTAGE, Kind.RATIO, Kind.CURRENCY})
LOWER_IS_BETTER = frozenset({Direction.LOWER, Direction.AT_MOST})


def indicator_key(name: str) -> str:
    """The key of a common indicator across bodies: its name without case, repeated spaces or
    typographic apostrophes (``Grado di coinvolgimento  dei comuni`` is the same indicator)."""
    return " ".join(name.replace("’", "'").replace("‘", "'").casefold().split())


@dataclass(frozen=True)
class SharedFigure:
    """One common indicator of one published year of one body, as stored."""

    body_slug: str
    body_name: str
    year: int
    key: str
    name: str
    group: str
    kind: str
    direction: str
    realization: Decimal | None
    actual: Decimal | None
    percent: bool


def shared_figures() -> list[SharedFigure]:
    """One query: the common indicators of every published year whose Relazione has the
    common objectives, in the plan's order."""
    rows = (
        Indicator.objects.filter(common_group__isnull=False, cycle__state=Cycle.State.PUBLISHED)
        .order_by("cycle__body__name", "cycle__year", "order", "id")
        .values_list(
            "cycle__body__slug",
            "cycle__body__name",
            "cycle__body__kind",
            "cycle__omitted_sections",
            "cycle__year",
            "name",
            "common_group__name",
            "kind",
            "direction",
            "actual",
            "realization",
        )
    )
    figures: list[SharedFigure] = []
    seen: set[tuple[str, int, str]] = set()
    for slug, body, kind, omitted, year, name, group, ind_kind, direction, actual, pct in rows:
        key = indicator_key(name)
        if (slug, year, key) in seen or not structure.build(kind, omitted).has(structure.COMMON):
            continue
        seen.add((slug, year, key))
        value = parse_value(actual)
        number = (
            value.number
            if ind_kind in NUMERIC_KINDS and value.type is ValueType.NUMBER and not value.comparator
            else None
        )
        figures.append(
            SharedFigure(
                slug, body, year, key, name, group, ind_kind, direction, pct, number, value.percent
            )
        )
    return figures


@dataclass(frozen=True)
class Entry:
    body_slug: str
    body_name: str
    value: Decimal
    rank: int | None  # None: fewer than MIN_BODIES, or a figure without a better side
    quartile: int | None


@dataclass(frozen=True)
class Comparison:
    """One figure of one indicator in one year across the bodies that published it."""

    year: int
    measure: str
    entries: tuple[Entry, ...]  # by body name
    distribution: Distribution | None  # None: fewer than MIN_BODIES
    higher_is_better: bool | None
    percent: bool

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def label(self) -> str:
        return MEASURE_LABELS[self.measure]

    def entry_of(self, body_slug: str) -> Entry | None:
        return next((e for e in self.entries if e.body_slug == body_slug), None)


@dataclass
class SharedIndicator:
    key: str
    name: str  # as most bodies write it
    group: str  # the group most bodies put it in
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return sorted({c.year for c in self.comparisons}, reverse=True)


def compare(
    measure: str, year: int, figures: list[SharedFigure], higher_is_better: bool | None
) -> Comparison | None:
    values = [
        (f, f.realization if measure == REALIZATION else f.actual)
        for f in sorted(figures, key=lambda f: f.body_name)
    ]
    present = [(f, v) for f, v in values if v is not None]
    if not present:
        return None
    numbers = [v for _f, v in present]
    dist = distribution(numbers) if len(numbers) >= MIN_BODIES else None
    entries = tuple(
        Entry(
            f.body_slug,
            f.body_name,
            v,
            rank(v, numbers, higher_is_better=higher_is_better)
            if dist is not None and higher_is_better is not None
            else None,
            quartile_of(v, dist) if dist is not None else None,
        )
        for f, v in present
    )
    percent = measure == REALIZATION or all(f.percent for f, _v in present)
    return Comparison(year, measure, entries, dist, higher_is_better, percent)


def _actual_direction(figures: list[SharedFigure]) -> bool | None:
    """Which side of an actual value is better, when every body agrees (None otherwise, or
    for monitoring: the values are shown and placed in quartiles, not ranked)."""
    directions = {f.direction for f in figures}
    if len(directions) != 1 or Direction.MONITORING in directions:
        return None
    return directions.pop() not in LOWER_IS_BETTER


def shared_indicators(figures: Iterable[SharedFigure]) -> list[SharedIndicator]:
    """The comparisons of every common indicator, by group and indicator name; per indicator
    the years from the latest, the realization before the value."""
    by_key: dict[str, SharedIndicator] = {}
    by_year: dict[tuple[str, int], list[SharedFigure]] = defaultdict(list)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    for f in figures:
        by_key.setdefault(f.key, SharedIndicator(f.key, f.name, f.group))
        by_year[(f.key, f.year)].append(f)
        names[f.key][" ".join(f.name.split())] += 1
        groups[f.key][" ".join(f.group.split())] += 1
    for key, item in by_key.items():
        # As most bodies print them (Counter keeps the first seen among equals).
        item.name = names[key].most_common(1)[0][0]
        item.group = groups[key].most_common(1)[0][0]
    for (key, year), items in sorted(by_year.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        for measure, better in (
            (REALIZATION, True),
            (ACTUAL, _actual_direction(items)),
        ):
            comparison = compare(measure, year, items, better)
            if comparison is not None:
                by_key[key].comparisons.append(comparison)
    return sorted(by_key.values(), key=lambda s: (s.group.casefold(), s.key))


def of_body(indicators: list[SharedIndicator], body_slug: str) -> list[SharedIndicator]:
    """The indicators and comparisons in which the body has a figure."""
    kept = []
    for item in indicators:
        own = [c for c in item.comparisons if c.entry_of(body_slug) is not None]
        if own:
            kept.append(SharedIndicator(item.key, item.name, item.group, own))
    return kept


def compared_body(published: Iterable[PublishedYear], body_slug: str) -> PublishedYear:
    """The body of a page of comparisons: the latest of its published years (for its name);
    a 404 for a body without one."""
    years = [p for p in published if p.body_slug == body_slug]
    if not years:
        raise Http404("Nessuna Relazione pubblicata da questo ente.")
    return years[-1]


NOT_COMPARED = (
    "Il confronto tra enti riguarda gli obiettivi comuni di sistema, propri delle Camere di "
    "commercio: questo ente non li prevede."
)


def has_comparisons(kind: str) -> bool:
    """Whether a body of this kind has the comparisons (its pages link them)."""
    return structure.COMMON in structure.KIND_PARTS.get(kind, structure.KIND_PARTS[structure.OTHER])


# --- open data ----------------------------------------------------------------------------

DATASET_SLUG = "confronti"
DATASET_TITLE = "Confronto tra enti sugli obiettivi comuni"
DATASET_FORMATS = ("csv", "json")
COLUMNS = [
    Column("indicator_key", "Chiave dell'indicatore tra gli enti: il nome normalizzato", CODE),
    Column("indicator", "Indicatore, come lo scrive la maggior parte degli enti", TEXT),
    Column(
        "common_group",
        "Gruppo di obiettivi comuni in cui lo pone la maggior parte degli enti",
        TEXT,
    ),
    Column("year", "Anno della Relazione", INTEGER),
    Column(
        "measure",
        "Grandezza confrontata: realizzazione (% di realizzazione calcolata), valore (valore "
        "ottenuto, se numerico)",
        CODE,
    ),
    Column("body", "Codice dell'ente", CODE),
    Column("body_name", "Denominazione dell'ente", TEXT),
    Column("value", "Valore dell'ente", DECIMAL),
    Column("bodies", "Numero di enti che hanno pubblicato il valore nell'anno", INTEGER),
    Column(
        "rank",
        "Posizione dell'ente dal migliore (1 = migliore; a pari valore la stessa posizione); "
        "vuota con meno di 3 enti o se il valore non ha un verso migliore",
        INTEGER,
    ),
    Column(
        "quartile",
        "Quarto della distribuzione (1 fino a Q1 … 4 oltre Q3); vuoto con meno di 3 enti",
        INTEGER,
    ),
    Column("minimum", "Valore minimo tra gli enti", DECIMAL),
    Column("q1", "Primo quartile (metodo inclusivo); vuoto con meno di 3 enti", DECIMAL),
    Column("median", "Mediana; vuota con meno di 3 enti", DECIMAL),
    Column("q3", "Terzo quartile (metodo inclusivo); vuoto con meno di 3 enti", DECIMAL),
    Column("maximum", "Valore massimo tra gli enti", DECIMAL),
]


def dataset_rows(indicators: Iterable[SharedIndicator]) -> Iterable[dict[str, str]]:
    """One row per indicator, year, measure and body."""
    for item in indicators:
        for c in item.comparisons:
            dist = c.distribution
            values = [e.value for e in c.entries]
            for e in c.entries:
                yield {
                    "indicator_key": item.key,
                    "indicator": item.name,
                    "common_group": item.group,
                    "year": str(c.year),
                    "measure": c.measure,
                    "body": e.body_slug,
                    "body_name": e.body_name,
                    "value": num(e.value),
                    "bodies": str(c.count),
                    "rank": "" if e.rank is None else str(e.rank),
                    "quartile": "" if e.quartile is None else str(e.quartile),
                    "minimum": num(min(values)),
                    "q1": num(dist.q1) if dist else "",
                    "median": num(dist.median) if dist else "",
                    "q3": num(dist.q3) if dist else "",
                    "maximum": num(max(values)),
                }
