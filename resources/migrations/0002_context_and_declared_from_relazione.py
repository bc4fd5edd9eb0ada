import django.db.models.deletion
from django.conf import settings
# The models Body and Cycle moved from the app relazione to core, ContextTable and
# DeclaredFigure to resources. Their tables keep their names (Meta.db_table), so the move is a
# change of Django's state only: the rows stay where they are, and no foreign key is rebuilt.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_move_body_cycle'),
        ('resources', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='resourcesimport',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='resources_imports', to='core.cycle'),
                ),
                migrations.CreateModel(
                    name='ContextTable',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.SlugField(max_length=60, verbose_name='codice')),
                        ('title', models.CharField(max_length=250, verbose_name='titolo')),
                        ('source', models.CharField(blank=True, max_length=250, verbose_name='fonte')),
                        ('columns', models.JSONField(default=list, verbose_name='colonne')),
                        ('rows', models.JSONField(default=list, verbose_name='righe')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='ordine')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='ultima modifica')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='versione')),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='context_tables', to='core.cycle')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='modificato da')),
                    ],
                    options={
                        'verbose_name': 'tabella di contesto',
                        'verbose_name_plural': 'tabelle di contesto',
                        'db_table': 'relazione_contexttable',
                        'ordering': ['cycle', 'order'],
                        'constraints': [models.UniqueConstraint(fields=('cycle', 'key'), name='context_table_unique_key')],
                    },
                ),
                migrations.CreateModel(
                    name='DeclaredFigure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('table', models.CharField(max_length=60, verbose_name='tabella')),
                        ('key', models.CharField(max_length=120, verbose_name='chiave')),
                        ('label', models.CharField(max_length=250, verbose_name='descrizione')),
                        ('value', models.DecimalField(blank=True, decimal_places=4, max_digits=20, null=True, verbose_name='valore')),
                        ('text', models.CharField(blank=True, max_length=60, verbose_name='valore come riportato')),
                        ('source', models.CharField(blank=True, max_length=200, verbose_name='fonte')),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='declared_figures', to='core.cycle')),
                    ],
                    options={
                        'verbose_name': 'valore dichiarato',
                        'verbose_name_plural': 'valori dichiarati',
                        'db_table': 'relazione_declaredfigure',
                        'constraints': [models.UniqueConstraint(fields=('cycle', 'table', 'key'), name='declared_unique_key')],
                    },
                ),
            ],
        ),
    ]
