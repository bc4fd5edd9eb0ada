"""The demo's context and resources, read from ``fixtures/<year>/context.yaml``: the context
tables of section 1.1, the staff and gender tables, the budget, the interventions, the ratios
and the holdings; every total the document prints kept as a DeclaredFigure beside the figures,
so that the consistency checks compare them with what the engine computes."""

from __future__ import annotations

from decimal import Decimal

from core.models import Cycle
from finance.models import BudgetLine, EconomicIntervention, FinancialRatio, Holding
from resources.models import ContextTable, DeclaredFigure
from resources.selectors import PROCESS_PHASES, SMART_WORKING_TABLES
from staff.models import (
    Absence,
    Gender,
    Headcount,
    ParentalLeave,
    PartTimeCount,
    SmartWorking,
    StaffCategory,
    WorkforceSummary,
)


def _dec(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value))


def _declare(cycle, table, key, label, value=None, text="", source=""):
    if isinstance(value, str):
        text, value = value, None
    DeclaredFigure.objects.create(
        cycle=cycle,
        table=table,
        key=key,
        label=label[:250],
        value=_dec(value),
        text=text or ("" if value is None else str(value)),
        source=source,
    )


def resources_load(cycle: Cycle, data: dict) -> None:
    """The year's context and resources from the parsed ``context.yaml``."""
    year = cycle.year
    for order, table in enumerate(data.get("economy", [])):
        if not isinstance(table, dict) or "rows" not in table:
            continue
        rows = list(table["rows"])
        if table.get("declared_total_row"):
            _declare(
                cycle,
                f"economy.{table['key']}",
                "total_row",
                "Riga Totale",
                text=" | ".join(str(v) for v in table["declared_total_row"]),
                source=f"righe {table.get('lines', '')}",
            )
        ContextTable.objects.create(
            cycle=cycle,
            key=table["key"],
            title=table["title"],
            source=table.get("source", ""),
            columns=table["columns"],
            rows=rows,
            order=order,
        )
    _load_staff(cycle, year, data["staff"], data["gender"])
    _load_budget(cycle, data)
    sw = data["smart_working"]
    SmartWorking.objects.create(
        cycle=cycle,
        year=year,
        employees=sw["employees"],
        days_total=sw["days_total"],
        days_per_week=_dec(sw["days_per_week_per_employee"]),
        employees_at_year_end=sw["employees_at_year_end"],
    )
    # The two smart-working tables of objective 3.1: generic grids, placed by its narrative.
    training = sw["training"]
    ContextTable.objects.create(
        cycle=cycle,
        key=SMART_WORKING_TABLES[0],
        title=f"Iniziative formative a supporto del lavoro agile {year}",
        columns=["Iniziativa formativa", *training["columns"][1:]],
        rows=[list(r) for r in training["rows"]],
        order=80,
    )
    tech = sw["technology"]
    ContextTable.objects.create(
        cycle=cycle,
        key=SMART_WORKING_TABLES[1],
        title=f"Tecnologia per il lavoro agile {year}",
        columns=["Dotazione", "Numero"],
        rows=[
            ["N. PC messi a disposizione per il lavoro agile", tech["pc_provided"]],
            [
                "N. dipendenti in lavoro agile che hanno utilizzato PC propri",
                tech["employees_using_own_pc"],
            ],
            ["N. VPN attivate", tech["vpn_activated"]],
            ["N. VDI attivate", tech["vdi_activated"]],
            ["N. Voip-Tvox", tech["voip_tvox"]],
        ],
        order=81,
    )
    phases = data.get("process_phases", [])
    ContextTable.objects.create(
        cycle=cycle,
        key=PROCESS_PHASES,
        title="Fasi del processo di redazione della Relazione",
        columns=["Fasi", "Tempi", "Descrizione"],
        rows=[[p["phase"], p["period"], p["description"]] for p in phases],
        order=90,
    )


