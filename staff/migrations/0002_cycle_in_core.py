import django.db.models.deletion
# The models Body and Cycle moved from the app relazione to core, ContextTable and
# DeclaredFigure to resources. Their tables keep their names (Meta.db_table), so the move is a
# change of Django's state only: the rows stay where they are, and no foreign key is rebuilt.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_move_body_cycle'),
        ('staff', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='absence',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='absences', to='core.cycle'),
                ),
                migrations.AlterField(
                    model_name='headcount',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='headcounts', to='core.cycle'),
                ),
                migrations.AlterField(
                    model_name='parentalleave',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='parental_leaves', to='core.cycle'),
                ),
                migrations.AlterField(
                    model_name='parttimecount',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='part_time_counts', to='core.cycle'),
                ),
                migrations.AlterField(
                    model_name='smartworking',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='smart_working', to='core.cycle'),
                ),
                migrations.AlterField(
                    model_name='staffcategory',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='staff_categories', to='core.cycle'),
                ),
                migrations.AlterField(
                    model_name='workforcesummary',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='workforce', to='core.cycle'),
                ),
            ],
        ),
    ]
