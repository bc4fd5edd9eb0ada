"""What the templates of every page read besides the view's own context.

The year pages (``/<year>/...``) all print the year and the year selector: the view resolves
the cycle with :func:`accounts.selectors.year_cycle` (it needs it anyway, and the order of its
permission checks is its own: 403 before 404 on the internal pages), and :func:`year_page`
hands that same object to the template with the visible years. A context processor rather
than a view decorator: the views render with ``render()``, whose context a decorator cannot
reach, and the cycle lookup stays visible in each view, where the permission order matters."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.selectors import YEAR_CYCLE, cycle_years
from core.middleware import page_body
from core.models import Cycle
from core.selectors import only_body


def _body(request):
    """The page's body, else the installation's only one (the login page of a one-body
    installation still names it); never one of several picked at random."""
    body = page_body(request)
    if body is not None:
        return body
    return only_body()


def site(request):
    """The licence of the open data, the body for the pages outside a year (login, the index):
    read only if such a page prints it, and the cycle's states, for the templates to compare
    with (``edge.target == CYCLE_STATE.VALIDATED``) rather than spell them."""
    return {
        "SITE_LICENSE": settings.RELAZIONE["OPEN_DATA_LICENSE"],
        "site_body": SimpleLazyObject(lambda: _body(request)),
        "CYCLE_STATE": Cycle.State,
    }


def year_page(request):
    """``cycle`` and ``years`` (the year selector) for a page whose view resolved its year.

    Nothing is read here: the cycle is the view's, the years are read only if the template
    prints the selector. A page that failed before resolving its year (a 403 on an internal
    page, a 404 for a year the person may not see) gets neither, as a view without the cycle;
    a view's own ``cycle`` or ``years`` (the public pages) wins over these."""
    cycle = getattr(request, YEAR_CYCLE, None)
    if cycle is None:
        return {}
    years = SimpleLazyObject(lambda: cycle_years(body=cycle.body, user=request.user))
    return {"cycle": cycle, "years": years}
