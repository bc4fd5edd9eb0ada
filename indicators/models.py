"""Indicators, the Unioncamere common objectives and the rows of the cruscotti.

Targets and actuals are stored as the canonical Italian text the body writes (``30/06/2023``,
``85,60%``, ``<30``, ``SI``, ``NV``): that keeps each figure exactly as entered, with its
precision, and lets an import carry an ill-typed value that the consistency checks then flag
instead of silently dropping it. The typed meaning is parsed by :mod:`indicators.domain`.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.measurement import MeasurementRules
from core.models import Cycle
from core.querysets import CycleOwnedQuerySet  # the locked-year guard
from core.selectors import measurement_rules
from lib.codes import CODE_HELP, CODE_MAX_LENGTH, CODE_REGEX
from objectives.models import OperationalObjective, Scorecard, weight_constraint, weight_field

from . import domain
from .targets import ParsedFigures


class CommonGroup(models.Model):
    """A group of the *obiettivi comuni di sistema* (section 2.3), e.g. the digital transition."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="common_groups")
    name = models.CharField("gruppo", max_length=200)
    order = models.PositiveSmallIntegerField("ordine", default=0)

    objects = CycleOwnedQuerySet.as_manager()  # core.locking: locked with the validated year

    class Meta:
        verbose_name = "gruppo di obiettivi comuni"
        verbose_name_plural = "gruppi di obiettivi comuni"
        ordering = ["cycle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="common_group_unique_name")
        ]

    def __str__(self):
        return self.name


# What a stored figure is computed from: a write of any of them rewrites the figures.
FIGURE_SOURCES = frozenset({"kind", "direction", "target", "actual", "threshold_rule"})
FIGURE_FIELDS = ("realization", "status")


def _with_figures(fields) -> list[str]:
    fields = list(fields)
    if FIGURE_SOURCES.intersection(fields):
        fields += [name for name in FIGURE_FIELDS if name not in fields]
    return fields


