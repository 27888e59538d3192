"""Import a CSV, TSV or XLSX file into the registry, all or nothing.

    python manage.py import_data organisations companies.csv --dry-run
    python manage.py import_data memberships fortune-china-2020.xlsx --cohort china-top-500-2020
    python manage.py import_data metrics feed.csv --user alice
    python manage.py import_data ranking global500.tsv --cohort-name "Fortune Global 500 2019"

Every row is reported as create, update, unchanged or error (with its line
number). If any row has an error nothing is written and the command fails.
See docs/IMPORTING.md.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from registry.imports.reports import print_report
from registry.imports.resources import SYSTEM_USER
from registry.imports.run import ImportFileError, import_file
from registry.imports.specs import KINDS


def history_user(username):
    """The user history records name, or None for the system user."""
    if not username:
        return None
    try:
        return get_user_model().objects.get_by_natural_key(username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"No user {username!r}.") from None


class Command(BaseCommand):
    help = "Import organisations, memberships, accounts, metrics, people, positions or statements from a file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=(*KINDS, "ranking"))
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")
        parser.add_argument("--cohort", metavar="SLUG", help="The cohort (ranking list) for memberships.")
        parser.add_argument("--encoding", metavar="ENC", help="The file's text encoding (default: detected).")
        parser.add_argument("--user", metavar="USERNAME", help="Record changes in the history as this user.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        ranking = parser.add_argument_group("ranking (a published list in one step)")
        ranking.add_argument("--cohort-name", metavar="NAME", help="The ranking, e.g. 'Fortune Global 500 2019'.")
        ranking.add_argument("--year", type=int, help="The ranking's year (default: the year in its name).")
        ranking.add_argument("--source", metavar="URL", default="", help="Where the list was published.")
        ranking.add_argument(
            "--strict", action="store_true", help="Refuse unknown sector values instead of mapping them to Other."
        )

    def handle(self, *args, kind, path, dry_run, cohort, encoding, user, no_progress, **options):
        if kind == "ranking":
            from registry.imports.ranking import import_ranking_command

            reason = f"import_data {kind} {path.name} (by {user or SYSTEM_USER})"
            return import_ranking_command(
                self, path, dry_run=dry_run, encoding=encoding, user=history_user(user), reason=reason, **options
            )
        if options.get("cohort_name") or options.get("strict"):
            raise CommandError("--cohort-name, --year, --source and --strict apply to rankings only.")
        if cohort and kind != "memberships":
            raise CommandError("--cohort applies to memberships only.")
        reason = f"import_data {kind} {path.name} (by {user or SYSTEM_USER})"
        self.run_import(
            kind,
            path,
            encoding=encoding,
            dry_run=dry_run,
            user=history_user(user),
            cohort=cohort,
            reason=reason,
            progress=not no_progress,
        )

    def run_import(self, kind, path, *, encoding, dry_run, user, reason, progress, cohort=None):
        bar = tqdm(file=sys.stderr, unit="row", disable=not progress, desc=kind)
        try:
            report = import_file(
                kind,
                path,
                encoding=encoding,
                dry_run=dry_run,
                user=user,
                cohort=cohort,
                change_reason=reason,
                progress=bar,
                file_name=path.name,
            )
        except ImportFileError as error:
            raise CommandError(f"{path}: {error}") from None
        finally:
            bar.close()
        print_report(self.stdout, self.style, report, dry_run=dry_run)
        if report.error_count:
            raise CommandError(f"{report.error_count} error(s) in {path.name}; nothing was written.")
