# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""The *Nota metodologica* speaks of the plan the body writes (issue 17): its names of the
levels, and only the levels it has (no first level, indicators directly on a strategic
objective)."""

import html

from core.levels import DEFAULT_LEVELS
from core.measurement import MeasurementRules
from core.scoring_method import parse_scoring_method
from reports.methodology import PlanShape, methodology_note
from reports.selectors import methodology_page
from tests.people import people  # noqa: F401 - fixture
from tests.test_plan_depth import two_levels  # noqa: F401 - fixture

OWN = "la media, ponderata con i pesi degli indicatori, dei suoi indicatori valutabili"


def _aggregation(shape=None, **method) -> str:
    method = {"aggregation": "nested_mean", **method}
    rules = MeasurementRules(method=parse_scoring_method(method))
    note = methodology_note(rules, year=2040, shape=shape)
    (section,) = [s for s in note if s.title == "Aggregazione e pesi"]
    return section.paragraphs[0]


# A Comune's names: feminine and masculine, none of them «obiettivo» or «prospettiva».
COMUNE = {
    **DEFAULT_LEVELS,
    "perspective": "Missione",
    "perspectives": "Missioni",
    "strategic": "Programma",
    "strategics": "Programmi",
    "operational": "Azione",
    "operationals": "Azioni",
}


def test_the_four_levels_with_the_default_names():
    assert _aggregation().startswith(
        f"La realizzazione di ogni obiettivo operativo è {OWN}; quella di ogni obiettivo "
        "strategico, la media ponderata delle realizzazioni di ogni obiettivo operativo che ne "
        "fa parte; quella di ogni prospettiva, la media ponderata delle realizzazioni di ogni "
        "obiettivo strategico che ne fa parte; quella dell'anno, la media ponderata delle "
        "realizzazioni di ogni prospettiva. Un cruscotto di unità o individuale è la media "
        "ponderata delle sue righe; il cruscotto di ogni obiettivo strategico ne riporta la "
        "realizzazione."
    )


def test_the_bodys_names_of_the_levels():
    text = _aggregation(PlanShape(names=COMUNE, direct=True))
    assert text.startswith(
        f"La realizzazione di ogni azione è {OWN}; quella di ogni programma, la media ponderata "
        "delle realizzazioni di ogni azione che ne fa parte o, se ne ha di diretti, dei suoi "
        "indicatori; quella di ogni missione, la media ponderata delle realizzazioni di ogni "
        "programma che ne fa parte; quella dell'anno, la media ponderata delle realizzazioni di "
        "ogni missione."
    )
    assert "obiettiv" not in text and "prospettiv" not in text


def test_a_plan_without_first_level_or_operational_objectives():
    shape = PlanShape(first_level=False, operational=False, direct=True)
    text = _aggregation(shape)
    assert text.startswith(
        f"La realizzazione di ogni obiettivo strategico è {OWN}; quella dell'anno, la media "
        "ponderata delle realizzazioni di ogni obiettivo strategico."
    )
    assert "prospettiva" not in text and "obiettivo operativo" not in text
    flat = _aggregation(shape, aggregation="weighted_mean")
    assert flat.startswith(
        "La realizzazione di ogni obiettivo strategico è la media ponderata degli indicatori del "
        "suo cruscotto; quella dell'anno"
    )


def test_a_flat_mean_names_the_weight_of_the_operational_level():
    flat = {"aggregation": "weighted_mean"}
    assert (
        "(ogni indicatore con il suo peso moltiplicato per quello del livello «Azione» a cui "
        "appartiene)"
    ) in _aggregation(PlanShape(names=COMUNE), **flat)
    assert "del livello" not in _aggregation(PlanShape(operational=False, direct=True), **flat)


def test_the_page_of_a_two_level_year_says_what_the_plan_has(two_levels):
    (section,) = [s for s in methodology_page(two_levels).note if s.title == "Aggregazione e pesi"]
    # Bergamo's method is the weighted mean of a cruscotto's indicators.
    assert section.paragraphs[0].startswith(
        "La realizzazione di ogni obiettivo strategico è la media ponderata degli indicatori del "
        "suo cruscotto; quella dell'anno, la media ponderata delle realizzazioni di ogni "
        "obiettivo strategico."
    )


def test_the_caption_under_the_map_names_the_levels_the_plan_has(client, two_levels, people):
    from django.urls import reverse

    from tests.people import log_in

    log_in(client, people.planning)
    page = client.get(reverse("dashboards:map", args=["cciaa-bergamo", two_levels.year]))
    text = " ".join(html.unescape(page.content.decode()).split())
    assert (
        "La realizzazione di ogni obiettivo strategico è la media ponderata degli indicatori del "
        "suo cruscotto; quella dell'anno, la media ponderata delle realizzazioni di ogni "
        "obiettivo strategico." in text
    )
    assert "quella di ogni prospettiva" not in text
