"""The performance plan: perspectives, strategic and operational objectives, organizational
units and the cruscotti (scorecards) in which the Relazione prints the indicators."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from core.integrity import IntegrityQuerySet  # one body per unit tree, bulk paths too
from core.models import Body, Cycle
from core.querysets import CycleOwnedQuerySet  # the locked-year guard
from lib.codes import CODE_HELP, CODE_MAX_LENGTH, CODE_REGEX, NATURAL_KEY_MAX_LENGTH, natural_key

from . import sections
from .levels import ImplicitLevel, ImplicitLevelQuerySet
from .unit_kinds import ensure_unit_kinds


def weight_field(help_text: str) -> models.DecimalField:
    """A weight in the body's scoring method (core.scoring_method): >= 0, default 1 (equal
    weights: the plain means); 0 leaves the item out of the mean."""
    return models.DecimalField(
        "peso",
        max_digits=7,
        decimal_places=3,
        default=Decimal(1),
        validators=[MinValueValidator(0)],
        help_text=help_text,
    )


def weight_constraint(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(weight__gte=0), name=f"{prefix}_weight_gte_0")


class Perspective(ImplicitLevel):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="perspectives")
    order = models.PositiveSmallIntegerField("ordine")
    name = models.CharField("prospettiva", max_length=120)
    weight = weight_field("Peso della prospettiva nella performance dell'anno.")
    # A plan without a first level (strategic objectives at the top): its strategic objectives
    # sit under one implicit perspective, the year's only one, which no page prints as a level;
    # its score is the year's, so the roll-up is the same engine's.
    implicit = models.BooleanField(
        "implicita",
        default=False,
        help_text="Il piano non ha il primo livello: è l'unica dell'anno e non è stampata.",
    )
    implicit_parent = "cycle"  # objectives.levels: alone on every write path
    implicit_crowded_message = (
        "Un piano senza primo livello ha una sola prospettiva, implicita: non se ne aggiungono "
        "altre accanto a essa."
    )

    # core.locking: locked with the validated year
    objects = ImplicitLevelQuerySet.as_manager()

    class Meta:
        verbose_name = "prospettiva"
        verbose_name_plural = "prospettive"
        ordering = ["cycle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "order"], name="perspective_unique_order"),
            models.UniqueConstraint(fields=["cycle", "name"], name="perspective_unique_name"),
            models.UniqueConstraint(
                fields=["cycle"], condition=Q(implicit=True), name="perspective_one_implicit"
            ),
            weight_constraint("perspective"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.cycle_id is None:
            return
        others = Perspective.objects.filter(cycle_id=self.cycle_id).exclude(pk=self.pk)
        if self.implicit and others.exists():
            raise ValidationError(
                "Un piano senza primo livello ha una sola prospettiva implicita: l'anno ne ha "
                "già altre."
            )
        if not self.implicit and others.filter(implicit=True).exists():
            raise ValidationError(
                "Il piano dell'anno non ha il primo livello: non si aggiungono prospettive."
            )


class StrategicObjectiveQuerySet(CycleOwnedQuerySet):
    """Every write path keeps ``code_key`` (the natural order of the codes) in step with the
    code: ``save()`` in the model, the bulk paths of the plan import and of the year copy here."""

    def update(self, **kwargs):
        if isinstance(kwargs.get("code"), str):
            kwargs["code_key"] = natural_key(kwargs["code"])
        return super().update(**kwargs)

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.code_key = natural_key(obj.code)
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        if "code" in fields:
            for obj in objs:
                obj.code_key = natural_key(obj.code)
            fields.append("code_key")
        return super().bulk_update(objs, fields, *args, **kwargs)

    bulk_update.alters_data = True


class StrategicObjective(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="strategic_objectives")
    perspective = models.ForeignKey(
        Perspective, on_delete=models.RESTRICT, related_name="strategic_objectives"
    )
    code = models.CharField(
        "codice",
        max_length=CODE_MAX_LENGTH,
        help_text="Come lo scrive l'ente: es. 1.1, 6, 0101, A.1 (lettere, cifre e . - _ /).",
        validators=[RegexValidator(CODE_REGEX, f"Codice non valido: {CODE_HELP}.")],
    )
    # The natural order of the codes (lib.codes): "2" before "10", "1.2" before "1.10".
    code_key = models.CharField(
        max_length=NATURAL_KEY_MAX_LENGTH, editable=False, blank=True, default=""
    )
    name = models.CharField("obiettivo strategico", max_length=250)
    narrative = models.TextField("descrizione dei risultati", blank=True)
    order = models.PositiveSmallIntegerField("ordine", default=0)
    weight = weight_field("Peso dell'obiettivo strategico nella sua prospettiva.")
    # Optimistic locking (indicators.services): a save from a stale page is refused.
    version = models.PositiveIntegerField("versione", default=1)
    history = HistoricalRecords(verbose_name="storico obiettivo strategico")
    # The user django-simple-history records on the next save (set by the services).
    _history_user: Any

    # core.locking: locked with the validated year
    objects = StrategicObjectiveQuerySet.as_manager()

    class Meta:
        verbose_name = "obiettivo strategico"
        verbose_name_plural = "obiettivi strategici"
        ordering = ["cycle", "order", "code_key", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="strategic_unique_code"),
            models.CheckConstraint(
                condition=Q(code__regex=CODE_REGEX), name="strategic_code_format"
            ),
            weight_constraint("strategic"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.code_key = natural_key(self.code)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "code" in update_fields:
            kwargs["update_fields"] = {*update_fields, "code_key"}
        super().save(*args, **kwargs)


# What a year shows of a unit: its name, code and place in lists as they were in that year.
UNIT_LABELS = ("name", "slug", "order")


def sync_unit_labels(*, unit_ids=None, cycle_ids=None) -> None:
    """Bring the units' names and codes into years: into the named ``cycle_ids`` whatever
    their state (a year being created, or rebuilt by the demo loader), otherwise into the years
    not yet submitted to the OIV (a renamed unit gets its new name there only). A handful of
    queries for any number of units."""
    from core.machine import FROZEN_STATES  # pure module

    if cycle_ids is not None:
        cycles = Cycle.objects.filter(pk__in=list(cycle_ids))
    else:
        cycles = Cycle.objects.exclude(state__in=FROZEN_STATES)
    units = OrgUnit._base_manager.all()
    if unit_ids is not None:
        units = units.filter(pk__in=list(unit_ids))
    by_body: dict[int, list] = {}
    for unit in units.only("id", "body_id", *UNIT_LABELS):
        by_body.setdefault(unit.body_id, []).append(unit)
    wanted = {
        (cycle_id, unit.id): unit
        for cycle_id, body_id in cycles.values_list("id", "body_id")
        for unit in by_body.get(body_id, [])
    }
    if not wanted:
        return
    existing = {
        (label.cycle_id, label.unit_id): label
        for label in CycleUnit.objects.filter(
            cycle_id__in={c for c, _ in wanted}, unit_id__in={u for _, u in wanted}
        )
    }
    create, update = [], []
    for key, unit in wanted.items():
        label = existing.get(key)
        values = {name: getattr(unit, name) for name in UNIT_LABELS}
        if label is None:
            create.append(CycleUnit(cycle_id=key[0], unit=unit, **values))
        elif any(getattr(label, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(label, name, value)
            update.append(label)
    CycleUnit.objects.bulk_create(create)
    CycleUnit.objects.bulk_update(update, list(UNIT_LABELS))


class OrgUnitQuerySet(IntegrityQuerySet):  # + one body per unit tree (core.integrity)
    """Every write path of a unit keeps the open years' labels in step (``save()`` does it in
    OrgUnit.save); a validated year keeps its own (CycleUnit, locked with the year)."""

    def as_of(self, cycle):
        """The units as ``cycle`` shows them (``year_name``, ``year_slug``, ``year_order``),
        in the year's order."""
        # One row at most (a unit's labels are unique per year): without the model's ordering,
        # which joined the year and the unit to sort each subquery (on PostgreSQL 67 ms for the
        # 1.010 units of a 100x year, three sorts per unit), it is a lookup of the unique index.
        labels = CycleUnit.objects.filter(cycle=cycle, unit=OuterRef("pk")).order_by()
        return self.annotate(
            **{
                f"year_{name}": Coalesce(Subquery(labels.values(name)[:1]), F(name))
                for name in UNIT_LABELS
            }
        ).order_by("year_order", "year_name")

    def update(self, **kwargs):
        ids = list(self.values_list("pk", flat=True)) if set(kwargs) & set(UNIT_LABELS) else []
        if isinstance(kwargs.get("kind"), str):  # bulk_update checked its objects already
            ensure_unit_kinds(
                OrgUnit(body_id=body_id, name=name, kind=kwargs["kind"])
                for body_id, name in self.values_list("body_id", "name")
            )
        count = super().update(**kwargs)
        if ids:
            sync_unit_labels(unit_ids=ids)
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        ensure_unit_kinds(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        sync_unit_labels(unit_ids=[obj.pk for obj in created if obj.pk is not None])
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if "kind" in fields:
            ensure_unit_kinds(objs)
        count = super().bulk_update(objs, fields, *args, **kwargs)
        if set(fields) & set(UNIT_LABELS):
            sync_unit_labels(unit_ids=[obj.pk for obj in objs])
        return count

    bulk_update.alters_data = True


class OrgUnit(models.Model):
    """An organizational unit of the body: area > servizio > ufficio, the staff of the
    Segretario Generale, the azienda speciale. Its name and code as each year shows them are
    in CycleUnit: a rename applies to the years not yet submitted to the OIV."""

    class Kind(models.TextChoices):
        """The kinds of a Camera di commercio (its default set, objectives.unit_kinds): a
        body's own are its UnitKind rows."""

        GENERAL_SECRETARIAT = "secretariat", "Segreteria generale"
        AREA = "area", "Area"
        SERVICE = "service", "Servizio"
        OFFICE = "office", "Ufficio"
        SPECIAL_AGENCY = "agency", "Azienda speciale"
        PARTNER = "partner", "Società del sistema"

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="unità superiore",
    )
    # One of the body's kinds (UnitKind, checked on every write path: objectives.unit_kinds).
    kind = models.CharField("tipo", max_length=20)
    name = models.CharField("denominazione", max_length=200)
    slug = models.SlugField("codice", max_length=80)
    order = models.PositiveSmallIntegerField("ordine", default=0)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "unità organizzativa"
        verbose_name_plural = "unità organizzative"
        base_manager_name = "objects"
        ordering = ["body", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "slug"], name="unit_unique_slug"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        ensure_unit_kinds([self])
        super().save(*args, **kwargs)
        sync_unit_labels(unit_ids=[self.pk])

    def clean(self):
        super().clean()
        if self.body_id is not None:
            ensure_unit_kinds([self])


