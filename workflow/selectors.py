"""Reads of the workflow, each with a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import Http404

from accounts.permissions import DATA_ENTRY_STATES, unit_ids_of
from consistency.services import findings_count as count_findings
from core import machine
from core.models import Cycle, Transition
from core.prepared import Prepared
from indicators import domain
from indicators.models import Indicator, TargetRevision
from indicators.rollup import figure_for
from objectives.models import OrgUnit
from resources.structure import year_structure

from .models import (
    ChecklistAnswer,
    ChecklistItem,
    GapJustification,
    Remark,
    RemarkReply,
    Validation,
)
from .permissions import GAP_JUSTIFY_STATES
from .review import (  # noqa: F401 - the workspace's list, read with the workflow's other reads
    REVIEW_ORDERS,
    ReviewFilters,
    ReviewItem,
    review_items,
    review_page,
    unit_choices,
)


def revisions_by_indicator(cycle: Cycle) -> dict[int, list[TargetRevision]]:
    """Every rimodulazione of the year, oldest first, by indicator id. One query."""
    out: dict[int, list[TargetRevision]] = defaultdict(list)
    for revision in (
        TargetRevision.objects.filter(indicator__cycle=cycle)
        .select_related("created_by")
        .order_by("indicator_id", "created_at", "id")
    ):
        out[revision.indicator_id].append(revision)
    return dict(out)


def next_cycle_exists(cycle: Cycle) -> bool:
    return Cycle.objects.filter(body_id=cycle.body_id, year=cycle.year + 1).exists()


def pending_proposals_count(cycle: Cycle) -> int:
    """The targets proposed when the year was opened from the previous one, not confirmed."""
    return cycle.indicators.filter(
        target_proposal__confirmed_at__isnull=True, target_proposal__isnull=False
    ).count()


def revision_indicator_get(cycle: Cycle, pk: int) -> Indicator:
    """The indicator of the revisions page, with what its permission and its figure read."""
    indicator = (
        Indicator.objects.filter(cycle=cycle, pk=pk)
        .select_related("cycle__body", "operational_objective")
        .first()
    )
    if indicator is None:
        raise Http404("Indicatore non trovato.")
    return indicator


_VALIDATION_FIELDS = (
    "id",
    "cycle_id",
    "statement",
    "date",
    "snapshot_hash",
    "created_at",
    "voided",
)
# The workspace and the cycle's page ask it on every request: compiled once per process.
_VALIDATION = Prepared(
    lambda cycle_id: Validation.objects.filter(cycle_id=cycle_id, voided=False).only(
        *_VALIDATION_FIELDS
    )[:1],
    int,
)


def validation_of(cycle: Cycle, *, with_signer: bool = False) -> Validation | None:
    """The year's valid (not voided) validation: its ``date``, ``snapshot_hash`` and
    ``statement``, and with ``with_signer`` the OIV member's name (the PDF prints it; the public
    pages never read a user). The one lookup of a validation: the PDF, the public pages and the
    workflow pages use it. One query."""
    if not with_signer:
        found = _VALIDATION.objects(cycle.id)
        return found[0] if found else None
    signer = ("user__first_name", "user__last_name", "user__username")
    return (
        Validation.objects.filter(cycle=cycle, voided=False)
        .select_related("user")
        .only(*_VALIDATION_FIELDS, *signer)
        .first()
    )


def validations_of(cycle: Cycle) -> list[Validation]:
    """All validations, voided ones included (the history). One query."""
    return list(
        Validation.objects.filter(cycle=cycle)
        .defer("snapshot")
        .select_related("user", "voided_by")
        .order_by("-created_at", "-id")
    )


def transitions_of(cycle: Cycle) -> list[Transition]:
    return list(Transition.objects.filter(cycle=cycle).select_related("user").order_by("at", "id"))


@dataclass
class ChecklistLine:
    item: ChecklistItem
    answer: ChecklistAnswer | None
    text: str  # as the year shows it

    @property
    def checked(self) -> bool:
        return bool(self.answer and self.answer.checked and self.answer.text == self.text)


# Asked on every request of the workspace: compiled once per process.
_CHECKLIST_ANSWERS = Prepared(
    lambda cycle_id: (
        ChecklistAnswer.objects.filter(cycle_id=cycle_id)
        .select_related("user", "item")
        .order_by("item__order", "item_id")
    ),
    int,
)
_CHECKLIST_ITEMS = Prepared(
    lambda body_id: ChecklistItem.objects.filter(body_id=body_id, active=True), int
)


def checklist_of(cycle: Cycle) -> list[ChecklistLine]:
    """The body's active items with this year's answers; for a validated year, the items as
    the OIV answered them (their texts then), whatever the body's list says today. Two
    queries."""
    answers = {a.item_id: a for a in _CHECKLIST_ANSWERS.objects(cycle.id)}
    if cycle.state in machine.LOCKED_STATES:
        return [ChecklistLine(a.item, a, a.text) for a in answers.values()]
    return [
        ChecklistLine(item, answers.get(item.id), item.text)
        for item in _CHECKLIST_ITEMS.objects(cycle.body_id)
    ]


_REMARK_RELATED = (
    "author",
    "closed_by",
    "indicator",
    "operational_objective",
    "strategic_objective",
)


def _remark_prefetch() -> tuple:
    # A new Prefetch each time: a prefetch writes its hints (an instance) on its queryset.
    return (
        "indicator__operational_objective__units",
        "operational_objective__units",
        Prefetch("replies", queryset=RemarkReply.objects.select_related("author")),
    )


# The workspace lists the year's remarks on every request: compiled once per process.
_REMARKS = Prepared(
    lambda cycle_id: Remark.objects.filter(cycle_id=cycle_id).select_related(*_REMARK_RELATED),
    int,
)


def remarks_of(cycle: Cycle, *, status: str | None = None) -> list[Remark]:
    """The year's remarks (of a status) with their subjects, units and replies: one query, and
    the prefetches when there are remarks."""
    if status:
        remarks = list(
            Remark.objects.filter(cycle=cycle, status=status).select_related(*_REMARK_RELATED)
        )
    else:
        remarks = _REMARKS.objects(cycle.id)
    prefetch_related_objects(remarks, *_remark_prefetch())
    return remarks


def remark_get(cycle: Cycle, pk: int) -> Remark:
    remark = (
        Remark.objects.filter(cycle=cycle, pk=pk)
        .select_related(
            "cycle__body",
            "author",
            "closed_by",
            "indicator__operational_objective",
            "operational_objective",
            "strategic_objective",
        )
        .prefetch_related(
            "indicator__operational_objective__units",
            "operational_objective__units",
            Prefetch("replies", queryset=RemarkReply.objects.select_related("author")),
        )
        .first()
    )
    if remark is None:
        raise Http404("Osservazione non trovata.")
    return remark


# --- The OIV workspace (its list of indicators: workflow.review) ----------------------------


def findings_count(cycle: Cycle) -> dict:
    """The consistency findings counts."""
    return count_findings(cycle)


# --- The unit manager's to-do --------------------------------------------------------------


@dataclass
class Todo:
    missing_actual: list = field(default_factory=list)
    missing_explanation: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.missing_actual) + len(self.missing_explanation)


def open_cycle_for_entry(body_id: int) -> Cycle | None:
    """The body's latest year open to data entry."""
    return (
        Cycle.objects.select_related("body")
        .filter(body_id=body_id, state__in=[machine.MONITORING, machine.RETURNED])
        .order_by("-year")
        .first()
    )