class IndicatorQuerySet(CycleOwnedQuerySet):
    """The bulk paths skip ``save()``: they compute the stored figures here, so every write of
    a target, actual, kind or direction leaves them right (``Indicator.figures_refresh``)."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.figures_refresh()
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        fields = _with_figures(fields)
        if FIGURE_SOURCES.intersection(fields):
            for obj in objs:
                obj.figures_refresh()
        return super().bulk_update(objs, fields, *args, **kwargs)

    bulk_update.alters_data = True

    def update(self, **kwargs):
        if not FIGURE_SOURCES.intersection(kwargs):
            return super().update(**kwargs)
        ids = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        changed = [
            ind
            for ind in self.model._base_manager.filter(pk__in=ids).select_related("cycle")
            if ind.figures_refresh()
        ]
        self.model._base_manager.bulk_update(changed, list(FIGURE_FIELDS), batch_size=500)
        return count

    update.alters_data = True


class Indicator(ParsedFigures, models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="indicators")
    operational_objective = models.ForeignKey(
        OperationalObjective,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="obiettivo operativo",
    )
    common_group = models.ForeignKey(
        CommonGroup,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="gruppo obiettivi comuni",
    )
    name = models.CharField("indicatore", max_length=500)
    # The code of the shared indicator of the Unioncamere common objectives (section 2.3) the
    # row measures: the key of the comparison across bodies (public.benchmark), steadier than
    # a name each body may word its own way. Blank: not a shared indicator, or not coded.
    common_code = models.CharField(
        "codice obiettivo comune",
        max_length=CODE_MAX_LENGTH,
        blank=True,
        validators=[RegexValidator(CODE_REGEX, f"Codice non valido: {CODE_HELP}.")],
        help_text="Il codice dell'indicatore comune del sistema camerale (es. OC1.1), lo stesso "
        "per ogni ente: confronta l'indicatore tra gli enti. Vuoto: per nome.",
    )
    algorithm = models.TextField("algoritmo di calcolo", blank=True)
    kind = models.CharField("tipo", max_length=20, choices=list(domain.KIND_LABELS.items()))
    direction = models.CharField(
        "polarità",
        max_length=20,
        choices=list(domain.DIRECTION_LABELS.items()),
        default=domain.Direction.HIGHER,
    )
    target = models.CharField("risultato atteso", max_length=60, blank=True)
    actual = models.CharField("valore ottenuto", max_length=60, blank=True)
    # The triennial plan: the target above is year N's (the year of the cycle); the plan also
    # sets N+1 and N+2, which the next year's plan takes as its own (workflow.services). Stored
    # as the canonical text of the same parser as ``target``.
    target_n1 = models.CharField("risultato atteso N+1", max_length=60, blank=True)
    target_n2 = models.CharField("risultato atteso N+2", max_length=60, blank=True)
    # The value the indicator starts from (the Portale della Performance's *baseline*): a
    # figure of a past year, as written, with the year it refers to.
    baseline = models.CharField("valore di partenza (baseline)", max_length=60, blank=True)
    baseline_year = models.PositiveSmallIntegerField(
        "anno del valore di partenza",
        null=True,
        blank=True,
        help_text="Vuoto con un valore di partenza: l'anno precedente.",
    )
    weight = weight_field(
        "Peso dell'indicatore nel suo obiettivo (e nei cruscotti che non ne danno un altro)."
    )
    threshold_rule = models.CharField(
        "regola della soglia",
        max_length=20,
        blank=True,
        choices=[(rule.value, label) for rule, label in domain.THRESHOLD_RULE_LABELS.items()],
        help_text="Vuota: quella del metodo di valutazione dell'ente nell'anno.",
    )
    unit_of_measure = models.CharField("unità di misura", max_length=40, blank=True)
    data_source = models.CharField("fonte dei dati", max_length=200, blank=True)
    notes = models.TextField("note", blank=True)
    explanation = models.TextField(
        "motivazione dello scostamento",
        blank=True,
        help_text="Obbligatoria quando l'indicatore è sotto il risultato atteso.",
    )
    # Computed, never entered: the % realization and band by the year's rules
    # (indicators.domain.stored_figures), written with every change of what they are computed
    # from, so lists sort and filter on them in the database. ``rebuild_figures`` recomputes
    # them; the consistency rule FIG-001 reports a stored figure that differs.
    realization = models.DecimalField(
        "% di realizzazione", max_digits=5, decimal_places=2, null=True, editable=False
    )
    status = models.CharField(
        "esito",
        max_length=20,
        choices=[(band.value, label) for band, label in domain.BAND_LABELS.items()],
        default=domain.Band.NV.value,
        editable=False,
    )
    # Bumped on every write: a save from a stale page is refused instead of overwriting.
    version = models.PositiveIntegerField("versione", default=1)
    order = models.PositiveIntegerField("ordine", default=0)
    # Who changed what and when (old and new values): written by the services.
    history = HistoricalRecords(
        excluded_fields=["order", *FIGURE_FIELDS], verbose_name="storico indicatore"
    )
    # The user django-simple-history records on the next save (set by the services).
    _history_user: Any

    objects = IndicatorQuerySet.as_manager()  # core.locking: the validated year; stored figures

    class Meta:
        verbose_name = "indicatore"
        verbose_name_plural = "indicatori"
        ordering = ["cycle", "order", "id"]
        indexes = [
            # A year's indicators in their order, a page at a time (the OIV workspace, the
            # lists, the open data): read in index order, no sort of the whole year.
            models.Index(fields=["cycle", "order", "id"], name="indicator_cycle_order"),
            # The same by the stored % realization, lowest first and the not valued last (the
            # OIV workspace sorted): a page read in index order instead of a sort of the whole
            # year (SQLite reads it twice, the valued rows then the NULL ones). Descending: the
            # raw index indicator_cycle_realization_desc of migrations 0012 and 0013.
            models.Index(
                fields=["cycle", "realization", "order", "id"], name="indicator_cycle_realization"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(operational_objective__isnull=False, common_group__isnull=True)
                    | Q(operational_objective__isnull=True, common_group__isnull=False)
                ),
                name="indicator_one_parent",
            ),
            weight_constraint("indicator"),
            models.CheckConstraint(
                condition=Q(common_code="") | Q(common_code__regex=CODE_REGEX),
                name="indicator_common_code_format",
            ),
            models.CheckConstraint(
                condition=Q(
                    threshold_rule__in=["", *(r.value for r in domain.THRESHOLD_RULE_LABELS)]
                ),
                name="indicator_threshold_rule_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in domain.Kind]), name="indicator_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=[d.value for d in domain.Direction]),
                name="indicator_direction_valid",
            ),
            # A year without a value says nothing: the baseline's year comes with its value.
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True) | ~Q(baseline=""),
                name="indicator_baseline_year_has_value",
                violation_error_message="L'anno del valore di partenza va con il suo valore.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or FIGURE_SOURCES.intersection(update_fields):
            self.figures_refresh()
        if update_fields is not None:
            kwargs["update_fields"] = _with_figures(update_fields)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        year = self.cycle.year if self.cycle_id else None
        if year is not None and self.baseline_year is not None and self.baseline_year >= year:
            raise ValidationError(
                {
                    "baseline_year": f"Il valore di partenza è di un anno precedente il {year}: "
                    f"indicare un anno fino al {year - 1}."
                }
            )
        if self.baseline_year is not None and not self.baseline:
            raise ValidationError(
                {"baseline_year": "Indicare anche il valore di partenza, o lasciare vuoto l'anno."}
            )

    def figures_refresh(self, rules: MeasurementRules | None = None) -> bool:
        """Set the stored % realization and band from the current values (no write); True when
        they changed. ``rules``: the year's (default: read from ``self.cycle``)."""
        figures = domain.stored_figures(
            self.kind,
            self.direction,
            self.target,
            self.actual,
            rules if rules is not None else measurement_rules(self.cycle),
            self.threshold_rule,
        )
        changed = (self.realization, self.status) != figures
        self.realization, self.status = figures
        return changed

    def compute_realization(self, missed_deadline_pct: Decimal = Decimal(0)) -> Decimal | None:
        return domain.realization(
            self.kind,
            self.direction,
            self.target_value,
            self.actual_value,
            missed_deadline_pct=missed_deadline_pct,
        )


