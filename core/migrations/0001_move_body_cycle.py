import django.core.validators
import django.db.models.deletion
from decimal import Decimal
# The models Body and Cycle moved from the app relazione to core, ContextTable and
# DeclaredFigure to resources. Their tables keep their names (Meta.db_table), so the move is a
# change of Django's state only: the rows stay where they are, and no foreign key is rebuilt.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("relazione", "0003_cycle_settings"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Body',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, unique=True, verbose_name='denominazione')),
                        ('short_name', models.CharField(blank=True, max_length=80, verbose_name='denominazione breve')),
                        ('slug', models.SlugField(unique=True, verbose_name='codice')),
                        ('tax_code', models.CharField(blank=True, max_length=16, verbose_name='codice fiscale')),
                        ('band_achieved_from', models.DecimalField(decimal_places=2, default=Decimal('90'), max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name="soglia 'raggiunto' (%)")),
                        ('band_partial_from', models.DecimalField(decimal_places=2, default=Decimal('60'), max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name="soglia 'parzialmente raggiunto' (%)")),
                        ('missed_deadline_pct', models.DecimalField(decimal_places=2, default=Decimal('0'), help_text="Regola dell'ente per gli indicatori a scadenza raggiunti dopo la data attesa. Le soglie e questa regola valgono per gli anni non ancora trasmessi all'OIV: ogni anno trasmesso o validato conserva le proprie.", max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='% di realizzazione di una scadenza mancata')),
                    ],
                    options={
                        'verbose_name': 'ente',
                        'verbose_name_plural': 'enti',
                        'db_table': 'relazione_body',
                        'base_manager_name': 'objects',
                        'constraints': [models.CheckConstraint(condition=models.Q(('band_partial_from__lte', models.F('band_achieved_from')), ('band_partial_from__gte', 0), ('band_achieved_from__lte', 100)), name='body_bands_ordered'), models.CheckConstraint(condition=models.Q(('missed_deadline_pct__gte', 0), ('missed_deadline_pct__lte', 100)), name='body_missed_deadline_pct_range')],
                    },
                ),
                migrations.CreateModel(
                    name='Cycle',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='anno')),
                        ('state', models.CharField(choices=[('planning', 'Pianificazione'), ('monitoring', 'Monitoraggio (inserimento dati aperto)'), ('closed', 'Rendicontazione chiusa'), ('submitted', "Trasmessa all'OIV"), ('returned', "Restituita dall'OIV con richieste"), ('validated', "Validata dall'OIV"), ('published', 'Pubblicata')], default='planning', max_length=20, verbose_name='stato')),
                        ('plan_reference', models.CharField(blank=True, help_text='Es. PIAO 2023-2025 approvato con delibera n. 2/2023.', max_length=200, verbose_name='atto di approvazione del piano')),
                        ('band_achieved_from', models.DecimalField(blank=True, decimal_places=2, help_text="Vuoto: quella dell'ente.", max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name="soglia 'raggiunto' (%)")),
                        ('band_partial_from', models.DecimalField(blank=True, decimal_places=2, help_text="Vuoto: quella dell'ente.", max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name="soglia 'parzialmente raggiunto' (%)")),
                        ('missed_deadline_pct', models.DecimalField(blank=True, decimal_places=2, help_text="Vuoto: quella dell'ente.", max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='% di realizzazione di una scadenza mancata')),
                        ('body_name', models.CharField(blank=True, help_text="Vuoto: quella attuale dell'ente.", max_length=200, verbose_name="denominazione dell'ente nell'anno")),
                        ('body_short_name', models.CharField(blank=True, max_length=80, verbose_name="denominazione breve dell'ente nell'anno")),
                        ('body', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cycles', to='core.body')),
                    ],
                    options={
                        'verbose_name': 'ciclo della performance',
                        'verbose_name_plural': 'cicli della performance',
                        'db_table': 'relazione_cycle',
                        'ordering': ['body', '-year'],
                        'base_manager_name': 'objects',
                        'constraints': [models.UniqueConstraint(fields=('body', 'year'), name='cycle_unique_year'), models.CheckConstraint(condition=models.Q(('year__gte', 2000), ('year__lte', 2100)), name='cycle_year_range'), models.CheckConstraint(condition=models.Q(('band_partial_from__lte', models.F('band_achieved_from')), ('band_partial_from__gte', 0), ('band_achieved_from__lte', 100)), name='cycle_bands_ordered'), models.CheckConstraint(condition=models.Q(('missed_deadline_pct__gte', 0), ('missed_deadline_pct__lte', 100)), name='cycle_missed_deadline_pct_range')],
                    },
                ),
            ],
        ),
    ]
