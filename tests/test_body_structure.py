"""The Relazione's parts per kind of body (core.structure): a Camera di commercio keeps the
document it always had; a Comune gets no obiettivi comuni and no Camera wording, on its pages
and in its PDF; a part without data is left out (and named in the note), not printed empty;
the planning office leaves optional parts out of a year."""

import subprocess
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core import machine, structure
from core.locking import unlocked
from core.models import Body, BodyKind, Cycle
from indicators.plan_builder import plan_build, units_build
from indicators.plan_spec import (
    IndicatorSpec,
    OperationalSpec,
    PerspectiveSpec,
    PlanSpec,
    RowSpec,
    ScorecardSpec,
    StrategicSpec,
    UnitSpec,
)
from objectives import sections
from relazione.navigation import main_menu
from reports.pdf import render_layout, render_pdf
from resources.structure import year_structure
from tests.people import set_state

CAMERA_WORDS = ("Camera di commercio", "camerale", "Unioncamere", "Infocamere", "Camere")
DEMO_HEADINGS = [
    "1.1 Il quadro economico",
    "1.2 Il contesto normativo e istituzionale",
    "1.3 L'amministrazione",
    "1.4 Le risorse umane",
    "1.5 Le risorse economiche",
    "2.1 Mappa strategica",
    "2.2 Rendicontazione degli obiettivi strategici",
    "2.3 Obiettivi comuni di sistema",
    "2.4 Obiettivi operativi",
    "2.5 Bilancio di genere",
    "3. Rendicontazione degli obiettivi individuali",
    "4. Il processo di misurazione e valutazione",
]
ALL_DATA = dict.fromkeys(("common", "units", "individuals", "staff", "budget"), True)


# --- The pure definition --------------------------------------------------------------------


def test_a_camera_with_every_part_keeps_the_printed_numbering():
    parts = structure.build(structure.CHAMBER, "", ALL_DATA, state=machine.PUBLISHED)
    assert [p.heading for p in parts.parts] == DEMO_HEADINGS
    assert parts.omitted == ()
    assert parts.wording.org_chart_title(2023) == (
        "Organigramma della Camera di commercio al 31/12/2023"
    )


def test_a_comune_has_no_common_objectives_and_is_numbered_without_gaps():
    parts = structure.build(structure.MUNICIPALITY, "", ALL_DATA, state=machine.PUBLISHED)
    assert not parts.has(structure.COMMON)
    assert parts.numbers[structure.UNITS] == "2.3"
    assert parts.headings[structure.GENDER] == "2.4 Bilancio di genere"
    # Not named in the note either: the Camere's section is no concern of a Comune's OIV.
    assert parts.omitted == ()
    assert structure.COMMON not in parts.narrative_keys
    assert parts.wording.org_chart_title(2023) == "Organigramma del Comune al 31/12/2023"
    assert not any(
        word in text
        for text in (*parts.headings.values(), *parts.wording.budget_groups.values())
        for word in CAMERA_WORDS
    )


def test_a_part_without_data_is_left_out_and_said_why_unless_a_text_was_written():
    data = {**ALL_DATA, "individuals": False, "budget": False}
    parts = structure.build(structure.OTHER, "", data, state=machine.CLOSED)
    assert not parts.has(structure.INDIVIDUAL) and not parts.has(structure.BUDGET)
    assert parts.headings[structure.PROCESS] == "3. Il processo di misurazione e valutazione"
    assert structure.omission_paragraphs(parts) == (
        "«Le risorse economiche»: nessuna voce di bilancio per l'anno.",
        "«Rendicontazione degli obiettivi individuali»: nessun cruscotto individuale per l'anno.",
    )
    written = structure.build(structure.OTHER, "", data, [structure.BUDGET], machine.CLOSED)
    assert written.has(structure.BUDGET)


def test_resources_still_awaited_in_data_entry_stay_a_missing_plan_section_does_not():
    data = {**ALL_DATA, "staff": False, "budget": False, "individuals": False}
    parts = structure.build(structure.CHAMBER, "", data, state=machine.MONITORING)
    assert parts.has(structure.STAFF) and parts.has(structure.BUDGET)
    assert parts.has(structure.GENDER) and not parts.has(structure.INDIVIDUAL)


def test_the_planning_office_leaves_optional_parts_out():
    parts = structure.build(structure.CHAMBER, "bilancio_di_genere, obiettivi_comuni", ALL_DATA)
    assert not parts.has(structure.GENDER) and not parts.has(structure.COMMON)
    assert {o.reason for o in parts.omitted} == {structure.LEFT_OUT_BY_OFFICE}
    assert structure.invalid_omitted("processo, bilancio_di_genere") == ["processo"]
    # Only the optional parts can be left out, whatever the field holds.
    assert structure.build(structure.CHAMBER, "processo").has(structure.PROCESS)


# --- A Comune in the database ---------------------------------------------------------------

