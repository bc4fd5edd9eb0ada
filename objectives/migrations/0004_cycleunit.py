"""The name, code and order of each unit as each year shows them (CycleUnit), filled here for every
existing year from the units' names of today: the names every page has shown up to now, so
nothing displayed changes; from now on a rename reaches the years not yet submitted only."""

import django.db.models.deletion
from django.db import migrations, models


def label_every_year(apps, schema_editor):
    Cycle = apps.get_model("relazione", "Cycle")
    OrgUnit = apps.get_model("objectives", "OrgUnit")
    CycleUnit = apps.get_model("objectives", "CycleUnit")
    units = list(OrgUnit.objects.all())
    CycleUnit.objects.bulk_create(
        CycleUnit(cycle_id=cycle_id, unit_id=u.id, name=u.name, slug=u.slug, order=u.order)
        for cycle_id, body_id in Cycle.objects.values_list("id", "body_id")
        for u in units
        if u.body_id == body_id
    )


class Migration(migrations.Migration):
    dependencies = [
        ("objectives", "0003_objective_version"),
        ("relazione", "0003_cycle_settings"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="orgunit",
            options={
                "base_manager_name": "objects",
                "ordering": ["body", "order", "name"],
                "verbose_name": "unità organizzativa",
                "verbose_name_plural": "unità organizzative",
            },
        ),
        migrations.CreateModel(
            name="CycleUnit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="denominazione nell'anno")),
                ("slug", models.SlugField(max_length=80, verbose_name="codice nell'anno")),
                (
                    "order",
                    models.PositiveSmallIntegerField(default=0, verbose_name="ordine nell'anno"),
                ),
                (
                    "cycle",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="unit_labels",
                        to="relazione.cycle",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="year_labels",
                        to="objectives.orgunit",
                    ),
                ),
            ],
            options={
                "verbose_name": "unità organizzativa nell'anno",
                "verbose_name_plural": "unità organizzative nell'anno",
                "ordering": ["cycle", "unit"],
                "constraints": [
                    models.UniqueConstraint(fields=("cycle", "unit"), name="cycle_unit_unique")
                ],
            },
        ),
        migrations.RunPython(label_every_year, migrations.RunPython.noop),
    ]
