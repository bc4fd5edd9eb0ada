"""The synthetic plan generator (scale/generator.py, ``manage.py generate_plan``)."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from core.locking import unlocked
from core.models import Body, Cycle
from indicators import domain
from indicators.models import Indicator, ScorecardRow
from objectives.models import OperationalObjective, OrgUnit, Scorecard
from scale.generator import plan_fingerprint, plan_generate

pytestmark = pytest.mark.django_db


def test_same_seed_same_plan_other_seed_other_plan():
    a = plan_generate(units=12, indicators=80, years=2, seed=5, body_slug="a", first_year=2040)
    fingerprint_a = plan_fingerprint(a.body)
    # Same sizes and seed, other years: the content must repeat, so move the years out first.
    # (published years: moved inside unlocked(), as the generator itself writes them)
    with unlocked():
        Cycle.objects.filter(body=a.body).update(year=F("year") - 30)
    b = plan_generate(units=12, indicators=80, years=2, seed=5, body_slug="b", first_year=2040)
    c = plan_generate(units=12, indicators=80, years=2, seed=6, body_slug="c", first_year=2050)
    with unlocked():
        Cycle.objects.filter(body=a.body).update(year=F("year") + 30)  # back: like with like
    assert plan_fingerprint(b.body) == fingerprint_a
    assert plan_fingerprint(c.body) != fingerprint_a


def test_plan_has_requested_size_and_realistic_shape():
    plan = plan_generate(units=20, indicators=300, years=3, seed=11, first_year=2040)
    assert OrgUnit.objects.filter(body=plan.body).count() == 20
    kinds = {u.kind for u in OrgUnit.objects.filter(body=plan.body)}
    assert {"secretariat", "area", "service"} <= kinds
    # A hierarchy: every unit but the secretariat has a parent.
    assert OrgUnit.objects.filter(body=plan.body, parent__isnull=True).count() == 1
    cycles = list(Cycle.objects.filter(body=plan.body).order_by("year"))
    assert [c.year for c in cycles] == [2040, 2041, 2042]
    assert [c.state for c in cycles] == ["published", "published", "monitoring"]
    last = cycles[-1]
    assert Indicator.objects.filter(cycle=last).count() == 300
    indicators = list(Indicator.objects.filter(cycle=last))
    # Every kind of the Camere's plans; the qualitative kind (a judgement on the body's own
    # scale) is tried with its scale in tests/test_scoring_year.py.
    expected = {k.value for k in domain.Kind} - {"ratio", "currency", "qualitative"}
    assert {i.kind for i in indicators} >= expected
    assert len({i.direction for i in indicators}) >= 4
    assert any(i.actual == "NV" for i in indicators)
    assert any(i.target.startswith(("<", ">")) for i in indicators)
    # Every value parses as the engine expects (no invalid text produced by the generator).
    for ind in indicators:
        assert domain.parse_value(ind.target).type is not domain.ValueType.INVALID, ind.target
        assert domain.parse_value(ind.actual).type is not domain.ValueType.INVALID, ind.actual
    # Operational objectives shared between units, and cruscotti of every section.
    shared = [op for op in OperationalObjective.objects.filter(cycle=last) if op.units.count() > 1]
    assert shared
    sections = set(Scorecard.objects.filter(cycle=last).values_list("section", flat=True))
    assert sections == {"2.2", "2.3", "2.4", "3"}
    rows = ScorecardRow.objects.filter(scorecard__cycle=last).count()
    assert 1.5 * 300 <= rows <= 3 * 300  # the demo: 345 rows for 169 indicators
    assert last.staff_categories.count() == 5 and last.budget_lines.count() > 0
    # A history record per generated indicator.
    assert Indicator.history.filter(cycle_id=last.id).count() == 300


def test_command_and_italian_refusal_of_existing_years(capsys):
    call_command(
        "generate_plan", units=5, indicators=30, years=1, seed=2, body="cmd", first_year=2060
    )
    assert "30 indicatori" in capsys.readouterr().out
    assert Body.objects.filter(slug="cmd").exists()
    with pytest.raises(CommandError, match="esistono già"):
        call_command(
            "generate_plan", units=5, indicators=30, years=1, seed=3, body="cmd", first_year=2060
        )
    # Another body may have the same year: each body has its own addresses.
    call_command(
        "generate_plan", units=5, indicators=30, years=1, seed=2, body="cmd-2", first_year=2060
    )
    assert Cycle.objects.filter(year=2060).count() == 2
