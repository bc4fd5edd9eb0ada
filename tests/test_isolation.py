"""Two bodies in one installation never meet (issue 16): the matrix of every address × role ×
method of body A (the demo) against body B (demo.second: the same year, the same unit codes,
cruscotto slugs and objective codes, its year unpublished and every text marked).

The addresses are read from the URL configuration, so a new page is in the matrix without
being listed here."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

from core.models import Cycle
from demo.second import MARKER, SECOND_BODY
from indicators.models import Indicator
from narratives.models import Narrative
from objectives.models import OperationalObjective, StrategicObjective
from tests.people import *  # noqa: F403
from tests.people import grant, log_in

A = "cciaa-bergamo"
B = SECOND_BODY["slug"]
ALLOWED_REFUSALS = {302, 403, 404, 405}


def _routes(patterns=None, prefix=""):
    """(route, name) of every address of the installation."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.name


BODY_ROUTES = sorted({route for route, _name in _routes() if "<ente:ente>" in route})


def _fill(route: str, values: dict) -> str:
    """The route with the converters replaced by ``values`` (per converter name and the
    segment before it, for the ids: an indicator's, a remark's…)."""
    path, parts = "", route.split("/")
    previous = ""
    for part in parts:
        if part.startswith("<") and ">" in part:
            name = part[1 : part.index(">")].split(":")[-1]
            rest = part[part.index(">") + 1 :]
            value = values.get(f"{previous}/{name}", values.get(name, "x"))
            path += f"{value}{rest}/"
        else:
            path += part + "/"
        previous = part
    path = "/" + path.rstrip("/")
    return path + ("/" if route.endswith("/") else "")


def _fill_all(route: str, values: dict) -> str:
    # Segments like "<slug:dataset>.<slug:fmt>" hold two converters.
    if route.count("<") > route.count("/") + 1 or ">.<" in route:
        route = route.replace("<slug:dataset>.<slug:fmt>", f"{values['dataset']}.csv")
    return _fill(route, values)


@pytest.fixture
def second(db):
    from demo.second import second_body_load

    if not Cycle.objects.filter(body__slug=B, year=2023).exists():
        second_body_load(year=2023)
    return Cycle.objects.select_related("body").get(body__slug=B, year=2023)


def _values(cycle: Cycle) -> dict:
    """An object of each kind of ``cycle``'s body, for the ids in its addresses."""
    from public import opendata
    from reports.models import PdfRequest
    from workflow.models import Remark

    indicator = Indicator.objects.filter(cycle=cycle).order_by("pk").first()
    author = get_user_model().objects.order_by("pk").first() or get_user_model().objects.create(
        username="autore-osservazione"
    )
    remark = Remark.objects.filter(cycle=cycle).first() or Remark.objects.create(
        cycle=cycle,
        indicator=indicator,
        text=f"Osservazione {MARKER if cycle.body.slug == B else ''}",
        author=author,
    )
    pdf = PdfRequest.objects.filter(cycle=cycle).first() or PdfRequest.objects.create(cycle=cycle)
    return {
        "ente": cycle.body.slug,
        "year": cycle.year,
        "indicatori/pk": indicator.pk,
        "osservazioni/pk": remark.pk,
        "generazioni/pk": pdf.pk,
        "obiettivi-operativi/pk": OperationalObjective.objects.filter(cycle=cycle).first().pk,
        "rimodulazioni/pk": indicator.pk,
        "pk": indicator.pk,
        "slug": "promozione",
        "code": StrategicObjective.objects.filter(cycle=cycle).first().code,
        "key": "premessa",
        "token": "x" * 16,
        "dataset": next(iter(opendata.DATASETS)),
        "fmt": "csv",
    }


