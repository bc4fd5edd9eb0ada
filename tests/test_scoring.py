"""The scoring method (core.scoring_method) and its engine (indicators.scoring): the parser's
refusals in Italian, and properties proved by Hypothesis: weights scale, bounds,
monotonicity, zero weights, equal weights give the plain means."""

import itertools
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.scoring_method import (
    DEFAULT_SCALE,
    Aggregation,
    Conversion,
    NvRule,
    ScoringMethod,
    ScoringMethodError,
    ThresholdRule,
    parse_scoring_method,
)
from indicators import domain, scoring
from indicators.domain import Direction, Kind, parse_value
from indicators.scoring import Group, Part

POINTS = {
    "conversion": "points",
    "points": [
        {"from": 0, "to": 59, "points": [0, 0]},
        {"from": 60, "to": 75, "points": [10, 14]},
        {"from": 76, "to": 90, "points": [15, 18]},
        {"from": 91, "to": 100, "points": [19, 20]},
    ],
}
SCALE = {
    "conversion": "scale",
    "scale": [
        {"label": "insufficiente", "value": 0, "from": 0},
        {"label": "sufficiente", "value": 1, "from": 60},
        {"label": "buono", "value": 2, "from": 75},
        {"label": "ottimo", "value": 3, "from": 90},
    ],
}
METHODS = [
    ScoringMethod(),
    ScoringMethod(nv=NvRule.ZERO),
    ScoringMethod(aggregation=Aggregation.NESTED_MEAN),
    parse_scoring_method({**POINTS, "nv": "zero", "aggregation": "nested_mean"}),
    parse_scoring_method(SCALE),
]

# --- the parser ------------------------------------------------------------------------


def test_empty_method_is_the_rule_as_it_was():
    for data in (None, {}):
        method = parse_scoring_method(data)
        assert method == ScoringMethod()
        assert method.thresholds is ThresholdRule.ALL_OR_NOTHING
        assert method.nv is NvRule.EXCLUDED
        assert method.conversion is Conversion.NONE


def test_a_full_method_is_read():
    method = parse_scoring_method({**POINTS, "thresholds": "proportional", "nv": "zero"})
    assert method.thresholds is ThresholdRule.PROPORTIONAL
    assert method.points[2].points_low == D(15)
    assert parse_scoring_method(SCALE).scale[2].realization == D("66.67")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "oggetto JSON"),
        ({"soglie": "x"}, "Voci non riconosciute: soglie"),
        ({"thresholds": "metà"}, "valore «metà» non ammesso"),
        ({"conversion": "points"}, "richiede le fasce"),
        (
            {"conversion": "points", "points": [{"from": 0, "to": 50, "points": [0, 5]}]},
            "0% al 100%",
        ),
        (
            {
                "points": [
                    {"from": 0, "to": 60, "points": [0, 9]},
                    {"from": 50, "to": 100, "points": [10, 20]},
                ]
            },
            "senza sovrapporsi",
        ),
        ({"points": [{"from": 0, "to": 100, "points": [5, 1]}]}, "ordine inverso"),
        ({"points": [{"from": 0, "to": "cento", "points": [0, 1]}]}, "non è un numero"),
        (
            {
                "scale": [
                    {"label": "a", "value": 0, "from": 10},
                    {"label": "b", "value": 1, "from": 50},
                ]
            },
            "da 0%",
        ),
        (
            {
                "scale": [
                    {"label": "a", "value": 1, "from": 0},
                    {"label": "b", "value": 1, "from": 50},
                ]
            },
            "crescere",
        ),
        ({"scale": [{"label": "a", "value": 0, "from": 0}]}, "almeno due livelli"),
    ],
)
def test_a_bad_method_is_refused_in_italian(data, message):
    with pytest.raises(ScoringMethodError, match=message):
        parse_scoring_method(data)


# --- thresholds, qualitative indicators (indicators.domain) -----------------------------


def _r(direction, target, actual, **kwargs):
    return domain.realization(
        Kind.NUMBER, direction, parse_value(target), parse_value(actual), **kwargs
    )


def test_proportional_threshold_scores_what_the_body_printed():
    assert _r(Direction.AT_LEAST, ">= 60", "56") == D(0)  # all or nothing, as before
    assert _r(Direction.AT_LEAST, ">= 60", "56", proportional=True) == D("93.33")
    assert _r(Direction.AT_LEAST, ">= 60", "61", proportional=True) == D(100)
    assert _r(Direction.AT_MOST, "<= 10", "12", proportional=True) == D("83.33")
    # a strict threshold missed by a hair is never 100%
    assert _r(Direction.AT_LEAST, "> 60", "60", proportional=True) == D("99.99")


