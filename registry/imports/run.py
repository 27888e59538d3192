"""One entry point for every import of a file: ``import_file(kind, source)``.

Metrics stream through ``registry.imports.metrics``; every other kind goes
through its django-import-export resource (``registry.imports.resources``),
validated with ``full_clean``. Both return an ``ImportReport``, all or nothing.
The management commands and the background job (``registry.imports.jobs``)
call this, so they import the same way."""

import re

from registry.imports.cleaning import ImportFileError
from registry.imports.metrics import import_metrics
from registry.imports.reports import ACTIONS, ImportReport
from registry.imports.resources import LINE, RESOURCES, raw_dataset

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
    dataset = raw_dataset(source, encoding=encoding)
    resource = RESOURCES[kind](user=user, cohort=cohort, change_reason=change_reason)
    resource.progress = progress
    if progress is not None and hasattr(progress, "total") and not progress.total:
        progress.total = len(dataset)
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
        retain_instance_in_row_result=True,
        file_name=file_name,
    )
    report = ImportReport()
    report.warnings = list(getattr(result, "import_warnings", resource.warnings))
    for error in result.base_errors:
        report.file_errors += 1
        report.errors.append((None, str(error.error)))
    for row in result.rows:
        action = ACTIONS.get(row.import_type, row.import_type)
        line = (row.row_values or {}).get(LINE, "?")
        report.rows += 1
        report.counts[action] = report.counts.get(action, 0) + 1
        if row.errors:
            report.errors.extend((line, re.sub(r"^line \d+: ", "", str(e.error))) for e in row.errors)
        elif row.validation_error is not None:
            report.errors.append((line, validation_message(row.validation_error)))
        elif preview_limit is None or len(report.preview) < preview_limit:
            report.preview.append((line, action, describe(resource, row)))
    report.written = not dry_run and not report.error_count
    return report


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
