"""Issue 15, point 6: the menu of each role built from accounts.permissions, the mobile toggle,
the body's name on every page, each role's "Da fare" page, and the wording fixes (indicator
counts, singular and plural, names cut between words, an empty value "da inserire")."""

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts import permissions as perms
from core.models import Body, Transition
from indicators.models import Indicator
from indicators.rollup import figure_for
from lib.italian import count, shorten
from objectives.models import Scorecard
from relazione.navigation import INTERNAL_PAGES, main_menu
from workflow import selectors, services

from .people import *  # noqa: F403
from .public_helpers import only_the_demo_body

ALL_INTERNAL = ["todo", "cycle", "findings", "oiv", "texts", "entry", "resources"]


# --- The menu ------------------------------------------------------------------------------


def test_menu_pages_by_role(people, y2024):
    assert perms.menu_pages(people.planning, y2024) == ALL_INTERNAL
    assert perms.menu_pages(people.admin, y2024) == ALL_INTERNAL
    assert perms.menu_pages(people.manager_a, y2024) == ["todo", "cycle", "texts", "entry"]
    assert perms.menu_pages(people.oiv, y2024) == ["todo", "cycle", "findings", "oiv", "texts"]
    assert perms.menu_pages(people.anonymous, y2024) == []
    assert set(INTERNAL_PAGES) == set(ALL_INTERNAL)


def test_menu_links_open_for_the_role(client, people, y2024):
    """Every link the menu shows opens for that person (no menu entry ending on a 403)."""
    for person in (people.planning, people.manager_a, people.oiv, people.admin):
        client.force_login(person)
        menu = main_menu(person, y2024, "/")
        for link in menu.internal + menu.data:
            assert client.get(link.url).status_code == 200, (person.username, link.url)


def test_current_page_is_marked(people, y2024):
    menu = main_menu(people.planning, y2024, "/cciaa-bergamo/gestione/2024/risorse/contesto/")
    assert [link.label for link in menu.internal if link.current] == ["Contesto e risorse"]
    menu = main_menu(people.planning, y2024, "/cciaa-bergamo/2024/")
    assert [link.label for link in menu.data if link.current] == ["Mappa strategica"]
    assert not any(link.current for link in menu.internal)


def test_base_page_has_the_mobile_toggle_and_the_role_menu(client, people):
    client.force_login(people.oiv)
    page = client.get(reverse("workflow:cycle", args=["cciaa-bergamo", 2024])).content.decode()
    assert 'data-bs-toggle="navbarcollapsible"' in page and 'aria-controls="nav-main"' in page
    assert "Spazio OIV" in page and "Contesto e risorse" not in page
    assert 'aria-current="page"><span>Ciclo</span>' in page


def test_body_name_on_login_and_public_index(client, cycle):
    """Pages outside a body name the installation's only body, never one of several; the
    public index of one publishing body is that body's page."""
    from demo.second import SECOND_BODY

    other = Body.objects.get(slug=SECOND_BODY["slug"])  # the test database holds two bodies
    assert cycle.body.name in client.get(reverse("public:index"), follow=True).content.decode()
    for url in (reverse("login"), reverse("accessibility")):
        page = client.get(url).content.decode()
        assert cycle.body.name not in page and other.name not in page, url
    only_the_demo_body()
    for url in (reverse("login"), reverse("public:index"), reverse("accessibility")):
        assert cycle.body.name in client.get(url, follow=True).content.decode(), url


# --- Da fare ---------------------------------------------------------------------------------


def test_da_fare_of_the_planning_office(client, people, y2024):
    client.force_login(people.planning)
    page = client.get(reverse("workflow:todo", args=["cciaa-bergamo", 2024])).content.decode()
    missing = Indicator.objects.filter(cycle=y2024, actual="").count()
    assert f"Valori ottenuti da inserire: {missing}" in page
    assert "Parti obbligatorie della Relazione mancanti: 14" in page  # 12 texts, 2 resources
    assert "Chiudi la rendicontazione" in page


def test_da_fare_links_the_django_admin_for_the_administrators_only(client, people, y2024):
    for person, shown in ((people.admin, True), (people.planning, False), (people.oiv, False)):
        client.force_login(person)
        page = client.get(reverse("workflow:todo", args=["cciaa-bergamo", 2024])).content.decode()
        assert ("Amministrazione del sistema</a>" in page) is shown, person.username
        assert "da esaminare" not in page  # 2024 is not submitted: nothing for the OIV to review