COMUNE = {"name": "Comune di Prova", "short_name": "Comune di Prova", "slug": "comune-prova"}
UNITS = [
    UnitSpec("segreteria", "Segretario generale", "secretariat"),
    UnitSpec("servizi-sociali", "Area servizi sociali", "area", parent="segreteria", order=1),
]
PLAN = PlanSpec(
    perspectives=[PerspectiveSpec("Comunità", 1)],
    strategic=[StrategicSpec("1.1", "Comunità", "Una città inclusiva")],
    operational=[OperationalSpec("1.1", "Servizi domiciliari", ("servizi-sociali",))],
    indicators=[
        IndicatorSpec(
            "Utenti assistiti a domicilio",
            "number",
            target="120",
            actual="132",
            operational=("1.1", "Servizi domiciliari"),
        ),
    ],
    scorecards=[
        ScorecardSpec(
            sections.STRATEGIC, "Obiettivo 1.1", "so-1-1", strategic="1.1", rows=(RowSpec(0),)
        ),
        ScorecardSpec(
            sections.UNIT,
            "Area servizi sociali",
            "servizi-sociali",
            unit="servizi-sociali",
            rows=(RowSpec(0),),
        ),
    ],
)


@pytest.fixture
def comune(db):
    """A published 2023 of a Comune: a strategic and a unit cruscotto, nothing else (no common
    objectives, no individual cruscotti, no staff, no budget)."""
    cache.clear()
    with unlocked():
        body = Body.objects.create(**COMUNE, kind=BodyKind.MUNICIPALITY)
        cycle = Cycle.objects.create(body=body, year=2023)
        units_build(body=body, units=UNITS)
        plan_build(cycle=cycle, plan=PLAN)
    set_state(cycle, Cycle.State.PUBLISHED)
    yield Cycle.objects.select_related("body").get(pk=cycle.pk)
    cache.clear()


def _pdf_text(cycle) -> str:
    rendered = render_pdf(cycle)
    path = Path(tempfile.mkdtemp()) / "relazione.pdf"
    path.write_bytes(rendered.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.replace("’", "'").split())


def test_the_comunes_pdf_has_no_camera_wording_and_no_empty_parts(comune):
    text = _pdf_text(comune)
    assert "Relazione sulla Performance 2023" in text and "Una città inclusiva" in text
    for word in (*CAMERA_WORDS, "Obiettivi comuni"):
        assert word not in text, word
    assert "Organigramma del Comune al 31/12/2023" in text
    assert "2.3 Obiettivi operativi (DUP, sezione operativa)" in text
    assert "3. Il processo di misurazione e valutazione" in text
    for absent in ("Le risorse umane", "Le risorse economiche", "Bilancio di genere"):
        assert f"1.4 {absent}" not in text and f"1.5 {absent}" not in text
    assert "4. Il processo" not in text
    # The OIV reads in the note which parts were left out, and why.
    assert "Sezioni non presenti" in text
    assert "«Le risorse umane»: nessun dato sul personale per l'anno." in text
    assert "«Le risorse economiche»: nessuna voce di bilancio per l'anno." in text
    assert "«Rendicontazione degli obiettivi individuali»: nessun cruscotto individuale" in text


def test_the_comunes_pages_have_no_common_objectives_nor_empty_resources(comune):
    client = Client()
    slug = comune.body.slug
    year_page = client.get(reverse("public:year", args=[slug, 2023])).content.decode()
    for word in (*CAMERA_WORDS, "Obiettivi comuni", "Risorse economiche", "Personale", "genere"):
        assert word not in year_page, word
    assert reverse("public:map", args=[slug, 2023]) in year_page

    for name in ("public:common", "dashboards:common"):
        response = client.get(reverse(name, args=[slug, 2023]))
        assert response.status_code == 404
        page = response.content.decode()
        assert "Gli obiettivi comuni di sistema sono propri delle Camere di commercio" in page

    labels = [link.label for link in main_menu(AnonymousUser(), comune, "/").data]
    assert labels == ["Mappa strategica", "Cruscotti"]


def test_the_planning_offices_setting_is_frozen_with_the_year(comune):
    body = comune.body
    body.omitted_sections = "bilancio_di_genere, processo"
    with pytest.raises(ValidationError, match="processo"):
        body.full_clean()
    Body.objects.filter(pk=body.pk).update(omitted_sections="obiettivi_individuali")
    comune.refresh_from_db()
    # Published: the year keeps the parts it was published with.
    assert comune.omitted_sections == ""
    with unlocked():
        draft = Cycle.objects.create(body=body, year=2024)
    assert draft.omitted_sections == "obiettivi_individuali"
    Body.objects.filter(pk=body.pk).update(omitted_sections="")
    draft.refresh_from_db()
    assert draft.omitted_sections == ""


# --- The demo Camera ------------------------------------------------------------------------


def test_the_demo_camera_keeps_every_part(cycle):
    parts = year_structure(cycle)
    assert [p.heading for p in parts.parts] == DEMO_HEADINGS
    assert parts.omitted == ()
    html, _doc, _state = render_layout(cycle)
    assert "Sezioni non presenti" not in html
    assert "Organigramma della Camera di commercio al 31/12/2023" in html
    assert [link.label for link in main_menu(AnonymousUser(), cycle, "/").data] == [
        "Mappa strategica",
        "Cruscotti",
        "Obiettivi comuni",
        "Risorse economiche",
        "Personale e genere",
    ]
