"""The consistency checks (*controlli di coerenza*): pure functions over a plain snapshot.

Nothing here touches the database: :mod:`consistency.selectors` builds a :class:`YearData` from
the models in a fixed number of queries, and every rule is a function ``YearData -> findings``,
so each can be tested on a few hand-made values.

Each rule has a code (``REAL-001``), a severity, an Italian title; each finding names the
objects and the values involved, says what to do (``fix``) and has a stable ``key`` (rule +
identity of its subject) to which the planning office attaches a justification.

A root cause is reported once: a late deadline printed at 100% is ``DEAD-001``, not also a
``REAL-001`` realization mismatch; a value of the wrong type is ``KIND-*``, not also a
realization that "cannot be computed".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from functools import cached_property

from finance import domain as fin
from indicators import domain
from indicators.domain import Direction, Kind, Value, ValueType
from relazione.italian import shorten

ZERO = Decimal(0)
HUNDRED = Decimal(100)

# Cycle states (relazione.models.Cycle.State values) in which data entry is over: an indicator
# without an actual is then a gap in the Relazione, not work in progress.
PAST_DATA_ENTRY_STATES = frozenset({"closed", "submitted", "returned", "validated", "published"})
STATE_LABELS = {
    "planning": "Pianificazione",
    "monitoring": "Monitoraggio",
    "closed": "Rendicontazione chiusa",
    "submitted": "Trasmessa all'OIV",
    "returned": "Restituita dall'OIV",
    "validated": "Validata dall'OIV",
    "published": "Pubblicata",
}
GENDERS = (("F", "women", "Donne"), ("M", "men", "Uomini"))


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_LABELS = {
    Severity.ERROR: "Errore",
    Severity.WARNING: "Avviso",
    Severity.INFO: "Informazione",
}
SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


# --- Findings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectRef:
    """An object a finding is about: ``type`` is the model (``indicator``, ``declared_figure``,
    ...), ``id`` its primary key (or natural key), ``label`` what a reader recognises."""

    type: str
    id: int | str
    label: str

    def as_dict(self) -> dict:
        return {"type": self.type, "id": self.id, "label": self.label}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    subject: str  # stable identity of what is wrong: "indicator:12", "declared:holdings/X.pct"
    message: str
    fix: str
    objects: tuple[ObjectRef, ...] = ()
    values: dict[str, str] = field(default_factory=dict, hash=False)
    area: str = ""  # where the objects live: indicators, objectives, staff, finance, context

    @property
    def key(self) -> str:
        """Rule + subject: what a justification is attached to (survives a re-run)."""
        return f"{self.rule}:{self.subject}"

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "objects": [o.as_dict() for o in self.objects],
            "values": dict(self.values),
            "key": self.key,
            "fix": self.fix,
        }


def split_key(key: str) -> tuple[str, str]:
    """``"REAL-001:row:12" -> ("REAL-001", "row:12")``."""
    rule, sep, subject = key.partition(":")
    if not sep or not rule or not subject:
        raise ValueError(f"chiave di rilievo non valida: {key!r}")
    return rule, subject


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str
    description: str

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    def finding(
        self,
        subject: str,
        message: str,
        fix: str,
        objects: Iterable[ObjectRef] = (),
        values: dict[str, str] | None = None,
        area: str = "",
    ) -> Finding:
        return Finding(
            rule=self.code,
            severity=self.severity,
            subject=subject,
            message=message,
            fix=fix,
            objects=tuple(objects),
            values=dict(values or {}),
            area=area,
        )


# --- The snapshot -------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """One printed row of an indicator: the cruscotto and the % realization it declares."""

    row_id: int
    scorecard_id: int
    scorecard_title: str
    section: str
    declared_realization: str = ""

    @property
    def where(self) -> str:
        return f"«{self.scorecard_title}» (sez. {self.section})"


@dataclass(frozen=True)
class IndicatorData:
    id: int
    name: str
    kind: str
    direction: str = Direction.HIGHER
    target: str = ""
    actual: str = ""
    weight: Decimal = Decimal(1)
    explanation: str = ""
    operational_objective_id: int | None = None
    common_group_id: int | None = None
    rows: tuple[Placement, ...] = ()
    # A target changed after the plan was approved with no revision act recorded. The selector
    # fills it from the indicator history and workflow.models.TargetRevision.
    target_revised_without_record: bool = False

    @cached_property
    def target_value(self) -> Value:
        return domain.parse_value(self.target)

    @cached_property
    def actual_value(self) -> Value:
        return domain.parse_value(self.actual)

    @property
    def kind_enum(self) -> Kind:
        return Kind(self.kind)

    def ref(self) -> ObjectRef:
        return ObjectRef("indicator", self.id, self.name)

    def realization(self, missed_deadline_pct: Decimal = ZERO) -> Decimal | None:
        return domain.realization(
            self.kind,
            self.direction,
            self.target_value,
            self.actual_value,
            missed_deadline_pct=missed_deadline_pct,
        )


@dataclass(frozen=True)
class StrategicObjectiveData:
    id: int
    code: str
    name: str
    narrative: str = ""  # the text printed before its cruscotto (section 2.2)
    scorecard_id: int | None = None


@dataclass(frozen=True)
class OperationalObjectiveData:
    id: int
    name: str
    strategic_objective_id: int


@dataclass(frozen=True)
class BudgetLineData:
    id: int
    code: str
    label: str
    group: str
    parent_code: str | None
    forecast: Decimal | None
    actual: Decimal | None


@dataclass(frozen=True)
class InterventionData:
    id: int
    order: int
    label: str
    forecast: Decimal
    actual: Decimal


@dataclass(frozen=True)
class HoldingData:
    id: int
    company: str
    share_capital: Decimal
    nominal_value: Decimal


@dataclass(frozen=True)
class RatioData:
    id: int
    group: str
    label: str
    unit: str
    value: Decimal
    previous_value: Decimal | None = None


@dataclass(frozen=True)
class StaffCategoryData:
    id: int
    name: str
    establishment: int | None = None


@dataclass(frozen=True)
class HeadcountData:
    year: int
    category: str
    gender: str  # "F" / "M"
    contract: str  # "full" / "part" / "any"
    count: int


@dataclass(frozen=True)
class DeclaredData:
    """A figure as the source printed it (relazione.models.DeclaredFigure)."""

    id: int
    table: str
    key: str
    label: str = ""
    value: Decimal | None = None
    text: str = ""


@dataclass(frozen=True)
class ContextTableData:
    id: int
    key: str
    title: str
    columns: list = field(default_factory=list, hash=False)
    rows: list = field(default_factory=list, hash=False)


@dataclass(frozen=True)
class NarrativeData:
    """A narrative section of the Relazione (reports.models.Narrative)."""

    id: int
    key: str
    title: str
    body: str = ""


@dataclass
class YearData:
    """Everything the rules read about one cycle, as plain values."""

    year: int
    state: str = "monitoring"
    missed_deadline_pct: Decimal = ZERO
    bands: domain.Bands = field(default_factory=domain.Bands)
    as_of: dt.date | None = None  # "today", for deadlines that have passed
    indicators: list[IndicatorData] = field(default_factory=list)
    strategic_objectives: list[StrategicObjectiveData] = field(default_factory=list)
    operational_objectives: list[OperationalObjectiveData] = field(default_factory=list)
    budget_lines: list[BudgetLineData] = field(default_factory=list)
    interventions: list[InterventionData] = field(default_factory=list)
    holdings: list[HoldingData] = field(default_factory=list)
    ratios: list[RatioData] = field(default_factory=list)
    staff_categories: list[StaffCategoryData] = field(default_factory=list)
    headcounts: list[HeadcountData] = field(default_factory=list)
    part_time: dict[tuple[int, str], int] = field(default_factory=dict)  # (year, gender)
    fte: dict[int, Decimal] = field(default_factory=dict)  # year -> FTE
    absences: dict[tuple[int, str], int] = field(default_factory=dict)  # (year, cause) -> days
    # (year, leave type, gender) -> days
    parental_leave: dict[tuple[int, str, str], int] = field(default_factory=dict)
    declared: dict[tuple[str, str], DeclaredData] = field(default_factory=dict)
    context_tables: list[ContextTableData] = field(default_factory=list)
    narratives: list[NarrativeData] = field(default_factory=list)

    def declared_figure(self, table: str, key: str) -> DeclaredData | None:
        return self.declared.get((table, key))


# --- Formatting helpers -------------------------------------------------------------------


def _num(value: Decimal | int | None, decimals: int | None = None) -> str:
    if value is None:
        return "n.s."
    value = Decimal(value)
    if decimals is None:
        q = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        decimals = 0 if q == q.to_integral_value() else 2
    return domain.format_number(value, decimals)


def _pct(value: Decimal | None, decimals: int | None = None) -> str:
    if value is None:
        return "n.s."
    return _num(value, decimals) + "%"


def _short(text: str, limit: int = 110) -> str:
    """At most ``limit`` characters, cut between words (a name is never cut mid-word)."""
    return shorten(text, limit)


def _shown(raw: str) -> str:
    return f"«{raw}»" if raw.strip() else "(vuoto)"


def normalize_name(name: str) -> str:
    """The identity of an indicator name: case, accents form, apostrophes, punctuation and
    spacing do not count (``Progetto:Riconoscimento`` == ``Progetto: riconoscimento``)."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    return re.sub(r"[\W_]+", " ", text).strip()


