"""What an import did, and how a command prints it."""

from dataclasses import dataclass, field

ACTIONS = {
    "new": "create",
    "update": "update",
    "skip": "unchanged",
    "error": "error",
    "invalid": "error",
    "delete": "delete",
}


@dataclass
class ImportReport:
    """What an import did, row by row: every kind of import (metrics, resources,
    background jobs) reports in this shape."""

    counts: dict = field(default_factory=lambda: {"create": 0, "update": 0, "unchanged": 0, "error": 0})
    warnings: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    preview: list[tuple[int, str, str]] = field(default_factory=list)  # (line, action, what)
    written: bool = False
    rows: int = 0
    file_errors: int = 0  # problems with the file as a whole (no line), e.g. a missing column

    @property
    def error_count(self) -> int:
        """Rows with errors plus errors of the whole file: the one number every
        summary and exit message uses."""
        return self.counts.get("error", 0) + self.file_errors


def print_report(out, style, report: "ImportReport", *, dry_run: bool) -> None:
    """The command-line report: warnings, a preview line per row (up to the
    report's limit), every error with its line, and a summary."""
    for warning in report.warnings:
        out.write(style.WARNING(f"warning: {warning}"))
    for line, action, what in report.preview:
        out.write(f"line {line:>6}  {action:<9}  {what}")
    hidden = report.rows - len(report.preview) - report.counts.get("error", 0)
    if hidden > 0:
        out.write(f"... and {hidden:,} more rows")
    for line, message in report.errors:
        out.write(style.ERROR(f"line {line:>6}  error      {message}" if line else f"error: {message}"))
    counts = report.counts
    counts = {**counts, "error": report.error_count}
    summary = ", ".join(f"{counts.get(k, 0):,} {k}" for k in ("create", "update", "unchanged", "error"))
    if report.error_count:
        out.write(style.ERROR(f"{summary}. Nothing was written: fix the rows above and import again."))
    elif dry_run:
        out.write(style.SUCCESS(f"Dry run: {summary}. Nothing was written."))
    elif report.written:
        out.write(style.SUCCESS(f"Imported: {summary}."))
