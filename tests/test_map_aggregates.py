"""The strategic map rolls a year up from sums the database adds (indicators.aggregates): every
summary it shows (strategic objectives, perspectives, the year) is the one the engine computes
from the indicators one by one, realization recomputed from the written target and actual
(``figure_for``), on the demo and on generated plans of several seeds, under each aggregation
and NV rule, with weights of every level drawn at random (0, thousandths, large ones, a row's
own weight). The objective cards rendered in one pass are the template's HTML."""

import random
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal as D

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.locking import unlocked
from core.selectors import measurement_rules
from dashboards.selectors import strategic_map
from dashboards.templatetags.map_tags import objective_url_maker
from indicators.models import Indicator, ScorecardRow
from indicators.rollup import figure_for, summarize_children, summarize_strategic
from objectives.models import OperationalObjective, StrategicObjective
from scale.generator import plan_generate

METHODS = [
    {},
    {"nv": "zero"},
    {"aggregation": "nested_mean"},
    {"aggregation": "nested_mean", "nv": "zero"},
]
WEIGHTS = ["0", "0.001", "0.333", "0.5", "1", "1", "1", "2.5", "7", "9999.999"]


def engine_map(cycle):
    """The map's roll-up computed the long way: each indicator by the engine from its written
    values, the strategic objective from its 2.2 cruscotto's rows (a row's weight, else the
    indicator's) or, when that prints none of its indicators, from all of them, grouped by
    operational objective."""
    rules = measurement_rules(cycle)
    indicators = Indicator.objects.filter(cycle=cycle, operational_objective__isnull=False)
    figures = {i.id: figure_for(i, cycle) for i in indicators}
    ops = {
        op.id: op for op in OperationalObjective.objects.filter(strategic_objective__cycle=cycle)
    }
    rows = defaultdict(list)
    for row in ScorecardRow.objects.filter(
        scorecard__cycle=cycle, scorecard__strategic_objective__isnull=False
    ).select_related("scorecard"):
        rows[row.scorecard.strategic_objective_id].append(row)
    summaries = {}
    for so in StrategicObjective.objects.filter(cycle=cycle):
        chosen = [
            replace(figures[r.indicator_id], row_weight=r.weight)
            for r in rows[so.id]
            if r.indicator_id in figures
        ]
        if not chosen:
            chosen = [
                f
                for f in figures.values()
                if ops[f.indicator.operational_objective_id].strategic_objective_id == so.id
            ]
        groups = defaultdict(list)
        for f in chosen:
            groups[f.indicator.operational_objective_id].append(f)
        summaries[so.id] = summarize_strategic(
            so.name, [(ops[op_id].weight, members) for op_id, members in groups.items()], rules
        )
    return summaries


def assert_map_is_the_engines(cycle):
    smap = strategic_map(cycle)
    expected = engine_map(cycle)
    rules = measurement_rules(cycle)
    nodes = [n for p in smap.perspectives for n in p.objectives]
    assert len(nodes) == len(expected)
    for node in nodes:
        assert node.summary == expected[node.objective.id], node.objective.code
    for p in smap.perspectives:
        children = [(expected[n.objective.id], n.objective.weight) for n in p.objectives]
        assert p.summary == summarize_children(p.perspective.name, children, rules)
    assert smap.overall == summarize_children(
        f"Performance {cycle.year}",
        [(p.summary, p.perspective.weight) for p in smap.perspectives],
        rules,
    )
    return smap


def reweigh(cycle, rng):
    """Random weights at every level: indicators, operational objectives, 2.2 rows (a third
    left to the indicator's own)."""
    with unlocked():
        for model, qs in (
            (Indicator, Indicator.objects.filter(cycle=cycle)),
            (
                OperationalObjective,
                OperationalObjective.objects.filter(strategic_objective__cycle=cycle),
            ),
        ):
            items = list(qs.only("id", "weight"))
            for item in items:
                item.weight = D(rng.choice(WEIGHTS))
            model.objects.bulk_update(items, ["weight"])
        rows = list(ScorecardRow.objects.filter(scorecard__cycle=cycle).only("id", "weight"))
        for row in rows:
            row.weight = rng.choice([None, None, *map(D, WEIGHTS)])
        ScorecardRow.objects.bulk_update(rows, ["weight"])


