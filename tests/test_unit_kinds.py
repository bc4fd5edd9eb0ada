"""Configurable unit kinds (issue 17, point 4): a body names its own kinds of unit (a Comune's
Settore, a Ministry's Dipartimento); a unit's kind is one of its body's on every write path; a
Camera keeps the kinds it always had."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Body, BodyKind
from indicators.plan_builder import units_build
from indicators.plan_spec import UnitSpec
from objectives.models import OrgUnit, UnitKind
from objectives.unit_kinds import CHAMBER_KINDS, kinds_of
from tests.people import log_in, people  # noqa: F401 - fixture
from workflow.onboarding import body_setup

TAX_CODE = "00123450017"


@pytest.fixture
def ministry(db):
    body = Body.objects.create(name="Ministero di Prova", slug="ministero-prova", kind="altro")
    UnitKind.objects.create(body=body, code="ispettorato", name="Ispettorato", order=9)
    return body


def _bergamo():
    return Body.objects.get(slug="cciaa-bergamo")


def test_a_camera_keeps_its_kinds_and_other_bodies_get_their_own(cycle, ministry):
    assert list(kinds_of(_bergamo().pk).items()) == list(CHAMBER_KINDS)
    comune = Body.objects.create(name="Comune di Prova", slug="comune-prova", kind="comune")
    assert {"secretariat", "sector", "service", "office"} <= set(kinds_of(comune.pk))
    assert "agency" not in kinds_of(comune.pk)
    assert kinds_of(ministry.pk)["department"] == "Dipartimento"
    assert kinds_of(ministry.pk)["ispettorato"] == "Ispettorato"
    # Every unit of the demo bodies has a kind of its body (the migration kept them all).
    for body_id, kind in OrgUnit.objects.values_list("body_id", "kind"):
        assert kind in kinds_of(body_id)


def test_save_and_clean_refuse_another_bodys_kind_in_italian(cycle, ministry):
    unit = OrgUnit(body=_bergamo(), kind="ispettorato", name="Ispettorato X", slug="isp-x")
    with pytest.raises(ValidationError) as exc:
        unit.full_clean()
    assert "tipo «ispettorato» non previsto per questo ente" in str(exc.value.message_dict["kind"])
    with pytest.raises(ValidationError):
        unit.save()
    assert not OrgUnit.objects.filter(slug="isp-x").exists()
    OrgUnit(body=ministry, kind="ispettorato", name="Ispettorato X", slug="isp-x").save()


def test_the_bulk_paths_refuse_another_bodys_kind(cycle, ministry):
    bergamo = _bergamo()
    with pytest.raises(ValidationError):
        OrgUnit.objects.bulk_create([OrgUnit(body=bergamo, kind="department", name="D", slug="d")])
    unit = OrgUnit.objects.filter(body=bergamo).first()
    unit.kind = "ispettorato"
    with pytest.raises(ValidationError):
        OrgUnit.objects.bulk_update([unit], ["kind"])
    with pytest.raises(ValidationError):
        OrgUnit.objects.filter(pk=unit.pk).update(kind="ispettorato")
    with pytest.raises(ValidationError):
        units_build(body=bergamo, units=[UnitSpec(slug="nuova", name="Nuova", kind="sector")])
    assert OrgUnit.objects.get(pk=unit.pk).kind != "ispettorato"
    OrgUnit.objects.filter(pk=unit.pk).update(kind="office")  # one of its own: fine
    built = units_build(
        body=ministry, units=[UnitSpec(slug="dip", name="Dipartimento", kind="department")]
    )
    assert built["dip"].kind == "department"


def test_a_kind_in_use_keeps_its_code_and_is_not_deleted(cycle):
    area = UnitKind.objects.get(body=_bergamo(), code="area")
    area.code = "zona"
    with pytest.raises(ValidationError):
        area.full_clean()
    with pytest.raises(ValidationError):
        UnitKind.objects.get(pk=area.pk).delete()
    unused = UnitKind.objects.get(body=_bergamo(), code="partner")
    unused.name = "Società partecipata"
    unused.full_clean()
    unused.save()


def test_the_planning_office_edits_its_bodys_kinds_only(client, people, ministry):  # noqa: F811
    log_in(client, people.planning)
    page = client.get(reverse("admin:objectives_unitkind_changelist")).content.decode()
    assert "Azienda speciale" in page and "Ispettorato" not in page
    other = UnitKind.objects.get(body=ministry, code="ispettorato")
    url = reverse("admin:objectives_unitkind_change", args=[other.pk])
    assert client.get(url).status_code in (302, 403, 404)
    response = client.post(
        reverse("admin:objectives_unitkind_add"),
        {"body": _bergamo().pk, "code": "progetto", "name": "Unità di progetto", "order": 7},
    )
    assert response.status_code == 302, response.content[:2000]
    used = UnitKind.objects.get(body=_bergamo(), code="area")
    delete = reverse("admin:objectives_unitkind_delete", args=[used.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert UnitKind.objects.filter(pk=used.pk).exists()


def test_the_admin_unit_form_offers_the_bodys_kinds(client, people, ministry):  # noqa: F811
    log_in(client, people.planning)
    add = reverse("admin:objectives_orgunit_add")
    page = client.get(add).content.decode()
    assert 'value="agency"' in page and 'value="ispettorato"' not in page
    data = {"body": _bergamo().pk, "name": "Nuovo ufficio", "slug": "nuovo-uff", "order": 0}
    refused = client.post(add, {**data, "kind": "ispettorato"})
    assert refused.status_code == 200
    assert not OrgUnit.objects.filter(slug="nuovo-uff").exists()
    assert client.post(add, {**data, "kind": "office"}).status_code == 302
    assert OrgUnit.objects.get(slug="nuovo-uff").kind == "office"


def _setup(kind, units):
    return body_setup(
        name="Comune di Esempio",
        short_name="Esempio",
        tax_code=TAX_CODE,
        kind=kind,
        units=units,
        people="anna@comune.example.it;Anna Bianchi;pianificazione;\n",
        first_year=2026,
        site_url="https://relazione.example.it",
    )


def test_onboarding_takes_the_kinds_of_the_body_and_refuses_the_others(db):
    units = "sg;Segreteria generale;Segreteria generale;\nbil;Settore bilancio;settore;sg\n"
    with pytest.raises(ValidationError) as exc:
        _setup(BodyKind.MUNICIPALITY, units + "az;Azienda;azienda speciale;sg\n")
    assert any(
        "Unità, riga 3: tipo «azienda speciale» non previsto: usare uno tra" in m
        and "settore (sector)" in m
        for m in exc.value.messages
    ), exc.value.messages
    result = _setup(BodyKind.MUNICIPALITY, units)
    assert OrgUnit.objects.get(body=result.body, slug="bil").kind == "sector"
    assert "sector" in set(UnitKind.objects.filter(body=result.body).values_list("code", flat=True))


def test_the_org_chart_takes_the_columns_of_any_bodys_kinds():
    from types import SimpleNamespace as U

    from reports.blocks import org_chart_block

    def unit(pk, parent, kind, name):
        return U(id=pk, pk=pk, parent_id=parent, kind=kind, year_name=name)

    comune = [
        unit(1, None, "secretariat", "Segreteria generale"),
        unit(2, 1, "sector", "Settore bilancio"),
        unit(3, 2, "service", "Servizio tributi"),
        unit(4, 1, "office", "Ufficio stampa"),
    ]
    block = org_chart_block(comune, 2026)
    assert block.extra["description"] == "Settore bilancio: Servizio tributi"
    camera = [
        unit(1, None, "secretariat", "Segreteria generale"),
        unit(2, 1, "area", "Area senza servizi"),
        unit(3, 1, "agency", "Azienda speciale"),
    ]
    assert org_chart_block(camera, 2026).extra["description"] == "Area senza servizi"
