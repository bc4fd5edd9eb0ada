"""Named people for the data-entry tests: one per role, plus the manager of another unit.

Import the fixtures in a test module with ``from tests.people import *  # noqa: F403``.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser, User

from accounts.models import Membership, Role
from core.locking import unlocked
from core.models import Body, Cycle
from indicators.models import Indicator
from objectives.models import OrgUnit, Scorecard

__all__ = [
    "Ids",
    "grant",
    "log_in",
    "open_cycle",
    "people",
    "set_state",
    "unit_a_indicator",
    "unit_b_indicator",
]


def log_in(client, user) -> None:
    """A session for ``user`` without the login signals (other apps' receivers, such as
    reminders shown at login, are not what these tests are about)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "accounts.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def set_state(cycle, state) -> None:
    """Put the year in a state for a test (the workflow app guards locked years: the test
    changes the state as the demo loader does, inside its unlocked block)."""
    with unlocked():
        Cycle.objects.filter(pk=cycle.pk).update(state=state)
    cycle.state = state


@dataclass
class People:
    planning: User
    manager_a: User  # PROMOZIONE
    manager_b: User  # REGISTRO IMPRESE
    oiv: User
    admin: User
    anonymous: AnonymousUser

    def all(self) -> dict:
        return {
            "planning": self.planning,
            "manager_a": self.manager_a,
            "manager_b": self.manager_b,
            "oiv": self.oiv,
            "admin": self.admin,
            "anonymous": self.anonymous,
        }


DEMO_BODY = "cciaa-bergamo"


def grant(user, role, units=(), *, body=None) -> Membership:
    """The person's role in a body (the demo body unless named), with their units there."""
    if body is None:
        body = Body.objects.get(slug=DEMO_BODY)
    membership = Membership.objects.create(user=user, body=body, role=role)
    membership.units.set(units)
    return membership


def _person(username, role, units=(), *, staff=False, superuser=False):
    user = User.objects.create_user(
        username=username,
        password=f"pw-{username}-test",
        first_name=username.title(),
        is_staff=staff,
        is_superuser=superuser,
    )
    grant(user, role, units)
    return user


@pytest.fixture
def people(cycle):
    promozione = OrgUnit.objects.get(body=cycle.body, slug="promozione")
    registro = OrgUnit.objects.get(body=cycle.body, slug="registro-imprese")
    return People(
        planning=_person("t-pianificazione", Role.PLANNING, staff=True),
        manager_a=_person("t-promozione", Role.MANAGER, [promozione]),
        manager_b=_person("t-registro", Role.MANAGER, [registro]),
        oiv=_person("t-oiv", Role.OIV),
        admin=_person("t-admin", Role.ADMIN, staff=True, superuser=True),
        anonymous=AnonymousUser(),
    )


@pytest.fixture
def open_cycle(cycle):
    """The demo year reopened for data entry (the demo loads it published)."""
    set_state(cycle, Cycle.State.MONITORING)
    return cycle


def _only_unit_indicator(cycle, slug, kind):
    card = Scorecard.objects.get(cycle=cycle, slug=slug)
    for row in card.rows.select_related("indicator").order_by("order"):
        ind = row.indicator
        units = list(ind.operational_objective.units.values_list("slug", flat=True))
        if ind.kind == kind and units == [slug]:
            return Indicator.objects.select_related("cycle__body").get(pk=ind.pk)
    raise AssertionError(f"no {kind} indicator of {slug} only")


@pytest.fixture
def unit_a_indicator(cycle):
    """A numeric indicator of PROMOZIONE only (target 13, actual 14 in the demo)."""
    return _only_unit_indicator(cycle, "promozione", "number")


@pytest.fixture
def unit_b_indicator(cycle):
    return _only_unit_indicator(cycle, "registro-imprese", "number")


class Ids:
    """Slugs of the cruscotti of the two units."""

    A = "promozione"
    B = "registro-imprese"
