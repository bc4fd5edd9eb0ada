# The state log (Transition) moved from the app workflow to core.
# The table keeps its name (Meta.db_table), so the move is a change of Django's state only:
# the rows stay where they are and no foreign key is rebuilt.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0004_cycle_in_core'),
        ('core', '0001_move_body_cycle'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Transition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source', models.CharField(choices=[('planning', 'Pianificazione'), ('monitoring', 'Monitoraggio (inserimento dati aperto)'), ('closed', 'Rendicontazione chiusa'), ('submitted', "Trasmessa all'OIV"), ('returned', "Restituita dall'OIV con richieste"), ('validated', "Validata dall'OIV"), ('published', 'Pubblicata')], max_length=20, verbose_name='da')),
                        ('target', models.CharField(choices=[('planning', 'Pianificazione'), ('monitoring', 'Monitoraggio (inserimento dati aperto)'), ('closed', 'Rendicontazione chiusa'), ('submitted', "Trasmessa all'OIV"), ('returned', "Restituita dall'OIV con richieste"), ('validated', "Validata dall'OIV"), ('published', 'Pubblicata')], max_length=20, verbose_name='a')),
                        ('at', models.DateTimeField(verbose_name='data e ora')),
                        ('note', models.TextField(blank=True, verbose_name='nota')),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='core.cycle')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='utente')),
                    ],
                    options={
                        'verbose_name': 'passaggio di stato',
                        'verbose_name_plural': 'passaggi di stato',
                        'db_table': 'workflow_transition',
                        'ordering': ['cycle', 'at', 'id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('source', models.F('target')), _negated=True), name='transition_moves')],
                    },
                ),
            ],
        ),
    ]
