"""Import a CSV, TSV or XLSX file into the registry, all or nothing.

    python manage.py import_data organisations companies.csv --dry-run
    python manage.py import_data memberships fortune-china-2020.xlsx --cohort china-top-500-2020
    python manage.py import_data metrics feed.csv --user alice
    python manage.py import_data ranking global500.tsv --cohort-name "Fortune Global 500 2019"

Every row is reported as create, update, unchanged or error (with its line
number). If any row has an error nothing is written and the command fails.
See docs/IMPORTING.md.
"""

import re
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from registry.importing import KINDS, ImportFileError, import_metrics
from registry.resources import LINE, RESOURCES, SYSTEM_USER, raw_dataset

ACTIONS = {
    "new": "create",
    "update": "update",
    "skip": "unchanged",
    "error": "error",
    "invalid": "error",
    "delete": "delete",
}


def history_user(username):
    """The user history records name, or None for the system user."""
    if not username:
        return None
    try:
        return get_user_model().objects.get_by_natural_key(username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"No user {username!r}.") from None


def print_report(out, style, *, warnings, preview, counts, errors, dry_run, written, hidden=0):
    for warning in warnings:
        out.write(style.WARNING(f"warning: {warning}"))
    for line, action, what in preview:
        out.write(f"line {line:>6}  {action:<9}  {what}")
    if hidden:
        out.write(f"... and {hidden:,} more rows")
    for line, message in errors:
        out.write(style.ERROR(f"line {line:>6}  error      {message}" if line else f"error: {message}"))
    summary = ", ".join(f"{counts.get(k, 0):,} {k}" for k in ("create", "update", "unchanged", "error"))
    if errors or counts.get("error"):
        out.write(style.ERROR(f"{summary}. Nothing was written: fix the rows above and import again."))
    elif dry_run:
        out.write(style.SUCCESS(f"Dry run: {summary}. Nothing was written."))
    elif written:
        out.write(style.SUCCESS(f"Imported: {summary}."))


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
        account = history_user(user)
        reason = f"import_data {kind} {path.name} (by {user or SYSTEM_USER})"
        if kind == "ranking":
            from registry.imports.ranking import import_ranking_command

            return import_ranking_command(
                self, path, dry_run=dry_run, encoding=encoding, user=account, reason=reason, **options
            )
        if options.get("cohort_name") or options.get("strict"):
            raise CommandError("--cohort-name, --year, --source and --strict apply to rankings only.")
        if cohort and kind != "memberships":
            raise CommandError("--cohort applies to memberships only.")
        if kind == "metrics":
            return self.import_metrics(
                path, encoding=encoding, dry_run=dry_run, user=account, reason=reason, progress=not no_progress
            )
        try:
            dataset = raw_dataset(path, encoding=encoding)
        except ImportFileError as error:
            raise CommandError(f"{path}: {error}") from None
        resource = RESOURCES[kind](user=account, cohort=cohort, change_reason=reason)
        resource.progress = tqdm(
            total=len(dataset),
            file=sys.stderr,
            unit="row",
            disable=no_progress,
            desc=f"{kind} ({dataset.encoding or 'xlsx'})",
        )
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
            retain_instance_in_row_result=True,
            file_name=path.name,
        )
        resource.progress.close()
        preview, errors = [], [(None, str(e.error)) for e in result.base_errors]
        counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
        for row in result.rows:
            action = ACTIONS.get(row.import_type, row.import_type)
            line = (row.row_values or {}).get(LINE, "?")
            counts[action] = counts.get(action, 0) + 1
            if row.errors:
                errors.extend((line, re.sub(r"^line \d+: ", "", str(e.error))) for e in row.errors)
            elif row.validation_error is not None:
                errors.append((line, _validation_message(row.validation_error)))
            else:
                preview.append((line, action, _describe(resource, row)))
        print_report(
            self.stdout,
            self.style,
            warnings=getattr(result, "import_warnings", resource.warnings),
            preview=preview,
            counts=counts,
            errors=errors,
            dry_run=dry_run,
            written=not dry_run and not errors,
        )
        if errors:
            raise CommandError(f"{len(errors)} error(s) in {path.name}; nothing was written.")

    def import_metrics(self, path, *, encoding, dry_run, user, reason, progress):
        bar = tqdm(file=sys.stderr, unit="row", disable=not progress, desc="metrics")
        try:
            report = import_metrics(
                path, encoding=encoding, dry_run=dry_run, user=user, change_reason=reason, progress=bar
            )
        except ImportFileError as error:
            raise CommandError(f"{path}: {error}") from None
        finally:
            bar.close()
        shown = len(report.preview)
        print_report(
            self.stdout,
            self.style,
            warnings=report.warnings,
            preview=report.preview,
            counts=report.counts,
            errors=report.errors,
            dry_run=dry_run,
            written=report.written,
            hidden=report.rows - shown - report.counts["error"],
        )
        if report.counts["error"]:
            raise CommandError(f"{report.counts['error']} error(s) in {path.name}; nothing was written.")
        return None


def _validation_message(error) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _describe(resource, row) -> str:
    what = row.object_repr or ""
    if row.import_type == "update" and row.original is not None and row.instance is not None:
        changes = []
        for field in resource.get_import_fields():
            if field.readonly or not field.attribute:
                continue
            old, new = field.get_value(row.original), field.get_value(row.instance)
            if old != new:
                changes.append(f"{field.column_name}: {_short(old)} → {_short(new)}")
        if changes:
            what += " (" + "; ".join(changes) + ")"
    return what


def _short(value) -> str:
    text = "∅" if value in (None, "") else str(value)
    return text if len(text) <= 40 else text[:37] + "..."
