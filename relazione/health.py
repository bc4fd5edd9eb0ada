"""``/healthz``: is this process able to serve? The database answers a query and the cache
keeps a value. 200 with ``{"status": "ok", ...}``, 503 naming the part that failed.

Served by a middleware placed first, not by the URLconf: the container's HEALTHCHECK calls it on
plain HTTP at 127.0.0.1, a host that ALLOWED_HOSTS need not list and a scheme that
SECURE_SSL_REDIRECT would redirect; it also touches no session and no user."""

import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

PATH = "/healthz"
logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not answer 1")


def _cache() -> None:
    key, value = "healthz", secrets.token_hex(8)
    cache.set(key, value, timeout=30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not keep a value")


CHECKS = {"database": _database, "cache": _cache}


def healthz(request) -> JsonResponse:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("healthz: %s non raggiungibile", name)
            results[name] = "errore"
        else:
            results[name] = "ok"
    healthy = all(result == "ok" for result in results.values())
    response = JsonResponse({"status": "ok" if healthy else "errore", **results})
    response.status_code = 200 if healthy else 503
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH and request.method in {"GET", "HEAD"}:
            return healthz(request)
        return self.get_response(request)