def _value_identity(value: Value) -> tuple:
    """What a value *means*, so that ``85,60%`` == ``85,6%`` (Decimal compares by value)."""
    if value.type is ValueType.NUMBER:
        return (value.type, value.number)
    if value.type is ValueType.DATE:
        return (value.type, value.date)
    if value.type is ValueType.BOOLEAN:
        return (value.type, value.flag)
    if value.type in (ValueType.EMPTY, ValueType.NV, ValueType.MONITORING):
        return (value.type,)
    return (value.type, value.raw.strip().casefold())


# --- Rules ----------------------------------------------------------------------------------

REAL_001 = Rule(
    "REAL-001",
    Severity.ERROR,
    "% di realizzazione dichiarata diversa da quella calcolata",
    "La % di realizzazione stampata in un cruscotto non corrisponde a quella che risulta dal "
    "risultato atteso e dal valore ottenuto (confronto alla precisione dichiarata).",
)
DEAD_001 = Rule(
    "DEAD-001",
    Severity.ERROR,
    "Scadenza mancata dichiarata realizzata al 100%",
    "Indicatore a scadenza raggiunto dopo la data attesa ma dichiarato realizzato al 100%.",
)
DEAD_002 = Rule(
    "DEAD-002",
    Severity.WARNING,
    "Scadenza senza data di raggiungimento",
    "Indicatore a scadenza senza una data valida come valore ottenuto (non valutabile, o "
    "mancante a scadenza passata).",
)
KIND_001 = Rule(
    "KIND-001",
    Severity.ERROR,
    "Valore di tipo diverso da quello dell'indicatore",
    "Un risultato atteso o un valore ottenuto non è del tipo dell'indicatore (un numero per "
    "una scadenza, una data per un indicatore numerico, un Sì/No con un numero...).",
)
KIND_002 = Rule(
    "KIND-002",
    Severity.ERROR,
    "Avanzamento di progetto fuori dall'intervallo 0-100%",
    "Un indicatore di avanzamento di progetto riporta una percentuale negativa o oltre il 100%.",
)
KIND_003 = Rule(
    "KIND-003",
    Severity.ERROR,
    "Valore non valido",
    "Un risultato atteso o un valore ottenuto non è interpretabile (es. la data impossibile "
    "00/01/1900, tipica di una cella vuota di foglio di calcolo).",
)
KIND_004 = Rule(
    "KIND-004",
    Severity.WARNING,
    "Conteggio espresso in percentuale",
    "Il nome dell'indicatore indica un numero (conteggio) ma i valori sono percentuali.",
)
DUP_001 = Rule(
    "DUP-001",
    Severity.ERROR,
    "Stesso indicatore con valori diversi",
    "Lo stesso indicatore (stesso nome) è riportato in cruscotti o sezioni diverse con "
    "risultato atteso o valore ottenuto diversi.",
)
DUP_003 = Rule(
    "DUP-003",
    Severity.WARNING,
    "Stesso nome con valori diversi in obiettivi strategici diversi",
    "Indicatori con lo stesso nome ma valori diversi sotto obiettivi strategici (o gruppi di "
    "obiettivi comuni) diversi: possono essere indicatori distinti con un nome generico.",
)
DUP_002 = Rule(
    "DUP-002",
    Severity.WARNING,
    "Stesso indicatore con soglia scritta in modo diverso",
    "Lo stesso indicatore ha gli stessi valori ma il risultato atteso è scritto come soglia "
    "(«>40%») in un cruscotto e come valore («40%») in un altro.",
)
ARITH_001 = Rule(
    "ARITH-001",
    Severity.ERROR,
    "Totale, differenza o percentuale non corrispondente",
    "Un totale, uno scostamento o una percentuale stampati non corrispondono al calcolo dalle "
    "voci (alla precisione stampata; le percentuali intere si confrontano dopo "
    "l'arrotondamento).",
)
ARITH_002 = Rule(
    "ARITH-002",
    Severity.ERROR,
    "Stesso dato riportato due volte con valori diversi",
    "Lo stesso dato (es. personale per genere, part-time, totale interventi economici) è "
    "riportato in due tabelle con valori diversi.",
)
ARITH_003 = Rule(
    "ARITH-003",
    Severity.WARNING,
    "Stesso dato con due valori (forse due definizioni)",
    "Il documento riporta due valori per la stessa grandezza (es. FTE): può trattarsi di due "
    "definizioni diverse, da chiarire nel testo.",
)
ARITH_004 = Rule(
    "ARITH-004",
    Severity.WARNING,
    "Variazione % su una base non significativa",
    "Una variazione % è stampata dove non ha significato (preventivo nullo o di segno opposto "
    "al consuntivo).",
)
ARITH_005 = Rule(
    "ARITH-005",
    Severity.INFO,
    "Variazione % indicata «n.s.» ma calcolabile",
    "Una variazione % è indicata come non significativa ma si può calcolare.",
)
COMP_001 = Rule(
    "COMP-001",
    Severity.ERROR,
    "Indicatore senza valore ottenuto",
    "A rendicontazione chiusa ogni indicatore deve avere un valore ottenuto (o «NV» motivato).",
)
COMP_002 = Rule(
    "COMP-002",
    Severity.WARNING,
    "Scostamento senza motivazione",
    "Indicatore valutato sotto il risultato atteso (realizzazione < 100%) senza la motivazione "
    "dello scostamento.",
)
COMP_003 = Rule(
    "COMP-003",
    Severity.WARNING,
    "Obiettivo operativo senza indicatori",
    "Un obiettivo operativo non ha alcun indicatore e non può essere misurato.",
)
COMP_004 = Rule(
    "COMP-004",
    Severity.WARNING,
    "Obiettivo strategico senza obiettivi operativi",
    "Un obiettivo strategico non è declinato in alcun obiettivo operativo.",
)
COMP_005 = Rule(
    "COMP-005",
    Severity.ERROR,
    "Pesi tutti nulli",
    "Tutti gli indicatori di un obiettivo operativo hanno peso zero: l'obiettivo non può essere "
    "valutato.",
)
NARR_001 = Rule(
    "NARR-001",
    Severity.ERROR,
    "Testo che dichiara raggiunti obiettivi che i dati non danno raggiunti",
    "Un testo della Relazione afferma che tutti gli obiettivi o gli indicatori della sezione "
    "sono stati (pienamente) raggiunti, ma i risultati calcolati lo smentiscono.",
)
NARR_002 = Rule(
    "NARR-002",
    Severity.WARNING,
    "Percentuale di realizzazione citata nel testo diversa da quella calcolata",
    "Un testo della Relazione cita una percentuale di realizzazione o di raggiungimento che "
    "non corrisponde a nessuna di quelle calcolate per la sezione.",
)
REV_001 = Rule(
    "REV-001",
    Severity.ERROR,
    "Risultato atteso modificato senza revisione",
    "Il risultato atteso di un indicatore è stato cambiato senza un atto di revisione registrato.",
)

RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        REAL_001,
        DEAD_001,
        DEAD_002,
        KIND_001,
        KIND_002,
        KIND_003,
        KIND_004,
        DUP_001,
        DUP_002,
        DUP_003,
        ARITH_001,
        ARITH_002,
        ARITH_003,
        ARITH_004,
        ARITH_005,
        COMP_001,
        COMP_002,
        COMP_003,
        COMP_004,
        COMP_005,
        NARR_001,
        NARR_002,
        REV_001,
    )
}

