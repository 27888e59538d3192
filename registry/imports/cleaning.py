"""Cleaning single values from the files people send: full-width characters,
thousands separators, currency signs, Chinese multipliers, partial dates,
provinces, credit codes, mis-encoded text. Knows nothing of files or the ORM.
"""

import datetime
import decimal
import re
import unicodedata
from collections.abc import Callable

from django.utils.translation import gettext

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
        raise CellError(gettext("%(value)r is not a number") % {"value": value})
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
        raise CellError(gettext("%(value)r is not a number") % {"value": original}) from None
    if not number.is_finite():
        raise CellError(gettext("%(value)r is not a number") % {"value": original})
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
        raise CellError(gettext("%(value)r is negative; counts cannot be") % {"value": clean_text(value)})
    if number != number.to_integral_value():
        raise CellError(gettext("%(value)r is not a whole number") % {"value": clean_text(value)})
    if number > maximum:
        raise CellError(
            gettext("%(value)r is too large (at most %(maximum)s)")
            % {"value": clean_text(value)[:40], "maximum": f"{maximum:,}"}
        )
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
        raise CellError(gettext("%(value)r is negative") % {"value": clean_text(value)})
    if number >= MONEY_LIMIT:
        raise CellError(
            gettext("%(value)r is too large (less than %(limit)s million)")
            % {"value": clean_text(value)[:40], "limit": f"{MONEY_LIMIT:,}"}
        )
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
    raise CellError(gettext("%(value)r is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)") % {"value": text})


def clean_date(value) -> datetime.date | None:
    date, precision = clean_partial_date(value)
    if date is not None and precision != "day":
        raise CellError(gettext("%(value)r is not a full date (YYYY-MM-DD)") % {"value": clean_text(value)})
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
    raise CellError(gettext("%(value)r is not yes or no") % {"value": text})


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
            raise CellError(
                gettext("%(value)r is not one of: %(allowed)s") % {"value": text, "allowed": allowed}
            ) from None

    return clean


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
    raise CellError(
        gettext("%(value)r is not a province-level division (e.g. Beijing, Guangdong, 广东)") % {"value": text}
    )


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


def organisation_names(values: dict) -> tuple[str, str]:
    """(name_en, name_zh) from the 'name', 'name_en' and 'name_zh' columns: a
    generic name column fills the Chinese name when it is Chinese and the
    English name otherwise. Either may be empty; a file with Chinese names only
    is complete."""
    generic, name_en, name_zh = values.get("name"), values.get("name_en"), values.get("name_zh")
    if generic and has_cjk(generic):
        name_zh = name_zh or generic
        generic = None if name_zh == generic else generic
    return name_en or generic or "", name_zh or ""


PLATFORM_ALIASES = {
    "微信": "wechat",
    "weixin": "wechat",
    "wechat official account": "wechat",
    "公众号": "wechat",
    "微信公众号": "wechat",
    "微博": "weibo",
    "sina weibo": "weibo",
    "新浪微博": "weibo",
    "抖音": "douyin",
    "tiktok (china)": "douyin",
    "快手": "kuaishou",
    "哔哩哔哩": "bilibili",
    "b站": "bilibili",
    "今日头条": "toutiao",
    "头条": "toutiao",
    "头条号": "toutiao",
    "小红书": "xiaohongshu",
    "视频号": "wechat-channels",
    "微信视频号": "wechat-channels",
}


def _fold(text):
    """Platform names compare case-insensitively and through their aliases."""
    if not text:
        return text
    folded = text.casefold()
    return PLATFORM_ALIASES.get(folded, folded)


def normalise_header(text) -> str:
    text = unicodedata.normalize("NFKC", str(text or "")).translate(_ZERO_WIDTH).casefold()
    text = re.sub(r"[\s_\-]+", " ", text)
    return text.strip(" :：*")
