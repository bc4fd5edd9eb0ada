"""The sheets of the context-and-resources workbook, declared once: titles, columns, natural
keys, help texts and the checks of a row."""

from __future__ import annotations

from typing import Any

from finance.models import BudgetLine, EconomicIntervention, FinancialRatio, Holding
from lib.italian import format_decimal
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

from ..models import DeclaredFigure
from .cells import ZERO, Column, Kind, Row, SheetSpec

INSTRUCTIONS_SHEET = "Istruzioni"


# --- The sheets -----------------------------------------------------------------------------


def _money(header: str, field_name: str, **kw: Any) -> Column:
    return Column(header, field_name, Kind.MONEY, decimals=2, max_digits=16, **kw)


def _count(header: str, field_name: str, **kw: Any) -> Column:
    return Column(header, field_name, Kind.INTEGER, min_value=ZERO, max_digits=10, **kw)


def _year() -> Column:
    return Column("Anno", "year", Kind.INTEGER, min_value=ZERO, year=True, structure=True)


def _gender(**kw: Any) -> Column:
    return Column("Genere", "gender", Kind.CHOICE, choices=tuple(Gender.choices), **kw)


def _budget_check(row: Row) -> list[str]:
    if (row["forecast"] is None) != (row["actual"] is None):
        return [
            "indicare sia il preventivo aggiornato sia il consuntivo, oppure nessuno dei due "
            "(per una voce suddivisa in sottovoci)"
        ]
    return []


def _holding_check(row: Row) -> list[str]:
    errors = []
    if row["share_capital"] <= 0:
        errors.append("il capitale sociale deve essere maggiore di zero")
    elif row["nominal_value"] > row["share_capital"]:
        errors.append(
            f"il valore nominale della partecipazione ({format_decimal(row['nominal_value'], 2)})"
            f" supera il capitale sociale ({format_decimal(row['share_capital'], 2)})"
        )
    return errors


def _declared_check(row: Row) -> list[str]:
    if row["value"] is None and not row["text"]:
        return ["indicare il valore oppure il valore come riportato dalla fonte (o entrambi)"]
    return []