Check = Callable[[YearData], Iterable[Finding]]
CHECKS: list[Check] = []


def check(func: Check) -> Check:
    CHECKS.append(func)
    return func


def run_rules(data: YearData, checks: Iterable[Check] | None = None) -> list[Finding]:
    """Every finding of the year: errors first, then by rule, in the document's order."""
    findings: list[Finding] = []
    for func in CHECKS if checks is None else checks:
        findings.extend(func(data))
    findings.sort(key=lambda f: (SEVERITY_RANK[f.severity], f.rule))
    return findings


# --- Indicators: shared predicates ---------------------------------------------------------

_DATE_LIKE = re.compile(r"^\d{1,2}/\d{1,2}/\d{1,4}$")
_TYPE_WORDS = {
    ValueType.NUMBER: "un numero",
    ValueType.DATE: "una data",
    ValueType.BOOLEAN: "un valore Sì/No",
}
_FIELDS = (("target", "risultato atteso"), ("actual", "valore ottenuto"))


def _field_value(ind: IndicatorData, name: str) -> Value:
    return ind.target_value if name == "target" else ind.actual_value


def _project_out_of_range(kind: Kind, value: Value) -> bool:
    return (
        kind is Kind.PROJECT
        and value.type is ValueType.NUMBER
        and not (ZERO <= value.number <= HUNDRED)
    )


def _kind_problems(ind: IndicatorData) -> list[tuple[str, str, Value, str]]:
    """(rule code, field, value, field label) for every value that does not fit the kind."""
    problems = []
    kind = ind.kind_enum
    for name, label in _FIELDS:
        value = _field_value(ind, name)
        if value.type is ValueType.INVALID:
            problems.append((KIND_003.code, name, value, label))
        elif value.is_valid and not domain.value_fits_kind(kind, value):
            code = KIND_002.code if _project_out_of_range(kind, value) else KIND_001.code
            problems.append((code, name, value, label))
    return problems


def _late_deadline(ind: IndicatorData) -> bool:
    t, a = ind.target_value, ind.actual_value
    return (
        ind.kind_enum is Kind.DEADLINE
        and t.type is ValueType.DATE
        and a.type is ValueType.DATE
        and a.date > t.date
    )


def _declares_full(placement: Placement) -> bool:
    declared = domain.parse_value(placement.declared_realization)
    return declared.type is ValueType.NUMBER and declared.number == HUNDRED


def _late_declared_full(ind: IndicatorData, missed_pct: Decimal) -> list[Placement]:
    """Rows printing 100% for a deadline met late, when the body's rule gives it less."""
    if not _late_deadline(ind):
        return []
    computed = ind.realization(missed_pct)
    if computed is not None and computed >= HUNDRED:
        return []  # the body counts late deadlines as achieved: 100% is its rule
    return [p for p in ind.rows if _declares_full(p)]


def _values_text(ind: IndicatorData) -> str:
    return f"atteso {_shown(ind.target)}, ottenuto {_shown(ind.actual)}"


def _not_valued_reason(ind: IndicatorData) -> str:
    return domain.not_valued_reason(
        ind.kind_enum, Direction(ind.direction), ind.target_value, ind.actual_value
    )


def _where(placements: Iterable[Placement]) -> str:
    return ", ".join(p.where for p in placements) or "nessun cruscotto"


# --- REAL: declared realization -------------------------------------------------------------


@check
def check_declared_realization(data: YearData) -> Iterator[Finding]:
    for ind in data.indicators:
        if _kind_problems(ind):
            continue  # KIND-*: the realization cannot be verified, said there
        computed = ind.realization(data.missed_deadline_pct)
        late_rows = {p.row_id for p in _late_declared_full(ind, data.missed_deadline_pct)}
        for row in ind.rows:
            if not row.declared_realization.strip() or row.row_id in late_rows:
                continue  # nothing declared, or DEAD-001
            declared = domain.parse_value(row.declared_realization)
            if domain.declared_matches(computed, declared):
                continue
            if computed is None:
                result = f"non è valutabile ({_not_valued_reason(ind)})"
            else:
                result = f"risulta {domain.format_pct(computed)}"
            yield REAL_001.finding(
                subject=f"row:{row.row_id}",
                message=(
                    f"Nel cruscotto {row.where} l'indicatore «{_short(ind.name)}» riporta una "
                    f"% di realizzazione di {_shown(row.declared_realization)}, ma dai valori "
                    f"({_values_text(ind)}) {result}."
                ),
                fix=(
                    "Correggere la % di realizzazione stampata nel cruscotto, oppure il "
                    "risultato atteso o il valore ottenuto se sono questi a essere errati."
                ),
                objects=[
                    ind.ref(),
                    ObjectRef("scorecard", row.scorecard_id, row.scorecard_title),
                ],
                values={
                    "declared_realization": row.declared_realization,
                    "computed_realization": domain.format_pct(computed),
                    "target": ind.target,
                    "actual": ind.actual,
                },
                area="indicators",
            )


# --- DEAD: deadlines --------------------------------------------------------------------------


@check
def check_late_deadlines(data: YearData) -> Iterator[Finding]:
    for ind in data.indicators:
        rows = _late_declared_full(ind, data.missed_deadline_pct)
        if not rows:
            continue
        t, a = ind.target_value.date, ind.actual_value.date
        computed = ind.realization(data.missed_deadline_pct)
        yield DEAD_001.finding(
            subject=f"indicator:{ind.id}",
            message=(
                f"L'indicatore a scadenza «{_short(ind.name)}» è stato raggiunto il "
                f"{domain.format_date(a)}, {(a - t).days} giorni dopo la data attesa del "
                f"{domain.format_date(t)}, ma è dichiarato realizzato al 100% in {_where(rows)}; "
                f"con la regola dell'ente (scadenza mancata = "
                f"{domain.format_pct(data.missed_deadline_pct)}) la realizzazione è "
                f"{domain.format_pct(computed)}."
            ),
            fix=(
                f"Riportare la realizzazione calcolata ({domain.format_pct(computed)}) e motivare "
                "il ritardo; se il termine era stato spostato, registrare la revisione formale "
                "della scadenza."
            ),
            objects=[ind.ref()]
            + [ObjectRef("scorecard", p.scorecard_id, p.scorecard_title) for p in rows],
            values={
                "target": ind.target,
                "actual": ind.actual,
                "days_late": str((a - t).days),
                "declared_realization": "100%",
                "computed_realization": domain.format_pct(computed),
            },
            area="indicators",
        )


@check
def check_deadline_without_date(data: YearData) -> Iterator[Finding]:
    for ind in data.indicators:
        if ind.kind_enum is not Kind.DEADLINE:
            continue
        a, t = ind.actual_value, ind.target_value
        if a.type is ValueType.NV or a.type is ValueType.MONITORING:
            reason = f"il valore ottenuto è {_shown(ind.actual)}"
        elif a.type is ValueType.EMPTY:
            if data.state in PAST_DATA_ENTRY_STATES:
                continue  # COMP-001 reports the missing actual
            if not (t.type is ValueType.DATE and data.as_of and t.date < data.as_of):
                continue  # the deadline has not passed yet
            reason = f"la scadenza del {domain.format_date(t.date)} è passata senza data"
        else:
            continue  # a date (fine) or a value of another type (KIND-*)
        yield DEAD_002.finding(
            subject=f"indicator:{ind.id}",
            message=(
                f"L'indicatore a scadenza «{_short(ind.name)}» non ha una data di "
                f"raggiungimento valida: {reason}."
            ),
            fix=(
                "Inserire la data in cui il risultato è stato raggiunto, oppure motivare perché "
                "l'indicatore non è valutabile."
            ),
            objects=[ind.ref()],
            values={"target": ind.target, "actual": ind.actual},
            area="indicators",
        )


# --- KIND: values that do not fit the indicator's kind --------------------------------------


