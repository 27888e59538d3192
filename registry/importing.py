"""Reading the files people actually send: CSV, TSV and XLSX in any common
encoding, with aliases for headers, full-width characters, thousands
separators, currency signs, footers and duplicated rows.

This module knows nothing about import-export or the ORM. It turns bytes into
``Table`` rows of cleaned Python values (or clear errors with line numbers);
``registry.resources`` (admin and ``import_data``) and the streaming metrics
path (``record_metrics``) both build on it, so every import cleans the same way.
"""

import codecs
import csv
import datetime
import decimal
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from registry.validators import has_control_characters

# --------------------------------------------------------------------------- errors


class ImportFileError(ValueError):
    """The file as a whole cannot be read (wrong type, undecodable, empty, no header)."""


class CellError(ValueError):
    """One value cannot be understood; the message says why."""


# --------------------------------------------------------------------------- cleaning single values

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Characters that betray UTF-8 read as Latin-1/Windows-1252 ("ä¸­å›½" for 中国).
_MOJIBAKE_HINT = re.compile(
    r"[ÃÂâäåæçèéïð][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    r"\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def _cp1252_bytes(text: str) -> bytes | None:
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) < 256:  # bytes cp1252 leaves undefined pass through as Latin-1
                out.append(ord(char))
            else:
                return None
    return bytes(out)


def repair_mojibake(text: str) -> str | None:
    """The repaired text if ``text`` is unambiguously UTF-8 that was decoded as
    Windows-1252/Latin-1, else None."""
    if not _MOJIBAKE_HINT.search(text):
        return None
    raw = _cp1252_bytes(text)
    if raw is None:
        return None
    try:
        fixed = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return fixed if fixed != text else None


def clean_text(value) -> str:
    """NFKC (full-width to half-width, ideographic space to space), no zero-width
    characters, runs of whitespace collapsed, ends stripped."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).translate(_ZERO_WIDTH)
    return re.sub(r"\s+", " ", text).strip()


def _check_text(text: str) -> str:
    if has_control_characters(text):
        raise CellError(f"{text[:40]!r} contains control characters (such as NUL); remove them")
    if "\ufffd" in text or "锟斤拷" in text:
        raise CellError(
            f"{text!r} contains replacement characters: the text was damaged by a wrong "
            "encoding before it reached this file and cannot be repaired"
        )
    return text


_CURRENCY = re.compile(r"^(?:US\$|USD|RMB|CNY|HK\$|[$¥€£])\s*|\s*(?:元|RMB|CNY|USD)$", re.IGNORECASE)
_MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}


def clean_decimal(value) -> decimal.Decimal | None:
    """'$514,405.00 ', '￥1,234', '1 234', '3.2万' -> Decimal; '' -> None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not a number")
    if isinstance(value, int | decimal.Decimal):
        return decimal.Decimal(value)
    if isinstance(value, float):
        return decimal.Decimal(repr(value))
    text = clean_text(value)
    if text in ("", "-", "—", "n/a", "N/A", "NA", "null", "None"):
        return None
    original = text
    text = _CURRENCY.sub("", text).strip()
    text = _CURRENCY.sub("", text).strip()
    multiplier = 1
    if text.endswith("+"):  # "10万+" is how WeChat shows 100,001 or more: keep the floor
        text = text[:-1].strip()
    if text and text[-1] in _MULTIPLIERS:
        multiplier = _MULTIPLIERS[text[-1]]
        text = text[:-1].strip()
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()")
    text = re.sub(r"(?<=\d)[,\s'_\u00a0\u202f](?=\d{3}\b)", "", text)
    try:
        number = decimal.Decimal(text) * multiplier
    except decimal.InvalidOperation:
        raise CellError(f"{original!r} is not a number") from None
    if not number.is_finite():
        raise CellError(f"{original!r} is not a number")
    return -number if negative else number


# The largest values the columns can hold on every supported database
# (PositiveBigIntegerField and PositiveIntegerField).
BIG_COUNT_MAX = 2**63 - 1
COUNT_MAX = 2**31 - 1


