"""Issue 18, point 1: the paginated pages (a cruscotto, the OIV workspace) do the work of what
they show. Filters, sorting and pages in the database, the % realization by its stored figure;
a summary from one aggregate over the stored figures, equal to the engine's; the same number of
queries, and only the shown rows built, on a small and on a larger generated plan."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from dashboards import page_lines
from dashboards import selectors as dash
from dashboards.exports import scorecard_filter
from indicators import domain
from indicators.models import Indicator, ScorecardRow
from objectives.models import Scorecard
from scale.generator import plan_generate
from tests.people import *  # noqa: F403
from tests.people import grant, log_in

POINTS = {
    "conversion": "points",
    "points": [
        {"from": 0, "to": 59, "points": [0, 9]},
        {"from": 60, "to": 75, "points": [10, 14]},
        {"from": 76, "to": 90, "points": [15, 18]},
        {"from": 91, "to": 100, "points": [19, 20]},
    ],
}


def _same(a, b):
    assert (a.realization, a.band, a.counts, a.nv_as_zero, a.converted) == (
        b.realization,
        b.band,
        b.counts,
        b.nv_as_zero,
        b.converted,
    )


@pytest.mark.parametrize("method", [{}, {"nv": "zero"}, {**POINTS, "nv": "zero"}])
def test_the_aggregate_summary_is_the_engines(y2024, method):
    """Every cruscotto of a year, with the rows' own weights on some rows and each NV rule:
    the SQL sums give the summary and the results paragraph the engine gives from the rows."""
    ScorecardRow.objects.filter(scorecard__cycle=y2024, order__lt=3).update(weight=Decimal("2.5"))
    ScorecardRow.objects.filter(scorecard__cycle=y2024, order=3).update(weight=Decimal(0))
    y2024.scoring_method = {**y2024.scoring_method, **method}  # read from the cycle, not saved
    cards = Scorecard.objects.filter(cycle=y2024)
    assert cards.count() > 5
    for card in cards:
        rows = scorecard_filter(y2024, card, {}).qs
        lines = dash.scorecard_lines(y2024, rows)
        expected = dash.summarize_lines(y2024, card.title, lines)
        summary = dash.rows_summary(y2024, card.title, rows)
        _same(summary, expected)
        assert dash.rows_results(y2024, card.title, rows, summary) == dash.scorecard_results(
            y2024, card.title, lines
        )
    nv = Indicator.objects.filter(cycle=y2024, status=domain.Band.NV, rows__isnull=False)
    assert nv.exists()  # the NV rule had something to count


def test_the_results_paragraph_reads_the_rows_it_names_as_plain_values(
    y2024, django_assert_num_queries
):
    """The paragraph of a cruscotto names every row under 100% or not valued (a large one
    names hundreds): one query of plain values, no row or indicator built, and the engine's
    text all the same, with the explanations and the corrections it prints."""
    from django.db.models.signals import post_init

    from core.locking import unlocked

    card = max(
        Scorecard.objects.filter(cycle=y2024),
        key=lambda c: c.rows.filter(indicator__realization__lt=100).count(),
    )
    under = list(card.rows.filter(indicator__realization__lt=100).order_by("order"))
    assert len(under) >= 2
    with unlocked():
        Indicator.objects.filter(pk=under[0].indicator_id).update(explanation="Gara in ritardo.")
        ScorecardRow.objects.filter(pk=under[1].pk).update(declared_realization="1%")
    rows = scorecard_filter(y2024, card, {}).qs
    summary = dash.rows_summary(y2024, card.title, rows)
    built = []

    def count(sender, instance, **kwargs):
        if isinstance(instance, ScorecardRow | Indicator):
            built.append(instance)

    post_init.connect(count)
    try:
        with django_assert_num_queries(1):
            text = dash.rows_results(y2024, card.title, rows, summary)
    finally:
        post_init.disconnect(count)
    assert built == []
    lines = dash.scorecard_lines(y2024, rows)
    assert text == dash.scorecard_results(y2024, card.title, lines)
    corrected = next(line.figure for line in lines if line.row.pk == under[1].pk)
    assert corrected.correction is not None
    assert "(Gara in ritardo)" in text and f"({corrected.correction.reason})" in text


def _table_rows(html):
    table = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return table.count("<tr")


def _oiv(client, body):
    user = User.objects.create_user(f"oiv-{body.slug}")
    grant(user, Role.OIV, body=body)
    log_in(client, user)


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(ctx.captured_queries)


@pytest.fixture
def plans(db):
    """A plan of ~1x the demo and one of 3x, each unit with a cruscotto of more than a page."""
    small = plan_generate(units=3, indicators=170, years=1, seed=7, body_slug="piccolo")
    large = plan_generate(units=3, indicators=510, years=1, seed=7, body_slug="grande")
    return small, large


def _counting(monkeypatch, module, built=None):
    built = [] if built is None else built
    original = module.figure_for

    def figure_for(indicator, *args, **kwargs):
        built.append(indicator.id)
        return original(indicator, *args, **kwargs)

    monkeypatch.setattr(module, "figure_for", figure_for)
    return built


def _largest_unit_card(cycle):
    cards = Scorecard.objects.filter(cycle=cycle, section=Scorecard.Section.UNIT)
    return max(cards, key=lambda c: c.rows.count())


def test_pages_are_flat_from_a_small_to_a_larger_plan(client, plans, monkeypatch):
    from workflow import review

    # The table's rows (page_lines) and the ones the paragraph names (selectors), together.
    built_rows = _counting(monkeypatch, page_lines, _counting(monkeypatch, dash))
    built_items = _counting(monkeypatch, review)
    counts: dict[str, set[int]] = {}
    for plan in plans:
        _oiv(client, plan.body)
        cycle = plan.cycles[-1]
        args = [plan.body.slug, cycle.year]
        card = _largest_unit_card(cycle)
        assert card.rows.count() > 100  # more than a page in both plans
        scorecard = reverse("dashboards:scorecard", args=[*args, card.slug])
        workspace = reverse("workflow:workspace", args=args)
        pages = {
            "cruscotto": scorecard,
            "cruscotto per % realizzazione": f"{scorecard}?sort=-realization&page=2",
            "cruscotto filtrato": f"{scorecard}?kind=number",
            "spazio OIV": workspace,
            "spazio OIV per % realizzazione": f"{workspace}?ordina=realizzazione&pagina=2",
            "spazio OIV sotto il risultato": f"{workspace}?sotto=1&ordina=-realizzazione",
        }
        for name, url in pages.items():
            built_rows.clear()
            built_items.clear()
            html, queries = _get(client, url)
            counts.setdefault(name, set()).add(queries)
            shown = _table_rows(html.split('id="review-h"', 1)[-1])
            assert 0 < shown <= 100
            if name.startswith("cruscotto"):
                # Only the shown rows are worked out: the rows the results paragraph names
                # are read with their stored figures (dashboards.selectors.rows_results).
                assert len(built_rows) == shown
            else:
                assert len(built_items) == shown
    assert all(len(n) == 1 for n in counts.values()), counts


def test_the_cruscotto_sorts_by_the_stored_realization(client, y2024, people):
    log_in(client, people.oiv)
    card = Scorecard.objects.get(cycle=y2024, slug="segretario-generale")
    url = reverse("dashboards:scorecard", args=["cciaa-bergamo", 2024, card.slug])
    response = client.get(f"{url}?sort=-realization")
    shown = [line.indicator.id for line in response.context["table"].page.object_list.data]
    rows = dash.scorecard_lines(y2024, dash.scorecard_page_rows(card))  # the document's order
    rows.sort(key=lambda line: (line.figure.realization is None, -(line.figure.realization or 0)))
    expected = [line.indicator.id for line in rows]
    assert len(shown) > 3 and shown == expected[: len(shown)]


@pytest.mark.parametrize("sort", ["realizzazione", "-realizzazione"])
def test_the_workspace_sorts_by_the_stored_realization(y2024, sort):
    from workflow import selectors
    from workflow.selectors import ReviewFilters

    everything = selectors.review_items(y2024)
    sign = 1 if sort == "realizzazione" else -1
    expected = [
        item.indicator.id
        for item in sorted(
            everything,
            key=lambda i: (
                i.figure.realization is None,
                sign * (i.figure.realization or 0),
                i.indicator.order,
                i.indicator.id,
            ),
        )
    ]
    _page, items = selectors.review_page(y2024, ReviewFilters(sort=sort), 1, 10_000)
    assert [item.indicator.id for item in items] == expected
    assert ReviewFilters.from_query({"ordina": "nome; DROP"}).sort == ""


def _plan(sql: str) -> str:
    """The query plan of ``sql`` (as captured, its parameters in it); on PostgreSQL with sorting
    priced out, so that a tiny test year shows whether an index can give the order at all."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return "\n".join(row[-1] for row in cursor.fetchall())
        cursor.execute("SET enable_sort = off")
        try:
            cursor.execute(f"EXPLAIN {sql}")
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_sort")


