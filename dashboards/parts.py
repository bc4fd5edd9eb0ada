"""Whether a year has a page of the Relazione's parts (``core.structure``): by the body's kind
and the year's setting, without looking at the data (the page itself says when it is empty)."""

from __future__ import annotations

from core import structure
from core.models import Cycle


def common_absent(cycle: Cycle) -> str | None:
    """Why the year has no *obiettivi comuni di sistema* (None: it has them): the page is then
    a 404 saying so in words."""
    parts = structure.build(cycle.body.kind, cycle.omitted_sections)
    if parts.has(structure.COMMON):
        return None
    if cycle.body.kind != structure.CHAMBER:
        return (
            "Gli obiettivi comuni di sistema sono propri delle Camere di commercio: la "
            f"Relazione {cycle.year} di questo ente non li prevede."
        )
    return (
        f"La sezione «Obiettivi comuni di sistema» è stata esclusa dalla Relazione {cycle.year} "
        "dall'ufficio di pianificazione."
    )