def clean_count(value, *, maximum: int = BIG_COUNT_MAX) -> int | None:
    """A non-negative whole number no larger than ``maximum``."""
    number = clean_decimal(value)
    if number is None:
        return None
    if number < 0:
        raise CellError(f"{clean_text(value)!r} is negative; counts cannot be")
    if number != number.to_integral_value():
        raise CellError(f"{clean_text(value)!r} is not a whole number")
    if number > maximum:
        raise CellError(f"{clean_text(value)[:40]!r} is too large (at most {maximum:,})")
    return int(number)


def clean_small_count(value) -> int | None:
    """A count stored in a 32-bit column (posts a day, a rank)."""
    return clean_count(value, maximum=COUNT_MAX)


# Revenue columns hold 16 digits, 2 after the point.
MONEY_LIMIT = decimal.Decimal(10) ** 14


def clean_money(value) -> decimal.Decimal | None:
    number = clean_decimal(value)
    if number is None:
        return None
    if number < 0:
        raise CellError(f"{clean_text(value)!r} is negative")
    if number >= MONEY_LIMIT:
        raise CellError(f"{clean_text(value)[:40]!r} is too large (less than {MONEY_LIMIT:,} million)")
    return number.quantize(decimal.Decimal("0.01"))


_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"), "day"),
    (re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]$"), "day"),
    (re.compile(r"^(\d{4})[-/.](\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})年(\d{1,2})月$"), "month"),
    (re.compile(r"^(\d{4})年?$"), "year"),
]


def clean_partial_date(value) -> tuple[datetime.date | None, str]:
    """A date and its precision ('day', 'month' or 'year'): '2020-03-05',
    '2020/3/5', '2020年3月5日', '2020-03', '2020年3月', '2020'."""
    if value is None:
        return None, "day"
    if isinstance(value, datetime.datetime):
        return value.date(), "day"
    if isinstance(value, datetime.date):
        return value, "day"
    text = clean_text(value).replace(" ", "")
    if not text:
        return None, "day"
    for pattern, precision in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = [int(p) for p in match.groups()] + [1, 1]
            try:
                return datetime.date(parts[0], parts[1], parts[2]), precision
            except ValueError:
                break
    raise CellError(f"{text!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")


def clean_date(value) -> datetime.date | None:
    date, precision = clean_partial_date(value)
    if date is not None and precision != "day":
        raise CellError(f"{clean_text(value)!r} is not a full date (YYYY-MM-DD)")
    return date


_TRUE = {"1", "true", "yes", "y", "t", "是", "有", "✓", "x", "verified", "已认证"}
_FALSE = {"0", "false", "no", "n", "f", "否", "无", "", "未认证"}


def clean_bool(value) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = clean_text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return None if text == "" else False
    raise CellError(f"{text!r} is not yes or no")


def clean_string(value) -> str | None:
    if value is not None:
        # Before NFKC, which would fold some of the mis-decoded characters away.
        repaired = repair_mojibake(str(value).strip())
        if repaired is not None:
            raise _Repaired(clean_text(repaired), str(value).strip())
    text = clean_text(value)
    return _check_text(text) if text else None


class _Repaired(Exception):  # noqa: N818 - a signal, not a failure
    def __init__(self, value, original):
        super().__init__(value)
        self.value, self.original = value, original


def choice_cleaner(choices, aliases: dict[str, str] | None = None) -> Callable:
    """Accept a choice's value or label, case-insensitively, or one of ``aliases``."""
    lookup = {}
    for value, label in choices:
        lookup[normalise_header(value)] = value
        lookup[normalise_header(str(label))] = value
    for alias, value in (aliases or {}).items():
        lookup[normalise_header(alias)] = value

    def clean(raw):
        text = clean_text(raw)
        if not text:
            return None
        try:
            return lookup[normalise_header(text)]
        except KeyError:
            allowed = ", ".join(v for v, _ in choices)
            raise CellError(f"{text!r} is not one of: {allowed}") from None

    return clean


# --------------------------------------------------------------------------- columns


def normalise_header(text) -> str:
    text = unicodedata.normalize("NFKC", str(text or "")).translate(_ZERO_WIDTH).casefold()
    text = re.sub(r"[\s_\-]+", " ", text)
    return text.strip(" :：*")


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


