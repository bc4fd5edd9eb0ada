"""Reads for the people pages: every total is computed from the counts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from core.models import Cycle
from finance.domain import share_pct

from .models import (
    Absence,
    Headcount,
    ParentalLeave,
    PartTimeCount,
    SmartWorking,
    StaffCategory,
    WorkforceSummary,
)


@dataclass
class CategoryRow:
    category: StaffCategory
    cells: dict[tuple[str, str], int] = field(default_factory=dict)  # (contract, gender) -> n

    def n(self, contract: str, gender: str) -> int:
        return self.cells.get((contract, gender), 0)

    @property
    def full_women(self):
        return self.n("full", "F")

    @property
    def full_men(self):
        return self.n("full", "M")

    @property
    def part_women(self):
        return self.n("part", "F")

    @property
    def part_men(self):
        return self.n("part", "M")

    @property
    def women(self):
        return self.full_women + self.part_women + self.n("any", "F")

    @property
    def men(self):
        return self.full_men + self.part_men + self.n("any", "M")

    @property
    def total(self):
        return self.women + self.men


@dataclass
class PeopleView:
    year: int
    current: list[CategoryRow]
    previous: list[CategoryRow]
    current_total: CategoryRow
    previous_total: CategoryRow
    establishment: int
    fte: object
    part_time: dict[int, dict[str, int]]
    absences: list[Absence]
    absences_total: int
    leave: list[tuple[str, int, int, int]]
    smart_working: SmartWorking | None

    @property
    def category_pairs(self) -> list[tuple[CategoryRow, CategoryRow]]:
        return list(zip(self.current, self.previous, strict=True))

    @property
    def gender_rows(self) -> list[tuple[str, int, int, object]]:
        t, p = self.current_total, self.previous_total
        return [
            ("Donne", p.women, t.women, share_pct(t.women, t.total)),
            ("Uomini", p.men, t.men, share_pct(t.men, t.total)),
        ]

    @property
    def part_time_rows(self) -> list[tuple[str, int, int, object]]:
        prev = self.part_time.get(self.year - 1, {})
        cur = self.part_time.get(self.year, {})
        total = sum(cur.values())
        return [
            (label, prev.get(g, 0), cur.get(g, 0), share_pct(cur.get(g, 0), total))
            for g, label in (("F", "Donne"), ("M", "Uomini"))
        ]

    @property
    def part_time_totals(self) -> tuple[int, int]:
        return (
            sum(self.part_time.get(self.year - 1, {}).values()),
            sum(self.part_time.get(self.year, {}).values()),
        )


def _rows(categories, counts) -> list[CategoryRow]:
    rows = {c.id: CategoryRow(c) for c in categories}
    for h in counts:
        rows[h.category_id].cells[(h.contract, h.gender)] = h.count
    return list(rows.values())


def _total(rows: list[CategoryRow]) -> CategoryRow:
    total = CategoryRow(StaffCategory(name="Totale"))
    for row in rows:
        for key, n in row.cells.items():
            total.cells[key] = total.cells.get(key, 0) + n
    return total


def people_view(cycle: Cycle) -> PeopleView:
    """Queries: categories, headcounts, FTE, part-time, absences, parental leave, smart working."""
    year, previous = cycle.year, cycle.year - 1
    categories = list(StaffCategory.objects.filter(cycle=cycle).order_by("order"))
    counts = list(Headcount.objects.filter(cycle=cycle))
    current = _rows(categories, [h for h in counts if h.year == year])
    prev = _rows(categories, [h for h in counts if h.year == previous])
    fte = WorkforceSummary.objects.filter(cycle=cycle, year=year).first()
    part_time: dict[int, dict[str, int]] = defaultdict(dict)
    for p in PartTimeCount.objects.filter(cycle=cycle):
        part_time[p.year][p.gender] = p.count
    absences = list(Absence.objects.filter(cycle=cycle, year=year).order_by("id"))
    leave_rows: dict[str, dict[str, int]] = defaultdict(dict)
    for item in ParentalLeave.objects.filter(cycle=cycle, year=year).order_by("id"):
        leave_rows[item.get_leave_type_display()][item.gender] = item.days
    leave = [
        (k, v.get("F", 0), v.get("M", 0), v.get("F", 0) + v.get("M", 0))
        for k, v in leave_rows.items()
    ]
    return PeopleView(
        year=year,
        current=current,
        previous=prev,
        current_total=_total(current),
        previous_total=_total(prev),
        establishment=sum(c.establishment or 0 for c in categories),
        fte=fte.fte if fte else None,
        part_time=dict(part_time),
        absences=absences,
        absences_total=sum(a.days for a in absences),
        leave=leave,
        smart_working=SmartWorking.objects.filter(cycle=cycle, year=year).first(),
    )
