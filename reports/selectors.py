"""Reads for the Relazione document. ``relazione_document`` gathers everything the PDF prints
with a fixed number of queries (see the comments), whatever the size of the plan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import models
from django.db.models import Q, QuerySet
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone

from consistency.corrections import Correction, corrections
from consistency.rules import NARRATIVE_SECTIONS
from consistency.selectors import year_data_build
from core import structure
from core.machine import LOCKED_STATES
from core.models import Cycle
from core.selectors import measurement_rules
from dashboards.results import results_paragraph
from dashboards.selectors import (
    CommonGroupNode,
    ScorecardLine,
    StrategicMap,
    common_groups,
    scorecard_lines,
    strategic_map,
    summarize_lines,
)
from dashboards.series import TableRow
from dashboards.trends import Trend, objective_trends
from finance.selectors import BudgetView, budget_view
from indicators.rollup import Summary, figure_for, summarize
from indicators.selectors import scorecard_rows
from lib.authorship import user_label
from lib.svg_line import year_line
from narratives.models import Narrative
from objectives.models import OrgUnit, Scorecard
from resources.models import ContextTable
from resources.selectors import PROCESS_PHASES, RESERVED_CONTEXT_KEYS
from resources.structure import cycle_structure, year_structure
from staff.selectors import PeopleView, people_view
from workflow.selectors import validation_of

from . import charts, layout
from .blocks import Block, document_blocks
from .methodology import NV_LEGEND, NoteSection, PlanShape, methodology_note
from .models import PdfRequest, RelazionePdf


def is_draft(cycle: Cycle) -> bool:
    """A Relazione is a draft until the OIV has validated it."""
    return cycle.state not in LOCKED_STATES


@dataclass
class Validation:
    """What the validation page prints, from the workflow's validation record."""

    date: dt.date | None
    statement: str
    snapshot_hash: str
    signed_by: str = ""


def document_validation(cycle: Cycle) -> Validation | None:
    """The OIV validation the document prints (None for a draft). Query: at most one."""
    if is_draft(cycle):
        return None
    record = validation_of(cycle, with_signer=True)
    if record is None:
        return None
    signer = record.user
    return Validation(
        date=record.date,
        statement=record.statement,
        snapshot_hash=record.snapshot_hash,
        signed_by=(signer.get_full_name() or signer.get_username()) if signer else "",
    )


def narrative_list(cycle: Cycle) -> QuerySet[Narrative]:
    return Narrative.objects.filter(cycle=cycle).order_by("order", "key")


def narrative_get(cycle: Cycle, key: str) -> Narrative | None:
    return Narrative.objects.filter(cycle=cycle, key=key).first()


@dataclass
class NarrativeSection:
    key: str
    label: str
    narrative: Narrative | None  # None: not written yet for this year


def narrative_sections(cycle: Cycle) -> list[NarrativeSection]:
    """Every section of the document, written or not, in the order the PDF prints them (one
    query): a new year starts with none, and each is written from its row. Only the parts the
    body's kind and the year's setting give (``core.structure``): a Comune has no text on the
    Camere's obiettivi comuni; a text already written is listed whatever the setting."""
    written = {n.key: n for n in Narrative.objects.filter(cycle=cycle).select_related("updated_by")}
    keys = set(cycle_structure(cycle).narrative_keys) | set(written)
    return [
        NarrativeSection(key.value, key.label, written.get(key.value))
        for key in Narrative.Key
        if key.value in keys
    ]


def narrative_previous(cycle: Cycle, key: str) -> Narrative | None:
    """The same section of the body's latest earlier year: the starting text of a new one."""
    return (
        Narrative.objects.filter(cycle__body=cycle.body, cycle__year__lt=cycle.year, key=key)
        .select_related("cycle")
        .order_by("-cycle__year")
        .first()
    )


@dataclass
class NarrativeVersion:
    """One saved version of a section: who saved it, when, and what changed from the one
    before (``changed`` is empty for the first version recorded)."""

    version: int
    date: dt.datetime
    user: str
    title: str
    body: str
    changed: list[str]
    first: bool


