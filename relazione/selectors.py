from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Cycle


def cycle_list() -> QuerySet[Cycle]:
    return Cycle.objects.select_related("body").order_by("-year")


def cycle_latest() -> Cycle | None:
    return cycle_list().first()


def cycle_get(*, year: int) -> Cycle:
    return get_object_or_404(cycle_list(), year=year)
