"""A synthetic second body beside the demo, so every page is tried with two bodies.

It shares with the demo body what makes a leak possible: the same year, the same unit codes
(``promozione``, ``registro-imprese``…), the same objective codes and cruscotto slugs. Its year
is in monitoring, never published, and every text of it carries :data:`MARKER`, so any of its
data on a page of the demo body, or on a public page, is visible at once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import Membership, Role
from core.locking import unlocked
from core.models import Body, BodyKind, Cycle
from indicators.models import Indicator
from indicators.plan_builder import plan_build, units_build
from narratives.models import Narrative
from objectives.models import OrgUnit, sync_unit_labels

from .loader import FIXTURES_DIR
from .plan import UNIT_SPECS, plan_spec

MARKER = "ESEMPIO-RISERVATO"
SECOND_BODY = {
    "name": "Camera di commercio di Esempio (ente sintetico)",
    "short_name": "CCIAA di Esempio",
    "slug": "cciaa-esempio",
    "kind": BodyKind.CHAMBER,
}
# username, first name, last name, role, unit codes: the OIV member of the demo body serves
# this one too (a role in each), the others work for this body only.
SECOND_ACCOUNTS = [
    ("esempio-pianificazione", "Piero", "Esempio", Role.PLANNING, []),
    ("esempio-promozione", "Maria", "Esempio", Role.MANAGER, ["promozione"]),
    ("oiv", "Olga", "Valutatrice", Role.OIV, []),
]


def second_body_load(*, year: int = 2023) -> Cycle:
    """(Re)load the second body's year. Idempotent, in one transaction."""
    plan = plan_spec(FIXTURES_DIR / str(year))
    with transaction.atomic(), unlocked():
        body, _ = Body.objects.update_or_create(slug=SECOND_BODY["slug"], defaults=SECOND_BODY)
        Cycle.objects.filter(body=body, year=year).delete()
        cycle = Cycle.objects.create(
            body=body,
            year=year,
            state=Cycle.State.MONITORING,
            plan_reference=f"Piano sintetico {MARKER}",
        )
        units_build(body=body, units=UNIT_SPECS)
        sync_unit_labels(cycle_ids=[cycle.pk])
        plan_build(cycle=cycle, plan=plan)
        # Texts only this body has: found anywhere else, they leaked.
        Indicator.objects.filter(cycle=cycle).update(notes=f"Nota interna {MARKER}")
        Narrative.objects.create(
            cycle=cycle,
            key=Narrative.Key.choices[0][0],
            title=Narrative.Key.choices[0][1],
            body=f"Premessa dell'ente sintetico {MARKER}.",
            order=0,
        )
    return cycle


def second_body_accounts() -> list[tuple[str, str, str]]:
    """The second body's people (idempotent): (username, password, role label)."""
    from .accounts import demo_password

    user_model = get_user_model()
    body = Body.objects.get(slug=SECOND_BODY["slug"])
    created = []
    with transaction.atomic():
        for username, first, last, role, codes in SECOND_ACCOUNTS:
            user, new = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "is_staff": role == Role.PLANNING,
                },
            )
            password = demo_password(username)
            if new:
                user.set_password(password)
                user.save()
            membership, _ = Membership.objects.update_or_create(
                user=user, body=body, defaults={"role": role}
            )
            membership.units.set(OrgUnit.objects.filter(body=body, slug__in=codes))
            created.append((username, password, f"{Role(role).label} ({body.short_name})"))
    return created
