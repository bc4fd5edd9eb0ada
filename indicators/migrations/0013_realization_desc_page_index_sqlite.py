"""The OIV workspace sorted by % realization descending (the not valued last, the plan's order
within a tie) read in index order on SQLite too: 0012's index in SQLite's terms, under the same
name. SQLite sorts NULL below every value, so ``realization DESC`` already puts the not valued
last, and to its planner the ORM's ``DESC NULLS LAST`` is that very order. Without it SQLite
read the year through ``indicator_cycle_realization`` backwards and sorted each tie by the
plan's order ("USE TEMP B-TREE FOR RIGHT PART OF ORDER BY"): the ~9,000 indicators at 100% of a
100x year for a page of 100. (The ascending sort, NULLS LAST, needs none: SQLite reads
``indicator_cycle_realization`` twice, the valued rows and then the NULL ones.)

Raw SQL, as 0012: a model ``Index`` cannot say NULLS LAST on PostgreSQL and not on SQLite (whose
CREATE INDEX refuses it). Not in the models' state, so a later migration that rebuilds the table
on SQLite (an altered column) drops it: tests/test_flat_pages.py reads the page's query plan and
fails then; such a migration recreates it with :func:`create`."""

from django.db import migrations

INDEX = "indicator_cycle_realization_desc"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON indicators_indicator "
            '(cycle_id, realization DESC, "order", id)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("indicators", "0012_realization_desc_page_index_postgresql")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
