"""Demo data: the narrative sections of the Relazione, from ``fixtures/<year>/narratives/``."""

from __future__ import annotations

from pathlib import Path

from simple_history.utils import bulk_create_with_history

from core.models import Cycle
from narratives.models import Narrative

ORDER = [key.value for key in Narrative.Key]


def narratives_load(cycle: Cycle, folder: Path) -> int:
    """(Re)create the year's narratives from ``<folder>/narratives/<key>.md``. Returns how many."""
    source = Path(folder) / "narratives"
    Narrative.objects.filter(cycle=cycle).delete()
    items = []
    for order, key in enumerate(ORDER):
        path = source / f"{key}.md"
        if path.exists():
            items.append(
                Narrative(
                    cycle=cycle,
                    key=key,
                    title=Narrative.Key(key).label,
                    body=path.read_text("utf-8"),
                    order=order,
                )
            )
    # With their first history record: the first edit then keeps the loaded text as "before".
    bulk_create_with_history(items, Narrative)
    return len(items)
