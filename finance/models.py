"""Economic resources: the conto economico (preventivo aggiornato vs consuntivo), the
interventi economici, the financial ratios and the holdings. Differences, percentages and
totals are computed from the parts (see :mod:`finance.domain`), never stored."""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from core.models import Cycle
from core.querysets import FrozenAtSubmissionQuerySet  # the locked-year guard

MONEY = {"max_digits": 16, "decimal_places": 2}


class BudgetLine(models.Model):
    class Group(models.TextChoices):
        A = "A", "A) Proventi correnti"
        B = "B", "B) Oneri correnti"
        C = "C", "C) Gestione finanziaria"
        D = "D", "D) Gestione straordinaria"
        E = "E", "E) Rettifiche di valore attività finanziaria"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="budget_lines")
    group = models.CharField("sezione", max_length=1, choices=Group)
    code = models.CharField("voce", max_length=10)
    label = models.CharField("descrizione", max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="voce superiore",
    )
    # A line with sub-lines (7) Funzionamento = a + ... + e) has no figures of its own.
    forecast = models.DecimalField("preventivo aggiornato", null=True, blank=True, **MONEY)
    actual = models.DecimalField("consuntivo", null=True, blank=True, **MONEY)
    order = models.PositiveSmallIntegerField("ordine", default=0)

    objects = FrozenAtSubmissionQuerySet.as_manager()  # frozen from the submission (core)

    class Meta:
        verbose_name = "voce di conto economico"
        verbose_name_plural = "voci di conto economico"
        ordering = ["cycle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="budget_line_unique_code"),
            models.CheckConstraint(
                condition=Q(forecast__isnull=True, actual__isnull=True)
                | Q(forecast__isnull=False, actual__isnull=False),
                name="budget_line_both_figures_or_none",
            ),
        ]

    def __str__(self):
        return f"{self.code}) {self.label}"


class EconomicIntervention(models.Model):
    """A line of the *interventi economici* (iniziative di promozione economica)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="interventions")
    label = models.CharField("linea di intervento", max_length=200)
    forecast = models.DecimalField("previsione", **MONEY)
    actual = models.DecimalField("costi", **MONEY)
    order = models.PositiveSmallIntegerField("ordine", default=0)

    objects = FrozenAtSubmissionQuerySet.as_manager()  # frozen from the submission (core)

    class Meta:
        verbose_name = "intervento economico"
        verbose_name_plural = "interventi economici"
        ordering = ["cycle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "label"], name="intervention_unique_label"),
            models.CheckConstraint(
                condition=Q(forecast__gte=0), name="intervention_forecast_gte_0"
            ),
            models.CheckConstraint(condition=Q(actual__gte=0), name="intervention_actual_gte_0"),
        ]

    def __str__(self):
        return self.label

    @property
    def difference(self) -> Decimal:
        return self.actual - self.forecast


class FinancialRatio(models.Model):
    class Unit(models.TextChoices):
        PERCENT = "percent", "%"
        RATIO = "ratio", "indice"
        EUR = "eur", "€"
        NUMBER = "number", "numero"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="ratios")
    group = models.CharField("gruppo", max_length=120)
    label = models.CharField("indicatore", max_length=250)
    unit = models.CharField("unità", max_length=10, choices=Unit)
    value = models.DecimalField("valore dell'anno", max_digits=16, decimal_places=4)
    previous_value = models.DecimalField(
        "valore dell'anno precedente", max_digits=16, decimal_places=4, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField("ordine", default=0)

    objects = FrozenAtSubmissionQuerySet.as_manager()  # frozen from the submission (core)

    class Meta:
        verbose_name = "indice di bilancio"
        verbose_name_plural = "indici di bilancio"
        ordering = ["cycle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "group", "label"], name="ratio_unique_label")
        ]

    def __str__(self):
        return self.label


class Holding(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="holdings")
    company = models.CharField("società", max_length=200)
    share_capital = models.DecimalField("capitale sociale", **MONEY)
    nominal_value = models.DecimalField("valore nominale della partecipazione", **MONEY)
    order = models.PositiveSmallIntegerField("ordine", default=0)

    objects = FrozenAtSubmissionQuerySet.as_manager()  # frozen from the submission (core)

    class Meta:
        verbose_name = "partecipazione"
        verbose_name_plural = "partecipazioni"
        ordering = ["cycle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "company"], name="holding_unique_company"),
            models.CheckConstraint(condition=Q(share_capital__gt=0), name="holding_capital_gt_0"),
            models.CheckConstraint(
                condition=Q(nominal_value__gte=0) & Q(nominal_value__lte=models.F("share_capital")),
                name="holding_nominal_within_capital",
            ),
        ]

    def __str__(self):
        return self.company

    @property
    def share_pct(self) -> Decimal:
        return self.nominal_value / self.share_capital * 100
