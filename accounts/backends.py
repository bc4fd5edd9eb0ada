"""django-axes in front of the login.

Every web login passes the request, so axes counts failures and locks out. Calls without a
request (``Client.login`` in tests, shell scripts) have no address to lock and are let through
to the next backend instead of failing with an exception.
"""

from axes.backends import AxesStandaloneBackend


class AxesBackend(AxesStandaloneBackend):
    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
