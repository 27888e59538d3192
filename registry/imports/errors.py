"""Import problems as people read them: the file's line, the column and what is
wrong, in the user's language. Never a traceback, an exception's class name or
the database's own text (constraint names, SQL), which editors cannot act on
and which docs/SECURITY.md promises they never see."""

import re

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from registry.imports.cleaning import CellError, ImportFileError

# "line 12: name_en: 'x' is not ..." (the registry resources' row errors).
_LINE_PREFIX = re.compile(r"^line \d+: ")
_COLUMN_PREFIX = re.compile(r"^(?P<column>[a-z_]+): (?P<message>.+)$", re.S)


def safe_exception_text(error: BaseException) -> str:
    """The text of errors this codebase raises for people to read (cell and
    row errors, file errors, validation errors); a generic sentence for
    anything else, whose text was written for programmers."""
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    if isinstance(error, DatabaseError):
        return _(
            "This row could not be saved: it breaks a rule of the registry "
            "(a required value is missing, or it repeats a record that must be unique)."
        )
    if isinstance(error, (CellError, ImportFileError)) or type(error).__name__ == "RowError":
        return str(error)
    return _("This row could not be read. Check that its values match the columns of this list.")


def row_problems(line, error: BaseException) -> list[dict]:
    """One dict per problem: {"line", "column", "message"} (column may be "")."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return [
            {
                "line": line,
                "column": "" if field == "__all__" else field,
                "message": " ".join(str(m) for m in messages),
            }
            for field, messages in error.message_dict.items()
        ]
    text = _LINE_PREFIX.sub("", safe_exception_text(error))
    problems = []
    for part in text.split("; ") if type(error).__name__ == "RowError" else [text]:
        match = _COLUMN_PREFIX.match(part)
        column, message = (match["column"], match["message"]) if match else ("", part)
        problems.append({"line": line, "column": column, "message": message})
    return problems


def file_problem(error: BaseException) -> dict:
    if isinstance(error, (ImportFileError, CellError)):
        message = str(error)
    elif isinstance(error, KeyError) or "header" in str(error).lower() or "not present" in str(error):
        message = _(
            "The file's first row does not name the columns this list imports. "
            "Export the list to see the expected columns, then import a file with the same header."
        )
    else:
        message = _("The file could not be imported. Check that it is a CSV or XLSX export of this list.")
    return {"line": None, "column": "", "message": message}


def import_result_problems(result, *, lines_in_rows: bool) -> list[dict]:
    """Every problem of a django-import-export ``Result``, with the file's line:
    the registry resources carry it in the row's first value (``lines_in_rows``);
    plain resources count data rows from the header, which is line 1."""

    def line_of(number, values):
        if lines_in_rows and values:
            return values[0]
        return number + 1 if number is not None else None

    problems = [file_problem(error.error) for error in result.base_errors]
    for number, errors in result.row_errors():
        for error in errors:
            values = list(error.row.values()) if isinstance(error.row, dict) else error.row
            problems.extend(row_problems(line_of(error.number or number, values), error.error))
    for invalid in result.invalid_rows:
        problems.extend(row_problems(line_of(invalid.number, list(invalid.values or ())), invalid.error))
    return problems


def report_problems(errors, *, limit: int | None = None) -> list[dict]:
    """An ``ImportReport``'s (line, message) pairs as problems, the column split
    off the message where the message names one ("followers: ... too large")."""
    problems = []
    for line, message in errors[:limit] if limit else errors:
        match = _COLUMN_PREFIX.match(message)
        column, text = (match["column"], match["message"]) if match else ("", message)
        problems.append({"line": line, "column": column, "message": text})
    return problems
