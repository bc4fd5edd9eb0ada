"""Shared helpers of the tests/test_public_*.py files."""

from contextlib import nullcontext

from django.apps import apps


def writable():
    """Lift the workflow's lock on validated/published years (when the workflow app exists):
    the tests change data of the published demo year on purpose."""
    if apps.is_installed("workflow"):
        from core.locking import unlocked

        return unlocked()
    return nullcontext()