def sniff_type(head: bytes) -> str:
    """'xlsx' or 'text'; raises ImportFileError naming what the file really is."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise ImportFileError(f"This file is {what}, not a CSV, TSV or XLSX spreadsheet.")
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError("This file is binary, not a CSV, TSV or XLSX spreadsheet.")
    return "text"


def detect_encoding(sample: bytes, *, complete: bool) -> str:
    """utf-8-sig, UTF-16 with a BOM, then GB18030, then charset detection.
    ``complete`` says whether ``sample`` is the whole file (a truncated sample may
    end inside a multi-byte character)."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
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
            raise ImportFileError(f"No such file: {path}")
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
            complete = not handle.read(1)
    if not head.strip():
        raise ImportFileError("The file is empty.")
    if sniff_type(head) == "xlsx":
        return RawRows("xlsx", None, iter_xlsx_rows(source if isinstance(source, bytes) else Path(source)))
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ImportFileError(f"Unknown encoding {encoding!r}.") from None
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
            raise ImportFileError("The file has no rows.")
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
        raise ImportFileError(f"Line {header_line}: required column missing: {', '.join(missing)}.")
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


# --------------------------------------------------------------------------- what each import understands

_PROVINCES_ZH = {
    "北京": "Beijing",
    "天津": "Tianjin",
    "河北": "Hebei",
    "山西": "Shanxi",
    "内蒙古": "Inner Mongolia",
    "辽宁": "Liaoning",
    "吉林": "Jilin",
    "黑龙江": "Heilongjiang",
    "上海": "Shanghai",
    "江苏": "Jiangsu",
    "浙江": "Zhejiang",
    "安徽": "Anhui",
    "福建": "Fujian",
    "江西": "Jiangxi",
    "山东": "Shandong",
    "河南": "Henan",
    "湖北": "Hubei",
    "湖南": "Hunan",
    "广东": "Guangdong",
    "广西": "Guangxi",
    "海南": "Hainan",
    "重庆": "Chongqing",
    "四川": "Sichuan",
    "贵州": "Guizhou",
    "云南": "Yunnan",
    "西藏": "Tibet",
    "陕西": "Shaanxi",
    "甘肃": "Gansu",
    "青海": "Qinghai",
    "宁夏": "Ningxia",
    "新疆": "Xinjiang",
    "香港": "Hong Kong",
    "澳门": "Macao",
    "台湾": "Taiwan",
}


def clean_province(value) -> str | None:
    from registry.geo import PROVINCES

    text = clean_string(value)
    if not text:
        return None
    by_name = {p.casefold(): p for p in PROVINCES}
    if text.casefold() in by_name:
        return by_name[text.casefold()]
    short = re.sub(r"(省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", text)
    if short in _PROVINCES_ZH:
        return _PROVINCES_ZH[short]
    raise CellError(f"{text!r} is not a province-level division (e.g. Beijing, Guangdong, 广东)")


def clean_credit_code(value) -> str | None:
    text = clean_string(value)
    if not text:
        return None
    from django.core.exceptions import ValidationError

    from registry.validators import validate_credit_code

    text = text.replace(" ", "").upper()
    try:
        validate_credit_code(text)
    except ValidationError as error:
        raise CellError(f"{text!r}: {' '.join(error.messages)}") from None
    return text


def clean_name_list(value) -> str | None:
    """Aliases: one per line; ';' and '；' also separate."""
    if value is None:
        return None
    parts = [_check_text(clean_text(p)) for p in re.split(r"[\n;；|]", str(value))]
    joined = "\n".join(p for p in parts if p)
    return joined or None


def clean_long_text(value) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).translate(_ZERO_WIDTH).strip()
    return _check_text(text) if text else None


def has_cjk(text: str | None) -> bool:
    return bool(text and _CJK.search(text))


def organisation_names(values: dict) -> tuple[str | None, str | None]:
    """(name_en, name_zh) from the 'name', 'name_en' and 'name_zh' columns: a
    generic name column fills the Chinese name when it is Chinese, and the
    English name (the registry's required name) when there is no other."""
    generic, name_en, name_zh = values.get("name"), values.get("name_en"), values.get("name_zh")
    if generic and has_cjk(generic) and not name_zh:
        name_zh = generic
    return name_en or generic or name_zh, name_zh


