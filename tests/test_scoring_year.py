# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""The body's scoring method and the weights in a year (issue 17, points 1 and 2): a weighted
plan with a qualitative indicator, a proportional threshold and NV counted as 0 scores as a
hand computation says; the method and the weights are frozen with a validated year; the plan
workbook carries the weights (a workbook made before the new columns is still read)."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from core.locking import YearLocked
from core.models import Body, Cycle
from dashboards.export import export_rows
from dashboards.selectors import objective_detail, scorecard_summaries, strategic_map
from indicators import plan_workbook
from indicators.models import Indicator, ScorecardRow
from indicators.plan_builder import plan_build, plan_spec_of
from indicators.plan_import import plan_spec as plan_import_spec
from indicators.plan_spec import (
    IndicatorSpec,
    OperationalSpec,
    PerspectiveSpec,
    PlanSpec,
    RowSpec,
    ScorecardSpec,
    StrategicSpec,
)
from indicators.plan_workbook import PlanReference, plan_validate
from lib.xlsx import Sheet
from objectives.models import Perspective, StrategicObjective
from tests.people import people  # noqa: F401 - fixture

METHOD = {
    "thresholds": "proportional",
    "nv": "zero",
    "conversion": "points",
    "points": [
        {"from": 0, "to": 59, "points": [0, 0]},
        {"from": 60, "to": 75, "points": [10, 14]},
        {"from": 76, "to": 90, "points": [15, 18]},
        {"from": 91, "to": 100, "points": [19, 20]},
    ],
}


def _weighted_plan() -> PlanSpec:
    spec = PlanSpec(
        perspectives=[
            PerspectiveSpec("CRESCITA", 1, weight=D(3)),
            PerspectiveSpec("PROCESSI", 2, weight=D(1)),
        ],
        strategic=[
            StrategicSpec(code="1.1", perspective="CRESCITA", name="Sostenere"),
            StrategicSpec(code="1.2", perspective="CRESCITA", name="Senza peso", weight=D(0)),
            StrategicSpec(code="2.1", perspective="PROCESSI", name="Semplificare"),
        ],
        operational=[
            OperationalSpec(strategic="1.1", name="Bandi", weight=D(2)),
            OperationalSpec(strategic="1.1", name="Servizi", weight=D(1)),
            OperationalSpec(strategic="1.2", name="Altro"),
            OperationalSpec(strategic="2.1", name="Pratiche"),
        ],
    )

    def ind(name, kind, direction, target, actual, op):
        return IndicatorSpec(
            name=name,
            kind=kind,
            direction=direction,
            target=target,
            actual=actual,
            operational=op,
            order=len(spec.indicators),
        )

    spec.indicators = [
        ind("Pratiche evase", "number", "higher", "10", "8", ("1.1", "Bandi")),  # 80%
        ind("Soddisfazione", "number", "at_least", ">=60", "56", ("1.1", "Bandi")),  # 93,33%
        ind("Giudizio", "qualitative", "higher", "ottimo", "buono", ("1.1", "Servizi")),  # 66,67
        ind("Non rilevato", "number", "higher", "10", "NV", ("1.1", "Servizi")),  # NV: 0%
        ind("Fuori peso", "number", "higher", "10", "1", ("1.2", "Altro")),  # 10%, weight 0
        ind("Scadenza", "deadline", "higher", "30/06/2040", "30/05/2040", ("2.1", "Pratiche")),
    ]
    spec.scorecards = [
        ScorecardSpec(
            "2.4",
            "PROMOZIONE",
            "promozione",
            unit="promozione",
            rows=(RowSpec(0, 1, weight=D("0.5")), RowSpec(2, 2)),
        )
    ]
    return spec


@pytest.fixture
def weighted_year(cycle, people):
    year = Cycle.objects.create(body=cycle.body, year=2040, state=Cycle.State.PLANNING)
    year.scoring_method = METHOD
    year.save()
    plan_build(cycle=year, plan=_weighted_plan(), user=people.planning)
    return year


