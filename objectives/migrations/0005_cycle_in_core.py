import django.db.models.deletion
# The models Body and Cycle moved from the app relazione to core, ContextTable and
# DeclaredFigure to resources. Their tables keep their names (Meta.db_table), so the move is a
# change of Django's state only: the rows stay where they are, and no foreign key is rebuilt.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_move_body_cycle'),
        ('objectives', '0004_cycleunit'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='cycleunit',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='unit_labels', to='core.cycle'),
                ),
                migrations.AlterField(
                    model_name='historicaloperationalobjective',
                    name='cycle',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.cycle'),
                ),
                migrations.AlterField(
                    model_name='historicalstrategicobjective',
                    name='cycle',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.cycle'),
                ),
                migrations.AlterField(
                    model_name='operationalobjective',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='operational_objectives', to='core.cycle'),
                ),
                migrations.AlterField(
                    model_name='orgunit',
                    name='body',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='units', to='core.body'),
                ),
                migrations.AlterField(
                    model_name='perspective',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='perspectives', to='core.cycle'),
                ),
                migrations.AlterField(
                    model_name='scorecard',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scorecards', to='core.cycle'),
                ),
                migrations.AlterField(
                    model_name='strategicobjective',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='strategic_objectives', to='core.cycle'),
                ),
            ],
        ),
    ]
