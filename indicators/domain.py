"""The indicator engine: pure calculation, no database.

Everything that decides a figure of the Relazione lives here so that it can be tested with
plain values (and hypothesis) and reused by the views, the PDF, the exports and the consistency
checks alike:

* parsing of values as the bodies write them (``30/06/2023``, ``31.12.2023``, ``85,60%``,
  ``<30``, ``SI``, ``1.284``, ``NV``, ``monitoraggio``), and of targets as plans write them
  (``maggiore o uguale a 90%``, ``<= 10 gg.``, ``entro il 31.12.2023``: :func:`parse_target`);
* % realization for every kind and direction, capped at 100%;
* roll-ups (weighted mean over the *valutabile* indicators) and status bands.

Arithmetic is Decimal throughout; percentages are rounded half-up to two decimals, as a
spreadsheet's ROUND does, which is how the reference document was produced.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from core.measurement import Band as Band
from core.measurement import Bands as Bands
from core.measurement import MeasurementRules as MeasurementRules
from core.scoring_method import DEFAULT_SCALE, ScaleLevel, ThresholdRule
from lib.italian import NUMBER_PATTERN, format_date, format_figure, format_number, parse_number

HUNDRED = Decimal(100)
ZERO = Decimal(0)
CENT = Decimal("0.01")


class Kind(StrEnum):
    NUMBER = "number"
    PERCENTAGE = "percentage"
    RATIO = "ratio"
    CURRENCY = "currency"
    DEADLINE = "deadline"
    BOOLEAN = "boolean"
    PROJECT = "project"
    QUALITATIVE = "qualitative"  # a judgement on the body's scale ("buono")


KIND_LABELS = {
    Kind.NUMBER: "Numero",
    Kind.PERCENTAGE: "Percentuale",
    Kind.RATIO: "Rapporto",
    Kind.CURRENCY: "Importo (€)",
    Kind.DEADLINE: "Scadenza (data)",
    Kind.BOOLEAN: "Sì/No",
    Kind.PROJECT: "Avanzamento progetto (%)",
    Kind.QUALITATIVE: "Giudizio qualitativo (scala dell'ente)",
}
# The per-indicator override of the body's threshold rule ("": the body's).
THRESHOLD_RULE_LABELS = {
    ThresholdRule.ALL_OR_NOTHING: "Tutto o niente (soglia rispettata 100%, non rispettata 0%)",
    ThresholdRule.PROPORTIONAL: "Proporzionale («≥ 60» con 56: 93,33%)",
}

NUMERIC_KINDS = frozenset({Kind.NUMBER, Kind.PERCENTAGE, Kind.RATIO, Kind.CURRENCY, Kind.PROJECT})


class Direction(StrEnum):
    HIGHER = "higher"  # higher is better: realization = actual / target
    LOWER = "lower"  # lower is better: realization = target / actual
    AT_MOST = "at_most"  # must stay below a threshold (``<30``): met or not
    AT_LEAST = "at_least"  # must stay above a threshold (``>40%``): met or not
    MONITORING = "monitoring"  # monitoring only: no target, never valued


DIRECTION_LABELS = {
    Direction.HIGHER: "Più alto è meglio",
    Direction.LOWER: "Più basso è meglio",
    Direction.AT_MOST: "Sotto la soglia",
    Direction.AT_LEAST: "Sopra la soglia",
    Direction.MONITORING: "Solo monitoraggio",
}


class ValueType(StrEnum):
    NUMBER = "number"
    DATE = "date"
    BOOLEAN = "boolean"
    NV = "nv"  # "non valutabile", written by the body
    MONITORING = "monitoring"  # the target of a monitoring-only indicator
    EMPTY = "empty"
    INVALID = "invalid"  # something that is none of the above (e.g. ``00/01/1900``)


@dataclass(frozen=True)
class Value:
    """A target or an actual as written, with its parsed meaning."""

    raw: str
    type: ValueType
    number: Decimal | None = None
    date: dt.date | None = None
    flag: bool | None = None
    comparator: str = ""  # "<", "<=", ">", ">=" for thresholds
    percent: bool = False
    currency: bool = False
    decimals: int = 0

    @property
    def is_valid(self) -> bool:
        return self.type in {ValueType.NUMBER, ValueType.DATE, ValueType.BOOLEAN}

    def machine(self) -> str:
        """The machine-readable form of the open data (ISO dates, dot decimals, true/false)."""
        # A NUMBER always has its number, a DATE its date: the tests tell the type checker.
        if self.type is ValueType.NUMBER and self.number is not None:
            return format(self.number.normalize(), "f")
        if self.type is ValueType.DATE and self.date is not None:
            return self.date.isoformat()
        if self.type is ValueType.BOOLEAN:
            return "true" if self.flag else "false"
        return ""


# Day, month and year separated by the same mark: ``31/12/2023`` or ``31.12.2023`` (never an
# Italian number: thousands come in groups of three digits).
_DATE_RE = re.compile(r"^(\d{1,2})([/.])(\d{1,2})\2(\d{4})$")
_NUMBER_RE = re.compile(
    rf"^(?P<cmp><=|>=|<|>|≤|≥)?\s*(?P<eur>€)?\s*(?P<num>{NUMBER_PATTERN})"
    r"\s*(?P<pct>%)?\s*(?P<eur2>€)?$"
)
_YES = {"SI", "SÌ", "SÍ", "YES"}
_NO = {"NO"}
_NV = {"NV", "N.V.", "N/V", "NON VALUTABILE"}
_MONITORING = {"MONITORAGGIO"}


def parse_value(text: object) -> Value:
    """Parse a value as Italian bodies write it. Never raises: bad input is ``INVALID``."""
    return _parse_text("" if text is None else str(text).strip())


# A plan repeats the same few texts (``100%``, ``SI``, ``31/12/2023``) thousands of times and a
# Value is immutable: the checks of a large year parse each text once.
@functools.lru_cache(maxsize=8192)
def _parse_text(raw: str) -> Value:
    upper = raw.upper()
    if not raw:
        return Value(raw, ValueType.EMPTY)
    if upper in _NV:
        return Value(raw, ValueType.NV)
    if upper in _MONITORING:
        return Value(raw, ValueType.MONITORING)
    if upper in _YES:
        return Value(raw, ValueType.BOOLEAN, flag=True)
    if upper in _NO:
        return Value(raw, ValueType.BOOLEAN, flag=False)
    match = _DATE_RE.match(raw)
    if match:
        day, month, year = int(match[1]), int(match[3]), int(match[4])
        try:
            return Value(raw, ValueType.DATE, date=dt.date(year, month, day))
        except ValueError:
            return Value(raw, ValueType.INVALID)
    match = _NUMBER_RE.match(raw)
    if match:
        number = parse_number(match["num"])  # the group is its pattern: never raises
        cmp = {"≤": "<=", "≥": ">="}.get(match["cmp"] or "", match["cmp"] or "")
        decimals = len(match["num"].split(",")[1]) if "," in match["num"] else 0
        return Value(
            raw,
            ValueType.NUMBER,
            number=number,
            comparator=cmp,
            percent=bool(match["pct"]),
            currency=bool(match["eur"] or match["eur2"]),
            decimals=decimals,
        )
    return Value(raw, ValueType.INVALID)


# --- Italian formatting -------------------------------------------------------------------


def format_pct(number: Decimal | None, decimals: int | None = None) -> str:
    """A % realization as the document prints it: ``100%``, ``98,77%``; ``NV`` for none.

    Without explicit decimals, whole numbers print without decimals and others with two.
    """
    if number is None:
        return "NV"
    return format_figure(number, decimals) + "%"


def format_value(value: Value) -> str:
    """The canonical Italian text of a parsed value (what forms store and exports print)."""
    if value.type is ValueType.NUMBER and value.number is not None:
        text = format_number(value.number, value.decimals)
        if value.percent:
            text += "%"
        if value.currency:
            text = "€ " + text
        return f"{value.comparator}{text}"
    if value.type is ValueType.DATE and value.date is not None:
        return format_date(value.date)
    if value.type is ValueType.BOOLEAN:
        return "SI" if value.flag else "NO"
    if value.type is ValueType.NV:
        return "NV"
    if value.type is ValueType.MONITORING:
        return "monitoraggio"
    return value.raw


def shift_date_years(date: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (or earlier): 29/02 becomes 28/02 in a year without it,
    as a deadline «entro il 29 febbraio» means the last day of February."""
    year = date.year + years
    if date.month == 2 and date.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return date.replace(year=year)


