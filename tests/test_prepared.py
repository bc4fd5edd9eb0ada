"""Issue 18, the fixed cost of every internal page: the queries every request asks (the year,
the roles, the selector's years) run SQL compiled once per process (core.prepared) and give
what the ORM gives; a query whose SQL would not be the same for every value is refused."""

from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count
from django.db.models.sql.compiler import SQLCompiler

from accounts import permissions as perms
from accounts.models import Membership, Role
from accounts.selectors import cycle_get, cycle_list, cycle_years
from core.models import Body, Cycle
from core.prepared import Prepared

from .people import *  # noqa: F403


def no_compilation():
    """Fails the test if the ORM writes any SQL meanwhile."""
    return mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("SQL compilata"))


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_the_year_is_the_orms_with_its_body_in_one_query(cycle, django_assert_num_queries):
    orm = Cycle.objects.select_related("body").get(pk=cycle.pk)
    cycle_get(body_slug="cciaa-bergamo", year=2023)  # compiled here, once per process
    with no_compilation(), django_assert_num_queries(1):
        got = cycle_get(body_slug="cciaa-bergamo", year=2023)
        assert got.body.slug == "cciaa-bergamo"  # the body came with the year
    assert fields(got) == fields(orm) and fields(got.body) == fields(orm.body)
    assert got._state.db == "default" and not got._state.adding
    assert got._loaded_rules == orm._loaded_rules  # Cycle.from_db ran
    assert type(got.omitted_sections) is type(orm.omitted_sections)


def test_an_unknown_year_or_body_is_still_a_404(cycle):
    from django.http import Http404

    for slug, year in (("cciaa-bergamo", 1990), ("ente-inesistente", 2023)):
        with pytest.raises(Http404):
            cycle_get(body_slug=slug, year=year)


def test_the_roles_are_read_each_request_without_compiling(people, cycle):
    perms._memberships(people.oiv)  # compiled here
    fresh = type(people.manager_a).objects.get(pk=people.manager_a.pk)
    with no_compilation():
        held = perms._memberships(fresh)
    unit = set(people.manager_a.memberships.get().units.values_list("id", flat=True))
    assert held == {cycle.body_id: (Role.MANAGER, unit)}
    Membership.objects.filter(user=people.manager_a).delete()
    again = type(people.manager_a).objects.get(pk=people.manager_a.pk)
    assert perms.role_of(again, cycle) is None  # a revoked role is gone on the next read


def test_the_years_of_the_selector_are_cycle_lists(people, cycle, y2024):
    for user in (people.oiv, people.anonymous, None):
        expected = list(cycle_list(body=cycle.body, user=user).values_list("year", flat=True))
        cycle_years(body=cycle.body, user=user)
        with no_compilation():
            assert cycle_years(body=cycle.body, user=user) == expected
    assert cycle_years(body=cycle.body, user=people.oiv) == [2024, 2023]
    assert cycle_years(body=cycle.body, user=people.anonymous) == [2023]


def test_rows_are_converted_as_the_orm_converts_them(cycle):
    prepared = Prepared(
        lambda pk: Cycle.objects.filter(pk=pk).values_list(
            "band_achieved_from", "omitted_sections", "body__name", "year"
        ),
        int,
    )
    orm = list(
        Cycle.objects.filter(pk=cycle.pk).values_list(
            "band_achieved_from", "omitted_sections", "body__name", "year"
        )
    )
    assert [tuple(row) for row in prepared.rows(cycle.pk)] == orm
    assert prepared.rows(-1) == []


def test_a_query_whose_sql_is_not_the_same_for_every_value_is_refused(db):
    unused = Prepared(lambda year: Cycle.objects.values_list("pk"), int)
    rewritten = Prepared(
        lambda text: Body.objects.filter(name__contains=text).values_list("pk"), str
    )
    for prepared, arg in ((unused, 2023), (rewritten, "Camera")):
        with pytest.raises(ImproperlyConfigured):
            prepared.rows(arg)
    with pytest.raises(ImproperlyConfigured):
        Prepared(lambda ids: Body.objects.filter(pk__in=ids), list)
    with pytest.raises(ImproperlyConfigured):  # not a model's queryset
        Prepared(lambda pk: Body.objects.filter(pk=pk).values_list("pk"), int).objects(1)


def test_the_int_sentinels_fit_every_integer_column():
    """The ORM turns a value out of the column's range into an empty result without SQL (on
    PostgreSQL): the sentinels must fit a smallint, positive or not."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from core.prepared import _sentinel

    ranges = BaseDatabaseOperations.integer_field_ranges
    for position in range(10):
        for variant in (0, 1):
            value = _sentinel(int, position, variant)
            assert all(low <= value <= high for low, high in ranges.values())


@pytest.mark.parametrize("nested", [False, True])
def test_the_years_totals_of_the_map_are_the_orms(cycle, nested):
    """indicators.aggregates.strategic_totals: the year's two queries prepared, the same sums
    as the ORM's queries of the same objectives (a page of some objectives)."""
    from indicators.aggregates import strategic_totals

    ids = list(cycle.strategic_objectives.values_list("id", flat=True))
    orm = strategic_totals(cycle, per_operational=nested, objective_ids=ids)
    strategic_totals(cycle, per_operational=nested)  # compiled here
    with no_compilation():
        prepared = strategic_totals(cycle, per_operational=nested)
    assert prepared == orm and len(prepared) == len(ids)


def test_a_cruscotto_is_the_orms_with_its_annotation(cycle, django_assert_num_queries):
    """Instances with an annotation (the unit's name as the year shows it) and their
    select_related objects, as the ORM gives them; an unknown cruscotto is still a 404."""
    from django.http import Http404

    from objectives.models import Scorecard
    from objectives.selectors import scorecard_get, scorecard_list

    names = []
    for slug in Scorecard.objects.filter(cycle=cycle).values_list("slug", flat=True):
        orm = scorecard_list(cycle).get(slug=slug)
        scorecard_get(cycle, slug)  # compiled here, once per process
        with no_compilation(), django_assert_num_queries(1):
            got = scorecard_get(cycle, slug)
            assert (got.unit and fields(got.unit)) == (orm.unit and fields(orm.unit))
            so = got.strategic_objective
            assert (so and fields(so)) == (
                orm.strategic_objective and fields(orm.strategic_objective)
            )
        assert fields(got) == fields(orm) and got.unit_name == orm.unit_name
        names.append(got.unit_name)
    assert any(names) and None in names  # units' cruscotti and the others
    counted = Prepared(lambda pk: Body.objects.filter(pk=pk).annotate(n=Count("cycles")), int)
    (body,) = counted.objects(cycle.body_id)
    assert body.n == Body.objects.annotate(n=Count("cycles")).get(pk=cycle.body_id).n > 0
    with pytest.raises(Http404):
        scorecard_get(cycle, "inesistente")
