"""Every write of the workflow: transitions, target revisions, remarks and replies, the OIV
checklist and validation, re-opening a validated year, opening next year's plan.

Each function checks :mod:`workflow.permissions` first, validates its input (Italian
``ValidationError``; nothing changes on error: one transaction) and notifies the people
concerned after the commit (:mod:`workflow.notifications`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.permissions import ensure, role_of
from consistency.services import open_errors
from core import machine
from core.locking import in_transition
from core.models import Cycle, Transition
from core.selectors import measurement_rules
from indicators import domain, horizon
from indicators.models import Indicator, TargetRevision
from indicators.plan_builder import plan_build, plan_spec_of
from indicators.plan_spec import IndicatorSpec, RowSpec
from indicators.services import parse_target
from objectives.models import OperationalObjective, StrategicObjective

from . import notifications, selectors, snapshot
from . import permissions as perms
from .models import (
    ChecklistAnswer,
    ChecklistItem,
    GapJustification,
    Remark,
    RemarkReply,
    TargetProposal,
    Validation,
)
from .selectors import checklist_missing  # the same rule for the validation and its to-do

TEXT_MAX = 4000


def _clean(
    text: str, field: str, label: str, *, required: bool = True, max_length: int = TEXT_MAX
) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({field: f"{label}: campo obbligatorio."})
    if len(text) > max_length:
        raise ValidationError({field: f"{label}: al massimo {max_length} caratteri."})
    return text


# --- Transitions -------------------------------------------------------------------------


def _locked_cycle(cycle: Cycle) -> Cycle:
    """The cycle row locked for the transaction (two requests cannot move it at once)."""
    return Cycle.objects.select_for_update().select_related("body").get(pk=cycle.pk)


def _apply(
    cycle: Cycle, target: str, *, user: User, note: str = "", at: dt.datetime | None = None
) -> Transition:
    """Move and log; no permission check (callers check). Inside a transaction."""
    source = cycle.state
    cycle.state = target
    with in_transition():
        cycle.save(update_fields=["state"])
    return Transition.objects.create(
        cycle=cycle, source=source, target=target, user=user, at=at or timezone.now(), note=note
    )


def consistency_open_errors(cycle: Cycle) -> list:
    """The error-level findings without justification: submission waits until there are none.
    Computed now, not read from the cache of the pages (a cached list never decides it)."""
    return list(open_errors(cycle, fresh=True))


CONFIRM_MISSING = "confirm_missing"  # the code of the close step's question


def _preconditions(cycle: Cycle, target: str, *, confirm_missing: bool = False) -> str:
    """Refuse a move whose guardrail fails; return what the log must record of it."""
    if target == machine.CLOSED:
        return _close_guard(cycle, confirm_missing)
    if target == machine.SUBMITTED:
        _submit_guard(cycle)
    if cycle.state == machine.PLANNING and target == machine.MONITORING:
        pending = TargetProposal.objects.filter(
            indicator__cycle=cycle, confirmed_at__isnull=True
        ).count()
        if pending:
            raise ValidationError(
                f"Impossibile aprire l'inserimento dei dati: {pending} risultati attesi "
                "proposti dall'anno precedente sono ancora da confermare."
            )
    return ""


def _close_guard(cycle: Cycle, confirm_missing: bool) -> str:
    """Closing data entry with actuals still missing is a decision: it is asked, then logged."""
    missing = selectors.missing_actuals(cycle)
    if not missing.total:
        return ""
    if not confirm_missing:
        raise ValidationError(
            f"Sono ancora {missing.summary()}: confermare la chiusura della "
            "rendicontazione oppure completare i valori.",
            code=CONFIRM_MISSING,
        )
    return f"Chiusura confermata con {missing.summary()}."


def _submit_guard(cycle: Cycle) -> None:
    errors = consistency_open_errors(cycle)
    if errors:
        listed = "; ".join(f.message for f in errors[:10])
        more = f" (e altri {len(errors) - 10})" if len(errors) > 10 else ""
        raise ValidationError(
            f"Impossibile trasmettere all'OIV: {len(errors)} rilievi di coerenza di livello "
            f"errore sono aperti senza giustificazione: {listed}{more}. Correggerli o "
            "giustificarli nella pagina dei controlli di coerenza."
        )
    gaps = [gap for gap in selectors.submission_gaps(cycle) if gap.open]
    if gaps:
        raise ValidationError(
            f"Impossibile trasmettere all'OIV: mancano {len(gaps)} parti obbligatorie della "
            "Relazione: " + "; ".join(gap.label for gap in gaps) + ". Completarle oppure "
            "registrare per ciascuna la giustificazione nella pagina del ciclo."
        )


def cycle_transition(
    *, user: User, cycle: Cycle, target: str, note: str = "", confirm_missing: bool = False
) -> Transition:
    """Move the cycle to ``target`` (open, close, submit, return, publish...). Validation and
    re-opening a validated year have their own services. Closing with actuals missing needs
    ``confirm_missing`` (recorded in the log); submitting needs every mandatory part of the
    Relazione, or a justification of each one missing."""
    if target == machine.VALIDATED:
        raise ValidationError("La validazione si registra con la dichiarazione dell'OIV.")
    if cycle.state in machine.LOCKED_STATES and target == machine.MONITORING:
        return cycle_reopen(user=user, cycle=cycle, reason=note)
    note = _clean(note, "note", "Nota", required=False)
    with transaction.atomic():
        current = _locked_cycle(cycle)
        try:
            machine.check(current.state, target, role_of(user, current), note)
        except machine.TransitionNotAllowed as exc:
            ensure(False, str(exc))
        recorded = _preconditions(current, target, confirm_missing=confirm_missing)
        note = "\n".join(part for part in (note, recorded) if part)
        record = _apply(current, target, user=user, note=note)
        notifications.on_transition(record)
    cycle.state = current.state
    return record


def checklist_answer(
    *, user: User, cycle: Cycle, item: ChecklistItem, checked: bool, note: str = ""
) -> ChecklistAnswer:
    ensure(
        perms.can_answer_checklist(user, cycle),
        "La lista di verifica si compila dall'OIV mentre la Relazione è al suo esame.",
    )
    if item.body_id != cycle.body_id or not item.active:
        raise ValidationError("Voce della lista di verifica non valida per questo ente.")
    note = _clean(note, "note", "Nota", required=False)
    answer, _ = ChecklistAnswer.objects.update_or_create(
        cycle=cycle,
        item=item,
        defaults={"checked": bool(checked), "note": note, "user": user, "text": item.text},
    )
    return answer


def cycle_validate(*, user: User, cycle: Cycle, statement: str, date: dt.date) -> Validation:
    """The OIV validates: checklist complete, statement and date given; the snapshot of the
    year's data is stored with its SHA-256, then the year is locked."""
    statement = _clean(statement, "statement", "Attestazione")
    if not isinstance(date, dt.date):
        raise ValidationError({"date": "Data della validazione non valida."})
    if date > timezone.localdate():
        raise ValidationError({"date": "La data della validazione non può essere futura."})
    with transaction.atomic():
        current = _locked_cycle(cycle)
        try:
            machine.check(current.state, machine.VALIDATED, role_of(user, current))
        except machine.TransitionNotAllowed as exc:
            ensure(False, str(exc))
        if date.year <= current.year:
            raise ValidationError(
                {"date": f"La validazione segue la chiusura dell'anno {current.year}."}
            )
        missing = checklist_missing(current)
        if missing:
            raise ValidationError(
                "Prima di validare completare la lista di verifica: "
                + "; ".join(item.text for item in missing)
                + "."
            )
        remarks = selectors.open_remarks_count(current)
        if remarks:
            raise ValidationError(
                f"Prima di validare chiudere le osservazioni aperte ({remarks}): una "
                "osservazione lasciata aperta non potrebbe più essere chiusa."
            )
        validation = _validate(current, user=user, statement=statement, date=date)
        record = _apply(current, machine.VALIDATED, user=user, note=statement)
        notifications.on_transition(record)
    cycle.state = current.state
    return validation


