"""The body (ente) and its yearly performance cycles: the bottom of the layers. Every other app
refers to a year through ``Cycle``; the lock that keeps a validated year unchanged is here too
(``querysets``, ``locking``, ``integrity``)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.dispatch import Signal

from lib.converters import BODY_SLUG_MAX_LENGTH, RESERVED_BODY_SLUGS, body_slug_allowed
from lib.images import logo_errors

from . import machine, structure
from .levels import DEFAULT_LEVEL_LABELS, LEVEL_LABELS, level_names
from .machine import FROZEN_STATES
from .measurement import Bands
from .querysets import CycleQuerySet  # the locked-year guard
from .scoring_method import ScoringMethodError, parse_scoring_method

# The body's settings that enter a year's computation: each Cycle carries its own copy (taken
# when the cycle is created), so a change of the body reaches only the years not yet submitted
# to the OIV and a validated year keeps the rules it was validated with.
YEAR_SETTINGS = (
    "band_achieved_from",
    "band_partial_from",
    "missed_deadline_pct",
    "scoring_method",
)


LEVEL_LABEL_NAMES = {
    "perspective_label": "Nome del primo livello",
    "perspective_label_plural": "Nome del primo livello al plurale",
    "strategic_label": "Nome del secondo livello",
    "strategic_label_plural": "Nome del secondo livello al plurale",
    "operational_label": "Nome del terzo livello",
    "operational_label_plural": "Nome del terzo livello al plurale",
}


def level_labels(errors: list[str], **values: str | None) -> dict[str, str]:
    """The names of the levels given (None: unchanged; empty: the default, «Prospettiva»)."""
    labels = {}
    for name, value in values.items():
        if value is None:
            continue
        text = " ".join(str(value).split()) or DEFAULT_LEVEL_LABELS[name]
        if len(text) > 60:
            errors.append(f"{LEVEL_LABEL_NAMES[name]}: al massimo 60 caratteri.")
        else:
            labels[name] = text
    return labels


def _level_label_field(label: str, default: str = "", **kwargs):
    return models.CharField(label, max_length=60, default=default, **kwargs)


# Everything a year copies from its body (the Cycle's field: the Body's field): the settings,
# and the body's name as the year's pages, open data and PDF print it.
YEAR_COPIES = {
    **{name: name for name in YEAR_SETTINGS},
    "body_name": "name",
    "body_short_name": "short_name",
    "omitted_sections": "omitted_sections",
    **{name: name for name in LEVEL_LABELS},
}


def _percent_field(label: str, **kwargs):
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        **kwargs,
    )


def settings_constraints(prefix: str) -> list:
    """The same invariants for the body's defaults and for the copy in each year."""
    return [
        models.CheckConstraint(
            condition=Q(band_partial_from__lte=F("band_achieved_from"))
            & Q(band_partial_from__gte=0)
            & Q(band_achieved_from__lte=100),
            name=f"{prefix}_bands_ordered",
        ),
        models.CheckConstraint(
            condition=Q(missed_deadline_pct__gte=0) & Q(missed_deadline_pct__lte=100),
            name=f"{prefix}_missed_deadline_pct_range",
        ),
    ]


# Sent (``cycle_ids``) when the measurement rules (YEAR_SETTINGS) of some years changed: the
# figures stored with those rules are refreshed by the app that stores them (indicators).
rules_changed = Signal()


def sync_open_cycles(body_ids) -> None:
    """Copy the bodies' settings and names into their cycles not yet submitted to the OIV."""
    for body in Body._base_manager.filter(pk__in=list(body_ids)):
        open_cycles = Cycle.objects.filter(body=body).exclude(state__in=FROZEN_STATES)
        names = {own: getattr(body, source) for own, source in YEAR_COPIES.items()}
        rules = {name: names.pop(name) for name in YEAR_SETTINGS}
        open_cycles.update(**names)
        # Only the years whose rules move: the update sends rules_changed for them
        # (CycleQuerySet.update), and their stored figures follow.
        open_cycles.exclude(**rules).update(**rules)


def validate_scoring_method(value) -> None:
    try:
        parse_scoring_method(value)
    except ScoringMethodError as exc:
        raise ValidationError(f"Metodo di valutazione non valido: {exc}") from exc