def _name_key(text):
    from registry.models import normalise_name

    return normalise_name(text) if text else None


def _organisation_key(values):
    name_en, _ = organisation_names(values)
    return (values.get("credit_code"),) if values.get("credit_code") else (_name_key(name_en),)


def _specs() -> dict[str, Spec]:
    from registry import models as m

    name = (
        "company",
        "name",
        "company name",
        "企业名称",
        "公司名称",
        "organisation",
        "organization",
        "单位名称",
        "机构名称",
        "企业",
    )
    credit = Column(
        "credit_code",
        ("credit code", "uscc", "unified social credit code", "统一社会信用代码", "信用代码", "社会信用代码"),
        clean_credit_code,
    )
    platform = Column("platform", ("平台", "platform name"), clean_string, required=True)
    rank_elsewhere = "it belongs to a memberships (ranking list) import"
    ownership = choice_cleaner(
        m.Ownership.choices,
        {
            "央企": "central_soe",
            "中央企业": "central_soe",
            "central soe": "central_soe",
            "soe": "central_soe",
            "地方国企": "local_soe",
            "地方国有企业": "local_soe",
            "民营": "private",
            "民营企业": "private",
            "私营": "private",
            "外资": "foreign",
            "外资企业": "foreign",
            "事业单位": "public_institution",
        },
    )
    opened = Column(
        "opened_on",
        ("opened", "opened on", "open date", "launch date", "开通时间", "注册时间", "开通日期"),
        clean_partial_date,
    )
    return {
        "organisations": Spec(
            "organisations",
            (
                Column("name", name),
                Column("name_en", ("name (english)", "english name", "英文名称", "英文名")),
                Column("name_zh", ("name (chinese)", "chinese name", "中文名称", "中文名")),
                Column("short_name", ("short name", "简称")),
                Column("aliases", ("alias", "other names", "别名"), clean_name_list),
                Column(
                    "kind",
                    ("type", "organisation kind", "类型"),
                    choice_cleaner(m.OrganisationKind.choices, {"企业": "company", "公司": "company"}),
                ),
                Column("ownership", ("ownership type", "所有制", "企业性质", "性质"), ownership),
                Column("sector", ("industry", "行业", "所属行业"), choice_cleaner(m.Sector.choices)),
                Column("province", ("省份", "省", "所在省份", "所在地区"), clean_province),
                Column("city", ("城市", "所在城市")),
                Column("website", ("url", "web site", "网址", "官网"), clean_string),
                credit,
                Column("parent", ("parent company", "母公司", "上级单位"), clean_string),
                Column("description", ("notes", "简介", "备注"), clean_long_text),
                Column("rank", ("排名", "no.", "#"), ignored_because=rank_elsewhere),
                Column(
                    "revenue",
                    ("revenues ($m)", "revenue", "营业收入", "营业收入(百万元)"),
                    ignored_because=rank_elsewhere,
                ),
            ),
            one_of=(("name", "name_en", "name_zh"),),
            key=_organisation_key,
            key_label="credit code or name",
        ),
        "memberships": Spec(
            "memberships",
            (
                Column("cohort", ("ranking", "list", "榜单"), clean_string, required=True),
                Column("organisation", (*name, "name (english)", "name (chinese)"), clean_string),
                credit,
                Column("rank", ("排名", "no.", "no", "#", "名次", "ranking position"), clean_small_count),
                Column(
                    "revenue_rmb_m",
                    (
                        "revenue",
                        "revenues",
                        "营业收入",
                        "营业收入(百万元)",
                        "revenue (rmb million)",
                        "revenue (rmb m)",
                        "revenue rmb m",
                        "营业收入(百万)",
                    ),
                    clean_money,
                ),
                Column(
                    "revenue_usd_m",
                    ("revenues ($m)", "revenue ($m)", "revenues (us$ million)", "revenue (usd million)"),
                    ignored_because="it is in US dollars and the registry holds revenue in RMB million; "
                    "convert it and name the column 'Revenue (RMB million)'.",
                ),
            ),
            one_of=(("organisation", "credit_code"),),
            key=lambda v: (v.get("cohort"), v.get("credit_code") or _name_key(v.get("organisation"))),
            key_label="cohort and organisation",
        ),
        "accounts": Spec(
            "accounts",
            (
                Column("organisation", (*name, "主体", "所属企业", "运营主体"), clean_string),
                credit,
                platform,
                Column(
                    "display_name",
                    ("account", "account name", "display name", "账号名称", "公众号名称", "微博名称", "昵称", "名称"),
                    clean_string,
                ),
                Column("handle", ("username", "@", "微信号", "账号", "handle or id"), clean_string),
                Column(
                    "account_id", ("account id", "id", "原始id", "uid", "账号id", "platform account id"), clean_string
                ),
                Column("url", ("link", "链接", "主页"), clean_string),
                Column("verified", ("认证", "是否认证"), clean_bool),
                opened,
                Column("closed_on", ("closed", "closed on", "注销时间", "关闭时间"), clean_date),
                Column("status", ("状态",), choice_cleaner(m.AccountStatus.choices)),
            ),
            one_of=(("organisation", "credit_code"), ("handle", "account_id")),
            key=lambda v: (
                (_fold(v.get("platform")), "id", v["account_id"])
                if v.get("account_id")
                else (_fold(v.get("platform")), "handle", v.get("handle"))
            ),
            key_label="platform and account id or handle",
        ),
        "metrics": Spec(
            "metrics",
            (
                platform,
                Column("account_id", ("account id", "id", "原始id", "uid", "账号id"), clean_string),
                Column("handle", ("account", "username", "微信号", "账号"), clean_string),
                Column("date", ("day", "日期", "统计日期", "数据日期"), clean_date, required=True),
                Column("followers", ("fans", "粉丝数", "粉丝", "粉丝量"), clean_count),
                Column("posts", ("articles", "发文数", "发文量", "文章数", "微博数", "发布数"), clean_small_count),
                Column("reads", ("views", "阅读数", "阅读量", "总阅读数", "播放量"), clean_count),
                Column("headline_reads", ("headline reads", "头条阅读数", "头条阅读", "头条阅读量"), clean_count),
                Column("max_reads", ("max reads", "peak reads", "最高阅读数", "最高阅读", "最高阅读量"), clean_count),
                Column("likes", ("点赞数", "点赞", "赞"), clean_count),
                Column("wows", ("wow", "在看", "在看数", "looking"), clean_count),
                Column("shares", ("reposts", "转发数", "分享数", "转发", "转发量"), clean_count),
                Column("comments", ("评论数", "评论", "评论量"), clean_count),
            ),
            one_of=(("account_id", "handle"),),
            key=lambda v: (_fold(v.get("platform")), v.get("account_id") or v.get("handle"), v.get("date")),
            key_label="account and date",
        ),
        "people": Spec(
            "people",
            (
                Column("name_en", ("name", "person", "name (english)", "english name", "英文名"), clean_string),
                Column("name_zh", ("name (chinese)", "chinese name", "姓名", "中文名"), clean_string),
                Column("aliases", ("alias", "other names", "别名"), clean_name_list),
                Column("description", ("notes", "简介", "备注"), clean_long_text),
            ),
            one_of=(("name_en", "name_zh"),),
            key=lambda v: ((v.get("name_en") or v.get("name_zh") or "").casefold(),),
            key_label="name",
        ),
        "positions": Spec(
            "positions",
            (
                Column("person", ("name", "姓名", "人员"), clean_string, required=True),
                Column("organisation", name[:1] + name[2:], clean_string),
                credit,
                Column("title", ("position", "role", "job title", "职务", "职位"), clean_string, required=True),
                Column(
                    "start_date", ("start", "from", "since", "任职时间", "开始时间"), lambda v: clean_partial_date(v)[0]
                ),
                Column("end_date", ("end", "to", "until", "离任时间", "结束时间"), lambda v: clean_partial_date(v)[0]),
            ),
            key=lambda v: (
                (v.get("person") or "").casefold(),
                v.get("credit_code") or _name_key(v.get("organisation")),
                (v.get("title") or "").casefold(),
            ),
            key_label="person, organisation and title",
        ),
        "statements": Spec(
            "statements",
            (
                Column(
                    "quote",
                    ("statement", "text", "quotation", "原话", "引语", "内容", "发言内容"),
                    clean_long_text,
                    required=True,
                ),
                Column(
                    "kind",
                    ("type", "类型"),
                    choice_cleaner(m.StatementKind.choices, {"直接引语": "quote", "间接引语": "paraphrase"}),
                ),
                Column("speaker", ("person", "发言人", "讲话人"), clean_string),
                Column("organisation", name[:1] + name[2:], clean_string),
                Column("role", ("职务", "身份"), clean_string),
                Column("stated_on", ("date", "stated", "日期", "时间"), clean_partial_date),
                Column("source_url", ("url", "source link", "link", "链接", "来源链接"), clean_string),
                Column("source_title", ("source", "source title", "来源", "出处"), clean_string),
            ),
            one_of=(("source_url", "source_title"),),
            key=lambda v: (
                v.get("source_url") or v.get("source_title"),
                v.get("kind") or "quote",
                _quote_key(v.get("quote")),
            ),
            key_label="source, kind and quote",
        ),
    }


