"""Back up the whole database to one file.

PostgreSQL: ``pg_dump --format=custom`` (schema, data and sequences; restore with
``restore_registry`` or ``pg_restore``). SQLite, or ``--format json`` on either
engine: every row of every table as JSON with natural keys for content types and
permissions, so it loads into a freshly migrated database of either engine.
Left out: content types and permissions (recreated by ``migrate``), sessions and
login-throttling records (transient).
"""

import datetime
import gzip
import os
import shutil
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections

EXCLUDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps microseconds."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def postgres_environment(database: dict) -> tuple[list[str], dict]:
    """Connection arguments for pg_dump/pg_restore, with the password in the
    environment rather than on the command line (where ``ps`` would show it)."""
    args = ["--dbname", database["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            args += [flag, str(database[key])]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    sslmode = database.get("OPTIONS", {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return args, env


def backed_up_models():
    for model in serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    ):
        if model._meta.label_lower in EXCLUDED or model._meta.proxy or not model._meta.managed:
            continue
        yield model


def write_json(path: Path, using: str = DEFAULT_DB_ALIAS) -> int:
    opener = gzip.open if path.suffix == ".gz" else open
    count = 0

    def objects():
        nonlocal count
        for model in backed_up_models():
            for obj in model._base_manager.using(using).order_by(model._meta.pk.name).iterator(chunk_size=2000):
                count += 1
                yield obj

    try:
        with opener(path, "wt", encoding="utf-8") as stream:
            serializers.serialize(
                "json",
                objects(),
                stream=stream,
                cls=FullPrecisionEncoder,
                use_natural_foreign_keys=True,
                ensure_ascii=False,
            )
    except BaseException:
        path.unlink(missing_ok=True)  # never leave a partial file that looks like a backup
        raise
    return count


class Command(BaseCommand):
    help = "Back up the database: pg_dump on PostgreSQL, a JSON dump on SQLite (or with --format json)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: backups/registry-<time>.<ext>).")
        parser.add_argument("--format", choices=["auto", "json", "pg_dump"], default="auto")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output, format, database, **options):
        connection = connections[database]
        kind = format if format != "auto" else ("pg_dump" if connection.vendor == "postgresql" else "json")
        if kind == "pg_dump" and connection.vendor != "postgresql":
            raise CommandError("--format pg_dump needs a PostgreSQL database; use --format json.")
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        extension = "dump" if kind == "pg_dump" else "json.gz"
        path = Path(output or Path(settings.BASE_DIR) / "backups" / f"registry-{stamp}.{extension}")
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "pg_dump":
            self._pg_dump(connection.settings_dict, path)
            self.stdout.write(self.style.SUCCESS(f"Backed up {connection.settings_dict['NAME']} to {path} (pg_dump)"))
        else:
            count = write_json(path, using=database)
            self.stdout.write(self.style.SUCCESS(f"Backed up {count} rows to {path} (JSON)"))

    def _pg_dump(self, database: dict, path: Path) -> None:
        executable = shutil.which("pg_dump")
        if not executable:
            raise CommandError(
                "pg_dump is not installed (Debian: apt-get install postgresql-client); or back up with --format json."
            )
        args, env = postgres_environment(database)
        command = [executable, "--format=custom", "--no-owner", "--no-privileges", "--file", str(path), *args]
        # Safe: pg_dump from PATH with a fixed argument list, no shell.
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
        if result.returncode != 0:
            path.unlink(missing_ok=True)
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