def _validate(cycle: Cycle, *, user: User, statement: str, date: dt.date) -> Validation:
    text, sha = snapshot.take(cycle)
    return Validation.objects.create(
        cycle=cycle, statement=statement, date=date, user=user, snapshot=text, snapshot_hash=sha
    )


def cycle_reopen(*, user: User, cycle: Cycle, reason: str) -> Transition:
    """The exceptional re-opening of a validated year by the system administrator: the
    validation is voided (kept, marked), the year goes back to data entry."""
    with transaction.atomic():
        current = _locked_cycle(cycle)
        try:
            machine.check(current.state, machine.MONITORING, role_of(user, current), reason)
        except machine.TransitionNotAllowed as exc:
            ensure(False, str(exc))
        reason = _clean(reason, "reason", "Motivazione della riapertura")
        now = timezone.now()
        Validation.objects.filter(cycle=current, voided=False).update(
            voided=True, voided_at=now, voided_by=user, voided_reason=reason
        )
        record = _apply(current, machine.MONITORING, user=user, note=reason, at=now)
        notifications.on_transition(record)
    cycle.state = current.state
    return record


def gap_justify(*, user: User, cycle: Cycle, item: str, text: str) -> GapJustification:
    """The planning office records why one mandatory part of the Relazione is missing."""
    ensure(
        perms.can_justify_gaps(user, cycle),
        "Solo l'ufficio pianificazione giustifica le parti mancanti, prima della trasmissione "
        "all'OIV.",
    )
    text = _clean(text, "text", "Giustificazione")
    if item not in {gap.item for gap in selectors.submission_gaps(cycle)}:
        raise ValidationError("Questa parte della Relazione non manca (più): ricaricare la pagina.")
    justification, _ = GapJustification.objects.update_or_create(
        cycle=cycle, item=item, defaults={"text": text, "created_by": user}
    )
    return justification


