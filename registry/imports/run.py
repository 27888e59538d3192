"""One entry point for every import of a file: ``import_file(kind, source)``.

Metrics stream through ``registry.imports.metrics``; every other kind goes
through its django-import-export resource (``registry.imports.resources``),
validated with ``full_clean``. Both return an ``ImportReport``, all or nothing.
The management commands and the background job (``registry.imports.jobs``)
call this, so they import the same way."""

import re

import tablib
from django.db import DatabaseError, transaction
from django.utils.translation import gettext

from registry.imports.bulk import statement_limits
from registry.imports.cleaning import ImportFileError
from registry.imports.errors import safe_exception_text
from registry.imports.metrics import import_metrics
from registry.imports.organisations import OrganisationBatches
from registry.imports.reports import ACTIONS, ImportReport
from registry.imports.resources import ERRORS, LINE, RESOURCES
from registry.imports.specs import spec_for
from registry.imports.tables import Deduplicator, read_table
from registry.signals import bump_data_version

__all__ = ["ImportFileError", "import_file"]


def import_file(
    kind: str,
    source,
    *,
    encoding=None,
    dry_run=False,
    user=None,
    cohort=None,
    change_reason="",
    progress=None,
    file_name="",
    preview_limit=None,
    batch_size=2000,
) -> ImportReport:
    """Import ``source`` (a path or bytes) as ``kind``. Raises ImportFileError
    if the file cannot be read at all; row problems are in the report, and then
    nothing is written. ``progress`` is anything with ``update(n)`` (a tqdm bar,
    a job), told how many rows were processed."""
    if kind == "metrics":
        return import_metrics(
            source,
            encoding=encoding,
            dry_run=dry_run,
            user=user,
            change_reason=change_reason,
            progress=progress,
            batch_size=batch_size,
            **({"preview_limit": preview_limit} if preview_limit is not None else {}),
        )
    if kind in BATCHED:
        return _import_in_batches(
            kind,
            source,
            encoding=encoding,
            dry_run=dry_run,
            user=user,
            change_reason=change_reason,
            progress=progress,
            preview_limit=preview_limit,
            batch_size=batch_size,
        )
    return _import_with_resource(
        kind,
        source,
        encoding=encoding,
        dry_run=dry_run,
        user=user,
        cohort=cohort,
        change_reason=change_reason,
        progress=progress,
        file_name=file_name,
        preview_limit=preview_limit,
        batch_size=batch_size,
    )


def _batches(iterable, size):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# Kinds read, matched and written a batch at a time (a few queries per batch);
# the others go row by row through their django-import-export resource.
BATCHED = {"organisations": OrganisationBatches}


def _import_in_batches(
    kind, source, *, encoding, dry_run, user, change_reason, progress, preview_limit, batch_size
) -> ImportReport:
    """The file streamed in batches, each looked up and written in bulk, in
    one transaction: all or nothing. Memory holds one batch (plus one key per
    distinct row for duplicate detection), whatever the file's size.

    Rows of a batch that pass validation are written even after an error
    elsewhere (then rolled back with the rest), so that later rows match what
    earlier ones created, as in the real import, and a dry run previews
    exactly what the import would do. A batch the database refuses as a whole
    (rare: every rule is checked first) is rolled back to its savepoint and
    reported."""
    spec = spec_for(kind)
    table = read_table(source, spec, encoding=encoding)
    dedupe = Deduplicator(spec, table.warnings)
    report = ImportReport()
    importer = BATCHED[kind](report, user=user, change_reason=change_reason or "Imported", preview_limit=preview_limit)
    checkpoint = getattr(progress, "checkpoint", None)
    with transaction.atomic(), statement_limits():
        records = (record for record in table.records if dedupe.check(record))
        for batch in _batches(records, batch_size):
            if checkpoint is not None:
                checkpoint()  # may stop the import (cancelled): the transaction rolls back
            try:
                with transaction.atomic():
                    importer.import_batch(batch)
            except DatabaseError as error:
                first = batch[0].line
                report.errors.append((first, safe_exception_text(error)))
                report.file_errors += 1
                report.warnings.append(
                    gettext("Lines %(first)s to %(last)s: the database refused this batch, so it was not imported.")
                    % {"first": first, "last": batch[-1].line}
                )
            if progress is not None:
                progress.update(len(batch))
        _settle(report, dry_run=dry_run)
    return _finish(report, table)