GENDERS = ((Gender.WOMEN, "women"), (Gender.MEN, "men"))


def _load_staff(cycle: Cycle, year: int, staff: dict, gender: dict) -> None:
    """The staff table and the gender balance (bilancio di genere) of section 3.1."""
    categories = _staff_table(cycle, year, staff)
    _gender_by_category(cycle, year, gender["by_category"], categories)
    _part_time(cycle, year, gender)
    _in_service(cycle, year, gender["staff_in_service"])
    _absences(cycle, gender["absences"])
    _parental_leave(cycle, year, gender["parental_leave"])


def _staff_table(cycle: Cycle, year: int, staff: dict) -> dict[str, StaffCategory]:
    categories = {}
    for order, item in enumerate(staff["categories"]):
        category = StaffCategory.objects.create(
            cycle=cycle,
            name=item["category"],
            establishment=item["dotazione"],
            establishment_note=item.get("dotazione_note") or "",
            order=order,
        )
        categories[category.name] = category
        for contract, key in (("full", "full_time"), ("part", "part_time")):
            for g, gk in GENDERS:
                Headcount.objects.create(
                    cycle=cycle,
                    year=year,
                    category=category,
                    gender=g,
                    contract=contract,
                    count=item[key][gk],
                )
        for k, v in item["declared_total"].items():
            _declare(cycle, "staff", f"{category.name}.{k}", f"{category.name} totale {k}", v)
    for k, v in staff["declared_total"].items():
        _declare(cycle, "staff", f"totale.{k}", f"Totale {k}", v)
    WorkforceSummary.objects.create(cycle=cycle, year=year, fte=_dec(staff["fte_2023"]))
    return categories


def _gender_by_category(
    cycle: Cycle, year: int, by_category: dict, categories: dict[str, StaffCategory]
) -> None:
    previous = year - 1
    for item in by_category[previous]:
        category = categories[item["category"]]
        for g, gk in GENDERS:
            Headcount.objects.create(
                cycle=cycle,
                year=previous,
                category=category,
                gender=g,
                contract="any",
                count=item[gk],
            )
        _declare(
            cycle,
            "gender.by_category",
            f"{previous}.{category.name}.all",
            f"{category.name} {previous} totale",
            item["declared_total"],
        )
    # The 2023 split by category repeats the staff table: kept as declared, to be cross-checked.
    for item in by_category[year]:
        for k in ("women", "men", "declared_total"):
            _declare(
                cycle,
                "gender.by_category",
                f"{year}.{item['category']}.{k}",
                f"{item['category']} {year} {k}",
                item[k],
            )
    for y, totals in by_category["declared_total"].items():
        for k, v in totals.items():
            _declare(cycle, "gender.by_category", f"{y}.totale.{k}", f"Totale {y} {k}", v)


def _part_time(cycle: Cycle, year: int, gender: dict) -> None:
    part_time = gender["part_time"]
    for y in (year - 1, year):
        for g, gk in GENDERS:
            PartTimeCount.objects.create(cycle=cycle, year=y, gender=g, count=part_time[y][gk])
        _declare(
            cycle,
            "gender.part_time",
            f"{y}.totale",
            f"Part-time totale {y}",
            part_time["declared_total"][y],
        )
    for k, v in part_time["declared_pct_2023"].items():
        _declare(cycle, "gender.part_time", f"{year}.pct.{k}", f"% su totale PT {year} {k}", v)
    for k, v in gender["part_time_narrative"].items():
        if k != "lines":
            _declare(cycle, "gender.part_time_narrative", k, k, v)


def _in_service(cycle: Cycle, year: int, in_service: dict) -> None:
    for y in (year - 1, year):
        for gk in ("women", "men"):
            _declare(
                cycle,
                "gender.in_service",
                f"{y}.{gk}",
                f"Personale in servizio {y} {gk}",
                in_service[y][gk],
            )
        _declare(
            cycle,
            "gender.in_service",
            f"{y}.totale",
            f"Personale in servizio {y} totale",
            in_service["declared_total"][y],
        )
    for k, v in in_service["declared_pct_2023"].items():
        _declare(cycle, "gender.in_service", f"{year}.pct.{k}", f"% {year} {k}", v)


