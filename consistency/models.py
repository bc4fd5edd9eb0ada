"""The planning office's justifications of consistency findings.

Findings are computed on the fly (never stored): a justification is attached to a finding's
stable key (rule + object identity), so it survives every re-run while the finding exists."""

from django.conf import settings
from django.db import models

from core.models import Cycle
from core.querysets import CycleOwnedQuerySet  # the locked-year guard


class FindingJustification(models.Model):
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="finding_justifications"
    )
    rule = models.CharField("controllo", max_length=20)
    object_key = models.CharField("oggetto", max_length=255)
    text = models.TextField("giustificazione")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inserita da",
    )
    created_at = models.DateTimeField("inserita il", auto_now_add=True)

    objects = CycleOwnedQuerySet.as_manager()  # core.locking: locked with the validated year

    class Meta:
        verbose_name = "giustificazione di un rilievo"
        verbose_name_plural = "giustificazioni dei rilievi"
        ordering = ["cycle", "rule", "object_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "rule", "object_key"], name="justification_unique_finding"
            )
        ]

    def __str__(self):
        return f"{self.rule}:{self.object_key}"

    @property
    def key(self) -> str:
        return f"{self.rule}:{self.object_key}"
