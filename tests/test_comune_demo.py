"""The acceptance of issue 17: a Comune whose plan is written as Comuni write theirs (the
DUP's missions as first level, a strategic objective with operational objectives beside two
with their indicators directly on them, weights at every level, targets as plans write them,
a qualitative indicator, thresholds scored in proportion, points by bands), loaded through the
paths a new body takes, scores as its SMVP says. The score is computed here by hand, level by
level."""

import re
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.models import Body, Cycle
from dashboards.selectors import strategic_map
from demo.comune import ACCOUNTS, SLUG, YEAR, comune_load
from indicators.models import Indicator
from tests.people import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def comune():
    return comune_load()


def _r(value: D) -> D:
    return value.quantize(D("0.01"))  # every mean rounded half-up to cents (indicators.scoring)


def test_the_years_score_is_the_hand_computation(comune):
    realization = dict(Indicator.objects.filter(cycle=comune).values_list("name", "realization"))
    # Each indicator by its kind and the method's proportional thresholds:
    assert realization["Pratiche anagrafiche presentate online"] == D("90.00")  # 54 / ≥ 60
    assert realization["Servizi anagrafici disponibili online"] == D("80.00")  # 8 / 10
    assert realization["Tempo medio di rilascio della carta d'identità"] == D("83.33")  # 10 / 12
    assert realization["Giudizio degli utenti sullo sportello"] == D("66.67")  # buono of ottimo
    assert realization["Importo riscosso dal recupero dell'evasione"] == D("90.00")  # 40.500/45.000
    assert realization["Nuclei presi in carico entro 30 giorni"] == D("80.00")  # 72 / ≥ 90
    assert realization["Avvio del servizio di assistenza domiciliare"] == D("100.00")  # in time
    # Strategic 0107: indicators weighed by their weight times their operational objective's
    # (Digitalizzare 2: 90 x 2, 80 x 1; Ridurre 1: 83,33 x 1, 66,67 x 1).
    s11 = _r((D(90) * 4 + D(80) * 2 + D("83.33") + D("66.67")) / 8)  # 670 / 8
    assert s11 == D("83.75")
    # Strategic 0104 and 1204 hold their indicators directly (no operational objective): the
    # mean of their indicators by the indicators' weights (1204: «Nuclei» 1, «Avvio» 2).
    s12 = D(90)  # its one indicator
    s21 = _r((D(80) * 1 + D(100) * 2) / 3)  # 280 / 3 = 93,333...
    assert s21 == D("93.33")
    # Missione 01: 0107 weighs 3, 0104 weighs 1; Missione 12: 1204 alone.
    m01 = _r((s11 * 3 + s12) / 4)  # (251,25 + 90) / 4 = 85,3125
    m12 = s21
    # The year: Missione 01 weighs 2, Missione 12 weighs 1.
    year = _r((m01 * 2 + m12) / 3)  # (170,62 + 93,33) / 3 = 263,95 / 3 = 87,9833
    assert (m01, m12, year) == (D("85.31"), D("93.33"), D("87.98"))
    # Points: 76-90% -> 15-18, linear inside the band: 15 + 11,98 / 14 x 3 = 17,567.
    points = _r(15 + (year - 76) / (90 - 76) * 3)
    assert points == D("17.57")

    smap = strategic_map(comune)
    assert smap.overall.realization == year
    assert smap.overall.converted.points == points
    by_code = {
        n.objective.code: n.summary.realization for p in smap.perspectives for n in p.objectives
    }
    assert by_code == {"0107": s11, "0104": s12, "1204": s21}
    assert [p.summary.realization for p in smap.perspectives] == [m01, m12]


def test_the_comune_went_through_the_new_bodys_paths(comune):
    body = Body.objects.get(slug=SLUG)
    assert body.kind == "comune" and body.scoring_method["thresholds"] == "proportional"
    assert comune.state == Cycle.State.MONITORING and comune.scoring_method == body.scoring_method
    stored = dict(Indicator.objects.filter(cycle=comune).values_list("name", "target"))
    assert stored["Tempo medio di rilascio della carta d'identità"] == "<=10"  # "<= 10 gg."
    assert stored["Importo riscosso dal recupero dell'evasione"] == "45.000"  # "= 45.000", text
    assert stored["Avvio del servizio di assistenza domiciliare"] == "31/12/2025"
    # Every value entered by its unit's manager, recorded in the history like any other.
    assert not Indicator.objects.filter(cycle=comune, actual="").exists()
    assert comune_load().pk == comune.pk  # loaded once: what its people did is kept


def test_its_pages_speak_of_a_comune_and_show_its_points(client, comune):
    from django.contrib.auth import get_user_model

    planner = get_user_model().objects.get(username=ACCOUNTS[0][0])
    log_in(client, planner)
    page = client.get(reverse("dashboards:map", args=[SLUG, YEAR])).content.decode()
    assert "87,98%" in page and "17,57 punti" in page
    assert "Missione 01 – servizi istituzionali" in page
    assert "Obiettivi comuni di sistema" not in page and "Unioncamere" not in page


def test_load_demo_loads_it_beside_the_camera(capsys):
    Body.objects.filter(slug=SLUG).delete()
    call_command("load_demo", "--comune", "--no-pdf", "--no-accounts")
    assert Cycle.objects.filter(body__slug=SLUG, year=YEAR).exists()
    assert "Comune di Esempio" in capsys.readouterr().out


