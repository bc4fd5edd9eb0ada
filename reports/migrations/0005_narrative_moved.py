# Narrative (and its history) moved from the app reports to narratives. The table keeps its
# name (Meta.db_table), so the move is a change of Django's state only: the rows stay where they are and no foreign key is rebuilt.

from django.db import migrations

from lib.migrations import content_types_moved


class Migration(migrations.Migration):

    dependencies = [
        ('narratives', '0001_from_reports'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('reports', '0004_cycle_in_core'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalnarrative',
                    name='cycle',
                ),
                migrations.RemoveField(
                    model_name='historicalnarrative',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalnarrative',
                    name='updated_by',
                ),
                migrations.RemoveConstraint(
                    model_name='narrative',
                    name='narrative_unique_key',
                ),
                migrations.RemoveConstraint(
                    model_name='narrative',
                    name='narrative_key_valid',
                ),
                migrations.DeleteModel(
                    name='HistoricalNarrative',
                ),
                migrations.DeleteModel(
                    name='Narrative',
                ),
            ],
        ),
        content_types_moved({"narrative": ("reports", "narratives"), "historicalnarrative": ("reports", "narratives")}),
    ]