@check
def check_value_kinds(data: YearData) -> Iterator[Finding]:
    for ind in data.indicators:
        kind_label = domain.KIND_LABELS[ind.kind_enum]
        declared = sorted({p.declared_realization for p in ind.rows if p.declared_realization})
        unverifiable = (
            f" La % di realizzazione dichiarata ({', '.join(declared)}) non è verificabile."
            if declared
            else ""
        )
        by_rule: dict[str, list[tuple[str, Value, str]]] = defaultdict(list)
        for code, name, value, label in _kind_problems(ind):
            by_rule[code].append((name, value, label))
        for code, problems in by_rule.items():
            parts = []
            for _name, value, label in problems:
                if code == KIND_003.code:
                    what = " (data impossibile)" if _DATE_LIKE.match(value.raw) else ""
                    parts.append(f"il {label} {_shown(value.raw)} non è un valore valido{what}")
                elif code == KIND_002.code:
                    parts.append(
                        f"il {label} {_shown(value.raw)} è fuori dall'intervallo 0-100% di un "
                        "avanzamento di progetto"
                    )
                else:
                    parts.append(f"il {label} {_shown(value.raw)} è {_TYPE_WORDS[value.type]}")
            fix = {
                KIND_001.code: (
                    "Correggere il valore oppure il tipo dell'indicatore (es. «Scadenza (data)» "
                    "se il risultato è una data, «Numero» se è un conteggio)."
                ),
                KIND_002.code: "Riportare l'avanzamento del progetto come percentuale tra 0 e 100.",
                KIND_003.code: (
                    "Sostituire il valore con un dato valido, oppure indicare «NV» con la "
                    "motivazione se il dato non è disponibile."
                ),
            }[code]
            yield RULES[code].finding(
                subject=f"indicator:{ind.id}",
                message=(
                    f"L'indicatore «{_short(ind.name)}» è di tipo «{kind_label}» "
                    f"({_values_text(ind)}), ma {' e '.join(parts)}.{unverifiable}"
                ),
                fix=fix,
                objects=[ind.ref()],
                values={
                    "kind": kind_label,
                    "target": ind.target,
                    "actual": ind.actual,
                    **({"declared_realization": ", ".join(declared)} if declared else {}),
                },
                area="indicators",
            )


_COUNT_WORDS = re.compile(r"\b(numero|n\.)\s", re.IGNORECASE)
_RATIO_WORDS = re.compile(
    r"[/|%]|\b(percentuale|rapporto|tasso|grado|quota|incidenza|indice)\b", re.IGNORECASE
)


@check
def check_count_as_percentage(data: YearData) -> Iterator[Finding]:
    for ind in data.indicators:
        match = _COUNT_WORDS.search(ind.name)
        if not match or _RATIO_WORDS.search(ind.name):
            continue
        if not (ind.target_value.percent or ind.actual_value.percent):
            continue
        yield KIND_004.finding(
            subject=f"indicator:{ind.id}",
            message=(
                f"Il nome dell'indicatore «{_short(ind.name)}» indica un conteggio "
                f"(«{match.group(1)}») ma i valori sono percentuali ({_values_text(ind)})."
            ),
            fix=(
                "Verificare l'unità di misura: riportare il conteggio, oppure rinominare "
                "l'indicatore come percentuale indicandone numeratore e denominatore."
            ),
            objects=[ind.ref()],
            values={"target": ind.target, "actual": ind.actual},
            area="indicators",
        )


# --- DUP: the same indicator printed with different values ----------------------------------


def _family(ind: IndicatorData, strategic_of: dict[int, int]) -> tuple:
    """The strategic objective (or common group) an indicator measures."""
    if ind.common_group_id is not None:
        return ("group", ind.common_group_id)
    return ("strategic", strategic_of.get(ind.operational_objective_id))


@check
def check_duplicates(data: YearData) -> Iterator[Finding]:
    strategic_of = {op.id: op.strategic_objective_id for op in data.operational_objectives}
    groups: dict[str, list[IndicatorData]] = defaultdict(list)
    for ind in data.indicators:
        groups[normalize_name(ind.name)].append(ind)
    for items in groups.values():
        if len(items) < 2:
            continue
        variants: dict[tuple, list[IndicatorData]] = defaultdict(list)
        for ind in items:
            t, a = ind.target_value, ind.actual_value
            key = (_value_identity(t), t.comparator, _value_identity(a), a.comparator)
            variants[key].append(ind)
        if len(variants) < 2:
            continue  # printed in several places with the same figures (85,60% == 85,6%)
        meanings = {(k[0], k[2]) for k in variants}
        families = {_family(ind, strategic_of) for ind in items}
        if len(meanings) == 1:
            rule = DUP_002
        elif len(families) == 1:
            rule = DUP_001
        else:
            rule = DUP_003
        ids = sorted(ind.id for ind in items)
        described = []
        for inds in variants.values():
            first = inds[0]
            places = _where(p for ind in inds for p in ind.rows)
            described.append(f"{_values_text(first)} in {places}")
        name = _short(items[0].name)
        if rule is DUP_003:
            message = (
                f"Più indicatori si chiamano «{name}» in obiettivi strategici diversi, con valori "
                f"diversi: {'; '.join(described)}."
            )
            fix = (
                "Se sono indicatori distinti, dare loro un nome che li distingua; se sono lo "
                "stesso indicatore, uniformare i valori e l'obiettivo a cui è collegato."
            )
        elif rule is DUP_002:
            message = (
                f"L'indicatore «{name}» ha gli stessi valori ovunque, ma il risultato atteso è "
                f"scritto in modo diverso: {'; '.join(described)}."
            )
            fix = (
                "Uniformare la scrittura del risultato atteso (soglia o valore) in ogni cruscotto."
            )
        else:
            message = (
                f"L'indicatore «{name}» è riportato con valori diversi: {'; '.join(described)}."
            )
            fix = (
                "Verificare quale sia il dato corretto e uniformarlo in tutti i cruscotti; se "
                "sono due misure diverse, dare loro nomi diversi."
            )
        values = {}
        for n, inds in enumerate(variants.values(), start=1):
            values[f"variant_{n}"] = (
                f"atteso {inds[0].target or '-'}, ottenuto {inds[0].actual or '-'}: "
                + ", ".join(f"{p.section} {p.scorecard_title}" for ind in inds for p in ind.rows)
            )
        yield rule.finding(
            subject="indicators:" + ",".join(str(i) for i in ids),
            message=message,
            fix=fix,
            objects=[ind.ref() for ind in sorted(items, key=lambda i: i.id)],
            values=values,
            area="indicators",
        )


# --- COMP: completeness ------------------------------------------------------------------------


@check
def check_missing_actual(data: YearData) -> Iterator[Finding]:
    if data.state not in PAST_DATA_ENTRY_STATES:
        return
    for ind in data.indicators:
        if ind.actual_value.type is not ValueType.EMPTY:
            continue
        yield COMP_001.finding(
            subject=f"indicator:{ind.id}",
            message=(
                f"L'indicatore «{_short(ind.name)}» non ha un valore ottenuto, ma il ciclo è in "
                f"stato «{STATE_LABELS.get(data.state, data.state)}» (inserimento dati chiuso)."
            ),
            fix="Inserire il valore ottenuto, oppure «NV» con la motivazione dello scostamento.",
            objects=[ind.ref()],
            values={"target": ind.target, "actual": ""},
            area="indicators",
        )


@check
def check_unexplained_gap(data: YearData) -> Iterator[Finding]:
    for ind in data.indicators:
        if _kind_problems(ind) or ind.explanation.strip():
            continue
        computed = ind.realization(data.missed_deadline_pct)
        if not domain.is_below_target(computed):
            continue
        yield COMP_002.finding(
            subject=f"indicator:{ind.id}",
            message=(
                f"L'indicatore «{_short(ind.name)}» è sotto il risultato atteso (realizzazione "
                f"{domain.format_pct(computed)}: {_values_text(ind)}) ma non ha la motivazione "
                "dello scostamento."
            ),
            fix="Inserire la motivazione dello scostamento, obbligatoria sotto il 100%.",
            objects=[ind.ref()],
            values={
                "target": ind.target,
                "actual": ind.actual,
                "computed_realization": domain.format_pct(computed),
            },
            area="indicators",
        )


