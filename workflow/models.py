"""The process records of a performance cycle: the OIV's remarks and checklist, the
justifications of the gaps, validations (with the snapshot of the validated data) and the target
proposals of a plan opened from the previous year. The state log (``core.Transition``) and the
target revisions (``indicators.TargetRevision``) sit below, where the checks read them."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.integrity import IntegrityQuerySet
from core.models import Body, Cycle
from core.querysets import CycleOwnedQuerySet, FrozenAtSubmissionQuerySet
from indicators.models import Indicator
from objectives.models import OperationalObjective, Scorecard, StrategicObjective


class TargetProposal(models.Model):
    """A target copied from the previous year into a new plan: to be confirmed (possibly
    changed) by the planning office before data entry opens."""

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="target_proposal"
    )
    source_indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="indicatore dell'anno precedente",
    )
    proposed_target = models.CharField("risultato atteso proposto", max_length=60, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="confermato da",
    )
    confirmed_at = models.DateTimeField("confermato il", null=True, blank=True)

    objects = CycleOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "risultato atteso proposto"
        verbose_name_plural = "risultati attesi proposti"
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True, confirmed_at__isnull=True)
                | Q(confirmed_by__isnull=False, confirmed_at__isnull=False),
                name="proposal_confirmed_by_and_at",
            )
        ]

    def __str__(self):
        return f"{self.indicator}: {self.proposed_target}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class Remark(models.Model):
    """An OIV remark on an indicator, an objective or a section of the Relazione."""

    class Status(models.TextChoices):
        OPEN = "open", "Aperta"
        CLOSED = "closed", "Chiusa"

    SECTIONS = [
        ("", "—"),
        ("generale", "Relazione nel suo complesso"),
        ("contesto", "1. Contesto"),
        *Scorecard.Section.choices,
        ("risorse", "Risorse economiche"),
        ("personale", "Personale e pari opportunità"),
    ]

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="remarks")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="remarks"
    )
    operational_objective = models.ForeignKey(
        OperationalObjective,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="remarks",
    )
    strategic_objective = models.ForeignKey(
        StrategicObjective,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="remarks",
    )
    section = models.CharField("sezione", max_length=20, choices=SECTIONS, blank=True)
    text = models.TextField("osservazione")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="autore"
    )
    created_at = models.DateTimeField("data", auto_now_add=True)
    status = models.CharField("stato", max_length=10, choices=Status, default=Status.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="chiusa da",
    )
    closed_at = models.DateTimeField("chiusa il", null=True, blank=True)

    objects = IntegrityQuerySet.as_manager()  # integrity: same year as what it remarks on

    class Meta:
        verbose_name = "osservazione dell'OIV"
        verbose_name_plural = "osservazioni dell'OIV"
        ordering = ["cycle", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        indicator__isnull=False,
                        operational_objective__isnull=True,
                        strategic_objective__isnull=True,
                        section="",
                    )
                    | Q(
                        indicator__isnull=True,
                        operational_objective__isnull=False,
                        strategic_objective__isnull=True,
                        section="",
                    )
                    | Q(
                        indicator__isnull=True,
                        operational_objective__isnull=True,
                        strategic_objective__isnull=False,
                        section="",
                    )
                    | (
                        Q(
                            indicator__isnull=True,
                            operational_objective__isnull=True,
                            strategic_objective__isnull=True,
                        )
                        & ~Q(section="")
                    )
                ),
                name="remark_one_subject",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="remark_text_required"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="remark_closed_has_date",
            ),
        ]

    def __str__(self):
        return f"Osservazione su {self.subject_label}"

    @property
    def subject_label(self) -> str:
        if self.indicator_id:
            return f"indicatore «{self.indicator.name}»"
        if self.operational_objective_id:
            return f"obiettivo operativo «{self.operational_objective.name}»"
        if self.strategic_objective_id:
            return f"obiettivo strategico {self.strategic_objective}"
        return f"sezione «{self.get_section_display()}»"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class RemarkReply(models.Model):
    remark = models.ForeignKey(Remark, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="autore"
    )
    text = models.TextField("risposta")
    created_at = models.DateTimeField("data", auto_now_add=True)

    class Meta:
        verbose_name = "risposta a un'osservazione"
        verbose_name_plural = "risposte alle osservazioni"
        ordering = ["remark", "created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="reply_text_required")]

    def __str__(self):
        return f"Risposta di {self.author} ({self.created_at:%d/%m/%Y})"


class ChecklistItem(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="checklist_items")
    text = models.CharField("verifica", max_length=400)
    order = models.PositiveSmallIntegerField("ordine", default=0)
    active = models.BooleanField("in uso", default=True)

    class Meta:
        verbose_name = "voce della lista di verifica dell'OIV"
        verbose_name_plural = "lista di verifica dell'OIV"
        ordering = ["body", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "text"], name="checklist_item_unique_text")
        ]

    def __str__(self):
        return self.text


class ChecklistAnswer(models.Model):
    """The OIV's answer to an item for a year, with the item's text as the OIV answered it: a
    later change of the item's text does not rewrite what was signed for a validated year (and
    an answer given to an older text does not count as given to the new one)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="checklist_answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="answers")
    text = models.CharField("verifica come risposta", max_length=400)
    checked = models.BooleanField("verificato", default=False)
    note = models.TextField("nota", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="utente"
    )
    at = models.DateTimeField("data e ora", auto_now=True)

    objects = CycleOwnedQuerySet.as_manager()  # core.locking: locked with the validated year

    class Meta:
        verbose_name = "risposta alla lista di verifica"
        verbose_name_plural = "risposte alla lista di verifica"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "item"], name="checklist_answer_unique")
        ]

    def __str__(self):
        return f"{self.item}: {'sì' if self.checked else 'no'}"


