"""The body's name of the first level of its plan (issue 17, point 4): "Area strategica"
instead of "Prospettiva" on the map, the objective page, the cruscotti and the PDF of its open
years; a validated year keeps the name it was validated with."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Body, Cycle
from objectives.models import Perspective, Scorecard
from reports.pdf import render_layout
from tests.people import log_in, people  # noqa: F401 - fixture
from workflow.rules import body_rules_update

RULES = {
    "band_achieved_from": "90",
    "band_partial_from": "60",
    "missed_deadline_pct": "0",
    "aggregation": "weighted_mean",
    "thresholds": "all_or_nothing",
    "nv": "excluded",
    "conversion": "none",
}


def _rename(client, people, body):  # noqa: F811
    log_in(client, people.planning)
    form = {
        **RULES,
        "perspective_label": "Area  strategica",
        "perspective_label_plural": "Aree strategiche",
    }
    response = client.post(reverse("workflow:rules", args=[body.slug]), form)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_open_years_print_the_bodys_name_of_the_level(client, people, cycle, y2024):  # noqa: F811
    _rename(client, people, y2024.body)
    body = Body.objects.get(pk=y2024.body_id)
    assert (body.perspective_label, body.perspective_label_plural) == (
        "Area strategica",
        "Aree strategiche",
    )
    year = Cycle.objects.get(pk=y2024.pk)
    assert year.levels == {
        "perspective": "Area strategica",
        "perspectives": "Aree strategiche",
        "strategic": "Obiettivo strategico",  # the defaults of the levels not renamed
        "strategics": "Obiettivi strategici",
        "operational": "Obiettivo operativo",
        "operationals": "Obiettivi operativi",
    }
    first = Perspective.objects.filter(cycle=year).order_by("order").first()
    slug, year_number = body.slug, year.year
    page = client.get(reverse("dashboards:map", args=[slug, year_number])).content.decode()
    assert "Area strategica " + first.name.lower().capitalize() in page
    assert "Prospettiva" not in page and "prospettiva" not in page
    so = first.strategic_objectives.order_by("order").first()
    page = client.get(
        reverse("dashboards:objective", args=[slug, year_number, so.code])
    ).content.decode()
    assert "Area strategica: <strong>" in page and "Prospettiva" not in page
    card = (
        Scorecard.objects.filter(cycle=year, section="2.2").first()
        or Scorecard.objects.filter(cycle=year).first()
    )
    page = client.get(
        reverse("dashboards:scorecard", args=[slug, year_number, card.slug])
    ).content.decode()
    assert "Area strategica" in page and "Prospettiva" not in page
    html, _document, _layout = render_layout(year)
    assert "Area strategica " in html and "Prospettiva" not in html


def test_a_validated_year_keeps_its_name_and_the_other_body_is_untouched(
    client,
    people,  # noqa: F811
    cycle,
):
    assert cycle.state in ("validated", "published")
    _rename(client, people, cycle.body)
    body_rules_update(
        user=people.planning, body=cycle.body, **RULES, strategic_label="Linea di mandato"
    )
    assert Body.objects.get(pk=cycle.body_id).levels["strategic"] == "Linea di mandato"
    frozen = Cycle.objects.get(pk=cycle.pk)
    assert frozen.levels["perspective"] == "Prospettiva"
    assert frozen.levels["strategic"] == "Obiettivo strategico"  # the year's own, kept
    html, _document, _layout = render_layout(frozen)
    assert "Area strategica" not in html and "Prospettiva " in html
    other = Body.objects.exclude(pk=cycle.body_id).get()
    assert other.perspective_label == "Prospettiva"


def test_an_empty_name_is_the_default_and_a_long_one_is_refused(people, cycle):  # noqa: F811
    body = cycle.body
    body_rules_update(user=people.planning, body=body, **RULES, perspective_label="Missione")
    assert Body.objects.get(pk=body.pk).perspective_label == "Missione"
    body_rules_update(user=people.planning, body=body, **RULES, perspective_label=" ")
    assert Body.objects.get(pk=body.pk).perspective_label == "Prospettiva"
    with pytest.raises(ValidationError, match="al massimo 60 caratteri"):
        body_rules_update(user=people.planning, body=body, **RULES, perspective_label="X" * 61)


def test_the_plan_template_says_the_bodys_name_of_the_level(client, people, cycle):  # noqa: F811
    import io

    from openpyxl import load_workbook

    _rename(client, people, cycle.body)
    response = client.get(reverse("indicators:plan_template", args=[cycle.body.slug]))
    legend = load_workbook(io.BytesIO(response.content))["Legenda"]
    first = [cell.value for cell in legend[1]]
    assert first[:2] == ["Prospettive", "Prospettiva"]
    assert "«Area strategica» («Aree strategiche» al plurale)" in first[2]


def test_the_second_and_third_levels_are_named_by_the_body(client, people, y2024):  # noqa: F811
    """A Comune's «Linea di mandato» and «Obiettivo esecutivo»: on the map, the objective page,
    the cruscotti and the PDF of its open years, and in the plan template's «Legenda»."""
    import io

    from openpyxl import load_workbook

    log_in(client, people.planning)
    form = {
        **RULES,
        "strategic_label": "Linea di mandato",
        "strategic_label_plural": "Linee di mandato",
        "operational_label": "Obiettivo esecutivo",
        "operational_label_plural": "Obiettivi esecutivi",
    }
    response = client.post(reverse("workflow:rules", args=[y2024.body.slug]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    year = Cycle.objects.get(pk=y2024.pk)
    assert year.levels["strategics"] == "Linee di mandato"
    assert year.levels["operationals"] == "Obiettivi esecutivi"
    args = [year.body.slug, year.year]
    page = client.get(reverse("dashboards:map", args=args)).content.decode()
    assert "Linee di mandato: livello di raggiungimento" in page
    so = (
        Perspective.objects.filter(cycle=year)
        .order_by("order")
        .first()
        .strategic_objectives.first()
    )
    page = client.get(reverse("dashboards:objective", args=[*args, so.code])).content.decode()
    assert "Obiettivi esecutivi e indicatori" in page and "Linea di mandato" in page
    card = Scorecard.objects.filter(cycle=year, section="2.4").first()
    page = client.get(reverse("dashboards:scorecard", args=[*args, card.slug])).content.decode()
    assert "Obiettivo esecutivo" in page
    html, _document, _layout = render_layout(year)
    assert "per ogni linea di mandato" in html and ">Obiettivo esecutivo</th>" in html
    # The section titles and captions that name a level print the body's names.
    assert "Rendicontazione: Linee di mandato</h2>" in html
    assert "Rendicontazione degli obiettivi strategici" not in html
    assert "Realizzazione: Linee di mandato 2024 (%)" in html
    assert "Cruscotto dell'obiettivo strategico" not in html
    assert "Cruscotto: Linea di mandato " in html
    assert "2.4 Obiettivi esecutivi</h2>" in html
    response = client.get(reverse("indicators:plan_template", args=[year.body.slug]))
    legend = load_workbook(io.BytesIO(response.content))["Legenda"]
    notes = " ".join(str(row[2].value) for row in legend.iter_rows(max_row=3))
    assert "«Linea di mandato» («Linee di mandato» al plurale)" in notes
    assert "«Obiettivo esecutivo» («Obiettivi esecutivi» al plurale)" in notes


def test_setup_body_names_the_levels_and_refuses_a_long_name(db, tmp_path):
    """The command (and the service behind the page) takes the body's names of the levels;
    the first year prints them."""
    import yaml
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from tests.test_onboarding import CONFIG

    path = tmp_path / "ente.yaml"
    wrong = {**CONFIG, "livelli": {"secondo": "L" * 61}}
    path.write_text(yaml.safe_dump(wrong, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="Nome del secondo livello: al massimo 60"):
        call_command("setup_body", str(path))
    assert not Body.objects.filter(slug="prova").exists()
    levels = {"primo": "Missione", "primo_plurale": "Missioni", "secondo": "Linea  di mandato"}
    path.write_text(yaml.safe_dump({**CONFIG, "livelli": levels}, allow_unicode=True), "utf-8")
    call_command("setup_body", str(path))
    year = Cycle.objects.get(body__slug="prova")
    assert (year.levels["perspective"], year.levels["perspectives"]) == ("Missione", "Missioni")
    assert year.levels["strategic"] == "Linea di mandato"  # spaces collapsed, as on the page
    assert year.levels["operational"] == "Obiettivo operativo"  # not given: the default