def manager_todo(cycle: Cycle, user) -> Todo:
    """What is still missing in the manager's cruscotti: indicators without an actual, and
    below target without an explanation. Two queries (the user's units, the indicators)."""
    units = unit_ids_of(user, cycle)
    todo = Todo()
    if not units:
        return todo
    indicators = (
        Indicator.objects.filter(cycle=cycle, operational_objective__units__in=units)
        .select_related("operational_objective")
        .distinct()
        .order_by("order", "id")
    )
    for ind in indicators:
        if actual_missing(ind):
            todo.missing_actual.append(ind)
            continue
        figure = figure_for(ind, cycle)
        if domain.is_below_target(figure.realization) and not ind.explanation.strip():
            todo.missing_explanation.append(figure)
    return todo


# --- The guardrails of the cycle -------------------------------------------------------------


def actual_missing(indicator) -> bool:
    """An indicator whose actual is still to be entered (``NV`` is an answer, not a gap): the
    one definition behind the close step, the managers' to-do and the "Da fare" pages."""
    return domain.parse_value(indicator.actual).type is domain.ValueType.EMPTY


NO_UNIT = "Senza unità assegnata"


@dataclass
class MissingActuals:
    """The actuals not entered in a year, counted by unit and by cruscotto."""

    indicators: list
    by_unit: list[tuple[str, int]]
    by_scorecard: list[tuple[str, str, int]]  # title, slug, count

    @property
    def total(self) -> int:
        return len(self.indicators)

    def summary(self) -> str:
        """One line for the transition log (Italian)."""
        units = "; ".join(f"{name}: {count}" for name, count in self.by_unit)
        return f"{self.total} valori ottenuti da inserire ({units})"