@pytest.mark.parametrize("method", METHODS)
def test_the_demo_map_is_the_engines(cycle, method):
    cycle.scoring_method = method  # read by the selector from the object, not saved
    smap = assert_map_is_the_engines(cycle)
    assert smap.overall.realization is not None
    reweigh(cycle, random.Random(2023))
    assert_map_is_the_engines(cycle)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_generated_map_is_the_engines(seed):
    plan = plan_generate(
        units=6, indicators=150, years=1, seed=seed, body_slug=f"mappa-{seed}", first_year=2040
    )
    cycle = plan.cycles[-1]
    rng = random.Random(seed)
    for method in METHODS:
        cycle.scoring_method = method
        assert_map_is_the_engines(cycle)
    reweigh(cycle, rng)
    with unlocked():  # a cruscotto printing none of its objective's indicators
        so = StrategicObjective.objects.filter(cycle=cycle).order_by("code").first()
        ScorecardRow.objects.filter(scorecard__strategic_objective=so).delete()
    for method in METHODS:
        cycle.scoring_method = method
        assert_map_is_the_engines(cycle)


OLD_CARDS = Template(
    "{% load year_urls %}{% for node in nodes %}"
    """<li class="col-12 col-md-6 col-lg-4">
      <a class="map-objective band-bg-{{ node.summary.band }}" href="{% year_url "objective" """
    """cycle.body.slug cycle.year node.objective.code %}">
        <span class="code">{{ node.objective.code }}</span> {{ node.objective.name }}<br>
        <span class="pct">{{ node.summary.realization_text }}</span>
        <span class="band band-{{ node.summary.band }}"><span aria-hidden="true">"""
    """{{ node.summary.band_icon }}</span> {{ node.summary.band_label }}</span>
      </a>
    </li>{% if not forloop.last %}
    {% endif %}{% endfor %}"""
)
NEW_CARDS = Template("{% load map_tags %}{% objective_cards nodes cycle %}")


@pytest.mark.parametrize("public", [False, True])
def test_the_cards_are_the_templates_html(cycle, public):
    smap = strategic_map(cycle)
    for p in smap.perspectives:
        p.objectives[0].objective.name = "Servizi <b>& imprese</b>"  # escaped alike
        context = {"nodes": p.objectives, "cycle": cycle, "public": public}
        assert NEW_CARDS.render(Context(context)) == OLD_CARDS.render(Context(context))


@pytest.mark.parametrize("code", ["1.1", "A.2", "01010601", "2.3-bis", "1/2", "a_b"])
@pytest.mark.parametrize("public", [False, True])
def test_an_objectives_address_is_reverses(code, public):
    name = "public:objective" if public else "dashboards:objective"
    url = objective_url_maker(public, "cciaa-bergamo", 2023)
    assert url(code) == reverse(name, args=["cciaa-bergamo", 2023, code])


@pytest.mark.django_db
def test_the_snapshot_reads_weights_and_stored_figures_exactly(django_assert_num_queries):
    """The consistency snapshot reads weights and stored % as whole units (fast on SQLite):
    each is the model's decimal, and its queries are the demo's on a larger generated plan."""
    from consistency.selectors import YEAR_DATA_QUERIES, year_data_build

    plan = plan_generate(
        units=6, indicators=400, years=1, seed=9, body_slug="istantanea", first_year=2040
    )
    cycle = plan.cycles[-1]
    reweigh(cycle, random.Random(9))
    cycle = type(cycle).objects.select_related("body").get(pk=cycle.pk)
    with django_assert_num_queries(YEAR_DATA_QUERIES):
        data = year_data_build(cycle=cycle)
    stored = {
        i.id: (i.weight, i.realization, i.status) for i in Indicator.objects.filter(cycle=cycle)
    }
    assert len(data.indicators) == len(stored) == 400
    for ind in data.indicators:
        weight, realization, status = stored[ind.id]
        assert (ind.weight, ind.stored_figures) == (weight, (realization, status))
        assert str(ind.weight) == str(weight)  # the same decimal places, as printed


@pytest.mark.django_db
def test_the_maps_queries_are_the_demos_on_a_larger_plan(client, django_assert_num_queries):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("mappa", "m@example.org", "x"))
    plan = plan_generate(
        units=8, indicators=600, years=1, seed=3, body_slug="mappa-grande", first_year=2040
    )
    with CaptureQueriesContext(connection) as demo:
        assert client.get("/cciaa-bergamo/2023/").status_code == 200
    with django_assert_num_queries(len(demo.captured_queries)):
        assert client.get(f"/{plan.body.slug}/2040/").status_code == 200
