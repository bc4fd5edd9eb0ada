"""A new body set up without reading the code: the service (workflow.onboarding.body_setup),
the command ``setup_body`` and the page *Configura l'ente*."""

import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Role
from core.models import Body, BodyKind, Cycle
from objectives.models import CycleUnit, OrgUnit
from tests.people import *  # noqa: F403 - the people fixture
from tests.people import grant, log_in
from workflow.checklist import DEFAULT_CHECKLIST
from workflow.models import ChecklistItem
from workflow.onboarding import body_setup, split_table

UNITS = (
    "codice;denominazione;tipo;unità superiore\n"
    "sg;Segreteria generale;Segreteria generale;\n"
    "area-1;Area servizi;area;sg\n"
    "tributi;Servizio tributi;servizio;area-1\n"
)
PEOPLE = (
    "anna@comune.example.it;Anna Bianchi;pianificazione;\n"
    "bruno@comune.example.it;Bruno Verdi;responsabile;tributi, area-1\n"
    "carla@comune.example.it;Carla Neri;OIV;\n"
)
TAX_CODE = "00123450017"  # a made-up code with the right check digit


def _setup(**overrides):
    values = {
        "name": "Comune di Esempio",
        "short_name": "Esempio",
        "tax_code": TAX_CODE,
        "units": UNITS,
        "people": PEOPLE,
        "first_year": 2026,
        "site_url": "https://relazione.example.it",
    }
    return body_setup(**{**values, **overrides})


def _counts():
    return (
        Body.objects.count(),
        Cycle.objects.count(),
        OrgUnit.objects.count(),
        ChecklistItem.objects.count(),
        get_user_model().objects.count(),
    )


def test_a_body_is_set_up_with_everything_its_first_year_needs(db):
    result = _setup(band_achieved_from="95", band_partial_from="70,5", missed_deadline_pct=10)
    body = result.body
    assert (body.slug, body.tax_code, body.short_name) == ("esempio", TAX_CODE, "Esempio")
    assert body.kind == BodyKind.OTHER  # unless named
    assert str(body.band_partial_from) == "70.50" or body.band_partial_from == 70.5
    units = {u.slug: u for u in OrgUnit.objects.filter(body=body)}
    assert units["tributi"].parent == units["area-1"] and units["area-1"].parent == units["sg"]
    assert units["sg"].kind == OrgUnit.Kind.GENERAL_SECRETARIAT
    assert units["tributi"].kind == OrgUnit.Kind.SERVICE
    cycle = result.cycle
    assert (cycle.year, cycle.state, cycle.body_name) == (2026, "planning", body.name)
    assert cycle.band_achieved_from == 95 and cycle.missed_deadline_pct == 10
    assert CycleUnit.objects.filter(cycle=cycle).count() == 3
    bruno = get_user_model().objects.get(email="bruno@comune.example.it")
    membership = bruno.memberships.get()
    assert (membership.body, membership.role) == (body, Role.MANAGER)
    assert not bruno.has_usable_password()
    assert set(membership.units.values_list("slug", flat=True)) == {"tributi", "area-1"}
    assert (bruno.first_name, bruno.last_name) == ("Bruno", "Verdi")


def test_the_new_body_gets_the_default_oiv_checklist_it_can_then_edit(db):
    body = _setup().body
    items = list(ChecklistItem.objects.filter(body=body).order_by("order"))
    assert [item.text for item in items] == list(DEFAULT_CHECKLIST)
    items[0].text = "Verifica propria dell'ente"
    items[0].save()
    assert ChecklistItem.objects.filter(body=body, text="Verifica propria dell'ente").exists()