def _import_with_resource(
    kind, source, *, encoding, dry_run, user, cohort, change_reason, progress, file_name, preview_limit, batch_size
) -> ImportReport:
    """The file streamed in batches through the kind's resource, in one
    transaction: memory holds one batch of rows and results (plus one key per
    distinct row for duplicate detection), whatever the file's size.

    Each batch runs in a savepoint, not one savepoint per row (django-import-
    export's ``use_transactions``): hundreds of thousands of subtransactions in
    one transaction slow every other reader of the database. A row the database
    itself refuses (rare: ``full_clean`` runs first) ends its batch, which is
    rolled back and reported; the later batches are still checked."""
    resource = RESOURCES[kind](user=user, cohort=cohort, change_reason=change_reason)
    resource.progress = progress
    resource.defer_version_bump = True
    spec = resource.spec
    table = read_table(source, spec, encoding=encoding, fixed={"cohort": cohort} if cohort else {})
    dedupe = Deduplicator(spec, table.warnings)
    names = [column.name for column in spec.columns]
    report = ImportReport()
    with transaction.atomic():
        records = (record for record in table.records if dedupe.check(record))
        checkpoint = getattr(progress, "checkpoint", None)
        for batch in _batches(records, batch_size):
            if checkpoint is not None:
                checkpoint()  # may stop the import (cancelled): the transaction rolls back
            dataset = tablib.Dataset(headers=[LINE, ERRORS, *names])
            for record in batch:
                dataset.append([record.line, "; ".join(record.errors), *(record.values.get(n) for n in names)])
            with transaction.atomic():
                result = resource.import_data(
                    dataset,
                    dry_run=False,
                    raise_errors=False,
                    use_transactions=False,
                    retain_instance_in_row_result=preview_limit is None or len(report.preview) < preview_limit,
                    file_name=file_name,
                )
                refused = _collect(report, resource, result, preview_limit)
                if refused is not None:
                    transaction.set_rollback(True)
                    report.warnings.append(
                        gettext(
                            "Line %(line)s: the database refused this row, so the rest of its batch was not checked."
                        )
                        % {"line": refused}
                    )
        _settle(report, dry_run=dry_run)
    return _finish(report, table)


def _settle(report: ImportReport, *, dry_run: bool) -> None:
    """At the end of the file's transaction: roll it back on any error or for a
    dry run (all or nothing for the file), else mark the report written."""
    if report.error_count or dry_run:
        transaction.set_rollback(True)
    else:
        report.written = True


def _finish(report: ImportReport, table) -> ImportReport:
    """The reading's warnings first; a written import moves the data version."""
    report.warnings[:0] = table.warnings
    if report.written:
        bump_data_version()
    return report


def _collect(report: ImportReport, resource, result, preview_limit) -> int | None:
    """Add one batch's results to the report. Returns the line of a row the
    database refused (the rows after it in the batch are not counted: on
    PostgreSQL the aborted transaction refuses them all), else None."""
    for error in result.base_errors:
        report.file_errors += 1
        report.errors.append((None, str(error.error)))
    for row in result.rows:
        action = ACTIONS.get(row.import_type, row.import_type)
        line = (row.row_values or {}).get(LINE, "?")
        report.rows += 1
        report.counts[action] = report.counts.get(action, 0) + 1
        if row.errors:
            database_error = next((e.error for e in row.errors if isinstance(e.error, DatabaseError)), None)
            if database_error is not None:
                # The database's own text names constraints and SQL: people get a sentence.
                report.errors.append((line, safe_exception_text(database_error)))
                return line
            report.errors.extend((line, re.sub(r"^line \d+: ", "", str(e.error))) for e in row.errors)
        elif row.validation_error is not None:
            report.errors.append((line, validation_message(row.validation_error)))
        elif preview_limit is None or len(report.preview) < preview_limit:
            report.preview.append((line, action, describe(resource, row)))
    return None


def validation_message(error) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def describe(resource, row) -> str:
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
