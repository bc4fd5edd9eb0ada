"""Transitions with roles and logging, the submission block, the OIV checklist and validation,
remarks, notifications, target revisions, next year's plan and the demo years."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core import machine
from core.models import Cycle, Transition
from demo.workflow import demo_checklist
from indicators import domain
from indicators.models import Indicator, ScorecardRow, TargetRevision
from objectives.models import OperationalObjective, Scorecard
from workflow import selectors, services
from workflow.models import Remark, TargetProposal, Validation

from .workflow_helpers import workflow_people


@pytest.fixture
def people(db):
    return workflow_people()


def _justify_gaps(cycle, planning):
    for gap in selectors.submission_gaps(cycle):
        if gap.open:
            services.gap_justify(user=planning, cycle=cycle, item=gap.item, text="Non previsto.")


def _to_submitted(cycle, people):
    services.cycle_transition(
        user=people["planning"], cycle=cycle, target="closed", confirm_missing=True
    )
    _justify_gaps(cycle, people["planning"])
    services.cycle_transition(user=people["planning"], cycle=cycle, target="submitted")


def _tick_checklist(cycle, oiv):
    for item in demo_checklist(cycle.body):
        services.checklist_answer(user=oiv, cycle=cycle, item=item, checked=True)


# --- Demo --------------------------------------------------------------------------------


def test_demo_2023_went_through_the_whole_cycle_and_2024_is_open(cycle, y2024):
    assert cycle.state == "published"
    path = [(t.source, t.target) for t in selectors.transitions_of(cycle)]
    assert path == [
        ("planning", "monitoring"),
        ("monitoring", "closed"),
        ("closed", "submitted"),
        ("submitted", "validated"),
        ("validated", "published"),
    ]
    validation = selectors.validation_of(cycle)
    assert validation.date == dt.date(2024, 5, 28) and len(validation.snapshot_hash) == 64
    assert not selectors.checklist_of(cycle) or all(
        line.checked for line in selectors.checklist_of(cycle)
    )
    assert y2024.state == "monitoring"
    actuals = list(Indicator.objects.filter(cycle=y2024).values_list("actual", flat=True))
    filled = sum(1 for a in actuals if a)
    assert actuals and 0.3 * len(actuals) <= filled <= 0.6 * len(actuals)


# --- Transitions -------------------------------------------------------------------------


def test_full_cycle_by_the_right_roles_is_logged(y2024, people, no_findings):
    _to_submitted(y2024, people)
    services.cycle_transition(
        user=people["oiv"], cycle=y2024, target="returned", note="Motivare gli scostamenti."
    )
    services.cycle_transition(user=people["planning"], cycle=y2024, target="monitoring")
    _to_submitted(y2024, people)
    _tick_checklist(y2024, people["oiv"])
    services.cycle_validate(
        user=people["oiv"], cycle=y2024, statement="Validata.", date=timezone.localdate()
    )
    services.cycle_transition(user=people["planning"], cycle=y2024, target="published")
    y2024.refresh_from_db()
    assert y2024.state == "published"
    log = list(Transition.objects.filter(cycle=y2024).order_by("at", "id"))
    assert [(t.source, t.target) for t in log[-8:]] == [
        ("monitoring", "closed"),
        ("closed", "submitted"),
        ("submitted", "returned"),
        ("returned", "monitoring"),
        ("monitoring", "closed"),
        ("closed", "submitted"),
        ("submitted", "validated"),
        ("validated", "published"),
    ]
    assert log[-6].user == people["oiv"] and log[-6].note == "Motivare gli scostamenti."
    assert log[-1].user == people["planning"]


@pytest.mark.parametrize("role", ["manager", "oiv", "admin"])
def test_planning_transitions_refused_to_other_roles(y2024, people, role):
    with pytest.raises(PermissionDenied, match="spetta a"):
        services.cycle_transition(user=people[role], cycle=y2024, target="closed")
    y2024.refresh_from_db()
    assert y2024.state == "monitoring"
    assert not Transition.objects.filter(cycle=y2024, target="closed").exists()


@pytest.mark.parametrize("role", ["planning", "manager", "admin"])
def test_oiv_transitions_refused_to_other_roles(y2024, people, role, no_findings):
    _to_submitted(y2024, people)
    with pytest.raises(PermissionDenied):
        services.cycle_transition(user=people[role], cycle=y2024, target="returned", note="x")
    _tick_checklist(y2024, people["oiv"])
    with pytest.raises(PermissionDenied):
        services.cycle_validate(
            user=people[role], cycle=y2024, statement="x", date=timezone.localdate()
        )
    y2024.refresh_from_db()
    assert y2024.state == "submitted"


def test_submission_blocked_by_open_error_findings(y2024, people, monkeypatch):
    class Finding:
        message = "Somma delle voci diversa dal totale dichiarato"

    monkeypatch.setattr(services, "consistency_open_errors", lambda cycle: [Finding()])
    services.cycle_transition(
        user=people["planning"], cycle=y2024, target="closed", confirm_missing=True
    )
    with pytest.raises(ValidationError, match="Impossibile trasmettere all'OIV: 1 rilievi"):
        services.cycle_transition(user=people["planning"], cycle=y2024, target="submitted")
    y2024.refresh_from_db()
    assert y2024.state == "closed"


def test_consistency_guard_calls_the_real_app(y2024):
    assert isinstance(services.consistency_open_errors(y2024), list)


def test_validation_requires_the_checklist(y2024, people, no_findings):
    _to_submitted(y2024, people)
    items = demo_checklist(y2024.body)
    for item in items[:-1]:
        services.checklist_answer(user=people["oiv"], cycle=y2024, item=item, checked=True)
    with pytest.raises(ValidationError, match="completare la lista di verifica"):
        services.cycle_validate(
            user=people["oiv"], cycle=y2024, statement="Ok", date=timezone.localdate()
        )
    assert not Validation.objects.filter(cycle=y2024).exists()
    services.checklist_answer(user=people["oiv"], cycle=y2024, item=items[-1], checked=True)
    validation = services.cycle_validate(
        user=people["oiv"], cycle=y2024, statement="Ok", date=timezone.localdate()
    )
    assert selectors.validation_of(y2024) == validation


def test_reopen_voids_the_validation(cycle, people):
    old = selectors.validation_of(cycle)
    with pytest.raises(PermissionDenied):
        services.cycle_reopen(user=people["planning"], cycle=cycle, reason="errore")
    with pytest.raises(PermissionDenied, match="Motivazione"):
        services.cycle_reopen(user=people["admin"], cycle=cycle, reason=" ")
    services.cycle_reopen(user=people["admin"], cycle=cycle, reason="Errore materiale nel dato X.")
    cycle.refresh_from_db()
    old.refresh_from_db()
    assert cycle.state == "monitoring"
    assert (
        old.voided and old.voided_by == people["admin"] and "Errore materiale" in old.voided_reason
    )
    assert selectors.validation_of(cycle) is None
    last = Transition.objects.filter(cycle=cycle).last()
    assert (last.source, last.target, last.user) == ("published", "monitoring", people["admin"])


def test_state_change_outside_the_workflow_is_logged_and_voids(cycle):
    cycle.state = "monitoring"
    cycle.save(update_fields=["state"])
    last = Transition.objects.filter(cycle=cycle).last()
    assert (last.source, last.target, last.user) == ("published", "monitoring", None)
    assert selectors.validation_of(cycle) is None


# --- Pages -------------------------------------------------------------------------------


def test_cycle_page_shows_history_and_buttons(client, cycle, y2024, people):
    client.force_login(people["planning"])
    page = client.get(reverse("workflow:cycle", args=["cciaa-bergamo", 2023])).content.decode()
    assert "Storia del ciclo" in page and "Validata dall&#x27;OIV" in page
    assert selectors.validation_of(cycle).snapshot_hash in page
    page = client.get(reverse("workflow:cycle", args=["cciaa-bergamo", 2024])).content.decode()
    assert "Chiudi la rendicontazione" in page
    response = client.post(
        reverse("workflow:transition", args=["cciaa-bergamo", 2024]),
        {"target": "closed", "note": ""},
    )
    assert response.status_code == 400  # the missing actuals are listed, to be confirmed
    assert "Confermo la chiusura con" in response.content.decode()
    response = client.post(
        reverse("workflow:transition", args=["cciaa-bergamo", 2024]),
        {"target": "closed", "note": "", "confirm_missing": "on"},
    )
    assert response.status_code == 302
    y2024.refresh_from_db()
    assert y2024.state == "closed"
    client.force_login(people["manager"])
    response = client.post(
        reverse("workflow:transition", args=["cciaa-bergamo", 2024]),
        {"target": "submitted", "note": ""},
    )
    assert response.status_code == 403


def test_workspace_filters_and_findings(client, y2024, people, no_findings):
    client.force_login(people["oiv"])
    url = reverse("workflow:workspace", args=["cciaa-bergamo", 2024])
    all_items = client.get(url).context["items"]
    below = client.get(url + "?sotto=1").context["items"]
    nv = client.get(url + "?nv=1").context["items"]
    assert below and all(i.below_target for i in below) and len(below) < len(all_items)
    assert nv and all(i.not_valued for i in nv)
    assert client.get(url).context["findings"] is not None
    client.force_login(people["manager"])
    assert client.get(url).status_code == 403


def test_workspace_revised_filter(client, y2024, people):
    ind = Indicator.objects.filter(cycle=y2024, kind="number").exclude(target="").first()
    services.target_revise(
        user=people["planning"],
        indicator=ind,
        new_target="1",
        reason="Riduzione del budget.",
        act_reference="delibera di Giunta n. 45/2024",
        act_date=dt.date(2024, 6, 1),
    )
    client.force_login(people["oiv"])
    items = client.get(
        reverse("workflow:workspace", args=["cciaa-bergamo", 2024]) + "?rimodulati=1"
    ).context["items"]
    assert [i.indicator.id for i in items] == [ind.id]


# --- Remarks and notifications -----------------------------------------------------------


def _promozione_indicator(cycle):
    return Indicator.objects.filter(
        cycle=cycle, operational_objective__units__slug="promozione"
    ).first()


def test_remarks_flow_with_notifications(
    client, y2024, people, no_findings, django_capture_on_commit_callbacks, run_tasks
):
    _to_submitted(y2024, people)
    ind = _promozione_indicator(y2024)
    with django_capture_on_commit_callbacks(execute=True):
        remark = services.remark_create(
            user=people["oiv"], cycle=y2024, text="Perché il valore è così basso?", indicator=ind
        )
    assert mail.outbox == []  # queued after the commit, sent by the task worker
    run_tasks()
    to = sorted(address for m in mail.outbox for address in m.to)
    assert "wf-planning@example.org" in to and "wf-manager@example.org" in to
    assert "wf-other@example.org" not in to and "wf-oiv@example.org" not in to
    mail.outbox.clear()
    with pytest.raises(PermissionDenied):
        services.remark_reply(user=people["other_manager"], remark=remark, text="?")
    with django_capture_on_commit_callbacks(execute=True):
        services.remark_reply(user=people["manager"], remark=remark, text="Evento annullato.")
    run_tasks()
    assert "wf-oiv@example.org" in {a for m in mail.outbox for a in m.to}
    assert "Evento annullato." in mail.outbox[0].body
    with pytest.raises(PermissionDenied):
        services.remark_close(user=people["planning"], remark=remark)
    services.remark_close(user=people["oiv"], remark=remark)
    remark.refresh_from_db()
    assert remark.status == "closed" and remark.closed_by == people["oiv"]
    with pytest.raises(PermissionDenied):
        services.remark_reply(user=people["planning"], remark=remark, text="tardi")


def test_remark_pages(client, y2024, people, no_findings):
    _to_submitted(y2024, people)
    ind = _promozione_indicator(y2024)
    client.force_login(people["oiv"])
    response = client.post(
        reverse("workflow:remark_new", args=["cciaa-bergamo", 2024]),
        {"text": "Fonte?", "indicator": ind.id},
    )
    remark = Remark.objects.get(cycle=y2024)
    assert response.status_code == 302 and remark.indicator == ind
    response = client.post(
        reverse("workflow:remark_new", args=["cciaa-bergamo", 2024]), {"text": ""}
    )
    assert response.status_code == 400 and Remark.objects.filter(cycle=y2024).count() == 1
    client.force_login(people["manager"])
    url = reverse("workflow:remark", args=["cciaa-bergamo", 2024, remark.pk])
    assert client.post(url, {"text": "ISTAT"}).status_code == 302
    assert "ISTAT" in client.get(url).content.decode()
    client.force_login(people["other_manager"])
    assert client.get(url).status_code == 403
    client.force_login(people["oiv"])
    page = client.get(
        reverse("workflow:workspace", args=["cciaa-bergamo", 2024]) + "?osservazioni=1"
    )
    assert [i.indicator.id for i in page.context["items"]] == [ind.id]


def test_transition_emails(
    y2024, people, no_findings, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        _to_submitted(y2024, people)
    sent = run_tasks()
    assert sent and all(t.status == "SUCCESSFUL" for t in sent)
    submitted = [m for m in mail.outbox if "Trasmessa all'OIV" in m.subject]
    assert {m.to[0] for m in submitted} == {"wf-oiv@example.org"}  # the actor is left out
    closed = [m for m in mail.outbox if "Rendicontazione chiusa" in m.subject]
    assert "wf-manager@example.org" in {m.to[0] for m in closed}


def test_mail_server_down_fails_the_task_not_the_transition(
    y2024, people, no_findings, django_capture_on_commit_callbacks, run_tasks
):
    from smtplib import SMTPServerDisconnected
    from unittest import mock

    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_transition(
            user=people["planning"], cycle=y2024, target="closed", confirm_missing=True
        )
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=SMTPServerDisconnected("server SMTP non raggiungibile"),
    ):
        ran = run_tasks()
    assert ran and {t.status for t in ran} == {"FAILED"}
    assert "SMTPServerDisconnected" in ran[0].traceback
    y2024.refresh_from_db()
    assert y2024.state == "closed" and mail.outbox == []


def test_manager_reminder_at_login_and_todo_page(client, y2024, people):
    client.force_login(people["manager"])
    todo = selectors.manager_todo(y2024, people["manager"])
    assert todo.total and all(not i.actual for i in todo.missing_actual)
    assert all(
        i.operational_objective.units.filter(slug="promozione").exists()
        for i in todo.missing_actual
    )
    page = client.get(reverse("workflow:todo", args=["cciaa-bergamo", 2024])).content.decode()
    assert todo.missing_actual[0].name[:30] in page
    client.logout()
    user = people["manager"]
    user.set_password("pw-Manager-2024!")
    user.save()
    response = client.post(
        reverse("login"), {"username": user.username, "password": "pw-Manager-2024!"}, follow=True
    )
    texts = [str(m) for m in response.context["messages"]]
    assert any("Vedi cosa manca" in t for t in texts), texts


# --- Target revisions ----------------------------------------------------------------------


def test_revision_drives_realization_and_keeps_the_original(client, y2024, people):
    ind = (
        Indicator.objects.filter(cycle=y2024, kind="number", direction="higher")
        .exclude(actual="")
        .exclude(target="")
        .first()
    )
    original = ind.target
    before = ind.compute_realization()
    actual = ind.actual_value.number
    new_target = str(int(actual * 2)) if actual else "1"
    revision = services.target_revise(
        user=people["planning"],
        indicator=ind,
        new_target=new_target,
        reason="Riprogrammazione per calo delle risorse.",
        act_reference="delibera di Giunta n. 45/2024",
        act_date=dt.date(2024, 7, 15),
        internal=True,
    )
    ind.refresh_from_db()
    assert ind.target == revision.new_target and revision.old_target == original
    assert ind.compute_realization() != before
    revs = selectors.revisions_by_indicator(y2024)
    assert revs[ind.id][0].old_target == original
    client.force_login(people["oiv"])
    page = client.get(
        reverse("workflow:revisions", args=["cciaa-bergamo", 2024, ind.id])
    ).content.decode()
    assert original in page and "delibera di Giunta n. 45/2024" in page
    assert "Riprogrammazione" in page


def test_revision_rules(y2024, cycle, people):
    ind = Indicator.objects.filter(cycle=y2024).exclude(target="").first()
    kwargs = dict(reason="r", act_reference="delibera n. 1/2024", act_date=dt.date(2024, 2, 1))
    with pytest.raises(PermissionDenied):
        services.target_revise(user=people["manager"], indicator=ind, new_target="5", **kwargs)
    with pytest.raises(ValidationError, match="uguale"):
        services.target_revise(
            user=people["planning"], indicator=ind, new_target=ind.target, **kwargs
        )
    with pytest.raises(ValidationError):
        services.target_revise(
            user=people["planning"], indicator=ind, new_target="5", **{**kwargs, "reason": ""}
        )
    locked = Indicator.objects.filter(cycle=cycle).first()
    with pytest.raises(PermissionDenied):
        services.target_revise(user=people["planning"], indicator=locked, new_target="5", **kwargs)
    assert not TargetRevision.objects.exists()


def test_revisions_by_indicator_is_one_query(y2024, django_assert_num_queries):
    with django_assert_num_queries(1):  # revisions of the year with their author
        selectors.revisions_by_indicator(y2024)
    with django_assert_num_queries(1):  # the valid validation
        selectors.validation_of(y2024)


# --- Next year ---------------------------------------------------------------------------


def test_open_next_copies_the_plan_without_actuals(y2024, people):
    with pytest.raises(PermissionDenied):
        services.cycle_open_next(user=people["oiv"], source=y2024)
    new = services.cycle_open_next(user=people["planning"], source=y2024)
    assert new.year == 2025 and new.state == "planning"
    src = Indicator.objects.filter(cycle=y2024)
    dst = Indicator.objects.filter(cycle=new)
    assert dst.count() == src.count()
    assert not dst.exclude(actual="").exists() and not dst.exclude(explanation="").exists()
    # Deadlines move to the same day of 2025 (tests/test_next_year_dates.py); the rest as is.
    assert sorted(dst.values_list("target", "weight", "kind")) == sorted(
        (domain.shift_value_years(target, 1), weight, kind)
        for target, weight, kind in src.values_list("target", "weight", "kind")
    )
    assert ScorecardRow.objects.filter(scorecard__cycle=new).count() == (
        ScorecardRow.objects.filter(scorecard__cycle=y2024).count()
    )
    assert (
        Scorecard.objects.filter(cycle=new).count() == Scorecard.objects.filter(cycle=y2024).count()
    )
    units_src = sorted(
        OperationalObjective.objects.filter(cycle=y2024).values_list("name", "units__slug")
    )
    units_dst = sorted(
        OperationalObjective.objects.filter(cycle=new).values_list("name", "units__slug")
    )
    assert units_src == units_dst
    assert TargetProposal.objects.filter(indicator__cycle=new, confirmed_at=None).count() == (
        dst.count()
    )
    with pytest.raises(ValidationError, match="da confermare"):
        services.cycle_transition(user=people["planning"], cycle=new, target="monitoring")
    ind = dst.exclude(target="").first()
    services.target_confirm(user=people["planning"], indicator=ind, target=ind.target)
    assert services.targets_confirm_all(user=people["planning"], cycle=new) == dst.count() - 1
    services.cycle_transition(user=people["planning"], cycle=new, target="monitoring")
    with pytest.raises(ValidationError, match="esiste già"):
        services.cycle_open_next(user=people["planning"], source=y2024)


def test_machine_labels_match_cycle_choices():
    assert dict(Cycle.State.choices) == machine.STATE_LABELS


def test_remarks_on_objectives_and_sections(client, y2024, people, no_findings):
    _to_submitted(y2024, people)
    client.force_login(people["oiv"])
    url = reverse("workflow:remark_new", args=["cciaa-bergamo", 2024])
    op = OperationalObjective.objects.filter(cycle=y2024, units__slug="promozione").first()
    assert client.get(url + f"?operational_objective={op.id}").status_code == 200
    assert client.get(url + "?section=risorse").status_code == 200
    client.post(url, {"text": "Obiettivo poco sfidante.", "operational_objective": op.id})
    client.post(url, {"text": "Tabella incompleta.", "section": "risorse"})
    remarks = {r.subject_label: r for r in selectors.remarks_of(y2024)}
    assert f"obiettivo operativo «{op.name}»" in remarks
    assert "sezione «Risorse economiche»" in remarks
    op_remark = remarks[f"obiettivo operativo «{op.name}»"]
    services.remark_reply(user=people["manager"], remark=op_remark, text="Rivisto.")
    with pytest.raises(ValidationError, match="un solo oggetto"):
        services.remark_create(user=people["oiv"], cycle=y2024, text="x")