def test_qualitative_indicator_is_its_levels_share_of_the_top():
    def q(target, actual, scale=DEFAULT_SCALE):
        return domain.realization(
            Kind.QUALITATIVE,
            Direction.HIGHER,
            parse_value(target),
            parse_value(actual),
            scale=scale,
        )

    assert q("ottimo", "Buono") == D("66.67")
    assert q("buono", "ottimo") == D(100)
    assert q("buono", "insufficiente") == D(0)
    assert q("buono", "eccellente") is None
    assert q("buono", "NV") is None
    custom = parse_scoring_method(
        {
            "scale": [
                {"label": "no", "value": 0, "from": 0},
                {"label": "sì", "value": 1, "from": 50, "realization": 100},
            ]
        }
    ).scale
    assert q("sì", "sì", custom) == D(100)
    reason = domain.not_valued_reason(
        Kind.QUALITATIVE, Direction.HIGHER, parse_value("buono"), parse_value("eccellente")
    )
    assert "non è un livello della scala dell'ente" in reason


def test_stored_figures_follow_the_year_method_and_the_indicator_override():
    proportional = domain.MeasurementRules(
        method=ScoringMethod(thresholds=ThresholdRule.PROPORTIONAL)
    )
    plain = domain.MeasurementRules()
    args = ("number", "at_least", ">= 60", "56")
    assert domain.stored_figures(*args, plain)[0] == D(0)
    assert domain.stored_figures(*args, proportional)[0] == D("93.33")
    assert domain.stored_figures(*args, plain, "proportional")[0] == D("93.33")
    assert domain.stored_figures(*args, proportional, "all_or_nothing")[0] == D(0)


# --- conversion ----------------------------------------------------------------------------


def test_points_are_linear_inside_a_band_and_judgements_follow_the_scale():
    method = parse_scoring_method(POINTS)
    assert scoring.convert(D(76), method).points == D(15)
    assert scoring.convert(D(83), method).points == D("16.50")  # 15 + 7/14 of 3
    assert scoring.convert(D(90), method).points == D(18)
    assert scoring.convert(D("90.5"), method).points == D(18)  # between two bands
    assert scoring.convert(D(83), method).text == "16,50 punti"
    assert scoring.convert(None, method).text == ""
    judged = scoring.convert(D(80), parse_scoring_method(SCALE))
    assert judged.level is not None and judged.level.label == "buono"
    assert judged.text == "buono (2)"


# --- properties ---------------------------------------------------------------------------

pcts = st.decimals(min_value=0, max_value=100, places=2)
realizations = st.one_of(st.none(), pcts)
weights = st.decimals(min_value=0, max_value=50, places=3)
positive = st.decimals(min_value=D("0.001"), max_value=50, places=3)
parts = st.lists(st.builds(Part, realizations, weights, st.booleans()), min_size=1, max_size=8)
groups = st.lists(
    st.builds(lambda w, ps: Group(w, tuple(ps)), weights, parts), min_size=1, max_size=5
)
methods = st.sampled_from(METHODS)


def _scale(gs, k):
    return [
        Group(g.weight * k, tuple(Part(p.realization, p.weight * k, p.nv_counts) for p in g.parts))
        for g in gs
    ]


@settings(max_examples=200)
@given(groups, st.integers(min_value=2, max_value=1000), methods)
def test_scaling_every_weight_changes_nothing(gs, k, method):
    k = D(k)
    assert scoring.strategic_score(_scale(gs, k), method) == scoring.strategic_score(gs, method)
    for g, scaled in zip(gs, _scale(gs, k), strict=True):
        assert scoring.mean(scaled.parts, method) == scoring.mean(g.parts, method)


@settings(max_examples=200)
@given(groups, methods)
def test_scores_and_points_stay_within_bounds(gs, method):
    score = scoring.strategic_score(gs, method)
    if score is None:
        return
    assert D(0) <= score <= D(100)
    converted = scoring.convert(score, method)
    if method.points and method.conversion is Conversion.POINTS:
        assert converted.points is not None
        assert method.points[0].points_low <= converted.points <= method.points[-1].points_high
    if method.conversion is Conversion.SCALE:
        assert converted.level in method.scale


@settings(max_examples=300)
@given(groups, st.data(), methods)
def test_raising_one_realization_never_lowers_any_score(gs, data, method):
    g = data.draw(st.integers(0, len(gs) - 1))
    i = data.draw(st.integers(0, len(gs[g].parts) - 1))
    part = gs[g].parts[i]
    if part.realization is None:
        return
    higher = data.draw(st.decimals(min_value=part.realization, max_value=100, places=2))
    raised = list(gs)
    new_parts = list(gs[g].parts)
    new_parts[i] = Part(higher, part.weight, part.nv_counts)
    raised[g] = Group(gs[g].weight, tuple(new_parts))
    before, after = scoring.strategic_score(gs, method), scoring.strategic_score(raised, method)
    assert (before is None) == (after is None)  # a part counts or not whatever its value
    if before is None or after is None:
        return
    assert after >= before
    group_before, group_after = scoring.mean(gs[g].parts, method), scoring.mean(new_parts, method)
    assert group_before is None or group_after >= group_before
    before_c, after_c = scoring.convert(before, method), scoring.convert(after, method)
    if before_c.points is not None:
        assert after_c.points >= before_c.points
    if before_c.level is not None:
        assert after_c.level.value >= before_c.level.value


