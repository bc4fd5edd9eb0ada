# TargetRevision moved from the app workflow to indicators.
# The table keeps its name (Meta.db_table), so the move is a change of Django's state only:
# the rows stay where they are and no foreign key is rebuilt.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0004_cycle_in_core'),
        ('indicators', '0003_cycle_in_core'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='TargetRevision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('old_target', models.CharField(blank=True, max_length=60, verbose_name='risultato atteso precedente')),
                        ('new_target', models.CharField(max_length=60, verbose_name='nuovo risultato atteso')),
                        ('reason', models.TextField(verbose_name='motivazione')),
                        ('act_reference', models.CharField(help_text='Es. delibera di Giunta n. 45/2023', max_length=200, verbose_name='atto')),
                        ('act_date', models.DateField(verbose_name="data dell'atto")),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='registrata il')),
                        ('internal', models.BooleanField(default=False, help_text='La motivazione resta interna e non viene mai pubblicata.', verbose_name='motivazione riservata')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='autore')),
                        ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='indicators.indicator')),
                    ],
                    options={
                        'verbose_name': 'rimodulazione del risultato atteso',
                        'verbose_name_plural': 'rimodulazioni dei risultati attesi',
                        'db_table': 'workflow_targetrevision',
                        'ordering': ['indicator', 'created_at', 'id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('new_target', models.F('old_target')), _negated=True), name='revision_changes_target'), models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='revision_reason_required'), models.CheckConstraint(condition=models.Q(('act_reference', ''), _negated=True), name='revision_act_required')],
                    },
                ),
            ],
        ),
    ]
