"""Direct quotes in Chinese articles and who said them (simplified or traditional).

The structure of attribution, as Chinese news writes it:

1. **Quote spans**: “…”, 「…」 with 『…』 nested, straight "…" and ＂…＂ (``text.find_quotes``).
2. **Speech or not**: a quote is speech when a speech cue governs it, or when it stands
   as a sentence of its own (it opens the sentence and holds a clause: ，。！？ inside or a
   full stop after it). Quoted terms, account names, slogans and titles (“两微一抖”,
   “国资小新”) are not: they sit inside a sentence with no cue, are named by 所谓/称为/
   名为/简称, or are followed by a noun they qualify (“…”账号, “…”的理念).
3. **The cue** that governs a quote, tried in this order:
   after it, ``“…”SUBJECT(在…时)VERB`` up to the next comma or full stop (``“…”他说。``,
   ``“…”，张伟表示，“…”``); before it, the clause ``SUBJECT(在…时)VERB：“…”`` ending
   right at the quote, ``据SUBJECT介绍，“…”``, or a previous paragraph ending in
   ``SUBJECT表示：``; for a quote inside a sentence, a first clause ``SUBJECT VERB，`` of
   that sentence (``他表示，公司将“…”``).
4. **The subject** of the cue is read as ORG + (sub-unit) + TITLE + NAME
   (``中国石化新闻发言人吕大鹏``, ``国家电网宣传部副主任张伟``), NAME alone, a surname with
   a form of address (王总, 李女士), ORG alone (the organisation speaks), ORG + TITLE with
   no name (``中国移动相关负责人``: unnamed, role and org kept), a pronoun (他/她), an
   organisation reference (该公司, 该行) or a role reference (该负责人). A group (业内人士,
   网友) gives no speaker.
5. **Discourse**: people introduced in the narrative with a title (``董事长王建国``) and
   every speaker are remembered in text order; a bare name or surname picks up the full
   name, role and organisation; 他/她 the most recent person; 该公司 the most recent
   organisation named; a continuation paragraph and an uncued quote right after a quote
   of the same paragraph keep the previous speaker. Nothing else is guessed.

All matching runs on ``to_simplified`` text; everything returned is sliced from the
article as written, at the same offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from registry.statements.core import NOBODY, Candidate, Speaker
from registry.statements.platforms import detect_platforms
from registry.statements.text import CHINESE_MARKS, QuoteSpan, find_quotes, paragraphs_of
from registry.statements.zh_lexicon import (
    ADDRESS_TITLES,
    COMPOUND_SURNAMES,
    GROUP_PRONOUNS,
    KNOWN_ORGS,
    ORG_REFERENCES,
    ORG_SUFFIXES,
    PERSON_PRONOUNS,
    ROLE_REFERENCES,
    SPEECH_VERBS,
    SUBUNIT_HEADS,
    SUBUNIT_TAILS,
    SURNAMES,
    TITLES,
    to_simplified,
)

__all__ = ["extract_zh"]

_TERMINATORS = "。！？!?…"
_CLAUSE_DELIMITERS = "，,；;：:。！？!?《》\n"
_HAN = re.compile(r"[\u3400-\u9fff]")

# Adverbials between a subject and its verb, peeled off the end of the subject.
_ADVERBIAL_TAIL = re.compile(
    r"(?:"
    r"(?:在|于|当|就|对|针对|围绕|面对|谈及|谈到|说起|提及|回顾)[^，。！？]{0,40}?(?:时|上|中|后|前|期间|之际|里|会上|现场|之时|方面|问题|时候)"
    r"|(?:在)?接受[^，。！？]{0,30}?采访(?:时)?"
    r"|(?:对|向|跟|给)(?:本报|本台|本网|本刊|新华社|中新网|中央社|澎湃新闻|界面新闻|财新|[\u4e00-\u9fff0-9A-Za-z]{1,10})?(?:记者|媒体|笔者|大家|网友|观众|参观者|用户|镜头|读者|投资者|消费者)"
    r"|(?:对着|面对|当着)[^，。！？]{1,8}"
    r"|(?:对|向|跟|给)(?:本报|本台|本网|本刊|新华社|中新网|中央社|财新|澎湃|界面|路透社|彭博社|法新社)"
    r"|在给[^，。！？]{1,20}?中"
    r"|受访时|受访|接受采访时|接受[^，。！？]{0,20}?(?:采访|访问|专访)(?:时)?"
    r"|(?:发布(?:消息|声明|公告|通报|通知|博文)?|发文|发帖|撰文)"
    r"|(?:通过|借助|经由|在)[^，。！？]{0,20}?(?:微博|微信|公众号|官网|官方账号|平台|发布会|声明|公告|回复|朋友圈|视频|直播间?)"
    r"|(?:也|还|则|又|更|都|亦|曾|已|就此|对此|对此事|随即|随后|当即|再次|同时|进一步|明确|公开|坦率地|笑着|直接|近日|日前|此前|"
    r"昨天|今天|昨日|今日|当天|当日|上午|下午|晚间|早前|此外|另外|最后|首先|其次|特别|专门|多次|一再|反复|深有感触地|感慨地|"
    r"自豪地|动情地|激动地|坚定地|肯定地|自信地|认真地|平静地|兴奋地|高兴地|毫不讳言地|不无|一度|曾经|先后|均|都曾|亲自|"
    r"\d{1,2}日|\d{1,2}月\d{1,2}日|[一二三四五六七八九十]+日|这样|如此|这么|当场|现场|则|还|又|方面)"
    r")$"
)
_LEADING_NOISE = re.compile(
    r"^(?:而|但|并|且|同时|对此|此外|另外|其中|随后|最后|首先|会上|期间|记者从|据了解|作为|身为|来自|目前|如今|现在|"
    r"近日|日前|此前|当天|当日|今年|去年|随后|不过|然而|因此|所以|于是|对于此事|对于这一点|谈到这里|说到这里)"
)
_NAME_CHARS = re.compile(r"[\u3400-\u9fff·•]{2,8}")
# What may follow a name in running text: punctuation, a verb, a function word.
_AFTER_NAME = re.compile(
    r"^(?:[，,。！？!?；;：:、（）()“”「」『』\"\s]|$|表示|说|称|指出|介绍|强调|坦言|认为|透露|回应|告诉|接受|在|于|也|还|"
    r"则|就|对|向|跟|和|与|及|等|的|是|曾|已|正|将|会|要|带领|率|一行|同志|先生|女士|今年|去年|近日|日前|此前|坦承|提到|谈到|"
    r"直言|补充|解释|回忆|举例|分析|预计|建议|呼吁|提醒|重申|披露|证实|说明|答|问|笑|感慨|感叹|介|负责|主持|出席|担任|兼任|现任|"
    r"上任|表态|发言|致辞|透|讲|道|告|看来|来说|今天|昨天|昨日|当天|日前|近日|今日)"
)
# Quoted text that is a name of a thing: the noun after it says so.
_TERM_AFTER = re.compile(
    r"^(?:的(?:理念|口号|目标|要求|原则|精神|思路|战略|模式|标准|称号|概念|说法|格局|品牌|定位|主题|标签|名号|做法|路径|方针|愿景|"
    r"使命|承诺|新模式|新格局|新路径|作用|效应|现象|问题|局面)|账号|帐号|公众号|视频号|官微|官博|栏目|节目|品牌|系列|活动|计划|工程|"
    r"模式|战略|理念|称号|号|平台|矩阵|标签|话题|口号|主题|行动|项目|等|工作室|直播间|频道|专栏|专题|板块|服务|产品|应用|"
    r"小程序|App|APP|app|机制|体系|格局|奖|大赛|比赛|论坛|峰会|晚会|展|工作|战役|热潮|效应|现象|名片|IP|ip|形象|标识|"
    r"字样|一词|二字|两字|三个字|四个字|这个词|这一|之称|之名)"
)
_TERM_BEFORE = re.compile(
    r"(?:所谓|称为|称之为|被称为|被誉为|誉为|号称|名为|叫做|叫作|简称|俗称|昵称|冠以|命名为|取名|定名为|打造|推出|开设|开通|"
    r"创办|上线|发起|开展|举办|实施|提出|构建|形成|落实|推进|践行|秉持|坚持|围绕|聚焦|以|按照|遵循|贯彻|获评|荣获|获得|"
    r"入选|评为|搜索|关注|点击|输入|标注|写着|印有|印着|写有|挂着|打出|喊出|口号|主题为|主题是|题为|名叫|账号|"
    r"即|和|与|及|、|或|的|在|号|频道|渠道|栏目|系列|节目|品牌|专栏|话题|标签|称号|入驻|加入|登录|进入|建立|创建|成立|组建|设立)$"
)


@dataclass(frozen=True)
class _Text:
    """A piece of the article: ``s`` for matching (simplified), ``o`` as written."""

    s: str
    o: str

    def cut(self, start: int, end: int | None = None) -> _Text:
        return _Text(self.s[start:end], self.o[start:end])

    def strip(self, chars: str | None = None) -> _Text:
        left = len(self.s) - len(self.s.lstrip(chars))
        right = len(self.s.rstrip(chars))
        return self.cut(left, max(left, right))

    def __len__(self) -> int:
        return len(self.s)

    def __bool__(self) -> bool:
        return bool(self.s)


@dataclass(frozen=True)
class _Mention:
    """A subject as written, before resolution: exactly one of its kinds is set."""

    name: str | None = None  # full name or bare name
    surname: str | None = None  # 王总, 李女士
    role: str | None = None
    org: str | None = None
    org_speaks: bool = False
    pronoun: bool = False  # 他/她
    org_ref: str | None = None  # 该公司
    role_ref: bool = False  # 该负责人
    group: bool = False  # 业内人士, 网友


_DOCUMENTS = (
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
_GROUP = _Mention(group=True)
_UNKNOWN = _Mention(group=True)  # a speech verb whose subject names nobody the text identifies


# --------------------------------------------------------------------------- names and subjects


_LATIN_NAME = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}")


def _is_name(text: str) -> bool:
    """A Chinese personal name: a surname and one to three given characters (or a
    transliterated name with a middle dot, or a name in Latin letters: "Vivian Cheung")."""
    if _LATIN_NAME.fullmatch(text):
        return True
    if not _NAME_CHARS.fullmatch(text):
        return False
    if "·" in text or "•" in text:
        return 3 <= len(text) <= 12
    if text[:2] in COMPOUND_SURNAMES:
        return 3 <= len(text) <= 4
    return text[0] in SURNAMES and 2 <= len(text) <= 3


def _name_length_at(text: str, start: int) -> int:
    """Length of the personal name starting at ``text[start]`` in running text, or 0."""
    lengths = (4, 3) if text[start : start + 2] in COMPOUND_SURNAMES else (3, 2)
    for length in lengths:
        name = text[start : start + length]
        if len(name) == length and _is_name(name) and _AFTER_NAME.match(text[start + length : start + length + 4]):
            return length
    return 0


def _ends_with_org(text: str) -> bool:
    return text.endswith(ORG_SUFFIXES) or any(text.endswith(org) for org in KNOWN_ORGS)


def _looks_like_org(text: str) -> bool:
    if len(text) < 2 or not _HAN.search(text):
        return bool(re.fullmatch(r"[A-Z][A-Za-z0-9&.\- ]{1,30}", text))
    return text in KNOWN_ORGS or (len(text) >= 3 and text.endswith(ORG_SUFFIXES) and len(text) <= 30)


_STRONG_ORG_END = re.compile(
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


def _split_subunit(prefix: _Text) -> tuple[_Text, _Text]:
    """(organisation, sub-unit) for "国家电网宣传部" -> ("国家电网", "宣传部"),
    "香港理工大学会计及金融学院" -> ("香港理工大学", "会计及金融学院"),
    "中国移动财务" -> ("中国移动", "财务")."""
    text = prefix.s
    if len(text) < 3:
        return prefix, _Text("", "")
    unit = _unit_suffix(text)
    if unit and len(text) - unit >= 2:
        return prefix.cut(0, len(text) - unit), prefix.cut(len(text) - unit)
    known = next((o for o in KNOWN_ORGS if text.startswith(o)), None)
    if known:
        cut = len(known)
        legal = re.match(r"(?:集团有限公司|股份有限公司|有限公司|集团|公司|股份)", text[cut:])
        cut += legal.end() if legal else 0
        if cut < len(text) and _heads_before(text, len(text)) <= cut:
            return prefix.cut(0, cut), prefix.cut(cut)
        if cut < len(text) and _UNIT_END.search(text):
            return prefix.cut(0, cut), prefix.cut(cut)
        return prefix, _Text("", "")
    heads = _heads_before(text, len(text))
    if heads < len(text) and heads >= 4:  # "中国海外发展投资者关系"
        return prefix.cut(0, heads), prefix.cut(heads)
    if _UNIT_END.search(text):
        for match in _STRONG_ORG_END.finditer(text):
            cut = match.end()
            rest = text[cut:]
            if cut >= 3 and len(rest) >= 2 and _UNIT_END.search(rest) and not _STRONG_ORG_END.fullmatch(rest):
                return prefix.cut(0, cut), prefix.cut(cut)
    return prefix, _Text("", "")


def _clean_org(text: _Text) -> _Text:
    text = text.strip(" 的之")
    if "的" in text.s:  # "一位不愿透露姓名的湛江供电局线路班": the organisation follows the last 的
        text = text.cut(text.s.rfind("的") + 1)
    if "、" in text.s:  # "计划主持人、政大企业管理学系": the organisation of the last title
        text = text.cut(text.s.rfind("、") + 1)
    match = _LEADING_NOISE.match(text.s)
    if match:
        text = text.cut(match.end()).strip(" 的")
    return text


def _title_run(text: str) -> list[tuple[int, int]]:
    """(start, end) of every title occurrence, longest match at each place, left to right."""
    found, i = [], 0
    while i < len(text):
        title = next((t for t in TITLES if text.startswith(t, i)), None)
        if title:
            found.append((i, i + len(title)))
            i += len(title)
        else:
            i += 1
    return found


_PARENTHETICAL = re.compile(r"\s*[（(][^（）()]{1,30}[)）]")


def _without_parentheticals(subject: _Text) -> _Text:
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
    return _Text("".join(keep_s), "".join(keep_o))


def _parse_subject(subject: _Text) -> _Mention | None:
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
    if text in PERSON_PRONOUNS:
        return _Mention(pronoun=True)
    if text in GROUP_PRONOUNS or text.endswith(
        ("们", "人士", "网友", "专家", "市民", "用户", "消费者", "居民", "村民")
    ):
        if not _title_run(text):
            return _GROUP
    if text in ORG_REFERENCES:
        return _Mention(org_ref=text)
    if text.rstrip("还也则又") in _DOCUMENTS:
        return _Mention(org_ref="官方")
    reference = next((r for r in ORG_REFERENCES if text.startswith(r) and r.startswith(("该", "这家"))), None)
    if reference:
        runs = _title_run(text[len(reference) :])
        if runs and runs[-1][1] == len(text) - len(reference):
            return _Mention(role=subject.o[len(reference) :], org_ref=reference)  # 该公司相关负责人
    if text in ROLE_REFERENCES or (
        text.startswith(("该", "这位", "上述", "那位")) and _title_run(text) and _title_run(text)[-1][1] == len(text)
    ):
        return _Mention(role_ref=True)
    if _is_name(text):
        return _Mention(name=subject.o)
    for title in ADDRESS_TITLES:
        if (
            text.endswith(title)
            and 1 <= len(text) - len(title) <= 2
            and text[0] in SURNAMES | {t[0] for t in COMPOUND_SURNAMES}
        ):
            return _Mention(surname=subject.o[: len(text) - len(title)])
    titles = _title_run(text)
    for start, end in reversed(titles):
        rest = text[end:]
        if rest.startswith(" ") and _LATIN_NAME.fullmatch(rest.strip()):
            end += len(rest) - len(rest.lstrip())
            rest = rest.strip()
        if rest and not _is_name(rest):
            continue
        # extend the run backwards over titles joined by 、/兼/和 and a sub-unit
        first = start
        for prev_start, prev_end in reversed([t for t in titles if t[1] <= start]):
            if text[prev_end:first] in ("", "、", "兼", "和", "及", "暨", "、副", "/"):
                first = prev_start
            else:
                break
        org_part, unit = _split_subunit(_clean_org(subject.cut(0, first)))
        role = (unit.o + subject.o[first:end]).strip() or None
        org = org_part.o.strip() or None
        reference = org_part.s.strip() if org_part.s.strip() in ORG_REFERENCES else None
        if reference:
            org = None
        elif org and not (_looks_like_org(org_part.s) or _ends_with_org(org_part.s) or unit):
            org = None
        if rest:
            return _Mention(name=subject.o[end:].strip(), role=role, org=org, org_ref=reference)
        if org is None and text.startswith(("一位", "一名", "有关", "相关", "多位", "某")):
            return _Mention(role=role)
        return _Mention(role=role, org=org)
    latin = re.search(r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}$", subject.o)
    if latin and not _title_run(text[: latin.start()]):
        org = _clean_org(subject.cut(0, latin.start()))
        return _Mention(name=latin.group(), org=org.o.strip() or None)
    # ORG + NAME without a title (中石化李明), or ORG alone (the organisation speaks)
    for length in (3, 2, 4):
        if len(text) > length + 1 and _is_name(text[-length:]) and _ends_with_org(text[:-length]):
            org = _clean_org(subject.cut(0, len(text) - length))
            return _Mention(name=subject.o[-length:], org=org.o or None)
    bare = re.sub(r"(?:方面|官方|官微|官博)$", "", text)
    if bare.startswith(("一位", "一名", "有关", "某", "多位", "不少")):
        return _GROUP
    if bare and (_looks_like_org(bare) or bare in KNOWN_ORGS):
        return _Mention(org=subject.o[: len(bare)], org_speaks=True)
    return None


# --------------------------------------------------------------------------- cues


def _verb_at_end(text: str) -> str | None:
    return next((verb for verb in SPEECH_VERBS if text.endswith(verb) and len(text) > len(verb)), None)


def _clause_before(text: _Text) -> _Text:
    """The last clause of ``text``: after its last comma, full stop or other delimiter."""
    cut = max(text.s.rfind(ch) for ch in _CLAUSE_DELIMITERS)
    return text.cut(cut + 1)


def _subject_of_cue(clause: _Text) -> _Mention | None:
    """``clause`` ends with a speech verb: read its subject (据…介绍 included)."""
    clause = clause.strip(" ：:，,")
    verb = _verb_at_end(clause.s)
    if verb is None:
        return None
    subject = clause.cut(0, len(clause) - len(verb))
    if subject.s.startswith("据"):
        subject = subject.cut(1)
    if subject.s.endswith(("据了解", "据悉", "据报道", "据介绍")) or subject.s in ("", "据"):
        return None
    found = _parse_subject(subject)
    return found if found is not None else _UNKNOWN


def _post_cue(right: _Text) -> _Mention | None:
    """``“…”SUBJECT VERB`` up to the next comma or full stop; or a later clause of the same
    sentence, ``“…”在会上，NAME这样概括``."""
    right = right.strip(" ，,")
    end = min((i for i in (right.s.find(ch) for ch in "。！？!?；;\n") if i >= 0), default=len(right))
    sentence = right.cut(0, end)
    start = 0
    for number, clause_end in enumerate([i for i, ch in enumerate(sentence.s) if ch in "，,：:"] + [len(sentence)]):
        clause = sentence.cut(start, clause_end)
        start = clause_end + 1
        if not clause or len(clause) > 40:
            break
        so = re.search(r"(?:这样|如此|这么)(?:概括|形容|总结|描述|说|表示|评价|解释|回答)", clause.s)
        if so:
            return _parse_subject(clause.cut(0, so.start())) or _UNKNOWN
        if number == 0 or _verb_at_end(clause.s.strip()):
            found = _subject_of_cue(clause)
            if found is not None:
                return found
        if number >= 1:
            break
    return None


def _pre_cue(left: _Text) -> _Mention | None:
    """``SUBJECT VERB：“…”`` or ``据SUBJECT介绍，“…”`` ending right at the quote."""
    tail = left.s.rstrip(" ")
    if not tail or tail[-1] not in "：:，," and _verb_at_end(tail) is None:
        return None
    stripped = left.strip(" ：:，,")
    return _subject_of_cue(_clause_before(stripped))


def _sentence_cue(sentence: _Text) -> _Mention | None:
    """A quote inside a sentence: the sentence's first clause ``SUBJECT VERB，``."""
    comma = min((i for i in (sentence.s.find(ch) for ch in "，,：:") if i >= 0), default=-1)
    if comma <= 0:
        return None
    return _subject_of_cue(sentence.cut(0, comma))


