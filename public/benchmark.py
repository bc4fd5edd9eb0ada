"""Benchmarking across bodies: each indicator of the *obiettivi comuni di sistema* (the
Unioncamere common objectives, section 2.3) compared over the bodies of the installation and
over the years, from published years only.

**How an indicator is matched across bodies.** By its code (``Indicator.common_code``, the
same for every Camera) when both sides have one, by its name otherwise
(:func:`lib.benchmark.match_keys`): Unioncamere sets the wording of the common indicators for
every Camera, so the name, normalised (case, spaces, typographic apostrophes), is the key of
a body that gave no code; it joins the coded indicators of that name when they all carry one
code. Two different codes never meet, whatever the names. The group is left out of the key
because bodies attach the same indicator to different groups (the demo document itself prints
the groups apart from the rows: ``fixtures/2023/s23.yaml``). The pages say, per indicator,
which way it was matched. Two indicators of one body's year with one key (not in any document
seen) count once, the first in the plan's order.

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
from lib.benchmark import (
    BY_CODE,
    BY_NAME,
    Distribution,
    distribution,
    match_keys,
    quartile_of,
    rank,
)

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
    code: str = ""  # the body's own code of the indicator
    by_code: bool = False  # ``key`` is a code (lib.benchmark.Match)
    basis: str = BY_NAME  # matched by its own code or by its name


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
            "common_code",
        )
    )
    kept = [row for row in rows if structure.build(row[2], row[3]).has(structure.COMMON)]
    matches = match_keys([(row[-1], indicator_key(row[5])) for row in kept])
    figures: list[SharedFigure] = []
    seen: set[tuple[str, int, bool, str]] = set()
    for row, match in zip(kept, matches, strict=True):
        slug, body, _kind, _omitted, year, name, group, ind_kind, direction, actual, pct, code = row
        if (slug, year, match.by_code, match.key) in seen:
            continue
        seen.add((slug, year, match.by_code, match.key))
        value = parse_value(actual)
        number = (
            value.number
            if ind_kind in NUMERIC_KINDS and value.type is ValueType.NUMBER and not value.comparator
            else None
        )
        figures.append(
            SharedFigure(
                slug,
                body,
                year,
                match.key,
                name,
                group,
                ind_kind,
                direction,
                pct,
                number,
                value.percent,
                code,
                match.by_code,
                match.basis,
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


MATCH_LABELS = {
    BY_CODE: "per codice",
    BY_NAME: "per nome",
    f"{BY_CODE} e {BY_NAME}": "per codice, e per nome con gli enti che non indicano il codice",
}


@dataclass
class SharedIndicator:
    key: str  # the code when ``by_code``, else the normalised name
    name: str  # as most bodies write it
    group: str  # the group most bodies put it in
    comparisons: list[Comparison] = field(default_factory=list)
    by_code: bool = False
    matched_by: str = BY_NAME  # a key of MATCH_LABELS

    @property
    def years(self) -> list[int]:
        return sorted({c.year for c in self.comparisons}, reverse=True)

    @property
    def code(self) -> str:
        return self.key if self.by_code else ""

    @property
    def match_label(self) -> str:
        return MATCH_LABELS[self.matched_by]


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
    by_key: dict[tuple[bool, str], SharedIndicator] = {}
    by_year: dict[tuple[tuple[bool, str], int], list[SharedFigure]] = defaultdict(list)
    names: dict[tuple[bool, str], Counter[str]] = defaultdict(Counter)
    groups: dict[tuple[bool, str], Counter[str]] = defaultdict(Counter)
    bases: dict[tuple[bool, str], set[str]] = defaultdict(set)
    for f in figures:
        key = (f.by_code, f.key)
        by_key.setdefault(key, SharedIndicator(f.key, f.name, f.group, by_code=f.by_code))
        by_year[(key, f.year)].append(f)
        names[key][" ".join(f.name.split())] += 1
        groups[key][" ".join(f.group.split())] += 1
        bases[key].add(f.basis)
    for key, item in by_key.items():
        # As most bodies print them (Counter keeps the first seen among equals).
        item.name = names[key].most_common(1)[0][0]
        item.group = groups[key].most_common(1)[0][0]
        item.matched_by = (
            f"{BY_CODE} e {BY_NAME}" if len(bases[key]) == 2 else next(iter(bases[key]))
        )
    for (key, year), items in sorted(by_year.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        for measure, better in (
            (REALIZATION, True),
            (ACTUAL, _actual_direction(items)),
        ):
            comparison = compare(measure, year, items, better)
            if comparison is not None:
                by_key[key].comparisons.append(comparison)
    return sorted(by_key.values(), key=lambda s: (s.group.casefold(), s.key, s.by_code))


def of_body(indicators: list[SharedIndicator], body_slug: str) -> list[SharedIndicator]:
    """The indicators and comparisons in which the body has a figure."""
    kept = []
    for item in indicators:
        own = [c for c in item.comparisons if c.entry_of(body_slug) is not None]
        if own:
            kept.append(
                SharedIndicator(item.key, item.name, item.group, own, item.by_code, item.matched_by)
            )
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
    Column(
        "indicator_key",
        "Chiave dell'indicatore tra gli enti: il codice comune se abbinato per codice, "
        "altrimenti il nome normalizzato",
        CODE,
    ),
    Column(
        "common_code",
        "Codice dell'indicatore comune; vuoto se abbinato solo per nome",
        CODE,
    ),
    Column(
        "matched_by",
        "Come è abbinato tra gli enti: codice (tutti gli enti ne indicano il codice), nome "
        "(nessuno), codice e nome (il codice, e il nome per gli enti che non lo indicano)",
        CODE,
    ),
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
                    "common_code": item.code,
                    "matched_by": item.matched_by,
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
