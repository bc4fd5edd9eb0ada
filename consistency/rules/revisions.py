"""REV: a target changed after the plan was approved without a revision act."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Finding, IndicatorData, Severity, YearSettings, declare, indicator_check
from .formatting import _short, _shown

REV_001 = declare(
    "REV-001",
    Severity.ERROR,
    "Risultato atteso modificato senza revisione",
    "Il risultato atteso di un indicatore è stato cambiato senza un atto di revisione registrato.",
)


# --- REV: revisions ---------------------------------------------------------------------------


@indicator_check
def check_unrecorded_revisions(data: YearSettings, ind: IndicatorData) -> Iterator[Finding]:
    if not ind.target_revised_without_record:
        return
    yield REV_001.finding(
        subject=f"indicator:{ind.id}",
        message=(
            f"Il risultato atteso dell'indicatore «{_short(ind.name)}» ({_shown(ind.target)}) "
            "è diverso da quello del piano approvato e non c'è un atto di revisione registrato."
        ),
        fix=(
            "Registrare la revisione del risultato atteso con l'atto che l'ha approvata, "
            "oppure ripristinare il valore del piano."
        ),
        objects=[ind.ref()],
        values={"target": ind.target},
        area="indicators",
    )
