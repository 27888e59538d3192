"""Messy cells of published lists: money as ``"$514,405.00 "`` or ``($594)``,
``-`` and ``—`` for missing, thousands separators, 万元/亿元 amounts, lines of
nothing but blanks or control characters, and text mis-decoded on its way into
the file (mojibake).

Pure functions, no ORM: each takes a raw cell and returns a clean value or
raises ``CellError`` with a message a user can act on.
"""

import decimal
import re
import unicodedata
from dataclasses import dataclass

import ftfy
from django.utils.translation import gettext as _

MISSING = {"", "-", "--", "—", "——", "–", "n/a", "na", "none", "null", "nan", "…", "...", "不详", "无", "/"}
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CURRENCY = re.compile(r"US\$|USD|RMB|CNY|HK\$|[$¥￥€£元]", re.IGNORECASE)
_UNITS = {"万": decimal.Decimal(10_000), "亿": decimal.Decimal(100_000_000)}
_MILLION = decimal.Decimal(1_000_000)


class CellError(ValueError):
    """One value cannot be understood; the message says why."""


def is_blank_line(cells) -> bool:
    """True for a row whose cells hold nothing but whitespace and control
    characters (a junk last line, a stray form feed, Ctrl-Z)."""
    for cell in cells:
        if cell is None:
            continue
        for char in str(cell):
            if not (char.isspace() or unicodedata.category(char) in {"Cc", "Cf"}):
                return False
    return True


def clean_text(value) -> str:
    """NFKC (full-width to half-width), zero-width characters dropped,
    whitespace collapsed, ends stripped."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).translate(_ZERO_WIDTH)
    text = "".join(c for c in text if unicodedata.category(c) != "Cc" or c.isspace())
    return re.sub(r"\s+", " ", text).strip()


def is_missing(value) -> bool:
    return clean_text(value).casefold() in MISSING


@dataclass(frozen=True)
class Repair:
    original: str
    repaired: str


def _gbk_repair(text: str) -> str | None:
    """UTF-8 bytes that were decoded as GBK: 'K盲llenius' was 'Källenius'."""
    if not _CJK.search(text):
        return None
    try:
        fixed = text.encode("gbk").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    # Real Chinese text almost never survives the round trip; when it does, the
    # repair must lose CJK characters and gain accented Latin ones to count.
    if len(_CJK.findall(fixed)) >= len(_CJK.findall(text)):
        return None
    if not re.search(r"[\u00c0-\u024f]", fixed):
        return None
    return fixed


def find_mojibake(value) -> Repair | None:
    """The likely repair of text that was decoded with the wrong encoding:
    UTF-8 read as GBK (checked here) or as Latin-1/Windows-1252 (ftfy)."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    fixed = _gbk_repair(text)
    if fixed is None and ftfy.is_bad(text):
        candidate = ftfy.fix_encoding(text)
        fixed = candidate if candidate != text else None
    return Repair(text, fixed) if fixed else None


def clean_string(value) -> str | None:
    text = clean_text(value)
    if text.casefold() in MISSING:
        return None
    if "\ufffd" in text:
        raise CellError(
            _("%(text)r contains replacement characters (�): it was damaged before it reached this file.")
            % {"text": text}
        )
    return text


def clean_number(value, *, unit: str = "") -> decimal.Decimal | None:
    """'$514,405.00 ' -> 514405.00; '($594)' and '-594' -> -594; '-' -> None;
    '3.2万' -> 32000. ``unit`` is a multiplier word from the header ('万', '亿')."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(_("%(value)r is not a number") % {"value": value})
    if isinstance(value, int | decimal.Decimal):
        number = decimal.Decimal(value)
    elif isinstance(value, float):
        number = decimal.Decimal(repr(value))
    else:
        text = clean_text(value)
        if text.casefold() in MISSING:
            return None
        original = text
        negative = False
        if text.startswith("(") and text.endswith(")"):
            negative, text = True, text[1:-1].strip()
        text = _CURRENCY.sub("", text).strip()
        if text.startswith(("-", "−")):
            negative, text = not negative, text[1:].strip()
        text = _CURRENCY.sub("", text).strip()
        if text.startswith("(") and text.endswith(")"):  # "$(594)"
            negative, text = not negative, text[1:-1].strip()
        multiplier = decimal.Decimal(1)
        if text and text[-1] in _UNITS:
            multiplier, text = _UNITS[text[-1]], text[:-1].strip()
        text = re.sub(r"(?<=\d)[,\s'\u00a0\u202f](?=\d{3}(?!\d))", "", text)
        if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", text):
            raise CellError(_("%(value)r is not a number") % {"value": original})
        number = decimal.Decimal(text) * multiplier
        if negative:
            number = -number
    if unit in _UNITS:
        number *= _UNITS[unit]
    return number


def to_millions(value: decimal.Decimal | None, *, unit: str) -> decimal.Decimal | None:
    """An amount in the header's unit as millions: 万元 and 亿元 converted, '$M'
    or 'millions' already millions, no unit read as whole currency units."""
    if value is None:
        return None
    if unit == "million":
        return value
    if unit in _UNITS:
        return value * _UNITS[unit] / _MILLION
    return value / _MILLION


def clean_count(value) -> int | None:
    number = clean_number(value)
    if number is None:
        return None
    if number < 0 or number != number.to_integral_value():
        raise CellError(_("%(value)r is not a whole, non-negative number") % {"value": clean_text(value)})
    return int(number)


def clean_rank(value) -> int | None:
    text = clean_text(value).rstrip(".")
    text = re.sub(r"^(第|no\.?\s*|#)", "", text, flags=re.IGNORECASE).rstrip("名位")
    number = clean_count(text)
    if number == 0:
        raise CellError(_("a rank starts at 1"))
    return number


def clean_website(value) -> str | None:
    text = clean_string(value)
    if not text:
        return None
    text = text.replace(" ", "")
    if not re.match(r"^https?://", text, re.IGNORECASE):
        text = "http://" + text
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        raise CellError(_("%(value)r is not a web address") % {"value": clean_text(value)}) from None
    return text
