"""The OIV workspace's list: the indicators to review, filtered, sorted and paginated in the
database on the stored figures, and only the page's rows built (a regional plan has thousands
of indicators to review)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields, replace
from functools import cached_property
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, F, OuterRef, Q, When
from django.db.models.functions import Coalesce

from core.models import Cycle
from core.prepared import Prepared
from core.selectors import measurement_rules
from indicators import domain
from indicators.models import Indicator, TargetRevision
from indicators.rollup import IndicatorFigure, NamedIndicator, figure_for
from objectives.models import CycleUnit, OrgUnit

from .models import Remark


@dataclass(frozen=True)
class ReviewIndicator(NamedIndicator):
    """What a row of the list reads of an indicator besides :class:`NamedIndicator` (its
    objective and its group), as plain values (one row of a query): building each of a page's
    hundred indicators as a model with its objectives was a third of the page's time."""

    order: int
    operational_objective_id: int | None
    objective_name: str | None
    strategic_code: str | None
    group_name: str | None


# The query's paths of the fields, in the dataclass's order (rows are built positionally).
_REVIEW_PATHS = {
    "objective_name": "operational_objective__name",
    "strategic_code": "operational_objective__strategic_objective__code",
    "group_name": "common_group__name",
}
REVIEW_INDICATOR_FIELDS = tuple(_REVIEW_PATHS.get(f.name, f.name) for f in fields(ReviewIndicator))


class ReviewUnit(NamedTuple):
    year_slug: str
    year_name: str


@dataclass
class ReviewItem:
    figure: IndicatorFigure
    units: list[ReviewUnit]
    revisions: list[TargetRevision]
    open_remarks: int
    remarks: int

    @property
    def indicator(self) -> ReviewIndicator:
        return self.figure.indicator

    @property
    def below_target(self) -> bool:
        return domain.is_below_target(self.figure.realization)

    @property
    def not_valued(self) -> bool:
        return self.figure.band == domain.Band.NV

    @property
    def revised(self) -> bool:
        return bool(self.revisions)


# The workspace's orders (``?ordina=``): the plan's, or by the stored % realization (the
# not valued last either way), each then in the plan's order.
REVIEW_ORDERS = {
    "": ("Ordine del piano", ("order", "id")),
    "realizzazione": (
        "% realizzazione crescente",
        (F("realization").asc(nulls_last=True), "order", "id"),
    ),
    "-realizzazione": (
        "% realizzazione decrescente",
        (F("realization").desc(nulls_last=True), "order", "id"),
    ),
}


@dataclass
class ReviewFilters:
    below: bool = False
    nv: bool = False
    revised: bool = False
    open_remarks: bool = False
    unit: str = ""
    sort: str = ""
    unit_search: str = ""  # a year with many units: its units are searched, not all listed

    @classmethod
    def from_query(cls, query) -> ReviewFilters:
        sort = query.get("ordina", "")
        return cls(
            unit_search=" ".join(query.get("unita_cerca", "").split())[:UNIT_SEARCH_LENGTH],
            below=query.get("sotto") == "1",
            nv=query.get("nv") == "1",
            revised=query.get("rimodulati") == "1",
            open_remarks=query.get("osservazioni") == "1",
            unit=query.get("unita", ""),
            sort=sort if sort in REVIEW_ORDERS else "",
        )

    @property
    def orders(self) -> list[tuple[str, str]]:
        return [(key, label) for key, (label, _fields) in REVIEW_ORDERS.items()]


