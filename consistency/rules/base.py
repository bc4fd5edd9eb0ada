"""What every rule shares: severities, findings, the rule registry (``declare``, ``check``,
``run_rules``) and the snapshot of a cycle (:class:`YearData`), as plain values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Any, NamedTuple, Protocol

from core import machine  # pure
from core.scoring_method import DEFAULT_SCALE, ScaleLevel
from indicators import domain
from indicators.domain import Direction, Kind, Value

ZERO = Decimal(0)
HUNDRED = Decimal(100)

# Cycle states in which data entry is over: an indicator without an actual is then a gap in
# the Relazione, not work in progress.
PAST_DATA_ENTRY_STATES = frozenset(
    {machine.CLOSED, machine.SUBMITTED, machine.RETURNED, machine.VALIDATED, machine.PUBLISHED}
)
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

    def as_dict(self) -> dict[str, object]:
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

    def as_dict(self) -> dict[str, object]:
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


class Placement(NamedTuple):
    """One printed row of an indicator: the cruscotto and the % realization it declares. A
    named tuple, immutable like the rest of the snapshot and built in a third of a frozen
    dataclass's time: a large year has tens of thousands of rows."""

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
    # fills it from the indicator history and indicators.models.TargetRevision.
    target_revised_without_record: bool = False
    # The % realization and band stored on the indicator (None: not read, as in hand-made data).
    stored_figures: tuple[Decimal | None, str] | None = None
    # The year's scoring method as it applies to this indicator (core.scoring_method): its
    # thresholds scored proportionally, and the body's qualitative scale.
    proportional: bool = False
    scale: tuple[ScaleLevel, ...] = DEFAULT_SCALE

    @classmethod
    def of_values(cls, values: tuple[Any, ...]) -> IndicatorData:
        """From every field's value in order, without the frozen ``__init__``'s one
        ``object.__setattr__`` per field (a third of a large year's snapshot): the selector
        gives them all."""
        data = object.__new__(cls)
        state = data.__dict__
        state.update(zip(INDICATOR_DATA_FIELDS, values, strict=True))
        # What every full run reads of every indicator, set now rather than through the cached
        # properties' descriptors (the same values: the properties find them set). Parsing is
        # cheap (domain.parse_value remembers its texts); the descriptors cost three times
        # more, even to a run that takes the findings from its memo (rules.incremental). A kind
        # given as the enum's member is its own kind_enum (a text goes through the property).
        state["target_value"] = domain.parse_value(state["target"])
        state["actual_value"] = domain.parse_value(state["actual"])
        if type(state["kind"]) is Kind:
            state["kind_enum"] = state["kind"]
        state["memo"], state["_realizations"] = {}, {}
        return data

    @cached_property
    def target_value(self) -> Value:
        return domain.parse_value(self.target)

    @cached_property
    def actual_value(self) -> Value:
        return domain.parse_value(self.actual)

    @cached_property
    def kind_enum(self) -> Kind:
        return Kind(self.kind)

    def ref(self) -> ObjectRef:
        return ObjectRef("indicator", self.id, self.name)

    @cached_property
    def memo(self) -> dict[str, Any]:
        """What several rules derive from the indicator (its kind problems), computed once by
        the first that asks. Only what follows from the indicator's own fields, never from its
        year or the day: a later snapshot reuses an indicator whose rows are unchanged, with
        what it holds (consistency.selectors.year_data_snapshot)."""
        return {}

    @cached_property
    def _realizations(self) -> dict[Decimal, Decimal | None]:
        # By missed-deadline % (several rules, and runs, ask for the same figure): the rest of
        # what the figure depends on are the indicator's fields.
        return {}

    def realization(self, missed_deadline_pct: Decimal = ZERO) -> Decimal | None:
        if missed_deadline_pct not in self._realizations:
            self._realizations[missed_deadline_pct] = domain.realization(
                self.kind,
                self.direction,
                self.target_value,
                self.actual_value,
                missed_deadline_pct=missed_deadline_pct,
                proportional=self.proportional,
                scale=self.scale,
            )
        return self._realizations[missed_deadline_pct]