SCORING_METHOD_HELP = (
    "Il sistema di misurazione e valutazione dell'ente, in JSON; {} = le regole predefinite "
    "(media ponderata, soglie tutto o niente, NV esclusi, nessuna conversione). Voci: "
    "«aggregation» (weighted_mean, nested_mean), «thresholds» (all_or_nothing, proportional), "
    "«nv» (excluded, zero), «conversion» (none, points, scale), «points» (fasce: "
    '[{"from": 76, "to": 90, "points": [15, 18]}, ...] dallo 0 al 100%), «scale» (livelli: '
    '[{"label": "insufficiente", "value": 0, "from": 0}, ...], usata anche dagli indicatori '
    "qualitativi). Vale per gli anni non ancora trasmessi all'OIV."
)


def _scoring_method_field(**kwargs):
    return models.JSONField(
        "metodo di valutazione (SMVP)",
        blank=True,
        validators=[validate_scoring_method],
        help_text=SCORING_METHOD_HELP,
        **kwargs,
    )


class BodyKind(models.TextChoices):
    """The kind of body: it decides the Relazione's default sections and wording."""

    CHAMBER = "camera", "Camera di commercio"
    MUNICIPALITY = "comune", "Comune"
    REGION = "regione", "Regione o provincia autonoma"
    OTHER = "altro", "Altra amministrazione pubblica"


def validate_omitted_sections(value: str) -> None:
    wrong = structure.invalid_omitted(value)
    if wrong:
        raise ValidationError(
            f"Sezioni non escludibili: {', '.join(wrong)}. Si possono escludere: "
            f"{', '.join(structure.OPTIONAL)}."
        )


def _omitted_sections_field(**kwargs):
    return models.CharField(
        "sezioni facoltative escluse dalla Relazione",
        max_length=200,
        blank=True,
        validators=[validate_omitted_sections],
        help_text=(
            "Codici separati da virgole, tra: "
            + ", ".join(f"{key} ({structure.TITLES[key]})" for key in structure.OPTIONAL)
            + ". Le sezioni senza dati sono comunque omesse; la nota metodologica le elenca."
        ),
        **kwargs,
    )


def validate_body_slug(value: str) -> None:
    if not body_slug_allowed(value):
        raise ValidationError(
            "Codice non valido: minuscole, cifre e trattini (non solo cifre), al massimo "
            f"{BODY_SLUG_MAX_LENGTH} caratteri, e non una parola riservata dell'applicazione "
            f"({', '.join(sorted(RESERVED_BODY_SLUGS))})."
        )


