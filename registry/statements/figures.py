"""Published-figure candidates read from an article: how many (or what share) of a
population of organisations have accounts on a platform, in English or Chinese.

"So far, among China's top 500 companies, more than 400 companies have launched their
official accounts on messenger app WeChat, and more than 200 ... on Weibo" gives two
candidates: (more than 400, WeChat) and (more than 200, Weibo), with the population
"China's top 500 companies". Chinese wordings: 超过400家, 逾两百家, 80余家, 近九成,
半数以上, 过半, 98家央企中有97家.

Per sentence that names a platform and speaks of accounts: every number phrase that
counts organisations (a count followed by companies/SOEs/家 ..., or a share) is paired
with the platform(s) named after it in the same clause (else the nearest before it).
Years, follower and view counts and money are not counts of organisations. The date is
the year (and month) the sentence gives ("By the end of 2023", 截至2024年6月), else the
one in the nearest earlier sentence of the paragraph, else none: staff then take the
publication date. Pure Python, linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from registry.statements.platforms import PLATFORM_NAMES, platform_mentions
from registry.statements.text import cjk_share, clean_text, paragraphs_of
from registry.statements.zh_lexicon import to_simplified

__all__ = ["FigureCandidate", "propose_figures"]


@dataclass(frozen=True)
class FigureCandidate:
    text: str  # the number phrase as written: "more than 400", "逾两百家"
    comparator: str  # a registry.models.Qualifier value
    value: int | None
    unit: str  # "" for a count, "percent" for a share
    population: str | None
    platform: str  # the platform's slug
    as_of: str | None  # "2023", "2023-06" or None
    claim: str  # the sentence that makes the claim

    @property
    def platform_name(self) -> str:
        return PLATFORM_NAMES.get(self.platform, self.platform)

    def as_json(self) -> dict:
        row = {
            "text": self.text,
            "comparator": self.comparator,
            "value": self.value,
            "population": self.population,
            "platform": self.platform_name,
            "as_of": self.as_of,
        }
        if self.unit:
            row["unit"] = self.unit
        return row


# --------------------------------------------------------------------------- English

_EN_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a hundred": 100, "hundred": 100, "a dozen": 12, "dozens": 24,
}  # fmt: skip
_EN_SHARES = {
    "half": 50, "a half": 50, "a third": 33, "one third": 33, "one-third": 33, "two thirds": 67, "two-thirds": 67,
    "a quarter": 25, "one quarter": 25, "three quarters": 75, "three-quarters": 75, "a fifth": 20, "one in five": 20,
    "one in four": 25, "one in three": 33, "nine in ten": 90, "eight in ten": 80, "seven in ten": 70,
}  # fmt: skip
_EN_COMPARATORS = (
    ("more_than", r"more\s+than|over|upwards\s+of|in\s+excess\s+of|above"),
    ("at_least", r"at\s+least|no\s+fewer\s+than|no\s+less\s+than"),
    ("about", r"nearly|almost|about|around|roughly|approximately|some|close\s+to|an\s+estimated"),
    ("fewer_than", r"fewer\s+than|less\s+than|under|below|not\s+even"),
    ("exactly", r"all|exactly|a\s+total\s+of|only|just"),
)
_EN_QUALIFIER = "|".join(f"(?P<{name}>{pattern})" for name, pattern in _EN_COMPARATORS)
_EN_QUANTITY = (
    r"(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?P<percent>\s*(?:%|percent|per\s+cent))?"
    r"|(?P<share>" + "|".join(sorted(map(re.escape, _EN_SHARES), key=len, reverse=True)) + ")"
    r"|(?P<word>" + "|".join(sorted(map(re.escape, _EN_NUMBER_WORDS), key=len, reverse=True)) + ")"
)
_EN_FIGURE = re.compile(
    rf"\b(?:(?:{_EN_QUALIFIER})\s+(?:the\s+)?)?(?:{_EN_QUANTITY})\b"
    rf"(?P<of>\s+of\s+the\s+(?:top\s+|roughly\s+|about\s+|some\s+|nearly\s+)?\d[\d,]*)?",
    re.I,
)
_EN_ORG_NOUNS = re.compile(
    r"^\s*(?:of\s+(?:the|them|these|those|its|their)\b[^,.;]{0,60}?|(?:[\w'’-]+\s+){0,4}?)"
    r"(?:compan(?:y|ies)|firms?|enterprises?|SOEs?|businesses|banks?|brands?|groups?|corporations?|governments?|"
    r"departments?|agencies|bureaus?|universities|institutions?|organi[sz]ations?|entities|members?|issuers?|"
    r"merchants?|sellers?|advertisers?|carmakers?|automakers?|insurers?|lenders?|state\s+firms|outlets?|"
    r"counties|cities|provinces|branches|subsidiaries|retailers?|operators?|utilities|listed\s+\w+|have|had|"
    r"has|run|operate|opened|launched|maintain|own|were|are|now)\b",
    re.I,
)
_EN_NOT_ORGS = re.compile(
    r"^\s*(?:million|billion|thousand|m\b|bn\b|followers|fans|subscribers|views|viewers|users|posts|videos|"
    r"accounts\s+with|yuan|dollars|percent\s+of\s+(?:sales|revenue|users|views|traffic)|hours|days|minutes|"
    r"years|times|people|employees|staff|times)",
    re.I,
)
_ADOPTION_EN = re.compile(
    r"\baccounts?\b|\bchannels?\b|\bpresence\b|\bopened\b|\blaunched\b|\bregistered\b|\bverified\b|\bjoined\b|"
    r"\bprofiles?\b|\bpages?\b|\bmini-programs?\b|\bare\s+on\b|\bhave\s+(?:a\s+)?(?:presence|accounts?)\b",
    re.I,
)
_YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)")
_MONTHS = {
    m: i
    for i, names in enumerate(
        ("jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july", "aug august",
         "sep sept september", "oct october", "nov november", "dec december"),
        start=1,
    )
    for m in names.split()
}  # fmt: skip
_EN_MONTH_YEAR = re.compile(r"\b(" + "|".join(_MONTHS) + r")\.?\s+(?:\d{1,2},?\s+)?(19[89]\d|20[0-4]\d)\b", re.I)
_EN_POPULATION = re.compile(
    r"\b(?:among|of)\s+(?P<pop>(?:the\s+)?(?:(?:roughly|about|some|nearly)\s+)?[^,.;:]{3,90}?"
    r"(?:compan(?:y|ies)|firms|enterprises|SOEs|banks|brands|groups|governments|departments|issuers|merchants|"
    r"advertisers|list|members|corporations|branches|subsidiaries|counties|cities))\b",
    re.I,
)


def _en_sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘(]?[A-Z0-9])", text):
        previous = text[max(start, match.start() - 4) : match.start()]
        if re.search(r"\b(?:Mr|Ms|Dr|No|Co|Corp|Inc|Ltd|St|vs|U\.S|[A-Z])\.$", previous):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _en_value(match: re.Match[str]) -> tuple[int | None, str]:
    if match.group("number"):
        number = float(match.group("number").replace(",", ""))
        return int(round(number)), "percent" if match.group("percent") else ""
    if match.group("share"):
        return _EN_SHARES[match.group("share").lower()], "percent"
    return _EN_NUMBER_WORDS.get(match.group("word").lower()), ""


def _en_comparator(match: re.Match[str]) -> str:
    for name, _ in _EN_COMPARATORS:
        if match.group(name):
            return name
    if match.group("share") and match.group("share").lower() == "half":
        return "about"
    return "exactly"


def _en_figures(sentence: str) -> list[tuple[int, str, str, int | None, str]]:
    """(position, text, comparator, value, unit) for each count of organisations."""
    found = []
    for match in _EN_FIGURE.finditer(sentence):
        value, unit = _en_value(match)
        if value is None:
            continue
        after = sentence[match.end() : match.end() + 80]
        text = match.group().strip()
        is_share = unit == "percent"
        qualified = any(match.group(name) for name, _ in _EN_COMPARATORS)
        if (
            not qualified
            and re.search(
                r"\b(?:top|the|roughly|Fortune\s+China|Global|China|of|its|their|all\s+of\s+the)\s+$",
                sentence[: match.start()],
                re.I,
            )
            and not sentence[: match.start()].rstrip().endswith(("all", "All"))
        ):
            continue  # "China's top 500 companies", "the 98 central SOEs": the population, not a count
        if not is_share:
            if _YEAR.fullmatch(match.group("number") or "") and not match.group("of"):
                continue
            if _EN_NOT_ORGS.match(after) or not (match.group("of") or _EN_ORG_NOUNS.match(after)):
                continue
            if re.search(r"[$¥€£]\s*$|\b(?:RMB|yuan|US)\s*$", sentence[: match.start()]):
                continue
        elif _EN_NOT_ORGS.match(after):
            continue
        comparator = _en_comparator(match)
        if match.group("share") and match.group("share").lower() == "half" and comparator == "exactly":
            comparator = "about"
        found.append((match.start(), text, comparator, value, unit))
    return found


# --------------------------------------------------------------------------- Chinese

_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}


def _zh_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if not text:
        return None
    total, current = 0, 0
    for ch in text:
        if ch in _ZH_DIGITS:
            current = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            total += (current or 1) * _ZH_UNITS[ch]
            current = 0
        elif ch == "万":
            total = (total + current) * 10000
            current = 0
        else:
            return None
    return total + current


_ZH_NUM = r"\d{1,3}(?:,\d{3})+|\d+|[一二两三四五六七八九十百千零〇]+"
_ZH_FIGURE = re.compile(
    r"(?P<whole>(?P<of>(?P<total>\d+|[一二两三四五六七八九十百]+)家(?P<pop>[\u4e00-\u9fff]{1,10}?)中(?:有|，有)?)?"
    r"(?P<pre>超过|超|逾|近|将近|接近|约|大约|不足|不到|少于|至少|过|仅|只有|共|共有|全部)?"
    r"(?:(?P<count>" + _ZH_NUM + r")(?P<post>余|多|以上)?(?P<unit>家|个|成|%|％)"
    r"|(?P<half>半数以上|过半数|过半|近半数|近半|半数|逾半|一半以上|一半))(?P<post2>以上)?)"
)
_ZH_ADOPTION = re.compile(r"开通|开设|入驻|注册|认证|账号|帐号|公众号|官方号|企业号|视频号|官方|矩阵|布局|运营")
_ZH_NOT_ORGS = re.compile(r"^(?:万|亿|余万|多万|粉丝|次|条|人|名|元|个小时|小时|天|年)")


def _zh_figures(sentence: str) -> list[tuple[int, str, str, int | None, str, str | None]]:
    found = []
    for match in _ZH_FIGURE.finditer(sentence):
        pre, post = match.group("pre") or "", (match.group("post") or "") + (match.group("post2") or "")
        if match.group("half"):
            half = match.group("half")
            value, unit = 50, "percent"
            comparator = (
                "about"
                if half.startswith("近")
                else "more_than"
                if ("以上" in half + post or "过" in half or "逾" in half)
                else "about"
            )
        else:
            value = _zh_number(match.group("count").replace(",", ""))
            marker = match.group("unit")
            if value is None:
                continue
            if value == 1 and not match.group("count").isdigit():
                continue  # 一家: "a company", not a count
            if marker == "个" and not re.match(
                r"^(?:省|市|部门|单位|集团|企业|公司|政府)", sentence[match.end() : match.end() + 4]
            ):
                continue
            if _ZH_NOT_ORGS.match(sentence[match.end() : match.end() + 3]):
                continue
            if sentence[match.end() - 1 : match.end() + 1].endswith("强") or sentence[
                match.start() - 2 : match.start()
            ] in ("前", "共有"):
                continue
            unit = "percent" if marker in ("成", "%", "％") else ""
            if marker == "成":
                value *= 10
            if pre in ("超过", "超", "逾", "过") or post in ("余", "多", "以上"):
                comparator = "more_than"
            elif pre in ("近", "将近", "接近", "约", "大约"):
                comparator = "about"
            elif pre in ("不足", "不到", "少于"):
                comparator = "fewer_than"
            elif pre == "至少":
                comparator = "at_least"
            else:
                comparator = "exactly"
            if not unit and _YEAR.fullmatch(match.group("count") or ""):
                continue
        text = match.group("whole")
        population = match.group("pop") if match.group("of") else None
        if population is None and match.group("unit") == "家":  # "超过400家中国企业500强已开通"
            noun = re.match(
                r"([\u4e00-\u9fff0-9]{2,14}?)(?:已|均|都|中|开通|开设|在|拥有|入驻|设有|，|、)", sentence[match.end() :]
            )
            population = noun.group(1) if noun else None
        found.append((match.start(), text, comparator, value, unit, population))
    return found


_ZH_POPULATION = re.compile(
    r"(?P<pop>(?:中国|全国|全省|全市|港股|在港上市的?|受访|上市)?[\u4e00-\u9fff0-9]{0,14}?"
    r"(?:企业500强|500强企业|500强|中央企业|央企|国有企业|国企|地方国企|上市公司|上市櫃公司|上市柜公司|银行|企业|公司|部门|单位))"
    r"(?:中|里|当中|之中|，)"
)
_ZH_DATE = re.compile(r"(19[89]\d|20[0-4]\d)\s*年(?:\s*(\d{1,2})\s*月)?")


# --------------------------------------------------------------------------- shared


def _pair(figures: list[tuple], platforms: list[tuple[int, int, str]], sentence: str) -> list[tuple[tuple, str]]:
    """Pair each platform with the figure before it in the sentence (else the one after); a
    figure compared with a paired one ("up from about 40%") takes the same platform."""
    pairs: list[tuple[tuple, str]] = []
    for position, _end, slug in platforms:
        before = [f for f in figures if f[0] < position]
        after = [f for f in figures if f[0] > position]
        chosen = before[-1] if before else (after[0] if after else None)
        if chosen is not None and (chosen[0], slug) not in {(f[0], s) for f, s in pairs}:
            pairs.append((chosen, slug))
    paired = {f[0] for f, _ in pairs}
    for figure in figures:
        if figure[0] in paired:
            continue
        lead = sentence[max(0, figure[0] - 30) : figure[0]]
        earlier = [(f, s) for f, s in pairs if f[0] < figure[0]]
        if earlier and re.search(r"(?:up|down)\s+from|compared\s+with|from\s*$|比|较", lead):
            pairs.append((figure, earlier[-1][1]))
    return sorted(pairs, key=lambda pair: pair[0][0])


def _platform_slugs(sentence: str) -> list[tuple[int, int, str]]:
    mentions = [m for m in platform_mentions(sentence) if m[2] not in ("livestreaming", "short-video")]
    # "WeChat Channels" also matches nothing else; "WeChat" inside it is excluded by the patterns.
    seen: dict[str, tuple[int, int, str]] = {}
    for mention in mentions:
        seen.setdefault(f"{mention[2]}@{mention[0]}", mention)
    return sorted(seen.values())


def propose_figures(raw: str, *, language: str | None = None) -> list[FigureCandidate]:
    """Published-figure candidates of ``raw`` article text, in document order."""
    cleaned = clean_text(raw)
    chinese = (language or ("zh" if cjk_share(cleaned) >= 0.2 else "en")) == "zh"
    proposals: list[FigureCandidate] = []
    for para in paragraphs_of(cleaned):
        text = para.text
        simple = to_simplified(text) if chinese else text
        sentences = (
            [(m.start(), m.end()) for m in re.finditer(r"[^。！？；]+[。！？；]?", simple)]
            if chinese
            else _en_sentences(text)
        )
        paragraph_date: str | None = None
        for start, end in sentences:
            sentence, matchable = text[start:end], simple[start:end]
            date = _date_of(matchable, chinese)
            paragraph_date = date or paragraph_date
            platforms = _platform_slugs(matchable)
            if not platforms:
                continue
            if chinese and not _ZH_ADOPTION.search(matchable):
                continue
            figures = _zh_figures(matchable) if chinese else [(*f, None) for f in _en_figures(matchable)]
            if not figures:
                continue
            population = _population(matchable, chinese)
            for figure, slug in _pair(figures, platforms, matchable):
                position, phrase, comparator, value, unit, own_population = figure
                written = sentence[position : position + len(phrase)]
                proposals.append(
                    FigureCandidate(
                        text=written,
                        comparator=comparator,
                        value=value,
                        unit=unit,
                        population=own_population or population,
                        platform=slug,
                        as_of=date or paragraph_date,
                        claim=" ".join(sentence.split()),
                    )
                )
    return _without_repeats(proposals)


def _without_repeats(proposals: list[FigureCandidate]) -> list[FigureCandidate]:
    """A headline and the body often give the same figure: keep one, the one with a date."""
    kept: dict[tuple, FigureCandidate] = {}
    for proposal in proposals:
        key = (proposal.platform, proposal.value, proposal.unit)
        if key not in kept or (kept[key].as_of is None and proposal.as_of is not None):
            kept[key] = proposal
    order = {id(p): i for i, p in enumerate(proposals)}
    return sorted(kept.values(), key=lambda p: order[id(p)])


def _population(sentence: str, chinese: bool) -> str | None:
    if chinese:
        match = _ZH_POPULATION.search(sentence)
        return match.group("pop") if match else None
    match = _EN_POPULATION.search(sentence)
    if match:
        return match.group("pop").strip()
    noun = re.search(
        r"\b(?:\d[\d,]*\s+)?((?:the\s+)?(?:[\w'’-]+\s+){0,4}(?:SOEs|enterprises|companies|firms|banks|governments|"
        r"departments))\b",
        sentence,
    )
    return noun.group(1) if noun else None


def _date_of(sentence: str, chinese: bool) -> str | None:
    if chinese:
        match = _ZH_DATE.search(sentence)
        if match:
            return f"{match.group(1)}-{int(match.group(2)):02d}" if match.group(2) else match.group(1)
        return None
    month = _EN_MONTH_YEAR.search(sentence)
    if month:
        return f"{month.group(2)}-{_MONTHS[month.group(1).lower().rstrip('.')]:02d}"
    year = _YEAR.search(sentence)
    return year.group(1) if year else None
