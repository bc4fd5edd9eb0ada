import django.db.models.deletion
# The models Body and Cycle moved from the app relazione to core, ContextTable and
# DeclaredFigure to resources. Their tables keep their names (Meta.db_table), so the move is a
# change of Django's state only: the rows stay where they are, and no foreign key is rebuilt.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_move_body_cycle'),
        ('public', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='publication',
                    name='cycle',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='publication', to='core.cycle'),
                ),
            ],
        ),
    ]