@pytest.mark.django_db
def test_the_weighted_overall_score_is_the_hand_computation(weighted_year):
    figures = dict(Indicator.objects.filter(cycle=weighted_year).values_list("name", "realization"))
    assert figures["Soddisfazione"] == D("93.33")  # «≥ 60» with 56, proportional
    assert figures["Giudizio"] == D("66.67")  # «buono» on the default scale: 2 of 3
    assert figures["Non rilevato"] is None
    page = strategic_map(weighted_year)
    by_code = {n.objective.code: n.summary for p in page.perspectives for n in p.objectives}
    # 1.1: indicators weighed by their operational objective (Bandi 2, Servizi 1), NV as 0:
    # (80·2 + 93,33·2 + 66,67·1 + 0·1) / 6 = 413,33 / 6 = 68,888… → 68,89
    assert by_code["1.1"].realization == D("68.89")
    assert by_code["1.1"].valued == 4 and "di cui 1 non valutabile contato come 0%" in (
        by_code["1.1"].coverage_text
    )
    assert by_code["1.2"].realization == D(10)
    assert by_code["2.1"].realization == D(100)
    crescita, processi = (p.summary for p in page.perspectives)
    assert crescita.realization == D("68.89")  # 1.2 weighs 0 in its perspective
    assert processi.realization == D(100)
    # The year: (68,89·3 + 100·1) / 4 = 76,6675 → 76,67; points: 15 + (76,67 − 76)/14·3 = 15,14
    assert page.overall.realization == D("76.67")
    assert page.overall.converted.points == D("15.14")
    assert page.overall.conversion_text == "15,14 punti"
    # The objective's page agrees with the map (built from the indicators, not stored figures).
    assert objective_detail(weighted_year, "1.1").summary.realization == D("68.89")
    # A unit's cruscotto weighs its rows: (80·0,5 + 66,67·1) / 1,5 = 71,113… → 71,11;
    # points 10 + (71,11 − 60)/15·4 = 12,96
    card = weighted_year.scorecards.get(slug="promozione")
    summary = scorecard_summaries(weighted_year)[card.id]
    assert (summary.realization, summary.converted.points) == (D("71.11"), D("12.96"))
    rows = [r for r in export_rows(weighted_year) if r["cruscotto"] == "PROMOZIONE"]
    assert [r["row_weight"] for r in rows] == ["0.500", "1"]  # the export's fixed point
    assert {r["cruscotto_points"] for r in rows} == {"12.96"}
    assert {r["year_points"] for r in rows} == {"15.14"}


@pytest.mark.django_db
def test_equal_weights_and_the_default_method_keep_the_figures_of_before(weighted_year):
    Perspective.objects.filter(cycle=weighted_year).update(weight=1)
    StrategicObjective.objects.filter(cycle=weighted_year).update(weight=1)
    weighted_year.operational_objectives.update(weight=1)
    weighted_year.scoring_method = {}
    weighted_year.save()  # the stored figures follow the year's rules (all or nothing)
    figures = dict(Indicator.objects.filter(cycle=weighted_year).values_list("name", "realization"))
    assert figures["Soddisfazione"] == D(0)
    page = strategic_map(weighted_year)
    by_code = {n.objective.code: n.summary for p in page.perspectives for n in p.objectives}
    # 1.1: plain mean of the valued indicators, NV left out: (80 + 0 + 66,67) / 3 = 48,89
    assert by_code["1.1"].realization == D("48.89")
    # CRESCITA: (48,89 + 10) / 2 = 29,445 → 29,45; the year: (29,45 + 100) / 2 = 64,725 → 64,73
    assert page.overall.realization == D("64.73")
    assert page.overall.conversion_text == ""


@pytest.mark.django_db
def test_a_built_weighted_plan_reads_back_as_its_spec(weighted_year):
    spec = plan_spec_of(weighted_year)
    assert [p.weight for p in spec.perspectives] == [D(3), D(1)]
    assert [s.weight for s in spec.strategic] == [D(1), D(0), D(1)]
    assert [o.weight for o in spec.operational][:2] == [D(2), D(1)]
    assert [r.weight for r in spec.scorecards[0].rows] == [D("0.5"), None]


# --- The method and the weights belong to the year -------------------------------------------


@pytest.mark.django_db
def test_the_method_reaches_the_open_years_only(cycle):
    year_2024 = Cycle.objects.get(body=cycle.body, year=2024)
    body = Body.objects.get(pk=cycle.body_id)
    body.scoring_method = {"thresholds": "proportional"}
    body.full_clean()
    body.save()
    cycle.refresh_from_db()
    year_2024.refresh_from_db()
    assert cycle.scoring_method == {}  # validated: keeps the rules it was validated with
    assert year_2024.scoring_method == {"thresholds": "proportional"}
    Body.objects.filter(pk=body.pk).update(scoring_method={"nv": "zero"})
    year_2024.refresh_from_db()
    cycle.refresh_from_db()
    assert (cycle.scoring_method, year_2024.scoring_method) == ({}, {"nv": "zero"})
    assert Cycle.objects.create(body=body, year=2041).scoring_method == {"nv": "zero"}


