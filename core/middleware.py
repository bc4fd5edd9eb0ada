"""The body a page belongs to, from the head of its address.

Every page of a body lives under its code (``/<ente>/2023/…``, ``/trasparenza/<ente>/2023/…``):
the URL patterns capture it as ``ente`` and this middleware turns it into
``request.current_body`` before the view runs, so the views keep their signatures and every
lookup below them filters by that body (:func:`accounts.selectors.year_cycle`). An unknown
code is a 404, never another body's page. ``request.body`` is Django's raw request body,
hence the name."""

from django.http import Http404
from django.utils.functional import SimpleLazyObject

from .models import Body

BODY_KWARG = "ente"


class CurrentBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.current_body = None
        request.current_body_slug = None
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.pop(BODY_KWARG, None)
        if slug is None:
            return None
        # Read when first used: a cached public page answers from the slug alone.
        request.current_body_slug = slug
        request.current_body = SimpleLazyObject(lambda: body_get(slug))
        return None


def body_get(slug: str) -> Body:
    body = Body.objects.filter(slug=slug).first()
    if body is None:
        raise Http404("Ente non trovato.")
    return body


def page_body(request) -> Body | None:
    """The page's body for what only prints it (the header, the menu), ``None`` outside a body
    and for an unknown code: the 404 page of ``/ente-inesistente/…`` reads it too, and must not
    raise the 404 again while rendering it (a 500)."""
    body = getattr(request, "current_body", None)
    if body is None:
        return None
    try:
        body.pk  # noqa: B018 - reads the lazy body: an unknown code raises here
    except Http404:
        return None
    return body