def _absences(cycle: Cycle, absences: dict) -> None:
    for cause, key in (
        ("sickness", "sickness"),
        ("injury", "injury"),
        ("parental", "parental_leave"),
        ("other", "other"),
    ):
        Absence.objects.create(cycle=cycle, year=absences["year"], cause=cause, days=absences[key])
    _declare(
        cycle,
        "gender.absences",
        f"{absences['year']}.totale",
        "Totale giorni di assenza",
        absences["declared_total"],
    )


def _parental_leave(cycle: Cycle, year: int, leave: dict) -> None:
    for leave_type in ("paid_100", "paid_30", "unpaid"):
        for g, gk in GENDERS:
            ParentalLeave.objects.create(
                cycle=cycle, year=year, leave_type=leave_type, gender=g, days=leave[leave_type][gk]
            )
        _declare(
            cycle,
            "gender.parental_leave",
            f"{leave_type}.totale",
            f"Totale {leave_type}",
            leave["declared_total"][leave_type],
        )


def _load_budget(cycle: Cycle, data: dict) -> None:
    ce = data["conto_economico"]
    by_code = {}
    for order, item in enumerate(ce["lines_items"]):
        has_figures = "preventivo" in item
        line = BudgetLine.objects.create(
            cycle=cycle,
            group=item["group"],
            code=item["code"],
            label=item["label"],
            parent=by_code.get(item.get("parent")),
            forecast=_dec(item["preventivo"]) if has_figures else None,
            actual=_dec(item["consuntivo"]) if has_figures else None,
            order=order,
        )
        by_code[line.code] = line
        for key in (
            "declared_preventivo",
            "declared_consuntivo",
            "declared_scostamento",
            "declared_variation",
        ):
            if key in item:
                _declare(
                    cycle,
                    "conto_economico",
                    f"{line.code}.{key.removeprefix('declared_')}",
                    f"{line.label} ({key.removeprefix('declared_')})",
                    item[key],
                )
    for total_key, figures in ce["declared_totals"].items():
        for k in ("preventivo", "consuntivo", "scostamento", "variation"):
            _declare(
                cycle,
                "conto_economico",
                f"{total_key}.{k}",
                f"{figures['label']} ({k})",
                figures[k],
            )

    ie = data["interventi_economici"]
    for order, item in enumerate(ie["items"]):
        intervention = EconomicIntervention.objects.create(
            cycle=cycle,
            label=item["label"],
            forecast=_dec(item["preventivo"]),
            actual=_dec(item["consuntivo"]),
            order=order,
        )
        _declare(
            cycle,
            "interventi_economici",
            f"{order}.scostamento",
            f"{intervention.label} (scostamento)",
            item["declared_scostamento"],
        )
    for k, v in ie["declared_total"].items():
        _declare(cycle, "interventi_economici", f"totale.{k}", f"TOTALE ({k})", v)

    order = 0
    for group in data["ratios"]["groups"]:
        for item in group["items"]:
            FinancialRatio.objects.create(
                cycle=cycle,
                group=group["group"],
                label=item["label"],
                unit=item["unit"],
                value=_dec(item["value_2023"]),
                previous_value=_dec(item.get("value_2022")),
                order=order,
            )
            order += 1

    for order, item in enumerate(data["holdings"]["items"]):
        Holding.objects.create(
            cycle=cycle,
            company=item["company"],
            share_capital=_dec(item["share_capital"]),
            nominal_value=_dec(item["nominal_value"]),
            order=order,
        )
        _declare(
            cycle,
            "holdings",
            f"{item['company']}.pct",
            f"{item['company']} %",
            item["declared_pct"],
        )