def test_every_error_is_listed_at_once_and_nothing_is_written(db):
    before = _counts()
    units = "sg;Segreteria;segreteria generale;\nsg;Doppia;reparto;manca\nx y;;area;\n"
    persons = (
        "non-una-mail;Anna;pianificazione;\n"
        "bruno@example.it;Bruno;responsabile;\n"
        "carla@example.it;Carla;capo;\n"
        "dario@example.it;Dario;oiv;sg\n"
        "ezio@example.it;Ezio;responsabile;fantasma\n"
    )
    with pytest.raises(ValidationError) as caught:
        _setup(
            name="",
            tax_code="12345",
            units=units,
            people=persons,
            first_year=1999,
            band_achieved_from=50,
            band_partial_from=60,
            missed_deadline_pct=101,
            kind="scuola",
        )
    messages = caught.value.messages
    expected = [
        "Denominazione dell'ente: obbligatoria.",
        "Codice fiscale «12345»",
        "Tipo di ente «scuola» non previsto: usare uno tra camera di commercio (camera), ",
        "Unità, riga 2: tipo «reparto» non previsto",
        "Unità, riga 2: codice «sg» già usato alla riga 1.",
        "Unità, riga 2: unità superiore «manca» non è tra le unità elencate.",
        "Unità, riga 3: codice «x y» non valido",
        "Unità, riga 3: denominazione obbligatoria.",
        "Persone, riga 1: indirizzo e-mail «non-una-mail» non valido.",
        "Persone, riga 2: un responsabile di unità deve avere almeno un'unità",
        "Persone, riga 3: ruolo «capo» non previsto",
        "Persone, riga 4: le unità si indicano solo per i responsabili di unità.",
        "Persone, riga 5: unità fantasma non tra le unità elencate.",
        "Soglie: «parzialmente raggiunto» (60%) supera «raggiunto» (50%).",
        "Realizzazione di una scadenza mancata: 101",
        "Primo anno: «1999»",
    ]
    for text in expected:
        assert any(message.startswith(text) for message in messages), (text, messages)
    assert _counts() == before
    assert not mail.outbox


def test_a_missing_planning_office_a_loop_and_a_taken_slug_or_email_are_errors(db, cycle):
    get_user_model().objects.create_user("gia", email="Gia@Example.it")
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        _setup(
            name="Altro ente",
            slug=cycle.body.slug,
            units="a;A;area;b\nb;B;area;a\n",
            people="gia@example.it;Già presente;oiv;;;\n",  # any case; trailing «;» ignored
        )
    messages = caught.value.messages
    assert any("gerarchia forma un giro" in m for m in messages), messages
    assert any("ufficio pianificazione" in m for m in messages)
    assert any(m.startswith(f"Codice dell'ente «{cycle.body.slug}»: esiste già") for m in messages)
    assert any(
        m.startswith("Persone, riga 1: l'e-mail «gia@example.it» è di un altro utente registrato")
        for m in messages
    ), messages
    assert _counts() == before


