"""The body's scoring method (its *SMVP*, sistema di misurazione e valutazione della
performance) as plain data: how the indicators' realizations are put together into the overall
score of an objective, a cruscotto and the year, and how that score is converted into points or
a judgement. Pure (no Django): the body keeps it as a JSON field, each year a copy of it
(``Cycle.scoring_method``, frozen with the year like the bands); the engine that applies it is
``indicators.scoring``.

The JSON, every key optional (``{}`` is the rule the application always applied)::

    {
      "aggregation": "weighted_mean" | "nested_mean",
      "thresholds": "all_or_nothing" | "proportional",
      "nv": "excluded" | "zero",
      "conversion": "none" | "points" | "scale",
      "points": [{"from": 0, "to": 75, "points": [0, 14]},
                 {"from": 76, "to": 90, "points": [15, 18]}, ...],
      "scale": [{"label": "insufficiente", "value": 0, "from": 0}, ...,
                {"label": "ottimo", "value": 3, "from": 90}]
    }
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from .levels import DEFAULT_LEVELS

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class Aggregation(StrEnum):
    # An objective is the weighted mean of its indicators (weight of the indicator times the
    # weight of its operational objective, in a strategic objective), a perspective the weighted
    # mean of its strategic objectives, the year that of its perspectives: the rule as it was.
    WEIGHTED_MEAN = "weighted_mean"
    # Every level the weighted mean of the level below: a strategic objective is the weighted
    # mean of its operational objectives' scores.
    NESTED_MEAN = "nested_mean"


class ThresholdRule(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"  # ">= 60" met: 100%, not met: 0%
    PROPORTIONAL = "proportional"  # ">= 60" with 56: 93,33%


class NvRule(StrEnum):
    EXCLUDED = "excluded"  # NV indicators are left out of the means
    ZERO = "zero"  # NV indicators count as 0%


class Conversion(StrEnum):
    NONE = "none"
    POINTS = "points"
    SCALE = "scale"


AGGREGATION_LABELS = {
    Aggregation.WEIGHTED_MEAN: "media ponderata degli indicatori",
    Aggregation.NESTED_MEAN: "media ponderata dei punteggi del livello inferiore",
}
THRESHOLD_LABELS = {
    ThresholdRule.ALL_OR_NOTHING: "soglia rispettata 100%, non rispettata 0%",
    ThresholdRule.PROPORTIONAL: "in proporzione alla soglia",
}
NV_LABELS = {NvRule.EXCLUDED: "esclusi dalle medie", NvRule.ZERO: "contati come 0%"}
CONVERSION_LABELS = {
    Conversion.NONE: "nessuna",
    Conversion.POINTS: "punti per fasce",
    Conversion.SCALE: "giudizio su scala qualitativa",
}


@dataclass(frozen=True)
class PointBand:
    """``76–90% → 15–18 punti``: linear inside the band."""

    low: Decimal
    high: Decimal
    points_low: Decimal
    points_high: Decimal


@dataclass(frozen=True)
class ScaleLevel:
    """A level of the body's qualitative scale: its label, its value (``ottimo`` 3), the overall
    % from which a score earns it, and the % realization of a qualitative indicator at it."""

    label: str
    value: Decimal
    from_pct: Decimal
    realization: Decimal


DEFAULT_SCALE = (
    ScaleLevel("insufficiente", Decimal(0), ZERO, ZERO),
    ScaleLevel("sufficiente", Decimal(1), Decimal(60), Decimal("33.33")),
    ScaleLevel("buono", Decimal(2), Decimal(75), Decimal("66.67")),
    ScaleLevel("ottimo", Decimal(3), Decimal(90), HUNDRED),
)


@dataclass(frozen=True)
class ScoringMethod:
    aggregation: Aggregation = Aggregation.WEIGHTED_MEAN
    thresholds: ThresholdRule = ThresholdRule.ALL_OR_NOTHING
    nv: NvRule = NvRule.EXCLUDED
    conversion: Conversion = Conversion.NONE
    points: tuple[PointBand, ...] = ()
    scale: tuple[ScaleLevel, ...] = DEFAULT_SCALE

    def level(self, text: str) -> ScaleLevel | None:
        """The scale's level written ``text`` (case and spaces ignored), or None."""
        wanted = " ".join(text.split()).casefold()
        for level in self.scale:
            if level.label.casefold() == wanted:
                return level
        return None


