"""A verifiable snapshot of a year's data: a canonical JSON serialization (sorted keys, no
spaces, natural keys instead of database ids, decimals as fixed-point text) and its SHA-256.

Stored at validation; ``manage.py verify_snapshot --year N`` rebuilds it from the current
data and reports, in Italian, what differs.

It covers what the year shows as the year shows it: the thresholds and the missed-deadline rule
of the cycle (not the body's current defaults), the units' names and codes of the year
(``objectives.CycleUnit``), the OIV's checklist as answered. Version 2 added the units' names,
the body's name, the checklist and the cruscotti's strategic objectives; a snapshot stored in
version 1 is rebuilt in version 1 (the same sections, the units by their code of the year, the
thresholds of the cycle, filled by the migration from the body's, i.e. the values it was
computed with), so it stays verifiable for what it covers; ``verify_snapshot`` says that it
does not cover the rest. Version 3 added the body's scoring method of the year and the weights
(perspectives, objectives, rows of the cruscotti) and the indicators' threshold rule; a version-2
snapshot is rebuilt in version 2. Version 4 added the triennial plan of each indicator (its
baseline with the year, the targets for N+1 and N+2); a version-3 snapshot is rebuilt in
version 3. Version 5 added the plan's depth as the year shows it (which perspective and which
operational objectives are implicit, i.e. levels the body's plan does not have), the
indicators' common code and the names the year gives the three levels; a version-4 snapshot is
rebuilt in version 4.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from core.models import Cycle
from finance.models import BudgetLine, EconomicIntervention, FinancialRatio, Holding
from indicators.models import CommonGroup, Indicator, ScorecardRow
from narratives.models import Narrative
from objectives.models import (
    CycleUnit,
    OperationalObjective,
    Perspective,
    Scorecard,
    StrategicObjective,
)
from resources.models import ContextTable, DeclaredFigure
from staff import models as staff_models

from .models import ChecklistAnswer

SNAPSHOT_VERSION = 5
VERSIONS = (1, 2, 3, 4, 5)
# What a snapshot of an older version does not cover (said by verify_snapshot).
NOT_IN_VERSION_5 = (
    "livelli impliciti del piano (prospettiva e obiettivi operativi non previsti dall'ente), "
    "codice comune degli indicatori, nomi dei livelli del piano nell'anno"
)
NOT_IN_VERSION_4 = (
    "valore di partenza degli indicatori e risultati attesi degli anni successivi del piano, "
    + NOT_IN_VERSION_5
)
NOT_IN_VERSION_3 = (
    "metodo di valutazione dell'ente nell'anno, pesi di prospettive, obiettivi e righe dei "
    "cruscotti, regola della soglia degli indicatori, " + NOT_IN_VERSION_4
)
NOT_IN_VERSION_1 = (
    "denominazione dell'ente, nomi e ordine delle unità organizzative nell'anno, lista di verifica "
    "dell'OIV, obiettivo strategico dei cruscotti, " + NOT_IN_VERSION_3
)


def not_covered(version: int) -> str:
    """What a snapshot stored in ``version`` does not hold: what the later versions added (a
    version-3 snapshot holds the weights it added; nothing is missing from the current one)."""
    later = {1: NOT_IN_VERSION_1, 2: NOT_IN_VERSION_3, 3: NOT_IN_VERSION_4, 4: NOT_IN_VERSION_5}
    return later.get(max(version, 1), "")


def _since_5(version: int, **values) -> dict:
    """The keys version 5 added (the implicit levels, the common code, the levels' names)."""
    return values if version >= 5 else {}


def _since_4(version: int, **values) -> dict:
    """The keys version 4 added (the triennial plan of an indicator)."""
    return values if version >= 4 else {}


def _since_3(version: int, **values) -> dict:
    """The keys version 3 added (the body's scoring method and the weights)."""
    return values if version >= 3 else {}


def _dec(value: Decimal | None) -> str | None:
    """Fixed-point text without trailing zeros, whatever the scale it was read with."""
    return None if value is None else format(Decimal(value).normalize(), "f")


def _indicator_key(ind: Indicator) -> str:
    return f"{ind.order:05d} {ind.name}"


def build_snapshot(cycle: Cycle, version: int = SNAPSHOT_VERSION) -> dict:
    """The year's data as plain JSON values, in the canonical form ``version``. A fixed number
    of queries."""
    if version not in VERSIONS:
        raise ValueError(f"Versione dell'istantanea sconosciuta: {version!r}.")
    body = cycle.body
    labels = {
        label.unit_id: label for label in CycleUnit.objects.filter(cycle=cycle).order_by("slug")
    }
    indicators = list(
        Indicator.objects.filter(cycle=cycle)
        .select_related("operational_objective__strategic_objective", "common_group")
        .order_by("order", "id")
    )
    keys = {ind.id: _indicator_key(ind) for ind in indicators}
    operational = list(
        OperationalObjective.objects.filter(cycle=cycle)
        .select_related("strategic_objective")
        .prefetch_related("units")
        .order_by("strategic_objective__code", "order", "id")
    )

    def unit_code(unit_id):
        # A unit the year has no label for (none, unless tampered with) shows as such.
        label = labels.get(unit_id)
        return label.slug if label else f"(unità {unit_id} senza nome nell'anno)"

    data = {
        "versione": version,
        "ciclo": {
            "ente": body.slug,
            "anno": cycle.year,
            "atto_del_piano": cycle.plan_reference,
            "soglia_raggiunto": _dec(cycle.band_achieved_from),
            "soglia_parziale": _dec(cycle.band_partial_from),
            "scadenza_mancata_pct": _dec(cycle.missed_deadline_pct),
            **_since_3(version, metodo_di_valutazione=cycle.scoring_method),
            **_since_5(version, nomi_dei_livelli=cycle.levels),
        },
        "prospettive": [
            {
                "ordine": p.order,
                "nome": p.name,
                **_since_3(version, peso=_dec(p.weight)),
                **_since_5(version, implicita=p.implicit),
            }
            for p in Perspective.objects.filter(cycle=cycle).order_by("order")
        ],
        "obiettivi_strategici": [
            {
                "chiave": so.code,
                "nome": so.name,
                "prospettiva": so.perspective.name,
                "descrizione": so.narrative,
                "ordine": so.order,
                **_since_3(version, peso=_dec(so.weight)),
            }
            for so in StrategicObjective.objects.filter(cycle=cycle)
            .select_related("perspective")
            .order_by("code")
        ],
        "obiettivi_operativi": [
            {
                "chiave": f"{op.strategic_objective.code} {op.name}",
                "ordine": op.order,
                "unita": sorted(unit_code(u.id) for u in op.units.all()),
                **_since_3(version, peso=_dec(op.weight)),
                **_since_5(version, implicito=op.implicit),
            }
            for op in operational
        ],
        "gruppi_comuni": [
            {"chiave": g.name, "ordine": g.order}
            for g in CommonGroup.objects.filter(cycle=cycle).order_by("order", "name")
        ],
        "indicatori": [
            {
                "chiave": keys[ind.id],
                "obiettivo": (
                    f"{ind.operational_objective.strategic_objective.code} "
                    f"{ind.operational_objective.name}"
                    if ind.operational_objective_id
                    else f"comuni: {ind.common_group.name}"
                ),
                "algoritmo": ind.algorithm,
                "tipo": ind.kind,
                "polarita": ind.direction,
                "risultato_atteso": ind.target,
                "valore_ottenuto": ind.actual,
                "peso": _dec(ind.weight),
                "unita_di_misura": ind.unit_of_measure,
                "fonte": ind.data_source,
                "note": ind.notes,
                "motivazione_scostamento": ind.explanation,
                **_since_3(version, regola_soglia=ind.threshold_rule),
                **_since_4(
                    version,
                    valore_di_partenza=ind.baseline,
                    anno_valore_di_partenza=ind.baseline_year,
                    risultato_atteso_n1=ind.target_n1,
                    risultato_atteso_n2=ind.target_n2,
                ),
                **_since_5(version, codice_comune=ind.common_code),
            }
            for ind in indicators
        ],
        "cruscotti": [
            {
                "chiave": sc.slug,
                "sezione": sc.section,
                "titolo": sc.title,
                "ordine": sc.order,
                "titolare": sc.holder,
                "unita": unit_code(sc.unit_id) if sc.unit_id else None,
                **(
                    {"obiettivo_strategico": sc.strategic_objective.code}
                    if version >= 2 and sc.strategic_objective_id
                    else {}
                ),
            }
            for sc in Scorecard.objects.filter(cycle=cycle)
            .select_related("strategic_objective")
            .order_by("slug")
        ],
        "righe_cruscotti": [
            {
                "chiave": f"{row.scorecard.slug} {keys.get(row.indicator_id)}",
                "ordine": row.order,
                "realizzazione_dichiarata": row.declared_realization,
                "nota": row.source_note,
                **_since_3(version, peso=_dec(row.weight)),
            }
            for row in ScorecardRow.objects.filter(scorecard__cycle=cycle)
            .select_related("scorecard")
            .order_by("scorecard__slug", "order", "id")
        ],
        "conto_economico": [
            {
                "chiave": line.code,
                "sezione": line.group,
                "descrizione": line.label,
                "preventivo": _dec(line.forecast),
                "consuntivo": _dec(line.actual),
                "ordine": line.order,
            }
            for line in BudgetLine.objects.filter(cycle=cycle).order_by("code")
        ],
        "interventi_economici": [
            {"chiave": i.label, "previsione": _dec(i.forecast), "costi": _dec(i.actual)}
            for i in EconomicIntervention.objects.filter(cycle=cycle).order_by("label")
        ],
        "indici_di_bilancio": [
            {
                "chiave": f"{r.group} {r.label}",
                "unita": r.unit,
                "valore": _dec(r.value),
                "valore_precedente": _dec(r.previous_value),
            }
            for r in FinancialRatio.objects.filter(cycle=cycle).order_by("group", "label")
        ],
        "partecipazioni": [
            {
                "chiave": h.company,
                "capitale_sociale": _dec(h.share_capital),
                "valore_nominale": _dec(h.nominal_value),
            }
            for h in Holding.objects.filter(cycle=cycle).order_by("company")
        ],
        "valori_dichiarati": [
            {
                "chiave": f"{d.table}/{d.key}",
                "descrizione": d.label,
                "valore": _dec(d.value),
                "testo": d.text,
                "fonte": d.source,
            }
            for d in DeclaredFigure.objects.filter(cycle=cycle).order_by("table", "key")
        ],
        "tabelle_di_contesto": [
            {
                "chiave": t.key,
                "titolo": t.title,
                "fonte": t.source,
                "colonne": t.columns,
                "righe": t.rows,
            }
            for t in ContextTable.objects.filter(cycle=cycle).order_by("key")
        ],
    }
    data.update(_staff(cycle))
    data["testi"] = _narratives(cycle)
    if version >= 2:
        data["ciclo"]["ente_denominazione"] = cycle.body_name
        data["unita"] = [
            {"chiave": label.slug, "nome": label.name, "ordine": label.order}
            for label in labels.values()
        ]
        data["lista_di_verifica"] = _checklist(cycle)
    return data


def _checklist(cycle: Cycle) -> list[dict]:
    return [
        {"chiave": a.text, "verificato": a.checked, "nota": a.note}
        for a in ChecklistAnswer.objects.filter(cycle=cycle).order_by("text")
    ]


def _staff(cycle: Cycle) -> dict:
    s = staff_models
    return {
        "personale_aree": [
            {
                "chiave": c.name,
                "dotazione": c.establishment,
                "nota": c.establishment_note,
                "ordine": c.order,
            }
            for c in s.StaffCategory.objects.filter(cycle=cycle).order_by("name")
        ],
        "personale_consistenze": [
            {"chiave": f"{h.year} {h.category.name} {h.gender} {h.contract}", "dipendenti": h.count}
            for h in s.Headcount.objects.filter(cycle=cycle)
            .select_related("category")
            .order_by("year", "category__name", "gender", "contract")
        ],
        "personale_tempo_parziale": [
            {"chiave": f"{p.year} {p.gender}", "dipendenti": p.count}
            for p in s.PartTimeCount.objects.filter(cycle=cycle).order_by("year", "gender")
        ],
        "personale_fte": [
            {"chiave": str(w.year), "fte": _dec(w.fte)}
            for w in s.WorkforceSummary.objects.filter(cycle=cycle).order_by("year")
        ],
        "personale_assenze": [
            {"chiave": f"{a.year} {a.cause}", "giorni": a.days}
            for a in s.Absence.objects.filter(cycle=cycle).order_by("year", "cause")
        ],
        "personale_congedi": [
            {"chiave": f"{p.year} {p.leave_type} {p.gender}", "giorni": p.days}
            for p in s.ParentalLeave.objects.filter(cycle=cycle).order_by(
                "year", "leave_type", "gender"
            )
        ],
        "personale_lavoro_agile": [
            {
                "chiave": str(w.year),
                "dipendenti": w.employees,
                "giornate": w.days_total,
                "giornate_settimana": _dec(w.days_per_week),
                "dipendenti_31_12": w.employees_at_year_end,
            }
            for w in s.SmartWorking.objects.filter(cycle=cycle).order_by("year")
        ],
    }


def _narratives(cycle: Cycle) -> list[dict]:
    return [
        {"chiave": n.key, "titolo": n.title, "testo": n.body}
        for n in Narrative.objects.filter(cycle=cycle).order_by("key")
    ]


def canonical(data: dict) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def take(cycle: Cycle, version: int = SNAPSHOT_VERSION) -> tuple[str, str]:
    """(canonical JSON, SHA-256) of the year as it is now, in the form ``version``."""
    text = canonical(build_snapshot(cycle, version))
    return text, digest(text)


def version_of(stored: dict) -> int:
    return stored.get("versione", 1)


# --- Differences (pure) ------------------------------------------------------------------

SECTION_LABELS = {
    "ciclo": "Ciclo",
    "prospettive": "Prospettive",
    "obiettivi_strategici": "Obiettivi strategici",
    "obiettivi_operativi": "Obiettivi operativi",
    "gruppi_comuni": "Gruppi di obiettivi comuni",
    "indicatori": "Indicatori",
    "cruscotti": "Cruscotti",
    "righe_cruscotti": "Righe dei cruscotti",
    "conto_economico": "Conto economico",
    "interventi_economici": "Interventi economici",
    "indici_di_bilancio": "Indici di bilancio",
    "partecipazioni": "Partecipazioni",
    "valori_dichiarati": "Valori dichiarati",
    "tabelle_di_contesto": "Tabelle di contesto",
    "testi": "Testi della Relazione",
    "unita": "Unità organizzative nell'anno",
    "lista_di_verifica": "Lista di verifica dell'OIV",
}


def _keyed(items: list) -> dict:
    out = {}
    for i, item in enumerate(items):
        key = item.get("chiave", item.get("ordine", i)) if isinstance(item, dict) else i
        out[str(key)] = item
    return out


def differences(validated: dict, current: dict) -> list[str]:
    """Italian lines, one per difference, stable order. Empty when the data match."""
    lines: list[str] = []
    for section in sorted(set(validated) | set(current)):
        label = SECTION_LABELS.get(section, section.replace("_", " ").capitalize())
        old, new = validated.get(section), current.get(section)
        if isinstance(old, list) and isinstance(new, list):
            old_k, new_k = _keyed(old), _keyed(new)
            for key in sorted(set(old_k) | set(new_k)):
                if key not in new_k:
                    lines.append(f"{label} · «{key}»: eliminato dopo la validazione.")
                elif key not in old_k:
                    lines.append(f"{label} · «{key}»: aggiunto dopo la validazione.")
                elif old_k[key] != new_k[key]:
                    lines.extend(
                        f"{label} · «{key}» · {field}: validato {a!r}, ora {b!r}."
                        for field, a, b in _field_diffs(old_k[key], new_k[key])
                    )
        elif isinstance(old, dict) and isinstance(new, dict):
            lines.extend(
                f"{label} · {field}: validato {a!r}, ora {b!r}."
                for field, a, b in _field_diffs(old, new)
            )
        elif old != new:
            lines.append(f"{label}: validato {old!r}, ora {new!r}.")
    return lines


def _field_diffs(old, new) -> list[tuple[str, object, object]]:
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return [("valore", old, new)]
    return [
        (field, old.get(field), new.get(field))
        for field in sorted(set(old) | set(new))
        if old.get(field) != new.get(field)
    ]


def build_from_text(validation) -> dict:
    return json.loads(validation.snapshot)
