import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("relazione", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="contexttable",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="ultima modifica"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="contexttable",
            name="updated_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="modificato da",
            ),
        ),
        migrations.AddField(
            model_name="contexttable",
            name="version",
            field=models.PositiveIntegerField(default=1, verbose_name="versione"),
        ),
    ]