class UnitKind(models.Model):
    """A kind of organizational unit of a body, as it names them: a Camera's Area and
    Servizio, a Comune's Settore, a Ministry's Dipartimento and Direzione generale."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="unit_kinds")
    code = models.SlugField(
        "codice", max_length=20, help_text="Breve, senza spazi: es. settore, dipartimento."
    )
    name = models.CharField("denominazione", max_length=80, help_text="Es. Settore, Dipartimento.")
    order = models.PositiveSmallIntegerField("ordine", default=0)

    class Meta:
        verbose_name = "tipo di unità organizzativa"
        verbose_name_plural = "tipi di unità organizzativa"
        ordering = ["body", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "code"], name="unit_kind_unique_code"),
            models.UniqueConstraint(fields=["body", "name"], name="unit_kind_unique_name"),
        ]

    def __str__(self):
        return self.name

    def delete(self, *args, **kwargs):
        if self.in_use():
            raise ValidationError(
                f"Il tipo «{self.name}» è usato da unità dell'ente: non si elimina."
            )
        return super().delete(*args, **kwargs)

    def in_use(self, code: str | None = None) -> bool:
        code = self.code if code is None else code
        return OrgUnit.objects.filter(body_id=self.body_id, kind=code).exists()

    def clean(self):
        super().clean()
        if self.pk is not None:
            old = UnitKind.objects.filter(pk=self.pk).values_list("code", flat=True).first()
            if old is not None and old != self.code and self.in_use(old):
                raise ValidationError(
                    {"code": f"Il codice «{old}» è il tipo di unità esistenti: non si cambia."}
                )


class CycleUnit(models.Model):
    """A unit as a year shows it: its name, code and order, copied when the year is created and kept
    in step with the unit until the submission to the OIV; then locked with the year."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="unit_labels")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="year_labels")
    name = models.CharField("denominazione nell'anno", max_length=200)
    slug = models.SlugField("codice nell'anno", max_length=80)
    order = models.PositiveSmallIntegerField("ordine nell'anno", default=0)

    objects = CycleOwnedQuerySet.as_manager()  # core.locking: locked with the validated year

    class Meta:
        verbose_name = "unità organizzativa nell'anno"
        verbose_name_plural = "unità organizzative nell'anno"
        ordering = ["cycle", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="cycle_unit_unique"),
        ]

    def __str__(self):
        return f"{self.name} ({self.cycle.year})"


