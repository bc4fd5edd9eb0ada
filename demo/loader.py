"""Loads the demo data (the Relazione sulla Performance 2023 of the Camera di commercio di
Bergamo) from the YAML transcription in ``fixtures/<year>/``.

The transcription keeps every row as the document prints it; this loader turns it into the
model: one Indicator per real indicator (rows repeated in several cruscotti with the same
values become one indicator with several ScorecardRows), the printed % realization kept as the
*declared* one, and every printed total kept as a DeclaredFigure beside the computed value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from core.locking import unlocked  # the demo years are rebuilt even when validated
from core.models import Body, Cycle
from finance.models import BudgetLine, EconomicIntervention, FinancialRatio, Holding
from indicators import domain
from indicators.models import CommonGroup, Indicator, ScorecardRow
from objectives.models import (
    OperationalObjective,
    OrgUnit,
    Perspective,
    Scorecard,
    StrategicObjective,
    sync_unit_labels,
)
from reports.demo import narratives_load
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

from .workflow import demo_after_load

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"

BODY = {
    "name": "Camera di commercio, industria, artigianato e agricoltura di Bergamo",
    "short_name": "Camera di commercio di Bergamo",
    "slug": "cciaa-bergamo",
}

PERSPECTIVES = [
    "SVILUPPO ECONOMICO DELLE IMPRESE E DEL TERRITORIO",
    "SEMPLIFICAZIONE E INNOVAZIONE DEI PROCESSI",
    "APPRENDIMENTO E CRESCITA",
    "ECONOMICO-FINANZIARIA",
]

# The organigram of the document is an image; this hierarchy is our reading of the cruscotti
# (section 3: the Segretario Generale and one Dirigente; the Dirigente's cruscotto covers the
# registry, the front offices and market regulation). See fixtures/2023/README.md.
UNITS = [
    # slug, name, kind, parent slug, printed cruscotto title
    ("segreteria-generale", "Segreteria Generale", "secretariat", None, None),
    (
        "area-affari-generali-promozione-risorse",
        "Area Affari generali, Promozione e Risorse",
        "area",
        "segreteria-generale",
        None,
    ),
    (
        "area-anagrafe-regolazione",
        "Area Anagrafe e Regolazione del mercato",
        "area",
        "segreteria-generale",
        None,
    ),
    (
        "affari-generali",
        "Affari generali",
        "service",
        "area-affari-generali-promozione-risorse",
        "AFFARI GENERALI",
    ),
    (
        "promozione",
        "Promozione",
        "service",
        "area-affari-generali-promozione-risorse",
        "PROMOZIONE",
    ),
    (
        "comunicazione-studi",
        "Comunicazione e Studi",
        "service",
        "area-affari-generali-promozione-risorse",
        "COMUNICAZIONE E STUDI",
    ),
    (
        "registro-imprese",
        "Registro Imprese",
        "service",
        "area-anagrafe-regolazione",
        "REGISTRO IMPRESE",
    ),
    (
        "sportelli-polifunzionali",
        "Sportelli polifunzionali",
        "service",
        "area-anagrafe-regolazione",
        "SPORTELLI POLIFUNZIONALI",
    ),
    (
        "regolazione-mercato",
        "Regolazione del mercato",
        "service",
        "area-anagrafe-regolazione",
        "REGOLAZIONE DEL MERCATO",
    ),
    (
        "risorse-strumentali",
        "Risorse strumentali",
        "service",
        "area-affari-generali-promozione-risorse",
        "RISORSE STRUMENTALI",
    ),
    (
        "risorse-finanziarie",
        "Risorse finanziarie",
        "service",
        "area-affari-generali-promozione-risorse",
        "RISORSE FINANZIARIE",
    ),
    (
        "risorse-umane",
        "Risorse umane",
        "service",
        "area-affari-generali-promozione-risorse",
        "RISORSE UMANE",
    ),
    (
        "azienda-speciale",
        "Bergamo Sviluppo - Azienda Speciale",
        "agency",
        "segreteria-generale",
        "AZIENDA SPECIALE",
    ),
]

INDIVIDUAL = {
    "SEGRETARIO GENERALE": ("segretario-generale", "Segretario Generale", "segreteria-generale"),
    "DIRIGENTE": ("dirigente", "Dirigente", "area-anagrafe-regolazione"),
}

SECTION_FILES = {
    Scorecard.Section.UNIT: ["s24_a.yaml", "s24_b.yaml", "s24_c.yaml"],
    Scorecard.Section.STRATEGIC: ["s22_a.yaml", "s22_b.yaml", "s22_c.yaml"],
    Scorecard.Section.INDIVIDUAL: ["s3.yaml"],
    Scorecard.Section.COMMON: ["s23.yaml"],
}
# Sections in the order the Relazione prints them (for scorecard ordering).
SECTION_ORDER = {section: i for i, section in enumerate(Scorecard.Section)}


def _read(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _dec(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value))


def _norm(text: str) -> str:
    text = re.sub(r"\s+", " ", (text or "").strip())
    return text.replace("’", "'")


@dataclass
class _State:
    cycle: Cycle
    units: dict[str, OrgUnit] = field(default_factory=dict)
    strategic: dict[str, StrategicObjective] = field(default_factory=dict)
    operational: dict[tuple[str, str], OperationalObjective] = field(default_factory=dict)
    indicators: dict[tuple, Indicator] = field(default_factory=dict)
    placed: set[tuple[int, int]] = field(default_factory=set)  # (scorecard id, indicator id)
    order: int = 0


def demo_load(*, year: int = 2023, folder: Path | None = None) -> Cycle:
    """(Re)load the demo year. Idempotent: the year is rebuilt from the files in a transaction."""
    folder = folder or FIXTURES_DIR / str(year)

    with transaction.atomic(), unlocked():
        body, _ = Body.objects.update_or_create(slug=BODY["slug"], defaults=BODY)
        Cycle.objects.filter(body=body, year=year).delete()
        cycle = Cycle.objects.create(
            body=body,
            year=year,
            state=Cycle.State.PUBLISHED,
            plan_reference="PIAO 2023-2025 approvato con delibera n. 2/2023",
        )
        state = _State(cycle=cycle)
        _load_units(state, body)
        sync_unit_labels(cycle_ids=[cycle.pk])  # the year, built published, names its units
        _load_plan(state, folder)
        _load_context(cycle, _read(folder / "context.yaml"))
        narratives_load(cycle, folder)
        demo_after_load(cycle)  # workflow: 2023 validated and published, 2024 open
    return cycle


def _load_units(state: _State, body: Body) -> None:
    for order, (slug, name, kind, parent, _title) in enumerate(UNITS):
        unit, _ = OrgUnit.objects.update_or_create(
            body=body,
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "parent": state.units.get(parent) if parent else None,
                "order": order,
            },
        )
        state.units[slug] = unit


def _load_plan(state: _State, folder: Path) -> None:
    cycle = state.cycle
    perspectives = {
        name: Perspective.objects.create(cycle=cycle, order=i + 1, name=name)
        for i, name in enumerate(PERSPECTIVES)
    }
    narratives = folder / "narratives"
    for order, item in enumerate(_read(folder / "strategic_objectives.yaml")):
        narrative_file = narratives / f"obiettivo_{item['code']}.md"
        so = StrategicObjective.objects.create(
            cycle=cycle,
            perspective=perspectives[item["perspective"]],
            code=item["code"],
            name=_norm(item["name"]),
            narrative=narrative_file.read_text("utf-8") if narrative_file.exists() else "",
            order=order,
        )
        state.strategic[so.code] = so

    unit_titles = {title: slug for slug, _n, _k, _p, title in UNITS if title}
    scorecard_order = 0
    for section in SECTION_FILES:  # in the order of the files, not of the Relazione
        for filename in SECTION_FILES[section]:
            data = _read(folder / filename)
            assert str(data["section"]) == section, filename
            for table in data["tables"]:
                scorecard_order += 1
                scorecard = _scorecard(state, section, table["cruscotto"], unit_titles)
                scorecard.order = SECTION_ORDER[section] * 100 + scorecard_order
                scorecard.save(update_fields=["order"])
                for row_order, row in enumerate(table["rows"]):
                    _load_row(state, section, scorecard, row_order, row)


def _scorecard(state: _State, section: str, title: str, unit_titles) -> Scorecard:
    cycle = state.cycle
    title = _norm(title)
    if section == Scorecard.Section.STRATEGIC:
        so = state.strategic[title]
        return Scorecard.objects.create(
            cycle=cycle,
            section=section,
            title=f"{so.code} {so.name}",
            slug=f"obiettivo-{so.code.replace('.', '-')}",
            strategic_objective=so,
        )
    if section == Scorecard.Section.COMMON:
        order = CommonGroup.objects.filter(cycle=cycle).count()
        CommonGroup.objects.get_or_create(cycle=cycle, name=title, defaults={"order": order})
        return Scorecard.objects.create(
            cycle=cycle, section=section, title=title, slug=f"comuni-{slugify(title)[:60]}"
        )
    if section == Scorecard.Section.UNIT:
        slug = unit_titles[title]
        return Scorecard.objects.create(
            cycle=cycle, section=section, title=title, slug=slug, unit=state.units[slug]
        )
    slug, holder, unit_slug = INDIVIDUAL[title]
    return Scorecard.objects.create(
        cycle=cycle,
        section=section,
        title=title,
        slug=slug,
        holder=holder,
        unit=state.units[unit_slug],
    )


def _load_row(state: _State, section: str, scorecard: Scorecard, order: int, row: dict) -> None:
    cycle = state.cycle
    name = _norm(row["indicator"])
    target = _norm(str(row.get("target") or ""))
    actual = _norm(str(row.get("actual") or ""))
    target_value, actual_value = domain.parse_value(target), domain.parse_value(actual)
    kind = row.get("kind") or domain.infer_kind(name, target_value, actual_value)
    # Rows are one indicator when they mean the same figures: "85,60%" and "85,6%" are equal.
    same = (_identity(target_value), _identity(actual_value))
    direction = row.get("direction") or domain.infer_direction(target_value)
    if section == Scorecard.Section.COMMON:
        group = CommonGroup.objects.get(cycle=cycle, name=scorecard.title)
        key = (Scorecard.Section.COMMON, group.name, name, *same)
        parent = {"common_group": group}
    else:
        so = state.strategic[str(row["strategic_objective"])]
        op_name = _norm(row["operational_objective"])
        op = state.operational.get((so.code, op_name))
        if op is None:
            op = OperationalObjective.objects.create(
                cycle=cycle, strategic_objective=so, name=op_name, order=len(state.operational)
            )
            state.operational[(so.code, op_name)] = op
        if section == Scorecard.Section.UNIT and scorecard.unit_id:
            op.units.add(scorecard.unit)
        key = (so.code, name, *same)
        parent = {"operational_objective": op}
    indicator = state.indicators.get(key)
    if indicator is None or (scorecard.id, indicator.id) in state.placed:
        state.order += 1
        indicator = Indicator.objects.create(
            cycle=cycle,
            name=name,
            algorithm=_norm(row.get("algorithm") or ""),
            kind=kind,
            direction=direction,
            target=target,
            actual=actual,
            order=state.order,
            **parent,
        )
        state.indicators.setdefault(key, indicator)
    state.placed.add((scorecard.id, indicator.id))
    ScorecardRow.objects.create(
        scorecard=scorecard,
        indicator=indicator,
        order=order,
        declared_realization=_norm(str(row.get("realization") or "")),
        source_note=row.get("note") or "",
    )


def _identity(value: domain.Value) -> tuple:
    return (value.type, value.machine() or value.raw, value.comparator, value.percent)


# --- Context and resources ------------------------------------------------------------------


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


def _load_context(cycle: Cycle, data: dict) -> None:
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


def _load_staff(cycle: Cycle, year: int, staff: dict, gender: dict) -> None:
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
            for g, gk in ((Gender.WOMEN, "women"), (Gender.MEN, "men")):
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

    by_category = gender["by_category"]
    previous = year - 1
    for item in by_category[previous]:
        category = categories[item["category"]]
        for g, gk in ((Gender.WOMEN, "women"), (Gender.MEN, "men")):
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

    part_time = gender["part_time"]
    for y in (previous, year):
        for g, gk in ((Gender.WOMEN, "women"), (Gender.MEN, "men")):
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

    in_service = gender["staff_in_service"]
    for y in (previous, year):
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

    absences = gender["absences"]
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

    leave = gender["parental_leave"]
    for leave_type in ("paid_100", "paid_30", "unpaid"):
        for g, gk in ((Gender.WOMEN, "women"), (Gender.MEN, "men")):
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


# --- Demo accounts (only from load_demo, never from migrations) --------------------------------

DEMO_ACCOUNTS = [
    # username, first name, last name, role, unit slugs, staff, superuser
    ("pianificazione", "Paola", "Pianificazione", "planning", [], True, False),
    ("promozione", "Marco", "Promozione", "manager", ["promozione"], False, False),
    ("registro", "Rita", "Registro", "manager", ["registro-imprese"], False, False),
    ("oiv", "Olga", "Valutatrice", "oiv", [], False, False),
    ("admin", "Amministratore", "di sistema", "admin", [], True, True),
]


def demo_password(username: str, year: int = 2023) -> str:
    return f"demo-{username}-{year}"


def demo_accounts() -> list[tuple[str, str, str]]:
    """One account per role (idempotent); returns (username, password, role label)."""
    from django.contrib.auth import get_user_model

    from accounts.models import Profile, Role

    user_model = get_user_model()
    body = Body.objects.get(slug=BODY["slug"])
    created = []
    with transaction.atomic():
        for username, first, last, role, slugs, staff, superuser in DEMO_ACCOUNTS:
            user, _ = user_model.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "is_staff": staff,
                    "is_superuser": superuser,
                    "is_active": True,
                },
            )
            password = demo_password(username)
            user.set_password(password)
            user.save()
            profile, _ = Profile.objects.update_or_create(user=user, defaults={"role": role})
            profile.units.set(OrgUnit.objects.filter(body=body, slug__in=slugs))
            created.append((username, password, Role(role).label))
    return created