INDICATOR_DATA_FIELDS = tuple(f.name for f in fields(IndicatorData))


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
    # The pass-through of a strategic objective whose indicators hang on it directly: not a
    # level the body has, so a finding speaks of the strategic objective instead.
    implicit: bool = False


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
    """A figure as the source printed it (resources.models.DeclaredFigure)."""

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
    columns: list[object] = field(default_factory=list, hash=False)  # JSON, as stored
    rows: list[list[object]] = field(default_factory=list, hash=False)


@dataclass(frozen=True)
class NarrativeData:
    """A narrative section of the Relazione (narratives.models.Narrative)."""

    id: int
    key: str
    title: str
    body: str = ""


@dataclass
class YearData:
    """Everything the rules read about one cycle, as plain values."""

    year: int
    state: str = machine.MONITORING
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

    @property
    def settings(self) -> YearSettings:
        return YearSettings(self.year, self.state, self.missed_deadline_pct, self.bands, self.as_of)


@dataclass(frozen=True)
class YearSettings:
    """All a per-indicator check may read of its year besides the indicator (the same names as
    :class:`YearData`'s): what the incremental run (:mod:`.incremental`) keys its memo on."""

    year: int
    state: str
    missed_deadline_pct: Decimal
    bands: domain.Bands
    as_of: dt.date | None


# --- The registry ---------------------------------------------------------------------------

# Every rule by code: each module of the package declares its rules next to their checks, and
# importing the package (consistency/rules/__init__.py) declares them all.
RULES: dict[str, Rule] = {}


def declare(code: str, severity: Severity, title: str, description: str) -> Rule:
    """Declare a rule: it joins :data:`RULES` (a code declared twice is a programming error)."""
    if code in RULES:
        raise ValueError(f"regola di coerenza dichiarata due volte: {code}")
    RULES[code] = declared = Rule(code, severity, title, description)
    return declared


Check = Callable[[YearData], Iterable[Finding]]
CHECKS: list[Check] = []
# A check of one indicator at a time: a pure function of the indicator and the year's settings,
# nothing else of the year (it is given no YearData), so that its findings can be reused while
# both are unchanged (consistency.rules.incremental).
IndicatorCheck = Callable[[YearSettings, IndicatorData], Iterable[Finding]]
INDICATOR_CHECKS: dict[Check, IndicatorCheck] = {}


def check(func: Check) -> Check:
    CHECKS.append(func)
    return func


def indicator_check(func: IndicatorCheck) -> Check:
    """Register a per-indicator check; returns the check of the whole year (every indicator in
    the document's order), which runs in :data:`CHECKS` under the same name."""

    def whole_year(data: YearData) -> Iterator[Finding]:
        settings = data.settings
        for ind in data.indicators:
            yield from func(settings, ind)

    whole_year.__name__ = whole_year.__qualname__ = func.__name__
    whole_year.__doc__ = func.__doc__
    INDICATOR_CHECKS[whole_year] = func
    return check(whole_year)


class IndicatorFindings(Protocol):
    """What evaluates the per-indicator checks of a run (:mod:`.incremental`): for each check
    of ``checks``, its findings over the indicators of ``data``, in their order."""

    def __call__(
        self, data: YearData, checks: tuple[IndicatorCheck, ...]
    ) -> list[list[Finding]]: ...


def run_rules(
    data: YearData,
    checks: Iterable[Check] | None = None,
    indicator_findings: IndicatorFindings | None = None,
) -> list[Finding]:
    """Every finding of the year: errors first, then by rule, in the document's order.
    ``indicator_findings`` (an incremental run's memo) evaluates the per-indicator checks
    instead of running them over every indicator: the same findings, in the same order."""
    funcs = list(CHECKS if checks is None else checks)
    per_indicator = tuple(INDICATOR_CHECKS[f] for f in funcs if f in INDICATOR_CHECKS)
    evaluated = (
        indicator_findings(data, per_indicator)
        if indicator_findings is not None and per_indicator
        else None
    )
    findings: list[Finding] = []
    position = 0
    for func in funcs:
        if evaluated is not None and func in INDICATOR_CHECKS:
            findings.extend(evaluated[position])
            position += 1
        else:
            findings.extend(func(data))
    findings.sort(key=lambda f: (SEVERITY_RANK[f.severity], f.rule))
    return findings
