# Narrative (and its history) moved from the app reports to narratives.
# The table keeps its name (Meta.db_table), so the move is a change of Django's state only:
# the rows stay where they are and no foreign key is rebuilt.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('reports', '0004_cycle_in_core'),
        ('core', '0002_transition_from_workflow'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalNarrative',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('key', models.CharField(choices=[('premessa', 'Premessa'), ('contesto_economico', 'Il quadro economico'), ('contesto_istituzionale', 'Il contesto normativo e istituzionale'), ('amministrazione', "L'amministrazione"), ('risorse_umane', 'Le risorse umane'), ('risorse_economiche', 'Le risorse economiche'), ('mappa_strategica', 'Mappa strategica'), ('obiettivi_comuni', 'Obiettivi comuni di sistema'), ('obiettivi_operativi', 'Obiettivi operativi'), ('bilancio_di_genere', 'Bilancio di genere'), ('obiettivi_individuali', 'Rendicontazione degli obiettivi individuali'), ('processo', 'Il processo di misurazione e valutazione')], max_length=40, verbose_name='sezione')),
                        ('title', models.CharField(max_length=200, verbose_name='titolo')),
                        ('body', models.TextField(blank=True, verbose_name='testo (Markdown)')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='ordine')),
                        ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='ultima modifica')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='versione')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('cycle', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.cycle')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='modificato da')),
                    ],
                    options={
                        'verbose_name': 'storico testo della Relazione',
                        'verbose_name_plural': 'storico dei testi della Relazione',
                        'db_table': 'reports_historicalnarrative',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Narrative',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(choices=[('premessa', 'Premessa'), ('contesto_economico', 'Il quadro economico'), ('contesto_istituzionale', 'Il contesto normativo e istituzionale'), ('amministrazione', "L'amministrazione"), ('risorse_umane', 'Le risorse umane'), ('risorse_economiche', 'Le risorse economiche'), ('mappa_strategica', 'Mappa strategica'), ('obiettivi_comuni', 'Obiettivi comuni di sistema'), ('obiettivi_operativi', 'Obiettivi operativi'), ('bilancio_di_genere', 'Bilancio di genere'), ('obiettivi_individuali', 'Rendicontazione degli obiettivi individuali'), ('processo', 'Il processo di misurazione e valutazione')], max_length=40, verbose_name='sezione')),
                        ('title', models.CharField(max_length=200, verbose_name='titolo')),
                        ('body', models.TextField(blank=True, verbose_name='testo (Markdown)')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='ordine')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='ultima modifica')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='versione')),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='narratives', to='core.cycle')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='modificato da')),
                    ],
                    options={
                        'verbose_name': 'testo della Relazione',
                        'verbose_name_plural': 'testi della Relazione',
                        'db_table': 'reports_narrative',
                        'ordering': ['cycle', 'order'],
                        'constraints': [models.UniqueConstraint(fields=('cycle', 'key'), name='narrative_unique_key'), models.CheckConstraint(condition=models.Q(('key__in', ['premessa', 'contesto_economico', 'contesto_istituzionale', 'amministrazione', 'risorse_umane', 'risorse_economiche', 'mappa_strategica', 'obiettivi_comuni', 'obiettivi_operativi', 'bilancio_di_genere', 'obiettivi_individuali', 'processo'])), name='narrative_key_valid')],
                    },
                ),
            ],
        ),
    ]