def narrative_history(narrative: Narrative, limit: int = 10) -> list[NarrativeVersion]:
    """The last ``limit`` saved versions of a section, newest first. Queries: one (the
    records with their users; one more record than shown, to tell what the oldest changed)."""
    records = list(
        narrative.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    labels = {"title": "titolo", "body": "testo"}
    versions = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        versions.append(
            NarrativeVersion(
                version=record.version,
                date=record.history_date,
                user=user_label(record.history_user),
                title=record.title,
                body=record.body,
                changed=[
                    label
                    for name, label in labels.items()
                    if older is not None and getattr(record, name) != getattr(older, name)
                ],
                first=older is None,
            )
        )
    return versions


def pdf_of(cycle: Cycle) -> RelazionePdf | None:
    return RelazionePdf.objects.filter(cycle=cycle).first()


class PdfStatus(models.TextChoices):
    """What the person who asked for the PDF reads: the task's status in the queue."""

    QUEUED = "queued", "In coda"
    RUNNING = "running", "In elaborazione"
    DONE = "done", "Completato"
    FAILED = "failed", "Non riuscito"


_TASK_STATUS = {
    TaskResultStatus.READY: PdfStatus.QUEUED,
    TaskResultStatus.RUNNING: PdfStatus.RUNNING,
    TaskResultStatus.SUCCESSFUL: PdfStatus.DONE,
    TaskResultStatus.FAILED: PdfStatus.FAILED,
}
FAILURE_MESSAGE = (
    "La generazione del PDF non è riuscita. "
    "Riprovare più tardi o contattare l'amministratore di sistema."
)
QUEUE_DOWN_MESSAGE = (
    "La richiesta non è stata messa in coda: il servizio dei lavori in background non risponde. "
    "Riprovare più tardi."
)
# A render takes seconds (minutes for a very large plan). A request still not queued, or a
# task still running, after STALE_AFTER has lost its process (a crash, a worker killed in the
# middle): it is told as failed, so that it does not hold the year's next request forever.
STALE_AFTER = dt.timedelta(minutes=30)
STALE_MESSAGE = (
    "La generazione non ha dato esito per oltre 30 minuti: il processo che la eseguiva si è "
    "probabilmente interrotto. Richiedere di nuovo la generazione."
)
# Still waiting after this long: most likely no worker is running.
WORKER_HINT_AFTER = dt.timedelta(minutes=1)
LOST_MESSAGE = (
    "Il lavoro non risulta più nella coda e non ha registrato un esito: "
    "richiedere di nuovo la generazione."
)


@dataclass(frozen=True)
class PdfRequestStatus:
    request: PdfRequest
    status: PdfStatus
    message: str = ""  # in Italian, for everyone
    error_detail: str = ""  # the exception as the queue recorded it, for the administrator
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.status in (PdfStatus.QUEUED, PdfStatus.RUNNING)

    @property
    def can_retry(self) -> bool:
        return self.status == PdfStatus.FAILED

    @property
    def worker_missing(self) -> bool:
        waited = timezone.now() - self.request.requested_at
        return self.status == PdfStatus.QUEUED and waited > WORKER_HINT_AFTER

    @property
    def label(self) -> str:
        return self.status.label


def pdf_request_status(request: PdfRequest) -> PdfRequestStatus:
    """The request's status as the task queue has it (one query to the queue). A request not
    queued yet, carried over from the old queue, or whose task the queue has pruned, is told
    from the outcome the task wrote on it."""
    from .tasks import relazione_pdf_render

    outcome = PdfRequestStatus(
        request,
        PdfStatus.FAILED if request.error else PdfStatus.DONE,
        message=request.error or _done_message(request.pages),
        finished_at=request.finished_at,
    )
    now = timezone.now()
    stale = PdfRequestStatus(request, PdfStatus.FAILED, message=STALE_MESSAGE)
    if not request.task_id:
        if request.finished_at:
            return outcome
        return (
            stale
            if now - request.requested_at > STALE_AFTER
            else (PdfRequestStatus(request, PdfStatus.QUEUED))
        )
    try:
        result = relazione_pdf_render.get_result(request.task_id)
    except TaskResultDoesNotExist:
        return (
            outcome
            if request.finished_at
            else PdfRequestStatus(request, PdfStatus.FAILED, message=LOST_MESSAGE)
        )
    status = _TASK_STATUS[result.status]
    if status == PdfStatus.RUNNING and now - result.started_at > STALE_AFTER:
        return replace(stale, started_at=result.started_at)
    detail = ""
    if result.errors:
        error = result.errors[-1]
        lines = error.traceback.strip().splitlines()
        detail = lines[-1] if lines else error.exception_class_path
    message = ""
    if status == PdfStatus.DONE:
        message = _done_message(request.pages)
    elif status == PdfStatus.FAILED:
        message = request.error or FAILURE_MESSAGE
    return PdfRequestStatus(
        request,
        status,
        message=message,
        error_detail=detail,
        started_at=result.started_at,
        finished_at=result.finished_at,
    )


def _done_message(pages: int | None) -> str:
    return f"PDF generato: {pages} pagine." if pages else "PDF generato."


def pdf_request_latest(cycle: Cycle) -> PdfRequestStatus | None:
    request = (
        PdfRequest.objects.filter(cycle=cycle)
        .select_related("requested_by", "retry_of")
        .order_by("-requested_at", "-id")
        .first()
    )
    return pdf_request_status(request) if request is not None else None


@dataclass
class ScorecardBlock:
    scorecard: Scorecard
    lines: list[ScorecardLine]
    summary: Summary


@dataclass
class ObjectiveBlock:
    node: object  # dashboards.selectors.ObjectiveNode (objective + summary)
    block: ScorecardBlock | None
    # The objective's % realization in the years up to the document's (document_trends): the
    # years it exists in, and the line drawn from two of them ("": a single year, a table).
    trend: list[TableRow] = field(default_factory=list)
    trend_svg: str = ""
    caption: str = ""  # the title of its cruscotto (core.structure.objective_caption)


@dataclass
class RelazioneDocument:
    cycle: Cycle
    draft: bool
    narratives: dict[str, Narrative]
    context_tables: list[ContextTable]
    process_phases: ContextTable | None
    reserved_tables: list[ContextTable]  # printed where a narrative places them (lavoro agile)
    people: PeopleView
    budget: BudgetView
    map: StrategicMap
    objectives: list[ObjectiveBlock]
    common: list[CommonGroupNode]
    units: list[ScorecardBlock]
    individuals: list[ScorecardBlock]
    validation: Validation | None
    charts: dict[str, str] = field(default_factory=dict)
    corrections: list[Correction] = field(default_factory=list)
    note: list[NoteSection] = field(default_factory=list)
    nv_legend: str = NV_LEGEND
    blocks: dict[tuple[str, str], Block] = field(default_factory=dict)
    structure: structure.Structure | None = None  # the parts printed, numbered (core.structure)

    def corrections_of(self, area: str) -> list[Correction]:
        return [c for c in self.corrections if c.area == area]

    @property
    def finance_corrections(self) -> list[Correction]:
        return self.corrections_of("finance")

    @property
    def staff_corrections(self) -> list[Correction]:
        return self.corrections_of("staff")


def relazione_document(cycle: Cycle) -> RelazioneDocument:
    """Everything the Relazione prints. Queries: those of ``_document_layout`` and the
    corrections (the consistency snapshot, ``consistency.selectors.YEAR_DATA_QUERIES``)."""
    document = _document_layout(cycle)
    page = methodology_page(cycle, plan_map=document.map, parts=document.structure)
    document.corrections, document.note = page.corrections, page.note
    return document


def _document_layout(cycle: Cycle) -> RelazioneDocument:
    """The document without its corrections and note: its texts, tables, figures and blocks.
    Queries: narratives (1), context tables (1), people (7), budget (4), strategic map (4),
    common groups (3), all scorecard rows with their joins (1), the units of the organization
    chart (1), the validation record (0-1)."""
    narratives = {n.key: n for n in narrative_list(cycle)}
    tables = list(ContextTable.objects.filter(cycle=cycle).order_by("order"))
    phases = next((t for t in tables if t.key == PROCESS_PHASES), None)
    people = people_view(cycle)
    budget = budget_view(cycle)
    smap = strategic_map(cycle)
    common = common_groups(cycle)

    rows = list(scorecard_rows(cycle=cycle))
    scorecards: dict[int, Scorecard] = {}
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        scorecards.setdefault(row.scorecard_id, row.scorecard)
        grouped[row.scorecard_id].append(row)
    blocks: dict[int, ScorecardBlock] = {}
    for scorecard_id, scorecard in scorecards.items():
        lines = scorecard_lines(cycle, grouped[scorecard_id])
        lines.sort(key=lambda line: line.sort_key)
        blocks[scorecard_id] = ScorecardBlock(
            scorecard, lines, summarize_lines(cycle, scorecard.title, lines)
        )
    ordered = sorted(blocks.values(), key=lambda b: (b.scorecard.order, b.scorecard.id))
    by_objective = {
        b.scorecard.strategic_objective_id: b
        for b in ordered
        if b.scorecard.section == Scorecard.Section.STRATEGIC
    }
    objectives = [
        ObjectiveBlock(
            node,
            by_objective.get(node.objective.id),
            caption=structure.objective_caption(cycle.levels, node.objective.code),
        )
        for p in smap.perspectives
        for node in p.objectives
    ]
    document_trends(cycle, objectives)
    document = RelazioneDocument(
        cycle=cycle,
        draft=is_draft(cycle),
        narratives=narratives,
        context_tables=[t for t in tables if t.key not in RESERVED_CONTEXT_KEYS],
        process_phases=phases,
        reserved_tables=[
            t for t in tables if t.key in RESERVED_CONTEXT_KEYS and t.key != PROCESS_PHASES
        ],
        people=people,
        budget=budget,
        map=smap,
        objectives=objectives,
        common=common,
        units=[b for b in ordered if b.scorecard.section == Scorecard.Section.UNIT],
        individuals=[b for b in ordered if b.scorecard.section == Scorecard.Section.INDIVIDUAL],
        validation=document_validation(cycle),
    )
    document.structure = document_structure(document)
    document.charts = document_charts(document)
    document.blocks = document_blocks(
        document, list(OrgUnit.objects.filter(body_id=cycle.body_id).as_of(cycle))
    )
    return document


def trend_cycles(cycle: Cycle) -> QuerySet[Cycle]:
    """The years the document's trends show: its own and the body's published years before
    it. Never a later year, nor another year not yet published (a public PDF would show it)."""
    return Cycle.objects.filter(body_id=cycle.body_id, year__lte=cycle.year).filter(
        Q(state=Cycle.State.PUBLISHED) | Q(pk=cycle.pk)
    )


def document_trends(cycle: Cycle, objectives: list[ObjectiveBlock]) -> None:
    """Each strategic objective's trend (three queries for them all, dashboards.trends): the
    table of the years it exists in; the line from two years on."""
    codes = [item.node.objective.code for item in objectives]  # type: ignore[attr-defined]
    found = objective_trends(trend_cycles(cycle), codes)
    for item, code in zip(objectives, codes, strict=True):
        trend = found.get(code)
        if trend is not None:
            item.trend, item.trend_svg = _printed_trend(trend, code)


def _printed_trend(trend: Trend, code: str) -> tuple[list[TableRow], str]:
    rows = [row for row in trend.rows if row.present]
    if len(rows) < 2:
        return rows, ""
    values = [
        None if value != value else Decimal(str(value)).quantize(Decimal("0.01"))  # NaN: a gap
        for value in trend.frame["realization"]
    ]
    title = f"Obiettivo {code}: % di realizzazione negli anni"
    labels = [row.realization for row in trend.rows]  # as the table prints them (98,77%)
    return rows, year_line(
        title, list(trend.frame.index), values, maximum=Decimal(100), labels=labels
    )


def document_structure(doc: RelazioneDocument) -> structure.Structure:
    """The parts the document prints, from the data it has loaded (no query): the same as
    ``resources.structure.year_structure`` gives the menus."""
    budget = doc.budget
    data = {
        "common": bool(doc.common),
        "units": bool(doc.units),
        "individuals": bool(doc.individuals),
        "staff": bool(doc.people.current),
        "budget": bool(
            any(lines for _label, lines in budget.groups)
            or budget.interventions
            or budget.ratios
            or budget.holdings
        ),
    }
    written = [key for key, n in doc.narratives.items() if n.body.strip()]
    cycle = doc.cycle
    return structure.build(
        cycle.body.kind, cycle.omitted_sections, data, written, cycle.state, cycle.levels
    )


def placeholders_unknown(cycle: Cycle, text: str) -> list[str]:
    """The placeholders of a text that name no table or figure of the year's document (the
    queries of ``_document_layout``, not the corrections): what the preview of a section warns
    about."""
    if not layout.placeholders(text):
        return []
    return layout.unknown_placeholders(text, set(_document_layout(cycle).blocks))


def document_charts(doc: RelazioneDocument) -> dict[str, str]:
    """The SVG charts of the document, from figures already loaded (no query)."""
    year = doc.cycle.year
    objectives = [o.node for o in doc.objectives]
    result = {
        "objectives": charts.horizontal_bars(
            structure.level_title(
                structure.STRATEGIC,
                f"Realizzazione degli obiettivi strategici {year} (%)",
                doc.cycle.levels,
            ),
            [f"{n.objective.code} {n.objective.name}" for n in objectives],
            [charts.Series("Realizzazione", [n.summary.realization for n in objectives])],
            decimals=2,
            suffix="%",
            maximum=Decimal(100),
            band_colours=[str(n.summary.band) for n in objectives],
        ),
        "units": charts.horizontal_bars(
            f"Realizzazione dei cruscotti delle unità organizzative {year} (%)",
            [b.scorecard.title.capitalize() for b in doc.units],
            [charts.Series("Realizzazione", [b.summary.realization for b in doc.units])],
            decimals=2,
            suffix="%",
            maximum=Decimal(100),
            band_colours=[str(b.summary.band) for b in doc.units],
        ),
    }
    totals = doc.budget.totals
    keys = [k for k in ("proventi_correnti", "oneri_correnti") if k in totals]
    if keys:
        result["budget"] = charts.horizontal_bars(
            f"Proventi e oneri correnti {year}: preventivo aggiornato e consuntivo (euro)",
            [totals[k].label for k in keys],
            [
                charts.Series("Preventivo aggiornato", [totals[k].forecast for k in keys]),
                charts.Series("Consuntivo", [totals[k].actual for k in keys], "#0066cc"),
            ],
        )
    people = doc.people
    if people.current:
        result["gender"] = charts.horizontal_bars(
            f"Personale in servizio al 31/12/{year} per area e genere",
            [row.category.name for row in people.current],
            [
                charts.Series("Donne", [row.women for row in people.current], "#a01e61"),
                charts.Series("Uomini", [row.men for row in people.current], "#0b5e7e"),
            ],
        )
    return result


@dataclass
class MethodologyPage:
    note: list[NoteSection]
    corrections: list[Correction]


def methodology_page(
    cycle: Cycle, *, plan_map: StrategicMap | None = None, parts: structure.Structure | None = None
) -> MethodologyPage:
    """The note and the corrections of a year, for its web page and the PDF. Queries: the
    strategic map (4, for the overall coverage and the first level; none when ``plan_map`` is
    given), the year's structure (1; none when ``parts`` is given) and the consistency
    snapshot (``YEAR_DATA_QUERIES``)."""
    data = year_data_build(cycle=cycle)
    found = corrections(data)
    plan_map = plan_map if plan_map is not None else strategic_map(cycle)
    implicit = {op.implicit for op in data.operational_objectives}
    first_level = not any(p.perspective.implicit for p in plan_map.perspectives)
    shape = PlanShape(
        cycle.levels, first_level, operational=False in implicit, direct=True in implicit
    )
    note = methodology_note(
        measurement_rules(cycle),
        year=cycle.year,
        qualitative=any(ind.kind == "qualitative" for ind in data.indicators),
        overall=plan_map.overall,
        corrections=len(found),
        omitted=structure.omission_paragraphs(parts or year_structure(cycle)),
        shape=shape,
    )
    return MethodologyPage(note, found)


def section_results(cycle: Cycle, key: str) -> str | None:
    """The results paragraph generated from the data for a narrative about a section of
    cruscotti (consistency.rules.NARRATIVE_SECTIONS), the starting text the planning office
    edits; None for other narratives. Queries: the section's rows with their joins (1)."""
    section = NARRATIVE_SECTIONS.get(key)
    if section is None:
        return None
    rows = scorecard_rows(cycle=cycle).filter(scorecard__section=section)
    figures = [
        figure_for(row.indicator, cycle, row.declared_realization, row.weight) for row in rows
    ]
    summary = summarize("", figures, measurement_rules(cycle))
    return results_paragraph(f"La sezione {section}", figures, summary)
