"""Free objective codes (issue 17, point 4): the codes bodies really write ("6", "0101",
"01010601", "A.1") are accepted on every write path and listed in their natural order; junk is
refused with an Italian message, and an address with junk is a 404."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from indicators import plan_workbook
from indicators.plan_import import plan_import_apply
from lib.codes import CODE_MAX_LENGTH, code_allowed, natural_key
from lib.xlsx import Sheet
from objectives.models import Perspective, Scorecard, StrategicObjective
from tests.people import log_in, open_cycle, people  # noqa: F401 - fixtures

BODY_CODES = ["6", "0101", "01010601", "A.1", "2.3-bis", "1/2", "a_b"]
JUNK = ["", "1 1", "1,1", ".1", "1.", "-1", "1//2", "1/.2", "è.1", "1" * (CODE_MAX_LENGTH + 1)]


# --- Pure -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", BODY_CODES)
def test_the_codes_bodies_write_are_allowed(code):
    assert code_allowed(code)


@pytest.mark.parametrize("code", JUNK)
def test_junk_is_not_a_code(code):
    assert not code_allowed(code)


def test_the_natural_order():
    codes = ["10", "2", "1.10", "1.2", "1", "0101", "A.1", "1.1", "2.1", "B", "A.10", "A.2"]
    assert sorted(codes, key=natural_key) == [
        "1",
        "1.1",
        "1.2",
        "1.10",
        "2",
        "2.1",
        "10",
        "0101",
        "A.1",
        "A.2",
        "A.10",
        "B",
    ]


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=3), st.data())
def test_dotted_numbers_sort_as_tuples_of_numbers(first, data):
    second = data.draw(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=3))
    a, b = ".".join(map(str, first)), ".".join(map(str, second))
    assert (natural_key(a) < natural_key(b)) == (first < second)
    assert natural_key(a).isdigit()  # collation-proof: digits only


# --- The plan workbook ----------------------------------------------------------------------


def _sheets(strategic, operational, indicators):
    rows = {
        plan_workbook.PERSPECTIVES: [["1", "CRESCITA"]],
        plan_workbook.STRATEGIC: strategic,
        plan_workbook.OPERATIONAL: operational,
        plan_workbook.INDICATORS: indicators,
    }
    return {
        title: Sheet(
            header=list(plan_workbook.PLAN_SHEETS[title]),
            rows=list(enumerate(body, start=2)),
        )
        for title, body in rows.items()
    }


def _plan_with(codes):
    return _sheets(
        [[code, "CRESCITA", f"Obiettivo {code}"] for code in codes],
        [[code, f"Azione {code}", "promozione"] for code in codes],
        [[code, f"Azione {code}", f"Indicatore {code}", "", "number", "", "3"] for code in codes],
    )


def test_the_workbook_takes_the_bodies_codes_and_refuses_junk_in_italian():
    units = plan_workbook.PlanReference(units={"promozione": "Promozione"})
    assert plan_workbook.plan_validate(_plan_with(BODY_CODES), reference=units).errors == []
    plan = plan_workbook.plan_validate(_plan_with(["1 1", "1.1", "1-1"]), reference=units)
    assert plan.errors[0] == (
        "Foglio «Obiettivi strategici», riga 2, colonna «Codice»: «1 1» non è un codice valido: "
        "lettere, cifre e i separatori . - _ /, iniziando e finendo con una lettera o una cifra "
        "(es. 1.1, 6, 0101, A.1); al massimo 20 caratteri."
    )
    # "1.1" and "1-1" would give their cruscotti the same code: a message, not a 500.
    assert any("solo per i separatori" in e and "1-1" in e for e in plan.errors), plan.errors


def test_the_import_creates_the_bodies_codes_and_the_pages_open(client, cycle, people):  # noqa: F811
    codes = ["10", "6", "0101", "01010601", "A.1", "1/2"]
    year = plan_import_apply(
        user=people.planning, body=cycle.body, year=2046, sheets=_plan_with(codes)
    )
    created = StrategicObjective.objects.filter(cycle=year)
    assert sorted(created.values_list("code", flat=True)) == sorted(codes)
    assert Scorecard.objects.filter(cycle=year, slug="obiettivo-1-2").exists()
    log_in(client, people.planning)
    for code in codes:
        url = reverse("dashboards:objective", args=[cycle.body.slug, 2046, code])
        response = client.get(url)
        assert response.status_code == 200, url
        assert f"Obiettivo {code}" in response.content.decode()
    for junk in ["1..x/", "x%20y", "1//2", "a" * 21, "ç"]:
        assert client.get(f"/{cycle.body.slug}/2046/obiettivi/{junk}/").status_code == 404, junk


# --- The database, the services and the admin ----------------------------------------------


def test_every_write_path_keeps_the_natural_key(open_cycle):  # noqa: F811
    persp = Perspective.objects.filter(cycle=open_cycle).first()
    one = StrategicObjective(cycle=open_cycle, perspective=persp, code="0101", name="Uno")
    one.save()
    assert one.code_key == natural_key("0101")
    [two] = StrategicObjective.objects.bulk_create(
        [StrategicObjective(cycle=open_cycle, perspective=persp, code="A.10", name="Due")]
    )
    assert StrategicObjective.objects.get(pk=two.pk).code_key == natural_key("A.10")
    two.code = "A.9"
    StrategicObjective.objects.bulk_update([two], ["code"])
    assert StrategicObjective.objects.get(pk=two.pk).code_key == natural_key("A.9")
    StrategicObjective.objects.filter(pk=one.pk).update(code="7")
    assert StrategicObjective.objects.get(pk=one.pk).code_key == natural_key("7")
    one.refresh_from_db()
    one.code = "8"
    one.save(update_fields=["code"])
    assert StrategicObjective.objects.get(pk=one.pk).code_key == natural_key("8")


def test_the_map_and_the_lists_follow_the_natural_order(client, people, open_cycle):  # noqa: F811
    persp = Perspective.objects.filter(cycle=open_cycle).order_by("order").first()
    codes = ["10", "9", "5.10", "5.9", "0101"]
    for code in codes:  # the same place in the plan: the code decides
        StrategicObjective.objects.create(
            cycle=open_cycle, perspective=persp, code=code, name=f"Naturale {code}", order=900
        )
    natural = ["5.9", "5.10", "9", "10", "0101"]
    listed = StrategicObjective.objects.filter(cycle=open_cycle, order=900)
    assert [so.code for so in listed] == natural  # Meta.ordering: the admin, the filters
    log_in(client, people.planning)
    html = client.get(reverse("dashboards:map", args=["cciaa-bergamo", 2023])).content.decode()
    positions = [html.index(f"Naturale {code}<") for code in natural]
    assert positions == sorted(positions)


@pytest.mark.parametrize("code", ["6", "0101", "01010601", "A.1"])
def test_the_admin_takes_the_bodies_codes(client, people, open_cycle, code):  # noqa: F811
    so = StrategicObjective.objects.filter(cycle=open_cycle).first()
    log_in(client, people.planning)
    response = client.post(reverse("admin:objectives_strategicobjective_add"), _admin(so, code))
    assert response.status_code == 302, response.content[:2000]
    assert StrategicObjective.objects.get(cycle=open_cycle, code=code).code_key


def test_the_admin_refuses_junk_in_italian(client, people, open_cycle):  # noqa: F811
    so = StrategicObjective.objects.filter(cycle=open_cycle).first()
    log_in(client, people.planning)
    response = client.post(reverse("admin:objectives_strategicobjective_add"), _admin(so, "1,1"))
    assert response.status_code == 200
    assert "Codice non valido: lettere, cifre e i separatori" in response.content.decode()
    assert not StrategicObjective.objects.filter(cycle=open_cycle, code="1,1").exists()


def test_the_model_refuses_junk_in_italian(open_cycle):  # noqa: F811
    persp = Perspective.objects.filter(cycle=open_cycle).first()
    so = StrategicObjective(cycle=open_cycle, perspective=persp, code="1 1", name="X")
    with pytest.raises(ValidationError) as exc:
        so.full_clean()
    assert "Codice non valido" in str(exc.value.message_dict["code"])


def _admin(so, code):
    return {
        "cycle": so.cycle_id,
        "perspective": so.perspective_id,
        "code": code,
        "name": f"Nuovo obiettivo {code}",
        "narrative": "",
        "order": 99,
        "weight": "1",
        "version": "",
        "_save": "Salva",
    }


def test_a_cruscotto_sorted_by_objective_follows_the_natural_order(y2024):
    """Sorted in the database (dashboards.tables): by the stored natural key, not the text."""
    from dashboards.selectors import scorecard_page_rows
    from dashboards.tables import ScorecardTable
    from lib.codes import natural_key
    from objectives.models import Scorecard

    card = Scorecard.objects.get(cycle=y2024, slug="segretario-generale")
    so_ids = sorted(
        set(
            card.rows.exclude(indicator__operational_objective=None).values_list(
                "indicator__operational_objective__strategic_objective", flat=True
            )
        )
    )[:4]
    assert len(so_ids) == 4
    for so_id, code in zip(so_ids, ["9.10", "10", "9.9", "A.1"], strict=True):
        StrategicObjective.objects.filter(pk=so_id).update(code=code)  # the bulk path keeps the key
    table = ScorecardTable(scorecard_page_rows(card), cycle=y2024, order_by="strategic")
    codes: list[str] = []
    for row in table.data.data.select_related(
        "indicator__operational_objective__strategic_objective"
    ):
        op = row.indicator.operational_objective
        if op is not None and (not codes or codes[-1] != op.strategic_objective.code):
            codes.append(op.strategic_objective.code)
    assert codes == sorted(codes, key=natural_key), codes
    assert codes.index("9.9") < codes.index("9.10") < codes.index("10") < codes.index("A.1")