# --- Target revisions ----------------------------------------------------------------------


def _normalize_target(indicator: Indicator, text: str) -> str:
    """The same normalization as the indicator form (indicators.services)."""
    try:
        return parse_target(indicator.kind, text, measurement_rules(indicator.cycle).method.scale)
    except ValidationError as exc:
        messages = exc.message_dict.get("target") or exc.messages
        raise ValidationError({"new_target": messages}) from exc


def target_revise(
    *,
    user: User,
    indicator: Indicator,
    new_target: str,
    reason: str,
    act_reference: str,
    act_date: dt.date,
    internal: bool = False,
) -> TargetRevision:
    """A *rimodulazione*: the only way to change a target once the year is past planning."""
    ensure(
        perms.can_revise_target(user, indicator),
        "Solo l'ufficio pianificazione può rimodulare un risultato atteso, e solo mentre "
        "l'anno è aperto all'inserimento dei dati.",
    )
    new_target = _clean(new_target, "new_target", "Nuovo risultato atteso", max_length=60)
    reason = _clean(reason, "reason", "Motivazione")
    act_reference = _clean(act_reference, "act_reference", "Atto", max_length=200)
    if not isinstance(act_date, dt.date):
        raise ValidationError({"act_date": "Data dell'atto non valida."})
    if act_date > timezone.localdate():
        raise ValidationError({"act_date": "La data dell'atto non può essere futura."})
    year = indicator.cycle.year
    if not (year - 1 <= act_date.year <= year + 1):
        raise ValidationError({"act_date": f"La data dell'atto non è plausibile per il {year}."})
    new_target = _normalize_target(indicator, new_target)
    with transaction.atomic():
        current = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if new_target == current.target:
            raise ValidationError(
                {"new_target": "Il nuovo risultato atteso è uguale a quello in vigore."}
            )
        revision = TargetRevision.objects.create(
            indicator=current,
            old_target=current.target,
            new_target=new_target,
            reason=reason,
            act_reference=act_reference,
            act_date=act_date,
            created_by=user,
            internal=bool(internal),
        )
        current.target = new_target
        current.version += 1
        current._history_user = user  # django-simple-history, when the model keeps history
        current.save(update_fields=["target", "version"])
    indicator.target, indicator.version = current.target, current.version
    return revision