def _sentence_tail(left: _Text) -> _Text:
    cut = max(left.s.rfind(ch) for ch in _TERMINATORS)
    return left.cut(cut + 1)


def _is_clause(quote: str) -> bool:
    """The quoted text reads as a sentence or clause, not a name or term."""
    return bool(re.search(r"[，,。！？!?；;：:]", quote)) or len(quote) >= 16


# --------------------------------------------------------------------------- discourse


class _Discourse:
    """People and organisations named so far, in text order."""

    def __init__(self, simple: str, original: str):
        self.simple = simple
        self.original = original
        self.people: dict[str, Speaker] = {}
        self.last_person: Speaker | None = None
        self.speakers: list[Speaker] = []
        self.intros = _narrative_people(simple, original)
        self.orgs = _narrative_orgs(simple, original)
        self._intro_at = 0

    def advance(self, position: int) -> None:
        """Take in the people the narrative introduced before ``position``."""
        while self._intro_at < len(self.intros) and self.intros[self._intro_at][0] < position:
            at, person = self.intros[self._intro_at]
            self._intro_at += 1
            if isinstance(person, _Mention):  # "该公司首席执行官 David Lam": the company meant
                person = self.resolve(person, at)
            self.remember(person)

    def remember(self, speaker: Speaker) -> None:
        if speaker.name:
            known = self.people.get(speaker.name)
            merged = Speaker(
                speaker.name,
                speaker.role or (known.role if known else None),
                speaker.org or (known.org if known else None),
            )
            self.people[speaker.name] = merged
            self.last_person = merged

    def spoke(self, speaker: Speaker) -> None:
        if speaker.known:
            self.speakers.append(speaker)
        self.remember(speaker)

    def org_before(self, position: int, reference: str) -> str | None:
        wants_bank = reference.endswith("行")
        for start, name in reversed(self.orgs):
            if start >= position or name in _PLATFORM_NAMES:
                continue
            if wants_bank and not name.endswith(("银行", "行")):
                continue
            return self.original[start : start + len(name)]
        for speaker in reversed(self.speakers):
            if speaker.org:
                return speaker.org
        return None

    def resolve(self, mention: _Mention | None, position: int) -> Speaker:
        if mention is None or mention.group:
            return NOBODY
        if mention.pronoun:
            return self.last_person or NOBODY
        if mention.org_ref and not mention.role and not mention.name:
            org = self.org_before(position, mention.org_ref)
            return Speaker(org=org, is_org=True) if org else NOBODY
        if mention.role_ref:
            unnamed = next((s for s in reversed(self.speakers) if not s.name and s.role), None)
            return unnamed or NOBODY
        if mention.surname:
            person = next((p for n, p in reversed(self.people.items()) if n.startswith(mention.surname)), None)
            return person or NOBODY
        if mention.org_speaks:
            return Speaker(org=mention.org, is_org=True)
        if mention.name and mention.org_ref:
            org = self.org_before(position, mention.org_ref)
            return Speaker(mention.name, mention.role, org)
        if mention.name:
            known = self.people.get(mention.name) or next(
                (p for n, p in reversed(self.people.items()) if len(mention.name) >= 2 and n.endswith(mention.name)),
                None,
            )
            if known:
                return Speaker(known.name, mention.role or known.role, mention.org or known.org)
            return Speaker(mention.name, mention.role, mention.org)
        if mention.org_ref:
            return Speaker(None, mention.role, self.org_before(position, mention.org_ref))
        if mention.role or mention.org:
            return Speaker(None, mention.role, mention.org)
        return NOBODY


