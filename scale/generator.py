"""A synthetic performance plan of any size, deterministic for a seed.

``plan_generate(units=N, indicators=M, years=Y, seed=S)`` builds a body with Y cycles, each with
perspectives, strategic objectives, operational objectives shared between units, indicators of
every kind and direction (plausible Italian names, targets and actuals, NV, thresholds), the
cruscotti of sections 2.2, 2.3, 2.4 and 3 with their rows, and small staff and budget tables.

Everything random comes from one ``random.Random(seed)`` drawn in a fixed order, so the same
seed gives the same data (ids aside); :func:`plan_fingerprint` hashes that content. Writes are
``bulk_create`` (history records included for the plan models), inside the workflow's
``unlocked()`` block: the generator builds whole new years, the locked-year guard checks of each
bulk insert would only cost time (and the years are refused up front if they exist).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.locking import unlocked
from core.models import Body, Cycle
from finance.models import BudgetLine, EconomicIntervention, FinancialRatio, Holding
from indicators import domain
from indicators.models import CommonGroup, Indicator, ScorecardRow
from narratives.models import Narrative, NarrativeKey
from objectives.models import (
    OperationalObjective,
    OrgUnit,
    Perspective,
    Scorecard,
    StrategicObjective,
)
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

BATCH = 2000

PERSPECTIVES = [
    "SVILUPPO ECONOMICO DELLE IMPRESE E DEL TERRITORIO",
    "SEMPLIFICAZIONE E INNOVAZIONE DEI PROCESSI",
    "APPRENDIMENTO E CRESCITA",
    "ECONOMICO-FINANZIARIA",
]

THEMES = [
    "digitalizzazione delle imprese",
    "internazionalizzazione",
    "transizione ecologica",
    "orientamento al lavoro e alle professioni",
    "turismo e cultura",
    "legalità e trasparenza del mercato",
    "semplificazione amministrativa",
    "qualità dei servizi anagrafici",
    "formazione del personale",
    "sostenibilità economico-finanziaria",
    "accesso al credito",
    "valorizzazione del patrimonio",
    "comunicazione istituzionale",
    "statistica e studi economici",
    "tutela del consumatore",
    "nuove imprese e start-up",
]
SO_VERBS = ["Sostenere", "Promuovere", "Rafforzare", "Favorire", "Sviluppare", "Garantire"]
OO_VERBS = [
    "Potenziare",
    "Realizzare",
    "Migliorare",
    "Consolidare",
    "Ampliare",
    "Razionalizzare",
    "Monitorare",
    "Diffondere",
]
OO_OBJECTS = [
    "i servizi di assistenza alle imprese",
    "le iniziative di formazione",
    "i tempi di evasione delle pratiche",
    "i controlli sulla qualità dei dati",
    "la comunicazione verso l'utenza",
    "i percorsi di accompagnamento",
    "le attività di vigilanza",
    "i bandi di contributo",
    "la gestione documentale",
    "i processi di riscossione",
]
UNIT_NAMES = [
    "Affari generali",
    "Promozione",
    "Registro Imprese",
    "Regolazione del mercato",
    "Risorse umane",
    "Risorse finanziarie",
    "Risorse strumentali",
    "Comunicazione e Studi",
    "Sportelli polifunzionali",
    "Diritto annuale",
    "Ambiente",
    "Metrologia legale",
    "Arbitrato e conciliazione",
    "Sviluppo d'impresa",
    "Protesti e marchi",
]
COMMON_GROUPS = [
    "Transizione digitale",
    "Accessibilità e trasparenza",
    "Salute economico-finanziaria",
    "Parità di genere",
]
STAFF_CATEGORIES = [
    "Dirigenti",
    "Funzionari ed Elevate Qualificazioni",
    "Istruttori",
    "Operatori esperti",
    "Operatori",
]


@dataclass(frozen=True)
class PlanSize:
    units: int
    indicators: int
    years: int

    @property
    def strategic(self) -> int:  # the 2023 demo: 12 for 169 indicators
        return max(4, round(self.indicators / 14))

    @property
    def operational(self) -> int:  # the 2023 demo: 60 for 169 indicators
        return max(self.strategic, round(self.indicators / 3))


@dataclass
class GeneratedPlan:
    body: Body
    cycles: list[Cycle]
    counts: dict[str, int]


def _insert(model, objs) -> None:
    """Plain ``executemany`` INSERT of new rows (no ids returned): several times faster than
    ``bulk_create`` for the big tables, whose ids are then read back by their order."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the models
    objs = list(objs)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), BATCH * 5):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields]
                    for o in objs[start : start + BATCH * 5]
                ],
            )


