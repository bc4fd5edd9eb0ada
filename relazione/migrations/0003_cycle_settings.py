"""Each cycle carries the body's settings that enter its computation (band thresholds, the
missed-deadline rule) and the body's name it prints, filled here from its body: the values
every existing year has been computed and shown with up to now, so no page, open data or
validated snapshot changes."""

from decimal import Decimal

import django.core.validators
from django.db import migrations, models

SETTINGS = ("band_achieved_from", "band_partial_from", "missed_deadline_pct")


def copy_from_body(apps, schema_editor):
    Cycle = apps.get_model("relazione", "Cycle")
    for cycle in Cycle.objects.select_related("body"):
        for name in SETTINGS:
            setattr(cycle, name, getattr(cycle.body, name))
        cycle.body_name, cycle.body_short_name = cycle.body.name, cycle.body.short_name
        cycle.save(update_fields=[*SETTINGS, "body_name", "body_short_name"])


def percent(label, **kwargs):
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        validators=[
            django.core.validators.MinValueValidator(0),
            django.core.validators.MaxValueValidator(100),
        ],
        **kwargs,
    )


LABELS = {
    "band_achieved_from": "soglia 'raggiunto' (%)",
    "band_partial_from": "soglia 'parzialmente raggiunto' (%)",
    "missed_deadline_pct": "% di realizzazione di una scadenza mancata",
}


class Migration(migrations.Migration):
    dependencies = [("relazione", "0002_contexttable_version_updated")]

    operations = [
        *(
            migrations.AddField(
                model_name="cycle", name=name, field=percent(label, blank=True, null=True)
            )
            for name, label in LABELS.items()
        ),
        migrations.AddField(
            model_name="cycle",
            name="body_name",
            field=models.CharField(
                blank=True,
                help_text="Vuoto: quella attuale dell'ente.",
                max_length=200,
                verbose_name="denominazione dell'ente nell'anno",
            ),
        ),
        migrations.AddField(
            model_name="cycle",
            name="body_short_name",
            field=models.CharField(
                blank=True, max_length=80, verbose_name="denominazione breve dell'ente nell'anno"
            ),
        ),
        migrations.RunPython(copy_from_body, migrations.RunPython.noop),
        *(
            migrations.AlterField(
                model_name="cycle",
                name=name,
                field=percent(label, blank=True, help_text="Vuoto: quella dell'ente."),
            )
            for name, label in LABELS.items()
        ),
        migrations.AlterField(
            model_name="body",
            name="missed_deadline_pct",
            field=percent(
                LABELS["missed_deadline_pct"],
                default=Decimal(0),
                help_text=(
                    "Regola dell'ente per gli indicatori a scadenza raggiunti dopo la data "
                    "attesa. Le soglie e questa regola valgono per gli anni non ancora trasmessi "
                    "all'OIV: ogni anno trasmesso o validato conserva le proprie."
                ),
            ),
        ),
        migrations.AlterModelOptions(
            name="body",
            options={
                "base_manager_name": "objects",
                "verbose_name": "ente",
                "verbose_name_plural": "enti",
            },
        ),
        migrations.AlterModelOptions(
            name="cycle",
            options={
                "base_manager_name": "objects",
                "ordering": ["body", "-year"],
                "verbose_name": "ciclo della performance",
                "verbose_name_plural": "cicli della performance",
            },
        ),
        migrations.AddConstraint(
            model_name="cycle",
            constraint=models.CheckConstraint(
                condition=models.Q(band_partial_from__lte=models.F("band_achieved_from"))
                & models.Q(band_partial_from__gte=0)
                & models.Q(band_achieved_from__lte=100),
                name="cycle_bands_ordered",
            ),
        ),
        migrations.AddConstraint(
            model_name="cycle",
            constraint=models.CheckConstraint(
                condition=models.Q(missed_deadline_pct__gte=0)
                & models.Q(missed_deadline_pct__lte=100),
                name="cycle_missed_deadline_pct_range",
            ),
        ),
    ]
