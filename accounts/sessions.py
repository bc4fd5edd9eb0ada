"""The database sessions of Django, the session's row read by a prepared query.

Every page of a logged-in person reads its session first: the same query as Django's
(``session_key`` and ``expire_date`` later than now), its SQL compiled once per process
(core.prepared), the row read on every request as before. Logout, expiry and the flush of a
revoked session take effect on the next request exactly as with Django's store: nothing is kept
between requests (a ``cached_db`` store would keep the session in a per-process memory, where
a logout served by another worker does not reach it). Writes are Django's."""

import datetime as dt

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.prepared import Prepared

_SESSION = Prepared(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now)[:1],
    str,
    dt.datetime,
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        found = _SESSION.objects(self.session_key, timezone.now())
        if not found:
            self._session_key = None
            return None
        return found[0]