class ScoringMethodError(ValueError):
    """The method as written is not valid: the message says why, in Italian."""


def _decimal(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ScoringMethodError(f"{where}: serve un numero.")
    try:
        number = Decimal(str(value).replace(",", ".")) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        raise ScoringMethodError(f"{where}: «{value}» non è un numero.") from None
    if not number.is_finite():
        raise ScoringMethodError(f"{where}: «{value}» non è un numero.")
    return Decimal(str(round(number, 4))).normalize() if isinstance(value, float) else number


def _percent(value: object, where: str) -> Decimal:
    number = _decimal(value, where)
    if not ZERO <= number <= HUNDRED:
        raise ScoringMethodError(f"{where}: deve essere una percentuale tra 0 e 100.")
    return number


def _choice[E: StrEnum](data: Mapping[str, object], key: str, enum: type[E], default: E) -> E:
    value = data.get(key, default.value)
    if value not in {member.value for member in enum}:
        allowed = ", ".join(f"«{member.value}»" for member in enum)
        raise ScoringMethodError(f"«{key}»: valore «{value}» non ammesso (ammessi: {allowed}).")
    return enum(value)


def _points(data: object) -> tuple[PointBand, ...]:
    if not isinstance(data, list) or not data:
        raise ScoringMethodError("«points»: serve un elenco di fasce (da, a, punti).")
    bands: list[PointBand] = []
    for n, item in enumerate(data, start=1):
        where = f"Fascia {n} dei punti"
        if not isinstance(item, Mapping) or not {"from", "to", "points"} <= set(item):
            raise ScoringMethodError(f"{where}: servono «from», «to» e «points».")
        pair = item["points"]
        if not isinstance(pair, list) or len(pair) != 2:
            raise ScoringMethodError(f"{where}: «points» è una coppia [minimo, massimo].")
        band = PointBand(
            _percent(item["from"], f"{where}, «from»"),
            _percent(item["to"], f"{where}, «to»"),
            _decimal(pair[0], f"{where}, punti minimi"),
            _decimal(pair[1], f"{where}, punti massimi"),
        )
        if band.low > band.high or band.points_low > band.points_high or band.points_low < 0:
            raise ScoringMethodError(f"{where}: gli estremi sono in ordine inverso o negativi.")
        if bands and (band.low < bands[-1].high or band.points_low < bands[-1].points_high):
            raise ScoringMethodError(
                f"{where}: deve seguire la precedente, senza sovrapporsi (% e punti crescenti)."
            )
        bands.append(band)
    if bands[0].low != 0 or bands[-1].high != HUNDRED:
        raise ScoringMethodError("Le fasce dei punti devono coprire dallo 0% al 100%.")
    return tuple(bands)


def _scale(data: object) -> tuple[ScaleLevel, ...]:
    if not isinstance(data, list) or len(data) < 2:
        raise ScoringMethodError("«scale»: servono almeno due livelli.")
    raw: list[tuple[str, Decimal, Decimal, object]] = []
    for n, item in enumerate(data, start=1):
        where = f"Livello {n} della scala"
        if not isinstance(item, Mapping) or not {"label", "value", "from"} <= set(item):
            raise ScoringMethodError(f"{where}: servono «label», «value» e «from».")
        label = " ".join(str(item["label"]).split())
        if not label:
            raise ScoringMethodError(f"{where}: manca il nome del livello.")
        value = _decimal(item["value"], f"{where}, «value»")
        start = _percent(item["from"], f"{where}, «from»")
        if raw and (value <= raw[-1][1] or start <= raw[-1][2]):
            raise ScoringMethodError(
                f"{where}: valore e «from» devono crescere da un livello al successivo."
            )
        if value < 0:
            raise ScoringMethodError(f"{where}: il valore non può essere negativo.")
        raw.append((label, value, start, item.get("realization")))
    if raw[0][2] != 0:
        raise ScoringMethodError("Il primo livello della scala deve partire da 0%.")
    if len({label.casefold() for label, *_ in raw}) < len(raw):
        raise ScoringMethodError("Due livelli della scala hanno lo stesso nome.")
    top = raw[-1][1]
    levels: list[ScaleLevel] = []
    for n, (label, value, start, given) in enumerate(raw, start=1):
        share = (value / top * HUNDRED).quantize(Decimal("0.01")) if top else ZERO
        pct = share if given is None else _percent(given, f"Livello {n} della scala, «realization»")
        if levels and pct < levels[-1].realization:
            raise ScoringMethodError(f"Livello {n} della scala: «realization» non può scendere.")
        levels.append(ScaleLevel(label, value, start, pct))
    return tuple(levels)


KEYS = frozenset({"aggregation", "thresholds", "nv", "conversion", "points", "scale"})


def parse_scoring_method(data: object) -> ScoringMethod:
    """The method from its JSON (``None`` or ``{}``: the defaults); raises ScoringMethodError
    with the reason in Italian."""
    if data is None:
        return ScoringMethod()
    if not isinstance(data, Mapping):
        raise ScoringMethodError("Il metodo di valutazione è un oggetto JSON ({...}).")
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise ScoringMethodError(
            f"Voci non riconosciute: {', '.join(unknown)} (ammesse: {', '.join(sorted(KEYS))})."
        )
    conversion = _choice(data, "conversion", Conversion, Conversion.NONE)
    points = _points(data["points"]) if "points" in data else ()
    if conversion is Conversion.POINTS and not points:
        raise ScoringMethodError("La conversione in punti richiede le fasce («points»).")
    return ScoringMethod(
        aggregation=_choice(data, "aggregation", Aggregation, Aggregation.WEIGHTED_MEAN),
        thresholds=_choice(data, "thresholds", ThresholdRule, ThresholdRule.ALL_OR_NOTHING),
        nv=_choice(data, "nv", NvRule, NvRule.EXCLUDED),
        conversion=conversion,
        points=points,
        scale=_scale(data["scale"]) if "scale" in data else DEFAULT_SCALE,
    )


DEFAULT_METHOD = ScoringMethod()


def aggregation_caption(
    method: ScoringMethod, names: Mapping[str, str] = DEFAULT_LEVELS, first_level: bool = True
) -> str:
    """The one sentence the map and the document print under the map: how its figures are put
    together under this method (the methodological note says it in full). ``names``: the
    year's names of the levels (Cycle.levels); ``first_level``: whether the plan has one (not
    a single implicit perspective). Worded, like the note, for any gender of the names."""
    st, op = names["strategic"].lower(), names["operational"].lower()
    strategic = (
        f"la media ponderata delle realizzazioni di ogni {op} che ne fa parte"
        if method.aggregation is Aggregation.NESTED_MEAN
        else "la media ponderata degli indicatori del suo cruscotto"
    )
    text = f"La realizzazione di ogni {st} è {strategic}; " + (
        f"quella di ogni {names['perspective'].lower()}, la media ponderata delle realizzazioni "
        f"di ogni {st} che ne fa parte"
        if first_level
        else f"quella dell'anno, la media ponderata delle realizzazioni di ogni {st}"
    )
    if method.conversion is Conversion.POINTS:
        text += "; il punteggio complessivo è convertito in punti per fasce"
    elif method.conversion is Conversion.SCALE:
        text += "; il punteggio complessivo è convertito in un giudizio sulla scala dell'ente"
    return text + "."