@pytest.mark.parametrize("number", [2, 16])
@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("", "indicator_cycle_order"),
        ("realizzazione", "indicator_cycle_realization"),
        ("-realizzazione", "indicator_cycle_realization_desc"),
    ],
)
def test_the_workspace_chooses_a_page_in_index_order_and_joins_only_its_rows(
    y2024, sort, index, number
):
    """A page of the workspace (sorted by % realization: the not valued last either way, ties in
    the plan's order) is chosen in the order of an index, not sorted from the whole year: on
    SQLite no temporary B-tree, on PostgreSQL no Sort (migrations 0012, 0013); and only the
    chosen ids are joined to their objectives (the rows a later page skips are not). A page in
    the second half (16 of 17) is read from the end: the same index backwards."""
    from workflow.review import ReviewFilters, review_page

    with CaptureQueriesContext(connection) as ctx:
        page, _items = review_page(y2024, ReviewFilters(sort=sort), number, 10)
    assert page.paginator.num_pages == 17 and page.number == number
    sql = next(q["sql"] for q in ctx.captured_queries if "LIMIT" in q["sql"])
    outer, inner = sql.split(" IN (", 1)
    chosen, order = inner.rsplit(") ORDER BY", 1)
    assert "LIMIT" in chosen and "JOIN" not in chosen and "LIMIT" not in order
    assert "JOIN" in outer  # the page's rows, with their objectives
    # Page 2 skips the first 10 rows; page 16 (rows 151-160 of 169) the last 9, read backwards.
    assert chosen.endswith("LIMIT 10 OFFSET 10" if number == 2 else "LIMIT 10 OFFSET 9")
    plan = _plan(chosen)
    assert re.search(rf"\b{index}\b", plan), plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_a_page_without_operational_objectives_runs_the_same_queries(
    y2024, django_assert_num_queries
):
    """A page of common indicators only (no unit to read) runs the units' query all the
    same: the workspace's count does not depend on which rows a page holds."""
    from workflow.review import _review_rows

    year = Indicator.objects.filter(cycle=y2024).select_related("operational_objective")
    common = list(year.filter(operational_objective__isnull=True))
    mixed = list(year.order_by("order")[:20])
    assert common and any(i.operational_objective_id for i in mixed)
    for page in (common, mixed):
        with django_assert_num_queries(3):  # units, revisions, remark counts
            items = _review_rows(y2024, page)
        assert len(items) == len(page)
    assert any(item.units for item in _review_rows(y2024, mixed))


