"""Benchmarking across bodies (issue 17, point 8): the common objectives compared over the
published years of every Camera of the installation, against a hand computation.

The test database holds the demo body (Bergamo, 2023 published) and demo.second's (the same
plan, in monitoring, every text marked): three more Camere are published here with one common
indicator, written with other case and spacing, plus a Comune and a validated but unpublished
year that must not count."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from core.locking import unlocked
from core.models import Body, BodyKind, Cycle
from demo.second import MARKER, SECOND_BODY
from indicators.models import CommonGroup, Indicator
from public import benchmark as bench
from tests.people import *  # noqa: F403 - the people fixture
from tests.people import log_in, set_state

D = Decimal
SUAP = "Grado di coinvolgimento dei Comuni nel SUAP"
# (slug, name, kind, year, state, actual): target 65,0%, higher is better.
BODIES = [
    ("cciaa-alfa", "Camera di commercio Alfa", BodyKind.CHAMBER, 2023, "published", "50,0%"),
    ("cciaa-beta", "Camera di commercio Beta", BodyKind.CHAMBER, 2023, "published", "65,0%"),
    ("cciaa-gamma", "Camera di commercio Gamma", BodyKind.CHAMBER, 2023, "published", "70,0%"),
    # Validated, not published: never counted.
    ("cciaa-delta", "Camera di commercio Delta", BodyKind.CHAMBER, 2023, "validated", "1,0%"),
    # A Comune has no common objectives: its row would be an extreme value if it counted.
    ("comune-epsilon", "Comune di Epsilon", BodyKind.MUNICIPALITY, 2023, "published", "99,0%"),
]


def _body_with_indicator(slug, name, kind, year, state, actual, indicator=SUAP):
    body = Body.objects.create(name=name, slug=slug, kind=kind)
    cycle = Cycle.objects.create(body=body, year=year, state=Cycle.State.PLANNING)
    group = CommonGroup.objects.create(cycle=cycle, name="Transizione burocratica")
    Indicator.objects.create(
        cycle=cycle,
        common_group=group,
        name=indicator,
        kind="percentage",
        target="65,0%",
        actual=actual,
    )
    set_state(cycle, state)
    return cycle


@pytest.fixture
def bodies(db, cycle):
    cache.clear()
    for spec in BODIES:
        # Alfa writes it in other case and spacing: the same indicator (the page prints the
        # form most bodies write).
        variant = (
            "  grado di coinvolgimento dei comuni  nel SUAP" if spec[0] == "cciaa-alfa" else SUAP
        )
        _body_with_indicator(*spec, indicator=variant)
    # The unpublished second body: an extreme value, that would move every figure.
    second = Cycle.objects.get(body__slug=SECOND_BODY["slug"], year=2023)
    with unlocked():
        Indicator.objects.filter(cycle=second, name=SUAP).update(actual="0,5%")
    assert Indicator.objects.get(cycle=second, name=SUAP).realization == D("0.77")
    bergamo = Indicator.objects.get(cycle=cycle, name=SUAP)
    # The demo document: 63,8% against 65,0% (printed 98%).
    assert (bergamo.actual, bergamo.realization) == ("63,8%", D("98.15"))
    yield
    cache.clear()


def _suap(indicators):
    return next(i for i in indicators if i.name == SUAP)


def test_the_numbers_are_the_hand_computation(bodies):
    suap = _suap(bench.shared_indicators(bench.shared_figures()))
    # As most bodies write them: Alfa's spelling and Bergamo's group are the minority.
    assert (suap.name, suap.group) == (SUAP, "Transizione burocratica")
    realization, value = suap.comparisons
    assert (realization.year, realization.measure) == (2023, bench.REALIZATION)
    # Four published Camere: Alfa 50/65 = 76,92; Beta 100; Gamma 100 (capped); Bergamo 98,15.
    assert [(e.body_slug, e.value) for e in realization.entries] == [
        ("cciaa-alfa", D("76.92")),
        ("cciaa-beta", D("100.00")),
        ("cciaa-gamma", D("100.00")),
        ("cciaa-bergamo", D("98.15")),
    ]
    d = realization.distribution
    # Sorted 76,92 98,15 100 100; Q1 at 1,75: 76,92 + 0,75 × 21,23 = 92,8425;
    # median (98,15 + 100) / 2 = 99,075; Q3 at 3,25: 100.
    assert (d.count, d.minimum, d.q1, d.median, d.q3, d.maximum) == (
        4,
        D("76.92"),
        D("92.8425"),
        D("99.075"),
        D("100"),
        D("100"),
    )
    bergamo = realization.entry_of("cciaa-bergamo")
    assert (bergamo.rank, bergamo.quartile) == (3, 2)  # two 100s before it; above Q1
    assert realization.entry_of("cciaa-beta").rank == realization.entry_of("cciaa-gamma").rank == 1
    assert realization.entry_of("cciaa-alfa").rank == 4
    # The actual values: 50 63,8 65 70; Q1 50 + 0,75 × 13,8 = 60,35; median 64,4;
    # Q3 65 + 0,25 × 5 = 66,25.
    assert value.measure == bench.ACTUAL and value.percent
    d = value.distribution
    assert (d.count, d.minimum, d.q1, d.median, d.q3, d.maximum) == (
        4,
        D("50.0"),
        D("60.35"),
        D("64.4"),
        D("66.25"),
        D("70.0"),
    )
    bergamo = value.entry_of("cciaa-bergamo")
    assert (bergamo.rank, bergamo.quartile) == (3, 2)


def test_only_published_years_of_camere_count(bodies, y2024):
    # Bergamo's 2024, in data entry, has its common indicators too: it does not count.
    assert Indicator.objects.filter(cycle=y2024, common_group__isnull=False).exists()
    figures = bench.shared_figures()
    assert {(f.body_slug, f.year) for f in figures} == {
        ("cciaa-bergamo", 2023),
        ("cciaa-alfa", 2023),
        ("cciaa-beta", 2023),
        ("cciaa-gamma", 2023),
    }
    assert SECOND_BODY["slug"] not in {f.body_slug for f in figures}  # not even in the median


def test_each_year_is_compared_apart(bodies):
    """A Camera publishing 2022 only: a comparison of its own (one body: values, no quartiles),
    2023's unchanged."""
    _body_with_indicator("cciaa-zeta", "Camera di commercio Zeta", BodyKind.CHAMBER, 2022,
                         "published", "26,0%")  # fmt: skip
    suap = _suap(bench.shared_indicators(bench.shared_figures()))
    assert suap.years == [2023, 2022]
    old = [c for c in suap.comparisons if c.year == 2022]
    assert [(c.measure, c.count, c.distribution) for c in old] == [
        (bench.REALIZATION, 1, None),
        (bench.ACTUAL, 1, None),
    ]
    assert old[0].entries[0].value == D(40)  # 26/65
    assert next(c for c in suap.comparisons if c.year == 2023).count == 4


