"""Issue 18, the fixed cost of every internal page: the session and the person of each request
are read by SQL compiled once per process (accounts.sessions, accounts.backends), on every
request: a logout, a revoked session or role, a deactivated person or a changed password take
effect on the very next request."""

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse
from django.utils import timezone

from accounts.backends import ModelBackend
from accounts.models import Membership
from accounts.sessions import SessionStore

from .people import *  # noqa: F403


def no_compilation():
    return mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("SQL compilata"))


def test_the_settings_use_them():
    assert settings.SESSION_ENGINE == "accounts.sessions"
    assert "accounts.backends.ModelBackend" in settings.AUTHENTICATION_BACKENDS


def test_a_session_is_read_without_compiling(db):
    store = SessionStore()
    store["answer"] = 42
    store.create()
    SessionStore(store.session_key).load()  # compiled here
    with no_compilation():
        assert SessionStore(store.session_key).load() == {"answer": 42}


def test_an_expired_or_unknown_session_is_empty(db):
    store = SessionStore()
    store["answer"] = 42
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    for key in (store.session_key, "x" * 32):
        expired = SessionStore(key)
        assert expired.load() == {} and expired.session_key is None


def test_the_person_is_the_orms_and_only_if_active(people):
    backend = ModelBackend()
    backend.get_user(people.oiv.pk)  # compiled here
    with no_compilation():
        got = backend.get_user(people.oiv.pk)
    orm = User.objects.get(pk=people.oiv.pk)
    assert {f.attname: getattr(got, f.attname) for f in User._meta.concrete_fields} == {
        f.attname: getattr(orm, f.attname) for f in User._meta.concrete_fields
    }
    User.objects.filter(pk=people.oiv.pk).update(is_active=False)
    assert backend.get_user(people.oiv.pk) is None
    assert backend.get_user(-1) is None


@pytest.mark.parametrize(
    "revoke",
    [
        lambda client, user: Membership.objects.filter(user=user).delete(),
        lambda client, user: User.objects.filter(pk=user.pk).update(is_active=False),
        lambda client, user: User.objects.filter(pk=user.pk).delete(),
        lambda client, user: client.post(reverse("logout")),
        lambda client, user: Session.objects.all().delete(),
        lambda client, user: (user.set_password("another-one-0123"), user.save()),
    ],
    ids=["role", "deactivated", "deleted", "logout", "session", "password"],
)
def test_a_revocation_takes_effect_on_the_next_request(client, people, y2024, revoke):
    client.force_login(people.oiv)
    page = reverse("workflow:workspace", args=["cciaa-bergamo", 2024])
    assert client.get(page).status_code == 200
    assert client.get(page).status_code == 200  # the queries compiled, the pages served
    revoke(client, people.oiv)
    assert client.get(page).status_code in (302, 403, 404)