def test_the_filter_selects_are_djangos_own(y2024):
    """The cruscotto's filters write their options directly (a large cruscotto has hundreds of
    objectives): the same HTML as Django's select, the chosen option included."""
    from django import forms
    from django.test.html import parse_html

    card = Scorecard.objects.get(cycle=y2024, slug="segretario-generale")
    objective = card.rows.exclude(indicator__operational_objective=None).first()
    chosen = objective.indicator.operational_objective.strategic_objective_id
    form = scorecard_filter(y2024, card, {"strategic_objective": str(chosen), "band": "nv"}).form
    for name, field in form.fields.items():
        bound = form[name]
        reference = forms.Select(attrs=field.widget.attrs)
        reference.choices = field.choices
        expected = reference.render(bound.html_name, bound.value(), attrs={"id": bound.auto_id})
        assert parse_html(str(bound)) == parse_html(expected), name
    assert f'<option value="{chosen}" selected>' in str(form["strategic_objective"])


def test_the_unit_filter_lists_few_units_and_searches_many(
    client, y2024, people, monkeypatch, django_assert_num_queries
):
    """Up to UNIT_DROPDOWN_MAX units the filter lists them all; beyond, a search on the year's
    code and name offers a bounded number of matches, the chosen unit first. Two queries in
    every case."""
    from objectives.models import OrgUnit
    from workflow import review

    all_units = review.unit_choices(y2024, review.ReviewFilters())
    assert not all_units.searchable and len(all_units.options) > 3
    names = {u.year_slug: u.year_name for u in all_units.options}
    monkeypatch.setattr(review, "UNIT_DROPDOWN_MAX", 2)
    monkeypatch.setattr(review, "UNIT_SEARCH_MAX", 2)
    chosen = sorted(names)[-1]
    term = names[sorted(names)[0]].split()[-1][:4].lower()
    expected = sorted(s for s, n in names.items() if term in n.lower() or term in s)
    for filters in (
        review.ReviewFilters(),
        review.ReviewFilters(unit=chosen),
        review.ReviewFilters(unit_search=term),
        review.ReviewFilters(unit=chosen, unit_search=term),
    ):
        with django_assert_num_queries(2):
            choices = review.unit_choices(y2024, filters)
        assert choices.searchable
        slugs = [u.year_slug for u in choices.options]
        assert len(slugs) <= 2
        if filters.unit:
            assert slugs[0] == chosen
        if not filters.unit_search:
            assert slugs == ([chosen] if filters.unit else [])
        else:
            matches = sorted({*expected, *([chosen] if filters.unit else [])})
            assert set(slugs) <= set(matches)
            assert choices.more == (len(matches) > 2)
    assert OrgUnit.objects.filter(body=y2024.body).count() >= len(names)
    log_in(client, people.oiv)
    url = reverse("workflow:workspace", args=["cciaa-bergamo", 2024])
    html = client.get(f"{url}?unita_cerca={term}").content.decode()
    assert 'for="f-unita-cerca"' in html and f'value="{term}"' in html
    html = client.get(f"{url}?unita_cerca=zzzqqq").content.decode()
    assert "Nessuna unità dell'anno corrisponde a «zzzqqq»" in html


