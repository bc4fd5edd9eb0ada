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
