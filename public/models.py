"""When a year was (re)published: the version that keys the public cache and the date sent as
Last-Modified. Kept up to date by a signal on Cycle (public/signals.py), so whichever path
publishes a year (workflow, admin, demo loader) the public pages and downloads are refreshed."""

from django.db import models
from django.db.models import Q

from core.models import Cycle


class Publication(models.Model):
    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="publication")
    version = models.PositiveIntegerField("versione della pubblicazione", default=1)
    published_at = models.DateTimeField("pubblicata il")

    class Meta:
        verbose_name = "pubblicazione"
        verbose_name_plural = "pubblicazioni"
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="publication_version_gte_1")
        ]

    def __str__(self):
        return f"{self.cycle} v{self.version}"