def _fingerprint(cycle: Cycle) -> str:
    """Everything of body B a write could change."""
    rows = [
        list(Indicator.objects.filter(cycle=cycle).order_by("pk").values_list()),
        list(Narrative.objects.filter(cycle=cycle).order_by("pk").values_list()),
        list(Cycle.objects.filter(pk=cycle.pk).values_list()),
        list(cycle.body.__class__.objects.filter(pk=cycle.body_id).values_list()),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_matrix_covers_every_page_of_a_body():
    # The internal and public pages of a year, the plan import, the body's home: all listed.
    assert len(BODY_ROUTES) >= 60
    assert any(r.startswith("trasparenza/") for r in BODY_ROUTES)
    assert "<ente:ente>/gestione/piano/importa/" in BODY_ROUTES


def _matrix(client, people_of_a, cycle_b, method):
    values = _values(cycle_b)
    leaks = []
    for who, user in people_of_a.items():
        client.logout()
        if user is not None:
            log_in(client, user)
        for route in BODY_ROUTES:
            url = _fill_all(route, values)
            response = getattr(client, method)(url)
            body = b"".join(response) if response.streaming else response.content
            if response.status_code not in ALLOWED_REFUSALS or MARKER.encode() in body:
                leaks.append((who, method, url, response.status_code))
            if response.status_code == 302:
                target = response["Location"]
                if f"/{B}/" in target and "/account/login/" not in target:
                    leaks.append((who, method, url, f"302 → {target}"))
    return leaks


def _people_of_a(people):
    return {
        "planning A": people.planning,
        "manager A": people.manager_a,
        "OIV A": people.oiv,
        "anonymous": None,
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_people_of_a_body_get_nothing_of_another(client, people, second, method):
    """Every address of body B, with B's own ids, refused to each person of body A (and to
    the public: B's year is not published), and no write reaches B."""
    before = _fingerprint(second)
    leaks = _matrix(client, _people_of_a(people), second, method)
    assert leaks == []
    assert _fingerprint(second) == before


def test_ids_of_another_body_in_the_addresses_of_ones_own(client, people, cycle, second):
    """Body A's addresses, carrying body B's ids (indicator, objective, remark, PDF request):
    a 404, never B's object shown or written under A's name."""
    values = {**_values(second), "ente": A, "year": 2023}
    before = _fingerprint(second)
    leaks = []
    for user in (people.planning, people.oiv):
        log_in(client, user)
        for route in BODY_ROUTES:
            if "<id:pk>" not in route:
                continue
            url = _fill_all(route, values)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if response.status_code not in ALLOWED_REFUSALS:
                    leaks.append((user.username, method, url, response.status_code))
    assert leaks == []
    assert _fingerprint(second) == before


def test_no_page_of_a_body_shows_anything_of_another(client, people, cycle, second):
    """Every page of body A, for its planning office (who sees the most): nothing of body B,
    though B shares the year, the unit codes, the cruscotti and the objective codes."""
    values = _values(cycle)
    log_in(client, people.planning)
    shown = 0
    for route in BODY_ROUTES:
        url = _fill_all(route, values)
        response = client.get(url)
        content = b"".join(response) if response.streaming else response.content
        assert MARKER.encode() not in content, url
        assert SECOND_BODY["name"].encode() not in content, url
        shown += response.status_code == 200
    assert shown >= 30  # the matrix really opened body A's pages


def test_a_person_of_both_bodies_has_the_role_of_each(client, people, cycle, second):
    """One account, planning office of A and unit manager of B: the planning office's pages
    of A, and of B only the manager's (no cycle page action, no plan import)."""
    person = people.planning
    grant(person, "manager", second.body.units.filter(slug="promozione"), body=second.body)
    log_in(client, person)
    assert client.get(f"/{A}/gestione/piano/importa/").status_code == 200
    assert client.get(f"/{B}/gestione/piano/importa/").status_code == 403
    assert client.get(f"/{B}/gestione/2023/cruscotti/promozione/").status_code == 200
    assert client.get(f"/{B}/gestione/2023/cruscotti/registro-imprese/").status_code == 403
    home = client.get("/")
    assert home.status_code == 200  # two bodies: the person chooses
    assert f"/{A}/".encode() in home.content and f"/{B}/".encode() in home.content


def test_the_public_sees_only_published_years_of_each_body(client, cycle, second):
    index = client.get("/trasparenza/")
    # Only A publishes: the index leads to it, B is not named.
    assert index.status_code == 302 and index["Location"] == f"/trasparenza/{A}/"
    assert client.get(f"/trasparenza/{B}/2023/").status_code == 404
    assert client.get(f"/trasparenza/{A}/2023/").status_code == 200


def test_the_admin_shows_a_planning_office_its_own_body_only(client, people, cycle, second):
    indicator_b = Indicator.objects.filter(cycle=second).first()
    log_in(client, people.planning)
    listing = client.get("/admin/indicators/indicator/?q=")
    assert listing.status_code == 200
    assert f"/admin/indicators/indicator/{indicator_b.pk}/change/".encode() not in listing.content
    opened = client.get(f"/admin/indicators/indicator/{indicator_b.pk}/change/")
    assert opened.status_code in (302, 403, 404)
    added = client.get("/admin/indicators/indicator/add/")
    assert added.status_code == 200 and SECOND_BODY["name"].encode() not in added.content
    assert second.body.name.encode() not in added.content


def test_a_workbook_carrying_ids_of_another_body_changes_nothing(client, people, open_cycle):
    """The cruscotto workbook of body A with a row rewritten to body B's indicator (same unit
    code, same year): refused in the preview, B unchanged. The second body has no 2024: its
    2023 is opened for the purpose, so both years are in data entry."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    from indicators import workbook
    from lib.xlsx_response import XLSX_TYPE
    from tests.people import set_state

    second = Cycle.objects.select_related("body").get(body__slug=B, year=2023)
    set_state(second, Cycle.State.MONITORING)
    target_b = Indicator.objects.filter(cycle=second, kind="number").order_by("pk").first()
    before = _fingerprint(second)
    log_in(client, people.planning)
    downloaded = client.get(f"/{A}/gestione/2023/cruscotti/promozione/excel/")
    assert downloaded.status_code == 200
    wb = load_workbook(io.BytesIO(downloaded.content))
    ws = wb[workbook.ACTUALS_SHEET]
    ws.cell(2, 1).value = f"{target_b.pk}:{target_b.version}"
    ws.cell(2, workbook.HEADERS.index(workbook.ACTUAL_HEADER) + 1).value = "999"
    out = io.BytesIO()
    wb.save(out)
    response = client.post(
        f"/{A}/gestione/2023/cruscotti/promozione/importa/",
        {"file": SimpleUploadedFile("valori.xlsx", out.getvalue(), content_type=XLSX_TYPE)},
    )
    assert response.status_code in (200, 400)
    assert response.context["token"] == ""  # nothing to confirm
    assert not response.context["plan"].ok
    assert _fingerprint(second) == before
