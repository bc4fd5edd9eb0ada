"""The admin obeys the year's rules for every role: every registered ModelAdmin x add / change /
delete / bulk delete / history revert (GET and POST) x every person, on the validated year
2023. Nothing of 2023 is written (its snapshot still matches the OIV's; each model's rows are
unchanged, except the body's own rows, a unit, a checklist item or the body, whose change
reaches only the open years and which are not deleted) and nothing answers 500.

manager_b and the OIV get the staff flag here ("someone gave it to them"), so that the
ModelAdmins' own predicates are exercised, not only the admin site's staff check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.urls import reverse

from accounts.admin_rules import object_cycle, reaches_locked_year
from tests.people import *  # noqa: F403
from workflow import snapshot
from workflow.selectors import validation_of

ROLES = ["anonymous", "manager_a", "manager_b", "oiv", "planning", "admin"]
STAFF_FLAGGED = {"manager_b", "oiv"}
PLANNER_ROLES = {"planning", "admin"}
# Not data of a year: the administrators manage people (a person's records keep them), their
# groups, the login lockouts and the task queue (Django's own permissions: superusers only).
PEOPLE_MODELS = {"auth.user", "accounts.membership", "auth.group"}
SYSTEM_APPS = {"axes", "django_tasks_database"}  # login lockouts, the task queue

ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower)


def _url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def _object_of_2023(model, cycle, people):
    """A row that belongs to 2023 or that 2023 uses (a unit, a checklist item, the body)."""
    if model is User:
        return people.oiv
    if model._meta.label_lower == "accounts.membership":
        return people.oiv.memberships.first()
    if model._meta.label_lower == "auth.group" or model._meta.app_label in SYSTEM_APPS:
        return model._base_manager.order_by("pk").first()  # none: the add views only
    for obj in model._base_manager.order_by("pk").iterator():
        owner = object_cycle(obj)
        if owner is not None and owner.pk == cycle.pk:
            return obj
        if owner is None and (obj == cycle.body or reaches_locked_year(obj)):
            return obj
    if model._meta.label_lower in HELD_BY_A_VALIDATED_YEAR:
        return HELD_BY_A_VALIDATED_YEAR[model._meta.label_lower](cycle, people)
    raise AssertionError(f"no row of 2023 for {model._meta.label}")


def _gap_justification(cycle, people):
    from core.locking import unlocked
    from workflow.models import GapJustification

    with unlocked():
        return GapJustification.objects.create(
            cycle=cycle,
            item="risorse:personale",
            text="Dati HR in arrivo.",
            created_by=people.planning,
        )


# Rows a validated year may hold that the demo's 2023 (complete) has none of: written here.
def _unit_kind(cycle, people):
    """A kind the units of 2023 have (by its code: not a reference the year holds)."""
    from objectives.models import UnitKind

    return UnitKind.objects.get(body=cycle.body, code="area")


HELD_BY_A_VALIDATED_YEAR = {
    "workflow.gapjustification": _gap_justification,
    "objectives.unitkind": _unit_kind,
}


def _form_value(field, value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set):
        return [str(getattr(v, "pk", v)) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _post_data(obj):
    """The row's own values as a form would post them, with a text changed: what a change
    would save if it were accepted (and a copy, for an add)."""
    data, changed = {}, False
    for field in [*obj._meta.concrete_fields, *obj._meta.many_to_many]:
        if field.primary_key or not field.editable:
            continue
        value = (
            list(getattr(obj, field.name).all())
            if field.many_to_many
            else getattr(obj, field.attname)
        )
        text = _form_value(field, value)
        if text is None:
            continue
        free_text = isinstance(field, models.TextField | models.CharField) and not field.choices
        if not changed and free_text and text and field.name not in ("code", "slug", "key"):
            text, changed = f"{text} (modificato)", True
        data[field.name] = text
    return data


def _fingerprint(model) -> str:
    rows = model._base_manager.order_by("pk").values_list()
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


@pytest.fixture
def records_2023(cycle, people, unit_a_indicator):
    """The process records of 2023 that the demo does not have, as the services would have
    left them before the validation (so each ModelAdmin has a row of 2023 to try)."""
    from consistency.models import FindingJustification
    from core.locking import unlocked
    from indicators.models import TargetRevision
    from resources.models import ResourcesImport
    from workflow.models import Remark

    with unlocked():
        FindingJustification.objects.create(
            cycle=cycle, rule="R1", object_key="x", text="Motivata", created_by=people.planning
        )
        ResourcesImport.objects.create(cycle=cycle, user=people.planning, sha256="0" * 64)
        Remark.objects.create(
            cycle=cycle, indicator=unit_a_indicator, text="Fonte?", author=people.oiv
        )
        TargetRevision.objects.create(
            indicator=unit_a_indicator,
            old_target="12",
            new_target="13",
            reason="Delibera",
            act_reference="Delibera n. 1/2023",
            act_date=dt.date(2023, 6, 30),
            created_by=people.planning,
        )


@pytest.fixture
def clients(people):
    for name in STAFF_FLAGGED:
        user = getattr(people, name)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    out = {}
    for role in ROLES:
        c = Client()
        if role != "anonymous":
            log_in(c, getattr(people, role))  # noqa: F405
        out[role] = c
    return out


def _assert_refused(response, role, what):
    status = response.status_code
    assert status != 500, what
    if role in ("anonymous", "manager_a"):  # no staff flag: the admin's login page
        assert status == 302 and "/admin/login/" in response["Location"], what
    elif role in STAFF_FLAGGED:
        assert status == 403, what
    else:
        assert status in (200, 302, 403), what


@pytest.mark.parametrize(
    "model_admin", [a for _, a in ADMINS], ids=[m._meta.label_lower for m, _ in ADMINS]
)
def test_no_role_writes_2023_through_the_admin(
    cycle,
    people,
    clients,
    records_2023,
    model_admin,
):
    model = model_admin.model
    label = model._meta.label_lower
    validation = validation_of(cycle)
    obj = _object_of_2023(model, cycle, people)
    data = _post_data(obj) if obj is not None else {}
    before = _fingerprint(model)
    requests = [
        ("add GET", "get", _url(model, "add"), None),
        ("add POST", "post", _url(model, "add"), data),
    ]
    if obj is not None:
        requests += _object_requests(model, model_admin, obj, data)
    people_model = label in PEOPLE_MODELS or model._meta.app_label in SYSTEM_APPS
    body_level = obj is not None and not people_model and object_cycle(obj) is None
    for role in ROLES:
        c = clients[role]
        for name, method, url, payload in requests:
            what = (label, role, name)
            if people_model and role == "admin" and method == "post":
                continue  # the administrators do manage people
            response = c.get(url) if method == "get" else c.post(url, payload)
            _assert_refused(response, role, what)
            if role not in PLANNER_ROLES or response.status_code != 200:
                continue
            if name == "add POST" and obj is not None and object_cycle(obj) not in (None, obj):
                # The form names the year's rule (not some other error of the copy).
                assert "non è modificabile in questo stato" in response.content.decode(), what
            if name == "change GET" and not people_model and not body_level:
                assert b'name="_save"' not in response.content, what  # read-only page
        if body_level:
            # A change of the body's row may reach the open years; 2023 keeps its copy, and the
            # row it uses is not deleted.
            assert model._base_manager.filter(pk=obj.pk).exists(), (label, role)
            assert snapshot.take(cycle)[1] == validation.snapshot_hash, (label, role)
        else:
            assert _fingerprint(model) == before, (label, role)
    assert snapshot.take(cycle)[1] == validation.snapshot_hash


def _object_requests(model, model_admin, obj, data):
    pk = str(obj.pk)
    history = getattr(model, "history", None) if hasattr(model_admin, "history_view") else None
    version = history.filter(**{model._meta.pk.attname: obj.pk}).first() if history else None
    requests = [
        ("change GET", "get", _url(model, "change", pk), None),
        ("change POST", "post", _url(model, "change", pk), data),
        ("delete GET", "get", _url(model, "delete", pk), None),
        ("delete POST", "post", _url(model, "delete", pk), {"post": "yes"}),
        (
            "bulk delete",
            "post",
            _url(model, "changelist"),
            {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
        ),
    ]
    if version is not None:
        url = _url(model, "simple_history", pk, version.history_id)
        requests.append(("history revert POST", "post", url, data))
    return requests


def test_every_admin_is_in_the_matrix(people):
    """A new model registered in the admin is walked by the matrix above; none may save a
    page of rows at once (list_editable asks no per-row permission)."""
    from accounts.admin_rules import YearRulesAdmin

    for model, model_admin in admin.site._registry.items():
        if model._meta.label_lower == "auth.group" or model._meta.app_label in SYSTEM_APPS:
            assert not model_admin.has_module_permission(_Request(people.planning)), model
            continue
        assert isinstance(model_admin, YearRulesAdmin), model
        assert not model_admin.list_editable, model


class _Request:
    def __init__(self, user):
        self.user = user


def test_each_role_sees_in_the_admin_only_what_it_manages(clients):
    """The planning office: the plan and the year's records, not people, bodies, groups or
    login lockouts; unit managers and the OIV, even with the staff flag, nothing."""
    visible = {}
    for role in ("planning", "admin", "manager_b", "oiv"):
        response = clients[role].get(reverse("admin:index"))
        assert response.status_code == 200, role
        visible[role] = {
            f"{app['app_label']}.{m['object_name'].lower()}"
            for app in response.context["app_list"]
            for m in app["models"]
        }
    assert visible["manager_b"] == visible["oiv"] == set()
    admin_only = {"auth.user", "accounts.membership", "core.body", "auth.group"}
    assert not visible["planning"] & admin_only
    assert {"indicators.indicator", "indicators.scorecardrow", "core.cycle"} <= visible["planning"]
    assert visible["admin"] == {m._meta.label_lower for m in admin.site._registry}