def missing_actuals(cycle: Cycle, *, unit_ids: set[int] | None = None) -> MissingActuals:
    """The indicators of the year without an actual, by unit (of their operational objective)
    and by cruscotto; ``unit_ids`` narrows to a manager's units and their cruscotti. Three
    queries."""
    from indicators.models import ScorecardRow

    qs = Indicator.objects.filter(cycle=cycle)
    if unit_ids is not None:
        qs = qs.filter(operational_objective__units__in=unit_ids).distinct()
    indicators = [
        ind
        for ind in qs.select_related("operational_objective")
        .prefetch_related(
            Prefetch("operational_objective__units", queryset=OrgUnit.objects.as_of(cycle))
        )
        .order_by("order", "id")
        if actual_missing(ind)
    ]
    ids = {ind.id for ind in indicators}
    units: dict[str, int] = defaultdict(int)
    for ind in indicators:
        op = ind.operational_objective
        for name in [u.year_name for u in op.units.all()] if op else []:
            units[name] += 1
        if op is None or not op.units.all():
            units[NO_UNIT] += 1
    cards: dict[tuple, int] = defaultdict(int)
    rows = ScorecardRow.objects.filter(scorecard__cycle=cycle)
    if unit_ids is not None:  # a manager's own cruscotti, the ones it can edit
        rows = rows.filter(scorecard__unit_id__in=unit_ids)
    rows = rows.values_list(
        "indicator_id", "scorecard__order", "scorecard__title", "scorecard__slug"
    )
    for indicator_id, order, title, slug in rows:
        if indicator_id in ids:
            cards[(order, title, slug)] += 1
    return MissingActuals(
        indicators=indicators,
        by_unit=sorted(units.items(), key=lambda kv: (-kv[1], kv[0])),
        by_scorecard=[(title, slug, n) for (_o, title, slug), n in sorted(cards.items())],
    )


@dataclass
class Gap:
    """A mandatory part of the Relazione still missing, with its justification if recorded."""

    item: str  # stable key: "testo:<section>", "risorse:conto-economico", "risorse:personale"
    label: str
    justification: GapJustification | None = None

    @property
    def open(self) -> bool:
        return self.justification is None


def submission_gaps(cycle: Cycle) -> list[Gap]:
    """What the Relazione must contain before it goes to the OIV: every narrative section
    written (those of the parts the year's Relazione has, ``core.structure``), the conto
    economico and the staff of the year filled. Five queries."""
    from finance.models import BudgetLine
    from narratives.models import Narrative
    from staff.models import Headcount

    written = {
        key
        for key, body in Narrative.objects.filter(cycle=cycle).values_list("key", "body")
        if body.strip()
    }
    expected = set(year_structure(cycle).narrative_keys)
    gaps = [
        Gap(f"testo:{key.value}", f"Testo della Relazione «{key.label}» non scritto")
        for key in Narrative.Key
        if key.value in expected and key.value not in written
    ]
    if not BudgetLine.objects.filter(cycle=cycle, actual__isnull=False).exists():
        gaps.append(
            Gap("risorse:conto-economico", "Risorse economiche: conto economico senza importi")
        )
    if not Headcount.objects.filter(cycle=cycle, year=cycle.year, count__gt=0).exists():
        gaps.append(
            Gap(
                "risorse:personale",
                f"Personale: nessun dipendente in servizio al 31/12/{cycle.year}",
            )
        )
    justified = {j.item: j for j in GapJustification.objects.filter(cycle=cycle)}
    for gap in gaps:
        gap.justification = justified.get(gap.item)
    return gaps


