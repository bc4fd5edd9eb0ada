"""The OIV's default checklist: the one definition of the items a new body starts with (the
setup of a body, :mod:`workflow.onboarding`, and the demo both create them from here). The
body then edits its own items in the admin; each year's answers keep the text they were given
to (``ChecklistAnswer.text``)."""

from __future__ import annotations

from core.models import Body

from .models import ChecklistItem

DEFAULT_CHECKLIST = (
    "Coerenza tra i risultati attesi del Piano (PIAO) e quelli rendicontati nella Relazione",
    "Motivazione degli scostamenti per gli indicatori sotto il risultato atteso",
    "Rimodulazioni dei risultati attesi supportate da atti formali",
    "Rilievi dei controlli di coerenza corretti o giustificati",
    "Attendibilità dei dati e indicazione delle fonti",
    "Presenza dei dati su pari opportunità e bilancio di genere",
    "Comprensibilità della Relazione per cittadini e imprese",
)


def checklist_default_create(body: Body) -> list[ChecklistItem]:
    """The default items for ``body`` (idempotent: an item with the same text is kept as it
    is); returns the body's items in use, in order."""
    for order, text in enumerate(DEFAULT_CHECKLIST, start=1):
        ChecklistItem.objects.get_or_create(body=body, text=text, defaults={"order": order})
    return list(ChecklistItem.objects.filter(body=body, active=True))
