"""The kinds of organizational unit a body uses (a Camera: Segreteria generale, Area, Servizio…;
a Comune: Settore, Servizio, Ufficio; a Ministry: Dipartimento, Direzione generale), and the
check that a unit's kind is one of its body's, on every write path (OrgUnit.save and clean,
the bulk paths of OrgUnitQuerySet, the admin, the onboarding).

A body gets the default set of its kind when it is created (objectives.apps); the planning
office edits it in the admin. A body without a row (created in bulk) uses the default set.
The codes of the Camera's set are those the application knew before (the org chart of the
Relazione and the synthetic generator rely on "area", "service", "office", "agency")."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError

# The words every public body uses, with the codes units already have.
_COMMON = (
    ("secretariat", "Segreteria generale"),
    ("area", "Area"),
    ("service", "Servizio"),
    ("office", "Ufficio"),
)
CHAMBER_KINDS = (
    *_COMMON,
    ("agency", "Azienda speciale"),
    ("partner", "Società del sistema"),
)
DEFAULT_KINDS: dict[str, tuple[tuple[str, str], ...]] = {
    "camera": CHAMBER_KINDS,
    "comune": (
        ("secretariat", "Segreteria generale"),
        ("sector", "Settore"),
        *_COMMON[1:],
    ),
    "regione": (
        ("directorate", "Direzione generale"),
        ("sector", "Settore"),
        *_COMMON,
    ),
    "altro": (
        ("department", "Dipartimento"),
        ("directorate", "Direzione generale"),
        *_COMMON,
    ),
}


def default_kinds(body_kind: str) -> tuple[tuple[str, str], ...]:
    return DEFAULT_KINDS.get(body_kind, DEFAULT_KINDS["altro"])


def kinds_of_bodies(body_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """Each body's kinds (code: name) in its order. Two queries for any number of bodies."""
    from core.models import Body

    from .models import UnitKind

    ids = {i for i in body_ids if i is not None}
    result: dict[int, dict[str, str]] = {i: {} for i in ids}
    for body_id, code, name in UnitKind.objects.filter(body_id__in=ids).values_list(
        "body_id", "code", "name"
    ):
        result[body_id][code] = name
    bare = [i for i, kinds in result.items() if not kinds]
    for body_id, body_kind in Body._base_manager.filter(pk__in=bare).values_list("id", "kind"):
        result[body_id] = dict(default_kinds(body_kind))
    return result


def kinds_of(body_id: int) -> dict[str, str]:
    return kinds_of_bodies([body_id]).get(body_id, {})


def kinds_text(kinds: dict[str, str]) -> str:
    return ", ".join(f"{name.lower()} ({code})" for code, name in kinds.items())


def unit_kind_errors(units: Iterable) -> list[str]:
    """The units whose kind is not one of their body's, as Italian messages."""
    units = list(units)
    kinds = kinds_of_bodies(u.body_id for u in units)
    return [
        f"Unità «{u.name}»: tipo «{u.kind}» non previsto per questo ente: usare uno tra "
        f"{kinds_text(kinds.get(u.body_id, {}))} (l'elenco si modifica in «Tipi di unità "
        "organizzativa»)."
        for u in units
        if u.kind not in kinds.get(u.body_id, {})
    ]


def ensure_unit_kinds(units: Iterable) -> None:
    errors = unit_kind_errors(units)
    if errors:
        raise ValidationError({"kind": errors})


def create_default_kinds(body) -> None:
    from .models import UnitKind

    UnitKind.objects.bulk_create(
        [
            UnitKind(body=body, code=code, name=name, order=order)
            for order, (code, name) in enumerate(default_kinds(body.kind))
        ],
        ignore_conflicts=True,
    )