def _narrative_people(simple: str, original: str) -> list[tuple[int, Speaker | _Mention]]:
    """People the text introduces as TITLE + NAME ("董事长王建国"), with their title and the
    organisation before it, in text order. One pass over the titles: linear."""
    found = []
    pattern = re.compile("|".join(re.escape(t) for t in TITLES))
    for match in re.finditer(
        r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,3})是([\u4e00-\u9fffA-Za-z（）()]{2,30}?)的([\u4e00-\u9fff]{2,8})[。，]",
        simple,
    ):
        name, org, title = match.group(1), match.group(2), match.group(3)
        if _is_name(name) and title in TITLES and (_looks_like_org(org) or _ends_with_org(org)):
            start = match.start(2)
            found.append(
                (
                    match.start(),
                    Speaker(
                        original[match.start(1) : match.end(1)],
                        original[match.start(3) : match.end(3)],
                        original[start : start + len(org)],
                    ),
                )
            )
    for match in pattern.finditer(simple):
        end = match.end()
        latin = _LATIN_NAME.match(simple, end + 1) if simple[end : end + 1] == " " else _LATIN_NAME.match(simple, end)
        length = (latin.end() - end) if latin else (_name_length_at(simple, end) if end < len(simple) else 0)
        if not length:
            continue
        start = max(
            (simple.rfind(ch, max(0, match.start() - 40), match.start()) for ch in _CLAUSE_DELIMITERS + "“”「」"),
            default=-1,
        )
        mention = _parse_subject(_Text(simple[start + 1 : end + length], original[start + 1 : end + length]))
        if mention and mention.name:
            found.append(
                (match.start(), mention if mention.org_ref else Speaker(mention.name, mention.role, mention.org))
            )
    return found