def test_a_year_leaving_the_common_objectives_out_does_not_count(bodies):
    with unlocked():
        Cycle.objects.filter(body__slug="cciaa-alfa").update(omitted_sections="obiettivi_comuni")
    realization = _suap(bench.shared_indicators(bench.shared_figures())).comparisons[0]
    assert realization.count == 3 and realization.entry_of("cciaa-alfa") is None


def test_fewer_than_three_bodies_show_values_without_quartiles(client, bodies):
    for slug in ("cciaa-alfa", "cciaa-beta"):
        set_state(Cycle.objects.get(body__slug=slug), Cycle.State.VALIDATED)
    realization = _suap(bench.shared_indicators(bench.shared_figures())).comparisons[0]
    assert realization.count == 2 and realization.distribution is None
    assert all(e.rank is None and e.quartile is None for e in realization.entries)
    html = _get_ok(client, "/trasparenza/confronti/")
    assert "Meno di 3 enti, distribuzione non calcolata" in html
    assert "Camera di commercio Gamma 100%" in html


def _get_ok(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_page_for_everybody(client, bodies):
    html = _get_ok(client, "/trasparenza/confronti/")
    # Bergamo's demo gives the indicator its code, the other Camere write only its name.
    assert (
        "<caption>Grado di coinvolgimento dei Comuni nel SUAP (OC2.4): distribuzione tra gli "
        "enti per anno. Abbinato tra gli enti per codice, e per nome con gli enti che non "
        "indicano il codice.</caption>"
    ) in html
    # Italian formats: Q1 92,8425 → 92,84%; median 99,075 → 99,08% (half up); 60,35%.
    for text in ("76,92%", "92,84%", "99,08%", "100%", "60,35%", "64,40%", "66,25%"):
        assert f">{text}</td>" in html, text
    assert "metodo inclusivo" in html
    assert 'href="/trasparenza/confronti/confronti.csv"' in html
    assert 'href="/trasparenza/cciaa-alfa/confronti/"' in html
    assert 'href="/trasparenza/comune-epsilon/confronti/"' not in html
    for absent in (MARKER, SECOND_BODY["name"], "Delta", "Epsilon"):
        assert absent not in html


def test_the_page_of_a_body_shows_its_place(client, bodies):
    html = _get_ok(client, "/trasparenza/cciaa-bergamo/confronti/")
    assert "3ª su 4" in html and "2° quarto (da Q1 alla mediana)" in html
    assert ">98,15%</td>" in html and ">63,80%</td>" in html
    assert MARKER not in html and SECOND_BODY["name"] not in html


@pytest.mark.parametrize(
    "slug",
    ["ente-inesistente", SECOND_BODY["slug"], "cciaa-delta", "comune-epsilon"],
)
def test_a_body_without_comparisons_is_a_404(client, bodies, slug):
    response = client.get(f"/trasparenza/{slug}/confronti/")
    assert response.status_code == 404
    assert MARKER.encode() not in response.content


def test_a_comune_404_says_why(client, bodies):
    response = client.get("/trasparenza/comune-epsilon/confronti/")
    assert b"propri delle Camere di commercio" in response.content


def test_the_open_dataset(client, bodies):
    response = client.get("/trasparenza/confronti/confronti.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == [c.name for c in bench.COLUMNS]
    suap = [r for r in rows if r["indicator"] == SUAP]
    assert {(r["indicator_key"], r["common_code"], r["matched_by"]) for r in suap} == {
        ("OC2.4", "OC2.4", "codice e nome")
    }
    assert {r["body"] for r in suap} == {"cciaa-bergamo", "cciaa-alfa", "cciaa-beta", "cciaa-gamma"}
    bergamo = next(
        r for r in suap if r["body"] == "cciaa-bergamo" and r["measure"] == bench.REALIZATION
    )
    assert bergamo == {
        **bergamo,
        "year": "2023",
        "value": "98.15",
        "bodies": "4",
        "rank": "3",
        "quartile": "2",
        "minimum": "76.92",
        "q1": "92.8425",
        "median": "99.075",
        "q3": "100",
        "maximum": "100",
    }
    as_json = json.loads(client.get("/trasparenza/confronti/confronti.json").content)
    assert len(as_json) == len(rows)
    assert MARKER.encode() not in response.content
    assert client.get("/trasparenza/confronti/confronti.xlsx").status_code == 404


def test_queries_are_fixed_and_the_pages_cached(client, bodies, django_assert_num_queries):
    for url in (
        "/trasparenza/confronti/",
        "/trasparenza/cciaa-bergamo/confronti/",
        "/trasparenza/confronti/confronti.csv",
    ):
        with django_assert_num_queries(2):  # the published years, the common indicators
            first = client.get(url)
        assert first.status_code == 200 and first.has_header("ETag")
        with django_assert_num_queries(1):  # the published years: the key
            again = client.get(url)
        assert again.content == first.content
        with django_assert_num_queries(1):
            unchanged = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert unchanged.status_code == 304
    # One more body publishing: the same two queries.
    set_state(Cycle.objects.get(body__slug="cciaa-delta"), Cycle.State.PUBLISHED)
    with django_assert_num_queries(2):
        assert client.get("/trasparenza/cciaa-bergamo/confronti/").status_code == 200


def test_a_publication_changes_the_page(client, bodies):
    before = client.get("/trasparenza/confronti/")
    set_state(Cycle.objects.get(body__slug="cciaa-delta"), Cycle.State.PUBLISHED)
    after = client.get("/trasparenza/confronti/")
    assert after["ETag"] != before["ETag"]
    assert "1,54%" in after.content.decode()  # Delta's 1/65 now the minimum
    Body.objects.filter(slug="cciaa-alfa").update(name="Camera di commercio Alfa-Omega")
    renamed = client.get("/trasparenza/confronti/")
    assert renamed["ETag"] != after["ETag"]
    assert "Camera di commercio Alfa-Omega" in renamed.content.decode()


def test_a_post_is_refused(client, bodies):
    assert client.post("/trasparenza/confronti/").status_code == 405


def test_linked_from_the_pages_of_a_camera(client, bodies, people):
    link = 'href="/trasparenza/cciaa-bergamo/confronti/"'
    assert link in _get_ok(client, "/trasparenza/cciaa-bergamo/")
    assert link in _get_ok(client, "/trasparenza/cciaa-bergamo/2023/")
    assert link in _get_ok(client, "/trasparenza/cciaa-bergamo/2023/obiettivi-comuni/")
    # Several bodies publish: the index lists them and leads to the comparison of all.
    assert 'href="/trasparenza/confronti/"' in _get_ok(client, "/trasparenza/")
    # Inside, the Camera's common objectives of a published year.
    log_in(client, people.planning)
    assert link in _get_ok(client, "/cciaa-bergamo/2023/obiettivi-comuni/")


def test_not_linked_from_the_pages_of_a_comune(client, bodies):
    html = _get_ok(client, "/trasparenza/comune-epsilon/")
    assert "confronti" not in html
    assert "confronti" not in _get_ok(client, "/trasparenza/comune-epsilon/2023/")


def _figure(slug, realization, actual=None, direction="higher", name=SUAP, year=2023):
    return bench.SharedFigure(
        slug, slug.upper(), year, bench.indicator_key(name), name, "Gruppo", "percentage",
        direction, realization, actual, True,
    )  # fmt: skip


def test_the_key_ignores_case_spaces_and_apostrophes():
    assert bench.indicator_key("  Livello  dell’utilizzo ") == bench.indicator_key(
        "livello dell'utilizzo"
    )
    assert bench.indicator_key("Livello A") != bench.indicator_key("Livello B")


def test_nv_is_left_out_and_a_value_without_a_better_side_is_not_ranked():
    figures = [
        _figure("a", D(80), D(10), "lower"),
        _figure("b", None, D(20), "lower"),  # NV: no realization, its value still compared
        _figure("c", D(90), D(30), "lower"),
        _figure("d", D(100), D(5), "lower"),
    ]
    realization, value = bench.shared_indicators(figures)[0].comparisons
    assert [e.body_slug for e in realization.entries] == ["a", "c", "d"]
    # Lower is better for the value: 5 first, 30 last.
    assert value.entry_of("d").rank == 1 and value.entry_of("c").rank == 4
    # Bodies disagreeing on the direction (or monitoring): quartiles, no place.
    figures[0] = _figure("a", D(80), D(10), "higher")
    _realization, value = bench.shared_indicators(figures)[0].comparisons
    assert value.higher_is_better is None
    assert all(e.rank is None and e.quartile is not None for e in value.entries)


def test_the_selector_keeps_the_first_of_two_with_one_key(bodies):
    cycle = Cycle.objects.get(body__slug="cciaa-beta")
    with unlocked():
        group = CommonGroup.objects.get(cycle=cycle)
        Indicator.objects.create(
            cycle=cycle, common_group=group, name=SUAP.upper(), kind="percentage",
            target="65,0%", actual="1,0%", order=99,
        )  # fmt: skip
    beta = [f for f in bench.shared_figures() if f.body_slug == "cciaa-beta"]
    assert [(f.actual, f.realization) for f in beta] == [(D("65.0"), D("100.00"))]


def test_a_code_matches_across_names_and_two_codes_never_meet(bodies):
    """Alfa and Beta code the SUAP indicator as Bergamo does (Alfa under another wording:
    the code joins it); Gamma gives the same name another code: a different indicator."""
    with unlocked():
        for slug, code in (("cciaa-alfa", "OC2.4"), ("cciaa-beta", "OC2.4"), ("cciaa-gamma", "X9")):
            Indicator.objects.filter(cycle__body__slug=slug).update(common_code=code)
        Indicator.objects.filter(cycle__body__slug="cciaa-alfa").update(name="Adesione al SUAP")
    indicators = bench.shared_indicators(bench.shared_figures())
    coded = next(i for i in indicators if i.code == "OC2.4")
    assert coded.matched_by == "codice" and coded.name == SUAP
    assert {e.body_slug for e in coded.comparisons[0].entries} == {
        "cciaa-alfa",
        "cciaa-beta",
        "cciaa-bergamo",
    }
    other = next(i for i in indicators if i.code == "X9")
    assert [e.body_slug for e in other.comparisons[0].entries] == ["cciaa-gamma"]


def test_without_codes_the_name_matches(bodies):
    with unlocked():
        Indicator.objects.filter(common_group__isnull=False).update(common_code="")
    suap = _suap(bench.shared_indicators(bench.shared_figures()))
    assert (suap.key, suap.code, suap.matched_by) == (bench.indicator_key(SUAP), "", "nome")
    assert "Abbinato tra gli enti per nome." in _get_ok(Client(), "/trasparenza/confronti/")
