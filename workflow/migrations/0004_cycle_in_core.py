import django.db.models.deletion
# The models Body and Cycle moved from the app relazione to core, ContextTable and
# DeclaredFigure to resources. Their tables keep their names (Meta.db_table), so the move is a
# change of Django's state only: the rows stay where they are, and no foreign key is rebuilt.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_move_body_cycle'),
        ('workflow', '0003_gap_justification'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='checklistanswer',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checklist_answers', to='core.cycle'),
                ),
                migrations.AlterField(
                    model_name='checklistitem',
                    name='body',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checklist_items', to='core.body'),
                ),
                migrations.AlterField(
                    model_name='gapjustification',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='gap_justifications', to='core.cycle'),
                ),
                migrations.AlterField(
                    model_name='remark',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='remarks', to='core.cycle'),
                ),
                migrations.AlterField(
                    model_name='transition',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='core.cycle'),
                ),
                migrations.AlterField(
                    model_name='validation',
                    name='cycle',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='validations', to='core.cycle'),
                ),
            ],
        ),
    ]