def _fold(text):
    """Platform names compare case-insensitively and through their aliases."""
    if not text:
        return text
    from registry.resources import PLATFORM_ALIASES

    folded = text.casefold()
    return PLATFORM_ALIASES.get(folded, folded)


def _quote_key(text):
    from registry.models import quote_key

    return quote_key(text) if text else None


KINDS = ("organisations", "memberships", "accounts", "metrics", "people", "positions", "statements")
_SPEC_CACHE: dict[str, Spec] = {}


def spec_for(kind: str) -> Spec:
    if not _SPEC_CACHE:
        _SPEC_CACHE.update(_specs())
    try:
        return _SPEC_CACHE[kind]
    except KeyError:
        raise ValueError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}") from None


# --------------------------------------------------------------------------- streaming metric snapshots
#
# A metrics feed can hold hundreds of thousands of rows, too many for
# import-export's one-row-at-a-time path. This path reads the same Spec with the
# same cleaning, but works in chunks: one query per chunk finds existing
# snapshots, and new and changed ones are written with simple-history's bulk
# helpers (so history is still recorded), all inside one transaction.

METRIC_VALUES = ("followers", "posts", "reads", "headline_reads", "max_reads", "likes", "wows", "shares", "comments")


@dataclass
class MetricsReport:
    counts: dict = field(default_factory=lambda: {"create": 0, "update": 0, "unchanged": 0, "error": 0})
    warnings: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    preview: list[tuple[int, str, str]] = field(default_factory=list)  # (line, action, what)
    written: bool = False
    rows: int = 0


