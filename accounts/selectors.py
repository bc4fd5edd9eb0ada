"""The years a person may see (the public: published years only), for every page."""

from django.db.models import QuerySet
from django.http import Http404

from core.models import Cycle

from .permissions import is_internal


def cycle_list(*, user=None) -> QuerySet[Cycle]:
    """The years a person may see: every year for internal users, published ones otherwise."""
    qs = Cycle.objects.select_related("body").order_by("-year")
    if user is None or not is_internal(user):
        qs = qs.filter(state=Cycle.State.PUBLISHED)
    return qs


def cycle_latest(*, user=None) -> Cycle | None:
    return cycle_list(user=user).first()


def cycle_get(*, year: int, user=None) -> Cycle:
    """A year the person may see; 404 otherwise, so an unpublished year does not even exist."""
    cycle = cycle_list(user=user).filter(year=year).first()
    if cycle is None:
        raise Http404("Anno non disponibile.")
    return cycle


def cycle_years(*, user=None) -> list[int]:
    return list(cycle_list(user=user).values_list("year", flat=True))


# The request attribute holding the cycle of the page, set by year_cycle.
YEAR_CYCLE = "_relazione_year_cycle"


def year_cycle(request, year: int) -> Cycle:
    """The cycle of the page's year as this person may see it (404 otherwise, see cycle_get),
    read once per request and kept for the page's context
    (``relazione.context_processors.year_page``)."""
    cycle = getattr(request, YEAR_CYCLE, None)
    if cycle is None or cycle.year != year:
        cycle = cycle_get(year=year, user=request.user)
        setattr(request, YEAR_CYCLE, cycle)
    return cycle
