# The models Body and Cycle moved from the app relazione to core, ContextTable and
# DeclaredFigure to resources. Their tables keep their names (Meta.db_table), so the move is a
# change of Django's state only: the rows stay where they are, and no foreign key is rebuilt.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('relazione', '0003_cycle_settings'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='body',
                    name='body_bands_ordered',
                ),
                migrations.RemoveConstraint(
                    model_name='body',
                    name='body_missed_deadline_pct_range',
                ),
                migrations.RemoveConstraint(
                    model_name='contexttable',
                    name='context_table_unique_key',
                ),
                migrations.RemoveConstraint(
                    model_name='cycle',
                    name='cycle_unique_year',
                ),
                migrations.RemoveConstraint(
                    model_name='cycle',
                    name='cycle_year_range',
                ),
                migrations.RemoveConstraint(
                    model_name='cycle',
                    name='cycle_bands_ordered',
                ),
                migrations.RemoveConstraint(
                    model_name='cycle',
                    name='cycle_missed_deadline_pct_range',
                ),
                migrations.RemoveConstraint(
                    model_name='declaredfigure',
                    name='declared_unique_key',
                ),
                migrations.RemoveField(
                    model_name='cycle',
                    name='body',
                ),
                migrations.RemoveField(
                    model_name='declaredfigure',
                    name='cycle',
                ),
                migrations.DeleteModel(
                    name='ContextTable',
                ),
            ],
        ),
    ]
