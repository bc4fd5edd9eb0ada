# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""The trend of an operational objective across the years (issue 17): its own page, linked
from its strategic objective's, the same figure as that page shows in each year, a fixed
number of queries, only the years the reader may see."""

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.locking import unlocked
from core.models import Cycle
from dashboards import selectors, trends
from indicators import domain
from indicators.models import Indicator
from objectives.models import OperationalObjective
from tests.people import log_in, people, set_state  # noqa: F401 - fixtures


def _decimal_node(cycle):
    """An operational objective whose 2023 realization has decimals (printed with a comma)."""
    for p in selectors.strategic_map(cycle).perspectives:
        for so in p.objectives:
            node = selectors.objective_detail(cycle, so.objective.code)
            for op in node.operational:
                if op.summary.realization is not None and op.summary.realization % 1:
                    return node, op
    raise AssertionError("no operational objective with decimals in the demo")


def _trend_part(page: str) -> str:
    return re.sub(r"\s", "", page.split("Andamento negli anni", 1)[1].split("</table>", 1)[0])


def test_the_page_shows_each_year_as_the_objective_page_does(client, cycle, y2024, people):
    node, op = _decimal_node(cycle)
    op_2024 = OperationalObjective.objects.get(
        cycle=y2024, strategic_objective__code=node.objective.code, name=op.objective.name
    )
    node_2024 = selectors.objective_detail(y2024, node.objective.code)
    summary_2024 = trends.operational_node(node_2024, op_2024.pk).summary
    log_in(client, people.planning)
    objective_page = client.get(
        reverse("dashboards:objective", args=["cciaa-bergamo", 2024, node.objective.code])
    ).content.decode()
    url = reverse("dashboards:operational", args=["cciaa-bergamo", 2024, op_2024.pk])
    assert f'href="{url}"' in objective_page
    response = client.get(url)
    assert response.status_code == 200
    trend = _trend_part(html.unescape(response.content.decode()))
    expected = domain.format_pct(op.summary.realization)
    assert "," in expected
    assert f'<thscope="row">2023</th><tdclass="num">{expected}</td>' in trend
    this_year = domain.format_pct(summary_2024.realization) if summary_2024.realization else "NV"
    assert re.search(rf'<thscope="row">2024</th><tdclass="num">{re.escape(this_year)}</td>', trend)


def test_an_objective_of_another_year_is_a_404(client, cycle, y2024, people):
    of_2023 = OperationalObjective.objects.filter(cycle=cycle).first()
    log_in(client, people.planning)
    url = reverse("dashboards:operational", args=["cciaa-bergamo", 2024, of_2023.pk])
    assert client.get(url).status_code == 404
    assert client.get(url.replace(f"/{of_2023.pk}/", "/999999/")).status_code == 404


def test_the_public_page_shows_only_published_years(client, cycle):
    node, op = _decimal_node(cycle)
    objective_page = client.get(
        reverse("public:objective", args=["cciaa-bergamo", 2023, node.objective.code])
    ).content.decode()
    url = reverse("public:operational", args=["cciaa-bergamo", 2023, op.objective.pk])
    assert f'href="{url}"' in objective_page
    page = html.unescape(client.get(url).content.decode())
    assert "Andamento negli anni" in page
    assert '<th scope="row">2024</th>' not in page  # 2024 is not published


def test_the_trend_runs_two_queries_whatever_the_years_and_the_plan(cycle, y2024):
    node, op = _decimal_node(cycle)
    code, name = node.objective.code, op.objective.name
    with CaptureQueriesContext(connection) as first:
        trends.operational_trend(code, name, Cycle.objects.filter(body=cycle.body))
    with unlocked():
        target = OperationalObjective.objects.get(
            cycle=y2024, strategic_objective__code=code, name=name
        )
        for n in range(5):
            Indicator.objects.create(
                cycle=y2024, operational_objective=target, name=f"Altro {n}", kind="number"
            )
    with CaptureQueriesContext(connection) as second:
        trend = trends.operational_trend(code, name, Cycle.objects.filter(body=cycle.body))
    assert len(first.captured_queries) == len(second.captured_queries) == 2
    assert [row.year for row in trend.rows if row.present] == [2023, 2024]


def test_an_implicit_operational_objective_is_its_strategic_objectives_page(client, people):
    """A strategic objective's direct indicators (its implicit operational objective) are not a
    level of the body's plan: the address of their would-be page leads to the strategic
    objective's, and the objective page links to none."""
    from core.models import Body
    from indicators.plan_import import plan_import_apply
    from tests.test_plan_depth import TWO_LEVELS, YEAR, _sheets

    year = plan_import_apply(
        user=people.planning,
        body=Body.objects.get(slug="cciaa-bergamo"),
        year=YEAR,
        sheets=_sheets(**TWO_LEVELS),
    )
    op = OperationalObjective.objects.get(cycle=year, strategic_objective__code="A")
    assert op.implicit
    log_in(client, people.planning)
    url = reverse("dashboards:operational", args=["cciaa-bergamo", YEAR, op.pk])
    response = client.get(url)
    objective = reverse("dashboards:objective", args=["cciaa-bergamo", YEAR, "A"])
    assert (response.status_code, response["Location"]) == (302, objective)
    assert f'href="{url}"' not in client.get(objective).content.decode()
    assert trends.strategic_code_of(year, op.pk) == ("A", True)
    # The public twin, once the year is published: the same redirect, to the public page.
    client.logout()
    public_url = reverse("public:operational", args=["cciaa-bergamo", YEAR, op.pk])
    assert client.get(public_url).status_code == 404  # not published yet
    set_state(year, Cycle.State.PUBLISHED)
    response = client.get(public_url)
    public_objective = reverse("public:objective", args=["cciaa-bergamo", YEAR, "A"])
    assert (response.status_code, response["Location"]) == (302, public_objective)
    assert f'href="{public_url}"' not in client.get(public_objective).content.decode()


def test_the_page_names_the_level_as_the_body_does(client, cycle, people):
    _node, op = _decimal_node(cycle)
    with unlocked():
        Cycle.objects.filter(pk=cycle.pk).update(
            operational_label="Obiettivo esecutivo", operational_label_plural="Obiettivi esecutivi"
        )
    log_in(client, people.planning)
    url = reverse("dashboards:operational", args=["cciaa-bergamo", 2023, op.objective.pk])
    page = html.unescape(client.get(url).content.decode())
    assert "Obiettivo esecutivo di " in page and "Obiettivo operativo" not in page
    assert "Obiettivo esecutivo negli anni" in page