class OperationalObjective(ImplicitLevel):
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="operational_objectives"
    )
    strategic_objective = models.ForeignKey(
        StrategicObjective,
        on_delete=models.RESTRICT,
        related_name="operational_objectives",
        verbose_name="obiettivo strategico",
    )
    name = models.CharField("obiettivo operativo", max_length=400)
    units = models.ManyToManyField(
        OrgUnit,
        blank=True,
        related_name="operational_objectives",
        verbose_name="unità assegnatarie",
    )
    order = models.PositiveIntegerField("ordine", default=0)
    weight = weight_field("Peso dell'obiettivo operativo nel suo obiettivo strategico.")
    # Indicators placed directly on a strategic objective hang on its one implicit operational
    # objective (named after it): the pages print them as the strategic objective's own, and
    # its units are who enters their values (accounts.permissions, as for any objective).
    implicit = models.BooleanField(
        "implicito",
        default=False,
        help_text=(
            "Gli indicatori sono assegnati direttamente all'obiettivo strategico: è il suo "
            "unico obiettivo operativo e non è stampato."
        ),
    )
    implicit_parent = "strategic_objective"  # objectives.levels: alone on every write path
    implicit_crowded_message = (
        "Un obiettivo strategico con indicatori diretti ha un solo obiettivo operativo, "
        "implicito: non gli se ne aggiungono altri."
    )
    # Optimistic locking (indicators.services): a save from a stale page is refused.
    version = models.PositiveIntegerField("versione", default=1)
    history = HistoricalRecords(verbose_name="storico obiettivo operativo")
    # The user django-simple-history records on the next save (set by the services).
    _history_user: Any

    # core.locking: locked with the validated year
    objects = ImplicitLevelQuerySet.as_manager()

    class Meta:
        verbose_name = "obiettivo operativo"
        verbose_name_plural = "obiettivi operativi"
        ordering = ["cycle", "strategic_objective__order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategic_objective", "name"], name="operational_unique_name"
            ),
            models.UniqueConstraint(
                fields=["strategic_objective"],
                condition=Q(implicit=True),
                name="operational_one_implicit",
            ),
            weight_constraint("operational"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.strategic_objective_id is None:
            return
        others = OperationalObjective.objects.filter(
            strategic_objective_id=self.strategic_objective_id
        ).exclude(pk=self.pk)
        if self.implicit and others.exists():
            raise ValidationError(
                "Gli indicatori diretti di un obiettivo strategico sono il suo unico obiettivo "
                "operativo: questo obiettivo strategico ne ha già altri."
            )
        if not self.implicit and others.filter(implicit=True).exists():
            raise ValidationError(
                "Questo obiettivo strategico ha indicatori diretti: non gli si aggiungono "
                "obiettivi operativi."
            )


class Scorecard(models.Model):
    """A *cruscotto*: a table of the Relazione in which indicators are printed. Section 2.2 has
    one per strategic objective, 2.3 one per group of common objectives, 2.4 one per unit and
    section 3 one per manager (Segretario Generale, Dirigente)."""

    class Section(models.TextChoices):
        STRATEGIC = sections.STRATEGIC, sections.LABELS[sections.STRATEGIC]
        COMMON = sections.COMMON, sections.LABELS[sections.COMMON]
        UNIT = sections.UNIT, sections.LABELS[sections.UNIT]
        INDIVIDUAL = sections.INDIVIDUAL, sections.LABELS[sections.INDIVIDUAL]

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="scorecards")
    section = models.CharField("sezione", max_length=3, choices=Section)
    title = models.CharField("cruscotto", max_length=200, help_text="Come stampato nella Relazione")
    slug = models.SlugField("codice", max_length=80)
    order = models.PositiveSmallIntegerField("ordine", default=0)
    strategic_objective = models.OneToOneField(
        StrategicObjective,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scorecard",
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="scorecards",
        verbose_name="unità",
    )
    holder = models.CharField(
        "titolare", max_length=120, blank=True, help_text="Per i cruscotti individuali"
    )

    objects = CycleOwnedQuerySet.as_manager()  # core.locking: locked with the validated year

    class Meta:
        verbose_name = "cruscotto"
        verbose_name_plural = "cruscotti"
        ordering = ["cycle", "section", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "slug"], name="scorecard_unique_slug"),
            models.UniqueConstraint(
                fields=["cycle", "section", "title"], name="scorecard_unique_title"
            ),
            models.CheckConstraint(
                condition=(
                    Q(section=sections.STRATEGIC, strategic_objective__isnull=False)
                    | Q(section=sections.COMMON)
                    | Q(section=sections.UNIT, unit__isnull=False)
                    | (Q(section=sections.INDIVIDUAL) & ~Q(holder=""))
                ),
                name="scorecard_section_reference",
            ),
        ]

    def __str__(self):
        return self.title
