"""Reading the files people actually send: CSV, TSV and XLSX in any common
encoding, with aliases for headers, footers and duplicated rows.

This module knows nothing about import-export or the ORM. It turns bytes into
``Table`` rows of cleaned Python values (or clear errors with line numbers);
``registry.imports.resources`` (admin and ``import_data``) and the streaming
metrics path (``registry.imports.metrics``) both build on it, so every import
cleans the same way.
"""

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext

from registry.imports.cleaning import (
    CellError,
    ImportFileError,
    _fold,
    _Repaired,
    clean_string,
    clean_text,
    has_cjk,
    normalise_header,
)

# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    """A column an import understands: its canonical name, the headers that mean
    it, how to clean a value, and whether every row needs one."""

    name: str
    aliases: tuple[str, ...] = ()
    clean: Callable = clean_string
    required: bool = False
    key: bool = False  # part of the natural key used to spot duplicated rows
    ignored_because: str = ""  # recognised, but not stored (the reason is reported)

    def matches(self) -> set[str]:
        return {normalise_header(self.name), *(normalise_header(a) for a in self.aliases)}


@dataclass
class Spec:
    kind: str
    columns: tuple[Column, ...]
    one_of: tuple[tuple[str, ...], ...] = ()  # at least one of these columns per row
    key: Callable[[dict], tuple] | None = None  # the natural key that spots duplicated rows
    key_label: str = "key"

    def by_header(self) -> dict[str, Column]:
        out = {}
        for column in self.columns:
            for match in column.matches():
                out[match] = column
        return out

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# --------------------------------------------------------------------------- reading files

_SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Excel (.xls) or Word file; save it as .xlsx or CSV"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
]
MAX_HEADER_SEARCH = 15
FOOTER_PATTERN = re.compile(r"^(source|sources|note|notes|数据来源|来源|注|说明|备注|制表|©|\(c\))", re.IGNORECASE)


def sniff_type(head: bytes, *, encoding: str | None = None) -> str:
    """'xlsx' or 'text'; raises ImportFileError naming what the file really is.
    NUL bytes mean binary unless the text is UTF-16 (with or without a
    byte-order mark, or named by ``encoding``)."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise ImportFileError(
                gettext("This file is %(what)s, not a CSV, TSV or XLSX spreadsheet.") % {"what": what}
            )
    if (
        b"\x00" in head
        and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        and not (encoding or "").lower().replace("-", "_").startswith(("utf_16", "utf16", "utf_32", "utf32"))
        and utf16_without_bom(head) is None
    ):
        raise ImportFileError(gettext("This file is binary, not a CSV, TSV or XLSX spreadsheet."))
    return "text"