def _narrative_orgs(simple: str, original: str) -> list[tuple[int, str]]:
    """Organisations named in the text (known names and names ending in 公司, 集团, 银行 ...)."""
    found = []
    known = re.compile("|".join(re.escape(o) for o in KNOWN_ORGS))
    for match in known.finditer(simple):
        found.append((match.start(), match.group()))
    suffixed = re.compile(
        r"(?:(?<=[，,。！？；;：:、“”「」（）()\s])|^)[\u4e00-\u9fff]{2,14}?(?:股份有限公司|有限公司|集团|公司|银行)(?:股份有限公司|有限公司)?",
        re.M,
    )
    for match in suffixed.finditer(simple):
        name = match.group()
        if not name.startswith(("该", "这家", "一家", "本", "各", "多家", "相关", "有限", "股份", "集团")):
            found.append((match.start(), name))
    acting = re.compile(
        r"(?:^|(?<=[，。；\n]))([\u4e00-\u9fffA-Za-z]{2,8}?)(?:通过|发布|宣布|推出|发表|致歉|道歉|回应称|连夜)", re.M
    )
    for match in acting.finditer(simple):
        name = match.group(1)
        if not _is_name(name) and not re.search(r"[日月年晚早时后前该他她这其]", name):
            found.append((match.start(1), name))
    longest: dict[int, str] = {}
    for start, name in found:  # "中国移动通信集团有限公司" rather than the "中国移动" inside it
        if len(name) > len(longest.get(start, "")):
            longest[start] = name
    return sorted(longest.items())


