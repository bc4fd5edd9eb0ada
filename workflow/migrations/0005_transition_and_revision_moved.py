# Transition moved to core, TargetRevision to indicators.
# The table keeps its name (Meta.db_table), so the move is a change of Django's state only:
# the rows stay where they are and no foreign key is rebuilt.

from django.db import migrations

from lib.migrations import content_types_moved


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_transition_from_workflow'),
        ('indicators', '0004_targetrevision_from_workflow'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('workflow', '0004_cycle_in_core'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='targetrevision',
                    name='revision_changes_target',
                ),
                migrations.RemoveConstraint(
                    model_name='targetrevision',
                    name='revision_reason_required',
                ),
                migrations.RemoveConstraint(
                    model_name='targetrevision',
                    name='revision_act_required',
                ),
                migrations.RemoveConstraint(
                    model_name='transition',
                    name='transition_moves',
                ),
                migrations.RemoveField(
                    model_name='transition',
                    name='cycle',
                ),
                migrations.RemoveField(
                    model_name='transition',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='TargetRevision',
                ),
                migrations.DeleteModel(
                    name='Transition',
                ),
            ],
        ),
        content_types_moved({"transition": ("workflow", "core"), "targetrevision": ("workflow", "indicators")}),
    ]
