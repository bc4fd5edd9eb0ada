"""The figures of the staff section and of the gender balance (bilancio di genere),
recomputed from the headcounts, part-time, absences and parental leave."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from .base import GENDERS, HUNDRED, YearData
from .figures import CAUSE_LABELS, LEAVE_LABELS, Expectation, _share, _Staff, _sum_text
from .formatting import _num


def _staff_expectations(data: YearData) -> Iterator[Expectation]:
    """The figures of the staff section and of the gender balance (bilancio di genere), in the
    order the document prints them."""
    staff = _Staff(data)
    cats = [c.name for c in data.staff_categories]
    yield from _staff_table(data, staff, cats)
    yield from _gender_by_category(data, staff, cats)
    yield from _part_time(data)
    yield from _part_time_narrative(data, staff)
    yield from _in_service(data, staff)
    yield from _absences_and_leave(data)


def _staff_table(data: YearData, staff: _Staff, cats: list[str]) -> Iterator[Expectation]:
    """The staff by area and gender at 31/12: each cell, the establishment, the totals."""
    y = data.year
    if staff.has(y):
        for c in cats:
            for g, gk, glabel in GENDERS:
                ft = staff.count(y, c, g, {"full"})
                pt = staff.count(y, c, g, {"part"})
                yield Expectation(
                    "staff",
                    f"{c}.{gk}",
                    f"{c}, {glabel.lower()} al 31/12/{y}",
                    Decimal(ft + pt),
                    f"tempo pieno {ft} + tempo parziale {pt}",
                )
            w, m = staff.count(y, c, "F"), staff.count(y, c, "M")
            yield Expectation(
                "staff", f"{c}.all", f"{c}, totale al 31/12/{y}", Decimal(w + m), f"{w} + {m}"
            )
        establishments = [c.establishment for c in data.staff_categories]
        given = [e for e in establishments if e is not None]
        if establishments and len(given) == len(establishments):
            yield Expectation(
                "staff",
                "totale.dotazione",
                "dotazione organica totale",
                Decimal(sum(given)),
                _sum_text(given),
            )
        columns: list[tuple[str, str, str | None, set[str] | None]] = [
            ("full_time_women", "tempo pieno, donne", "F", {"full"}),
            ("full_time_men", "tempo pieno, uomini", "M", {"full"}),
            ("part_time_women", "tempo parziale, donne", "F", {"part"}),
            ("part_time_men", "tempo parziale, uomini", "M", {"part"}),
            ("women", "donne", "F", None),
            ("men", "uomini", "M", None),
            ("all", "tutto il personale", None, None),
        ]
        for key, label, gender, contracts in columns:
            parts = staff.parts(y, cats, gender, contracts)
            yield Expectation(
                "staff",
                f"totale.{key}",
                f"totale {label} al 31/12/{y}",
                Decimal(sum(parts)),
                "somma delle aree: " + _sum_text(parts),
            )


def _gender_by_category(data: YearData, staff: _Staff, cats: list[str]) -> Iterator[Expectation]:
    """Gender tables: staff by area of the previous year, totals of both years."""
    y, prev = data.year, data.year - 1
    table = "gender.by_category"
    if staff.has(prev):
        for c in cats:
            w, m = staff.count(prev, c, "F"), staff.count(prev, c, "M")
            yield Expectation(
                table, f"{prev}.{c}.all", f"{c}, totale {prev}", Decimal(w + m), f"{w} + {m}"
            )
    for c in cats:
        women = data.declared_figure(table, f"{y}.{c}.women")
        men = data.declared_figure(table, f"{y}.{c}.men")
        if women and men and women.value is not None and men.value is not None:
            yield Expectation(
                table,
                f"{y}.{c}.declared_total",
                f"{c}, totale {y}",
                women.value + men.value,
                f"{_num(women.value)} + {_num(men.value)}",
            )
    for year in (prev, y):
        if not staff.has(year):
            continue
        for key, label, g in (("women", "donne ", "F"), ("men", "uomini ", "M"), ("all", "", None)):
            parts = staff.parts(year, cats, g)
            yield Expectation(
                table,
                f"{year}.totale.{key}",
                f"totale {label}{year}",
                Decimal(sum(parts)),
                "somma delle aree: " + _sum_text(parts),
            )


def _part_time(data: YearData) -> Iterator[Expectation]:
    """The part-time table: the totals of both years and the shares of this year."""
    y, prev = data.year, data.year - 1
    table = "gender.part_time"
    for year in (prev, y):
        w, m = data.part_time.get((year, "F")), data.part_time.get((year, "M"))
        if w is None or m is None:
            continue
        yield Expectation(
            table, f"{year}.totale", f"totale tempo parziale {year}", Decimal(w + m), f"{w} + {m}"
        )
    w, m = data.part_time.get((y, "F")), data.part_time.get((y, "M"))
    if w is not None and m is not None and w + m:
        for key, part, label in (("women", w, "donne"), ("men", m, "uomini")):
            yield Expectation(
                table,
                f"{y}.pct.{key}",
                f"quota di {label} sul tempo parziale {y}",
                _share(part, w + m),
                f"{part} / {w + m} × 100",
                kind="pct",
                percent=True,
            )
        yield Expectation(
            table,
            f"{y}.pct.all",
            f"quota totale del tempo parziale {y}",
            HUNDRED,
            f"{w} + {m} = {w + m} su {w + m}",
            kind="pct",
            percent=True,
        )


def _part_time_narrative(data: YearData, staff: _Staff) -> Iterator[Expectation]:
    """The shares the text on part-time cites (of all the staff, of the women)."""
    y = data.year
    w, m = data.part_time.get((y, "F")), data.part_time.get((y, "M"))
    if w is not None and m is not None and w + m:
        total_staff, women_staff = staff.count(y), staff.count(y, gender="F")
        table = "gender.part_time_narrative"
        if total_staff:
            yield Expectation(
                table,
                "declared_pct_staff",
                f"quota del personale a tempo parziale {y}",
                _share(w + m, total_staff),
                f"{w + m} / {total_staff} × 100",
                kind="pct",
                percent=True,
            )
        if women_staff:
            yield Expectation(
                table,
                "declared_pct_women_pt",
                f"quota delle donne a tempo parziale {y}",
                _share(w, women_staff),
                f"{w} / {women_staff} × 100",
                kind="pct",
                percent=True,
            )


def _in_service(data: YearData, staff: _Staff) -> Iterator[Expectation]:
    """Staff in service: the total of the printed row, and the shares."""
    y, prev = data.year, data.year - 1
    table = "gender.in_service"
    for year in (prev, y):
        w = data.declared_figure(table, f"{year}.women")
        m = data.declared_figure(table, f"{year}.men")
        if w and m and w.value is not None and m.value is not None:
            yield Expectation(
                table,
                f"{year}.totale",
                f"totale {year}",
                w.value + m.value,
                f"donne {_num(w.value)} + uomini {_num(m.value)}",
            )
    total = staff.count(y)
    if total:
        for g, gk, glabel in GENDERS:
            part = staff.count(y, gender=g)
            yield Expectation(
                table,
                f"{y}.pct.{gk}",
                f"quota di {glabel.lower()} nel personale in servizio {y}",
                _share(part, total),
                f"{part} / {total} × 100",
                kind="pct",
                percent=True,
            )
        yield Expectation(
            table,
            f"{y}.pct.all",
            f"quota totale del personale in servizio {y}",
            HUNDRED,
            f"{total} su {total}",
            kind="pct",
            percent=True,
        )


def _absences_and_leave(data: YearData) -> Iterator[Expectation]:
    """Absences by cause and parental leave by type: the printed totals."""
    y = data.year
    for year in sorted({year for year, _cause in data.absences}):
        parts = [(c, d) for (yy, c), d in data.absences.items() if yy == year]
        yield Expectation(
            "gender.absences",
            f"{year}.totale",
            f"totale giorni di assenza {year}",
            Decimal(sum(d for _c, d in parts)),
            " + ".join(f"{CAUSE_LABELS.get(c, c)} {d}" for c, d in parts),
        )
    leave_types = sorted({t for yy, t, _g in data.parental_leave if yy == y})
    for leave_type in leave_types:
        w = data.parental_leave.get((y, leave_type, "F"), 0)
        m = data.parental_leave.get((y, leave_type, "M"), 0)
        yield Expectation(
            "gender.parental_leave",
            f"{leave_type}.totale",
            f"totale giorni di {LEAVE_LABELS.get(leave_type, leave_type)} {y}",
            Decimal(w + m),
            f"donne {w} + uomini {m}",
        )
