# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""Plans of two to four levels (issue 17, point 4): a plan without a first level (its
strategic objectives under the year's one implicit perspective) and indicators placed directly
on a strategic objective (its one implicit operational objective), imported from the template,
scored by the same engine and never printed as a level. The score is computed here by hand."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import permissions as perms
from core.locking import YearLocked
from core.models import Body, Cycle
from dashboards.selectors import strategic_map
from indicators import plan_workbook
from indicators.models import Indicator
from indicators.plan_import import plan_import_apply
from lib.xlsx import Sheet
from objectives.models import OperationalObjective, Perspective, StrategicObjective
from tests.people import log_in, people, set_state  # noqa: F401 - fixtures

YEAR = 2035
HEADERS = {title: [c.header for c in cols] for title, cols in plan_workbook.COLUMNS.items()}


def _row(title: str, **cells: str) -> list[str]:
    """A row of a sheet by its headers (the others empty)."""
    headers = HEADERS[title]
    unknown = set(cells) - {h.replace(" ", "_").replace("%", "pct") for h in headers}
    assert not unknown, unknown
    return [cells.get(h.replace(" ", "_").replace("%", "pct"), "") for h in headers]


def _sheets(**rows: list[list[str]]) -> dict[str, Sheet]:
    titles = {
        "perspectives": plan_workbook.PERSPECTIVES,
        "strategic": plan_workbook.STRATEGIC,
        "operational": plan_workbook.OPERATIONAL,
        "indicators": plan_workbook.INDICATORS,
    }
    return {
        title: Sheet(
            header=list(HEADERS[title]),
            rows=list(enumerate(rows.get(key, []), start=2)),
        )
        for key, title in titles.items()
    }


def _indicator(code: str, name: str, target: str, actual: str, weight: str = "1", op: str = ""):
    return _row(
        plan_workbook.INDICATORS,
        Obiettivo_strategico=code,
        Obiettivo_operativo=op,
        Indicatore=name,
        Tipo="number",
        Polarità="higher",
        Risultato_atteso=target,
        Peso=weight,
        Valore_ottenuto=actual,
    )


STRATEGIC = plan_workbook.STRATEGIC
OPERATIONAL = plan_workbook.OPERATIONAL
# Two levels: strategic objectives at the top, indicators directly on them.
TWO_LEVELS = {
    "strategic": [
        _row(STRATEGIC, Codice="A", Obiettivo_strategico="Sostenere le imprese", Peso="3"),
        _row(STRATEGIC, Codice="B", Obiettivo_strategico="Semplificare le pratiche"),
    ],
    # A's direct indicators are assigned to the unit «promozione»; B's to no unit.
    "operational": [_row(OPERATIONAL, Obiettivo_strategico="A", Unità="promozione")],
    "indicators": [
        _indicator("A", "Imprese finanziate", "100", "80"),
        _indicator("A", "Bandi pubblicati", "10", "10", weight="3"),
        _indicator("B", "Pratiche digitali", "50", "25"),
    ],
}


@pytest.fixture
def two_levels(people):
    body = Body.objects.get(slug="cciaa-bergamo")
    sheets = _sheets(**TWO_LEVELS)
    return plan_import_apply(user=people.planning, body=body, year=YEAR, sheets=sheets)


def test_a_two_level_plan_scores_as_computed_by_hand(two_levels):
    # Each indicator: actual / target (higher is better), capped at 100%.
    # A: 80 / 100 = 80% (weight 1), 10 / 10 = 100% (weight 3) -> (80 + 300) / 4 = 95%.
    # B: 25 / 50 = 50%.
    # The year: A weighs 3, B weighs 1 -> (95 x 3 + 50) / 4 = 335 / 4 = 83,75%.
    smap = strategic_map(two_levels)
    by_code = {
        n.objective.code: n.summary.realization for p in smap.perspectives for n in p.objectives
    }
    assert by_code == {"A": D("95.00"), "B": D("50.00")}
    assert smap.overall.realization == D("83.75")


def test_the_hidden_levels_are_one_implicit_row_each(two_levels):
    (perspective,) = Perspective.objects.filter(cycle=two_levels)
    assert perspective.implicit and perspective.weight == 1
    ops = OperationalObjective.objects.filter(cycle=two_levels).order_by(
        "strategic_objective__code"
    )
    assert [(o.strategic_objective.code, o.name, o.implicit) for o in ops] == [
        ("A", "Sostenere le imprese", True),
        ("B", "Semplificare le pratiche", True),
    ]
    assert [u.slug for u in ops[0].units.all()] == ["promozione"]
    assert not ops[1].units.exists()