# --- Remarks -------------------------------------------------------------------------------


def remark_create(
    *,
    user: User,
    cycle: Cycle,
    text: str,
    indicator: Indicator | None = None,
    operational_objective: OperationalObjective | None = None,
    strategic_objective: StrategicObjective | None = None,
    section: str = "",
) -> Remark:
    ensure(
        perms.can_remark(user, cycle),
        "Le osservazioni si lasciano dall'OIV mentre la Relazione è al suo esame.",
    )
    text = _clean(text, "text", "Osservazione")
    subjects = [s for s in (indicator, operational_objective, strategic_objective) if s]
    if len(subjects) + bool(section) != 1:
        raise ValidationError("Indicare un solo oggetto dell'osservazione.")
    if subjects and subjects[0].cycle_id != cycle.id:
        raise ValidationError("L'oggetto dell'osservazione appartiene a un altro anno.")
    if section and section not in dict(Remark.SECTIONS):
        raise ValidationError({"section": "Sezione non valida."})
    with transaction.atomic():
        remark = Remark.objects.create(
            cycle=cycle,
            text=text,
            author=user,
            indicator=indicator,
            operational_objective=operational_objective,
            strategic_objective=strategic_objective,
            section=section,
        )
        notifications.on_remark(remark)
    return remark


def remark_reply(*, user: User, remark: Remark, text: str) -> RemarkReply:
    ensure(
        perms.can_reply(user, remark),
        "Rispondono l'ufficio pianificazione e il responsabile dell'unità interessata, "
        "finché l'osservazione è aperta.",
    )
    text = _clean(text, "text", "Risposta")
    with transaction.atomic():
        reply = RemarkReply.objects.create(remark=remark, author=user, text=text)
        notifications.on_reply(reply)
    return reply


def remark_close(*, user: User, remark: Remark) -> Remark:
    ensure(perms.can_close_remark(user, remark), "Solo l'OIV chiude le proprie osservazioni.")
    with transaction.atomic():
        remark.status = Remark.Status.CLOSED
        remark.closed_by = user
        remark.closed_at = timezone.now()
        remark.save(update_fields=["status", "closed_by", "closed_at"])
        notifications.on_remark_closed(remark)
    return remark


# --- Next year's plan ------------------------------------------------------------------------


def cycle_open_next(*, user: User, source: Cycle) -> Cycle:
    """Next year's plan from this one: perspectives, objectives, unit assignments, indicators
    (weights, kinds, directions), cruscotti and their rows are copied; each target is proposed
    to confirm: the plan's N+1 target when it has one, else the year's, a deadline moved to the
    same day of the new year; the old N+2 becomes N+1 and this year's actual the baseline
    (:func:`_carried`); actuals, explanations and narratives are not copied."""
    ensure(
        perms.can_open_next(user, source),
        "Solo l'ufficio pianificazione apre il piano di un nuovo anno.",
    )
    return _open_next(source, user)


def _open_next(source: Cycle, user: User) -> Cycle:
    """No permission check: for cycle_open_next and the demo loader."""
    year = source.year + 1
    if Cycle.objects.filter(body_id=source.body_id, year=year).exists():
        raise ValidationError(f"Il ciclo {year} esiste già.")
    with transaction.atomic():
        new = Cycle.objects.create(
            body_id=source.body_id, year=year, state=Cycle.State.PLANNING, plan_reference=""
        )
        _copy_plan(source, new, user)
    return new


