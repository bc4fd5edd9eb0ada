"""A past year brought in with the plan workbook (issue 17, point 6): the actuals and the % the
body's document printed load with the plan, and every % the app computes differently is shown
where it appears, with the reason; a wrong cell is a message with sheet, row and column."""

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Body, Cycle
from indicators import plan_workbook
from indicators.models import Indicator, ScorecardRow
from tests.people import *  # noqa: F403 - the named people
from tests.people import log_in

pytestmark = pytest.mark.django_db

OP = ("1.1", "Erogare i contributi alle imprese")
# The template's columns: ... target, weight, unit, source, threshold rule, row weight,
# N+1, N+2, baseline, baseline year, actual, declared %.
THRESHOLD = [*OP, "Soddisfazione (≥ 60)", "", "number", "at_least", "≥ 60", "1", "", "", "", "",
             "", "", "", "", "56", "93,33%"]  # fmt: skip
PLAIN = [*OP, "Pratiche evase", "", "number", "higher", "10", "1", "", "", "", "",
         "", "", "", "", "8", "80%"]  # fmt: skip


def _upload(client, rows, year=2036):
    wb = load_workbook(io.BytesIO(plan_workbook.plan_template([("promozione", "Promozione")])))
    for row in rows:
        wb[plan_workbook.INDICATORS].append(row)
    out = io.BytesIO()
    wb.save(out)
    return client.post(
        reverse("indicators:plan_import", args=["cciaa-bergamo"]),
        {"year": year, "file": SimpleUploadedFile("piano.xlsx", out.getvalue())},
    )


def test_actuals_and_declared_figures_load_and_a_difference_is_shown(client, people):
    Body.objects.filter(slug="cciaa-bergamo").update(
        scoring_method={"thresholds": "all_or_nothing"}
    )
    log_in(client, people.planning)
    response = _upload(client, [THRESHOLD, PLAIN])
    assert response.status_code == 302, html.unescape(response.content.decode())[-3000:]
    cycle = Cycle.objects.get(body__slug="cciaa-bergamo", year=2036)
    by_name = {i.name: i for i in Indicator.objects.filter(cycle=cycle)}
    assert by_name["Pratiche evase"].actual == "8"
    assert by_name["Pratiche evase"].realization == 80
    # The body's document scored the threshold in proportion (56 of 60); the year's method
    # says all or nothing: the app shows its 0% and the published 93,33%, with the reason.
    assert by_name["Soddisfazione (≥ 60)"].realization == 0
    declared = ScorecardRow.objects.filter(indicator=by_name["Soddisfazione (≥ 60)"])
    assert set(declared.values_list("declared_realization", flat=True)) == {"93,33%"}
    url = reverse(
        "dashboards:indicator", args=["cciaa-bergamo", 2036, by_name["Soddisfazione (≥ 60)"].pk]
    )
    page = html.unescape(client.get(url).content.decode())
    assert "valore pubblicato: 93,33%" in page
    agreeing = reverse(
        "dashboards:indicator", args=["cciaa-bergamo", 2036, by_name["Pratiche evase"].pk]
    )
    assert "valore pubblicato" not in html.unescape(client.get(agreeing).content.decode())


def test_a_wrong_actual_or_declared_cell_is_a_message_and_nothing_is_created(client, people):
    log_in(client, people.planning)
    bad = list(PLAIN)
    bad[-2], bad[-1] = "otto", "ottanta"
    response = _upload(client, [bad])
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "Foglio «Indicatori», riga 3, colonna «Valore ottenuto»" in page
    assert (
        "Foglio «Indicatori», riga 3, colonna «% dichiarata»: «ottanta» non è una percentuale"
        in page
    )
    assert not Cycle.objects.filter(body__slug="cciaa-bergamo", year=2036).exists()


def test_an_empty_polarity_with_a_threshold_target_is_scored_as_a_threshold(client, people):
    """«≥ 60» with no Polarità is a threshold (at least), scored by the body's rule; an explicit
    Polarità is kept; a plain target with none is «higher» as before."""
    log_in(client, people.planning)
    rows = [
        [*OP, "Soglia senza polarità", "", "number", "", "≥ 60"],
        [*OP, "Tempo senza polarità", "", "number", "", "<= 10 gg."],
        [*OP, "Soglia dichiarata higher", "", "number", "higher", "≥ 60"],
        [*OP, "Valore senza polarità", "", "number", "", "60"],
    ]
    assert _upload(client, rows).status_code == 302
    directions = dict(
        Indicator.objects.filter(cycle__body__slug="cciaa-bergamo", cycle__year=2036).values_list(
            "name", "direction"
        )
    )
    assert directions["Soglia senza polarità"] == "at_least"
    assert directions["Tempo senza polarità"] == "at_most"
    assert directions["Soglia dichiarata higher"] == "higher"
    assert directions["Valore senza polarità"] == "higher"