# --------------------------------------------------------------------------- the pipeline


@dataclass
class _Found:
    span: QuoteSpan
    speaker: Speaker
    speech: bool


# "人民网北京4月18日电（记者 韩雪松）", "新华社北京5月1日电": a dateline opening a paragraph.
_PLATFORM_NAMES = frozenset(
    "微博 微信 抖音 快手 小红书 哔哩哔哩 B站 今日头条 视频号 知乎 淘宝 天猫 新华社 人民日报 人民网 新华网 央视 "
    "澎湃新闻 界面新闻 财新 第一财经 环球时报 中国日报 中新网 中央社 国资小新".split()
)
_DATELINE = re.compile(r"^[^，。“”「」]{0,24}?(?:电|讯|消息)\s*(?:[（(][^）)]{0,30}[）)])?\s*")
# "刘振宇把这种转变概括为“从播报到对话”": words the subject puts it in.
_PUT_AS = re.compile(r"把[^，。！？“”「」]{1,24}?(?:概括|形容|总结|比喻|比作|描述|定义|归纳|称)为$")
# "有网友评论“……”", "网友留言：“……”": posted words of unnamed people.
_POSTED = re.compile(r"(?:评论|留言|写道|弹幕|回复|感叹|直呼|调侃|吐槽|发帖|刷屏)[：:]?$")


