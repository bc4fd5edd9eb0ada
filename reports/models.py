"""The Relazione as a document: the generated PDF/A of a year and the requests to generate it
(run by the task queue). Its texts are ``narratives.Narrative``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.integrity import IntegrityQuerySet
from core.models import Cycle


def _pdf_path(instance, filename):
    # Per body: two bodies' years never share a folder (files stored before keep their path).
    return f"relazione/{instance.cycle.body.slug}/{instance.cycle.year}/{filename}"


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


class PdfRequest(models.Model):
    """Someone asked for the year's PDF: the request links the cycle and the person to the task
    that renders it (``task_id``, a result of Django's tasks framework, whose backend holds the
    real status while queued or running). The task writes the outcome here when it ends, so the
    page can still tell it once the queue's finished results are pruned."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="pdf_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="richiesto da",
    )
    requested_at = models.DateTimeField("richiesto il", default=timezone.now)
    # Empty until the queue accepted the task (just after the commit), and for the requests
    # carried over from the old in-house queue.
    task_id = models.CharField("lavoro in coda", max_length=64, blank=True)
    retry_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="retries",
        verbose_name="nuovo tentativo di",
    )
    finished_at = models.DateTimeField("concluso il", null=True, blank=True)
    pages = models.PositiveIntegerField("pagine", null=True, blank=True)
    error = models.TextField("errore", blank=True)

    objects = IntegrityQuerySet.as_manager()  # core.integrity: a retry of the same year

    class Meta:
        verbose_name = "richiesta del PDF"
        verbose_name_plural = "richieste del PDF"
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["cycle", "-requested_at"], name="pdfrequest_cycle_latest")]
        constraints = [
            # A request ends either with pages or with an error, never both.
            models.CheckConstraint(
                condition=Q(pages__isnull=True) | Q(error=""), name="pdfrequest_outcome_one"
            ),
        ]

    def __str__(self):
        return f"PDF {self.cycle} richiesto il {self.requested_at:%d/%m/%Y %H:%M}"
