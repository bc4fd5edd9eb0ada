"""The Relazione as a document: the narrative sections written by the planning office, the
generated PDF/A of a year and the jobs that generate it off the request path."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from relazione.models import Cycle
from workflow.querysets import CycleOwnedQuerySet  # the locked-year guard


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
    )

    objects = CycleOwnedQuerySet.as_manager()  # workflow: locked years

    class Meta:
        verbose_name = "testo della Relazione"
        verbose_name_plural = "testi della Relazione"
        ordering = ["cycle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "key"], name="narrative_unique_key"),
            models.CheckConstraint(
                condition=Q(key__in=NarrativeKey.values), name="narrative_key_valid"
            ),
        ]

    def __str__(self):
        return f"{self.cycle} – {self.title}"


def _pdf_path(instance, filename):
    return f"relazione/{instance.cycle.year}/{filename}"


class RelazionePdf(models.Model):
    """The PDF of a year: regenerated while the year is a draft, generated once and then served
    as is when the year is validated (its SHA-256 lets anyone check the copy)."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="pdf")
    file = models.FileField("file PDF", upload_to=_pdf_path)
    sha256 = models.CharField("impronta SHA-256", max_length=64)
    pages = models.PositiveIntegerField("pagine")
    size = models.PositiveIntegerField("dimensione (byte)")
    is_draft = models.BooleanField("bozza", default=True)
    generated_at = models.DateTimeField("generato il")

    class Meta:
        verbose_name = "Relazione in PDF"
        verbose_name_plural = "Relazioni in PDF"
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="pdf_sha256")
        ]

    def __str__(self):
        return f"Relazione {self.cycle} ({self.sha256[:12]})"


class PdfJob(models.Model):
    """A request to generate the PDF, processed by ``manage.py pdf_worker`` (or inline in tests)."""

    class State(models.TextChoices):
        QUEUED = "queued", "In coda"
        RUNNING = "running", "In elaborazione"
        DONE = "done", "Completato"
        FAILED = "failed", "Non riuscito"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="pdf_jobs")
    state = models.CharField("stato", max_length=10, choices=State, default=State.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="richiesto da",
    )
    created_at = models.DateTimeField("richiesto il", auto_now_add=True)
    started_at = models.DateTimeField("avviato il", null=True, blank=True)
    finished_at = models.DateTimeField("concluso il", null=True, blank=True)
    message = models.TextField("esito", blank=True)
    pages = models.PositiveIntegerField("pagine", null=True, blank=True)

    class Meta:
        verbose_name = "generazione del PDF"
        verbose_name_plural = "generazioni del PDF"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"], name="pdfjob_state_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed"]),
                name="pdfjob_state_valid",
            ),
            # At most one job per year waiting or running: a second click reuses it.
            models.UniqueConstraint(
                fields=["cycle"],
                condition=Q(state__in=["queued", "running"]),
                name="pdfjob_one_active_per_cycle",
            ),
        ]

    def __str__(self):
        return f"PDF {self.cycle} – {self.get_state_display()}"

    @property
    def is_active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
