"""Caching of the public pages and downloads, per year and publication version.

Every public view of a year goes through :func:`published_view`: one small query reads the
published year's publication version and date (404 for any other state); the ETag and
Last-Modified derive from them (a conditional GET answers 304 without rendering), and the body
is served from Django's cache under a key holding year, version and full path. A
(re)publication bumps the version (public/signals.py), so stale entries are never read again
and simply expire."""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

from .selectors import published_cycle_get, published_installation, published_version_get

CACHED_HEADERS = ("Content-Type", "Content-Disposition")


def cache_timeout() -> int:
    return int(settings.RELAZIONE.get("PUBLIC_CACHE_SECONDS", 24 * 3600))


def _published(request, year):
    """Year, publication version and date, looked up once per request (the ETag, the
    Last-Modified and the cache key all need them); 404 unless the year is published."""
    slug = request.current_body_slug
    cached = getattr(request, "_public_version", None)
    if cached is None or cached.year != year or cached.body_slug != slug:
        cached = published_version_get(body_slug=slug, year=year)
        request._public_version = cached
    return cached


def _digest(request, published) -> str:
    raw = f"{published.body_slug}|{published.year}|{published.token}|{request.get_full_path()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _etag(request, year, **kwargs):
    return _digest(request, _published(request, year))


def _last_modified(request, year, **kwargs):
    return _published(request, year).published_at


def published_view(view):
    """Wrap ``view(request, cycle, **kwargs)`` as a public, cached, conditional view of a year.
    The request is made anonymous first: a public page is the same for everybody (no user name,
    no editing control, nothing internal), which is also what makes it cacheable."""

    @wraps(view)
    def cached_view(request, year, **kwargs):
        published = _published(request, year)
        key = f"public:{published.body_slug}:{year}:{published.token}:{_digest(request, published)}"
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
        else:
            cycle = published_cycle_get(body_slug=published.body_slug, year=year)
            response = view(request, cycle, **kwargs)
            if response.status_code == 200 and not response.streaming:
                headers = {h: response[h] for h in CACHED_HEADERS if h in response}
                cache.set(key, (response.content, headers), cache_timeout())
        patch_cache_control(response, public=True, max_age=300)
        return response

    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(cached_view)

    @wraps(view)
    def public_view(request, year, **kwargs):
        request.user = AnonymousUser()
        return conditional(request, year, **kwargs)

    return public_view


def _installation(request):
    """Every published year of the installation, read once per request (the ETag, the
    Last-Modified and the cache key of a page across bodies all need it)."""
    cached = getattr(request, "_public_installation", None)
    if cached is None:
        cached = request._public_installation = published_installation()
    return cached


def _installation_digest(request, published) -> str:
    raw = f"{published!r}|{request.get_full_path()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _installation_etag(request, **kwargs):
    return _installation_digest(request, _installation(request))


def _installation_last_modified(request, **kwargs):
    dates = [row.published_at for row in _installation(request) if row.published_at]
    return max(dates, default=None)


def installation_view(view=None, *, check=None):
    """Wrap ``view(request, published, **kwargs)`` as a public, cached, conditional page
    across the bodies of the installation (the comparisons): what it shows depends on every
    published year, so one query reads them all (body, kind and names, year, publication
    version and date) and keys the cache, the ETag and the Last-Modified; any (re)publication,
    withdrawal or new name changes the key. ``published`` is that list, for the view to check
    a body without another query. ``check(request, published)`` answers (a 404) for a page
    that does not exist, before any conditional answer: a 404 is never a 304.
    """
    if view is None:
        return lambda v: installation_view(v, check=check)

    @wraps(view)
    def cached_view(request, **kwargs):
        published = _installation(request)
        key = f"public:installation:{_installation_digest(request, published)}"
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
        else:
            response = view(request, published, **kwargs)
            if response.status_code == 200 and not response.streaming:
                headers = {h: response[h] for h in CACHED_HEADERS if h in response}
                cache.set(key, (response.content, headers), cache_timeout())
        patch_cache_control(response, public=True, max_age=300)
        return response

    conditional = condition(
        etag_func=_installation_etag, last_modified_func=_installation_last_modified
    )(cached_view)

    @wraps(view)
    def public_view(request, **kwargs):
        request.user = AnonymousUser()
        refused = check(request, _installation(request)) if check is not None else None
        return refused or conditional(request, **kwargs)

    return public_view
