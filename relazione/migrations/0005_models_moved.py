# The models Body and Cycle moved from the app relazione to core, ContextTable and
# DeclaredFigure to resources. Their tables keep their names (Meta.db_table), so the move is a
# change of Django's state only: the rows stay where they are, and no foreign key is rebuilt.

from django.db import migrations

from lib.migrations import content_types_moved


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('consistency', '0002_cycle_in_core'),
        ('finance', '0002_cycle_in_core'),
        ('indicators', '0003_cycle_in_core'),
        ('objectives', '0005_cycle_in_core'),
        ('public', '0002_cycle_in_core'),
        ('relazione', '0004_models_moving'),
        ('reports', '0004_cycle_in_core'),
        ('resources', '0002_context_and_declared_from_relazione'),
        ('staff', '0002_cycle_in_core'),
        ('workflow', '0004_cycle_in_core'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='Body',
                ),
                migrations.DeleteModel(
                    name='Cycle',
                ),
                migrations.DeleteModel(
                    name='DeclaredFigure',
                ),
            ],
        ),
        content_types_moved(
            {
                "body": ("relazione", "core"),
                "cycle": ("relazione", "core"),
                "contexttable": ("relazione", "resources"),
                "declaredfigure": ("relazione", "resources"),
            }
        ),
    ]
