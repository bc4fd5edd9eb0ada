"""The log of the context-and-resources imports. The data themselves live in the finance and
staff apps: this app only reads and writes them (see :mod:`resources.services`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from relazione.models import Cycle

from .sheets import SHEETS, SheetDiff, changes_summary


class ResourcesImport(models.Model):
    """One applied workbook: who, when, which file, and every row it added, changed (old and
    new value) or removed, as :meth:`resources.sheets.SheetDiff.as_json` writes it."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="resources_imports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="utente",
    )
    at = models.DateTimeField("data e ora", default=timezone.now)
    file_name = models.CharField("nome del file", max_length=255, blank=True)
    sha256 = models.CharField("impronta SHA-256 del file", max_length=64)
    diff = models.JSONField("modifiche", default=dict)
    added = models.PositiveIntegerField("righe aggiunte", default=0)
    changed = models.PositiveIntegerField("righe modificate", default=0)
    removed = models.PositiveIntegerField("righe eliminate", default=0)

    class Meta:
        verbose_name = "importazione di contesto e risorse"
        verbose_name_plural = "importazioni di contesto e risorse"
        ordering = ["cycle", "-at", "-id"]

    def __str__(self):
        return f"{self.cycle} {self.at:%d/%m/%Y %H:%M} ({self.user})"

    @property
    def summary(self) -> str:
        return changes_summary(self.added, self.changed, self.removed)

    def detail(self) -> list[tuple[str, SheetDiff]]:
        """The recorded changes in the workbook's order of sheets and columns (a JSON object
        keeps no order of its keys on PostgreSQL)."""
        result = []
        for spec in SHEETS:
            item = self.diff.get(spec.title)
            if not item:
                continue
            position = {header: i for i, header in enumerate(spec.headers)}

            def ordered(mapping, position=position):
                return sorted(mapping.items(), key=lambda kv: position.get(kv[0], len(position)))

            result.append(
                (
                    spec.title,
                    SheetDiff(
                        added=[(r["key"], ordered(r["values"])) for r in item.get("added", [])],
                        changed=[
                            (r["key"], [(h, old, new) for h, (old, new) in ordered(r["fields"])])
                            for r in item.get("changed", [])
                        ],
                        removed=[(r["key"], ordered(r["values"])) for r in item.get("removed", [])],
                    ),
                )
            )
        return result