def body_logo_path(instance, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"enti/{instance.slug}/logo.{suffix}"


def validate_logo(file) -> None:
    errors, _suffix = logo_errors(file, file.size)
    if errors:
        raise ValidationError(errors)


class BodyQuerySet(models.QuerySet):
    """``update()``/``bulk_update()`` skip ``save()``: they copy the settings into the open
    cycles here, so every path gives the same result (a validated year never changes)."""

    def update(self, **kwargs):
        copied = set(kwargs) & set(YEAR_COPIES.values())
        ids = list(self.values_list("pk", flat=True)) if copied else []
        count = super().update(**kwargs)
        sync_open_cycles(ids)
        return count

    update.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        count = super().bulk_update(objs, fields, *args, **kwargs)
        if set(fields) & set(YEAR_COPIES.values()):
            sync_open_cycles(obj.pk for obj in objs)
        return count

    bulk_update.alters_data = True


class Body(models.Model):
    name = models.CharField("denominazione", max_length=200, unique=True)
    short_name = models.CharField("denominazione breve", max_length=80, blank=True)
    slug = models.SlugField(
        "codice",
        unique=True,
        max_length=BODY_SLUG_MAX_LENGTH,
        validators=[validate_body_slug],
        help_text=(
            "Compare all'inizio degli indirizzi dell'ente (/codice/2023/): minuscole, cifre e "
            "trattini."
        ),
    )
    logo = models.FileField(
        "logo",
        upload_to=body_logo_path,
        blank=True,
        validators=[validate_logo],
        help_text="PNG o JPEG, al massimo 512 kB e 2000 pixel per lato.",
    )
    kind = models.CharField("tipo di ente", max_length=20, choices=BodyKind, default=BodyKind.OTHER)
    tax_code = models.CharField("codice fiscale", max_length=16, blank=True)
    # The default of the years not yet submitted to the OIV (copied into Cycle, YEAR_COPIES).
    omitted_sections = _omitted_sections_field()
    band_achieved_from = _percent_field("soglia 'raggiunto' (%)", default=Decimal(90))
    band_partial_from = _percent_field("soglia 'parzialmente raggiunto' (%)", default=Decimal(60))
    missed_deadline_pct = _percent_field(
        "% di realizzazione di una scadenza mancata",
        default=Decimal(0),
        help_text=(
            "Regola dell'ente per gli indicatori a scadenza raggiunti dopo la data attesa. Le "
            "soglie e questa regola valgono per gli anni non ancora trasmessi all'OIV: ogni "
            "anno trasmesso o validato conserva le proprie."
        ),
    )
    scoring_method = _scoring_method_field(default=dict)
    perspective_label = _level_label_field(
        "nome del primo livello del piano",
        DEFAULT_LEVEL_LABELS["perspective_label"],
        blank=True,
        help_text="Es. Prospettiva, Area strategica, Missione. Vuoto: Prospettiva.",
    )
    perspective_label_plural = _level_label_field(
        "nome del primo livello, al plurale",
        DEFAULT_LEVEL_LABELS["perspective_label_plural"],
        blank=True,
        help_text="Es. Prospettive, Aree strategiche, Missioni. Vuoto: Prospettive.",
    )
    strategic_label = _level_label_field(
        "nome del secondo livello del piano",
        DEFAULT_LEVEL_LABELS["strategic_label"],
        blank=True,
        help_text="Es. Obiettivo strategico, Linea di mandato. Vuoto: Obiettivo strategico.",
    )
    strategic_label_plural = _level_label_field(
        "nome del secondo livello, al plurale",
        DEFAULT_LEVEL_LABELS["strategic_label_plural"],
        blank=True,
        help_text="Es. Obiettivi strategici, Linee di mandato. Vuoto: Obiettivi strategici.",
    )
    operational_label = _level_label_field(
        "nome del terzo livello del piano",
        DEFAULT_LEVEL_LABELS["operational_label"],
        blank=True,
        help_text="Es. Obiettivo operativo, Obiettivo esecutivo. Vuoto: Obiettivo operativo.",
    )
    operational_label_plural = _level_label_field(
        "nome del terzo livello, al plurale",
        DEFAULT_LEVEL_LABELS["operational_label_plural"],
        blank=True,
        help_text="Es. Obiettivi operativi, Obiettivi esecutivi. Vuoto: Obiettivi operativi.",
    )

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = "ente"
        verbose_name_plural = "enti"
        db_table = "relazione_body"  # moved from the app relazione: the table kept its name
        base_manager_name = "objects"
        constraints = settings_constraints("body")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        sync_open_cycles([self.pk])

    @property
    def levels(self) -> dict[str, str]:
        """The names of the levels the body gives its plan now (:func:`level_names`)."""
        return level_names(self)


class Cycle(models.Model):
    """One performance cycle (one year of plan and Relazione) of a body."""

    class State(models.TextChoices):
        PLANNING = "planning", "Pianificazione"
        MONITORING = "monitoring", "Monitoraggio (inserimento dati aperto)"
        CLOSED = "closed", "Rendicontazione chiusa"
        SUBMITTED = "submitted", "Trasmessa all'OIV"
        RETURNED = "returned", "Restituita dall'OIV con richieste"
        VALIDATED = "validated", "Validata dall'OIV"
        PUBLISHED = "published", "Pubblicata"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="cycles")
    year = models.PositiveSmallIntegerField(
        "anno", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    state = models.CharField("stato", max_length=20, choices=State, default=State.PLANNING)
    plan_reference = models.CharField(
        "atto di approvazione del piano",
        max_length=200,
        blank=True,
        help_text="Es. PIAO 2023-2025 approvato con delibera n. 2/2023.",
    )
    # The body's settings as this year applies them (YEAR_SETTINGS): copied from the body when
    # the cycle is created, kept in step with it until the submission to the OIV.
    band_achieved_from = _percent_field(
        "soglia 'raggiunto' (%)", blank=True, help_text="Vuoto: quella dell'ente."
    )
    band_partial_from = _percent_field(
        "soglia 'parzialmente raggiunto' (%)", blank=True, help_text="Vuoto: quella dell'ente."
    )
    missed_deadline_pct = _percent_field(
        "% di realizzazione di una scadenza mancata",
        blank=True,
        help_text="Vuoto: quella dell'ente.",
    )
    scoring_method = _scoring_method_field()
    body_name = models.CharField(
        "denominazione dell'ente nell'anno",
        max_length=200,
        blank=True,
        help_text="Vuoto: quella attuale dell'ente.",
    )
    body_short_name = models.CharField(
        "denominazione breve dell'ente nell'anno", max_length=80, blank=True
    )
    # The body's setting as this year applies it (core.structure): frozen from the submission.
    omitted_sections = _omitted_sections_field()
    # The body's names of the levels as this year prints them (LEVEL_LABELS): the same rule.
    perspective_label = _level_label_field("nome del primo livello nell'anno", blank=True)
    perspective_label_plural = _level_label_field(
        "nome del primo livello nell'anno, al plurale", blank=True
    )
    strategic_label = _level_label_field("nome del secondo livello nell'anno", blank=True)
    strategic_label_plural = _level_label_field(
        "nome del secondo livello nell'anno, al plurale", blank=True
    )
    operational_label = _level_label_field("nome del terzo livello nell'anno", blank=True)
    operational_label_plural = _level_label_field(
        "nome del terzo livello nell'anno, al plurale", blank=True
    )

    # Raised by every write to the year's rows (core.dataversion), never by save(): what reads
    # the whole year keys its cache on it (the consistency checks' counts).
    data_version = models.PositiveBigIntegerField("versione dei dati", default=0, editable=False)

    objects = CycleQuerySet.as_manager()  # workflow: locked years, state only by transitions

    class Meta:
        verbose_name = "ciclo della performance"
        verbose_name_plural = "cicli della performance"
        db_table = "relazione_cycle"  # moved from the app relazione: the table kept its name
        ordering = ["body", "-year"]
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="cycle_unique_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="cycle_year_range"
            ),
            *settings_constraints("cycle"),
        ]

    def __str__(self):
        return f"{self.body_short_name or self.body_name} {self.year}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None and not self._state.adding:
            # The data version moves in the database only (core.dataversion): a Cycle loaded
            # before a write must not put its old number back.
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "data_version"
            ]
        rules_may_change = not self._state.adding and (
            update_fields is None or set(YEAR_SETTINGS).intersection(update_fields)
        )
        self._save_filled(*args, **kwargs)
        rules = tuple(getattr(self, name) for name in YEAR_SETTINGS)
        if rules_may_change and getattr(self, "_loaded_rules", None) != rules:
            rules_changed.send(sender=Cycle, cycle_ids=[self.pk])
        self._loaded_rules = rules

    def _save_filled(self, *args, **kwargs):
        names = self._state.adding and not self.body_name
        if names or any(getattr(self, name) is None for name in YEAR_SETTINGS):
            body = Body._base_manager.get(pk=self.body_id)
            for name in YEAR_SETTINGS:
                if getattr(self, name) is None:
                    setattr(self, name, getattr(body, name))
            if names:
                self.body_name, self.body_short_name = body.name, body.short_name
                self.omitted_sections = self.omitted_sections or body.omitted_sections
                for name in LEVEL_LABELS:
                    setattr(self, name, getattr(self, name) or getattr(body, name))
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        # The rules as loaded: save() tells whether they changed (core.models.rules_changed).
        cycle = super().from_db(db, field_names, values, **kwargs)
        cycle._loaded_rules = tuple(cycle.__dict__.get(name) for name in YEAR_SETTINGS)
        return cycle

    @property
    def levels(self) -> dict[str, str]:
        """The names of the levels this year prints (:func:`level_names`)."""
        return level_names(self)

    @property
    def bands(self) -> Bands:
        """The band thresholds of this year (not the body's current defaults)."""
        return Bands(self.band_achieved_from, self.band_partial_from)


STATE_CHOICES = [(state, machine.label(state)) for state in machine.STATES]


class Transition(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField("da", max_length=20, choices=STATE_CHOICES)
    target = models.CharField("a", max_length=20, choices=STATE_CHOICES)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="utente",
    )
    at = models.DateTimeField("data e ora")
    note = models.TextField("nota", blank=True)

    class Meta:
        verbose_name = "passaggio di stato"
        verbose_name_plural = "passaggi di stato"
        db_table = "workflow_transition"  # moved from the app workflow: same table
        ordering = ["cycle", "at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="transition_moves")
        ]

    def __str__(self):
        return f"{self.cycle}: {machine.label(self.source)} → {machine.label(self.target)}"