@pytest.mark.django_db
def test_a_bad_method_is_refused_in_italian(cycle):
    body = Body.objects.get(pk=cycle.body_id)
    body.scoring_method = {"thresholds": "metà"}
    with pytest.raises(ValidationError, match="Metodo di valutazione non valido"):
        body.full_clean()


@pytest.mark.django_db
def test_a_validated_year_keeps_its_weights_and_method(cycle):
    writes = [
        lambda: Perspective.objects.filter(cycle=cycle).update(weight=2),
        lambda: StrategicObjective.objects.filter(cycle=cycle).update(weight=2),
        lambda: cycle.operational_objectives.update(weight=2),
        lambda: ScorecardRow.objects.filter(scorecard__cycle=cycle).update(weight=2),
        lambda: Indicator.objects.filter(cycle=cycle).update(threshold_rule="proportional"),
        lambda: Cycle.objects.filter(pk=cycle.pk).update(scoring_method={"nv": "zero"}),
    ]
    for write in writes:
        with pytest.raises(YearLocked):
            write()
    so = StrategicObjective.objects.filter(cycle=cycle).first()
    so.weight = D(5)
    with pytest.raises(YearLocked):
        so.save()


# --- The plan workbook ---------------------------------------------------------------------


def _sheets(extra: dict[str, list[list[str]]], *, old: bool = False) -> dict[str, Sheet]:
    sheets = {}
    for title, columns in plan_workbook.COLUMNS.items():
        header = [c.header for c in columns if not (old and c.added)]
        rows = [r[: len(header)] for r in plan_workbook.PLAN_EXAMPLE[title] + extra.get(title, [])]
        sheets[title] = Sheet(header=header, rows=list(enumerate(rows, start=2)))
    return sheets


def test_the_workbook_carries_weights_threshold_rules_and_qualitative_indicators():
    extra = {
        plan_workbook.PERSPECTIVES: [["2", "PROCESSI", "0,5"]],
        plan_workbook.STRATEGIC: [["2.1", "PROCESSI", "Semplificare", "2"]],
        plan_workbook.OPERATIONAL: [["2.1", "Pratiche", "promozione", "1,5"]],
        plan_workbook.INDICATORS: [
            ["2.1", "Pratiche", "Soddisfazione", "", "number", "at_least", "≥ 60", "2", "", "",
             "proportional", "4"],
            ["2.1", "Pratiche", "Giudizio", "", "Giudizio qualitativo (scala dell'ente)",
             "", "Buono", "", "", "", "", ""],
        ],
    }  # fmt: skip
    plan = plan_validate(_sheets(extra), reference=PlanReference(units={"promozione": "P"}))
    assert plan.errors == []
    spec = plan_import_spec(plan, {"promozione": "Promozione"})
    assert [p.weight for p in spec.perspectives] == [D(1), D("0.5")]
    assert [s.weight for s in spec.strategic] == [D(1), D(2)]
    assert [o.weight for o in spec.operational] == [D(1), D("1.5")]
    soddisfazione, giudizio = spec.indicators[1:]
    assert (soddisfazione.target, soddisfazione.threshold_rule) == (">=60", "proportional")
    assert (giudizio.kind, giudizio.target) == ("qualitative", "buono")
    unit_card = next(c for c in spec.scorecards if c.unit == "promozione")
    assert [r.weight for r in unit_card.rows] == [None, D(4), None]


def test_a_qualitative_target_must_be_a_level_of_the_scale():
    extra = {
        plan_workbook.INDICATORS: [
            ["1.1", "Erogare i contributi alle imprese", "Giudizio", "", "qualitative", "",
             "eccellente", "", "", "", "", ""],
        ]
    }  # fmt: skip
    errors = plan_validate(
        _sheets(extra), reference=PlanReference(units={"promozione": "P"})
    ).errors
    assert len(errors) == 1 and "non valido: inserire un livello della scala dell'ente" in errors[0]


def test_a_workbook_made_before_the_weight_columns_is_still_read():
    plan = plan_validate(_sheets({}, old=True), reference=PlanReference(units={"promozione": "P"}))
    assert plan.errors == []
    spec = plan_import_spec(plan, {"promozione": "Promozione"})
    assert spec.perspectives[0].weight == D(1) and spec.indicators[0].threshold_rule == ""


