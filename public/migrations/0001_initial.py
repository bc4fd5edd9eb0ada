import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    """Years already published before this app existed get version 1, published now."""
    from django.utils import timezone

    Cycle = apps.get_model("relazione", "Cycle")
    Publication = apps.get_model("public", "Publication")
    now = timezone.now()
    for cycle in Cycle.objects.filter(state="published"):
        Publication.objects.get_or_create(cycle=cycle, defaults={"published_at": now})


class Migration(migrations.Migration):
    initial = True

    dependencies = [("relazione", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="Publication",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1, verbose_name="versione della pubblicazione"
                    ),
                ),
                ("published_at", models.DateTimeField(verbose_name="pubblicata il")),
                (
                    "cycle",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="publication",
                        to="relazione.cycle",
                    ),
                ),
            ],
            options={"verbose_name": "pubblicazione", "verbose_name_plural": "pubblicazioni"},
        ),
        migrations.AddConstraint(
            model_name="publication",
            constraint=models.CheckConstraint(
                condition=models.Q(version__gte=1), name="publication_version_gte_1"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
