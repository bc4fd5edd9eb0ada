"""The year's data version (``Cycle.data_version``): a counter raised in the same transaction
by every write to a row of the year (anything that uses ``core.querysets.CycleOwnedQuerySet``,
by ``save()``, ``delete()``, ``update()``, ``bulk_create()``, ``bulk_update()``, the
assignment of units to objectives), by a change of the year's rules and by a transition.

What reads the whole year and caches what it computed (the counts of the consistency checks)
keys its cache on it: one indexed read instead of aggregates over the year. It is raised for
any row of the year, not only those a given reader reads: never stale, sometimes recomputed.

The counter is raised before the write, inside the write's transaction (so readers never see
the new version with the old data, and writers of one year take the cycle's row lock first,
always in the same order); a ``save()`` in autocommit raises it again after the write, which
closes the window between the two commits. Raised even inside ``locking.unlocked()`` (the demo
loader): the lock may be lifted, the data still changes. Raw SQL escapes it, as it escapes
everything else (``verify_snapshot``); the cache's TTL bounds that."""

from __future__ import annotations

from django.apps import apps
from django.db import connections, models
from django.db.models import F, Q


def bump(q: Q, using: str = "default") -> None:
    """Raise the data version of the cycles matching ``q`` (one UPDATE). Bypasses
    ``CycleQuerySet.update`` on purpose: the counter is not a field of the year that its lock
    protects (a validated year refuses the writes that would raise it)."""
    cycle = apps.get_model("core", "Cycle")
    queryset = cycle._base_manager.using(using).filter(q).order_by()
    models.QuerySet.update(queryset, data_version=F("data_version") + 1)


def current(cycle_id: int, using: str = "default") -> int:
    """The data version as stored now (not as the request's Cycle was loaded)."""
    cycle = apps.get_model("core", "Cycle")
    return (
        cycle._base_manager.using(using)
        .filter(pk=cycle_id)
        .values_list("data_version", flat=True)
        .get()
    )


def in_autocommit(using: str) -> bool:
    return not connections[using].in_atomic_block