def _review_queryset(cycle: Cycle, filters: ReviewFilters | None):
    """The indicators to review, filtered and sorted in the database: "below target", "not
    valued" and the order by % realization on the stored figures (``Indicator.realization``/
    ``status``, the engine's own result)."""
    qs = Indicator.objects.filter(cycle=cycle)
    if filters is None:
        return qs.order_by("order", "id")
    if filters.below:
        # Valued and under 100%, written so that no index serves it as a range: SQLite then
        # read the ~7.000 matching indicators of a 100x year through the realization index and
        # sorted them into the plan's order; the plan's order index with a filter reads a page.
        below = Coalesce("realization", domain.HUNDRED)
        qs = qs.alias(realization_or_hundred=below).filter(
            realization_or_hundred__lt=domain.HUNDRED
        )
    if filters.nv:
        qs = qs.filter(status=domain.Band.NV)
    if filters.revised:
        qs = qs.filter(Exists(TargetRevision.objects.filter(indicator=OuterRef("pk"))))
    if filters.open_remarks:
        qs = qs.filter(
            Exists(
                Remark.objects.filter(
                    cycle=cycle, indicator=OuterRef("pk"), status=Remark.Status.OPEN
                )
            )
        )
    if filters.unit:
        unit = OrgUnit.objects.as_of(cycle).filter(year_slug=filters.unit).values("pk")
        qs = qs.filter(
            Exists(
                OrgUnit.operational_objectives.through.objects.filter(
                    operationalobjective_id=OuterRef("operational_objective_id"),
                    orgunit_id__in=unit,
                )
            )
        )
    return qs.order_by(*REVIEW_ORDERS[filters.sort][1])


# The reads of a page's units, revisions and remark counts take this many indicators' ids (the
# workspace's page), padded with 0 (no indicator's): their SQL is then one text, compiled once
# per process (core.prepared); a longer list is read a hundred at a time.
PAGE_IDS = 100


def _page_units(cycle_id: int, *ids: int):
    return (
        OrgUnit.objects.as_of(cycle_id)
        .filter(
            operational_objectives__in=Indicator.objects.filter(id__in=ids).values(
                "operational_objective_id"
            )
        )
        .annotate(op_id=F("operational_objectives"))
        .values_list("op_id", "year_slug", "year_name")
    )


def _page_remarks(cycle_id: int, *ids: int):
    return (
        Remark.objects.filter(cycle_id=cycle_id, indicator_id__in=ids)
        .values("indicator_id")
        .annotate(total=Count("id"), open=Count("id", filter=Q(status=Remark.Status.OPEN)))
        .values_list("indicator_id", "total", "open")
    )


_UNITS = Prepared(_page_units, int, *[int] * PAGE_IDS)
_REVISIONS = Prepared(
    lambda *ids: TargetRevision.objects.filter(indicator_id__in=ids).order_by(
        "indicator_id", "created_at", "id"
    ),
    *[int] * PAGE_IDS,
)
_REMARKS = Prepared(_page_remarks, int, *[int] * PAGE_IDS)


def _hundreds(ids: list[int]) -> list[list[int]]:
    """The ids a hundred at a time, the last hundred padded with 0; one hundred at least (the
    page's query count does not depend on its rows)."""
    chunks = [ids[i : i + PAGE_IDS] for i in range(0, len(ids), PAGE_IDS)] or [[]]
    return [chunk + [0] * (PAGE_IDS - len(chunk)) for chunk in chunks]


def _review_rows(cycle: Cycle, indicators: list) -> list[ReviewItem]:
    """The rows of the given indicators (:class:`ReviewIndicator`, or models): their units,
    revisions and remark counts, read for these indicators only (three queries a hundred rows),
    as plain values but the revisions (a few rows, printed by a template)."""
    units: dict[int, list[ReviewUnit]] = {}
    revisions: dict[int, list[TargetRevision]] = defaultdict(list)
    counts: dict[int, tuple[int, int]] = {}
    # Queries even when no row of the page has an operational objective, a revision or a remark:
    # the page's query count does not depend on which rows it shows.
    for ids in _hundreds([ind.id for ind in indicators]):
        read: dict[int, list[ReviewUnit]] = defaultdict(list)
        for op_id, slug, name in _UNITS.rows(cycle.id, *ids):
            read[op_id].append(ReviewUnit(slug, name))
        for op_id, op_units in read.items():  # an objective's indicators in two hundreds
            units.setdefault(op_id, op_units)
        for revision in _REVISIONS.objects(*ids):
            revisions[revision.indicator_id].append(revision)
        for indicator_id, total, open_count in _REMARKS.rows(cycle.id, *ids):
            counts[indicator_id] = (total, open_count)
    items = []
    rules = measurement_rules(cycle)  # the year's, once a page rather than once a row
    for ind in indicators:
        op_id = ind.operational_objective_id
        total, open_count = counts.get(ind.id, (0, 0))
        items.append(
            ReviewItem(
                figure=figure_for(ind, cycle, rules=rules),
                units=units.get(op_id, []) if op_id else [],
                revisions=revisions.get(ind.id, []),
                open_remarks=open_count,
                remarks=total,
            )
        )
    return items