@check
def check_objectives_without_indicators(data: YearData) -> Iterator[Finding]:
    with_indicators = {i.operational_objective_id for i in data.indicators}
    codes = {s.id: s.code for s in data.strategic_objectives}
    for op in data.operational_objectives:
        if op.id in with_indicators:
            continue
        code = codes.get(op.strategic_objective_id, "?")
        yield COMP_003.finding(
            subject=f"operational_objective:{op.id}",
            message=(
                f"L'obiettivo operativo «{_short(op.name)}» (obiettivo strategico {code}) non ha "
                "indicatori."
            ),
            fix=(
                "Associare almeno un indicatore all'obiettivo; se è lo stesso obiettivo scritto "
                "con un nome diverso in un altro cruscotto, unificare i due nomi."
            ),
            objects=[ObjectRef("operational_objective", op.id, op.name)],
            values={"strategic_objective": code},
            area="objectives",
        )


@check
def check_strategic_without_operational(data: YearData) -> Iterator[Finding]:
    with_children = {op.strategic_objective_id for op in data.operational_objectives}
    for so in data.strategic_objectives:
        if so.id in with_children:
            continue
        yield COMP_004.finding(
            subject=f"strategic_objective:{so.id}",
            message=(
                f"L'obiettivo strategico {so.code} «{_short(so.name)}» non ha obiettivi operativi."
            ),
            fix="Declinare l'obiettivo strategico in almeno un obiettivo operativo con indicatori.",
            objects=[ObjectRef("strategic_objective", so.id, f"{so.code} {so.name}")],
            values={"code": so.code},
            area="objectives",
        )


@check
def check_zero_weights(data: YearData) -> Iterator[Finding]:
    weights: dict[int, list[Decimal]] = defaultdict(list)
    for ind in data.indicators:
        if ind.operational_objective_id is not None:
            weights[ind.operational_objective_id].append(Decimal(ind.weight or 0))
    for op in data.operational_objectives:
        ws = weights.get(op.id)
        if not ws or any(w > 0 for w in ws):
            continue
        yield COMP_005.finding(
            subject=f"operational_objective:{op.id}",
            message=(
                f"Tutti i {len(ws)} indicatori dell'obiettivo operativo «{_short(op.name)}» hanno "
                "peso zero: la realizzazione dell'obiettivo non può essere calcolata."
            ),
            fix="Assegnare un peso maggiore di zero ad almeno un indicatore dell'obiettivo.",
            objects=[ObjectRef("operational_objective", op.id, op.name)],
            values={"indicators": str(len(ws))},
            area="objectives",
        )


# --- REV: revisions ---------------------------------------------------------------------------


@check
def check_unrecorded_revisions(data: YearData) -> Iterator[Finding]:
    for ind in data.indicators:
        if not ind.target_revised_without_record:
            continue
        yield REV_001.finding(
            subject=f"indicator:{ind.id}",
            message=(
                f"Il risultato atteso dell'indicatore «{_short(ind.name)}» ({_shown(ind.target)}) "
                "è diverso da quello del piano approvato e non c'è un atto di revisione registrato."
            ),
            fix=(
                "Registrare la revisione del risultato atteso con l'atto che l'ha approvata, "
                "oppure ripristinare il valore del piano."
            ),
            objects=[ind.ref()],
            values={"target": ind.target},
            area="indicators",
        )


# --- ARITH: totals, differences, percentages ------------------------------------------------

TABLE_LABELS = {
    "staff": "Personale per area e genere",
    "gender.by_category": "Bilancio di genere, personale per area",
    "gender.part_time": "Bilancio di genere, personale a tempo parziale",
    "gender.part_time_narrative": "Bilancio di genere, testo sul tempo parziale",
    "gender.in_service": "Bilancio di genere, personale in servizio",
    "gender.absences": "Bilancio di genere, giorni di assenza",
    "gender.parental_leave": "Bilancio di genere, congedi parentali",
    "conto_economico": "Conto economico",
    "interventi_economici": "Iniziative di promozione economica",
    "holdings": "Portafoglio partecipazioni",
}
TABLE_AREAS = {
    "conto_economico": "finance",
    "interventi_economici": "finance",
    "holdings": "finance",
}
NOT_SIGNIFICANT = {"n.s.", "n.s", "ns", "n.s.%", "non significativo"}
LEAVE_LABELS = {
    "paid_100": "congedo retribuito al 100%",
    "paid_30": "congedo retribuito al 30%",
    "unpaid": "congedo non retribuito",
}
CAUSE_LABELS = {
    "sickness": "malattia",
    "injury": "infortunio",
    "parental": "congedo parentale",
    "other": "altre cause",
}


def table_label(table: str, data: YearData | None = None) -> str:
    if table in TABLE_LABELS:
        return TABLE_LABELS[table]
    if table.startswith("economy.") and data is not None:
        key = table.removeprefix("economy.")
        for t in data.context_tables:
            if t.key == key:
                return t.title
    return table


def table_area(table: str) -> str:
    if table.startswith("economy."):
        return "context"
    return TABLE_AREAS.get(table, "staff")


@dataclass(frozen=True)
class DeclaredNumber:
    number: Decimal | None
    decimals: int
    not_significant: bool = False
    percent: bool = False


def declared_number(fig: DeclaredData) -> DeclaredNumber | None:
    """The number a declared figure states, at its printed precision; None if unreadable."""
    text = (fig.text or "").strip()
    if text.casefold() in NOT_SIGNIFICANT:
        return DeclaredNumber(None, 0, not_significant=True)
    parsed = domain.parse_value(text)
    if parsed.type is ValueType.NUMBER and not parsed.comparator:
        return DeclaredNumber(parsed.number, parsed.decimals, percent=parsed.percent)
    if fig.value is not None:
        exponent = fig.value.normalize().as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
        return DeclaredNumber(fig.value, decimals)
    try:  # machine text ("87.34", "-0.5") as written by an import
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    exponent = number.as_tuple().exponent
    return DeclaredNumber(number, max(0, -exponent) if isinstance(exponent, int) else 0)


def same_at(computed: Decimal, declared: DeclaredNumber) -> bool:
    quantum = Decimal(1).scaleb(-declared.decimals)
    return computed.quantize(quantum, rounding=ROUND_HALF_UP) == declared.number.quantize(
        quantum, rounding=ROUND_HALF_UP
    )


def declared_text(fig: DeclaredData, number: DeclaredNumber) -> str:
    if number.not_significant:
        return "n.s."
    text = (fig.text or "").strip()
    parsed = domain.parse_value(text)
    if parsed.type is ValueType.NUMBER:
        return domain.format_value(parsed)
    return _num(number.number, number.decimals) + ("%" if number.percent else "")


@dataclass(frozen=True)
class Expectation:
    """A declared figure and the value computed for it from the detail data."""

    table: str
    key: str
    what: str  # Italian description of the figure
    computed: Decimal | None
    how: str  # how it was computed, with the figures ("67 + 22")
    kind: str = "sum"  # sum | pct | variation
    percent: bool = False
    forecast: Decimal | None = None  # for variations: the base
    actual: Decimal | None = None
    # A declared value that is not a DeclaredFigure of its own (a cell of a Totale row).
    declared: DeclaredData | None = None


def _sum_text(parts: Iterable[Decimal | int]) -> str:
    return " + ".join(_num(Decimal(p)) for p in parts).replace("+ -", "- ")


