"""The log of the context-and-resources imports, the statistical context tables of section 1.1 and
the figures a source *declared* (totals, percentages) that the app recomputes and checks. The
finance and staff data themselves live in their apps: this app reads and writes them (see
:mod:`resources.services`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import Cycle
from core.querysets import CycleOwnedQuerySet, FrozenAtSubmissionQuerySet  # the locked-year guard

if TYPE_CHECKING:
    from .sheets import SheetDiff


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
        # Imported here: the sheets declare DeclaredFigure's, defined in this module.
        from .sheets import changes_summary

        return changes_summary(self.added, self.changed, self.removed)

    def detail(self) -> list[tuple[str, SheetDiff]]:
        """The recorded changes in the workbook's order of sheets and columns (a JSON object
        keeps no order of its keys on PostgreSQL)."""
        from .sheets import SHEETS, SheetDiff

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


class DeclaredFigure(models.Model):
    """A figure as a source stated it (a total, a difference, a percentage) where the app
    computes the true value from its parts. Kept only to be checked, never shown as the truth."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="declared_figures")
    table = models.CharField("tabella", max_length=60)
    key = models.CharField("chiave", max_length=120)
    label = models.CharField("descrizione", max_length=250)
    value = models.DecimalField("valore", max_digits=20, decimal_places=4, null=True, blank=True)
    text = models.CharField("valore come riportato", max_length=60, blank=True)
    source = models.CharField("fonte", max_length=200, blank=True)

    objects = CycleOwnedQuerySet.as_manager()  # core.locking: locked with the validated year

    class Meta:
        verbose_name = "valore dichiarato"
        verbose_name_plural = "valori dichiarati"
        db_table = "relazione_declaredfigure"  # moved from the app relazione: same table
        constraints = [
            models.UniqueConstraint(fields=["cycle", "table", "key"], name="declared_unique_key")
        ]

    def __str__(self):
        return f"{self.table}/{self.key}: {self.text or self.value}"


class ContextTable(models.Model):
    """A statistical table of the economic context (labour force, firms by sector, ...): data
    the body quotes from ISTAT/Infocamere and does not manage, so a generic grid is enough."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="context_tables")
    key = models.SlugField("codice", max_length=60)
    title = models.CharField("titolo", max_length=250)
    source = models.CharField("fonte", max_length=250, blank=True)
    columns = models.JSONField("colonne", default=list)
    rows = models.JSONField("righe", default=list)
    order = models.PositiveSmallIntegerField("ordine", default=0)
    updated_at = models.DateTimeField("ultima modifica", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="modificato da",
    )
    # Optimistic locking: resources.context_services saves only over the version the page was
    # loaded with, so two planners pasting the same table never overwrite each other.
    version = models.PositiveIntegerField("versione", default=1)

    objects = FrozenAtSubmissionQuerySet.as_manager()  # frozen from the submission (core)

    class Meta:
        verbose_name = "tabella di contesto"
        verbose_name_plural = "tabelle di contesto"
        db_table = "relazione_contexttable"  # moved from the app relazione: same table
        ordering = ["cycle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "key"], name="context_table_unique_key")
        ]

    def __str__(self):
        return self.title
