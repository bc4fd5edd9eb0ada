"""People: headcount by category x gender x contract against the dotazione organica, the
gender tables of two years, absences, parental leave, smart working. A separate app because
these are HR figures with their own privacy and publication rules, not plan or budget data."""

from django.db import models
from django.db.models import Q

from core.models import Cycle
from core.querysets import FrozenAtSubmissionQuerySet  # the locked-year guard


class Gender(models.TextChoices):
    WOMEN = "F", "Donne"
    MEN = "M", "Uomini"


class StaffCategory(models.Model):
    """An *area di inquadramento* (CCNL Funzioni locali): Dirigenti, Funzionari ed EQ, ..."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="staff_categories")
    name = models.CharField("area di inquadramento", max_length=120)
    establishment = models.PositiveIntegerField("dotazione organica", null=True, blank=True)
    establishment_note = models.CharField("nota alla dotazione", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("ordine", default=0)

    objects = FrozenAtSubmissionQuerySet.as_manager()  # frozen from the submission (core)

    class Meta:
        verbose_name = "area di inquadramento"
        verbose_name_plural = "aree di inquadramento"
        ordering = ["cycle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="staff_category_unique_name")
        ]

    def __str__(self):
        return self.name


class Headcount(models.Model):
    """Staff in service at 31 December of ``year`` (the cycle's year or the one before)."""

    class Contract(models.TextChoices):
        FULL_TIME = "full", "Tempo pieno"
        PART_TIME = "part", "Tempo parziale"
        ANY = "any", "Tutti (dettaglio non disponibile)"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="headcounts")
    year = models.PositiveSmallIntegerField("anno")
    category = models.ForeignKey(StaffCategory, on_delete=models.CASCADE, related_name="headcounts")
    gender = models.CharField("genere", max_length=1, choices=Gender)
    contract = models.CharField("contratto", max_length=4, choices=Contract)
    count = models.PositiveIntegerField("dipendenti")

    objects = FrozenAtSubmissionQuerySet.as_manager()  # frozen from the submission (core)

    class Meta:
        verbose_name = "consistenza del personale"
        verbose_name_plural = "consistenze del personale"
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "year", "category", "gender", "contract"],
                name="headcount_unique_cell",
            ),
            models.CheckConstraint(condition=Q(count__gte=0), name="headcount_count_gte_0"),
        ]

    def __str__(self):
        gender, contract = self.get_gender_display(), self.get_contract_display()
        return f"{self.year} {self.category} {gender} {contract}: {self.count}"


class PartTimeCount(models.Model):
    """Part-time staff by gender as the gender tables give it (also for the year before, for
    which the split by category is not available)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="part_time_counts")
    year = models.PositiveSmallIntegerField("anno")
    gender = models.CharField("genere", max_length=1, choices=Gender)
    count = models.PositiveIntegerField("dipendenti a tempo parziale")

    objects = FrozenAtSubmissionQuerySet.as_manager()  # frozen from the submission (core)

    class Meta:
        verbose_name = "personale a tempo parziale"
        verbose_name_plural = "personale a tempo parziale"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "year", "gender"], name="part_time_unique")
        ]

    def __str__(self):
        return f"{self.year} {self.get_gender_display()}: {self.count}"


class WorkforceSummary(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="workforce")
    year = models.PositiveSmallIntegerField("anno")
    fte = models.DecimalField("FTE (full time equivalent)", max_digits=8, decimal_places=2)

    objects = FrozenAtSubmissionQuerySet.as_manager()  # frozen from the submission (core)

    class Meta:
        verbose_name = "indice FTE"
        verbose_name_plural = "indici FTE"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "year"], name="workforce_unique_year"),
            models.CheckConstraint(condition=Q(fte__gte=0), name="workforce_fte_gte_0"),
        ]

    def __str__(self):
        return f"FTE {self.year}: {self.fte}"


class Absence(models.Model):
    class Cause(models.TextChoices):
        SICKNESS = "sickness", "Malattia"
        INJURY = "injury", "Infortunio"
        PARENTAL = "parental", "Congedo parentale"
        OTHER = "other", "Altre cause"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="absences")
    year = models.PositiveSmallIntegerField("anno")
    cause = models.CharField("causa", max_length=10, choices=Cause)
    days = models.PositiveIntegerField("giorni")

    objects = FrozenAtSubmissionQuerySet.as_manager()  # frozen from the submission (core)

    class Meta:
        verbose_name = "giorni di assenza"
        verbose_name_plural = "giorni di assenza"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "year", "cause"], name="absence_unique")
        ]

    def __str__(self):
        return f"{self.year} {self.get_cause_display()}: {self.days}"


class ParentalLeave(models.Model):
    class LeaveType(models.TextChoices):
        PAID_100 = "paid_100", "Congedo retribuito 100%"
        PAID_30 = "paid_30", "Congedo retribuito 30%"
        UNPAID = "unpaid", "Congedo non retribuito"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="parental_leaves")
    year = models.PositiveSmallIntegerField("anno")
    leave_type = models.CharField("tipo di congedo", max_length=10, choices=LeaveType)
    gender = models.CharField("genere", max_length=1, choices=Gender)
    days = models.PositiveIntegerField("giorni")

    objects = FrozenAtSubmissionQuerySet.as_manager()  # frozen from the submission (core)

    class Meta:
        verbose_name = "congedo parentale"
        verbose_name_plural = "congedi parentali"
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "year", "leave_type", "gender"], name="parental_leave_unique"
            )
        ]

    def __str__(self):
        leave, gender = self.get_leave_type_display(), self.get_gender_display()
        return f"{self.year} {leave} {gender}: {self.days}"


class SmartWorking(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="smart_working")
    year = models.PositiveSmallIntegerField("anno")
    employees = models.PositiveIntegerField("dipendenti che hanno svolto lavoro agile")
    days_total = models.PositiveIntegerField("giornate complessive in lavoro agile")
    days_per_week = models.DecimalField(
        "giornate medie a settimana per dipendente", max_digits=4, decimal_places=2
    )
    employees_at_year_end = models.PositiveIntegerField("dipendenti in lavoro agile al 31/12")

    objects = FrozenAtSubmissionQuerySet.as_manager()  # frozen from the submission (core)

    class Meta:
        verbose_name = "lavoro agile"
        verbose_name_plural = "lavoro agile"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "year"], name="smart_working_unique_year")
        ]

    def __str__(self):
        return f"Lavoro agile {self.year}"
