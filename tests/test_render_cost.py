"""Issue 18, the fixed cost of a page: what every internal page pays besides its own data (the
year's structure behind the menu, the cruscotto's table, the status band) is written to cost
little, and prints what the generic path printed."""

import datetime

import pytest
from django.core.cache import caches
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.test.html import parse_html
from django.urls import reverse
from django_tables2 import RequestConfig

from core.locking import unlocked
from core.models import Cycle
from core.selectors import measurement_rules
from dashboards.exports import scorecard_filter
from dashboards.tables import ScorecardTable
from indicators.models import Indicator, TargetRevision
from indicators.rollup import figure_for, summarize
from objectives.models import Scorecard
from public.tables import PublicScorecardTable
from resources.structure import year_structure
from tests.people import *  # noqa: F403
from tests.people import log_in, set_state

# The table's rows as django-tables2 prints them itself (its stock template, no body_rows).
STOCK = "django_tables2/bootstrap5.html"


def _tables(cycle, card, query, table_class):
    """The same page of a cruscotto's table twice: through body_rows, and through the
    library's generic path."""
    request = RequestFactory().get("/", query)
    rendered = []
    for template in (None, STOCK):
        table = table_class(scorecard_filter(cycle, card, {}).qs, cycle=cycle)
        if template:
            table.template_name = template
        RequestConfig(request, paginate={"per_page": 100}).configure(table)
        rendered.append(table.as_html(request))
    return rendered


@pytest.mark.parametrize("table_class", [ScorecardTable, PublicScorecardTable])
@pytest.mark.parametrize("query", [{}, {"sort": "-realization"}, {"sort": "baseline"}])
def test_the_cruscottos_rows_are_django_tables2s_own(y2024, table_class, query):
    """Rows of every kind: a baseline with its year, an empty actual (the column's default), a
    % realization declared apart from the computed one (the correction note), text to escape."""
    card = Scorecard.objects.get(cycle=y2024, slug="segretario-generale")
    rows = list(card.rows.select_related("indicator").order_by("order")[:3])
    with unlocked():
        Indicator.objects.filter(pk=rows[0].indicator_id).update(
            baseline="12,5", baseline_year=2021, name='Accessi <web> & "sportello"'
        )
        Indicator.objects.filter(pk=rows[1].indicator_id).update(actual="")
        type(rows[2]).objects.filter(pk=rows[2].pk).update(declared_realization="1,00%")
    ours, stock = _tables(y2024, card, query, table_class)
    assert "<tbody" in ours and ours.count("<tr") > 3
    assert "declared-differs" in ours and "(2021)" in ours and "&lt;web&gt;" in ours
    assert parse_html(ours) == parse_html(stock)


def test_the_band_prints_a_figure_and_a_summary(y2024):
    indicators = Indicator.objects.filter(cycle=y2024).order_by("order")[:3]
    figures = [figure_for(i, y2024) for i in indicators]
    summary = summarize("Uno", figures, measurement_rules(y2024))
    template = Template("{% load relazione_tags %}{% band item %}")
    for item in (*figures, summary):
        html = template.render(Context({"item": item}))
        assert f'class="band band-{item.band}"' in html
        assert f"<small>{item.band_label}</small>" in html
        assert item.realization_text in html
    assert 'class="conversion"' not in template.render(Context({"item": figures[0]}))
    assert "coverage" in template.render(Context({"item": summary}))


def test_the_years_structure_is_one_query_and_follows_the_data(y2024, django_assert_num_queries):
    """Compiled once, asked for each page: the part of the individual objectives goes with its
    last cruscotto and its text, and comes back with its text, at once."""
    from core import structure
    from narratives.models import Narrative

    def parts():
        return year_structure(Cycle.objects.select_related("body").get(pk=y2024.pk))

    cycle = Cycle.objects.select_related("body").get(pk=y2024.pk)
    with django_assert_num_queries(1):
        assert year_structure(cycle).has(structure.INDIVIDUAL)
    with django_assert_num_queries(0):  # kept on the cycle for the rest of the request
        year_structure(cycle)
    individual = Scorecard.objects.filter(cycle=y2024, section=Scorecard.Section.INDIVIDUAL)
    assert individual.exists()
    individual.update(section=Scorecard.Section.UNIT)
    texts = Narrative.objects.filter(cycle=y2024, key=structure.INDIVIDUAL)
    texts.update(body="")
    assert not parts().has(structure.INDIVIDUAL)
    assert parts().has(structure.UNITS)
    if texts.exists():
        texts.update(body="Testo.")
        assert parts().has(structure.INDIVIDUAL)


LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "consistency": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "render-cost-test",
    },
}


def test_the_oiv_workspace_runs_a_fixed_number_of_queries(
    client, y2024, people, django_assert_num_queries
):
    """With the consistency counts cached (as served): the same queries whichever page, filter
    or order, target revisions and remarks included."""
    set_state(y2024, Cycle.State.SUBMITTED)
    indicators = list(Indicator.objects.filter(cycle=y2024).order_by("order")[:3])
    for n, indicator in enumerate(indicators):
        TargetRevision.objects.create(
            indicator=indicator,
            old_target="1",
            new_target=f"2{n}",
            reason="Motivo",
            act_reference=f"Delibera {n}",
            act_date=datetime.date(2024, 5, 1 + n),
            created_by=people.planning,
        )
    log_in(client, people.oiv)
    url = reverse("workflow:workspace", args=["cciaa-bergamo", 2024])
    with override_settings(CACHES=LOCMEM):
        caches["consistency"].clear()
        try:
            assert client.get(url).status_code == 200  # the counts computed and cached
            for query in ("", "?rimodulati=1", "?ordina=realizzazione&pagina=2", "?sotto=1"):
                with django_assert_num_queries(18):
                    response = client.get(url + query)
                assert response.status_code == 200
        finally:
            caches["consistency"].clear()
    assert "Rimodulato" in client.get(url).content.decode()
