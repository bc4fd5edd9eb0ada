"""The authentication backends: django-axes in front of the login, then Django's model backend.

Every web login passes the request, so axes counts failures and locks out. Calls without a
request (``Client.login`` in tests, shell scripts) have no address to lock and are let through
to the next backend instead of failing with an exception.

The model backend is Django's, the person of a session read by a prepared query: every page of
a logged-in person asks it (the same query as Django's, its SQL compiled once per process,
core.prepared; the row read on every request, so a deactivated person or a changed password
is out on the next one, as before).
"""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import backends, get_user_model

from core.prepared import Prepared

_USER = Prepared(lambda pk: get_user_model()._default_manager.filter(pk=pk)[:1], int)


class AxesBackend(AxesStandaloneBackend):
    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        found = _USER.objects(int(user_id))
        return found[0] if found and self.user_can_authenticate(found[0]) else None
