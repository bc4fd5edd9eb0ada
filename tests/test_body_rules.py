"""The page *Regole di valutazione*: the planning office sets its body's bands, missed deadline
and scoring method; the open years take them and recompute, the locked ones keep theirs; bad
input is listed at once and changes nothing; nobody else reaches it."""

from decimal import Decimal as D

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import Role
from core.models import Body, Cycle
from tests.people import *  # noqa: F403 - the named people's fixtures
from tests.people import grant, log_in
from workflow.rules import method_texts, points_from_text, scale_from_text

pytestmark = pytest.mark.django_db

FORM = {
    "band_achieved_from": "85",
    "band_partial_from": "55,5",
    "missed_deadline_pct": "50",
    "aggregation": "nested_mean",
    "thresholds": "proportional",
    "nv": "zero",
    "conversion": "points",
    "points": "0; 59; 0; 0\n60; 75; 10; 14\n76; 90; 15; 18\n91; 100; 19; 20",
    "scale": "",
}


def _url(body):
    return reverse("workflow:rules", args=[body.slug])


def test_the_open_years_take_the_rules_and_the_locked_ones_keep_theirs(client, cycle, people):
    body = cycle.body
    years = dict(Cycle.objects.filter(body=body).values_list("year", "state"))
    locked_before = {
        c.year: (c.band_achieved_from, c.scoring_method)
        for c in Cycle.objects.filter(body=body, state__in=["validated", "published"])
    }
    assert locked_before, years  # the demo has a validated year
    log_in(client, people.planning)
    response = client.post(_url(body), FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    body.refresh_from_db()
    assert (body.band_achieved_from, body.band_partial_from) == (D(85), D("55.5"))
    assert body.scoring_method["aggregation"] == "nested_mean"
    assert body.scoring_method["points"][2] == {"from": "76", "to": "90", "points": ["15", "18"]}
    for year in Cycle.objects.filter(body=body):
        if year.year in locked_before:
            assert (year.band_achieved_from, year.scoring_method) == locked_before[year.year]
        elif year.state in ("planning", "monitoring", "closed"):
            assert year.scoring_method == body.scoring_method
            assert year.missed_deadline_pct == D(50)
    other = Body.objects.exclude(pk=body.pk).get()
    assert other.scoring_method != body.scoring_method  # the other body is untouched
    page = client.get(_url(body)).content.decode()
    assert "76; 90; 15; 18" in page and "55,5" in page
    assert "le proprie, fissate con l'anno" in page


def test_every_error_is_listed_at_once_and_nothing_changes(client, cycle, people):
    body = cycle.body
    before = Body.objects.filter(pk=body.pk).values().get()
    log_in(client, people.planning)
    bad = {
        **FORM,
        "band_achieved_from": "50",
        "missed_deadline_pct": "centodieci",
        "points": "0; 59; 0\n60; 100; 10; 1e999",
    }
    response = client.post(_url(body), bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "supera «raggiunto»" in page
    assert "«centodieci» non è un numero" in page
    assert "Fasce dei punti, riga 1: servono 4 valori" in page
    assert "Fasce dei punti, riga 2" in page
    assert Body.objects.filter(pk=body.pk).values().get() == before


def test_a_method_the_engine_refuses_is_explained(client, cycle, people):
    log_in(client, people.planning)
    response = client.post(_url(cycle.body), {**FORM, "points": "10; 100; 0; 20"})
    assert response.status_code == 400
    assert "devono coprire dallo 0% al 100%" in response.content.decode()


def test_only_the_bodys_planning_office_reaches_the_page(client, cycle, people):
    url = _url(cycle.body)
    for person in (people.manager_a, people.oiv):
        log_in(client, person)
        assert client.get(url).status_code == 403
        assert client.post(url, FORM).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    stranger = User.objects.create_user("pianificazione-altro-ente")
    grant(stranger, Role.PLANNING, body=Body.objects.exclude(pk=cycle.body_id).get())
    log_in(client, stranger)
    assert client.post(url, FORM).status_code in (403, 404)
    cycle.body.refresh_from_db()
    assert cycle.body.scoring_method.get("aggregation") != "nested_mean"


def test_the_texts_read_back_as_they_were_written():
    errors: list[str] = []
    points = points_from_text("0;75;0;14\n76\t100\t15\t18,5\n\n", errors)
    scale = scale_from_text("scarso; 0; 0\nottimo; 3; 90", errors)
    assert errors == []
    assert method_texts({"points": points, "scale": scale}) == (
        "0; 75; 0; 14\n76; 100; 15; 18,5",
        "scarso; 0; 0\nottimo; 3; 90",
    )


def test_the_optional_parts_left_out_reach_the_open_years_and_their_document(client, cycle, people):
    from core import structure

    body = cycle.body
    log_in(client, people.planning)
    page = client.get(_url(body)).content.decode()
    assert "Obiettivi comuni di sistema" in page  # a Camera may leave them out
    response = client.post(_url(body), {**FORM, "omitted_sections": ["bilancio_di_genere"]})
    assert response.status_code == 302
    body.refresh_from_db()
    assert body.omitted_sections == "bilancio_di_genere"
    open_year = Cycle.objects.get(body=body, state="monitoring")
    assert open_year.omitted_sections == "bilancio_di_genere"
    assert Cycle.objects.get(body=body, year=2023).omitted_sections == ""  # validated: its own
    assert client.post(_url(body), {**FORM, "omitted_sections": ["premessa"]}).status_code == 400
    body.refresh_from_db()
    assert body.omitted_sections == "bilancio_di_genere"
    # A Comune is never offered the Camere's part.
    keys = [key for key, _title in structure.optional_parts(structure.MUNICIPALITY)]
    assert structure.COMMON not in keys and structure.GENDER in keys


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_any_text_of_the_method_is_read_or_explained_never_a_crash(text):
    """The rules page's two text fields: whatever is pasted, each line is read or named in an
    Italian error; what is read is a number the method's parser takes."""
    from decimal import Decimal

    errors: list[str] = []
    bands = points_from_text(text, errors)
    levels = scale_from_text(text, errors)
    assert all(isinstance(e, str) and e for e in errors)
    for band in bands:
        for value in (band["from"], band["to"], *band["points"]):
            assert Decimal(value).is_finite()
    for level in levels:
        assert level["label"] and Decimal(level["value"]).is_finite()


@given(
    st.lists(
        st.tuples(st.integers(0, 100), st.integers(0, 100), st.integers(0, 50), st.integers(0, 50)),
        max_size=6,
    )
)
@settings(max_examples=200, deadline=None)
def test_bands_written_on_the_page_are_accepted_exactly_when_the_engine_accepts_them(rows):
    """The page adds no rule of its own: a set of bands is refused only by the one parser of
    the method (core.scoring_method), with its reason."""
    from core.scoring_method import ScoringMethodError, parse_scoring_method

    text = "\n".join(f"{a}; {b}; {c}; {d}" for a, b, c, d in rows)
    errors: list[str] = []
    bands = points_from_text(text, errors)
    assert errors == [] and len(bands) == len(rows)
    direct = [{"from": a, "to": b, "points": [c, d]} for a, b, c, d in rows]
    outcomes = []
    for candidate in (bands, direct):
        try:
            parse_scoring_method({"conversion": "points", "points": candidate})
            outcomes.append(None)
        except ScoringMethodError as exc:
            outcomes.append(str(exc))
    assert outcomes[0] == outcomes[1]
