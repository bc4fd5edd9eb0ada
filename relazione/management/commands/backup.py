"""``manage.py backup --output FILE``: a full copy of the database.

PostgreSQL: ``pg_dump -Fc`` (custom format, restored by ``manage.py restore`` with
``pg_restore --clean``), with the connection of the settings. Other databases (SQLite): a JSON
dump of every app (auth, history, workflow, ... included) with natural foreign keys, so the
content types and permissions that ``migrate`` recreates are not needed in the file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

# Recreated by ``migrate`` in the target database; referenced by natural key in the dump.
JSON_EXCLUDE = ["contenttypes", "auth.permission"]


def pg_env(settings_dict: dict) -> tuple[list[str], dict]:
    """libpq options and environment (password) for pg_dump/pg_restore from the settings."""
    args = []
    if settings_dict.get("HOST"):
        args += ["-h", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["-U", str(settings_dict["USER"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"Programma «{name}» non trovato: installare il client di PostgreSQL.")
    return path


class Command(BaseCommand):
    help = "Copia di sicurezza completa del database (pg_dump -Fc su PostgreSQL, JSON su SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", required=True, help="File da scrivere.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output, database, **options):
        connection = connections[database]
        target = Path(output)
        if target.parent and not target.parent.exists():
            raise CommandError(f"La cartella «{target.parent}» non esiste.")
        if connection.vendor == "postgresql":
            settings_dict = connection.settings_dict
            args, env = pg_env(settings_dict)
            command = [pg_tool("pg_dump"), "-Fc", "--no-owner", *args, "-f", str(target)]
            command.append(settings_dict["NAME"])
            done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
            if done.returncode != 0:
                raise CommandError(f"pg_dump non riuscito: {done.stderr.strip()}")
            kind = "pg_dump, formato custom"
        else:
            partial = target.with_name(target.name + ".parziale")
            call_command(
                "dumpdata",
                natural_foreign=True,
                exclude=JSON_EXCLUDE,
                indent=None,
                output=str(partial),
                database=database,
                verbosity=0,
            )
            partial.replace(target)  # never a half-written backup under the final name
            kind = "JSON"
        size = target.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(f"Copia di sicurezza scritta in {target} ({kind}, {size} byte).")
        )