def _insert_history(model, instances) -> None:
    """The "created" history record of each instance, as django-simple-history writes it."""
    historical = model.history.model
    tracked = [
        f.attname
        for f in historical._meta.concrete_fields
        if not f.name.startswith("history_") and hasattr(model, f.attname)
    ]
    now = timezone.now()
    _insert(
        historical,
        (
            historical(
                **{name: getattr(obj, name) for name in tracked},
                history_date=now,
                history_type="+",
                history_change_reason="Piano sintetico generato",
            )
            for obj in instances
        ),
    )


# --- Values ---------------------------------------------------------------------------------


def _num(number, decimals=0) -> str:
    return domain.format_number(Decimal(str(number)), decimals)


def _canonical(text: str) -> str:
    return domain.format_value(domain.parse_value(text))


def _indicator_values(rng: random.Random, year: int, theme: str):
    """(name, algorithm, kind, direction, target, actual, unit of measure) of one indicator."""
    roll = rng.random()
    pick = rng.randrange(1_000_000)
    nv = rng.random() < 0.04
    if roll < 0.30:
        kind, direction = domain.Kind.NUMBER, domain.Direction.HIGHER
        target = rng.choice([2, 3, 4, 5, 8, 12, 20, 45, 60, 120, 250, 350, 650, 1200])
        actual = max(0, round(target * rng.uniform(0.55, 1.45)))
        name = rng.choice(
            [
                f"Numero di imprese coinvolte nelle iniziative di {theme}",
                f"Numero di eventi e seminari su {theme}",
                f"Numero di pratiche istruite in materia di {theme}",
                f"Numero di incontri con le associazioni su {theme}",
            ]
        )
        values = (_num(target), _num(actual), "numero")
    elif roll < 0.36:
        kind, direction = domain.Kind.NUMBER, domain.Direction.LOWER
        target = rng.choice([5, 10, 15, 30, 45, 60])
        actual = max(1, round(target * rng.uniform(0.6, 1.5)))
        name = f"Tempo medio di evasione delle pratiche di {theme} (giorni)"
        values = (_num(target), _num(actual), "giorni")
    elif roll < 0.40:
        kind, direction = domain.Kind.NUMBER, domain.Direction.AT_MOST
        target = rng.choice([10, 20, 30, 50])
        actual = max(0, round(target * rng.uniform(0.5, 1.2)))
        name = f"Numero di reclami ricevuti sui servizi di {theme}"
        values = (f"<{_num(target)}", _num(actual), "numero")
    elif roll < 0.60:
        kind, direction = domain.Kind.PERCENTAGE, domain.Direction.HIGHER
        target = Decimal(rng.choice([60, 75, 80, 85, 90, 95, 100]))
        actual = min(Decimal(100), target * Decimal(str(round(rng.uniform(0.7, 1.2), 4))))
        name = rng.choice(
            [
                f"Percentuale di pratiche di {theme} evase entro 5 giorni",
                f"Grado di soddisfazione degli utenti dei servizi di {theme}",
                f"Percentuale di imprese raggiunte dalle azioni di {theme}",
            ]
        )
        values = (_num(target) + "%", _num(actual, 2) + "%", "%")
    elif roll < 0.63:
        kind, direction = domain.Kind.PERCENTAGE, domain.Direction.AT_LEAST
        target = rng.choice([30, 40, 50])
        actual = round(target * rng.uniform(0.8, 1.4), 2)
        name = f"Quota di procedimenti di {theme} gestiti in modalità telematica"
        values = (f">{_num(target)}%", _num(actual, 2) + "%", "%")
    elif roll < 0.66:
        kind, direction = domain.Kind.RATIO, domain.Direction.LOWER
        target = round(rng.uniform(1.5, 4.0), 2)
        actual = round(target * rng.uniform(0.8, 1.25), 2)
        name = f"Indice di incidenza dei costi di struttura ({theme})"
        values = (_num(target, 2), _num(actual, 2), "indice")
    elif roll < 0.70:
        kind, direction = domain.Kind.CURRENCY, domain.Direction.HIGHER
        target = rng.choice([50_000, 120_000, 250_000, 1_000_000])
        actual = round(target * rng.uniform(0.7, 1.15))
        name = f"Risorse erogate per i bandi di {theme}"
        values = ("€ " + _num(target), "€ " + _num(actual), "euro")
    elif roll < 0.86:
        kind, direction = domain.Kind.DEADLINE, domain.Direction.HIGHER
        deadline = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(60, 364))
        done = deadline + dt.timedelta(days=rng.randrange(-90, 30))
        name = rng.choice(
            [
                f"Rispetto del termine per l'avvio del piano di {theme}",
                f"Approvazione del programma annuale di {theme} entro la scadenza",
                f"Pubblicazione del rapporto su {theme} entro il termine",
            ]
        )
        values = (domain.format_date(deadline), domain.format_date(done), "data")
    elif roll < 0.92:
        kind, direction = domain.Kind.BOOLEAN, domain.Direction.HIGHER
        name = f"Adozione del regolamento in materia di {theme}"
        values = ("SI", "SI" if rng.random() < 0.85 else "NO", "sì/no")
    elif roll < 0.98:
        kind, direction = domain.Kind.PROJECT, domain.Direction.HIGHER
        name = f"Progetto di {theme}: stato di avanzamento"
        values = ("100%", _num(rng.choice([40, 60, 75, 80, 90, 100, 100, 100])) + "%", "%")
    else:
        kind, direction = domain.Kind.NUMBER, domain.Direction.MONITORING
        name = f"Numero di richieste di informazioni su {theme} (monitoraggio)"
        values = ("monitoraggio", _num(rng.randrange(10, 900)), "numero")
    target, actual, unit_of_measure = values
    if nv:
        actual = "NV"
    name = f"{name} #{pick:06d}"[:500]
    algorithm = f"Rilevazione dal gestionale: {unit_of_measure} per {theme}"
    return name, algorithm, kind, direction, _canonical(target), _canonical(actual), unit_of_measure


