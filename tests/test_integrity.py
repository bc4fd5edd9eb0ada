"""One year per row (core.integrity) on every path, and a year created only in planning.

The demo has 2023 (validated, published) and 2024 (in data entry, opened from 2023): the
cases are the ones measured in issue 13, a 2024 cruscotto tied to a 2023 indicator and a year
created directly as published, then the other references between rows of a year.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Subquery
from django.urls import reverse

from core import integrity
from core.locking import unlocked
from core.models import Body, Cycle
from indicators.models import Indicator, ScorecardRow
from objectives.models import OperationalObjective, OrgUnit, Perspective, Scorecard
from objectives.models import StrategicObjective as SO
from tests.people import *  # noqa: F403
from workflow.models import ChecklistAnswer, ChecklistItem, Remark, TargetProposal

CROSS_YEAR = "appartiene a un altro anno"


@pytest.fixture
def y2024(cycle):
    return Cycle.objects.select_related("body").get(body=cycle.body, year=2024)


@pytest.fixture
def card_2024(y2024):
    return Scorecard.objects.filter(cycle=y2024, section="2.4").order_by("pk").first()


@pytest.fixture
def indicator_2023(cycle):
    return Indicator.objects.filter(cycle=cycle).order_by("pk").first()


@pytest.fixture
def indicator_2024(y2024):
    return Indicator.objects.filter(cycle=y2024).order_by("pk").first()


@pytest.fixture
def other_body():
    body = Body.objects.create(name="Altro ente", slug="altro-ente")
    unit = OrgUnit.objects.create(body=body, kind="area", name="Area", slug="area")
    return body, unit


def _refused(call):
    with pytest.raises(ValidationError) as exc, transaction.atomic():
        call()
    assert CROSS_YEAR in " ".join(exc.value.messages)


# --- The inventory -----------------------------------------------------------------------


def test_every_reference_between_rows_of_a_year_is_checked():
    """Derived from the models (a new model or foreign key is checked with no list to keep)."""
    found = {
        f"{m._meta.label_lower}.{r.name}"
        for m in integrity.checked_models()
        for r in integrity.refs(m)
    }
    assert {
        "indicators.scorecardrow.scorecard",
        "indicators.scorecardrow.indicator",
        "indicators.indicator.operational_objective",
        "indicators.indicator.common_group",
        "objectives.operationalobjective.strategic_objective",
        "objectives.strategicobjective.perspective",
        "objectives.scorecard.strategic_objective",
        "objectives.scorecard.unit",
        "objectives.orgunit.parent",
        "finance.budgetline.parent",
        "staff.headcount.category",
        "workflow.remark.indicator",
        "workflow.remark.operational_objective",
        "workflow.remark.strategic_objective",
        "workflow.checklistanswer.item",
        "workflow.targetproposal.indicator",
        "workflow.targetproposal.source_indicator",
    } <= found
    assert {f"{f.model._meta.label_lower}.{f.name}" for f in integrity.m2m_fields()} >= {
        "objectives.operationalobjective.units"
    }
    # Every checked model writes its bulk paths through the checking QuerySet.
    for model in integrity.checked_models():
        assert isinstance(model._default_manager.get_queryset(), integrity.IntegrityQuerySet)


def test_the_demo_years_hold_no_cross_year_reference(cycle):
    for model in integrity.checked_models():
        integrity.check_rows(model, model._base_manager.values_list("pk", flat=True))


# --- The measured case: a 2024 cruscotto and a 2023 indicator -------------------------


def test_a_row_of_a_2024_cruscotto_cannot_show_a_2023_indicator(card_2024, indicator_2023):
    _refused(lambda: ScorecardRow.objects.create(scorecard=card_2024, indicator=indicator_2023))
    _refused(
        lambda: ScorecardRow.objects.bulk_create(
            [ScorecardRow(scorecard=card_2024, indicator=indicator_2023, order=99)]
        )
    )
    assert not ScorecardRow.objects.filter(scorecard=card_2024, indicator=indicator_2023).exists()


def test_an_existing_row_cannot_be_pointed_to_another_year(card_2024, indicator_2023):
    row = card_2024.rows.order_by("pk").first()
    before = row.indicator_id
    row.indicator = indicator_2023
    _refused(row.save)
    row.indicator_id = indicator_2023.pk
    _refused(lambda: ScorecardRow.objects.bulk_update([row], ["indicator"]))
    _refused(lambda: ScorecardRow.objects.filter(pk=row.pk).update(indicator=indicator_2023))
    row.refresh_from_db()
    assert row.indicator_id == before


def test_the_admin_refuses_it_with_the_message_on_the_form(
    client,
    people,
    card_2024,
    indicator_2023,
):
    log_in(client, people.planning)  # noqa: F405
    response = client.post(
        reverse("admin:indicators_scorecardrow_add"),
        {"scorecard": card_2024.pk, "indicator": indicator_2023.pk, "order": 1},
    )
    assert response.status_code == 200
    assert CROSS_YEAR in response.content.decode()
    assert not ScorecardRow.objects.filter(scorecard=card_2024, indicator=indicator_2023).exists()


def test_a_row_of_the_same_year_is_accepted(client, people, y2024, card_2024):
    indicator_2024 = Indicator.objects.filter(cycle=y2024).exclude(rows__scorecard=card_2024)[0]
    log_in(client, people.planning)  # noqa: F405
    response = client.post(
        reverse("admin:indicators_scorecardrow_add"),
        {"scorecard": card_2024.pk, "indicator": indicator_2024.pk, "order": 1},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ScorecardRow.objects.filter(scorecard=card_2024, indicator=indicator_2024).exists()


@pytest.mark.parametrize("state", [Cycle.State.CLOSED, Cycle.State.SUBMITTED])
def test_no_row_is_added_in_the_admin_while_the_year_is_closed_or_with_the_oiv(
    client,
    people,
    y2024,
    card_2024,
    indicator_2024,
    state,
):
    set_state(y2024, state)  # noqa: F405
    count = ScorecardRow.objects.count()
    for user in (people.planning, people.admin):
        log_in(client, user)  # noqa: F405
        response = client.post(
            reverse("admin:indicators_scorecardrow_add"),
            {"scorecard": card_2024.pk, "indicator": indicator_2024.pk, "order": 1},
        )
        assert response.status_code == 200
        assert "non è modificabile in questo stato" in response.content.decode()
    assert ScorecardRow.objects.count() == count


# --- The other references ----------------------------------------------------------------


def test_objectives_and_indicators_stay_in_their_year(cycle, y2024):
    so_2023 = SO.objects.filter(cycle=cycle).first()
    op_2023 = OperationalObjective.objects.filter(cycle=cycle).first()
    p_2023 = Perspective.objects.filter(cycle=cycle).first()
    _refused(
        lambda: OperationalObjective.objects.create(
            cycle=y2024, strategic_objective=so_2023, name="Operativo"
        )
    )
    _refused(lambda: SO.objects.create(cycle=y2024, perspective=p_2023, code="9.9", name="Nuovo"))
    _refused(
        lambda: Indicator.objects.create(
            cycle=y2024, operational_objective=op_2023, name="I", kind="number"
        )
    )
    _refused(
        lambda: Indicator.objects.bulk_create(
            [Indicator(cycle=y2024, operational_objective=op_2023, name="I", kind="number")]
        )
    )
    so_2024 = SO.objects.filter(cycle=y2024).first()
    op_2024 = OperationalObjective.objects.create(
        cycle=y2024, strategic_objective=so_2024, name="Nuovo obiettivo del 2024"
    )
    ops = OperationalObjective.objects.filter(pk=op_2024.pk)
    _refused(lambda: ops.update(strategic_objective=so_2023))
    # Set by an expression, the rows are read back after the write and rolled back.
    _refused(
        lambda: ops.update(
            strategic_objective=Subquery(SO.objects.filter(pk=so_2023.pk).values("pk")[:1])
        )
    )
    op_2024.refresh_from_db()
    assert op_2024.strategic_objective_id == so_2024.pk


def test_units_and_checklist_items_of_another_body_are_refused(y2024, other_body, people):
    _, foreign_unit = other_body
    op = OperationalObjective.objects.filter(cycle=y2024).first()
    _refused(lambda: op.units.add(foreign_unit))
    _refused(lambda: foreign_unit.operational_objectives.add(op))  # the reverse side too
    assert not op.units.filter(pk=foreign_unit.pk).exists()
    _refused(
        lambda: Scorecard.objects.create(
            cycle=y2024, section="2.4", title="X", slug="x", unit=foreign_unit
        )
    )
    own = OrgUnit.objects.filter(body=y2024.body).first()
    _refused(lambda: OrgUnit.objects.filter(pk=own.pk).update(parent=foreign_unit))
    item = ChecklistItem.objects.create(body=other_body[0], text="Voce")
    _refused(lambda: ChecklistAnswer.objects.create(cycle=y2024, item=item, user=people.oiv))


def test_a_remark_is_about_its_own_year(cycle, y2024, people):
    ind_2023 = Indicator.objects.filter(cycle=cycle).first()
    _refused(
        lambda: Remark.objects.create(cycle=y2024, indicator=ind_2023, text="?", author=people.oiv)
    )


def test_a_target_proposal_comes_from_the_previous_year_of_the_same_body(
    indicator_2023, y2024, other_body
):
    proposal = TargetProposal.objects.filter(indicator__cycle=y2024).first()
    assert proposal.source_indicator.cycle.year == 2023  # across years, by design
    with unlocked():  # the other body's year, built as the demo loader would
        foreign = Cycle.objects.create(body=other_body[0], year=2023)
        perspective = Perspective.objects.create(cycle=foreign, order=1, name="P")
        so = SO.objects.create(cycle=foreign, perspective=perspective, code="1.1", name="S")
        op = OperationalObjective.objects.create(cycle=foreign, strategic_objective=so, name="O")
        ind = Indicator.objects.create(
            cycle=foreign, operational_objective=op, name="I", kind="number"
        )
    op_2024 = proposal.indicator.operational_objective
    new = Indicator.objects.create(
        cycle=y2024, operational_objective=op_2024, name="Nuovo", kind="number"
    )
    with pytest.raises(ValidationError, match="altro ente"):
        TargetProposal.objects.create(indicator=new, source_indicator=ind)


def test_the_next_year_opens_from_a_validated_one(cycle, people):
    """The proposals of the new year point back to the validated one: they belong to the new
    year (core.locking follows their one-to-one indicator), so the lock lets them in."""
    from workflow import services

    with unlocked():
        Cycle.objects.filter(body=cycle.body, year=2024).delete()
    new = services.cycle_open_next(user=people.planning, source=cycle)
    proposals = TargetProposal.objects.filter(indicator__cycle=new)
    assert proposals.exists()
    assert not proposals.exclude(source_indicator__cycle=cycle).exists()


def test_a_row_stays_in_its_year(y2024, cycle):
    later = Cycle.objects.create(body=cycle.body, year=2025)
    perspective = Perspective.objects.filter(cycle=y2024).first()
    perspective.cycle = later
    with pytest.raises(ValidationError, match="resta nel suo anno"):
        perspective.save()
    with pytest.raises(ValidationError, match="resta nel suo anno"):
        Perspective.objects.filter(pk=perspective.pk).update(cycle=later)


# --- A year is created in planning ------------------------------------------------------


@pytest.mark.parametrize("state", [s for s in Cycle.State if s != Cycle.State.PLANNING])
def test_a_cycle_is_not_created_past_planning(cycle, state):
    with pytest.raises(ValidationError, match="Pianificazione"):
        Cycle.objects.create(body=cycle.body, year=2030, state=state)
    with pytest.raises(ValidationError, match="Pianificazione"):
        Cycle.objects.bulk_create([Cycle(body=cycle.body, year=2031, state=state)])
    assert not Cycle.objects.filter(year__in=(2030, 2031)).exists()


def test_a_cycle_is_created_in_planning_and_the_demo_loader_may_rebuild_any(cycle):
    assert Cycle.objects.create(body=cycle.body, year=2030).state == Cycle.State.PLANNING
    with unlocked():
        rebuilt = Cycle.objects.create(body=cycle.body, year=2031, state=Cycle.State.PUBLISHED)
    assert rebuilt.state == Cycle.State.PUBLISHED


def test_the_admin_creates_a_year_in_planning_whatever_is_posted(client, people, cycle):
    log_in(client, people.admin)  # noqa: F405
    response = client.post(
        reverse("admin:core_cycle_add"),
        {"body": cycle.body.pk, "year": 2030, "state": "published", "plan_reference": ""},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Cycle.objects.get(body=cycle.body, year=2030)
    assert created.state == Cycle.State.PLANNING
    assert b"2030" not in client.get("/trasparenza/").content
    # The planning office opens a year from the previous one, not here.
    log_in(client, people.planning)  # noqa: F405
    assert client.get(reverse("admin:core_cycle_add")).status_code == 403


def test_the_admin_never_shows_the_state_as_a_field(client, people, y2024):
    log_in(client, people.admin)  # noqa: F405
    for url in (
        reverse("admin:core_cycle_add"),
        reverse("admin:core_cycle_change", args=[y2024.pk]),
    ):
        assert b'name="state"' not in client.get(url).content


def test_the_planning_office_edits_the_plan_reference_not_the_years_settings(
    client,
    people,
    y2024,
):
    log_in(client, people.planning)  # noqa: F405
    page = client.get(reverse("admin:core_cycle_change", args=[y2024.pk])).content
    assert b'name="plan_reference"' in page
    assert b'name="band_achieved_from"' not in page and b'name="body_name"' not in page
    log_in(client, people.admin)  # noqa: F405
    page = client.get(reverse("admin:core_cycle_change", args=[y2024.pk])).content
    assert b'name="band_achieved_from"' in page


def test_a_managers_units_of_another_body_are_refused_by_every_path(cycle, other_body, people):
    """The admin's form asks it first; the ORM, from either side, refuses it too."""
    from accounts.models import Membership

    _, foreign_unit = other_body
    membership = Membership.objects.get(user=people.manager_a, body=cycle.body)
    own = list(membership.units.all())
    for call in (
        lambda: membership.units.add(foreign_unit),
        lambda: membership.units.set([*own, foreign_unit]),
        lambda: foreign_unit.managers.add(membership),
    ):
        with pytest.raises(ValidationError, match="altro ente"), transaction.atomic():
            call()
    assert list(membership.units.all()) == own
    registro = OrgUnit.objects.get(body=cycle.body, slug="registro-imprese")
    membership.units.add(registro)  # a unit of its own body is taken
    assert registro in membership.units.all()
