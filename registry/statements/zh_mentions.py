"""Names, organisations and attribution subjects in Chinese text.

``parse_subject`` reads the subject of a speech cue as ORG + (department) + TITLE + NAME
(``中国石化新闻发言人吕大鹏``, ``国家电网宣传部副主任张伟``), NAME alone, a surname with a
form of address (王总, 李女士), ORG alone (the organisation speaks), ORG + TITLE with no
name (``中国移动相关负责人``), a pronoun (他/她), an organisation reference (该公司, 该行) or
a role reference (该负责人), into a ``Mention`` before it is resolved against the article
(``zh_discourse``). A group (业内人士, 网友) gives no speaker.

All matching runs on simplified text; a ``Text`` carries the simplified form (``s``) and
the article as written (``o``) at the same offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from registry.statements.zh_lexicon import (
    ADDRESS_TITLES,
    COMPOUND_SURNAMES,
    GROUP_PRONOUNS,
    KNOWN_ORGS,
    ORG_REFERENCES,
    ORG_SUFFIXES,
    PERSON_PRONOUNS,
    ROLE_REFERENCES,
    SUBUNIT_HEADS,
    SUBUNIT_TAILS,
    SURNAMES,
    TITLES,
)

TERMINATORS = "。！？!?…"
CLAUSE_DELIMITERS = "，,；;：:。！？!?《》\n"
HAN = re.compile(r"[\u3400-\u9fff]")

# Adverbials between a subject and its verb, peeled off the end of the subject.
_ADVERBIAL_TAIL = re.compile(
    r"(?:"
    r"(?:在|于|当|就|对|针对|围绕|面对|谈及|谈到|说起|提及|回顾)[^，。！？]{0,40}?(?:时|上|中|后|前|期间|之际|里|会上|现场|之时|方面|问题|时候)"
    r"|(?:在)?接受[^，。！？]{0,30}?采访(?:时)?"
    r"|(?:对|向|跟|给)(?:本报|本台|本网|本刊|新华社|中新网|中央社|澎湃新闻|界面新闻|财新|[\u4e00-\u9fff0-9A-Za-z]{1,10})?(?:记者|媒体|笔者|大家|网友|观众|参观者|用户|镜头|读者|投资者|消费者)"
    r"|(?:对着|(?<!方)面对|当着)[^，。！？]{1,8}"
    r"|(?:对|向|跟|给|告诉)(?:《[^》]{1,16}》|[\u4e00-\u9fff·A-Za-z]{1,12}?(?:新闻|日报|晚报|时报|报|网|社|电视台|在线|周刊|杂志))(?:记者)?"
    r"|[\u4e00-\u9fff]{1,2}着[\u4e00-\u9fff]?|([\u4e00-\u9fff])\1[头手脑眼嘴腰肩]|(?:一边|一面)"
    r"|(?:对|向|跟|给)(?:本报|本台|本网|本刊|新华社|中新网|中央社|财新|澎湃|界面|路透社|彭博社|法新社)"
    r"|在给[^，。！？]{1,20}?中"
    r"|受访时|受访|接受采访时|接受[^，。！？]{0,20}?(?:采访|访问|专访)(?:时)?"
    r"|(?:回应|答复|回答|回复|谈及|谈到|提到|提及)[^，。！？]{0,20}?时"
    r"|(?:发布(?:消息|声明|公告|通报|通知|博文)?|发文|发帖|撰文)"
    r"|(?:通过|借助|经由|在)[^，。！？]{0,20}?(?:微博|微信|公众号|官网|官方账号|平台|发布会|声明|公告|回复|朋友圈|视频|直播间?)"
    r"|(?:也|还|则|又|更|都|亦|曾|已|就此|对此|对此事|随即|随后|当即|再次|同时|进一步|明确|公开|坦率地|笑着|直接|近日|日前|此前|"
    r"昨天|今天|昨日|今日|当天|当日|上午|下午|晚间|早前|此外|另外|最后|首先|其次|特别|专门|多次|一再|反复|深有感触地|感慨地|"
    r"自豪地|动情地|激动地|坚定地|肯定地|自信地|认真地|平静地|兴奋地|高兴地|毫不讳言地|不无|一度|曾经|先后|均|都曾|亲自|"
    r"\d{1,2}日|\d{1,2}月\d{1,2}日|[一二三四五六七八九十]+日|这样|如此|这么|当场|现场|则|还|又|方面)"
    r")$"
)
_LEADING_NOISE = re.compile(
    r"^(?:而|但|并|且|同时|对此|此外|另外|其中|随后|最后|首先|会上|期间|记者从|据了解|据|作为|身为|来自|目前|如今|现在|这就是|这是|就是|"
    r"近日|日前|此前|当天|当日|今年|去年|随后|不过|然而|因此|所以|于是|对于此事|对于这一点|谈到这里|说到这里)"
)
_NAME_CHARS = re.compile(r"[\u3400-\u9fff·•]{2,8}")
# What may follow a name in running text: punctuation, a verb, a function word.
_AFTER_NAME = re.compile(
    r"^(?:[，,。！？!?；;：:、（）()“”「」『』\"\s]|$|表示|说|称|指出|介绍|强调|坦言|认为|透露|回应|告诉|接受|在|于|也|还|"
    r"则|就|对|向|跟|和|与|及|等|的|是|曾|已|正|将|会|要|带领|率|一行|同志|先生|女士|今年|去年|近日|日前|此前|坦承|提到|谈到|"
    r"直言|补充|解释|回忆|举例|分析|预计|建议|呼吁|提醒|重申|披露|证实|说明|答|问|笑|感慨|感叹|介|负责|主持|出席|担任|兼任|现任|"
    r"上任|表态|发言|致辞|透|讲|道|告|看来|来说|今天|昨天|昨日|当天|日前|近日|今日|一边|一面|对着|正在|用|第一次|首次)"
)


# Quoted text that is a name of a thing: the noun after it says so.
@dataclass(frozen=True)
class Text:
    """A piece of the article: ``s`` for matching (simplified), ``o`` as written."""

    s: str
    o: str

    def cut(self, start: int, end: int | None = None) -> Text:
        return Text(self.s[start:end], self.o[start:end])

    def strip(self, chars: str | None = None) -> Text:
        left = len(self.s) - len(self.s.lstrip(chars))
        right = len(self.s.rstrip(chars))
        return self.cut(left, max(left, right))

    def __len__(self) -> int:
        return len(self.s)

    def __bool__(self) -> bool:
        return bool(self.s)


@dataclass(frozen=True)
class Mention:
    """A subject as written, before resolution: exactly one of its kinds is set."""

    name: str | None = None  # full name or bare name
    surname: str | None = None  # 王总, 李女士
    role: str | None = None
    org: str | None = None
    org_speaks: bool = False
    pronoun: bool = False  # 他/她
    pronoun_text: str = ""
    org_ref: str | None = None  # 该公司
    role_ref: bool = False  # 该负责人
    group: bool = False  # 业内人士, 网友


DOCUMENTS = (
    "声明",
    "公告",
    "通报",
    "通知",
    "博文",
    "回复",
    "回应",
    "说明",
    "情况说明",
    "致歉声明",
    "书面回应",
    "帖文",
)
GROUP = Mention(group=True)
UNKNOWN = Mention(group=True)  # a speech verb whose subject names nobody the text identifies


# --------------------------------------------------------------------------- names and subjects


LATIN_NAME = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}")


def is_name(text: str) -> bool:
    """A Chinese personal name: a surname and one to three given characters (or a
    transliterated name with a middle dot, or a name in Latin letters: "Vivian Cheung")."""
    if LATIN_NAME.fullmatch(text):
        return True
    if not _NAME_CHARS.fullmatch(text):
        return False
    if "·" in text or "•" in text:
        return 3 <= len(text) <= 12
    if text[:2] in COMPOUND_SURNAMES:
        return 3 <= len(text) <= 4
    return text[0] in SURNAMES and 2 <= len(text) <= 3


_DOTTED_NAME = re.compile(r"[\u4e00-\u9fff]{1,5}[·•][\u4e00-\u9fff]{1,6}")


def name_length_at(text: str, start: int) -> int:
    """Length of the personal name starting at ``text[start]`` in running text, or 0."""
    dotted = _DOTTED_NAME.match(text, start)  # "尼科斯·帕帕斯": a transliterated name
    if dotted:
        dot = text.find("·", start) if "·" in dotted.group() else text.find("•", start)
        for end in range(dotted.end(), dot + 1, -1):
            if _AFTER_NAME.match(text[end : end + 4]):
                return end - start
    lengths = (4, 3) if text[start : start + 2] in COMPOUND_SURNAMES else (3, 2)
    for length in lengths:
        name = text[start : start + length]
        if len(name) == length and is_name(name) and _AFTER_NAME.match(text[start + length : start + length + 4]):
            return length
    return 0


def ends_with_org(text: str) -> bool:
    return text.endswith(ORG_SUFFIXES) or any(text.endswith(org) for org in KNOWN_ORGS)


def looks_like_org(text: str) -> bool:
    if len(text) < 2 or not HAN.search(text):
        return bool(re.fullmatch(r"[A-Z][A-Za-z0-9&.\- ]{1,30}", text))
    return text in KNOWN_ORGS or (len(text) >= 3 and text.endswith(ORG_SUFFIXES) and len(text) <= 30)


STRONG_ORG_END = re.compile(
    r"(?:股份有限公司|有限责任公司|有限公司|集团公司|公司|集团|银行|大学|委员会|管理局|监督管理局|研究院|研究所|学会|协会|"
    r"商会|联合会|基金会|电视台|日报社|报社|国资委|总局|总署|政府|法院|检察院|部|局|厅|委|署|办)"
)
_UNIT_END = re.compile(
    r"(?:部|处|科|室|办公室|中心|学院|院|系|所|组|课题组|团队|行业|业务|事业部|事业群|板块|团|队|站|分院)$"
)


_HEADS = sorted(SUBUNIT_HEADS, key=len, reverse=True)
_TAILS = sorted(SUBUNIT_TAILS, key=len, reverse=True)


def _heads_before(text: str, cut: int) -> int:
    """Move ``cut`` back over function words (宣传, 品牌与文化, 投资者关系 ...)."""
    while True:
        head = next((h for h in _HEADS if text[:cut].endswith(h)), None)
        if head is None:
            joined = re.search(r"(?:与|及|和|暨)$", text[:cut])
            if joined and cut > 1 and any(text[: cut - 1].endswith(h) for h in _HEADS):
                cut -= 1
                continue
            return cut
        cut -= len(head)


def _unit_suffix(text: str) -> int:
    """Length of the department at the end of ``text`` ("新闻中心" of "国网江苏电力新闻中心"):
    function words (宣传, 品牌 ...) and a unit word (部, 中心, 学院 ...)."""
    for tail in _TAILS:
        if text.endswith(tail):
            cut = _heads_before(text, len(text) - len(tail))
            if cut < len(text) - len(tail):
                return len(text) - cut
    return 0


_REGISTERED = re.compile(r"(?:公司|集团|银行|大学)")
_INSTITUTE_TAILS = ("研究院", "研究所", "学院", "学会", "协会", "研究中心")
# A party or youth-league committee inside an organisation is a unit of it (中车四方党委宣传部).
_PARTY_UNITS = ("党委", "党组", "团委", "纪委", "党工委")
# A bare organisation word before a department means the article's organisation (集团党组宣传部).
BARE_ORG_WORDS = {"集团": "该集团", "集团公司": "该集团", "公司": "该公司", "总公司": "该公司", "本公司": "该公司"}
# Unit words an organisation's ending may sit inside: 办 of 新闻办公室, 委 of 党委宣传部 is its own.
_UNIT_WORDS = ("办公室", "委员会", "事业部", "研究院", "研究所", "管理局", "管理处", "部门")


def _inside_word(text: str, end: int) -> bool:
    """``end`` falls inside one of the unit words (not at its end)."""
    return any(
        0 < end - start < len(word)
        for word in _UNIT_WORDS
        for start in range(max(0, end - len(word) + 1), end)
        if text.startswith(word, start)
    )


def split_subunit(prefix: Text) -> tuple[Text, Text]:
    """(organisation, sub-unit) for "国家电网宣传部" -> ("国家电网", "宣传部"),
    "香港理工大学会计及金融学院" -> ("香港理工大学", "会计及金融学院"),
    "中国移动财务" -> ("中国移动", "财务"); a chain of departments is one sub-unit
    ("集团党组宣传部新媒体处" -> ("集团", "党组宣传部新媒体处"))."""
    org, unit = _split_once(prefix)
    for _ in range(4):
        if not unit.s:
            break
        head, more = _split_once(org)
        if not more.s:
            break
        org, unit = head, Text(more.s + unit.s, more.o + unit.o)
    return org, unit


def _split_once(prefix: Text) -> tuple[Text, Text]:
    text = prefix.s
    if len(text) < 3:
        return prefix, Text("", "")
    for match in STRONG_ORG_END.finditer(text):
        # "浙江省市场监督管理局" + "网络交易监督管理处": a department after the organisation's own ending
        rest = text[match.end() :]
        if _inside_word(text, match.end()) or text[: match.end()].endswith(_PARTY_UNITS):
            continue
        if match.end() >= 3 and len(rest) >= 2 and _UNIT_END.search(rest) and not STRONG_ORG_END.fullmatch(rest):
            if not _REGISTERED.search(rest):
                return prefix.cut(0, match.end()), prefix.cut(match.end())
    cut = len(text)
    while (unit := _unit_suffix(text[:cut])) and cut - unit >= 2:
        head = text[: cut - unit]
        if text[:cut].endswith(_INSTITUTE_TAILS) and not (
            looks_like_org(head) or ends_with_org(head) or any(head.startswith(k) for k in KNOWN_ORGS)
        ):
            break  # "台湾经济研究院": an institute's own name, not a place and its institute
        cut -= unit  # "中国移动" + "品牌部" + "新媒体运营中心": a chain of departments
    if cut < len(text):
        return prefix.cut(0, cut), prefix.cut(cut)
    known = next((o for o in KNOWN_ORGS if text.startswith(o)), None)
    if known:
        cut = len(known)
        legal = re.match(r"(?:集团有限公司|股份有限公司|有限公司|集团|公司|股份)", text[cut:])
        cut += legal.end() if legal else 0
        if cut < len(text) and _heads_before(text, len(text)) <= cut:
            return prefix.cut(0, cut), prefix.cut(cut)
        if cut < len(text) and _UNIT_END.search(text):
            return prefix.cut(0, cut), prefix.cut(cut)
        return prefix, Text("", "")
    heads = _heads_before(text, len(text))
    if heads < len(text) and heads >= 4:  # "中国海外发展投资者关系"
        return prefix.cut(0, heads), prefix.cut(heads)
    if _UNIT_END.search(text):
        for match in STRONG_ORG_END.finditer(text):
            cut = match.end()
            rest = text[cut:]
            if _inside_word(text, cut):
                continue
            if cut >= 3 and len(rest) >= 2 and _UNIT_END.search(rest) and not STRONG_ORG_END.fullmatch(rest):
                return prefix.cut(0, cut), prefix.cut(cut)
    return prefix, Text("", "")


def clean_org(text: Text) -> Text:
    text = text.strip(" 的之")
    if "的" in text.s:  # "一位不愿透露姓名的湛江供电局线路班": the organisation follows the last 的
        text = text.cut(text.s.rfind("的") + 1)
    if "、" in text.s:  # "计划主持人、政大企业管理学系": the organisation of the last title
        text = text.cut(text.s.rfind("、") + 1)
    for joint in re.finditer(r"[和与及]", text.s):  # "中国石化董事长李强和中国移动": after the first person
        before = text.s[: joint.start()]
        if any(is_name(before[-n:]) for n in (2, 3)) and title_run(before):
            text = text.cut(joint.end())
            break
    match = _LEADING_NOISE.match(text.s)
    if match:
        text = text.cut(match.end()).strip(" 的")
    return text


def title_run(text: str) -> list[tuple[int, int]]:
    """(start, end) of every title occurrence, longest match at each place, left to right."""
    found, i = [], 0
    while i < len(text):
        title = _TITLE_AT.match(text, i)  # TITLES are longest first: the first alternative that matches
        if title:
            found.append((i, title.end()))
            i = title.end()
        else:
            i += 1
    return found


_TITLES_BY_LAST: dict[str, list[str]] = {}
for _title in TITLES:  # longest first, as in TITLES
    _TITLES_BY_LAST.setdefault(_title[-1], []).append(_title)
_TITLE_AT = re.compile("|".join(re.escape(t) for t in TITLES))


_PARENTHETICAL = re.compile(r"\s*[（(][^（）()]{1,30}[)）]")


def _without_parentheticals(subject: Text) -> Text:
    """Drop bracketed asides ("Vivian Cheung（張慧雯）", "（集团）" kept: it is part of a name)."""
    keep_s, keep_o, last = [], [], 0
    for match in _PARENTHETICAL.finditer(subject.s):
        if match.group().strip() in ("（集团）", "(集团)", "（控股）", "(控股)"):
            continue
        keep_s.append(subject.s[last : match.start()])
        keep_o.append(subject.o[last : match.start()])
        last = match.end()
    if not last:
        return subject
    keep_s.append(subject.s[last:])
    keep_o.append(subject.o[last:])
    return Text("".join(keep_s), "".join(keep_o))


def _org_of_earlier_title(before: Text, unit: Text) -> Text | None:
    """``ORG TITLE、UNIT TITLE NAME``: when what follows the 、 is only a department, the
    organisation is the one before the first title."""
    cut = before.s.rfind("、")
    if cut < 0 or not unit.s or not _UNIT_END.search(unit.s) or STRONG_ORG_END.search(unit.s[:-1]):
        return None
    runs = title_run(before.s[:cut])
    if not runs or runs[0][0] < 2:
        return None
    org = clean_org(before.cut(0, runs[0][0]))
    return org if looks_like_org(org.s) or ends_with_org(org.s) else None


# Words between an organisation and a title that belong to neither: an unnamed unit (某研究所),
# former (前/原), age and seniority (青年, 资深, 90后, 43岁的).
_TITLE_MODIFIERS = re.compile(
    r"(?:某[\u4e00-\u9fff]{0,4}?(?:所|厂|院|部|处|中心|车间|班组|站|局|分公司|单位|项目部))?"
    r"((?:(?:前任|前|原|资深|青年|年轻|老|女|男|\d{2}后|[0-9一二三四五六七八九十]{1,3}岁的?|[\u4e00-\u9fff]{1,4}?籍)+"
    r"[\u4e00-\u9fff]{0,3}?)?)$"
)
_UNNAMED = re.compile(r"(?:一位|一名|一个|位|名)?(?:不愿|不愿意|不肯)(?:具名|透露姓名|透露身份|公开姓名|署名)的")
# A relative clause before a name: where the person works or what they do (在…工作的, 负责…的).
_RELATIVE_CLAUSE = re.compile(r"^(?:在|从事|负责|主管|来自)[^，。！？]{1,30}的")
_REFERENCES_LONGEST = sorted((r for r in ORG_REFERENCES if r.startswith(("该", "这家"))), key=len, reverse=True)


def parse_subject(subject: Text) -> Mention | None:
    """Read ORG + TITLE + NAME (or a part of it, or a reference) from an attribution subject."""
    subject = _without_parentheticals(subject).strip(" ，,、：:")
    while True:  # peel adverbials and connectives
        tail = _ADVERBIAL_TAIL.search(subject.s)
        if tail is None or tail.start() == 0:
            break
        subject = subject.cut(0, tail.start()).strip(" ，,")
    noise = _LEADING_NOISE.match(subject.s)
    if noise and noise.end() < len(subject):
        subject = subject.cut(noise.end()).strip(" ，,")
    text = subject.s
    if not text or len(text) > 60:
        return None
    unnamed = _UNNAMED.search(text)
    if unnamed and unnamed.start() > 0:  # "中国电信一位不愿具名的中层管理人员": the organisation and the role
        subject = Text(
            text[: unnamed.start()] + text[unnamed.end() :], subject.o[: unnamed.start()] + subject.o[unnamed.end() :]
        )
        text = subject.s
    relative = _RELATIVE_CLAUSE.match(text)
    if relative and is_name(text[relative.end() :]):  # "在一家央企负责新媒体工作的周杨": the name it describes
        return Mention(name=subject.o[relative.end() :])
    if text in PERSON_PRONOUNS:
        return Mention(pronoun=True, pronoun_text=text)
    if text in GROUP_PRONOUNS or text.endswith(
        ("们", "人士", "网友", "专家", "市民", "用户", "消费者", "居民", "村民")
    ):
        if not title_run(text):
            return GROUP
    if text in ORG_REFERENCES:
        return Mention(org_ref=text)
    if text.rstrip("还也则又") in DOCUMENTS:
        return Mention(org_ref="官方")
    reference = next((r for r in ORG_REFERENCES if text.startswith(r) and r.startswith(("该", "这家"))), None)
    if reference:
        runs = title_run(text[len(reference) :])
        if runs and runs[-1][1] == len(text) - len(reference):
            return Mention(role=subject.o[len(reference) :], org_ref=reference)  # 该公司相关负责人
    if text in ROLE_REFERENCES or (
        text.startswith(("该", "这位", "上述", "那位")) and title_run(text) and title_run(text)[-1][1] == len(text)
    ):
        return Mention(role_ref=True)
    for title in ADDRESS_TITLES:  # "王总", "李教授", "欧阳女士": a surname and a form of address
        surname = text[: len(text) - len(title)]
        if text.endswith(title) and (surname in SURNAMES or surname in COMPOUND_SURNAMES):
            return Mention(surname=subject.o[: len(surname)])
    if is_name(text):
        return Mention(name=subject.o)
    for title in _TITLES_BY_LAST.get(text[-1:], ()):  # "李明教授": the name before the title
        name = text[: len(text) - len(title)]
        if text.endswith(title) and len(name) >= 2 and is_name(name):
            return Mention(name=subject.o[: len(name)], role=subject.o[len(name) :])
    titles = title_run(text)
    for start, end in reversed(titles):
        rest = text[end:]
        if rest.startswith(" ") and LATIN_NAME.fullmatch(rest.strip()):
            end += len(rest) - len(rest.lstrip())
            rest = rest.strip()
        if rest and not is_name(rest):
            continue
        if rest and rest[0] in "谈聊话评" and end < len(text) and start > 0 and len(rest) <= 3:
            return None  # a headline's "蔚来高管谈直播": the title talks about a topic
        # extend the run backwards over titles joined by 、/兼/和 and a sub-unit
        first = start
        for prev_start, prev_end in reversed([t for t in titles if t[1] <= start]):
            if text[prev_end:first] in ("", "、", "兼", "和", "及", "暨", "、副", "/"):
                first = prev_start
            else:
                break
        modifier = _TITLE_MODIFIERS.search(text[:first])
        org_end = modifier.start() if modifier and modifier.start() >= 2 else first
        if org_end < first and not ends_with_org(text[:org_end]):
            # "瓜达尔港务局巴基斯坦籍调度员": the organisation ends where an ending is inside the modifiers
            org_end = next((at for at in range(org_end, first) if ends_with_org(text[:at])), org_end)
        prefix = clean_org(subject.cut(0, org_end))  # "ORG某研究所青年设计师", "ORG前主席": not part of ORG
        named = next((r for r in _REFERENCES_LONGEST if prefix.s.startswith(r)), None)
        earlier = _org_of_earlier_title(subject.cut(0, first), prefix)
        if named:  # "该行零售金融部": the reference, then its department
            org_part, unit = prefix.cut(0, len(named)), prefix.cut(len(named))
        elif earlier is not None:  # "腾讯公司副总裁、微信事业群负责人": the unit is the company's
            org_part, unit = earlier, prefix
        else:
            org_part, unit = split_subunit(prefix)
        role_start = max(modifier.start(1), org_end) if org_end < first else first
        role = (unit.o + subject.o[role_start:end]).strip() or None
        org = org_part.o.strip() or None
        reference = org_part.s.strip() if org_part.s.strip() in ORG_REFERENCES else None
        if unit and org_part.s.strip() in BARE_ORG_WORDS:  # "集团党组宣传部": the group the article names
            reference = BARE_ORG_WORDS[org_part.s.strip()]
        if reference:
            org = None
        elif org and not (looks_like_org(org_part.s) or ends_with_org(org_part.s) or unit):
            org = None
        if rest:
            return Mention(name=subject.o[end:].strip(), role=role, org=org, org_ref=reference)
        if org is None and text.startswith(("一位", "一名", "有关", "相关", "多位", "某")):
            return Mention(role=role)
        return Mention(role=role, org=org)
    latin = re.search(r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}$", subject.o)
    if latin and not title_run(text[: latin.start()]):
        org = clean_org(subject.cut(0, latin.start()))
        return Mention(name=latin.group(), org=org.o.strip() or None)
    # ORG + NAME without a title (中石化李明), or ORG alone (the organisation speaks)
    for length in (3, 2, 4):
        if len(text) > length + 1 and is_name(text[-length:]) and ends_with_org(text[:-length]):
            org = clean_org(subject.cut(0, len(text) - length))
            return Mention(name=subject.o[-length:], org=org.o or None)
    bare = re.sub(r"(?:方面|官方|官微|官博)$", "", text)
    if bare.startswith(("一位", "一名", "有关", "某", "多位", "不少")):
        return GROUP
    if bare and (looks_like_org(bare) or bare in KNOWN_ORGS):
        return Mention(org=subject.o[: len(bare)], org_speaks=True)
    return None
