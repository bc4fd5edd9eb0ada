"""Optimistic locking, one mechanism for every versioned row (indicators, objectives, narrative
sections, context tables): a save names the version its page was loaded with, and the check and
the bump are one conditional ``UPDATE ... SET version = version + 1 WHERE id = .. AND version =
..``, so no other save can slip between them. Call it inside the transaction that writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.db.models import F


class Versioned(Protocol):
    """A model instance with an integer ``version`` field."""

    pk: Any
    version: int


def version_bump(
    obj: Versioned, expected_version: int | None, *, stale: Callable[[], Exception], **values: Any
) -> None:
    """Bump ``obj``'s version if it is still ``expected_version`` (None: the version ``obj``
    was loaded with), writing ``values`` in the same statement; otherwise raise ``stale()``
    (an error carrying the row as now saved) and write nothing. ``obj.version`` follows."""
    expected = obj.version if expected_version is None else int(expected_version)
    model: Any = type(obj)  # a Model: its ``objects``, whatever the model declares it as
    bumped = model.objects.filter(pk=obj.pk, version=expected).update(
        version=F("version") + 1, **values
    )
    if not bumped:
        raise stale()
    obj.version = expected + 1