def _copy_plan(source: Cycle, new: Cycle, user: User) -> None:
    """The source's plan as a spec (indicators.plan_builder), what a new year does not carry
    over left out, built for ``new``; each target a proposal to confirm."""
    spec = plan_spec_of(source)
    shift = new.year - source.year
    spec.strategic = [replace(so, narrative="") for so in spec.strategic]
    # A deadline keeps its day in the new year (30/06/2023 -> 30/06/2024): copied as is,
    # every date entered in the new year would count as late.
    spec.indicators = [_carried(ind, source.year, shift) for ind in spec.indicators]
    spec.scorecards = [
        replace(card, rows=tuple(RowSpec(indicator=r.indicator, order=r.order) for r in card.rows))
        for card in spec.scorecards
    ]
    built = plan_build(cycle=new, plan=spec, user=user)
    sources = Indicator.objects.filter(cycle=source).order_by("order", "id")  # the spec's order
    TargetProposal.objects.bulk_create(
        TargetProposal(indicator=copy, source_indicator=ind, proposed_target=copy.target)
        for ind, copy in zip(sources, built.indicators, strict=True)
    )


def _carried(ind: IndicatorSpec, year: int, shift: int) -> IndicatorSpec:
    """An indicator of the new plan: the triennial plan moves on a year (the N+1 target becomes
    the year's, N+2 its N+1: indicators.horizon.carried), the actual of ``year`` becomes the
    baseline when known; actuals, notes and explanations stay behind."""
    # Without an N+1 the year's target is the proposal, a deadline moved to the same day of
    # the new year (30/06/2023 -> 30/06/2024): copied as is, every date would count as late.
    target, target_n1, target_n2 = horizon.carried(
        domain.shift_value_years(ind.target, shift), ind.target_n1, ind.target_n2
    )
    baseline, baseline_year = horizon.carried_baseline(
        year, ind.actual, ind.baseline, ind.baseline_year
    )
    return replace(
        ind,
        target=target,
        target_n1=target_n1,
        target_n2=target_n2,
        baseline=baseline,
        baseline_year=baseline_year,
        actual="",
        notes="",
        explanation="",
    )


def target_confirm(
    *, user: User, indicator: Indicator, target: str | None = None
) -> TargetProposal:
    """Confirm (optionally change) a target proposed from the previous year."""
    ensure(
        perms.can_confirm_target(user, indicator),
        "Solo l'ufficio pianificazione conferma i risultati attesi, mentre l'anno è in "
        "pianificazione.",
    )
    proposal = TargetProposal.objects.filter(indicator=indicator).first()
    if proposal is None:
        raise ValidationError("Questo indicatore non ha un risultato atteso da confermare.")
    with transaction.atomic():
        if target is not None:
            target = _clean(target, "target", "Risultato atteso", required=False, max_length=60)
            normalized = _normalize_target(indicator, target) if target else ""
            indicator.target = normalized
            indicator.version += 1
            indicator._history_user = user
            indicator.save(update_fields=["target", "version"])
        proposal.confirmed_by = user
        proposal.confirmed_at = timezone.now()
        proposal.save(update_fields=["confirmed_by", "confirmed_at"])
    return proposal


def targets_confirm_all(*, user: User, cycle: Cycle) -> int:
    """Confirm every pending proposal as proposed (the plan keeps last year's targets)."""
    ensure(
        perms.can_confirm_targets(user, cycle),
        "Solo l'ufficio pianificazione conferma i risultati attesi, mentre l'anno è in "
        "pianificazione.",
    )
    return TargetProposal.objects.filter(indicator__cycle=cycle, confirmed_at__isnull=True).update(
        confirmed_by=user, confirmed_at=timezone.now()
    )