def test_its_triennial_targets_and_baselines_came_with_the_plan(comune):
    rows = {
        i.name: (i.target_n1, i.target_n2, i.baseline, i.baseline_year)
        for i in Indicator.objects.filter(cycle=comune)
    }
    assert rows["Pratiche anagrafiche presentate online"] == (">=65%", ">=70%", "48%", 2024)
    assert rows["Tempo medio di rilascio della carta d'identità"][:2] == ("<=8", "<=7")
    assert rows["Importo riscosso dal recupero dell'evasione"][:2] == ("50.000", "55.000")


def test_the_thresholds_follow_the_bodys_rule(comune):
    """Scored in proportion by the Comune's SMVP; with the all-or-nothing rule (the default) the
    three thresholds missed would count 0%: the rule is the body's, not the engine's."""
    from django.contrib.auth import get_user_model

    from workflow.rules import body_rules_update

    planner = get_user_model().objects.get(username=ACCOUNTS[0][0])
    body = Body.objects.get(slug=SLUG)
    body_rules_update(
        user=planner,
        body=body,
        band_achieved_from="90",
        band_partial_from="60",
        missed_deadline_pct="0",
        aggregation="weighted_mean",
        thresholds="all_or_nothing",
        nv="zero",
        conversion="none",
    )
    realization = dict(Indicator.objects.filter(cycle=comune).values_list("name", "realization"))
    assert realization["Pratiche anagrafiche presentate online"] == 0
    assert realization["Tempo medio di rilascio della carta d'identità"] == 0
    assert realization["Nuclei presi in carico entro 30 giorni"] == 0
    assert realization["Servizi anagrafici disponibili online"] == D("80.00")  # not a threshold


def test_an_objectives_cruscotto_prints_the_objectives_score(client, comune):
    """With operational objectives of different weights, the cruscotto of objective 0107 (2.2)
    is the objective's 83,75%, not a flat mean of its rows (82%): one figure per objective, on
    its page, in the list of cruscotti and in the document."""
    from django.contrib.auth import get_user_model

    from dashboards.selectors import scorecard_summaries
    from objectives.models import Scorecard
    from reports.selectors import relazione_document

    card = Scorecard.objects.get(cycle=comune, strategic_objective__code="0107")
    assert scorecard_summaries(comune)[card.pk].realization == D("83.75")
    log_in(client, get_user_model().objects.get(username=ACCOUNTS[0][0]))
    page = client.get(reverse("dashboards:scorecard", args=[SLUG, YEAR, card.slug]))
    assert page.context["summary"].realization == D("83.75")
    filtered = client.get(
        reverse("dashboards:scorecard", args=[SLUG, YEAR, card.slug]), {"stato": "partial"}
    )
    assert filtered.status_code == 200  # a filtered page sums the rows it shows
    document = relazione_document(comune)
    block = next(b for b in document.objectives if b.node.objective.code == "0107")
    assert block.node.summary.realization == D("83.75")


def test_its_three_level_objectives_show_their_indicators_as_their_own(client, comune):
    """0104 and 1204 have no operational objective: their indicators are theirs on the page and
    in the open data, entered by the manager of the unit their row named."""
    from django.contrib.auth import get_user_model

    from dashboards.export import export_rows
    from objectives.models import OperationalObjective

    implicit = OperationalObjective.objects.filter(cycle=comune, implicit=True)
    assert sorted(o.strategic_objective.code for o in implicit) == ["0104", "1204"]
    assert {o.strategic_objective.code: o.units.get().slug for o in implicit} == {
        "0104": "tributi",
        "1204": "sociale",
    }
    log_in(client, get_user_model().objects.get(username=ACCOUNTS[0][0]))
    page = client.get(reverse("dashboards:objective", args=[SLUG, YEAR, "1204"])).content.decode()
    assert "Nuclei presi in carico entro 30 giorni" in page
    assert "Obiettivi operativi e indicatori" not in page  # no operational level printed
    assert "Missione: <strong>12 – Diritti sociali" in page
    rows = {r["indicator"]: r for r in export_rows(comune)}
    assert rows["Nuclei presi in carico entro 30 giorni"]["operational_objective"] == ""
    assert rows["Pratiche anagrafiche presentate online"]["operational_objective"] == (
        "Digitalizzare le pratiche anagrafiche"
    )
    # A target written «maggiore o uguale a 90%» (stored «>=90%») with «%» as its unit: the
    # unit printed once; «<= 10 gg.» keeps its «gg.» beside the figure.
    assert re.search(r">\s*&gt;=90%\s*</td>", page), "the unit of measure printed twice"
    page = client.get(reverse("dashboards:objective", args=[SLUG, YEAR, "0107"])).content.decode()
    assert re.search(r">\s*&lt;=10 gg\.\s*</td>", page)


@pytest.mark.parametrize(
    ("figure", "unit", "shown"),
    [(">=90%", "%", ">=90%"), ("<=10", "gg.", "<=10 gg."), ("45.000", "", "45.000"), ("", "%", "")],
)
def test_a_figure_carries_its_unit_once(figure, unit, shown):
    from relazione.templatetags.relazione_tags import with_unit

    assert with_unit(figure, unit) == shown
