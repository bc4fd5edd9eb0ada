"""Addresses worked out once per process: every page prints the same few dozen in its header
and menu (the stylesheets, the year's pages), and working each out again (``reverse``, the
static files' storage) was a tenth of an empty internal page.

An address depends on the URL patterns, the script prefix and the arguments (a body's code, a
year), all in the key; a static file's on the storage, whose manifest of hashed names is read
once per process anyway. No data is kept: a page the person may not open is still not linked
(the menu asks the permissions on every request), only its address is not worked out again."""

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape


@functools.lru_cache(maxsize=4096)
def _reverse(urlconf: str, prefix: str, name: str, args: tuple[object, ...]) -> str:
    return reverse(name, urlconf=urlconf, args=args)


def url(name: str, *args: object) -> str:
    """``reverse(name, args=args)``, once per process for each name and arguments."""
    return _reverse(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name, args)


@functools.cache
def static_url(path: str) -> str:
    """``{% static path %}`` as the template prints it (escaped), once per process."""
    return conditional_escape(static(path))


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: object) -> None:
    # Tests that change the URLs or the static files' storage; a process serving pages never
    # changes them.
    if setting in {"ROOT_URLCONF", "STATIC_URL", "STATIC_ROOT", "STORAGES", "FORCE_SCRIPT_NAME"}:
        _reverse.cache_clear()
        static_url.cache_clear()


_STAND_IN = 987_654_321  # an integer no address of these pages holds otherwise


def url_filler(name: str, *args: object) -> tuple[str, str]:
    """The escaped address of ``url(name, *args, pk)`` around its last argument, an integer:
    ``head + str(pk) + tail``, worked out once per process with a stand-in number (a page
    linking a hundred rows would otherwise work out a hundred addresses)."""
    head, found, tail = url(name, *args, _STAND_IN).rpartition(str(_STAND_IN))
    if not found:
        raise ValueError(f"{name}: l'indirizzo non contiene l'ultimo argomento.")
    return conditional_escape(head), conditional_escape(tail)
