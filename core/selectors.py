"""Reads of the core that every layer above needs."""

import functools
import json

from .measurement import MeasurementRules
from .models import Body, Cycle
from .scoring_method import ScoringMethod, parse_scoring_method


@functools.lru_cache(maxsize=64)
def _parsed_method(text: str) -> ScoringMethod:
    return parse_scoring_method(json.loads(text))


def measurement_rules(cycle: Cycle) -> MeasurementRules:
    """The bands, the missed-deadline rule and the scoring method a year is measured by: the
    year's own copies (no query), never the body's current defaults, so a validated year keeps
    its rules. A stored method is valid (the field's validator); one broken by raw SQL fails
    loudly here rather than scoring with rules nobody chose."""
    return MeasurementRules(
        cycle.bands,
        cycle.missed_deadline_pct,
        _parsed_method(json.dumps(cycle.scoring_method, sort_keys=True)),
    )


def only_body() -> Body | None:
    """The installation's body when it has exactly one, else None (never one of several picked
    at random): what a page without a body in its address may fall back to. One query."""
    bodies = list(Body.objects.order_by("id")[:2])
    return bodies[0] if len(bodies) == 1 else None


def add_body_argument(parser) -> None:
    """``--ente`` of every command that works on one body's year (``--body`` still read)."""
    parser.add_argument(
        "--ente",
        "--body",
        dest="body",
        help="codice dell'ente (obbligatorio se l'installazione ne serve più d'uno)",
    )


def command_cycle(*, year: int, body: str | None) -> Cycle:
    """The year of one body for a command: named by ``--ente``, or the installation's only
    body; never one of several picked by the database."""
    from django.core.management.base import CommandError

    cycles = Cycle.objects.select_related("body").filter(year=year)
    if body:
        cycles = cycles.filter(body__slug=body)
    found = list(cycles.order_by("body__slug")[:3])
    if not found:
        whose = f" dell'ente «{body}»" if body else ""
        raise CommandError(f"Nessun ciclo della performance {year}{whose}.")
    if len(found) > 1:
        raise CommandError(
            f"Più enti hanno un ciclo {year}: indicare quale con --ente "
            f"({', '.join(c.body.slug for c in found)}{', ...' if len(found) > 2 else ''})."
        )
    return found[0]
