"""Bump the publication version whenever a year enters or leaves the published state: the
version is part of every public cache key and ETag, so a republication invalidates them all
(in every process, since the version is read from the database with the year)."""

from django.db.models import F
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from core.models import Cycle

from .models import Publication

PUBLISHED = Cycle.State.PUBLISHED.value


@receiver(pre_save, sender=Cycle)
def remember_previous_state(sender, instance, raw=False, **kwargs):
    if raw:
        return
    previous = None
    if instance.pk:
        previous = Cycle.objects.filter(pk=instance.pk).values_list("state", flat=True).first()
    instance._public_previous_state = previous


@receiver(post_save, sender=Cycle)
def bump_publication(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    previous = getattr(instance, "_public_previous_state", None)
    published = Cycle.State.PUBLISHED
    if previous == instance.state or published not in (previous, instance.state):
        return
    publication_bump(instance, now_published=instance.state == published)


def publication_bump(cycle: Cycle, *, now_published: bool) -> None:
    """A new version for the year; the publication date moves only when it is (re)published."""
    now = timezone.now()
    updated = Publication.objects.filter(cycle=cycle).update(
        version=F("version") + 1, **({"published_at": now} if now_published else {})
    )
    if not updated:
        Publication.objects.create(cycle=cycle, version=1, published_at=now)


@receiver(post_save, sender="core.Transition")
def date_publication(sender, instance, created=False, raw=False, **kwargs):
    """The publication date is the date of the publishing transition (not of the moment the
    row was written: the demo loader replays 2023's transitions with their own dates)."""
    if created and not raw and instance.target == PUBLISHED:
        Publication.objects.filter(cycle_id=instance.cycle_id).update(published_at=instance.at)
