"""The OIV workspace sorted by % realization descending (the not valued last, the plan's order
within a tie): on PostgreSQL an index in exactly that order, so a page is read in index order
(``indicator_cycle_realization``, ascending, serves the ascending sort only: its backward scan
would put the not valued first and the ties in reverse order). PostgreSQL only: SQLite's CREATE
INDEX takes no NULLS LAST, and a model ``Index`` cannot say it for one database alone."""

from django.db import migrations

INDEX = "indicator_cycle_realization_desc"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON indicators_indicator "
            '(cycle_id, realization DESC NULLS LAST, "order", id)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("indicators", "0011_threshold_targets_rescored")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
