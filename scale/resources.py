"""The context and resources of a synthetic year: staff, budget, context tables and narratives,
small tables of a fixed size per year."""

from __future__ import annotations

import random
from decimal import Decimal

from core.models import Cycle
from finance.models import BudgetLine, EconomicIntervention, FinancialRatio, Holding
from narratives.models import Narrative, NarrativeKey
from resources.models import ContextTable
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

from .vocabulary import STAFF_CATEGORIES, THEMES


def resources_generate(rng: random.Random, cycle: Cycle, year: int) -> None:
    """Staff, budget, context tables and narratives: small, fixed-size tables per year."""
    categories = StaffCategory.objects.bulk_create(
        [
            StaffCategory(cycle=cycle, name=name, establishment=rng.randrange(2, 80), order=i)
            for i, name in enumerate(STAFF_CATEGORIES)
        ]
    )
    headcounts = []
    for category in categories:
        for gender in (Gender.WOMEN, Gender.MEN):
            for contract in ("full", "part"):
                headcounts.append(
                    Headcount(
                        cycle=cycle,
                        year=year,
                        category=category,
                        gender=gender,
                        contract=contract,
                        count=rng.randrange(0, 30),
                    )
                )
            headcounts.append(
                Headcount(
                    cycle=cycle,
                    year=year - 1,
                    category=category,
                    gender=gender,
                    contract="any",
                    count=rng.randrange(0, 40),
                )
            )
    Headcount.objects.bulk_create(headcounts)
    PartTimeCount.objects.bulk_create(
        [
            PartTimeCount(cycle=cycle, year=y, gender=g, count=rng.randrange(0, 25))
            for y in (year - 1, year)
            for g in (Gender.WOMEN, Gender.MEN)
        ]
    )
    WorkforceSummary.objects.create(
        cycle=cycle, year=year, fte=Decimal(rng.randrange(5000, 15000)) / 100
    )
    Absence.objects.bulk_create(
        [
            Absence(cycle=cycle, year=year, cause=cause, days=rng.randrange(10, 900))
            for cause in ("sickness", "injury", "parental", "other")
        ]
    )
    ParentalLeave.objects.bulk_create(
        [
            ParentalLeave(
                cycle=cycle, year=year, leave_type=t, gender=g, days=rng.randrange(0, 200)
            )
            for t in ("paid_100", "paid_30", "unpaid")
            for g in (Gender.WOMEN, Gender.MEN)
        ]
    )
    SmartWorking.objects.create(
        cycle=cycle,
        year=year,
        employees=rng.randrange(20, 90),
        days_total=rng.randrange(1000, 6000),
        days_per_week=Decimal("1.50"),
        employees_at_year_end=rng.randrange(20, 90),
    )
    lines = [
        ("A", "1", "Diritto annuale"),
        ("A", "2", "Diritti di segreteria"),
        ("A", "3", "Contributi trasferimenti e altre entrate"),
        ("B", "6", "Personale"),
        ("B", "7", "Funzionamento"),
        ("B", "8", "Interventi economici"),
        ("C", "10", "Proventi finanziari"),
        ("D", "12", "Proventi straordinari"),
    ]
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(
                cycle=cycle,
                group=group,
                code=code,
                label=label,
                forecast=Decimal(rng.randrange(100_000, 9_000_000)),
                actual=Decimal(rng.randrange(100_000, 9_000_000)),
                order=i,
            )
            for i, (group, code, label) in enumerate(lines)
        ]
    )
    EconomicIntervention.objects.bulk_create(
        [
            EconomicIntervention(
                cycle=cycle,
                label=f"Iniziative di {theme}",
                forecast=Decimal(rng.randrange(50_000, 900_000)),
                actual=Decimal(rng.randrange(50_000, 900_000)),
                order=i,
            )
            for i, theme in enumerate(THEMES[:6])
        ]
    )
    FinancialRatio.objects.bulk_create(
        [
            FinancialRatio(
                cycle=cycle,
                group="Indici di bilancio",
                label=label,
                unit=unit,
                value=Decimal(rng.randrange(10, 300)) / 100,
                previous_value=Decimal(rng.randrange(10, 300)) / 100,
                order=i,
            )
            for i, (label, unit) in enumerate(
                [
                    ("Indice di equilibrio strutturale", "ratio"),
                    ("Indice di liquidità immediata", "ratio"),
                    ("Incidenza del diritto annuale sui proventi correnti", "percent"),
                ]
            )
        ]
    )
    Holding.objects.bulk_create(
        [
            Holding(
                cycle=cycle,
                company=f"Società partecipata {i + 1} S.p.A.",
                share_capital=Decimal(1_000_000),
                nominal_value=Decimal(rng.randrange(1_000, 500_000)),
                order=i,
            )
            for i in range(3)
        ]
    )
    ContextTable.objects.create(
        cycle=cycle,
        key="imprese",
        title=f"Imprese registrate al 31/12/{year}",
        source="Infocamere",
        columns=["Settore", "Imprese"],
        rows=[[s, rng.randrange(1000, 30000)] for s in ("Agricoltura", "Industria", "Servizi")],
    )
    Narrative.objects.bulk_create(
        [
            Narrative(
                cycle=cycle,
                key=key,
                title=label,
                body=f"Testo sintetico della sezione «{label}» per l'anno {year}.",
                order=i,
            )
            for i, (key, label) in enumerate(NarrativeKey.choices)
        ]
    )