def extract_zh(cleaned: str) -> list[Candidate]:
    """Direct quotes of a cleaned Chinese article with their speakers, in document order."""
    paragraphs = paragraphs_of(cleaned)
    simple = to_simplified(cleaned)
    article = _Text(simple, cleaned)
    spans = find_quotes(paragraphs, CHINESE_MARKS)
    discourse = _Discourse(simple, cleaned)
    found: list[_Found] = []
    boundary = -1  # where the text that may hold a quote's cue starts: after the last speech quote
    for index, span in enumerate(spans):
        para = paragraphs[span.para]
        if boundary < para.start:
            dateline = _DATELINE.match(simple[para.start : para.end]) if span.para <= 2 else None
            boundary = para.start + (dateline.end() if dateline and dateline.end() < span.open_at - para.start else 0)
        prev = found[-1] if found and found[-1].span.para == span.para else None
        nxt = spans[index + 1] if index + 1 < len(spans) and spans[index + 1].para == span.para else None
        left = article.cut(boundary, span.open_at)
        right = article.cut(span.close_at, nxt.open_at if nxt else para.end)
        quote = simple[span.start : span.end]
        discourse.advance(span.open_at)
        previous = next((f for f in reversed(found) if f.speech), None)

        if span.continues and found and found[-1].speech:
            own, _ = _governing_cue(span, quote, left, right, article, paragraphs, None)
            speaker = discourse.resolve(own, span.open_at) if own is not None else found[-1].speaker
            if own is not None and not found[-1].speaker.known:
                found[-1] = _Found(found[-1].span, speaker, True)
            found.append(_Found(span, speaker, True))
            boundary = span.close_at
            continue
        mention, cued = _governing_cue(span, quote, left, right, article, paragraphs, prev)
        ending = para.text.rstrip('”」』" ')
        headline = span.para == 0 and len(para.text) <= 60 and not ending.endswith(("。", "！", "？"))
        speech = _is_speech(quote, left, right, cued, headline=headline)
        if not speech:
            found.append(_Found(span, NOBODY, False))
            continue
        tail = _sentence_tail(left).s.strip(" ，,")
        if cued:
            speaker = discourse.resolve(mention, span.open_at)
        elif prev is not None and prev.speech and not tail:
            speaker = prev.speaker  # “A。”他说。“B。”
        elif (caption := _caption_after(span, left, right, paragraphs, article)) is not None:
            speaker = discourse.resolve(caption, span.open_at)  # “……” ——应届毕业生 付雨桐
        elif not tail and (reported := _reported_before(left)) is not None:
            speaker = discourse.resolve(reported, span.open_at)  # 他说，……。“……”
        elif (
            prev is None
            and not left.s.strip()
            and previous is not None
            and previous.speaker.known
            and previous.span.para == span.para - 1
            and _ends_with_statement(paragraphs[span.para - 1], previous.span)
        ):
            speaker = previous.speaker  # a quote paragraph right after the speaker's paragraph
        else:
            speaker = NOBODY
        discourse.spoke(speaker)
        found.append(_Found(span, speaker, True))
        boundary = span.close_at

    _attribute_headlines(found, simple)
    return [
        Candidate(
            quote=" ".join(cleaned[f.span.start : f.span.end].split()),
            speaker=f.speaker.name,
            role=f.speaker.role,
            org=f.speaker.org,
            kind="quote",
            speaker_is_org=f.speaker.is_org,
            start=f.span.start,
            end=f.span.end,
            platforms=detect_platforms(cleaned[f.span.start : f.span.end]),
        )
        for f in found
        if f.speech and f.span.end > f.span.start
    ]


