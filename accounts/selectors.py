"""The years a person may see (the public: published years only), for every page, always
within one body: the same year of two bodies never meets."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from core.models import Body, Cycle
from core.prepared import Prepared

from .permissions import body_ids_of, can_view_cycle, is_internal


def request_body(request) -> Body:
    """The body of the page (``core.middleware``): a page outside a body has none, and a view
    that needs one is a 404 there rather than a guess."""
    body = getattr(request, "current_body", None)
    if body is None:
        raise Http404("Ente non indicato.")
    return body


def body_list(*, user=None) -> list[Body]:
    """The bodies a person may open: those they work for (every body for a superuser), and
    those with a published year. One query."""
    own = body_ids_of(user) if user is not None else set()
    if own is None:
        return list(Body.objects.order_by("name"))
    published = Exists(Cycle.objects.filter(body=OuterRef("pk"), state=Cycle.State.PUBLISHED))
    return list(Body.objects.filter(Q(pk__in=own) | Q(published)).order_by("name"))


def cycle_list(*, body: Body, user=None) -> QuerySet[Cycle]:
    """The years of ``body`` a person may see: every year for internal users, published ones
    otherwise."""
    qs = Cycle.objects.filter(body=body).select_related("body").order_by("-year")
    if user is None or not is_internal(user, body):
        qs = qs.filter(state=Cycle.State.PUBLISHED)
    return qs


def cycle_latest(*, body: Body, user=None) -> Cycle | None:
    return cycle_list(body=body, user=user).first()


# Every year page asks these (core.prepared: the SQL compiled once, the rows read each time).
_CYCLE = Prepared(
    lambda slug, year: (
        Cycle.objects.select_related("body").filter(body__slug=slug, year=year).order_by("pk")[:1]
    ),
    str,
    int,
)
_YEARS = Prepared(
    lambda body_id: Cycle.objects.filter(body_id=body_id).order_by("-year").values_list("year"),
    int,
)
_PUBLISHED_YEARS = Prepared(
    lambda body_id: (
        Cycle.objects.filter(body_id=body_id, state=Cycle.State.PUBLISHED)
        .order_by("-year")
        .values_list("year")
    ),
    int,
)


def cycle_get(*, body_slug: str, year: int, user=None) -> Cycle:
    """The year of the body with this code, with its body, as the person may see it: one query
    (the body joined by its code, not read apart), then the person's roles in that very body.
    404 for an unknown body, a year it does not have, or one the person may not see (every year
    for the body's people, the published ones otherwise): an unpublished year does not even
    exist, and another body's year is never found."""
    found = _CYCLE.objects(body_slug, year)
    cycle = found[0] if found else None
    if cycle is None or not can_view_cycle(user, cycle):
        raise Http404("Anno non disponibile.")
    return cycle


def cycle_years(*, body: Body, user=None) -> list[int]:
    """The years of :func:`cycle_list`, latest first (the year selector of every page)."""
    years = _YEARS if user is not None and is_internal(user, body) else _PUBLISHED_YEARS
    return [year for (year,) in years.rows(body.pk)]


# The request attribute holding the cycle of the page, set by year_cycle.
YEAR_CYCLE = "_relazione_year_cycle"


def request_cycle(request, year: int) -> Cycle:
    """The cycle of the page's body (its code in the address) and year, as this person may see
    it (see cycle_get). The body comes with the cycle, and becomes ``request.current_body``:
    the middleware's lazy lookup of the body is never run on such a page."""
    slug = getattr(request, "current_body_slug", None)
    if slug is None:
        raise Http404("Ente non indicato.")
    cycle = cycle_get(body_slug=slug, year=year, user=request.user)
    request.current_body = cycle.body
    return cycle


def year_cycle(request, year: int) -> Cycle:
    """:func:`request_cycle`, read once per request and kept for the page's context
    (``relazione.context_processors.year_page``)."""
    cycle = getattr(request, YEAR_CYCLE, None)
    if (
        cycle is None
        or cycle.year != year
        or cycle.body.slug != getattr(request, "current_body_slug", None)
    ):
        cycle = request_cycle(request, year)
        setattr(request, YEAR_CYCLE, cycle)
    return cycle