def test_da_fare_of_a_manager_lists_only_its_cruscotti(client, people, y2024):
    client.force_login(people.manager_a)
    response = client.get(reverse("workflow:todo", args=["cciaa-bergamo", 2024]))
    steps = response.context["steps"]
    slugs = {slug for _title, slug, _n in steps.missing.by_scorecard}
    assert slugs == {"promozione"}  # its own cruscotto, the one it edits
    assert "Parti obbligatorie" not in response.content.decode()


def test_da_fare_of_the_oiv_shows_the_year_to_review_and_open_remarks(
    client,
    people,
    y2024,
    monkeypatch,
):
    monkeypatch.setattr(services, "consistency_open_errors", lambda cycle: [])
    services.cycle_transition(
        user=people.planning, cycle=y2024, target="closed", confirm_missing=True
    )
    for gap in selectors.submission_gaps(y2024):
        services.gap_justify(user=people.planning, cycle=y2024, item=gap.item, text="Motivo.")
    services.cycle_transition(user=people.planning, cycle=y2024, target="submitted")
    assert Transition.objects.filter(cycle=y2024, target="submitted").exists()
    services.remark_create(user=people.oiv, cycle=y2024, text="Fonte?", section="generale")
    client.force_login(people.oiv)
    landing = client.get(reverse("workflow:home"))
    assert landing["Location"] == reverse("workflow:todo", args=["cciaa-bergamo", 2024])
    page = client.get(landing["Location"]).content.decode()
    assert "Relazione 2024 da esaminare" in page
    assert "Osservazioni aperte dell'OIV: 1" in page


def test_da_fare_query_count_does_not_grow_with_remarks(
    client,
    people,
    y2024,
    django_assert_max_num_queries,
):
    client.force_login(people.planning)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("workflow:todo", args=["cciaa-bergamo", 2024])).status_code == 200


# --- Wording ---------------------------------------------------------------------------------


def test_cruscotti_list_counts_indicators(client, people, y2024):
    client.force_login(people.planning)
    response = client.get(reverse("dashboards:scorecards", args=["cciaa-bergamo", 2024]))
    promozione = Scorecard.objects.get(cycle=y2024, slug="promozione")
    rows = promozione.rows.values("indicator_id").distinct().count()
    assert rows > 2
    for items in response.context["sections"].values():
        for scorecard, summary in items:
            if scorecard.slug == "promozione":
                assert summary.total == rows
    assert f'<td class="num">{rows}</td>' in response.content.decode()


def test_an_empty_actual_reads_da_inserire_not_nv(y2024):
    empty = Indicator.objects.filter(cycle=y2024, actual="").select_related("cycle__body").first()
    figure = figure_for(empty, y2024)
    assert figure.realization_text == "da inserire" and figure.band_label == "Valore da inserire"
    empty.actual = "NV"
    figure = figure_for(empty, y2024)
    assert figure.realization_text == "NV" and figure.band_label == "Non valutabile"


def test_count_singular_and_plural():
    assert count(1, "indicatore salvato", "indicatori salvati") == "1 indicatore salvato"
    assert count(0, "indicatore", "indicatori") == "0 indicatori"
    assert count(3, "rilievo", "rilievi") == "3 rilievi"


def test_shorten_cuts_between_words():
    text = "Percentuale di pratiche del Registro delle imprese evase entro cinque giorni"
    assert shorten(text, 40) == "Percentuale di pratiche del Registro…"
    assert shorten("breve", 40) == "breve"


@given(
    st.lists(st.text(alphabet="abcdeèfg", min_size=1, max_size=12), min_size=1, max_size=20),
    st.integers(5, 60),
)
def test_shorten_properties(words, limit):
    text = " ".join(words)
    out = shorten(text, limit)
    assert len(out) <= limit
    if out == text:
        return
    assert out.endswith("…")
    kept = out[:-1]
    assert text.startswith(kept)
    # Whole words only, unless the first word alone is longer than the limit.
    if len(words[0]) < limit - 1:
        kept_words = kept.split(" ")
        assert kept_words == words[: len(kept_words)]