def open_remarks_count(cycle: Cycle) -> int:
    return Remark.objects.filter(cycle=cycle, status=Remark.Status.OPEN).count()


# --- "Da fare": each role's next actions on a year ------------------------------------------


@dataclass
class NextSteps:
    """What a person should do next on a year, by role (the "Da fare" page)."""

    cycle: Cycle
    review: bool = False  # the OIV on the year submitted to it: the checklist, the workspace
    administers: bool = False  # a system administrator: the link to the Django admin
    todo: Todo | None = None  # a manager's indicators without actual or explanation
    missing: MissingActuals | None = None  # before closing (the manager's units only)
    gaps: list[Gap] = field(default_factory=list)  # before submitting
    open_errors: int | None = None  # consistency errors without justification
    remarks: list[Remark] = field(default_factory=list)  # open remarks
    checklist_missing: int = 0
    edges: list = field(default_factory=list)  # the transitions the person may take now

    @property
    def open_gaps(self) -> list[Gap]:
        return [gap for gap in self.gaps if gap.open]


def next_steps(cycle: Cycle, user) -> NextSteps:
    """Reads only what the person's role acts on in the year's current state."""
    from accounts.permissions import is_admin, is_internal, is_manager, is_planner

    from .permissions import allowed_edges, can_answer_checklist, can_view_remark

    steps = NextSteps(
        cycle=cycle, edges=allowed_edges(user, cycle), administers=is_admin(user, cycle)
    )
    entry_open = cycle.state in DATA_ENTRY_STATES
    if is_manager(user, cycle):
        steps.todo = manager_todo(cycle, user)
        if entry_open:
            steps.missing = missing_actuals(cycle, unit_ids=unit_ids_of(user, cycle))
    if is_planner(user, cycle):
        if entry_open:
            steps.missing = missing_actuals(cycle)
        if cycle.state in GAP_JUSTIFY_STATES:
            steps.gaps = submission_gaps(cycle)
        if cycle.state in (machine.CLOSED, machine.RETURNED):
            steps.open_errors = findings_count(cycle)["open_errors"]
    if is_internal(user, cycle):
        open_remarks = remarks_of(cycle, status=Remark.Status.OPEN)
        steps.remarks = [r for r in open_remarks if can_view_remark(user, r)]
    if can_answer_checklist(user, cycle):
        steps.review = True
        steps.checklist_missing = len(checklist_missing(cycle))
    return steps


def checklist_missing(cycle: Cycle) -> list[ChecklistItem]:
    """The active checklist items not (yet) ticked for the year."""
    # An answer given to an earlier text of the item does not count for the text of today.
    checked = ChecklistAnswer.objects.filter(
        cycle=cycle, checked=True, item=OuterRef("pk"), text=OuterRef("text")
    )
    return list(
        ChecklistItem.objects.filter(body_id=cycle.body_id, active=True).exclude(Exists(checked))
    )


def todo_cycle(user, body) -> Cycle | None:
    """The year a person lands on after login: the OIV the year submitted to it, the others
    the newest year open to data entry, else the newest year they may see."""
    from accounts.permissions import is_oiv
    from accounts.selectors import cycle_list

    cycles = list(cycle_list(body=body, user=user))
    preferred = (
        (machine.SUBMITTED,)
        if is_oiv(user, body)
        else (machine.MONITORING, machine.RETURNED, machine.CLOSED, machine.SUBMITTED)
    )
    return next((c for c in cycles if c.state in preferred), cycles[0] if cycles else None)