def test_the_nota_metodologica_states_the_years_method():
    from core.measurement import MeasurementRules
    from core.scoring_method import parse_scoring_method
    from reports.methodology import methodology_note

    def text(method, **kwargs):
        rules = MeasurementRules(method=parse_scoring_method(method))
        return " ".join(
            p for s in methodology_note(rules, year=2040, **kwargs) for p in s.paragraphs
        )

    plain = text({})
    assert "vale 100% se la soglia è rispettata e 0% se non lo è" in plain
    assert "punti" not in plain and "qualitativo" not in plain
    assert "Gli indicatori NV e gli elementi di peso zero non entrano nelle medie" in plain
    smvp = text(METHOD, qualitative=True)
    assert "in proporzione alla soglia (con «≥ 60» e 56: 93,33%)" in smvp
    assert "gli indicatori NV contano 0%" in smvp
    assert "da 76% a 90%: da 15 a 18 punti" in smvp
    assert "livello raggiunto: insufficiente 0%, sufficiente 33,33%, buono 66,67%, ottimo 100%" in (
        smvp
    )
    judged = text({"conversion": "scale"})
    assert "insufficiente (0) da 0%; sufficiente (1) da 60%" in judged


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sql", "found"),
    [
        ("UPDATE objectives_perspective SET weight = 2 WHERE cycle_id = %s", "peso"),
        ("UPDATE objectives_strategicobjective SET weight = 0 WHERE cycle_id = %s", "peso"),
        ("UPDATE objectives_operationalobjective SET weight = 3 WHERE cycle_id = %s", "peso"),
        ("UPDATE indicators_indicator SET threshold_rule = 'proportional' WHERE cycle_id = %s",
         "regola_soglia"),
        ("UPDATE relazione_cycle SET scoring_method = '{\"nv\": \"zero\"}' WHERE id = %s",
         "metodo_di_valutazione"),
    ],
)  # fmt: skip
def test_verify_snapshot_detects_a_weight_or_the_method_changed_behind_the_lock(cycle, sql, found):
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connection

    call_command("verify_snapshot", "--year", "2023", "--ente", "cciaa-bergamo")
    with connection.cursor() as cursor:
        cursor.execute(sql, [cycle.pk])
    with pytest.raises(CommandError, match=found):
        call_command("verify_snapshot", "--year", "2023", "--ente", "cciaa-bergamo")


@pytest.mark.django_db
def test_the_pages_show_the_points_of_the_method(client, weighted_year, people):
    from django.urls import reverse

    from tests.people import log_in

    log_in(client, people.planning)
    body = weighted_year.body.slug
    page = client.get(reverse("dashboards:map", args=[body, 2040])).content.decode()
    assert "76,67%" in page and "15,14 punti" in page
    cards = client.get(reverse("dashboards:scorecards", args=[body, 2040])).content.decode()
    assert "71,11%" in cards and "12,96 punti" in cards
    card = client.get(
        reverse("dashboards:scorecard", args=[body, 2040, "promozione"])
    ).content.decode()
    assert "71,11%" in card and "12,96 punti" in card
    objective = client.get(
        reverse("dashboards:objective", args=[body, 2040, "1.1"])
    ).content.decode()
    assert "68,89%" in objective and "Peso nell'obiettivo strategico: 2" in objective


def test_the_caption_under_the_map_follows_the_method():
    from core.scoring_method import aggregation_caption, parse_scoring_method

    default = aggregation_caption(parse_scoring_method({}))
    nested = aggregation_caption(parse_scoring_method({"aggregation": "nested_mean"}))
    points = aggregation_caption(parse_scoring_method(METHOD))
    assert "media ponderata degli indicatori del suo cruscotto" in default
    assert "media ponderata delle realizzazioni di ogni obiettivo operativo che ne fa parte" in (
        nested
    )
    assert "indicatori del suo cruscotto" not in nested
    assert "convertito in punti per fasce" in points and "punti" not in default


@pytest.mark.django_db
def test_the_map_says_how_its_figures_are_put_together_under_the_years_method(
    client, weighted_year, people
):
    from django.urls import reverse

    from tests.people import log_in

    log_in(client, people.planning)
    url = reverse("dashboards:map", args=[weighted_year.body.slug, 2040])
    assert "convertito in punti per fasce" in client.get(url).content.decode()
    Cycle.objects.filter(pk=weighted_year.pk).update(scoring_method={"aggregation": "nested_mean"})
    page = client.get(url).content.decode()
    assert "delle realizzazioni di ogni obiettivo operativo che ne fa parte" in page
    assert "indicatori del suo cruscotto" not in page
