"""The body's measurement rules as its planning office sets them on the page *Regole di
valutazione*: the status bands, the value of a missed deadline, the scoring method (SMVP) and
the optional parts of the Relazione it leaves out.

They are the body's; every year not yet submitted to the OIV takes them at once
(``core.models.sync_open_cycles``) and its stored figures follow (``rules_changed``); a year
submitted, validated or published keeps its own. The method is written on the page as lines of
text (bands of points, levels of the scale), turned here into the JSON that
``core.scoring_method.parse_scoring_method``, its one definition, checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import permissions as perms
from core import structure
from core.machine import FROZEN_STATES
from core.models import Body, Cycle, level_labels
from core.scoring_method import ScoringMethodError, parse_scoring_method
from lib import italian
from lib.italian import format_number

from .onboarding import percent_value

MAX_LINES = 20  # bands or levels: a scale of twenty levels is already more than any SMVP


def _number(text: str, where: str, errors: list[str]) -> str | None:
    try:
        number = italian.parse_number(text.strip().rstrip("%").strip())
    except (InvalidOperation, ValueError):
        errors.append(f"{where}: «{text.strip()}» non è un numero.")
        return None
    if not number.is_finite() or abs(number) > 10**6:
        errors.append(f"{where}: «{text.strip()}» non è un numero ammesso.")
        return None
    return str(number)


def _lines(text: str, what: str, width: int, errors: list[str]) -> list[tuple[str, list[str]]]:
    """The non-empty lines of ``text`` split on ``;`` or tabs, each with where it is."""
    rows = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.replace("\t", ";").split(";")]
        where = f"{what}, riga {n}"
        if len(cells) != width:
            errors.append(f"{where}: servono {width} valori separati da «;», trovati {len(cells)}.")
            continue
        rows.append((where, cells))
    if len(rows) > MAX_LINES:
        errors.append(f"{what}: al più {MAX_LINES} righe.")
        return []
    return rows


def points_from_text(text: str, errors: list[str]) -> list[dict]:
    """``76; 90; 15; 18`` per line: from %, to %, minimum and maximum points."""
    bands = []
    for where, (low, high, p_low, p_high) in _lines(text, "Fasce dei punti", 4, errors):
        values = [_number(v, where, errors) for v in (low, high, p_low, p_high)]
        if None not in values:
            bands.append({"from": values[0], "to": values[1], "points": values[2:]})
    return bands


def scale_from_text(text: str, errors: list[str]) -> list[dict]:
    """``ottimo; 3; 90`` per line: the level's name, its value, the overall % from which."""
    levels = []
    for where, (label, value, start) in _lines(text, "Scala di giudizio", 3, errors):
        numbers = [_number(v, where, errors) for v in (value, start)]
        if not label:
            errors.append(f"{where}: manca il nome del livello.")
        elif None not in numbers:
            levels.append({"label": label, "value": numbers[0], "from": numbers[1]})
    return levels


def figure_text(value: object) -> str:
    """A number as the page writes it: Italian, with the decimals it has (``55,5``, ``90``)."""
    number = Decimal(str(value)).normalize()
    return format_number(number, italian.decimals_of(number))


def method_texts(method: Mapping) -> tuple[str, str]:
    """The bands and the scale of a stored method as the page writes them back."""
    points = "\n".join(
        "; ".join(figure_text(v) for v in (b["from"], b["to"], *b["points"]))
        for b in method.get("points", [])
    )
    scale = "\n".join(
        f"{level['label']}; {figure_text(level['value'])}; {figure_text(level['from'])}"
        for level in method.get("scale", [])
    )
    return points, scale


@dataclass(frozen=True)
class RulesUpdate:
    body: Body
    open_years: list[int]  # took the new rules
    kept_years: list[int]  # submitted, validated or published: kept their own


def body_rules_update(
    *,
    user: User,
    body: Body,
    band_achieved_from: object,
    band_partial_from: object,
    missed_deadline_pct: object,
    aggregation: str,
    thresholds: str,
    nv: str,
    conversion: str,
    points: str = "",
    scale: str = "",
    omitted_sections: Iterable[str] = (),
    perspective_label: str | None = None,
    perspective_label_plural: str | None = None,
    strategic_label: str | None = None,
    strategic_label_plural: str | None = None,
    operational_label: str | None = None,
    operational_label_plural: str | None = None,
) -> RulesUpdate:
    """Set the body's rules; every error of the input at once (ValidationError), nothing
    changed then."""
    perms.ensure(
        perms.can_edit_rules(user, body),
        "Solo l'ufficio pianificazione dell'ente ne imposta le regole di valutazione.",
    )
    errors: list[str] = []
    achieved = percent_value("Soglia «raggiunto»", band_achieved_from, errors)
    partial = percent_value("Soglia «parzialmente raggiunto»", band_partial_from, errors)
    missed = percent_value("Realizzazione di una scadenza mancata", missed_deadline_pct, errors)
    if achieved is not None and partial is not None and partial > achieved:
        errors.append(
            f"Soglie: «parzialmente raggiunto» ({partial}%) supera «raggiunto» ({achieved}%)."
        )
    method: dict[str, object] = {
        "aggregation": aggregation,
        "thresholds": thresholds,
        "nv": nv,
        "conversion": conversion,
    }
    if points.strip():
        method["points"] = points_from_text(points, errors)
    if scale.strip():
        method["scale"] = scale_from_text(scale, errors)
    if not errors:
        try:
            parse_scoring_method(method)
        except ScoringMethodError as exc:
            errors.append(f"Metodo di valutazione: {exc}")
    optional = dict(structure.optional_parts(body.kind))
    omitted = [key for key in optional if key in set(omitted_sections)]
    wrong = sorted(set(omitted_sections) - set(optional))
    if wrong:
        errors.append(f"Parti che l'ente non può escludere: {', '.join(wrong)}.")
    labels = level_labels(
        errors,
        perspective_label=perspective_label,
        perspective_label_plural=perspective_label_plural,
        strategic_label=strategic_label,
        strategic_label_plural=strategic_label_plural,
        operational_label=operational_label,
        operational_label_plural=operational_label_plural,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        body = Body.objects.select_for_update().get(pk=body.pk)
        for name, value in labels.items():
            setattr(body, name, value)
        body.band_achieved_from, body.band_partial_from = achieved, partial
        body.missed_deadline_pct, body.scoring_method = missed, method
        body.omitted_sections = ", ".join(omitted)
        body.full_clean()
        body.save()  # the open years follow (core.models.sync_open_cycles)
    years = Cycle.objects.filter(body=body).order_by("year").values_list("year", "state")
    return RulesUpdate(
        body=body,
        open_years=[y for y, state in years if state not in FROZEN_STATES],
        kept_years=[y for y, state in years if state in FROZEN_STATES],
    )
