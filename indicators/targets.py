"""Targets as bodies write them («≥ 90%», «maggiore o uguale a 90%», «<= 10 gg.», «entro il
31.12.2023»), read into the engine's values with the unit of measure split off. Pure: a
module of its own beside the engine (indicators.domain), which it reads."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lib.formulas import Formula

from .domain import Value, ValueType, format_value, parse_value

# The comparisons a plan writes in words or symbols, and the comparator each means ("" for an
# exact target: ``pari a 45.000`` is the target 45.000). Matched without regard to case; a
# trailing ``a``/``di`` also matches its articled forms (``al``, ``all'``, ``del``...), and an
# article may follow any of them (``almeno il 90%``). ``entro`` is a deadline before a date
# (``entro il 31.12.2023``) and ``<=`` before a number (``entro 30 giorni``).
TARGET_WORDS: tuple[tuple[str, str], ...] = (
    ("maggiore o uguale a", ">="),
    ("superiore o uguale a", ">="),
    ("pari o superiore a", ">="),
    ("non inferiore a", ">="),
    ("non meno di", ">="),
    ("almeno", ">="),
    ("minimo", ">="),
    ("maggiore di", ">"),
    ("superiore a", ">"),
    ("più di", ">"),
    ("oltre", ">"),
    ("minore o uguale a", "<="),
    ("inferiore o uguale a", "<="),
    ("pari o inferiore a", "<="),
    ("non superiore a", "<="),
    ("non oltre", "<="),
    ("al massimo", "<="),
    ("massimo", "<="),
    ("entro", "<="),
    ("minore di", "<"),
    ("inferiore a", "<"),
    ("meno di", "<"),
    ("pari a", ""),
    ("uguale a", ""),
)
TARGET_SYMBOLS: tuple[tuple[str, str], ...] = (
    (">=", ">="),
    ("=>", ">="),
    ("≥", ">="),
    ("<=", "<="),
    ("=<", "<="),
    ("≤", "<="),
    (">", ">"),
    ("<", "<"),
    ("=", ""),
)
_DEADLINE_WORD = "entro"
_ARTICLED = {" a": r"\s+(?:a|ad|al|allo|alla|all')", " di": r"\s+(?:di|del|dello|della|dell')"}


def _word_pattern(words: str) -> str:
    for tail, pattern in _ARTICLED.items():
        if words.endswith(tail):
            return r"\s+".join(map(re.escape, words[: -len(tail)].split())) + pattern
    return r"\s+".join(map(re.escape, words.split()))


_COMPARISON_RE = re.compile(
    "^(?:"
    + "|".join(
        [f"(?P<w{i}>{_word_pattern(w)})(?=[\\s\\d'€])" for i, (w, _) in enumerate(TARGET_WORDS)]
        + [f"(?P<s{i}>{re.escape(s)})" for i, (s, _) in enumerate(TARGET_SYMBOLS)]
    )
    + r")\s*(?:(?:il|lo|la|l')\s*)?",
    re.IGNORECASE,
)
# A unit of measure after the figure (``10 gg.``, ``45.000 euro``, ``3 giorni lavorativi``):
# words only, as long as the indicator's field allows.
_UNIT_RE = re.compile(r"^(?P<figure>.*?[\d%€])\s*(?P<unit>[^\W\d_][^\d%€<>=]{0,39})$")
_EURO_UNITS = {"euro", "eur", "€"}


@dataclass(frozen=True)
class WrittenTarget:
    """A target as a plan writes it: its parsed value (``raw`` is the text as written) and the
    unit of measure written after the figure (``gg.``), if any."""

    value: Value
    unit: str = ""

    @property
    def text(self) -> str:
        """The canonical text the app stores (:func:`format_value`); as written when invalid."""
        return format_value(self.value)


def _comparison(text: str) -> tuple[str, str, bool] | None:
    """(comparator, the rest, whether it was «entro») of a text opening with a comparison."""
    match = _COMPARISON_RE.match(text)
    if match is None:
        return None
    name = next(k for k, v in match.groupdict().items() if v is not None)
    index = int(name[1:])
    words, comparator = (TARGET_WORDS if name[0] == "w" else TARGET_SYMBOLS)[index]
    return comparator, text[match.end() :].strip(), words == _DEADLINE_WORD


def _figure_and_unit(text: str) -> tuple[Value, str]:
    """The value of a figure, with the unit written after it split off."""
    value = parse_value(text)
    if value.type is not ValueType.INVALID:
        return value, ""
    match = _UNIT_RE.match(text)
    if match is None:
        return value, ""
    figure = parse_value(match["figure"])
    unit = " ".join(match["unit"].split())
    if figure.type is not ValueType.NUMBER:
        return value, ""
    if unit.lower() in _EURO_UNITS:
        return replace(figure, currency=True), ""
    return figure, unit


def parse_target(text: object) -> WrittenTarget:
    """A target as plans write it: the canonical forms of :func:`parse_value`, and a comparison
    in words or symbols before the figure (:data:`TARGET_WORDS`, :data:`TARGET_SYMBOLS`:
    ``≥ 90%``, ``maggiore o uguale a 90%``, ``= 45.000``), a unit of measure after it
    (``<= 10 gg.``), a deadline with ``entro`` (``entro il 31.12.2023``). Pure; never raises:
    anything else is ``INVALID`` with the text as written, and so is a formula cell of a
    workbook (:class:`lib.formulas.Formula`) whatever its text."""
    raw = " ".join(("" if text is None else str(text)).split())
    value = parse_value(raw)
    if value.type is not ValueType.INVALID:
        return WrittenTarget(value)
    invalid = WrittenTarget(value)
    if isinstance(text, Formula):  # a formula cell is never a value, «=45000» neither
        return invalid
    comparison = _comparison(raw)
    if comparison is None:
        comparator, rest, deadline = "", raw, False
    else:
        comparator, rest, deadline = comparison
    figure, unit = _figure_and_unit(rest)
    if figure.type is ValueType.DATE and (deadline or not comparator):
        return WrittenTarget(replace(figure, raw=raw))
    if figure.type is not ValueType.NUMBER or (figure.comparator and comparison is not None):
        return invalid
    return WrittenTarget(replace(figure, raw=raw, comparator=comparator or figure.comparator), unit)


class ParsedFigures:
    """``target_value`` and ``actual_value`` of anything with the texts ``target`` and
    ``actual`` as the body wrote them: the Indicator model and the plain values a paragraph
    reads (indicators.rollup.NamedIndicator)."""

    target: str
    actual: str

    @property
    def target_value(self) -> Value:
        return parse_value(self.target)

    @property
    def actual_value(self) -> Value:
        return parse_value(self.actual)
