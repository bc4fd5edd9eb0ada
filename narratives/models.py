"""The texts of the Relazione written by the planning office (Markdown), one per section. Below
the consistency checks (the NARR rules read them), the workflow (the snapshot holds them) and
the document (``reports`` prints them)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import Cycle
from core.querysets import FrozenAtSubmissionQuerySet  # the locked-year guard


class NarrativeKey(models.TextChoices):
    """The narrative sections of the Relazione, in the order the document prints them."""

    PREMESSA = "premessa", "Premessa"
    CONTESTO_ECONOMICO = "contesto_economico", "Il quadro economico"
    CONTESTO_ISTITUZIONALE = "contesto_istituzionale", "Il contesto normativo e istituzionale"
    AMMINISTRAZIONE = "amministrazione", "L'amministrazione"
    RISORSE_UMANE = "risorse_umane", "Le risorse umane"
    RISORSE_ECONOMICHE = "risorse_economiche", "Le risorse economiche"
    MAPPA_STRATEGICA = "mappa_strategica", "Mappa strategica"
    OBIETTIVI_COMUNI = "obiettivi_comuni", "Obiettivi comuni di sistema"
    OBIETTIVI_OPERATIVI = "obiettivi_operativi", "Obiettivi operativi"
    BILANCIO_DI_GENERE = "bilancio_di_genere", "Bilancio di genere"
    OBIETTIVI_INDIVIDUALI = "obiettivi_individuali", "Rendicontazione degli obiettivi individuali"
    PROCESSO = "processo", "Il processo di misurazione e valutazione"


class Narrative(models.Model):
    """A narrative section of the Relazione (Markdown, sanitized when rendered)."""

    Key = NarrativeKey

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="narratives")
    key = models.CharField("sezione", max_length=40, choices=NarrativeKey)
    title = models.CharField("titolo", max_length=200)
    body = models.TextField("testo (Markdown)", blank=True)
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
    # Optimistic locking: reports.services.narrative_update saves only over the version the
    # page was loaded with, so two planners on the same section never overwrite each other.
    version = models.PositiveIntegerField("versione", default=1)
    history = HistoricalRecords(
        verbose_name="storico testo della Relazione",
        verbose_name_plural="storico dei testi della Relazione",
        table_name="reports_historicalnarrative",  # moved from reports: same table
    )
    # The user django-simple-history records on the next save (set by the services).
    _history_user: Any

    objects = FrozenAtSubmissionQuerySet.as_manager()  # frozen from the submission (core)

    class Meta:
        verbose_name = "testo della Relazione"
        verbose_name_plural = "testi della Relazione"
        db_table = "reports_narrative"  # moved from the app reports: same table
        ordering = ["cycle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "key"], name="narrative_unique_key"),
            models.CheckConstraint(
                condition=Q(key__in=NarrativeKey.values), name="narrative_key_valid"
            ),
        ]

    def __str__(self):
        return f"{self.cycle} – {self.title}"
