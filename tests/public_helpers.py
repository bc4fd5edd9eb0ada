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


def only_the_demo_body():
    """Remove demo.second's body (the test database holds two): what a one-body installation
    does differently (its short addresses, its name on the pages outside a body) can be seen."""
    from core.locking import unlocked
    from core.models import Body, Cycle
    from demo.second import SECOND_BODY

    with unlocked():
        Cycle.objects.filter(body__slug=SECOND_BODY["slug"]).delete()
        Body.objects.filter(slug=SECOND_BODY["slug"]).delete()
    assert Body.objects.count() == 1