def _platform_index():
    from registry.models import Platform
    from registry.resources import PLATFORM_ALIASES

    index = {}
    for platform in Platform.objects.all():
        for name in (platform.slug, platform.name_en, platform.name_zh):
            if name:
                index[name.casefold()] = platform
    for alias, slug in PLATFORM_ALIASES.items():
        if slug in index:
            index.setdefault(alias.casefold(), index[slug])
    return index


def _update_metrics(metrics) -> None:
    """One parametrised UPDATE by primary key, run for every changed snapshot
    (executemany). Django's bulk_update builds a CASE expression per field whose
    cost grows with the batch; this stays linear."""
    from django.db import connection

    from registry.models import AccountMetric

    table = connection.ops.quote_name(AccountMetric._meta.db_table)
    columns = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in METRIC_VALUES)
    sql = f"UPDATE {table} SET {columns} WHERE id = %s"  # noqa: S608 - names from the model, values bound
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[getattr(m, name) for name in METRIC_VALUES] + [m.pk] for m in metrics])


def import_metrics(
    source,
    *,
    encoding=None,
    dry_run=False,
    user=None,
    change_reason="",
    batch_size=2000,
    progress=None,
    preview_limit=50,
    error_limit=1000,
) -> MetricsReport:
    """Upsert account metric snapshots from a CSV/TSV/XLSX feed, all or nothing.

    Raises ImportFileError if the file cannot be read at all; row problems are
    collected in the report (and then nothing is written)."""
    from django.db import transaction
    from simple_history.utils import bulk_create_with_history

    from registry.models import Account, AccountMetric
    from registry.signals import bump_data_version

    report = MetricsReport()
    table = read_table(source, spec_for("metrics"), encoding=encoding)
    report.warnings = table.warnings
    platforms = _platform_index()
    accounts: dict[tuple, int] = {}
    for pk, platform_id, account_id, handle in Account.objects.values_list(
        "pk", "platform_id", "account_id", "handle"
    ).iterator():
        if account_id:
            accounts[(platform_id, "id", account_id)] = pk
        if handle:
            accounts[(platform_id, "handle", handle)] = pk
    seen: dict[int, int] = {}  # (account, day) packed in one int -> line << 64 | fingerprint
    mask = (1 << 64) - 1

    def fail(line, message):
        report.counts["error"] += 1
        if len(report.errors) < error_limit:
            report.errors.append((line, message))

    def note(line, action, what):
        report.counts[action] += 1
        if len(report.preview) < preview_limit:
            report.preview.append((line, action, what))

    def resolve(record) -> int | None:
        values = record.values
        platform = platforms.get((values.get("platform") or "").casefold())
        if platform is None:
            record.errors.append(f"platform {values.get('platform')!r} is not in the registry")
            return None
        pk = None
        if values.get("account_id"):
            pk = accounts.get((platform.pk, "id", values["account_id"]))
        if pk is None and values.get("handle"):
            pk = accounts.get((platform.pk, "handle", values["handle"]))
        if pk is None:
            record.errors.append(
                f"no {platform.slug} account {values.get('account_id') or values.get('handle')!r} in the registry"
            )
        return pk

    def process(chunk):
        valid = []
        for record in chunk:
            pk = resolve(record) if not record.errors else None
            if record.errors:
                fail(record.line, "; ".join(record.errors))
                continue
            key = pk << 24 | record.values["date"].toordinal()
            fingerprint = hash(tuple(record.values.get(n) for n in METRIC_VALUES)) & mask
            earlier = seen.get(key)
            if earlier is not None:
                if earlier & mask == fingerprint:
                    report.warnings.append(f"Line {record.line} repeats line {earlier >> 64} exactly; imported once.")
                else:
                    fail(record.line, f"duplicates line {earlier >> 64} (same account and date) with different values")
                continue
            seen[key] = record.line << 64 | fingerprint
            valid.append((record, pk))
        if not valid:
            return
        existing = {
            (metric.account_id, metric.date): metric
            for metric in AccountMetric.objects.filter(
                account_id__in={pk for _, pk in valid}, date__in={r.values["date"] for r, _ in valid}
            )
        }
        creates, updates = [], []
        for record, pk in valid:
            values = {n: record.values.get(n) for n in METRIC_VALUES if record.values.get(n) is not None}
            who = record.values.get("account_id") or record.values.get("handle")
            what = f"account {who} on {record.values['date']}"
            metric = existing.get((pk, record.values["date"]))
            if metric is None:
                creates.append(AccountMetric(account_id=pk, date=record.values["date"], **values))
                note(record.line, "create", what)
                continue
            changed = {n: v for n, v in values.items() if getattr(metric, n) != v}
            if not changed:
                note(record.line, "unchanged", what)
                continue
            for name, new in changed.items():
                setattr(metric, name, new)
            updates.append(metric)
            note(record.line, "update", what + ": " + ", ".join(f"{n} {v:,}" for n, v in changed.items()))
        if report.counts["error"] or dry_run:
            return  # keep validating; nothing will be kept
        if creates:
            bulk_create_with_history(
                creates, AccountMetric, batch_size=batch_size, default_user=user, default_change_reason=change_reason
            )
        if updates:
            _update_metrics(updates)
            AccountMetric.history.bulk_history_create(
                updates, batch_size=batch_size, update=True, default_user=user, default_change_reason=change_reason
            )

    with transaction.atomic():
        chunk: list[Record] = []
        for record in table.records:
            report.rows += 1
            chunk.append(record)
            if len(chunk) >= batch_size:
                process(chunk)
                chunk = []
                if progress is not None:
                    progress.update(batch_size)
        process(chunk)
        if progress is not None:
            progress.update(len(chunk))
        if report.counts["error"] or dry_run:
            transaction.set_rollback(True)
        else:
            report.written = True
    if report.written:
        bump_data_version()
    return report
