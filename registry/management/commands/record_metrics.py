"""Record account metric snapshots from a CSV/TSV/XLSX feed.

    python manage.py record_metrics feed.csv [--dry-run] [--encoding ENC] [--user USERNAME]

Columns: platform, account id or handle, date, and any of followers, posts,
reads, headline_reads, max_reads, likes, wows, shares, comments (aliases in
docs/IMPORTING.md). Snapshots are upserted on account + date, all or nothing,
streamed in chunks so large feeds import in bounded memory.
"""

from pathlib import Path

from registry.imports.resources import SYSTEM_USER
from registry.management.commands.import_data import Command as ImportCommand
from registry.management.commands.import_data import history_user


class Command(ImportCommand):
    help = "Record account metric snapshots (upsert on account + date) from a feed file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")
        parser.add_argument("--encoding", metavar="ENC", help="The file's text encoding (default: detected).")
        parser.add_argument("--user", metavar="USERNAME", help="Record changes in the history as this user.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, path, dry_run, encoding, user, no_progress, **options):
        reason = f"record_metrics {path.name} (by {user or SYSTEM_USER})"
        self.run_import(
            "metrics",
            path,
            encoding=encoding,
            dry_run=dry_run,
            user=history_user(user),
            reason=reason,
            progress=not no_progress,
        )
