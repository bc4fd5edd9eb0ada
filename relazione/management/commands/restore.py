"""``manage.py restore FILE [--force]``: put back a copy made by ``manage.py backup``.

PostgreSQL: ``pg_restore --clean --if-exists`` into the configured database. Other databases
(SQLite): ``migrate``, then ``loaddata`` of the JSON dump in one transaction. The target must be
empty (no data beyond what ``migrate`` creates) unless ``--force``: a restore replaces
everything, and must not mix two databases by mistake.

The locked-year guard (core.locking) is lifted for the load: a backup holds validated years,
and putting them back exactly as they were is what a restore is for.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

from core.locking import unlocked

from .backup import pg_env, pg_tool

# Rows that ``migrate`` itself creates: their presence does not make a database "not empty".
MIGRATE_OWNED = {"contenttypes.contenttype", "auth.permission"}


def non_empty_tables(database: str) -> list[str]:
    """The models that have rows (only those whose table exists)."""
    connection = connections[database]
    existing = set(connection.introspection.table_names())
    found = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in MIGRATE_OWNED or model._meta.db_table not in existing:
            continue
        if model._base_manager.using(database).exists():
            found.append(label)
    return found


class Command(BaseCommand):
    help = "Ripristina una copia di sicurezza fatta con «manage.py backup»."

    def add_arguments(self, parser):
        parser.add_argument("file", help="File della copia di sicurezza.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Sostituisce i dati anche se il database di destinazione non è vuoto.",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, file, force, database, **options):
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"Il file «{source}» non esiste.")
        connection = connections[database]
        is_pg_dump = source.read_bytes()[:5] == b"PGDMP"
        if connection.vendor == "postgresql" and not is_pg_dump:
            raise CommandError("Il file non è una copia pg_dump: su PostgreSQL serve un file -Fc.")
        if connection.vendor != "postgresql" and is_pg_dump:
            raise CommandError("Il file è una copia pg_dump: si ripristina solo su PostgreSQL.")
        if connection.vendor != "postgresql":
            call_command("migrate", database=database, interactive=False, verbosity=0)
        filled = non_empty_tables(database)
        if filled and not force:
            shown = ", ".join(filled[:5]) + (" e altre" if len(filled) > 5 else "")
            raise CommandError(
                f"Il database di destinazione non è vuoto (dati in: {shown}): il ripristino "
                "sostituirebbe tutto. Usare un database vuoto, oppure --force per sovrascriverlo."
            )
        if connection.vendor == "postgresql":
            self._pg_restore(connection, source)
        else:
            with transaction.atomic(using=database), unlocked():
                if filled:
                    call_command("flush", database=database, interactive=False, verbosity=0)
                call_command("loaddata", str(source), database=database, verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Copia di sicurezza {source} ripristinata."))

    def _pg_restore(self, connection, source: Path) -> None:
        settings_dict = connection.settings_dict
        args, env = pg_env(settings_dict)
        connection.close()
        command = [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *args,
            "-d",
            settings_dict["NAME"],
            str(source),
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
        if done.returncode != 0:
            raise CommandError(f"pg_restore non riuscito: {done.stderr.strip()}")
