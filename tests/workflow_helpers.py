"""Shared helpers of the workflow tests."""

from django.contrib.auth import get_user_model

from accounts.models import Profile
from objectives.models import OrgUnit


def make_user(username, role, units=(), email=True):
    user = get_user_model().objects.create_user(
        username=f"wf-{username}",
        email=f"wf-{username}@example.org" if email else "",
        password="x-test-password",
    )
    profile = Profile.objects.create(user=user, role=role)
    if units:
        profile.units.set(OrgUnit.objects.filter(slug__in=units))
    return user
