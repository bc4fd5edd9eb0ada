"""Shared helpers of the workflow tests."""

from django.contrib.auth import get_user_model

from objectives.models import OrgUnit
from tests.people import grant


def make_user(username, role, units=(), email=True):
    user = get_user_model().objects.create_user(
        username=f"wf-{username}",
        email=f"wf-{username}@example.org" if email else "",
        password="x-test-password",
    )
    grant(
        user,
        role,
        OrgUnit.objects.filter(body__slug="cciaa-bergamo", slug__in=units) if units else (),
    )
    return user


def workflow_people(prefix=""):
    """One person per role, plus the managers of PROMOZIONE and of REGISTRO IMPRESE."""
    return {
        "planning": make_user(f"{prefix}planning", "planning"),
        "oiv": make_user(f"{prefix}oiv", "oiv"),
        "admin": make_user(f"{prefix}admin", "admin"),
        "manager": make_user(f"{prefix}manager", "manager", units=["promozione"]),
        "other_manager": make_user(f"{prefix}other", "manager", units=["registro-imprese"]),
    }
