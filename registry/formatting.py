"""One format for every number and date a person reads: pages, tables, admin
lists, chart labels and the text of exported files.

Numbers follow the active language: English 1,234,567 and 1,108.75 (Django's
locale formats); Chinese writes the same digits with the same comma every three
digits, as Chinese statistical yearbooks and annual reports do (Django's
zh-Hans format file would print 1234567). Large counts read naturally in each
language with ``format_compact``: 1.2万 / 3.4亿 in Chinese, 12K / 340M in
English. Dates: "5 September 2016" in English, "2016年9月5日" in Chinese.
Data files (CSV cells, spreadsheet values) keep plain numbers and ISO dates, so
programs can read them.
"""

import datetime
from decimal import Decimal

from django.utils import numberformat
from django.utils.formats import number_format
from django.utils.translation import get_language, pgettext

# Fractional values are shown with at most this many decimals.
MAX_DECIMALS = 2


def is_chinese(language: str | None = None) -> bool:
    """Whether ``language`` (default: the active one) is a Chinese one."""
    return (language or get_language() or "").lower().startswith("zh")


def format_number(value, decimals: int | None = None) -> str:
    """``value`` with the language's grouping and decimal separator.

    Whole numbers have no decimals ("28,540", not "28540.0"); other values keep
    up to ``MAX_DECIMALS`` without trailing zeros ("28,540.5"), unless
    ``decimals`` fixes the count (an index column: "998.10" beside "1,108.75").
    ``None`` and "" become ""; anything else that is not a number is returned
    as text, unchanged."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, float) and value != value:  # NaN
        return ""
    if decimals is None:
        if isinstance(value, int):
            decimals = 0
        else:
            value = round(float(value), MAX_DECIMALS)
            decimals = next(d for d in range(MAX_DECIMALS + 1) if round(value, d) == value)
    if is_chinese():
        return numberformat.format(value, ".", decimals, grouping=3, thousand_sep=",", force_grouping=True)
    return number_format(value, decimals, use_l10n=True, force_grouping=True)


# (from this value up, divide by, unit), largest first. Below the smallest
# threshold numbers are written out in full.
_COMPACT_UNITS = {
    "zh": ((100_000_000, 100_000_000, "亿"), (10_000, 10_000, "万")),
    "en": ((1_000_000_000, 1_000_000_000, "B"), (1_000_000, 1_000_000, "M"), (10_000, 1_000, "K")),
}


def format_compact(value, *, digits: int = 1) -> str:
    """A large count the way a reader says it: 950, 9,999, 1.2万, 3.4亿 in
    Chinese; 950, 9,999, 12K, 340M, 1.5B in English. At most ``digits``
    decimals, none when the scaled value is whole ("10万", "30M"). A value that
    would round up to the next unit takes it (99,999,999 is "1亿", not "10000万")."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return str(value)
    value = float(value)
    magnitude = abs(value)
    units = _COMPACT_UNITS["zh" if is_chinese() else "en"]
    # The largest unit the value reaches, or the next larger one when rounding
    # reaches it.
    for index, (threshold, divisor, unit) in enumerate(units):
        if magnitude < threshold:
            continue
        if index and round(magnitude / units[index - 1][1], digits) >= 1:
            _threshold, divisor, unit = units[index - 1]
        scaled = f"{magnitude / divisor:,.{digits}f}"
        if digits:
            scaled = scaled.rstrip("0").rstrip(".")
        return ("-" if value < 0 else "") + scaled + unit
    return format_number(int(value) if value == int(value) else value)


def format_date(value: datetime.date) -> str:
    """ "5 September 2016" / "2016年9月5日"."""
    if is_chinese():
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value:%-d %B %Y}"


def format_short_date(value: datetime.date) -> str:
    """ "5 Sep 2016" / "2016年9月5日"."""
    if is_chinese():
        return format_date(value)
    return f"{value:%-d %b %Y}"


def format_datetime(value: datetime.datetime) -> str:
    """ "5 September 2016 14:05" / "2016年9月5日 14:05"."""
    return f"{format_date(value)} {value:%H:%M}"


def plotly_date_formats() -> dict[str, str]:
    """d3 time formats for plotly's hover text in the active language: a
    ``month`` ("Jun 2021" / "2021年6月") and a ``day``."""
    if is_chinese():
        return {"month": "%Y年%-m月", "day": "%Y年%-m月%-d日"}
    return {"month": "%b %Y", "day": "%-d %b %Y"}


def shown_name(name_en: str, name_zh: str = "") -> str:
    """The name a reader of the active language looks for first: the Chinese
    name in Chinese when there is one, else the English one (and the reverse)."""
    if is_chinese():
        return name_zh or name_en
    return name_en or name_zh


def part_separator() -> str:
    """Between the parts of a description (a chart's filters in words, its
    notes): "; " in English, "；" in Chinese."""
    return pgettext("between the parts of a description, e.g. a chart's filters", "; ")


def join_parts(parts) -> str:
    return part_separator().join(str(p) for p in parts if p)


def format_readable(value) -> str:
    """A large count (followers, reads) as a reader of the language says it:
    in Chinese in 万 and 亿 from 10,000 up ("123.5万", "3.4亿"), in English
    written out ("1,234,567"), where the digits read naturally."""
    if (
        is_chinese()
        and isinstance(value, (int, float, Decimal))
        and not isinstance(value, bool)
        and abs(value) >= 10_000
    ):
        return format_compact(value)
    return format_number(value)