def shift_value_years(text: str, years: int) -> str:
    """A target or actual carried to another year: a date moves by ``years`` (written in the
    canonical form); any other value (a number, a threshold, SI/NO, NV, text) stays as written."""
    value = parse_value(text)
    if (
        value.type is not ValueType.DATE
        or value.date is None
        or not dt.MINYEAR <= value.date.year + years <= 9999
    ):
        return text
    return format_date(shift_date_years(value.date, years))


# --- Kinds and directions -----------------------------------------------------------------


def infer_kind(name: str, target: Value, actual: Value | None = None) -> Kind:
    """Guess the kind of an indicator from its name and values, as a planner would read it."""
    if name.strip().lower().startswith("progetto"):
        return Kind.PROJECT
    probe = target if target.is_valid else (actual or target)
    if probe.type is ValueType.DATE:
        return Kind.DEADLINE
    if probe.type is ValueType.BOOLEAN:
        return Kind.BOOLEAN
    if probe.type is ValueType.NUMBER:
        if probe.percent:
            return Kind.PERCENTAGE
        if probe.currency:
            return Kind.CURRENCY
        if probe.decimals:
            return Kind.RATIO
    return Kind.NUMBER


def infer_direction(target: Value) -> Direction:
    if target.type is ValueType.MONITORING:
        return Direction.MONITORING
    if target.comparator.startswith("<"):
        return Direction.AT_MOST
    if target.comparator.startswith(">"):
        return Direction.AT_LEAST
    return Direction.HIGHER


