"""The demo accounts, one per role: created only by ``load_demo``, never by migrations."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import Membership, Role
from core.models import Body
from objectives.models import OrgUnit

from .loader import BODY

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
            membership, _ = Membership.objects.update_or_create(
                user=user, body=body, defaults={"role": role}
            )
            membership.units.set(OrgUnit.objects.filter(body=body, slug__in=slugs))
            created.append((username, password, Role(role).label))
    return created
