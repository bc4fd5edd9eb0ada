"""The state machine of a performance cycle: pure data and functions, no database.

planning -> monitoring (data entry open) -> closed (reporting closed) -> submitted to the OIV
-> returned with requests (-> monitoring / closed / submitted again) -> validated -> published;
a validated or published year is re-opened (-> monitoring) only by the system administrator,
with a reason. Each edge says which roles may take it; the services add the preconditions
that need the database (checklist, consistency findings, proposals to confirm).

A small explicit table rather than django-fsm: the state lives on ``core.Cycle`` (another
app), the table is readable in one screen and testable without a model.
"""

from __future__ import annotations

from dataclasses import dataclass

PLANNING = "planning"
MONITORING = "monitoring"
CLOSED = "closed"
SUBMITTED = "submitted"
RETURNED = "returned"
VALIDATED = "validated"
PUBLISHED = "published"

STATES = (PLANNING, MONITORING, CLOSED, SUBMITTED, RETURNED, VALIDATED, PUBLISHED)
# Once validated nothing of the year may change (see core.locking).
LOCKED_STATES = frozenset({VALIDATED, PUBLISHED})
# From the submission to the OIV the year's content is what the OIV reviews: the plan, values,
# texts, context and resources no longer change (a return by the OIV reopens them), and the
# body's settings and unit names change for the other years only.
FROZEN_STATES = frozenset({SUBMITTED}) | LOCKED_STATES

ROLE_PLANNING = "planning"
ROLE_OIV = "oiv"
ROLE_ADMIN = "admin"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    action: str  # stable code used in URLs and forms
    label: str  # Italian, for the button
    roles: frozenset[str]
    note_required: bool = False
    note_label: str = "Nota"


EDGES: tuple[Edge, ...] = (
    Edge(PLANNING, MONITORING, "open", "Apri l'inserimento dei dati", frozenset({ROLE_PLANNING})),
    Edge(MONITORING, CLOSED, "close", "Chiudi la rendicontazione", frozenset({ROLE_PLANNING})),
    Edge(CLOSED, MONITORING, "reopen-entry", "Riapri l'inserimento", frozenset({ROLE_PLANNING})),
    Edge(CLOSED, SUBMITTED, "submit", "Trasmetti all'OIV", frozenset({ROLE_PLANNING})),
    Edge(
        SUBMITTED,
        RETURNED,
        "return",
        "Restituisci con richieste di modifica",
        frozenset({ROLE_OIV}),
        note_required=True,
        note_label="Richieste di modifica",
    ),
    Edge(RETURNED, MONITORING, "resume", "Riapri l'inserimento", frozenset({ROLE_PLANNING})),
    Edge(
        RETURNED,
        CLOSED,
        "reclose",
        "Chiudi di nuovo la rendicontazione",
        frozenset({ROLE_PLANNING}),
    ),
    Edge(RETURNED, SUBMITTED, "resubmit", "Trasmetti di nuovo all'OIV", frozenset({ROLE_PLANNING})),
    Edge(SUBMITTED, VALIDATED, "validate", "Valida la Relazione", frozenset({ROLE_OIV})),
    Edge(VALIDATED, PUBLISHED, "publish", "Pubblica", frozenset({ROLE_PLANNING})),
    Edge(
        VALIDATED,
        MONITORING,
        "reopen",
        "Riapri l'anno validato (atto eccezionale)",
        frozenset({ROLE_ADMIN}),
        note_required=True,
        note_label="Motivazione della riapertura",
    ),
    Edge(
        PUBLISHED,
        MONITORING,
        "reopen",
        "Riapri l'anno validato (atto eccezionale)",
        frozenset({ROLE_ADMIN}),
        note_required=True,
        note_label="Motivazione della riapertura",
    ),
)

_BY_PAIR = {(edge.source, edge.target): edge for edge in EDGES}


class TransitionNotAllowed(Exception):
    """The edge does not exist, or the role may not take it."""


def edge(source: str, target: str) -> Edge | None:
    return _BY_PAIR.get((source, target))


def edges_from(source: str) -> list[Edge]:
    return [e for e in EDGES if e.source == source]


def edge_for_action(source: str, action: str) -> Edge | None:
    return next((e for e in EDGES if e.source == source and e.action == action), None)


def allowed_edges(source: str, role: str | None) -> list[Edge]:
    return [e for e in edges_from(source) if role in e.roles]


def check(source: str, target: str, role: str | None, note: str = "") -> Edge:
    """The edge from source to target if ``role`` may take it; otherwise an Italian error."""
    found = edge(source, target)
    if found is None:
        raise TransitionNotAllowed(
            f"Passaggio non previsto: da «{label(source)}» a «{label(target)}»."
        )
    if role not in found.roles:
        raise TransitionNotAllowed(
            f"Il passaggio «{found.label}» spetta a: "
            + ", ".join(sorted(ROLE_LABELS[r] for r in found.roles))
            + "."
        )
    if found.note_required and not note.strip():
        raise TransitionNotAllowed(f"{found.note_label}: campo obbligatorio.")
    return found


STATE_LABELS = {
    PLANNING: "Pianificazione",
    MONITORING: "Monitoraggio (inserimento dati aperto)",
    CLOSED: "Rendicontazione chiusa",
    SUBMITTED: "Trasmessa all'OIV",
    RETURNED: "Restituita dall'OIV con richieste",
    VALIDATED: "Validata dall'OIV",
    PUBLISHED: "Pubblicata",
}
ROLE_LABELS = {
    ROLE_PLANNING: "ufficio pianificazione e controllo",
    ROLE_OIV: "OIV",
    ROLE_ADMIN: "amministratore di sistema",
}


def label(state: str) -> str:
    return STATE_LABELS.get(state, state)