def _caption_after(span: QuoteSpan, left: _Text, right: _Text, paragraphs, article: _Text) -> _Mention | None:
    """A quote alone in its paragraph, and a next line "——TITLE NAME" naming who said it."""
    if left.s.strip() or right.s.strip(" 。") or span.para + 1 >= len(paragraphs):
        return None
    following = paragraphs[span.para + 1]
    line = article.cut(following.start, following.end)
    dash = re.match(r"\s*(?:——|—|--|－－)\s*", line.s)
    if dash is None or len(line) > 40:
        return None
    subject = line.cut(dash.end())
    subject = _Text(subject.s.replace(" ", ""), subject.o.replace(" ", ""))
    mention = _parse_subject(subject)
    return mention if mention is not None and mention.name else None


def _ends_with_statement(paragraph, span: QuoteSpan) -> bool:
    """The paragraph ends with the quote or with its short attribution ("……”他说。")."""
    return len(paragraph.text) - (span.close_at - paragraph.start) <= 20


def _reported_before(left: _Text) -> _Mention | None:
    """The sentence before the quote opens with "SUBJECT VERB，" (reported speech)."""
    text = left.s.rstrip()
    if not text or text[-1] not in _TERMINATORS:
        return None
    body = left.cut(0, len(text) - 1)
    sentence = _sentence_tail(body)
    mention = _sentence_cue(sentence)
    return None if mention is _UNKNOWN else mention