class GapJustification(models.Model):
    """Why the Relazione goes to the OIV without one of its mandatory parts (a section not
    written, the resources not filled): one recorded reason per missing item, never one for
    all (see :func:`workflow.selectors.submission_gaps`)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="gap_justifications")
    item = models.CharField("elemento mancante", max_length=60)
    text = models.TextField("giustificazione")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="autore"
    )
    created_at = models.DateTimeField("registrata il", auto_now_add=True)

    objects = FrozenAtSubmissionQuerySet.as_manager()  # frozen from the submission (core)

    class Meta:
        verbose_name = "giustificazione di un elemento mancante"
        verbose_name_plural = "giustificazioni degli elementi mancanti"
        ordering = ["cycle", "item"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "item"], name="gap_justification_unique"),
            models.CheckConstraint(condition=~Q(text=""), name="gap_justification_text"),
        ]

    def __str__(self):
        return f"{self.cycle}: {self.item}"


class Validation(models.Model):
    """The OIV's validation of the year, with the canonical snapshot of the validated data."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="validations")
    statement = models.TextField("attestazione")
    date = models.DateField("data della validazione")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="componente OIV",
    )
    created_at = models.DateTimeField("registrata il", auto_now_add=True)
    snapshot_hash = models.CharField("impronta SHA-256", max_length=64)
    # Canonical JSON text (sorted keys, no spaces): stored as text so the bytes hashed are the
    # bytes kept (a JSONB column would re-order the keys).
    snapshot = models.TextField("istantanea dei dati validati")
    voided = models.BooleanField("annullata", default=False)
    voided_at = models.DateTimeField("annullata il", null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="annullata da",
    )
    voided_reason = models.TextField("motivo dell'annullamento", blank=True)

    class Meta:
        verbose_name = "validazione dell'OIV"
        verbose_name_plural = "validazioni dell'OIV"
        ordering = ["cycle", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle"], condition=Q(voided=False), name="validation_one_active"
            ),
            models.CheckConstraint(
                condition=Q(snapshot_hash__regex=r"^[0-9a-f]{64}$"), name="validation_hash_hex"
            ),
            models.CheckConstraint(
                condition=Q(voided=False) | (Q(voided_at__isnull=False) & ~Q(voided_reason="")),
                name="validation_voided_has_reason",
            ),
        ]

    def __str__(self):
        return f"Validazione {self.cycle} del {self.date:%d/%m/%Y}"


def void_validations_unlocked(sender, cycle, at, **kwargs) -> None:
    """A validated year moved out of its locked states outside the workflow (admin, script):
    its validation no longer stands (core.locking.unlocked_outside_workflow)."""
    Validation.objects.filter(cycle=cycle, voided=False).update(
        voided=True,
        voided_at=at,
        voided_reason="Stato del ciclo modificato fuori dal flusso di lavoro.",
    )