BUDGET = "Conto economico"
INTERVENTIONS = "Interventi economici"
RATIOS = "Indici di bilancio"
HOLDINGS = "Partecipazioni"
CATEGORIES = "Aree di inquadramento"
HEADCOUNTS = "Personale"
PART_TIME = "Tempo parziale"
FTE = "FTE"
ABSENCES = "Assenze"
PARENTAL = "Congedi parentali"
SMART_WORKING = "Lavoro agile"
DECLARED = "Valori dichiarati"

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        BUDGET,
        BudgetLine,
        (
            Column(
                "Sezione",
                "group",
                Kind.CHOICE,
                choices=tuple(BudgetLine.Group.choices),
                structure=True,
            ),
            Column("Voce", "code", Kind.TEXT, max_length=10, structure=True),
            Column("Descrizione", "label", Kind.TEXT, max_length=200, structure=True),
            Column(
                "Voce superiore",
                "parent",
                Kind.REF,
                required=False,
                max_length=10,
                ref=BUDGET,
                ref_field="code",
                structure=True,
            ),
            _money("Preventivo aggiornato", "forecast", required=False),
            _money("Consuntivo", "actual", required=False),
        ),
        key=("code",),
        help="Conto economico: preventivo aggiornato e consuntivo per voce. Una voce suddivisa "
        "in sottovoci (indicate con «Voce superiore») non ha importi propri.",
        check=_budget_check,
    ),
    SheetSpec(
        INTERVENTIONS,
        EconomicIntervention,
        (
            Column("Linea di intervento", "label", Kind.TEXT, max_length=200, structure=True),
            _money("Previsione", "forecast", min_value=ZERO),
            _money("Costi", "actual", min_value=ZERO),
        ),
        key=("label",),
        help="Interventi economici: previsione e costi per linea di intervento.",
    ),
    SheetSpec(
        RATIOS,
        FinancialRatio,
        (
            Column("Gruppo", "group", Kind.TEXT, max_length=120, structure=True),
            Column("Indicatore", "label", Kind.TEXT, max_length=250, structure=True),
            Column(
                "Unità",
                "unit",
                Kind.CHOICE,
                choices=tuple(FinancialRatio.Unit.choices),
                structure=True,
            ),
            Column("Valore dell'anno", "value", Kind.DECIMAL, decimals=4, max_digits=16),
            Column(
                "Valore dell'anno precedente",
                "previous_value",
                Kind.DECIMAL,
                decimals=4,
                max_digits=16,
                required=False,
            ),
        ),
        key=("group", "label"),
        help="Indici di bilancio per gruppo; i valori in % si scrivono come numeri (4,38).",
    ),
    SheetSpec(
        HOLDINGS,
        Holding,
        (
            Column("Società", "company", Kind.TEXT, max_length=200, structure=True),
            _money("Capitale sociale", "share_capital", min_value=ZERO),
            _money("Valore nominale della partecipazione", "nominal_value", min_value=ZERO),
        ),
        key=("company",),
        help="Partecipazioni: il valore nominale non può superare il capitale sociale.",
        check=_holding_check,
    ),
    SheetSpec(
        CATEGORIES,
        StaffCategory,
        (
            Column("Area di inquadramento", "name", Kind.TEXT, max_length=120, structure=True),
            _count("Dotazione organica", "establishment", required=False),
            Column(
                "Nota alla dotazione",
                "establishment_note",
                Kind.TEXT,
                required=False,
                max_length=200,
            ),
        ),
        key=("name",),
        help="Aree di inquadramento e dotazione organica; i fogli del personale le citano "
        "per nome.",
    ),
    SheetSpec(
        HEADCOUNTS,
        Headcount,
        (
            _year(),
            Column(
                "Area di inquadramento",
                "category",
                Kind.REF,
                max_length=120,
                ref=CATEGORIES,
                ref_field="name",
                structure=True,
            ),
            _gender(structure=True),
            Column(
                "Contratto",
                "contract",
                Kind.CHOICE,
                choices=tuple(Headcount.Contract.choices),
                structure=True,
            ),
            _count("Dipendenti", "count"),
        ),
        key=("year", "category", "gender", "contract"),
        help="Personale in servizio al 31/12 per anno, area, genere e contratto.",
        ordered=False,
    ),
    SheetSpec(
        PART_TIME,
        PartTimeCount,
        (_year(), _gender(structure=True), _count("Dipendenti a tempo parziale", "count")),
        key=("year", "gender"),
        help="Personale a tempo parziale per anno e genere.",
        ordered=False,
    ),
    SheetSpec(
        FTE,
        WorkforceSummary,
        (
            _year(),
            Column(
                "FTE (full time equivalent)",
                "fte",
                Kind.DECIMAL,
                decimals=2,
                max_digits=8,
                min_value=ZERO,
            ),
        ),
        key=("year",),
        help="Personale equivalente a tempo pieno.",
        ordered=False,
    ),
    SheetSpec(
        ABSENCES,
        Absence,
        (
            _year(),
            Column(
                "Causa",
                "cause",
                Kind.CHOICE,
                choices=tuple(Absence.Cause.choices),
                structure=True,
            ),
            _count("Giorni", "days"),
        ),
        key=("year", "cause"),
        help="Giorni di assenza per causa.",
        ordered=False,
    ),
    SheetSpec(
        PARENTAL,
        ParentalLeave,
        (
            _year(),
            Column(
                "Tipo di congedo",
                "leave_type",
                Kind.CHOICE,
                choices=tuple(ParentalLeave.LeaveType.choices),
                structure=True,
            ),
            _gender(structure=True),
            _count("Giorni", "days"),
        ),
        key=("year", "leave_type", "gender"),
        help="Giorni di congedo parentale per tipo e genere.",
        ordered=False,
    ),
    SheetSpec(
        SMART_WORKING,
        SmartWorking,
        (
            _year(),
            _count("Dipendenti che hanno svolto lavoro agile", "employees"),
            _count("Giornate complessive in lavoro agile", "days_total"),
            Column(
                "Giornate medie a settimana per dipendente",
                "days_per_week",
                Kind.DECIMAL,
                decimals=2,
                max_digits=4,
                min_value=ZERO,
            ),
            _count("Dipendenti in lavoro agile al 31/12", "employees_at_year_end"),
        ),
        key=("year",),
        help="Lavoro agile nell'anno.",
        ordered=False,
    ),
    SheetSpec(
        DECLARED,
        DeclaredFigure,
        (
            Column("Tabella", "table", Kind.TEXT, max_length=60, structure=True),
            Column("Chiave", "key", Kind.TEXT, max_length=120, structure=True),
            Column("Descrizione", "label", Kind.TEXT, max_length=250, structure=True),
            Column("Valore", "value", Kind.DECIMAL, decimals=4, max_digits=20, required=False),
            Column("Valore come riportato", "text", Kind.TEXT, max_length=60, required=False),
            Column("Fonte", "source", Kind.TEXT, max_length=200, required=False, structure=True),
        ),
        key=("table", "key"),
        help="Valori come la fonte li riporta (un totale, una differenza, una percentuale): i "
        "controlli di coerenza li confrontano con quelli calcolati, le pagine non li mostrano. "
        "Tabella e chiave identificano il valore.",
        ordered=False,
        check=_declared_check,
    ),
)
SHEETS_BY_TITLE = {spec.title: spec for spec in SHEETS}