def _attribute_headlines(found: list[_Found], simple: str) -> None:
    """A headline quote without a speaker takes the speaker of the body quote that repeats it."""
    for index, item in enumerate(found):
        if item.span.para != 0 or not item.speech or item.speaker.known or len(found) < 2:
            continue
        words = simple[item.span.start : item.span.end].strip("。！？，")
        body = next(
            (
                f
                for f in found[index + 1 :]
                if f.speech and f.span.para > 0 and words in simple[f.span.start : f.span.end]
            ),
            None,
        )
        if body is not None:
            found[index] = _Found(item.span, body.speaker, True)


def _governing_cue(span, quote, left, right, article, paragraphs, prev) -> tuple[_Mention | None, bool]:
    """(subject, whether a speech cue governs the quote)."""
    post = _post_cue(right)
    if post is not None:
        return post, True
    if _post_group_cue(right):
        return _GROUP, True
    pre = _pre_cue(left)
    if pre is not None:
        return pre, True
    before = left.s.rstrip(" ")
    if _PUT_AS.search(before):
        mention = _sentence_cue(_Text(_sentence_tail(left).s + "，", _sentence_tail(left).o + "，")) or _subject_before(
            left, _PUT_AS.search(before).start()
        )
        return mention or _UNKNOWN, True
    if _POSTED.search(before):
        return _GROUP, True
    pledge = re.search(r"(?:承诺|呼吁|号召|誓言|保证|表示要|强调要|提出要|要求)$", before)
    if pledge:  # "并承诺“不做僵尸不作秀”": the words of the clause's subject
        mention = _sentence_cue(_Text(_sentence_tail(left).s + "，", _sentence_tail(left).o + "，"))
        return mention or _UNKNOWN, True
    if before.endswith(("：", ":")):
        subject = _clause_before(left.strip(" ：:"))
        mention = _parse_subject(subject) if len(subject) <= 20 else None
        if mention is not None and (mention.org_speaks or mention.name):
            return mention, True  # a headline's "国网浙江电力：“……”"
    tail = _sentence_tail(left)
    if not tail.s.strip() and span.para > 0 and prev is None:
        previous = paragraphs[span.para - 1]
        if previous.text.rstrip().endswith(("：", ":")):
            mention = _pre_cue(article.cut(previous.start, previous.end))
            if mention is not None:
                return mention, True
    if tail.s.strip(" ，,"):
        mention = _sentence_cue(tail)
        if mention is not None:
            return mention, True
    return None, False


def _subject_before(left: _Text, end: int) -> _Mention | None:
    clause = _clause_before(left.cut(0, end))
    return _parse_subject(clause)


def _post_group_cue(right: _Text) -> bool:
    head = right.s.strip(" ，,")[:12]
    return bool(
        re.match(r"(?:有|一位|一名|不少|很多|许多)?(?:网友|业内人士|市民|居民|用户|消费者|专家)", head)
    ) and bool(_verb_at_end(re.split(r"[，,。！？]", head)[0] or ""))


def _is_speech(quote: str, left: _Text, right: _Text, cued: bool, *, headline: bool = False) -> bool:
    quote = quote.strip()
    if not quote or not _HAN.search(quote) and len(quote.split()) < 3:
        return False
    before = left.s.rstrip(" ")
    after = right.s.lstrip(" ")
    if _TERM_BEFORE.search(before) and not _is_clause(quote) and not _PUT_AS.search(before):
        return False
    if not _is_clause(quote) and _TERM_AFTER.match(after) and after[:1] not in "，,。！？!?；;":
        return False
    if cued:
        return _is_clause(quote) or len(quote) >= 6
    if headline:
        return False
    # no cue: a quote standing as a sentence of its own
    opens_sentence = not _sentence_tail(left).s.strip(" ，,")
    ends_sentence = quote.endswith(tuple(_TERMINATORS)) or after[:1] in _TERMINATORS or not after
    return opens_sentence and ends_sentence and _is_clause(quote)