def test_who_enters_values_on_direct_indicators(two_levels, people):
    set_state(two_levels, Cycle.State.MONITORING)
    a = Indicator.objects.get(cycle=two_levels, name="Imprese finanziate")
    b = Indicator.objects.get(cycle=two_levels, name="Pratiche digitali")
    # The units assigned on the row: their manager; no unit: only the planning office.
    assert perms.can_edit_actual(people.manager_a, a)
    assert not perms.can_edit_actual(people.manager_b, a)
    assert not perms.can_edit_actual(people.manager_a, b)
    assert perms.can_edit_actual(people.planning, b)


def test_the_map_shows_no_hidden_level(client, people, two_levels):
    log_in(client, people.planning)
    page = client.get(reverse("dashboards:map", args=["cciaa-bergamo", YEAR])).content.decode()
    assert "Sostenere le imprese" in page and "83,75%" in page
    assert "Prospettiva Piano" not in page and ">Piano<" not in page


def test_the_implicit_levels_keep_their_invariants(two_levels):
    a = StrategicObjective.objects.get(cycle=two_levels, code="A")
    with pytest.raises(ValidationError):
        OperationalObjective(cycle=two_levels, strategic_objective=a, name="Altro").full_clean()
    with pytest.raises(ValidationError):
        Perspective(cycle=two_levels, order=2, name="Seconda").full_clean()


def test_the_planning_services_keep_the_invariants(two_levels, people):
    """The admin's path (indicators.services): no operational objective beside the direct
    indicators, a message and nothing written."""
    from indicators.services import operational_objective_create

    a = StrategicObjective.objects.get(cycle=two_levels, code="A")
    before = OperationalObjective.objects.filter(cycle=two_levels).count()
    with pytest.raises(ValidationError, match="ha indicatori diretti"):
        operational_objective_create(
            user=people.planning, cycle=two_levels, strategic_objective=a, name="Nuovo"
        )
    assert OperationalObjective.objects.filter(cycle=two_levels).count() == before


def test_a_copy_of_the_plan_keeps_its_depth(two_levels):
    """The copy to the next year (plan_spec_of, the one builder) carries the implicit levels."""
    from indicators.plan_builder import plan_spec_of

    spec = plan_spec_of(two_levels)
    assert [p.implicit for p in spec.perspectives] == [True]
    assert [op.implicit for op in spec.operational] == [True, True]
    assert spec.references() == []


def test_the_new_fields_are_locked_with_the_year(two_levels):
    set_state(two_levels, Cycle.State.VALIDATED)
    with pytest.raises(YearLocked):
        Perspective.objects.filter(cycle=two_levels).update(implicit=False)
    with pytest.raises(YearLocked):
        OperationalObjective.objects.filter(cycle=two_levels).update(implicit=False)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (  # a perspective named while the sheet has none
            {"strategic": [_row(STRATEGIC, Codice="A", Prospettiva="X", Obiettivo_strategico="S")]},
            "non ha righe",
        ),
        (  # direct indicators on an objective that has operational objectives
            {
                "strategic": [_row(STRATEGIC, Codice="A", Obiettivo_strategico="S")],
                "operational": [
                    _row(OPERATIONAL, Obiettivo_strategico="A", Obiettivo_operativo="O")
                ],
                "indicators": [_indicator("A", "I", "1", "")],
            },
            "ha obiettivi operativi",
        ),
        (  # the row of the direct indicators beside a named operational objective
            {
                "strategic": [_row(STRATEGIC, Codice="A", Obiettivo_strategico="S")],
                "operational": [
                    _row(OPERATIONAL, Obiettivo_strategico="A", Obiettivo_operativo="O"),
                    _row(OPERATIONAL, Obiettivo_strategico="A"),
                ],
            },
            "ha obiettivi operativi in altre",
        ),
    ],
)
def test_an_incoherent_depth_is_a_message(rows, message):
    plan = plan_workbook.plan_validate(
        _sheets(**rows), reference=plan_workbook.PlanReference(units={"promozione": "P"})
    )
    assert any(message in e for e in plan.errors), plan.errors


def test_the_pdf_and_the_open_data_print_no_hidden_level(two_levels):
    from dashboards.export import export_rows
    from reports.pdf import render_layout

    html, _document, _layout = render_layout(two_levels)
    assert "Sostenere le imprese" in html and "83,75%" in html
    assert "Prospettiva Piano" not in html and "Prospettiva " not in html
    rows = [r for r in export_rows(two_levels) if r["strategic_objective_code"] == "A"]
    assert rows and all(r["perspective"] == "" for r in rows)
    # The direct indicators have no operational objective: the column is empty.
    assert all(r["operational_objective"] == "" for r in rows)
    assert {r["strategic_objective"] for r in rows} == {"Sostenere le imprese"}


