from django.conf import settings
from django.utils.functional import SimpleLazyObject


def _body():
    from core.models import Body

    return Body.objects.order_by("id").first()


def site(request):
    """The licence of the open data, and the body for the pages outside a year (login, the
    index): read only if such a page prints it."""
    return {
        "SITE_LICENSE": settings.RELAZIONE["OPEN_DATA_LICENSE"],
        "site_body": SimpleLazyObject(_body),
    }