def utf16_without_bom(sample: bytes) -> str | None:
    """'utf_16_le' or 'utf_16_be' if ``sample`` is UTF-16 text without a
    byte-order mark (as Excel's "Unicode text" and some Windows tools save it),
    else None. The statements reader's detection (charset-normalizer, the same
    candidates) decides; a sample cut mid-character is trimmed to whole units."""
    from registry.statements.reading import NotText, decode_article

    try:
        decoded = decode_article(sample[: len(sample) // 2 * 2])
    except NotText:
        return None
    return decoded.encoding if decoded.encoding in ("utf_16_le", "utf_16_be") else None


def detect_encoding(sample: bytes, *, complete: bool) -> str:
    """utf-8-sig, UTF-16 with a BOM, then GB18030, then charset detection.
    ``complete`` says whether ``sample`` is the whole file (a truncated sample may
    end inside a multi-byte character)."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        utf16 = utf16_without_bom(sample)
        if utf16 is not None:
            return utf16
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=complete)
            return encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise ImportFileError(
            "The file's text encoding could not be recognised; give it with --encoding "
            "(e.g. --encoding gb18030) or save the file as UTF-8."
        )
    return best.encoding


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in ("\t", ",", ";", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def iter_text_rows(stream: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) from decoded CSV/TSV text lines; the delimiter is
    sniffed from the first non-blank line."""
    lines = iter(stream)
    buffered: list[str] = []
    for line in lines:
        buffered.append(line)
        if line.strip():
            break
    if not buffered or not buffered[-1].strip():
        return
    delimiter = _delimiter(buffered[-1])

    def chained():
        yield from buffered
        yield from lines

    reader = csv.reader(chained(), delimiter=delimiter)
    for cells in reader:
        yield reader.line_num, cells


def iter_xlsx_rows(data: bytes | Path) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    source = io.BytesIO(data) if isinstance(data, bytes) else str(data)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ImportFileError(
            f"This file looks like a ZIP archive but is not a readable XLSX workbook ({error})."
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            yield number, list(row)
    finally:
        workbook.close()


def _decode_stream(raw: io.BufferedIOBase, encoding: str) -> Iterator[str]:
    """Lines of text, with a clear error naming the line where decoding fails."""
    decoder = codecs.getincrementaldecoder(encoding)()
    pending = ""
    line_number = 1
    while True:
        chunk = raw.read(1 << 16)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError:
            raise ImportFileError(
                f"Line {line_number + pending.count(chr(10))}: the text is not valid {encoding}; "
                "give the file's encoding with --encoding, or save it as UTF-8."
            ) from None
        pending += text
        *complete, pending = pending.split("\n")
        for line in complete:
            line_number += 1
            yield line + "\n"
        if not chunk:
            break
    if pending:
        yield pending


@dataclass
class RawRows:
    """Rows as read: the file's type and encoding, then (line, cells)."""

    file_type: str
    encoding: str | None
    rows: Iterator[tuple[int, list]]


def open_rows(source: bytes | str | Path, *, encoding: str | None = None) -> RawRows:
    """Rows from bytes or a path, streamed. Raises ImportFileError for a file of
    the wrong type, an unknown encoding or an empty file."""
    if isinstance(source, bytes):
        head = source[: 1 << 16]
        complete = len(source) <= len(head)
    else:
        path = Path(source)
        if not path.is_file():
            raise ImportFileError(gettext("No such file: %(path)s") % {"path": path})
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
            complete = not handle.read(1)
    if not head.strip():
        raise ImportFileError(gettext("The file is empty."))
    if sniff_type(head, encoding=encoding) == "xlsx":
        return RawRows("xlsx", None, iter_xlsx_rows(source if isinstance(source, bytes) else Path(source)))
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ImportFileError(gettext("Unknown encoding %(encoding)r.") % {"encoding": encoding}) from None
    else:
        encoding = detect_encoding(head, complete=complete)

    def lines():
        if isinstance(source, bytes):
            yield from _decode_stream(io.BytesIO(source), encoding)
        else:
            with Path(source).open("rb") as handle:
                yield from _decode_stream(handle, encoding)

    return RawRows("text", encoding, iter_text_rows(lines()))


# --------------------------------------------------------------------------- from raw rows to clean records


@dataclass
class Record:
    line: int
    values: dict  # canonical column name -> cleaned value (None for empty)
    errors: list[str] = field(default_factory=list)


@dataclass
class Table:
    """The header mapping and the warnings found so far; ``records`` streams the
    cleaned rows. Warnings and errors keep growing while ``records`` is consumed."""

    spec: Spec
    header_line: int
    columns: list[Column | None]  # per position; None for an unknown column
    warnings: list[str]
    records: Iterator[Record]
    encoding: str | None = None
    file_type: str = "text"
    errors: list[str] = field(default_factory=list)

    @property
    def present(self) -> set[str]:
        return {c.name for c in self.columns if c is not None}


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return str(value)


def _is_blank(cells) -> bool:
    return all(_cell_text(c) == "" for c in cells)


def read_table(source, spec: Spec, *, encoding: str | None = None, fixed: dict | None = None) -> Table:
    """Open ``source`` and map its header row onto ``spec``.

    The header is the first row (among the first few non-blank ones) in which any
    cell is a known column, so title lines above it are skipped with a warning.
    ``fixed`` supplies values for every row (e.g. the cohort from --cohort)."""
    raw = open_rows(source, encoding=encoding)
    table = table_from_rows(raw.rows, spec, fixed=fixed)
    table.encoding, table.file_type = raw.encoding, raw.file_type
    return table


def table_from_rows(rows: Iterator[tuple[int, list]], spec: Spec, *, fixed: dict | None = None) -> Table:
    """Find and map the header among (line, cells) rows; see ``read_table``."""
    rows = iter(rows)
    by_header = spec.by_header()
    warnings: list[str] = []
    skipped: list[int] = []
    header_line, header = None, None
    for line, cells in rows:
        if _is_blank(cells):
            continue
        if any(normalise_header(_cell_text(c)) in by_header for c in cells):
            header_line, header = line, cells
            break
        skipped.append(line)
        if len(skipped) >= MAX_HEADER_SEARCH:
            break
    if header is None:
        if not skipped:
            raise ImportFileError(gettext("The file has no rows."))
        known = ", ".join(c.name for c in spec.columns if not c.ignored_because)
        raise ImportFileError(
            f"No header row found: none of the first {len(skipped)} rows names a known column "
            f"for {spec.kind} (known columns: {known})."
        )
    if skipped:
        warnings.append(
            f"Lines {skipped[0]}–{skipped[-1]} above the header were skipped."
            if len(skipped) > 1
            else f"Line {skipped[0]} above the header was skipped."
        )
    columns: list[Column | None] = []
    seen: dict[str, str] = {}
    for position, cell in enumerate(header):
        label = clean_text(_cell_text(cell))
        column = by_header.get(normalise_header(label))
        if column is not None and column.name == "name" and "name" in seen:
            # A file with both "Company" and "企业名称": the second names the same
            # organisation in the other language.
            other = "name_zh" if has_cjk(label) else "name_en"
            if other not in seen and any(c.name == other for c in spec.columns):
                column = spec.column(other)
        if column is None:
            if label:
                warnings.append(f"Unknown column {label!r} (column {position + 1}) is not imported.")
        elif column.name in seen:
            warnings.append(f"Column {label!r} repeats {seen[column.name]!r}; only the first is imported.")
            column = None
        elif column.ignored_because:
            warnings.append(f"Column {label!r} is not imported: {column.ignored_because}")
            seen[column.name] = label
            column = None
        else:
            seen[column.name] = label
        columns.append(column)
    present = {c.name for c in columns if c is not None} | set(fixed or {})
    missing = [c.name for c in spec.columns if c.required and c.name not in present]
    for group in spec.one_of:
        if not present & set(group):
            missing.append(" or ".join(group))
    if missing:
        raise ImportFileError(
            gettext("Line %(line)s: required column missing: %(columns)s.")
            % {"line": header_line, "columns": ", ".join(missing)}
        )
    table = Table(spec, header_line, columns, warnings, iter(()))
    table.records = _records(rows, table, fixed or {})
    return table


def _records(rows, table: Table, fixed: dict) -> Iterator[Record]:
    spec = table.spec
    width = len(table.columns)
    trailing: list[tuple[int, list]] = []  # rows that may be a footer, held back until data follows

    def build(line, cells) -> Record:
        record = Record(line, dict(fixed))
        for position, column in enumerate(table.columns):
            if column is None:
                continue
            value = cells[position] if position < len(cells) else None
            try:
                record.values[column.name] = column.clean(value)
            except _Repaired as repaired:
                record.values[column.name] = repaired.value
                table.warnings.append(
                    f"Line {line}: {column.name} {repaired.original!r} was mis-encoded text; "
                    f"read as {repaired.value!r}."
                )
            except CellError as error:
                record.values[column.name] = None
                record.errors.append(f"{column.name}: {error}")
        if any(_cell_text(c) for c in cells[width:]):
            record.errors.append(f"{len(cells)} cells but the header has {width}")
        for column in spec.columns:
            if (
                column.required
                and record.values.get(column.name) in (None, "")
                and not any(e.startswith(f"{column.name}:") for e in record.errors)
            ):
                record.errors.append(f"{column.name} is empty")
        for group in spec.one_of:
            if all(record.values.get(name) in (None, "") for name in group):
                record.errors.append(f"needs one of {', '.join(group)}")
        return record

    for line, cells in rows:
        if _is_blank(cells):
            continue
        filled = [_cell_text(c) for c in cells if _cell_text(c)]
        if width >= 2 and len(filled) == 1 and (FOOTER_PATTERN.match(filled[0]) or trailing):
            trailing.append((line, cells))
            continue
        for held in trailing:  # data followed: what looked like a footer was a (bad) row
            yield build(*held)
        trailing = []
        yield build(line, cells)
    for line, cells in trailing:
        text = next(_cell_text(c) for c in cells if _cell_text(c))
        table.warnings.append(f"Line {line}: {text[:60]!r} is not a data row (a footer?) and was ignored.")


def natural_key(record: Record, spec: Spec) -> tuple:
    if spec.key is not None:
        return spec.key(record.values)
    return tuple(record.values.get(c.name) for c in spec.columns if c.key)


class Deduplicator:
    """Spots rows that repeat an earlier row's natural key: identical repeats are
    dropped with a warning, conflicting ones are errors. Holds one small tuple
    per distinct key."""

    def __init__(self, spec: Spec, warnings: list[str]):
        self.spec, self.warnings = spec, warnings
        self.seen: dict[tuple, tuple[int, int]] = {}

    def check(self, record: Record) -> bool:
        """False if the record is an identical duplicate to drop."""
        key = natural_key(record, self.spec)
        if all(part in (None, "") for part in key):
            return True
        values = dict(record.values)
        if values.get("platform"):
            values["platform"] = _fold(values["platform"])  # "WeChat" and "微信" are "wechat"
        fingerprint = hash(tuple(sorted((k, str(v)) for k, v in values.items())))
        earlier = self.seen.get(key)
        if earlier is None:
            self.seen[key] = (record.line, fingerprint)
            return True
        if earlier[1] == fingerprint:
            self.warnings.append(f"Line {record.line} repeats line {earlier[0]} exactly; imported once.")
            return False
        record.errors.append(f"duplicates line {earlier[0]} (same {self.spec.key_label}) with different values")
        return True