def test_the_snapshot_holds_the_depth_the_common_code_and_the_level_names(two_levels):
    """Version 5 of the snapshot records the implicit levels, the common code and the year's
    names of the levels: a change made around the lock is a difference; a version-4 snapshot,
    which never held them, is rebuilt without them and finds none."""
    from core.locking import unlocked
    from workflow import snapshot

    before, before_v4 = snapshot.build_snapshot(two_levels), snapshot.build_snapshot(two_levels, 4)
    assert [p["implicita"] for p in before["prospettive"]] == [True]
    assert [op["implicito"] for op in before["obiettivi_operativi"]] == [True, True]
    assert before["ciclo"]["nomi_dei_livelli"]["strategics"] == "Obiettivi strategici"
    assert "implicita" not in before_v4["prospettive"][0]
    changes = {
        Perspective: {"implicit": False},
        OperationalObjective: {"implicit": False},
        Indicator: {"common_code": "OC1.1"},
        Cycle: {"operational_label_plural": "Azioni"},
    }
    for model, values in changes.items():
        owned = {"pk": two_levels.pk} if model is Cycle else {"cycle": two_levels}
        with unlocked():
            model.objects.filter(**owned).update(**values)
        two_levels.refresh_from_db()
        lines = snapshot.differences(before, snapshot.build_snapshot(two_levels))
        assert lines, model
        assert snapshot.differences(before_v4, snapshot.build_snapshot(two_levels, 4)) == []
    assert "livelli impliciti" in snapshot.not_covered(4)
    assert "metodo di valutazione" not in snapshot.not_covered(3)
    assert snapshot.not_covered(snapshot.SNAPSHOT_VERSION) == ""


def test_the_consistency_findings_name_the_strategic_objective(two_levels):
    """An implicit operational objective is not a level of the body's plan: a strategic
    objective left without its direct indicators, or with all of them weighing zero, is named
    as such (its code, its name, a link to it), never as an operational objective."""
    from consistency import rules
    from consistency.selectors import year_data_build

    Indicator.objects.filter(cycle=two_levels, name="Pratiche digitali").delete()
    Indicator.objects.filter(
        cycle=two_levels, operational_objective__strategic_objective__code="A"
    ).update(weight=0)
    data = year_data_build(cycle=two_levels)
    (empty,) = rules.check_objectives_without_indicators(data)
    (zero,) = rules.check_zero_weights(data)
    b = StrategicObjective.objects.get(cycle=two_levels, code="B")
    a = StrategicObjective.objects.get(cycle=two_levels, code="A")
    assert empty.message == "L'obiettivo strategico B «Semplificare le pratiche» non ha indicatori."
    assert empty.subject == f"strategic_objective:{b.pk}"
    assert [(o.type, o.id) for o in empty.objects] == [("strategic_objective", b.pk)]
    assert "dell'obiettivo strategico A «Sostenere le imprese» hanno peso zero" in zero.message
    assert zero.subject == f"strategic_objective:{a.pk}"
    assert "obiettivo operativo" not in empty.message + zero.message


def test_the_admin_shows_the_implicit_levels_and_adds_none_beside_them(client, people, two_levels):
    """The planning office sees which rows are implicit (read only) and cannot add a
    perspective, or an operational objective beside a strategic objective's direct indicators,
    through the admin: a message on the form, nothing written."""
    log_in(client, people.planning)
    perspective = Perspective.objects.get(cycle=two_levels)
    op = OperationalObjective.objects.get(cycle=two_levels, strategic_objective__code="A")
    for obj in (perspective, op):
        meta = obj._meta
        url = reverse(f"admin:objectives_{meta.model_name}_change", args=[obj.pk])
        page = client.get(url).content.decode()
        assert 'name="implicit"' not in page and "field-implicit" in page
    counts = (
        Perspective.objects.filter(cycle=two_levels).count(),
        OperationalObjective.objects.filter(cycle=two_levels).count(),
    )
    response = client.post(
        reverse("admin:objectives_perspective_add"),
        {"cycle": two_levels.pk, "order": 2, "name": "Seconda", "weight": "1", "implicit": "on"},
    )
    assert response.status_code == 200
    assert "non si aggiungono prospettive" in response.content.decode()
    response = client.post(
        reverse("admin:objectives_operationalobjective_add"),
        {
            "cycle": two_levels.pk,
            "strategic_objective": op.strategic_objective_id,
            "name": "Altro",
            "order": 2,
            "weight": "1",
        },
    )
    assert response.status_code == 200
    assert "ha indicatori diretti: non gli si aggiungono" in response.content.decode()
    assert counts == (
        Perspective.objects.filter(cycle=two_levels).count(),
        OperationalObjective.objects.filter(cycle=two_levels).count(),
    )