def test_the_cruscotto_counts_its_rows_in_the_summarys_aggregate(client, y2024, people):
    """The paginator's count is the summary aggregate's: no second COUNT over the rows."""
    log_in(client, people.oiv)
    card = Scorecard.objects.get(cycle=y2024, slug="segretario-generale")
    url = reverse("dashboards:scorecard", args=["cciaa-bergamo", 2024, card.slug])
    for query in ("", "?kind=number"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{url}{query}")
        table = response.context["table"]
        assert table.paginator.count == table.data.data.count() > 0
        counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"].upper()]
        assert counts == [], counts


def test_the_objective_filter_searches_a_cruscotto_with_many_objectives(
    y2024, monkeypatch, django_assert_num_queries
):
    """Beyond OBJECTIVES_LISTED_MAX objectives a cruscotto's filter offers the matches of a
    search on code and name (bounded, the chosen one first), not every objective; the search
    alone filters no row."""
    from dashboards import filters

    card = Scorecard.objects.get(cycle=y2024, slug="segretario-generale")
    with django_assert_num_queries(2):  # perspectives (and how many objectives), objectives
        form = scorecard_filter(y2024, card, {}).form
    listed = form.fields["strategic_objective"]
    everything = [(str(v), label) for v, label in listed.widget.choices if v != ""]
    assert len(everything) > 3 and filters.OBJECTIVE_SEARCH not in form.fields
    monkeypatch.setattr(filters, "OBJECTIVES_LISTED_MAX", 2)
    monkeypatch.setattr(filters, "OBJECTIVES_FOUND_MAX", 2)
    chosen = everything[-1][0]
    term = everything[0][1].split()[0]  # a code
    for params in ({}, {"strategic_objective": chosen}, {filters.OBJECTIVE_SEARCH: term}):
        with django_assert_num_queries(2):  # the same two queries with a search
            filterset = scorecard_filter(y2024, card, params)
        field = filterset.form.fields["strategic_objective"]
        offered = [(str(v), label) for v, label in field.widget.choices if v != ""]
        assert len(offered) <= 2 and set(offered) <= set(everything)
        if "strategic_objective" in params:
            assert offered == [everything[-1]]
        elif params:
            assert offered and all(term.lower() in label.lower() for _v, label in offered)
        else:
            assert offered == []
        assert filters.OBJECTIVE_SEARCH in filterset.form.fields
    rows = scorecard_filter(y2024, card, {filters.OBJECTIVE_SEARCH: term}).qs
    assert rows.count() == card.rows.count()


@pytest.mark.parametrize(
    "per_page, rows", [("0", 1), ("-5", 1), ("2", 2), ("100000000", 3), ("abc", 3)]
)
@pytest.mark.parametrize("namespace", ["dashboards", "public"])
def test_a_cruscottos_page_size_from_the_address_is_bounded(
    client, cycle, people, per_page, rows, namespace, monkeypatch
):
    """?per_page= is read from the address: 0 or less was a 500, a huge one a page of every row
    (the work of one request must stay bounded); it is taken between 1 and a full page (here
    3 rows, so that the demo's 8-row cruscotto shows the bound)."""
    monkeypatch.setattr("dashboards.tables.MAX_PER_PAGE", 3)
    log_in(client, people.planning)
    url = reverse(f"{namespace}:scorecard", args=["cciaa-bergamo", 2023, "segretario-generale"])
    total = ScorecardRow.objects.filter(
        scorecard__cycle=cycle, scorecard__slug="segretario-generale"
    ).count()
    response = client.get(f"{url}?per_page={per_page}")
    assert response.status_code == 200
    body = response.content.decode().split("<tbody", 1)[1].split("</tbody>", 1)[0]
    assert total > 3
    assert body.count("<tr") == rows