def _share(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    return fin.share_pct(Decimal(part), Decimal(whole))


class _Staff:
    """Sums of the headcounts of a snapshot."""

    def __init__(self, data: YearData):
        self.rows = data.headcounts
        self.years = {h.year for h in data.headcounts}

    def count(self, year, category=None, gender=None, contracts=None) -> int | None:
        if year not in self.years:
            return None
        return sum(
            h.count
            for h in self.rows
            if h.year == year
            and (category is None or h.category == category)
            and (gender is None or h.gender == gender)
            and (contracts is None or h.contract in contracts)
        )

    def parts(self, year, categories, gender=None, contracts=None) -> list[int]:
        return [self.count(year, c, gender, contracts) or 0 for c in categories]


def _staff_expectations(data: YearData) -> Iterator[Expectation]:
    y, prev = data.year, data.year - 1
    staff = _Staff(data)
    cats = [c.name for c in data.staff_categories]
    if staff.count(y) is not None:
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
        if establishments and None not in establishments:
            yield Expectation(
                "staff",
                "totale.dotazione",
                "dotazione organica totale",
                Decimal(sum(establishments)),
                _sum_text(establishments),
            )
        columns = [
            ("full_time_women", "tempo pieno, donne", "F", {"full"}),
            ("full_time_men", "tempo pieno, uomini", "M", {"full"}),
            ("part_time_women", "tempo parziale, donne", "F", {"part"}),
            ("part_time_men", "tempo parziale, uomini", "M", {"part"}),
            ("women", "donne", "F", None),
            ("men", "uomini", "M", None),
            ("all", "tutto il personale", None, None),
        ]
        for key, label, g, contracts in columns:
            parts = staff.parts(y, cats, g, contracts)
            yield Expectation(
                "staff",
                f"totale.{key}",
                f"totale {label} al 31/12/{y}",
                Decimal(sum(parts)),
                "somma delle aree: " + _sum_text(parts),
            )

    # Gender tables: staff by area of the previous year, totals of both years.
    table = "gender.by_category"
    if staff.count(prev) is not None:
        for c in cats:
            w, m = staff.count(prev, c, "F"), staff.count(prev, c, "M")
            yield Expectation(
                table, f"{prev}.{c}.all", f"{c}, totale {prev}", Decimal(w + m), f"{w} + {m}"
            )
    for c in cats:
        w = data.declared_figure(table, f"{y}.{c}.women")
        m = data.declared_figure(table, f"{y}.{c}.men")
        if w and m and w.value is not None and m.value is not None:
            yield Expectation(
                table,
                f"{y}.{c}.declared_total",
                f"{c}, totale {y}",
                w.value + m.value,
                f"{_num(w.value)} + {_num(m.value)}",
            )
    for year in (prev, y):
        if staff.count(year) is None:
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

    # Part-time.
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

    # Staff in service: the total of the printed row, and the shares.
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

    # Absences and parental leave.
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


def _budget_expectations(data: YearData) -> Iterator[Expectation]:
    table = "conto_economico"
    lines = [
        fin.Line(b.code, b.label, b.group, b.forecast, b.actual, parent=b.parent_code)
        for b in data.budget_lines
    ]
    top = fin.build_tree(lines)
    for line in lines:
        f, a = line.total_forecast, line.total_actual
        if line.children:
            for key, value in (("preventivo", f), ("consuntivo", a)):
                parts = [
                    c.total_forecast if key == "preventivo" else c.total_actual
                    for c in line.children
                ]
                yield Expectation(
                    table,
                    f"{line.code}.{key}",
                    f"{line.code}) {line.label}, {key}",
                    value,
                    "somma delle sottovoci: " + _sum_text(parts),
                )
        yield Expectation(
            table,
            f"{line.code}.scostamento",
            f"{line.code}) {line.label}, scostamento",
            line.difference,
            f"consuntivo {_num(a)} - preventivo {_num(f)}",
        )
        yield Expectation(
            table,
            f"{line.code}.variation",
            f"{line.code}) {line.label}, variazione %",
            line.variation,
            f"({_num(a)} - {_num(f)}) / {_num(abs(f))} × 100",
            kind="variation",
            percent=True,
            forecast=f,
            actual=a,
        )
    if lines:
        for key, total in fin.conto_economico_totals(top).items():
            f, a = total.forecast, total.actual
            for field_name, value, how in (
                ("preventivo", f, "dalle voci del conto economico"),
                ("consuntivo", a, "dalle voci del conto economico"),
                ("scostamento", total.difference, f"{_num(a)} - {_num(f)}"),
            ):
                yield Expectation(
                    table, f"{key}.{field_name}", f"{total.label}, {field_name}", value, how
                )
            yield Expectation(
                table,
                f"{key}.variation",
                f"{total.label}, variazione %",
                total.variation,
                f"({_num(a)} - {_num(f)}) / {_num(abs(f))} × 100",
                kind="variation",
                percent=True,
                forecast=f,
                actual=a,
            )

    table = "interventi_economici"
    for item in data.interventions:
        yield Expectation(
            table,
            f"{item.order}.scostamento",
            f"{item.label}, scostamento",
            item.actual - item.forecast,
            f"costi {_num(item.actual)} - previsione {_num(item.forecast)}",
        )
    if data.interventions:
        for key, attr in (("preventivo", "forecast"), ("consuntivo", "actual")):
            parts = [getattr(i, attr) for i in data.interventions]
            yield Expectation(
                table,
                f"totale.{key}",
                f"TOTALE, {key}",
                sum(parts, ZERO),
                "somma delle linee di intervento",
            )
        diff = [i.actual - i.forecast for i in data.interventions]
        yield Expectation(
            table,
            "totale.scostamento",
            "TOTALE, scostamento",
            sum(diff, ZERO),
            "somma degli scostamenti",
        )

    for h in data.holdings:
        yield Expectation(
            "holdings",
            f"{h.company}.pct",
            f"{h.company}, % di partecipazione",
            _share(h.nominal_value, h.share_capital),
            f"{_num(h.nominal_value)} / {_num(h.share_capital)} × 100",
            kind="pct",
            percent=True,
        )


def _context_expectations(data: YearData) -> Iterator[Expectation]:
    """The Totale row of a context table (sum of each column, except % columns)."""
    for table in data.context_tables:
        fig = data.declared_figure(f"economy.{table.key}", "total_row")
        if fig is None:
            continue
        cells = [c.strip() for c in (fig.text or "").split("|")]
        for j, cell in enumerate(cells[1:], start=1):
            header = str(table.columns[j]) if j < len(table.columns) else str(j)
            if "%" in header or "tasso" in header.casefold():
                continue
            try:
                declared = Decimal(cell)
                column = [Decimal(str(row[j])) for row in table.rows]
            except (InvalidOperation, ValueError, IndexError, TypeError):
                continue
            yield Expectation(
                f"economy.{table.key}",
                f"total_row.{j}",
                f"riga Totale, colonna «{header}»",
                sum(column, ZERO),
                "somma della colonna",
                declared=DeclaredData(
                    fig.id, fig.table, f"total_row.{j}", fig.label, declared, cell
                ),
            )


def expectations(data: YearData) -> list[Expectation]:
    """Every declared figure the app can recompute, with the computed value."""
    return [
        *_staff_expectations(data),
        *_budget_expectations(data),
        *_context_expectations(data),
    ]


def _declared_for(data: YearData, exp: Expectation) -> DeclaredData | None:
    return exp.declared or data.declared_figure(exp.table, exp.key)


def _declared_ref(fig: DeclaredData, exp: Expectation, data: YearData) -> ObjectRef:
    return ObjectRef("declared_figure", fig.id, f"{table_label(exp.table, data)}: {exp.what}")


def comparisons(data: YearData) -> Iterator[tuple[Expectation, DeclaredData, DeclaredNumber]]:
    for exp in expectations(data):
        fig = _declared_for(data, exp)
        if fig is None:
            continue
        number = declared_number(fig)
        if number is None:
            continue
        yield exp, fig, number


def computed_text(exp: Expectation) -> str:
    return (_pct if exp.percent else _num)(exp.computed)


def arithmetic_mismatches(
    data: YearData,
) -> Iterator[tuple[Expectation, DeclaredData, DeclaredNumber]]:
    """Declared figures that their parts contradict: ARITH-001, and the corrections the app
    prints (consistency.corrections)."""
    for exp, fig, number in comparisons(data):
        if number.not_significant or exp.computed is None:
            continue  # ARITH-004 / ARITH-005
        if not same_at(exp.computed, number):
            yield exp, fig, number


@check
def check_declared_arithmetic(data: YearData) -> Iterator[Finding]:
    for exp, fig, number in arithmetic_mismatches(data):
        declared = declared_text(fig, number)
        computed = computed_text(exp)
        yield ARITH_001.finding(
            subject=f"declared:{exp.table}/{exp.key}",
            message=(
                f"{table_label(exp.table, data)}, {exp.what}: dichiarato {declared}, ma risulta "
                f"{computed} ({exp.how})."
            ),
            fix=(
                "Correggere il dato stampato, oppure la voce di dettaglio errata da cui è "
                "calcolato."
            ),
            objects=[_declared_ref(fig, exp, data)],
            values={"declared": declared, "computed": computed, "computation": exp.how},
            area=table_area(exp.table),
        )


@check
def check_variation_significance(data: YearData) -> Iterator[Finding]:
    for exp, fig, number in comparisons(data):
        if exp.kind != "variation":
            continue
        subject = f"declared:{exp.table}/{exp.key}"
        f, a = exp.forecast, exp.actual
        if exp.computed is None and not number.not_significant:
            declared = declared_text(fig, number)
            if f == 0:
                reason = "il preventivo è zero"
                raw = ""
            else:
                reason = "preventivo e consuntivo hanno segno opposto"
                raw_value = ((a - f) / abs(f) * HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP)
                sign = "+" if raw_value > 0 else ""
                raw = (
                    "; calcolata sul valore assoluto del preventivo sarebbe "
                    f"{sign}{_pct(raw_value)}, non {declared}"
                )
            yield ARITH_004.finding(
                subject=subject,
                message=(
                    f"{table_label(exp.table, data)}, {exp.what}: stampata {declared}, ma "
                    f"{reason} (preventivo {_num(f)}, consuntivo {_num(a)}) e la variazione % "
                    f"non è significativa{raw}."
                ),
                fix="Indicare «n.s.» e commentare nel testo lo scostamento in valore assoluto.",
                objects=[_declared_ref(fig, exp, data)],
                values={
                    "declared": declared,
                    "computed": "n.s.",
                    "forecast": _num(f),
                    "actual_amount": _num(a),
                },
                area=table_area(exp.table),
            )
        elif exp.computed is not None and number.not_significant:
            computed = _pct(exp.computed)
            yield ARITH_005.finding(
                subject=subject,
                message=(
                    f"{table_label(exp.table, data)}, {exp.what}: indicata «n.s.», ma è "
                    f"calcolabile: {computed} ({exp.how})."
                ),
                fix=(
                    "Riportare la variazione calcolata, o spiegare nel testo perché non è "
                    "significativa."
                ),
                objects=[_declared_ref(fig, exp, data)],
                values={"declared": "n.s.", "computed": computed},
                area=table_area(exp.table),
            )


CrossPair = tuple[str, str, str, Decimal, str, Decimal, list, str]


def _cross_pairs(data: YearData) -> Iterator[CrossPair]:
    """(subject, what, label a, value a, label b, value b, objects, area) of each figure the
    document gives twice."""
    y, prev = data.year, data.year - 1
    staff = _Staff(data)
    cats = [c.name for c in data.staff_categories]
    staff_label = f"la tabella del personale per area e genere al 31/12/{y}"

    def fig_ref(fig: DeclaredData, what: str) -> ObjectRef:
        return ObjectRef("declared_figure", fig.id, f"{table_label(fig.table)}: {what}")

    # The 2023 split by area of the gender table repeats the staff table.
    if staff.count(y) is not None:
        for c in cats:
            for g, gk, glabel in GENDERS:
                fig = data.declared_figure("gender.by_category", f"{y}.{c}.{gk}")
                if fig is None or fig.value is None:
                    continue
                what = f"{c}, {glabel.lower()} {y}"
                yield (
                    f"declared:gender.by_category/{y}.{c}.{gk}",
                    what,
                    "il bilancio di genere (personale per area)",
                    fig.value,
                    staff_label,
                    Decimal(staff.count(y, c, g)),
                    [fig_ref(fig, what)],
                    "staff",
                )
    # Staff in service by gender vs the headcounts of the same year.
    for year in (prev, y):
        if staff.count(year) is None:
            continue
        source = staff_label if year == y else f"la tabella per area {year}"
        for g, gk, glabel in GENDERS:
            fig = data.declared_figure("gender.in_service", f"{year}.{gk}")
            if fig is None or fig.value is None:
                continue
            what = f"personale in servizio {year}, {glabel.lower()}"
            yield (
                f"declared:gender.in_service/{year}.{gk}",
                what,
                "la tabella del personale in servizio",
                fig.value,
                source,
                Decimal(staff.count(year, gender=g)),
                [fig_ref(fig, what)],
                "staff",
            )
        # ... and its total vs the total of the table by area.
        total = data.declared_figure("gender.in_service", f"{year}.totale")
        by_area = data.declared_figure("gender.by_category", f"{year}.totale.all")
        if total and by_area and total.value is not None and by_area.value is not None:
            what = f"personale in servizio {year}, totale"
            yield (
                f"declared:gender.in_service/{year}.totale",
                what,
                "la tabella del personale in servizio",
                total.value,
                "la tabella del personale per area",
                by_area.value,
                [fig_ref(total, what), fig_ref(by_area, f"totale {year}")],
                "staff",
            )
    # Part-time by gender: gender table vs the staff table.
    if staff.count(y) is not None:
        for g, gk, glabel in GENDERS:
            pt = data.part_time.get((y, g))
            if pt is None:
                continue
            yield (
                f"part_time:{y}.{gk}",
                f"personale a tempo parziale {y}, {glabel.lower()}",
                "il bilancio di genere (tempo parziale)",
                Decimal(pt),
                staff_label,
                Decimal(staff.count(y, gender=g, contracts={"part"})),
                [ObjectRef("part_time_count", f"{y}.{g}", f"Tempo parziale {y}, {glabel}")],
                "staff",
            )
    w, m = data.part_time.get((y, "F")), data.part_time.get((y, "M"))
    fig = data.declared_figure("gender.part_time_narrative", "declared_count")
    if fig and fig.value is not None and w is not None and m is not None:
        what = f"personale a tempo parziale {y}"
        yield (
            "declared:gender.part_time_narrative/declared_count",
            what,
            "il testo del bilancio di genere",
            fig.value,
            "la tabella del tempo parziale",
            Decimal(w + m),
            [fig_ref(fig, what)],
            "staff",
        )
    # The total of the interventi economici is line 8 of the conto economico.
    line = next(
        (
            b
            for b in data.budget_lines
            if normalize_name(b.label) == "interventi economici" and b.forecast is not None
        ),
        None,
    )
    if line and data.interventions:
        for key, attr, label in (
            ("preventivo", "forecast", "previsione"),
            ("consuntivo", "actual", "costi"),
        ):
            total = sum((getattr(i, attr) for i in data.interventions), ZERO)
            yield (
                f"interventions:totale.{key}",
                f"interventi economici, {label}",
                "la tabella delle iniziative di promozione economica",
                total,
                f"il conto economico (voce {line.code})",
                getattr(line, attr),
                [ObjectRef("budget_line", line.id, f"{line.code}) {line.label}")],
                "finance",
            )


@check
def check_figures_given_twice(data: YearData) -> Iterator[Finding]:
    for subject, what, label_a, a, label_b, b, objects, area in _cross_pairs(data):
        if a == b:
            continue
        yield ARITH_002.finding(
            subject=subject,
            message=(
                f"{what[:1].upper()}{what[1:]}: {label_a} riporta {_num(a)}, {label_b} {_num(b)}."
            ),
            fix="Verificare quale dei due valori è corretto e correggere l'altro.",
            objects=objects,
            values={"first": _num(a), "second": _num(b)},
            area=area,
        )


@check
def check_fte(data: YearData) -> Iterator[Finding]:
    for ratio in data.ratios:
        if "full time equivalent" not in ratio.label.casefold():
            continue
        for year, value in ((data.year, ratio.value), (data.year - 1, ratio.previous_value)):
            fte = data.fte.get(year)
            if fte is None or value is None:
                continue
            if fte.quantize(Decimal("0.01")) == Decimal(value).quantize(Decimal("0.01")):
                continue
            yield ARITH_003.finding(
                subject=f"fte:{year}",
                message=(
                    f"FTE {year}: la sezione sul personale riporta {_num(fte, 2)}, la tabella "
                    f"degli indici di bilancio {_num(Decimal(value), 2)} («{ratio.label}», "
                    f"{ratio.group}). "
                    "Possono essere due definizioni diverse (es. al 31/12 o media dell'anno)."
                ),
                fix=(
                    "Chiarire nel testo la definizione di ciascun valore, oppure uniformarli se "
                    "indicano la stessa grandezza."
                ),
                objects=[
                    ObjectRef("workforce", year, f"Indice FTE {year}"),
                    ObjectRef("financial_ratio", ratio.id, ratio.label),
                ],
                values={"staff_section": _num(fte, 2), "ratios_table": _num(Decimal(value), 2)},
                area="staff",
            )


# --- NARR: the narrative against the computed results -----------------------------------------

# The cruscotti each narrative speaks about (reports.models.NarrativeKey -> section).
NARRATIVE_SECTIONS = {
    "mappa_strategica": "2.2",
    "obiettivi_comuni": "2.3",
    "obiettivi_operativi": "2.4",
    "obiettivi_individuali": "3",
}
_ACHIEVED_WORDS = r"(?:raggiunt[oaie]|conseguit[oaie]|realizzat[oaie])"
_FULL_WORDS = r"(?:pienamente|interamente|completamente|totalmente|integralmente|al 100\s?%)"
_ALL_OF = re.compile(
    r"\btutt[ie]\s+(?:gli|i|le)\s+(?:\w+\s+){0,3}?(?P<noun>obiettivi|indicatori|target|risultati)"
    r"\b(?P<rest>[^.;:!?]*)",
    re.IGNORECASE,
)
_FULL = re.compile(rf"{_FULL_WORDS}\s+{_ACHIEVED_WORDS}|{_ACHIEVED_WORDS}\s+{_FULL_WORDS}", re.I)
_ACHIEVED = re.compile(rf"\b{_ACHIEVED_WORDS}\b", re.IGNORECASE)
_PCT_CONTEXT = re.compile(
    r"realizzazion|raggiungiment|conseguiment|performance|grado di|complessiv", re.IGNORECASE
)
_PERCENT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d+)?)\s?%")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