@settings(max_examples=200)
@given(groups, parts, methods)
def test_zero_weight_items_do_not_count(gs, extra, method):
    ignored = tuple(Part(p.realization, D(0), p.nv_counts) for p in extra)
    with_zero_parts = [Group(gs[0].weight, gs[0].parts + ignored), *gs[1:]]
    with_zero_group = [*gs, Group(D(0), tuple(extra))]
    expected = scoring.strategic_score(gs, method)
    assert scoring.strategic_score(with_zero_parts, method) == expected
    assert scoring.strategic_score(with_zero_group, method) == expected


@settings(max_examples=200)
@given(st.lists(realizations, min_size=1, max_size=12))
def test_equal_weights_give_the_plain_means_of_before(values):
    method = ScoringMethod()
    assert scoring.mean((Part(v) for v in values), method) == domain.weighted_mean(
        (v, D(1)) for v in values
    )
    # one operational objective per indicator, all weighing 1: the flat mean of before
    gs = [Group(D(1), (Part(v),)) for v in values]
    assert scoring.strategic_score(gs, method) == domain.weighted_mean((v, D(1)) for v in values)
    children = [(v, D(1)) for v in values]
    assert scoring.children_score(children) == domain.weighted_mean(children)


@settings(max_examples=200)
@given(st.lists(pcts, min_size=1, max_size=6), pcts)
def test_nv_counted_as_zero_only_lowers(values, _unused):
    with_nv = [Part(v) for v in values] + [Part(None)]
    assert scoring.mean(with_nv, ScoringMethod(nv=NvRule.ZERO)) <= scoring.mean(
        with_nv, ScoringMethod()
    )
    monitoring = [Part(v) for v in values] + [Part(None, nv_counts=False)]
    assert scoring.mean(monitoring, ScoringMethod(nv=NvRule.ZERO)) == scoring.mean(
        monitoring, ScoringMethod()
    )


@settings(max_examples=300)
@given(
    st.sampled_from([">=", ">", "<=", "<"]),
    st.decimals(min_value=D("0.01"), max_value=1000, places=2),
    st.decimals(min_value=0, max_value=2000, places=2),
    st.decimals(min_value=0, max_value=2000, places=2),
)
def test_a_proportional_threshold_is_monotone_and_below_100_when_missed(cmp, t, a, b):
    direction = Direction.AT_LEAST if cmp.startswith(">") else Direction.AT_MOST
    low, high = sorted((a, b))
    better, worse = (high, low) if direction is Direction.AT_LEAST else (low, high)
    target = f"{cmp}{domain.format_number(t, 2)}"

    def score(actual):
        return _r(direction, target, domain.format_number(actual, 2), proportional=True)

    assert score(better) >= score(worse)
    plain = _r(direction, target, domain.format_number(worse, 2))
    assert score(worse) >= plain  # never less than all-or-nothing
    if plain == D(0):
        assert score(worse) < D(100)


@settings(max_examples=100)
@given(st.lists(st.decimals(min_value=0, max_value=100, places=0), min_size=1, max_size=6), pcts)
def test_generated_point_bands_keep_points_within_the_table(cuts, score):
    edges = sorted({D(0), D(100), *cuts})
    bands = [
        {"from": lo, "to": hi, "points": [i * 10, i * 10 + 5]}
        for i, (lo, hi) in enumerate(itertools.pairwise(edges))
    ]
    method = parse_scoring_method({"conversion": "points", "points": bands})
    points = scoring.convert(score, method).points
    assert points is not None and D(0) <= points <= bands[-1]["points"][1]


def _flat_definition(gs, method):
    """The strategic score as written before totals existed: one mean of every indicator
    weighed by its weight times its objective's, or the mean of the objectives' means."""
    if method.aggregation is Aggregation.NESTED_MEAN:
        return scoring.children_score((scoring.mean(g.parts, method), g.weight) for g in gs)
    flat = (Part(p.realization, p.weight * g.weight, p.nv_counts) for g in gs for p in g.parts)
    return scoring.mean(flat, method)


@settings(max_examples=300)
@given(groups, methods)
def test_scores_from_totals_are_the_definitions(gs, method):
    """What a database may add (indicators.aggregates): totals of several objectives of the
    same weight added together give the score of the objectives one by one."""
    assert scoring.strategic_score(gs, method) == _flat_definition(gs, method)
    for g in gs:
        assert scoring.score(scoring.totals(g.parts), method) == scoring.mean(g.parts, method)
    if method.aggregation is Aggregation.WEIGHTED_MEAN:
        by_weight: dict = {}
        for g in gs:
            by_weight[g.weight] = by_weight.get(g.weight, scoring.Totals()) + scoring.totals(
                g.parts
            )
        merged = scoring.strategic_score_of(by_weight.items(), method)
        assert merged == _flat_definition(gs, method)