# --- Units ----------------------------------------------------------------------------------


def _units(rng: random.Random, body: Body, count: int) -> list[OrgUnit]:
    """A hierarchy: Segreteria generale > aree > servizi > uffici (plus an azienda speciale)."""
    count = max(1, count)
    areas = max(1, count // 8) if count > 1 else 0
    rest = max(0, count - 1 - areas)
    agency = 1 if rest >= 4 else 0
    services = max(0, round((rest - agency) * 0.6))
    offices = rest - agency - services
    plan = [("secretariat", "Segreteria Generale", None)]
    for i in range(areas):
        plan.append(("area", f"Area {i + 1} – {rng.choice(THEMES).capitalize()}", 0))
    for i in range(services):
        parent = 1 + i % areas
        plan.append(("service", f"{UNIT_NAMES[i % len(UNIT_NAMES)]} {i + 1}", parent))
    first_service = 1 + areas
    for i in range(offices):
        parent = first_service + i % max(1, services) if services else 0
        plan.append(("office", f"Ufficio {rng.choice(OO_OBJECTS).split()[-1]} {i + 1}", parent))
    if agency:
        plan.append(("agency", f"Azienda speciale {body.short_name or body.name}"[:200], 0))
    units = []
    for order, (kind, name, _parent) in enumerate(plan):
        units.append(
            OrgUnit(body=body, kind=kind, name=name, slug=f"u{order:05d}", order=order % 32000)
        )
    OrgUnit.objects.bulk_create(units, batch_size=BATCH)
    if units[0].pk is None:  # a database that does not return ids from bulk inserts
        units = list(OrgUnit.objects.filter(body=body).order_by("order", "id"))
    for unit, (_k, _n, parent) in zip(units, plan, strict=True):
        if parent is not None:
            unit.parent = units[parent]
    OrgUnit.objects.bulk_update([u for u in units if u.parent_id], ["parent"], batch_size=BATCH)
    return units


# --- One cycle ------------------------------------------------------------------------------


def _cycle(rng, body, year, state, size: PlanSize, units: list[OrgUnit]) -> dict[str, int]:
    cycle = Cycle.objects.create(
        body=body,
        year=year,
        state=state,
        plan_reference=(
            f"PIAO {year}-{year + 2} approvato con delibera n. {rng.randrange(1, 40)}/{year}"
        ),
    )
    perspectives = Perspective.objects.bulk_create(
        [Perspective(cycle=cycle, order=i + 1, name=name) for i, name in enumerate(PERSPECTIVES)]
    )
    strategic = []
    per_perspective: dict[int, int] = {}
    for i in range(size.strategic):
        p = i % len(perspectives)
        per_perspective[p] = per_perspective.get(p, 0) + 1
        theme = rng.choice(THEMES)
        strategic.append(
            StrategicObjective(
                cycle=cycle,
                perspective=perspectives[p],
                code=f"{p + 1}.{per_perspective[p]}",
                name=f"{rng.choice(SO_VERBS)} {theme} ({i + 1})",
                narrative=f"Nel {year} l'ente ha lavorato su {theme}.",
                order=i % 32000,
            )
        )
    strategic = bulk_create_with_history(strategic, StrategicObjective, batch_size=BATCH)
    strategic = list(StrategicObjective.objects.filter(cycle=cycle).order_by("order", "id"))

    # Leaf units answer for operational objectives; the areas and the secretariat supervise.
    leaves = [u for u in units if u.kind in ("service", "office", "agency")] or units
    operational, themes = [], []
    for i in range(size.operational):
        so = strategic[i % len(strategic)]
        theme = rng.choice(THEMES)
        themes.append(theme)
        operational.append(
            OperationalObjective(
                cycle=cycle,
                strategic_objective=so,
                name=f"{rng.choice(OO_VERBS)} {rng.choice(OO_OBJECTS)} – {theme} ({i + 1})",
                order=i,
            )
        )
    bulk_create_with_history(operational, OperationalObjective, batch_size=BATCH)
    operational = list(OperationalObjective.objects.filter(cycle=cycle).order_by("order"))
    through = OperationalObjective.units.through
    links, op_units = [], []
    for op in operational:
        # Shared between units: one in three objectives has two or three units.
        n = 1 if rng.random() < 0.66 else rng.choice([2, 3])
        chosen = rng.sample(leaves, min(n, len(leaves)))
        op_units.append(chosen)
        links.extend(through(operationalobjective_id=op.id, orgunit_id=u.id) for u in chosen)
    _insert(through, links)

    groups = CommonGroup.objects.bulk_create(
        [CommonGroup(cycle=cycle, name=name, order=i) for i, name in enumerate(COMMON_GROUPS)]
    )
    common_count = max(len(groups), round(size.indicators * 0.08))
    indicators, parents = [], []
    for i in range(size.indicators):
        if i < common_count:
            group, op_index = groups[i % len(groups)], None
            theme = group.name.lower()
        else:
            op_index = (i - common_count) % len(operational)
            group, theme = None, themes[op_index]
        name, algorithm, kind, direction, target, actual, uom = _indicator_values(rng, year, theme)
        below = domain.is_below_target(
            domain.realization(
                kind, direction, domain.parse_value(target), domain.parse_value(actual)
            )
        )
        explanation = ""
        if below and rng.random() < 0.9:
            explanation = rng.choice(
                [
                    "Scostamento dovuto alla riorganizzazione dell'ufficio nel corso dell'anno.",
                    "Ritardo nell'avvio della procedura di gara, recuperato nell'anno successivo.",
                    "Minore domanda da parte delle imprese rispetto alle previsioni.",
                ]
            )
        indicators.append(
            Indicator(
                cycle=cycle,
                operational_objective=operational[op_index] if op_index is not None else None,
                common_group=group,
                name=name,
                algorithm=algorithm,
                kind=kind,
                direction=direction,
                target=target,
                actual=actual,
                weight=Decimal(rng.choice(["1", "1", "1", "2", "0.5"])),
                unit_of_measure=uom,
                data_source=rng.choice(["Gestionale interno", "Registro Imprese", "Contabilità"]),
                explanation=explanation,
                order=i + 1,
            )
        )
        parents.append(op_index)
    _insert(Indicator, indicators)
    indicators = list(Indicator.objects.filter(cycle=cycle).order_by("order"))
    _insert_history(Indicator, indicators)
    ind_groups = {ind.id: ind.common_group_id for ind in indicators}

    # Cruscotti: 2.2 one per strategic objective, 2.3 one per group, 2.4 one per leaf unit with
    # objectives, 3 the Segretario Generale and one Dirigente per area.
    cards: list[Scorecard] = []
    for i, so in enumerate(strategic):
        cards.append(
            Scorecard(
                cycle=cycle,
                section=Scorecard.Section.STRATEGIC,
                title=f"{so.code} {so.name}"[:200],
                slug=f"obiettivo-{so.code.replace('.', '-')}",
                strategic_objective=so,
                order=i % 32000,
            )
        )
    for i, group in enumerate(groups):
        cards.append(
            Scorecard(
                cycle=cycle,
                section=Scorecard.Section.COMMON,
                title=group.name,
                slug=f"comuni-{i + 1}",
                order=i,
            )
        )
    used_units = {u.id: u for chosen in op_units for u in chosen}
    for i, unit in enumerate(u for u in units if u.id in used_units):
        cards.append(
            Scorecard(
                cycle=cycle,
                section=Scorecard.Section.UNIT,
                title=unit.name.upper()[:200],
                slug=unit.slug,
                unit=unit,
                order=i % 32000,
            )
        )
    heads = [units[0]] + [u for u in units if u.kind == "area"]
    for i, unit in enumerate(heads):
        holder = "Segretario Generale" if i == 0 else f"Dirigente {unit.name}"[:120]
        cards.append(
            Scorecard(
                cycle=cycle,
                section=Scorecard.Section.INDIVIDUAL,
                title=holder.upper()[:200],
                slug="segretario-generale" if i == 0 else f"dirigente-{unit.slug}",
                holder=holder,
                unit=unit,
                order=i,
            )
        )
    Scorecard.objects.bulk_create(cards, batch_size=BATCH)
    cards = list(Scorecard.objects.filter(cycle=cycle))
    by_so = {c.strategic_objective_id: c for c in cards if c.section == Scorecard.Section.STRATEGIC}
    by_unit = {c.unit_id: c for c in cards if c.section == Scorecard.Section.UNIT}
    by_group = {c.title: c for c in cards if c.section == Scorecard.Section.COMMON}
    individual = [c for c in cards if c.section == Scorecard.Section.INDIVIDUAL]
    group_names = {g.id: g.name for g in groups}

    rows, counters = [], {}

    def add(card, indicator_id):
        counters[card.id] = counters.get(card.id, 0) + 1
        rows.append(
            ScorecardRow(scorecard=card, indicator_id=indicator_id, order=counters[card.id])
        )

    for ind, op_index in zip(indicators, parents, strict=True):
        if op_index is None:
            add(by_group[group_names[ind_groups[ind.id]]], ind.id)
            continue
        op = operational[op_index]
        if rng.random() < 0.5:
            add(by_so[op.strategic_objective_id], ind.id)
        for unit in op_units[op_index]:
            add(by_unit[unit.id], ind.id)
        if rng.random() < 0.08:
            add(individual[0] if rng.random() < 0.5 else rng.choice(individual), ind.id)
    _insert(ScorecardRow, rows)

    _resources(rng, cycle, year)
    return {
        "strategic": len(strategic),
        "operational": len(operational),
        "indicators": len(indicators),
        "rows": len(rows),
        "scorecards": len(cards),
    }


def _resources(rng: random.Random, cycle: Cycle, year: int) -> None:
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


# --- Entry points ---------------------------------------------------------------------------


def plan_generate(
    *,
    units: int,
    indicators: int,
    years: int,
    seed: int,
    body_slug: str | None = None,
    first_year: int = 2030,
    open_last: bool = True,
) -> GeneratedPlan:
    """Build the plan in one transaction. Refuses (Italian :class:`ValidationError`) years that
    already exist: the dashboards address a year by its number alone."""
    if units < 1 or indicators < 1 or not 1 <= years <= 50:
        raise ValidationError("Servono almeno 1 unità, 1 indicatore e da 1 a 50 anni.")
    size = PlanSize(units=units, indicators=indicators, years=years)
    year_list = [first_year + i for i in range(years)]
    taken = sorted(Cycle.objects.filter(year__in=year_list).values_list("year", flat=True))
    if taken:
        raise ValidationError(
            f"Gli anni {', '.join(map(str, taken))} esistono già: scegliere un altro primo anno."
        )
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible by design
    slug = body_slug or f"ente-sintetico-{seed}"
    counts = {"units": 0, "cycles": 0, "indicators": 0, "rows": 0}
    with transaction.atomic(), unlocked():
        body = Body.objects.filter(slug=slug).first()
        if body is None:
            body = Body.objects.create(
                slug=slug,
                name=f"Camera di commercio sintetica {slug}"[:200],
                short_name=f"CCIAA sintetica {seed}"[:80],
            )
        if OrgUnit.objects.filter(body=body).exists():
            raise ValidationError(
                f"L'ente «{slug}» ha già unità organizzative: usare un ente nuovo."
            )
        unit_list = _units(rng, body, units)
        counts["units"] = len(unit_list)
        cycles = []
        for i, year in enumerate(year_list):
            last = i == len(year_list) - 1
            state = Cycle.State.MONITORING if (last and open_last) else Cycle.State.PUBLISHED
            made = _cycle(rng, body, year, state, size, unit_list)
            counts["cycles"] += 1
            counts["indicators"] += made["indicators"]
            counts["rows"] += made["rows"]
            cycles.append(Cycle.objects.get(body=body, year=year))
    return GeneratedPlan(body=body, cycles=cycles, counts=counts)


def plan_fingerprint(body: Body) -> str:
    """SHA-256 of the generated content of a body, without ids, slugs of the body or dates of
    the history: equal for two plans generated with the same seed and sizes."""
    data = {
        "units": list(
            OrgUnit.objects.filter(body=body)
            .order_by("order")
            .values_list("kind", "name", "slug", "parent__slug")
        ),
        "cycles": [],
    }
    for cycle in Cycle.objects.filter(body=body).order_by("year"):
        data["cycles"].append(
            {
                "year": cycle.year,
                "state": cycle.state,
                "strategic": list(
                    StrategicObjective.objects.filter(cycle=cycle)
                    .order_by("order")
                    .values_list("code", "name", "perspective__name")
                ),
                "operational": list(
                    OperationalObjective.objects.filter(cycle=cycle)
                    .order_by("order")
                    .values_list("name", "strategic_objective__code")
                ),
                "units": sorted(
                    OperationalObjective.units.through.objects.filter(
                        operationalobjective__cycle=cycle
                    ).values_list("operationalobjective__order", "orgunit__slug")
                ),
                "indicators": [
                    [str(v) for v in row]
                    for row in Indicator.objects.filter(cycle=cycle)
                    .order_by("order")
                    .values_list(
                        "order",
                        "name",
                        "kind",
                        "direction",
                        "target",
                        "actual",
                        "weight",
                        "explanation",
                        "operational_objective__order",
                        "common_group__name",
                    )
                ],
                "rows": sorted(
                    ScorecardRow.objects.filter(scorecard__cycle=cycle).values_list(
                        "scorecard__slug", "indicator__order", "order"
                    )
                ),
                "headcounts": sorted(
                    Headcount.objects.filter(cycle=cycle).values_list(
                        "year", "category__name", "gender", "contract", "count"
                    )
                ),
                "budget": [
                    [str(v) for v in row]
                    for row in BudgetLine.objects.filter(cycle=cycle)
                    .order_by("order")
                    .values_list("code", "forecast", "actual")
                ],
            }
        )
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