@dataclass(frozen=True)
class Claim:
    """A statement of a narrative about the section's results."""

    sentence: str
    kind: str  # "full" (all at 100%), "achieved" (all in the achieved band), "percent"
    noun: str = "indicatori"  # what is claimed: indicatori | obiettivi
    percent: Value | None = None


def narrative_claims(text: str) -> list[Claim]:
    """The claims of full achievement («tutti gli indicatori sono stati pienamente raggiunti»,
    «tutti gli obiettivi risultano raggiunti», «pienamente raggiunti») and the percentages of
    achievement a text cites. Pure: the Italian phrasings are read sentence by sentence."""
    claims: list[Claim] = []
    for sentence in _SENTENCE.split(text or ""):
        sentence = " ".join(sentence.split())
        if not sentence:
            continue
        all_of = _ALL_OF.search(sentence)
        full = _FULL.search(sentence)
        noun = "indicatori"
        if all_of and all_of["noun"].casefold() == "obiettivi":
            noun = "obiettivi"
        if full:
            claims.append(Claim(sentence, "full", noun))
        elif all_of and _ACHIEVED.search(sentence):
            claims.append(Claim(sentence, "achieved", noun))
        if _PCT_CONTEXT.search(sentence):
            for match in _PERCENT.finditer(sentence):
                value = domain.parse_value(match[1] + "%")
                if not (full and value.number == HUNDRED):
                    claims.append(Claim(sentence, "percent", noun, value))
    return claims