def _indicators(queryset) -> list[ReviewIndicator]:
    return [ReviewIndicator(*row) for row in queryset.values_list(*REVIEW_INDICATOR_FIELDS)]


def review_items(cycle: Cycle, filters: ReviewFilters | None = None) -> list[ReviewItem]:
    """Every indicator to review with its figure, units, revisions and remarks (one query and
    three a hundred indicators); a page of them: :func:`review_page`."""
    return _review_rows(cycle, _indicators(_review_queryset(cycle, filters)))


def _count_query(filters: ReviewFilters, cycle_id: int, *unit: str):
    """The number of indicators to review, one row (none when there are none): grouped by the
    year, the one value the rows share, so that the count is a queryset core.prepared compiles."""
    shaped = replace(filters, unit=unit[0] if unit else "")
    return (
        _review_queryset(cycle_id, shaped)  # type: ignore[arg-type]  # an id is a cycle there
        .order_by()
        .values("cycle_id")
        .annotate(n=Count("id"))
        .values_list("n")
    )


# One count a filter's shape (which filters are on; the order does not change it), compiled
# once per process: the ORM built and compiled it on every request.
_COUNTS: dict[tuple[bool, ...], Prepared] = {}


def _count(cycle: Cycle, filters: ReviewFilters | None) -> int:
    filters = filters or ReviewFilters()
    unit = (filters.unit,) if filters.unit else ()
    shape = (filters.below, filters.nv, filters.revised, filters.open_remarks, bool(unit))
    prepared = _COUNTS.get(shape)
    if prepared is None:
        shaped = replace(filters, unit="", sort="")
        prepared = _COUNTS[shape] = Prepared(
            lambda *args: _count_query(shaped, *args), int, *[str] * len(unit)
        )
    rows = prepared.rows(cycle.id, *unit)
    return rows[0][0] if rows else 0