def test_a_registered_person_gets_a_role_in_the_new_body_and_keeps_the_other(
    db, cycle, django_capture_on_commit_callbacks, run_tasks
):
    """An OIV member often serves several bodies: named by their username (the e-mail, in any
    case) they join the new body; no second account, no invitation, their password kept."""
    olga = get_user_model().objects.create_user(
        "Olga@Studio.example.it", email="olga@studio.example.it", password="la-sua-password-2026"
    )
    grant(olga, Role.OIV, body=cycle.body)
    users = get_user_model().objects.count()
    people = (
        PEOPLE
        + "olga@studio.example.it;Olga Verdi;pianificazione;\n"
        + "dario@comune.example.it;Dario Rossi;amministratore;\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = _setup(people=people)
    run_tasks()
    assert get_user_model().objects.count() == users + 4  # anna, bruno, carla, dario
    roles = dict(olga.memberships.values_list("body__slug", "role"))
    assert roles == {cycle.body.slug: Role.OIV, result.body.slug: Role.PLANNING}
    olga.refresh_from_db()
    assert olga.check_password("la-sua-password-2026") and olga.is_staff  # a planner is staff
    assert olga not in result.users
    assert "olga@studio.example.it" not in {m.to[0] for m in mail.outbox}
    assert "olga@studio.example.it" not in dict(result.invitations)
    dario = get_user_model().objects.get(username="dario@comune.example.it")
    assert dario.is_staff and not dario.is_superuser  # a body's administrator, not the system's


def test_an_email_of_an_account_with_another_username_is_refused(db):
    get_user_model().objects.create_user("gbianchi", email="Giulia.Bianchi@comune.example.it")
    before = _counts()
    people = PEOPLE + "giulia.bianchi@comune.example.it;Giulia Bianchi;OIV;\n"
    assert _errors(people=people) == [
        "Persone, riga 4: l'e-mail «giulia.bianchi@comune.example.it» è di un altro utente "
        "registrato con un nome utente diverso: indicare il suo nome utente come e-mail."
    ]
    assert _counts() == before


def test_a_failure_while_writing_leaves_nothing(db, monkeypatch):
    from workflow import onboarding

    before = _counts()

    def broken(body):
        raise RuntimeError("disco pieno")

    monkeypatch.setattr(onboarding, "checklist_default_create", broken)
    with pytest.raises(RuntimeError):
        _setup()
    assert _counts() == before


def test_each_person_is_invited_with_a_link_that_sets_the_password(
    db, client, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = _setup()
    assert not mail.outbox  # queued, sent by the worker
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in result.users)
    message = next(m for m in mail.outbox if m.to == ["bruno@comune.example.it"])
    assert "Responsabile di unità organizzativa" in message.body
    link = re.search(r"https://relazione\.example\.it(/account/reset/\S+)", message.body)
    assert link is not None, message.body
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200 and "Scegli la password" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    new_password = "una-password-lunga-2026!"
    done = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    assert client.login(username="bruno@comune.example.it", password=new_password)
    again = client.get(link.group(1), follow=True)
    assert "non è più valido" in again.content.decode()


def test_the_service_refuses_who_is_not_an_administrator(people):
    before = _counts()
    with pytest.raises(PermissionDenied):
        _setup(user=people.planning)
    assert _counts() == before
    assert _setup(user=people.admin, name="Ente dell'amministratore").body.pk


def test_a_pasted_spreadsheet_is_split_on_tabs():
    assert split_table("a\tb;c\n\n d ; e \n") == [(1, ["a", "b;c"]), (3, ["d", "e"])]


# --- The command -----------------------------------------------------------------------------

CONFIG = {
    "ente": {
        "denominazione": "Comune di Prova",
        "codice_fiscale": TAX_CODE,
        "codice": "prova",
        "tipo": "Comune",  # by label or code
    },
    "regole": {"soglia_raggiunto": 90, "soglia_parziale": 60, "scadenza_mancata": 0},
    "primo_anno": 2026,
    "unita": [
        {"codice": "sg", "denominazione": "Segreteria generale", "tipo": "secretariat"},
        {
            "codice": "ragioneria",
            "denominazione": "Ragioneria",
            "tipo": "servizio",
            "superiore": "sg",
        },
    ],
    "persone": [
        {"email": "p@prova.example.it", "nome": "Piera Piani", "ruolo": "pianificazione"},
        {
            "email": "r@prova.example.it",
            "nome": "Rino Conti",
            "ruolo": "responsabile",
            "unita": ["ragioneria"],
        },
    ],
}


def test_the_command_sets_up_a_body_from_yaml_and_refuses_to_repeat(db, tmp_path, capsys):
    import yaml

    path = tmp_path / "ente.yaml"
    path.write_text(yaml.safe_dump(CONFIG, allow_unicode=True), encoding="utf-8")
    call_command("setup_body", str(path), "--site-url", "https://relazione.example.it")
    out = capsys.readouterr().out
    body = Body.objects.get(slug="prova")
    assert body.kind == BodyKind.MUNICIPALITY
    assert OrgUnit.objects.get(body=body, slug="ragioneria").parent.slug == "sg"
    assert Cycle.objects.get(body=body).year == 2026
    assert "p@prova.example.it" in out and "/account/reset/" in out
    before = _counts()
    with pytest.raises(CommandError, match="esiste già un ente con questo codice"):
        call_command("setup_body", str(path))
    assert _counts() == before


def test_the_command_reads_json_and_lists_every_error(db, tmp_path):
    broken = {**CONFIG, "primo_anno": "dopo", "unita": [{"codice": "sg", "tipo": "ufficio"}]}
    path = tmp_path / "ente.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("setup_body", str(path))
    text = str(caught.value)
    assert "Unità, riga 1: denominazione obbligatoria." in text
    assert "Primo anno" in text and "Persone, riga 2: unità ragioneria" in text
    assert not Body.objects.filter(slug="prova").exists()


def test_the_command_sets_the_scoring_method_and_refuses_a_wrong_one(db, tmp_path):
    import yaml

    method = {
        "aggregation": "nested_mean",
        "conversion": "points",
        "points": [
            {"from": 0, "to": 75, "points": [0, 14]},
            {"from": 76, "to": 100, "points": [15, 20]},
        ],
    }
    path = tmp_path / "ente.yaml"
    wrong = {**CONFIG, "regole": {"soglia_raggiunto": 90, "metodo": {**method, "nv": "forse"}}}
    path.write_text(yaml.safe_dump(wrong, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="Metodo di valutazione: «nv»: valore «forse»"):
        call_command("setup_body", str(path))
    assert not Body.objects.filter(slug="prova").exists()
    right = {**CONFIG, "regole": {"metodo": method}}
    path.write_text(yaml.safe_dump(right, allow_unicode=True), encoding="utf-8")
    call_command("setup_body", str(path))
    body = Body.objects.get(slug="prova")
    assert body.scoring_method == method
    assert Cycle.objects.get(body=body).scoring_method == method  # the first year takes it


# --- The page *Configura l'ente* --------------------------------------------------------------

FORM = {
    "name": "Comune di Esempio",
    "short_name": "Esempio",
    "tax_code": TAX_CODE,
    "slug": "",
    "kind": "comune",
    "first_year": "2026",
    "band_achieved_from": "90",
    "band_partial_from": "60",
    "missed_deadline_pct": "0",
    "units": UNITS,
    "people": PEOPLE,
}
SETUP_URL = "/gestione/ente/nuovo/"


def test_only_the_administrator_opens_the_setup_page(client, people):
    assert reverse("workflow:body_setup") == SETUP_URL
    response = client.get(SETUP_URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(SETUP_URL, FORM).status_code == 302
    for person in (people.planning, people.manager_a, people.oiv):
        log_in(client, person)
        assert client.get(SETUP_URL).status_code == 403, person.username
        assert client.post(SETUP_URL, FORM).status_code == 403, person.username
    assert not Body.objects.filter(name=FORM["name"]).exists()
    log_in(client, people.admin)
    page = client.get(SETUP_URL)
    assert page.status_code == 200 and "Configura l'ente" in page.content.decode()


def test_the_administrators_da_fare_links_to_the_setup_of_another_body(client, people, cycle):
    todo = reverse("workflow:todo", args=[cycle.body.slug, cycle.year])
    link = f'href="{SETUP_URL}"'
    log_in(client, people.admin)
    assert link in client.get(todo).content.decode()
    log_in(client, people.planning)
    assert link not in client.get(todo).content.decode()


def test_the_administrator_sets_up_a_body_and_lands_on_its_first_year(
    client, people, django_capture_on_commit_callbacks, run_tasks
):
    log_in(client, people.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SETUP_URL, FORM)
    assert response.status_code == 302
    body = Body.objects.get(name=FORM["name"])
    assert (body.slug, body.kind) == ("esempio", BodyKind.MUNICIPALITY)  # code from the name
    assert response["Location"] == reverse("workflow:cycle", args=[body.slug, 2026])
    assert OrgUnit.objects.filter(body=body).count() == 3
    run_tasks()
    assert {m.to[0] for m in mail.outbox} == {
        "anna@comune.example.it",
        "bruno@comune.example.it",
        "carla@comune.example.it",
    }
    assert "http://testserver/account/reset/" in mail.outbox[0].body
    page = client.get(response["Location"]).content.decode()
    assert "Ente «Comune di Esempio» configurato" in page
    assert "Il piano 2026 non è ancora stato inserito" in page
    assert reverse("indicators:plan_import", args=[body.slug]) in page


def test_the_page_lists_every_error_and_writes_nothing(client, people):
    log_in(client, people.admin)
    before = _counts()
    form = {**FORM, "tax_code": "123", "units": "sg;Segreteria;ufficio;manca\n"}
    form["people"] = "x@example.it;X;capo;\n"
    response = client.post(SETUP_URL, form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "L'ente non è stato configurato (4 errori)" in page
    for text in ("Codice fiscale «123»", "unità superiore «manca»", "ruolo «capo»"):
        assert text in page, text
    assert _counts() == before


def test_the_units_may_come_from_a_workbook(client, people):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "Unità"
    sheet.append(["Codice", "Denominazione", "Tipo", "Unità superiore"])
    sheet.append(["sg", "Segreteria generale", "Segreteria generale", None])
    sheet.append(["tributi", "Servizio tributi", "servizio", "sg"])
    out = io.BytesIO()
    wb.save(out)
    log_in(client, people.admin)
    form = {**FORM, "units": "", "people": "anna@comune.example.it;Anna;pianificazione;\n"}
    form["units_file"] = SimpleUploadedFile("unita.xlsx", out.getvalue())
    assert client.post(SETUP_URL, form).status_code == 302
    tributi = OrgUnit.objects.get(body__name=FORM["name"], slug="tributi")
    assert tributi.parent.slug == "sg" and tributi.kind == OrgUnit.Kind.SERVICE


# --- An empty installation, an empty year: each page says what to do next ----------------------


def _no_body():
    """The installation as it starts: no body, no year (the session's demo removed inside the
    test's transaction)."""
    from core.locking import unlocked

    with unlocked():
        Cycle.objects.all().delete()
        OrgUnit.objects.filter(parent__isnull=False).update(parent=None)
        Body.objects.all().delete()


def test_an_installation_without_a_body_leads_the_administrator_to_the_setup(client, people):
    _no_body()
    page = client.get("/").content.decode()
    assert "non è ancora configurata" in page
    assert f"{reverse('login')}?next={SETUP_URL}" in page
    log_in(client, people.planning)
    page = client.get("/").content.decode()
    assert "spetta all'amministratore di sistema" in page
    log_in(client, people.admin)
    assert client.get("/")["Location"] == SETUP_URL


def test_a_body_without_years_tells_the_planning_office_to_import_the_plan(client, people):
    from core.locking import unlocked

    with unlocked():
        Cycle.objects.all().delete()
    page = client.get("/").content.decode()
    assert "Non ci sono ancora Relazioni pubblicate" in page and reverse("login") in page
    log_in(client, people.planning)
    page = client.get("/", follow=True).content.decode()  # to the page of their body
    assert reverse("indicators:plan_import", args=["cciaa-bergamo"]) in page
    assert reverse("indicators:plan_template", args=["cciaa-bergamo"]) in page
    log_in(client, people.manager_a)
    page = client.get("/", follow=True).content.decode()
    assert reverse("indicators:plan_import", args=["cciaa-bergamo"]) not in page
    assert "lo carica l'ufficio pianificazione" in page


def _new_body_with_people(people) -> Body:
    """The body of :func:`_setup`, where the planning office and manager A of the demo body
    also have their role (a manager of «tributi»)."""
    body = _setup().body
    grant(people.planning, Role.PLANNING, body=body)
    grant(
        people.manager_a, Role.MANAGER, OrgUnit.objects.filter(body=body, slug="tributi"), body=body
    )
    return body


@pytest.mark.parametrize(
    "name", ["dashboards:map", "dashboards:scorecards", "workflow:cycle", "workflow:todo"]
)
def test_the_pages_of_a_year_without_its_plan_say_what_to_do(client, people, name):
    body = _new_body_with_people(people)
    url = reverse(name, args=[body.slug, 2026])
    log_in(client, people.planning)
    page = client.get(url).content.decode()
    assert "Il piano 2026 non è ancora stato inserito" in page, url
    assert reverse("indicators:plan_import", args=[body.slug]) in page
    assert reverse("admin:index") in page
    log_in(client, people.manager_a)
    page = client.get(url).content.decode()
    assert "Il piano 2026 non è ancora stato inserito" in page
    assert reverse("indicators:plan_import", args=[body.slug]) not in page


def test_the_common_objectives_page_of_an_empty_year_points_to_the_plan(client, people, y2024):
    body = _new_body_with_people(people)
    log_in(client, people.planning)
    url = reverse("dashboards:common", args=[body.slug, 2026])
    # Only a Camera di commercio has the Unioncamere common objectives (core.structure).
    assert client.get(url).status_code == 404
    Body.objects.filter(pk=body.pk).update(kind="camera")
    page = client.get(url).content.decode()
    assert "Il piano 2026 non è ancora stato inserito" in page


def test_a_year_with_its_plan_shows_no_next_steps(client, people, y2024):
    log_in(client, people.planning)
    for name in ("dashboards:map", "dashboards:scorecards", "workflow:cycle"):
        page = client.get(reverse(name, args=["cciaa-bergamo", 2024])).content.decode()
        assert "non è ancora stato inserito" not in page, name


def test_the_plan_is_imported_into_the_empty_first_year(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from indicators import plan_workbook

    # the template's example assigns its objective to «promozione»
    body = _setup(units=UNITS + "promozione;Promozione;servizio;area-1\n").body
    grant(people.planning, Role.PLANNING, body=body)
    cycle = Cycle.objects.get(body=body, year=2026)
    log_in(client, people.planning)
    data = plan_workbook.plan_template([("promozione", "Promozione")])
    response = client.post(
        reverse("indicators:plan_import", args=[body.slug]),
        {"year": 2026, "file": SimpleUploadedFile("piano.xlsx", data)},
    )
    assert response.status_code == 302, response.content.decode().split("alert")[-1][:1500]
    assert Cycle.objects.filter(body=body).count() == 1
    assert cycle.perspectives.exists() and cycle.indicators.exists()
    again = client.post(
        reverse("indicators:plan_import", args=[body.slug]),
        {"year": 2026, "file": SimpleUploadedFile("piano.xlsx", data)},
    )
    assert again.status_code == 400 and "esiste già" in again.content.decode()


def test_the_plan_import_page_is_linked_from_the_management_page(client, people, y2024):
    # Not in the top menu: at 1366 px one more item made the menu overflow the page.
    log_in(client, people.planning)
    page = client.get(reverse("indicators:index", args=["cciaa-bergamo", 2024])).content.decode()
    assert f'href="{reverse("indicators:plan_import", args=["cciaa-bergamo"])}"' in page
    log_in(client, people.manager_a)
    page = client.get(reverse("indicators:index", args=["cciaa-bergamo", 2024])).content.decode()
    assert f'href="{reverse("indicators:plan_import", args=["cciaa-bergamo"])}"' not in page


# --- The demo ---------------------------------------------------------------------------------


def test_the_demo_checklist_is_the_default_one(cycle):
    texts = ChecklistItem.objects.filter(body=cycle.body).order_by("order")
    assert list(texts.values_list("text", flat=True)) == list(DEFAULT_CHECKLIST)


def test_the_demo_still_loads_beside_a_body_set_up(db, capsys):
    _setup(first_year=2024)
    call_command("load_demo", "--no-pdf", "--no-accounts")
    assert "Dati dimostrativi caricati" in capsys.readouterr().out
    assert Cycle.objects.filter(body__slug="esempio", year=2024, state="planning").exists()
    demo = Cycle.objects.get(body__slug="cciaa-bergamo", year=2023)
    assert demo.state == "published"


def test_an_invitation_is_sent_again_with_a_new_link(
    db, capsys, django_capture_on_commit_callbacks, run_tasks
):
    _setup()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_invitation", "BRUNO@comune.example.it")
    run_tasks()
    assert [m.to for m in mail.outbox] == [["bruno@comune.example.it"]]
    assert "Comune di Esempio" in mail.outbox[0].body  # the body of the person's units
    assert "/account/reset/" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Nessun utente attivo"):
        call_command("send_invitation", "nessuno@example.it")


def test_the_management_page_of_an_empty_year_points_to_the_plan(client, people):
    body = _new_body_with_people(people)
    log_in(client, people.planning)
    page = client.get(reverse("indicators:index", args=[body.slug, 2026])).content.decode()
    assert "Il piano 2026 non è ancora stato inserito" in page
    link = f'href="{reverse("indicators:plan_import", args=[body.slug])}"'
    assert page.count(link) >= 2  # the management page's link, the next steps


def test_a_queue_down_leaves_the_body_and_logs_the_invitations(
    db, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from workflow import tasks

    class Down:
        def enqueue(self, messages):
            raise ConnectionError("coda irraggiungibile")

    monkeypatch.setattr(tasks, "notifications_send", Down())
    with django_capture_on_commit_callbacks(execute=True):
        result = _setup()
    assert Body.objects.filter(pk=result.body.pk).exists()
    assert "Inviti non messi in coda" in caplog.text and "anna@comune.example.it" in caplog.text


# --- Bounds and odd inputs (found by review) ----------------------------------------------------


def _errors(**overrides) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        _setup(**overrides)
    return caught.value.messages


def test_a_long_chain_of_units_with_a_loop_is_named_once_and_the_count_is_bounded(db):
    before = _counts()
    chain = "".join(f"u{i};Unità {i};ufficio;u{i - 1}\n" for i in range(1, 1500))
    looped = "u0;Unità 0;ufficio;u1499\n" + chain  # 1.500 units in one loop
    loops = [m for m in _errors(units=looped) if "giro" in m]
    assert len(loops) == 1 and loops[0].count("→") == 1500
    many = "".join(f"u{i};Unità {i};ufficio;\n" for i in range(2001))
    assert "Unità organizzative: 2001, al massimo 2000 in una configurazione." in _errors(
        units=many
    )
    assert _counts() == before


def test_an_email_longer_than_a_username_and_a_name_on_two_lines_are_messages(db):
    before = _counts()
    address = "a" * 140 + "@comune.example.it"
    people = PEOPLE + f"{address};Anna Lunga;OIV;\n"
    assert f"Persone, riga 4: e-mail di {len(address)} caratteri, al massimo 150." in _errors(
        people=people
    )
    assert "su una sola riga" in " ".join(_errors(name="Comune\ndi Esempio"))
    assert _counts() == before


def test_the_command_reads_numbers_written_as_numbers(db, tmp_path):
    import yaml

    def write(code) -> str:
        config = {
            **CONFIG,
            "ente": {**CONFIG["ente"], "codice": code, "denominazione_breve": 2024},
            "regole": {"soglia_raggiunto": 90.5, "soglia_parziale": 60, "scadenza_mancata": 0},
        }
        path = tmp_path / "ente.yaml"
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        return str(path)

    # a code of digits only is read as the text «123», and refused: it would be read as a year
    with pytest.raises(CommandError) as caught:
        call_command("setup_body", write(123))
    assert "Codice dell'ente «123»: minuscole, cifre e trattini (non solo cifre)" in str(
        caught.value
    )
    assert not Body.objects.filter(name=CONFIG["ente"]["denominazione"]).exists()
    call_command("setup_body", write("ente-123"), "--site-url", "https://relazione.example.it")
    body = Body.objects.get(slug="ente-123")
    assert (body.short_name, body.band_achieved_from) == ("2024", Decimal("90.5"))