class ScorecardRow(models.Model):
    """One printed row: an indicator as it appears in one cruscotto of the Relazione. The same
    indicator printed in three cruscotti is one Indicator with three rows."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="rows")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="rows")
    order = models.PositiveIntegerField("ordine", default=0)
    declared_realization = models.CharField(
        "% di realizzazione dichiarata",
        max_length=20,
        blank=True,
        help_text="Come riportata dalla fonte (documento o foglio importato); vuota se non data.",
    )
    source_note = models.TextField("note di trascrizione", blank=True)
    weight = models.DecimalField(
        "peso nel cruscotto",
        max_digits=7,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=(
            "Vuoto: il peso dell'indicatore. Per un cruscotto che pesa l'indicatore diversamente."
        ),
    )

    objects = CycleOwnedQuerySet.as_manager()  # core.locking: locked with the validated year

    class Meta:
        verbose_name = "riga di cruscotto"
        verbose_name_plural = "righe di cruscotto"
        ordering = ["scorecard", "order"]
        # A cruscotto's rows in their order (its page, the strategic map's 2.2 rows).
        indexes = [models.Index(fields=["scorecard", "order"], name="scorecard_row_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "indicator"], name="scorecard_row_unique_indicator"
            ),
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__gte=0),
                name="scorecard_row_weight_gte_0",
            ),
        ]

    def __str__(self):
        return f"{self.scorecard} · {self.indicator}"

    @property
    def effective_weight(self) -> Decimal:
        """The row's own weight, or the indicator's when the cruscotto gives none."""
        return self.weight if self.weight is not None else self.indicator.weight


class TargetRevision(models.Model):
    """A *rimodulazione*: the only way to change a target once the year is past planning."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="revisions")
    old_target = models.CharField("risultato atteso precedente", max_length=60, blank=True)
    new_target = models.CharField("nuovo risultato atteso", max_length=60)
    reason = models.TextField("motivazione")
    act_reference = models.CharField(
        "atto", max_length=200, help_text="Es. delibera di Giunta n. 45/2023"
    )
    act_date = models.DateField("data dell'atto")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="autore"
    )
    created_at = models.DateTimeField("registrata il", auto_now_add=True)
    internal = models.BooleanField(
        "motivazione riservata",
        default=False,
        help_text="La motivazione resta interna e non viene mai pubblicata.",
    )

    objects = CycleOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "rimodulazione del risultato atteso"
        verbose_name_plural = "rimodulazioni dei risultati attesi"
        db_table = "workflow_targetrevision"  # moved from the app workflow: same table
        ordering = ["indicator", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(new_target=models.F("old_target")), name="revision_changes_target"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="revision_reason_required"),
            models.CheckConstraint(condition=~Q(act_reference=""), name="revision_act_required"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.old_target} → {self.new_target}"