def _kind(kind: Kind | str) -> Kind:
    """A kind given as a member or as its stored text. A member is returned as it is: the
    enum's lookup cost more than the check on a year of thousands of indicators."""
    return kind if type(kind) is Kind else Kind(kind)


def _direction(direction: Direction | str) -> Direction:
    return direction if type(direction) is Direction else Direction(direction)


def value_fits_kind(kind: Kind, value: Value) -> bool:
    """Whether a *valid* value has the type the kind expects (dates for deadlines, ...)."""
    kind = _kind(kind)
    if value.type is ValueType.DATE:
        return kind is Kind.DEADLINE
    if value.type is ValueType.BOOLEAN:
        return kind is Kind.BOOLEAN
    if value.type is ValueType.NUMBER:
        if kind not in NUMERIC_KINDS:
            return False
        return kind is not Kind.PROJECT or (
            value.number is not None and ZERO <= value.number <= HUNDRED
        )
    return False


# --- % realization ------------------------------------------------------------------------


def _pct(numerator: Decimal, denominator: Decimal) -> Decimal:
    return numerator / denominator * HUNDRED


def _cap(value: Decimal) -> Decimal:
    return max(ZERO, min(HUNDRED, value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _threshold_met(comparator: str, actual: Decimal, threshold: Decimal) -> bool:
    return {
        "<": actual < threshold,
        "<=": actual <= threshold,
        ">": actual > threshold,
        ">=": actual >= threshold,
    }[comparator]


def scale_level(value: Value, scale: tuple[ScaleLevel, ...]) -> ScaleLevel | None:
    """The level of the body's qualitative scale a value names (``buono``), or None."""
    wanted = " ".join(value.raw.split()).casefold()
    return next((level for level in scale if level.label.casefold() == wanted), None)


def is_threshold(direction: Direction | str, target: Value) -> bool:
    """Scored as a threshold (the body's rule): a «sotto/sopra la soglia» polarity, or a target
    written with a comparison (``≥ 60``) under «higher» or «lower» too, not as a ratio."""
    direction = _direction(direction)
    thresholds = direction in (Direction.AT_MOST, Direction.AT_LEAST)
    return thresholds or (direction is not Direction.MONITORING and bool(target.comparator))


def _threshold(comparator: str, a: Decimal, t: Decimal, proportional: bool) -> Decimal:
    """A threshold met is 100%; one missed is 0%, or with the proportional rule how close the
    actual came (``≥ 60`` with 56: 93,33%; ``≤ 10`` with 12: 83,33%), never 100% when missed."""
    if _threshold_met(comparator, a, t):
        return _cap(HUNDRED)
    if not proportional or t <= 0 or a <= 0:
        return _cap(ZERO)
    share = _pct(a, t) if comparator.startswith(">") else _pct(t, a)
    return min(_cap(share), HUNDRED - CENT)


def realization(
    kind: Kind | str,
    direction: Direction | str,
    target: Value,
    actual: Value,
    *,
    missed_deadline_pct: Decimal = ZERO,
    proportional: bool = False,
    scale: tuple[ScaleLevel, ...] = DEFAULT_SCALE,
) -> Decimal | None:
    """% realization in [0, 100] with two decimals, or ``None`` for *non valutabile*.

    ``None`` when the indicator is monitoring-only, or target or actual is missing, NV, or not
    of the indicator's kind: an invalid figure is never valued (the consistency checks say why).
    ``proportional``: thresholds scored by the proportional rule; ``scale``: the body's
    qualitative scale (a qualitative indicator's realization is its actual level's).
    """
    kind, direction = _kind(kind), _direction(direction)
    if direction is Direction.MONITORING:
        return None
    if kind is Kind.QUALITATIVE:
        expected, reached = scale_level(target, scale), scale_level(actual, scale)
        return None if expected is None or reached is None else _cap(reached.realization)
    if not (target.is_valid and actual.is_valid):
        return None
    if not (value_fits_kind(kind, target) and value_fits_kind(kind, actual)):
        return None
    if kind is Kind.DEADLINE:
        assert actual.date is not None and target.date is not None  # both fit the kind
        met = actual.date <= target.date
        return _cap(HUNDRED if met else missed_deadline_pct)
    if kind is Kind.BOOLEAN:
        return _cap(HUNDRED if actual.flag == target.flag else ZERO)
    a, t = actual.number, target.number
    assert a is not None and t is not None  # both fit a numeric kind
    if is_threshold(direction, target):
        comparator = target.comparator or ("<=" if direction is Direction.AT_MOST else ">=")
        return _threshold(comparator, a, t, proportional)
    if direction is Direction.LOWER:
        if a <= t:
            return _cap(HUNDRED)
        if t <= 0:  # a positive actual against a zero target: nothing of it was achieved
            return _cap(ZERO)
        return _cap(_pct(t, a))
    # HIGHER
    if t <= 0:
        return _cap(HUNDRED if a >= t else ZERO)
    return _cap(_pct(a, t))


def is_proportional(rules: MeasurementRules, threshold_rule: str = "") -> bool:
    """Whether an indicator's thresholds are scored proportionally: its own rule, else the
    year's method."""
    return (threshold_rule or rules.method.thresholds) == ThresholdRule.PROPORTIONAL


def realization_by(
    rules: MeasurementRules,
    kind: Kind | str,
    direction: Direction | str,
    target: Value,
    actual: Value,
    threshold_rule: str = "",
) -> Decimal | None:
    """:func:`realization` with the year's rules (and the indicator's threshold rule)."""
    return realization(
        kind,
        direction,
        target,
        actual,
        missed_deadline_pct=rules.missed_deadline_pct,
        proportional=is_proportional(rules, threshold_rule),
        scale=rules.method.scale,
    )


def stored_figures(
    kind: Kind | str,
    direction: Direction | str,
    target: str,
    actual: str,
    rules: MeasurementRules,
    threshold_rule: str = "",
) -> tuple[Decimal | None, Band]:
    """The % realization and band an indicator stores (``Indicator.realization`` and
    ``status``): the one computation every write path and ``rebuild_figures`` go through, with
    the year's own rules (``core.selectors.measurement_rules``). A kind or direction outside
    the engine's is not valued (NV): the row's database constraint refuses it, not this."""
    if kind not in Kind._value2member_map_ or direction not in Direction._value2member_map_:
        return None, rules.bands.band(None)
    value = realization_by(
        rules, kind, direction, parse_value(target), parse_value(actual), threshold_rule
    )
    return value, rules.bands.band(value)


def declared_matches(computed: Decimal | None, declared: Value) -> bool:
    """Whether a % realization stated by a source agrees with the computed one.

    The declared figure is compared at its own precision: ``92%`` agrees with 91,67.
    """
    if declared.type in (ValueType.NV, ValueType.MONITORING, ValueType.EMPTY):
        return computed is None
    if declared.type is not ValueType.NUMBER or declared.number is None or computed is None:
        return False
    quantum = Decimal(1).scaleb(-declared.decimals)
    return computed.quantize(quantum, rounding=ROUND_HALF_UP) == declared.number.quantize(
        quantum, rounding=ROUND_HALF_UP
    )


# --- Roll-up and status bands -------------------------------------------------------------


def weighted_mean(items: Iterable[tuple[Decimal | None, Decimal]]) -> Decimal | None:
    """Weighted mean of the valutabile realizations; ``None`` when nothing can be valued."""
    total = ZERO
    weights = ZERO
    for value, weight in items:
        if value is None or weight is None or weight <= 0:
            continue
        total += value * weight
        weights += weight
    if weights == 0:
        return None
    return (total / weights).quantize(CENT, rounding=ROUND_HALF_UP)


BAND_LABELS = {
    Band.ACHIEVED: "Raggiunto",
    Band.PARTIAL: "Parzialmente raggiunto",
    Band.NOT_ACHIEVED: "Non raggiunto",
    Band.NV: "Non valutabile",
}
NV_LEGEND = (
    "NV = non valutabile: l'indicatore non ha un risultato atteso e un valore ottenuto "
    "confrontabili (manca un valore, è «NV», è di tipo diverso da quello dell'indicatore, o "
    "l'indicatore è di solo monitoraggio). Non entra nelle medie."
)
BAND_ICONS = {Band.ACHIEVED: "✔", Band.PARTIAL: "◐", Band.NOT_ACHIEVED: "✖", Band.NV: "–"}


def coverage_text(valued: int, total: int) -> str:
    """``calcolata su 88 di 169 indicatori``: the coverage every overall score states."""
    noun = "indicatore" if total == 1 else "indicatori"
    return f"calcolata su {valued} di {total} {noun}"


def is_below_target(value: Decimal | None) -> bool:
    """Below target means valued and under 100%: the manager must explain the gap."""
    return value is not None and value < HUNDRED


# --- Corrections: a computed % realization that differs from the one a source printed ------


@dataclass(frozen=True)
class RealizationCorrection:
    """A % realization printed by a source (the published document, an imported sheet) that the
    engine computes differently, with the reason a reader is given."""

    published: str  # as the source printed it
    computed: Decimal | None
    reason: str

    @property
    def computed_text(self) -> str:
        return format_pct(self.computed)


def not_valued_reason(
    kind: Kind,
    direction: Direction,
    target: Value,
    actual: Value,
    scale: tuple[ScaleLevel, ...] = DEFAULT_SCALE,
) -> str:
    """Why an indicator has no % realization (``NV``), in the words the reader is given."""
    kind, direction = _kind(kind), _direction(direction)
    if direction is Direction.MONITORING:
        return "l'indicatore è di solo monitoraggio"
    for value, label in ((target, "risultato atteso"), (actual, "valore ottenuto")):
        if value.type is ValueType.EMPTY:
            return f"manca il {label}"
        if value.type is ValueType.NV:
            return f"il {label} è «NV»"
        if value.type is ValueType.MONITORING:
            return f"il {label} è «monitoraggio»"
        if kind is Kind.QUALITATIVE and scale_level(value, scale) is None:
            levels = ", ".join(level.label for level in scale)
            return f"il {label} «{value.raw}» non è un livello della scala dell'ente ({levels})"
        if kind is Kind.QUALITATIVE:
            continue
        if value.type is ValueType.INVALID:
            return f"il {label} «{value.raw}» non è un valore valido"
    for value, label in ((target, "risultato atteso"), (actual, "valore ottenuto")):
        if kind is not Kind.QUALITATIVE and not value_fits_kind(kind, value):
            return (
                f"il {label} «{value.raw}» non è del tipo dell'indicatore "
                f"({KIND_LABELS[kind].lower()})"
            )
    return "i valori non sono confrontabili"


def realization_correction(
    kind: Kind,
    direction: Direction,
    target: Value,
    actual: Value,
    published: str,
    *,
    missed_deadline_pct: Decimal = ZERO,
    proportional: bool = False,
    scale: tuple[ScaleLevel, ...] = DEFAULT_SCALE,
) -> RealizationCorrection | None:
    """The one definition of a corrected % realization: ``None`` when the source printed
    nothing or agrees with the engine (at its own precision), else the published and computed
    figures with the reason. Used by the dashboards, the PDF, the open data and the checks."""
    if not (published or "").strip():
        return None
    kind, direction = _kind(kind), _direction(direction)
    computed = realization(
        kind,
        direction,
        target,
        actual,
        missed_deadline_pct=missed_deadline_pct,
        proportional=proportional,
        scale=scale,
    )
    if declared_matches(computed, parse_value(published)):
        return None
    if computed is None:
        reason = not_valued_reason(kind, direction, target, actual, scale) + ": non valutabile"
    elif (
        kind is Kind.DEADLINE
        and actual.date is not None  # a valued deadline has both dates
        and target.date is not None
        and actual.date > target.date
    ):
        reason = (
            f"scadenza raggiunta il {format_date(actual.date)}, dopo la data attesa del "
            f"{format_date(target.date)}: una scadenza mancata vale "
            f"{format_pct(missed_deadline_pct)} per regola dell'ente"
        )
    elif is_threshold(direction, target) and proportional:
        reason = (
            f"risultato atteso a soglia («{target.raw}»): vale 100% se rispettata, se no in "
            "proporzione alla soglia (regola dell'ente)"
        )
    elif is_threshold(direction, target):
        reason = f"risultato atteso a soglia («{target.raw}»): vale 100% se rispettata, 0% se no"
    elif (
        parse_value(published).type is ValueType.NUMBER
        and (parse_value(published).number or ZERO) > HUNDRED
    ):
        reason = "la % di realizzazione è limitata al 100%"
    else:
        reason = "% ricalcolata dal valore ottenuto e dal risultato atteso"
    return RealizationCorrection(published.strip(), computed, reason)