@dataclass(frozen=True)
class _Item:
    label: str
    realization: Decimal | None


def _section_items(data: YearData, section: str) -> tuple[list[_Item], list[_Item]]:
    """The indicators printed in a section (once each) and its cruscotti, with their realization
    (a cruscotto: the weighted mean of its rows, as indicators.rollup.summarize)."""
    indicators: dict[int, _Item] = {}
    cards: dict[int, list[tuple[Decimal | None, Decimal]]] = defaultdict(list)
    titles: dict[int, str] = {}
    for ind in data.indicators:
        value = ind.realization(data.missed_deadline_pct)
        for row in ind.rows:
            if row.section != section:
                continue
            where = f"«{_short(ind.name, 80)}» (cruscotto «{row.scorecard_title}»)"
            indicators.setdefault(ind.id, _Item(where, value))
            cards[row.scorecard_id].append((value, ind.weight))
            titles[row.scorecard_id] = row.scorecard_title
    scorecards = [_Item(f"«{titles[k]}»", domain.weighted_mean(v)) for k, v in cards.items()]
    return list(indicators.values()), scorecards


def _short_of(items: list[_Item], kind: str, bands: domain.Bands) -> list[_Item]:
    if kind == "full":
        return [i for i in items if i.realization is not None and i.realization < HUNDRED]
    return [
        i
        for i in items
        if bands.band(i.realization) in (domain.Band.PARTIAL, domain.Band.NOT_ACHIEVED)
    ]


def _narrative_ref(n: NarrativeData) -> ObjectRef:
    return ObjectRef("narrative", n.key, n.title)  # the key names the text's page


@check
def check_narrative_claims(data: YearData) -> Iterator[Finding]:
    for narrative in data.narratives:
        section = NARRATIVE_SECTIONS.get(narrative.key)
        if section is None:
            continue
        indicators, scorecards = _section_items(data, section)
        if not indicators:
            continue
        computed = {i.realization for i in scorecards} | {
            domain.weighted_mean((i.realization, Decimal(1)) for i in scorecards)
        }
        for claim in narrative_claims(narrative.body):
            if claim.kind == "percent":
                if any(
                    c is not None and domain.declared_matches(c, claim.percent) for c in computed
                ):
                    continue
                cited = domain.format_value(claim.percent)
                yield NARR_002.finding(
                    subject=f"narrative:{narrative.key}:{cited}",
                    message=(
                        f"Il testo «{narrative.title}» cita {cited} («{_short(claim.sentence)}»),"
                        " ma nessuna realizzazione calcolata della sezione vale tanto: "
                        + ", ".join(
                            f"{i.label} {domain.format_pct(i.realization)}" for i in scorecards
                        )
                        + "."
                    ),
                    fix="Citare la percentuale calcolata, oppure correggere i dati.",
                    objects=[_narrative_ref(narrative)],
                    values={"cited": cited, "sentence": claim.sentence},
                    area="narratives",
                )
                continue
            items = scorecards if claim.noun == "obiettivi" else indicators
            finding = _contradicted(
                claim,
                items,
                data.bands,
                subject=f"narrative:{narrative.key}",
                title=narrative.title,
                scope=f"della sezione {section}",
                ref=_narrative_ref(narrative),
                nouns=_CARDS if claim.noun == "obiettivi" else _INDICATORS,
            )
            if finding is None:
                continue
            yield finding
            break  # one finding per narrative: the first claim the data contradict


_INDICATORS = ("indicatore", "indicatori")
_CARDS = ("cruscotto", "cruscotti")


def _contradicted(
    claim: Claim,
    items: list[_Item],
    bands: domain.Bands,
    *,
    subject: str,
    title: str,
    scope: str,
    ref: ObjectRef,
    nouns: tuple[str, str],
) -> Finding | None:
    """NARR-001 for a claim of full achievement that some of ``items`` contradict."""
    short = _short_of(items, claim.kind, bands)
    if not short:
        return None
    one = len(short) == 1
    level = "al 100%" if claim.kind == "full" else ("raggiunto" if one else "raggiunti")
    listed = "; ".join(f"{i.label} {domain.format_pct(i.realization)}" for i in short)
    noun = nouns[0] if one else nouns[1]
    verb = "non è" if one else "non sono"
    return NARR_001.finding(
        subject=subject,
        message=(
            f"Il testo «{title}» afferma «{_short(claim.sentence, 160)}», ma "
            f"{len(short)} {noun} su {len(items)} {scope} {verb} {level} secondo i dati: "
            f"{listed}."
        ),
        fix=(
            "Riscrivere la frase sui risultati partendo dal paragrafo generato dai dati "
            "(proposto nella pagina del testo), oppure correggere i dati se sono errati."
        ),
        objects=[ref],
        values={"sentence": claim.sentence, "short_of": str(len(short))},
        area="narratives",
    )


@check
def check_objective_narrative_claims(data: YearData) -> Iterator[Finding]:
    """NARR-001 for the text of a strategic objective against the indicators of its cruscotto
    (section 2.2). Only claims of full achievement: these texts describe activities and cite
    many percentages that are not realizations."""
    for so in data.strategic_objectives:
        if so.scorecard_id is None or not so.narrative.strip():
            continue
        items = [
            _Item(f"«{_short(ind.name, 80)}»", ind.realization(data.missed_deadline_pct))
            for ind in data.indicators
            if any(row.scorecard_id == so.scorecard_id for row in ind.rows)
        ]
        for claim in narrative_claims(so.narrative):
            if claim.kind == "percent":
                continue
            finding = _contradicted(
                claim,
                items,
                data.bands,
                subject=f"objective:{so.code}",
                title=f"{so.code} {so.name}",
                scope=f"del cruscotto dell'obiettivo {so.code}",
                ref=ObjectRef("strategic_objective", so.id, f"{so.code} {so.name}"),
                nouns=_INDICATORS,
            )
            if finding is not None:
                yield finding
                break
