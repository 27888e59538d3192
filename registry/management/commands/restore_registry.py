"""Restore a backup made by ``backup_registry``, replacing everything in the database.

A pg_dump file is restored with ``pg_restore --clean`` in one transaction. A JSON
dump is loaded in one transaction after emptying the database (``flush``), so a
failed restore leaves the database as it was. Run ``migrate`` first when the
database is new.
"""

import gzip
import shutil
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import override_settings

from registry.management.commands.backup_registry import postgres_environment

PG_DUMP_MAGIC = b"PGDMP"


def is_pg_dump(path: Path) -> bool:
    with open(path, "rb") as stream:
        return stream.read(len(PG_DUMP_MAGIC)) == PG_DUMP_MAGIC


class Command(BaseCommand):
    help = "Restore a backup made by backup_registry. Everything in the database is replaced."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive", help="Do not ask for confirmation."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, file, interactive, database, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        connection = connections[database]
        name = connection.settings_dict["NAME"]
        if interactive and sys.stdin.isatty():
            answer = input(f"This replaces everything in {name} with {path}. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        if is_pg_dump(path):
            if connection.vendor != "postgresql":
                raise CommandError(f"{path} is a pg_dump file; it can only be restored into PostgreSQL.")
            connection.close()  # hold no locks while pg_restore drops and recreates tables
            self._pg_restore(connection.settings_dict, path)
        else:
            self._load_json(path, database)
        self.stdout.write(self.style.SUCCESS(f"Restored {name} from {path}"))

    def _pg_restore(self, database: dict, path: Path) -> None:
        executable = shutil.which("pg_restore")
        if not executable:
            raise CommandError("pg_restore is not installed (Debian: apt-get install postgresql-client).")
        args, env = postgres_environment(database)
        command = [
            executable,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(path),
        ]
        # Safe: pg_restore from PATH with a fixed argument list, no shell.
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed; the database is unchanged: {result.stderr.strip()}")

    def _load_json(self, path: Path, database: str) -> None:
        try:
            opener = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rb") as stream:
                stream.read(1)
        except OSError as error:
            raise CommandError(f"{path} is neither a pg_dump file nor a JSON backup: {error}") from None
        # History rows come from the backup; the restore itself must not add more
        # (loading many-to-many fields would otherwise record "changes").
        with transaction.atomic(using=database), override_settings(SIMPLE_HISTORY_ENABLED=False):
            connection = connections[database]
            if connection.vendor == "postgresql":
                # TRUNCATE refuses tables with pending deferred checks from earlier in the transaction.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # flush empties every table, then recreates content types and permissions.
            call_command("flush", interactive=False, database=database, verbosity=0)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # rows may refer to rows loaded later
            call_command("loaddata", str(path), database=database, verbosity=0)