class _EitherEndPaginator(Paginator):
    """A page in the second half of the list is read from the list's end, in the reverse order
    (the same index read backwards), and the rows put back in order by the query that joins
    them: the last page of a large year skips a few rows instead of walking the whole year (the
    last of 170 pages, sorted by % realization descending, walked 16.900 rows of the index).
    The pages and their numbers are Django's."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom > self.count - top:
            ids = self.object_list.reverse()[self.count - top : self.count - bottom]
        else:
            ids = self.object_list[bottom:top]
        return self._get_page(ids, number, self)


def review_page(
    cycle: Cycle, filters: ReviewFilters | None, number, per_page: int
) -> tuple[Page, list[ReviewItem]]:
    """One page of the indicators to review: filtered, counted and sliced in the database, and
    only the page's rows built (five queries whatever the size of the year).

    The page is chosen on the indicators alone (their ids, in the order of an index, from the
    nearer end of the list) and only its rows are joined to their objectives and group: the
    skipped rows of a later page are walked in the index, not joined one by one (page 100 of a
    100x year sorted by % realization joined 10,000 rows for 100: 70 ms on PostgreSQL)."""
    qs = _review_queryset(cycle, filters)
    count = _count(cycle, filters)
    page = _EitherEndPaginator(qs.values_list("id", flat=True), per_page, count).get_page(number)
    rows = Indicator.objects.filter(id__in=page.object_list).order_by(*qs.query.order_by)
    return page, _review_rows(cycle, _indicators(rows))


UNIT_DROPDOWN_MAX = 60  # up to so many units the filter lists them all
UNIT_SEARCH_MAX = 20  # the matches of a search offered at once
UNIT_SEARCH_LENGTH = 80


def _year_units(cycle_id: int):
    assigned = OrgUnit.operational_objectives.through.objects.filter(
        operationalobjective__cycle_id=cycle_id
    ).values("orgunit_id")
    return OrgUnit.objects.as_of(cycle_id).filter(pk__in=assigned).values_list(*ReviewUnit._fields)


_YEAR_UNITS = Prepared(_year_units, int)
# Whether the year's units are few: at most one more label than the dropdown lists, read on
# their index, on every request of the workspace. The bound is fixed when the module loads (the
# SQL is compiled once): a test that lowers UNIT_DROPDOWN_MAX still reads enough labels.
_LABELS_READ = UNIT_DROPDOWN_MAX + 1
_YEAR_LABELS = Prepared(
    lambda cycle_id: (
        CycleUnit.objects.filter(cycle_id=cycle_id).order_by().values_list("pk")[:_LABELS_READ]
    ),
    int,
)


@dataclass
class UnitChoices:
    """The workspace's unit filter: every unit of the year while they are few
    (``searchable`` False), else a search on the year's code and name offering at most
    ``UNIT_SEARCH_MAX`` matches (``more``: there were others) and the unit chosen."""

    options: list[ReviewUnit]
    searchable: bool
    search: str = ""
    more: bool = False


def _unit_matches(cycle_id: int, body_id: int, slug: str, text: str):
    """The year's units assigned in the year that are the chosen one (``slug``) or match the
    search ``text``, the chosen first."""
    labels = CycleUnit.objects.filter(cycle_id=cycle_id).order_by()
    # Without a search only the chosen unit can match: whether it is assigned in the year is
    # asked of it (EXISTS), not of a list of every objective of the year (SQLite walked the
    # 3.400 of a 100x year for one unit, 7 ms). A search may match most units: then the list.
    through = OrgUnit.operational_objectives.through.objects
    assigned = (
        Q(pk__in=through.filter(operationalobjective__cycle_id=cycle_id).values("orgunit_id"))
        if text
        else Exists(
            through.filter(orgunit_id=OuterRef("pk"), operationalobjective__cycle_id=cycle_id)
        )
    )
    # Matched on the year's labels (a unit with none: on its own fields), not on the year's
    # names computed for every unit; the chosen unit stays an option (first), whatever the
    # search, so the form shows what filters; with no search it is the only one (a query all
    # the same: the count stays fixed).
    unlabelled = Q(body_id=body_id) & ~Q(pk__in=labels.values("unit"))
    match = Q(pk__in=labels.filter(slug=slug).values("unit")) | (unlabelled & Q(slug=slug))
    if text:
        match |= Q(
            pk__in=labels.filter(Q(name__icontains=text) | Q(slug__icontains=text)).values("unit")
        ) | (unlabelled & (Q(name__icontains=text) | Q(slug__icontains=text)))
    return (
        OrgUnit.objects.as_of(cycle_id)
        .filter(match, assigned)
        .order_by(Case(When(year_slug=slug, then=0), default=1), "year_order", "year_name")
        .values_list(*ReviewUnit._fields)
    )


# A large year's filter without a search, on every request: compiled once per process.
_CHOSEN_UNIT = Prepared(
    lambda cycle_id, body_id, slug: _unit_matches(cycle_id, body_id, slug, ""), int, int, str
)


def unit_choices(cycle: Cycle, filters: ReviewFilters) -> UnitChoices:
    """Two queries whatever the size of the year: whether its units are few (at most
    ``UNIT_DROPDOWN_MAX + 1`` of the year's unit labels read, on their index), then the options
    (all of them, or the bounded matches of the search with the chosen unit)."""
    if len(_YEAR_LABELS.rows(cycle.id)) <= UNIT_DROPDOWN_MAX:
        return UnitChoices(
            options=[ReviewUnit(*row) for row in _YEAR_UNITS.rows(cycle.id)], searchable=False
        )
    if filters.unit_search:
        matches = _unit_matches(cycle.id, cycle.body_id, filters.unit, filters.unit_search)
        rows = matches[: UNIT_SEARCH_MAX + 1]
    else:  # the chosen unit only, if any: no limit needed
        rows = _CHOSEN_UNIT.rows(cycle.id, cycle.body_id, filters.unit)
    found = [ReviewUnit(*row) for row in rows]
    return UnitChoices(
        options=found[:UNIT_SEARCH_MAX],
        searchable=True,
        search=filters.unit_search,
        more=len(found) > UNIT_SEARCH_MAX,
    )
