"""What a Chinese article has said so far about people and organisations, in text order.

People introduced in the narrative with a title (``董事长王建国``, ``NAME是ORG的TITLE``) and
every speaker are remembered; organisations named in the narrative (known names, names
ending in 公司/集团/银行, organisations acting as subjects) are kept with their paragraph,
whether they open a clause, and how often the article names them. ``resolve`` gives the
grammar's one reading of a subject (a bare name or surname picks up the full name, role
and organisation; 他/她 the most recent person; 该公司 the most recent organisation);
``alternatives`` every reading the text allows, with the features the attribution model
weighs (``registry.statements.ranking``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import replace

from registry.statements.core import NOBODY, Speaker
from registry.statements.options import Who
from registry.statements.text import Paragraph
from registry.statements.zh_lexicon import (
    KNOWN_ORGS,
    ORG_REFERENCES,
    SUBUNIT_HEADS,
    TITLES,
    to_simplified,
)
from registry.statements.zh_mentions import (
    CLAUSE_DELIMITERS,
    LATIN_NAME,
    STRONG_ORG_END,
    Mention,
    Text,
    clean_org,
    is_name,
    looks_like_org,
    name_length_at,
    parse_subject,
    split_subunit,
)

# --------------------------------------------------------------------------- discourse


class Discourse:
    """People and organisations named so far, in text order."""

    def __init__(self, simple: str, original: str, paragraphs: list[Paragraph] | None = None):
        self.simple = simple
        self.original = original
        self.people: dict[str, Speaker] = {}
        self.last_person: Speaker | None = None
        self.speakers: list[Speaker] = []
        self.intros = narrative_people(simple, original)
        self.orgs = narrative_orgs(simple, original)
        self._intro_at = 0
        self._para_starts = [p.start for p in paragraphs] if paragraphs else [0]
        self.seen: dict[str, int] = {}  # a person's name -> where the text last named them
        self.gender: dict[str, str] = {}
        self._nameless_at: list[tuple[int, Speaker]] = []
        self.org_spoke: set[str] = set()
        self._aliases = _read_aliases(simple)
        self._keys: dict[str, str] = {}
        self._org_starts = [start for start, _ in self.orgs]
        names = {name for _, name in self.orgs}
        self._org_names = sorted(names | set(self._aliases) | set(self._aliases.values()))[:200]
        self._splits: dict[str, int] = {}
        self._fullest: dict[str, str] = {}
        self._shortest = {
            name: min((n for n in names if name.startswith(n) and len(n) >= 2), key=len) for name in names
        }
        salience: Counter[str] = Counter()
        for start, name in self.orgs:
            if name not in PLATFORM_NAMES:
                salience[self.canonical(name)] += 2 if self.para_at(start) <= 1 else 1
        self.main_orgs = [key for key, _ in salience.most_common(2)]
        last_named = {self.canonical(name): (start, name) for start, name in self.orgs}
        self._main_names = [
            original[last_named[key][0] : last_named[key][0] + len(last_named[key][1])] for key in self.main_orgs
        ]

    def advance(self, position: int) -> None:
        """Take in the people the narrative introduced before ``position``."""
        while self._intro_at < len(self.intros) and self.intros[self._intro_at][0] < position:
            at, person = self.intros[self._intro_at]
            self._intro_at += 1
            if isinstance(person, Mention):  # "该公司首席执行官 David Lam": the company meant
                person = self.resolve(person, at) if person.org_ref else Speaker(person.name, person.role, person.org)
            if person.name is None and person.role:  # "国资委新闻中心有关负责人透露": 该负责人 may mean them
                orgs = _title_orgs(person.org, person.role) if person.org else []
                branch = [o for o, source in orgs if source == "title_branch"]
                person = replace(person, org=branch[0]) if branch else person
                self._nameless_at = [*self._nameless_at[-20:], (at, person)]
                continue
            self.remember(person, at)

    def remember(self, speaker: Speaker, position: int = -1) -> None:
        if speaker.name:
            known = self.people.get(speaker.name)
            merged = Speaker(
                speaker.name,
                speaker.role or (known.role if known else None),
                speaker.org or (known.org if known else None),
            )
            self.people.pop(speaker.name, None)  # most recent last
            self.people[speaker.name] = merged
            self.last_person = merged
            if position >= 0:
                self.seen[speaker.name] = position
            address = re.search(r"(女士|小姐|先生)$", speaker.role or "")
            if address:
                self.gender[speaker.name] = "m" if address.group(1) == "先生" else "f"

    def spoke(self, speaker: Speaker, position: int = -1) -> None:
        if speaker.known:
            self.speakers.append(speaker)
            if speaker.is_org and speaker.org:
                self.org_spoke.add(self.canonical(to_simplified(speaker.org)))
            elif not speaker.name and speaker.role:
                self._nameless_at = [(a, s) for a, s in self._nameless_at[-20:] if s != speaker] + [(position, speaker)]
                self.last_person = speaker
        self.remember(speaker, position)

    def recently_seen(self, limit: int) -> list[tuple[int, Speaker]]:
        """The people the text named last, latest first (at most ``limit``)."""
        found = []
        for name, person in reversed(self.people.items()):
            found.append((self.seen.get(name, -1), person))
            if len(found) >= limit:
                break
        return found

    # ----------------------------------------------------------------- organisations

    def para_at(self, position: int) -> int:
        return max(0, bisect_right(self._para_starts, position) - 1)

    def canonical(self, name: str) -> str:
        """One key for the names of one organisation: without its legal form, its short
        form when the article uses one (中国移动 for 中国移动通信集团有限公司), its alias."""
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = self._key(name)
        return key

    def _key(self, name: str) -> str:
        simple = to_simplified(name)
        simple = self._aliases.get(simple, simple)
        simple = self._shortest.get(simple, simple)
        stripped = _LEGAL_FORM.sub("", simple)
        return stripped or simple

    def fullest(self, name: str) -> str:
        """The fullest name the article gives the organisation ``name``: its registered name
        when that only adds the trade and the legal form (中国航天 -> 中国航天科技集团有限公司,
        中国移动 -> 中国移动通信集团有限公司), or the name a 以下简称 defines it as. A name
        that adds a place or a unit (国网 -> 国网江苏省电力有限公司) is another organisation."""
        if name not in self._fullest:
            self._fullest[name] = self._find_fullest(name)
        return self._fullest[name]

    def _find_fullest(self, name: str) -> str:
        simple = to_simplified(name)
        if simple in self._aliases:
            full = self._aliases[simple]
            at = self.simple.find(full)
            return self.original[at : at + len(full)] if at >= 0 else full
        best = name
        for start, other in self.orgs[:200]:
            if len(other) <= len(best) or not other.startswith(simple):
                continue
            extra = _LEGAL_FORM.sub("", other[len(simple) :])
            if extra and not _TRADE_WORDS.fullmatch(extra):
                continue
            best = self.original[start : start + len(other)]
        return best

    def main_org_names(self) -> list[str]:
        """The article's most named organisations, as it last names them."""
        return self._main_names

    def _orgs_before(self, position: int, limit: int = 120) -> list[tuple[int, str]]:
        """The organisations named before ``position``, nearest first: the last ``limit``
        (bounds the work per quote, so long articles stay linear)."""
        end = bisect_right(self._org_starts, position - 1)
        return self.orgs[max(0, end - limit) : end][::-1]

    def nearest_org(self, position: int, para: int) -> tuple[str, int] | None:
        for start, name in self._orgs_before(position):
            if name in PLATFORM_NAMES:
                continue
            at = self.para_at(start)
            if at < para - 1:
                return None
            return self.original[start : start + len(name)], at
        return None

    def kind_of(self, name: str) -> str:
        return org_kind(to_simplified(name))

    def _subject(self, start: int) -> bool:
        before = self.simple[max(0, start - 3) : start]
        return (
            not before
            or before[-1] in "，。！？；：\n"
            or bool(re.search(r"(?:^|[，。！？；\n])(?:据|而|但|同时|此外)$", before))
        )

    def org_alternatives(self, position: int, reference: str) -> list[tuple[str, dict[str, float]]]:
        """Every organisation 该公司/该行 ... may mean, nearest first, with its features."""
        wants_bank = reference.endswith("行")
        kind = _REFERENCE_KINDS.get(reference.removeprefix("该").removeprefix("这家"))
        para = self.para_at(position)
        found: list[tuple[str, dict[str, float]]] = []
        keys: set[str] = set()
        wants_platform = reference.endswith("平台")
        for start, name in self._orgs_before(position):
            if wants_bank and not name.endswith(("银行", "行")):
                continue
            if kind and not to_simplified(name).endswith(kind):
                continue  # 该中心: a centre, 该协会: an association
            if name in PLATFORM_NAMES and not wants_platform:
                continue  # a platform or a newspaper is where things are said, not 该公司
            key = self.canonical(name)
            if key in keys:
                continue
            keys.add(key)
            features = {f"ref{min(len(found), 2)}": 1.0}
            if self._subject(start):
                features["ref_subject"] = 1.0
            if para - self.para_at(start) >= 2:
                features["ref_far"] = 1.0
            if key in self.org_spoke:
                features["ref_spoke"] = 1.0
            found.append((self.original[start : start + len(name)], features))
            if len(found) >= 4:
                break
        if not found:
            org = next((s.org for s in reversed(self.speakers) if s.org), None)
            if org:
                found.append((org, {"ref_speaker_org": 1.0}))
        return found

    def org_before(self, position: int, reference: str) -> str | None:
        """The organisation 该公司/该行 ... means: the last one named before ``position``."""
        wants_bank = reference.endswith("行")
        kind = _REFERENCE_KINDS.get(reference.removeprefix("该").removeprefix("这家"))
        for start, name in self._orgs_before(position):
            if name in PLATFORM_NAMES:
                continue
            if wants_bank and not name.endswith(("银行", "行")) or kind and not to_simplified(name).endswith(kind):
                continue
            return self.original[start : start + len(name)]
        for speaker in reversed(self.speakers):
            if speaker.org:
                return speaker.org
        return None

    def article_org_end(self, org: str) -> int:
        """Where the organisation the article names ends inside ``org`` as an attribution
        wrote it: 建行 of "建行个人" (the article names 中国建设银行), 中石化 of "中石化新闻"
        (中国石化); ``len(org)`` when ``org`` is itself named or no article name fits."""
        if org not in self._splits:
            self._splits[org] = self._article_org_end(to_simplified(org))
        return self._splits[org]

    def _article_org_end(self, simple: str) -> int:
        if simple in self._org_names or any(name.startswith(simple) for name in self._org_names):
            return len(simple)
        for cut in range(len(simple) - 1, 1, -1):
            head, rest = simple[:cut], simple[cut:]
            if head in _TOO_GENERIC or STRONG_ORG_END.search(rest) or not _starts_unit_or_title(rest):
                continue  # "国网江苏电" + "力": a name is cut only where a department or title starts
            if head in self._org_names or any(_abbreviates(head, name) for name in self._org_names):
                return cut
        return len(simple)

    def _with_article_org(self, mention: Mention) -> Mention:
        if not mention.org or mention.org_speaks:
            return mention
        end = self.article_org_end(mention.org)
        if end >= len(mention.org):
            return mention
        return replace(mention, org=mention.org[:end], role=mention.org[end:] + (mention.role or ""))

    def resolve(self, mention: Mention | None, position: int) -> Speaker:
        """The grammar's one reading of ``mention``."""
        if mention is None or mention.group:
            return NOBODY
        mention = self._with_article_org(mention)
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

    def alternatives(self, mention: Mention | None, position: int) -> list[Who]:
        """Every reading of ``mention`` the text allows, with its features (``s:``) and the
        organisations that may be the speaker's (``orgs``)."""
        if mention is None or mention.group:
            return []
        if mention.pronoun:
            return self._person_alternatives(position, mention.pronoun_text)
        if mention.org_ref and not mention.role and not mention.name:
            return [
                Who(org=org, is_org=True, features={f"s{k}": v for k, v in features.items()})
                for org, features in self.org_alternatives(position, mention.org_ref)
            ]
        if mention.role_ref:
            ordered = sorted(self._nameless_at, key=lambda item: item[0], reverse=True)
            nameless = [s for at, s in ordered if at < position]
            nameless = list(dict.fromkeys(nameless))[:2]
            return [
                Who(None, s.role, orgs=((s.org, "memory"),) if s.org else (), features={f"same_role{k}": 1.0})
                for k, s in enumerate(nameless)
            ]
        if mention.surname:
            people = [p for n, p in reversed(self.people.items()) if n.startswith(mention.surname)][:3]
            return [
                Who(p.name, p.role, orgs=((p.org, "memory"),) if p.org else (), features={f"surname{min(k, 1)}": 1.0})
                for k, p in enumerate(people)
            ]
        if mention.org_speaks:
            return [Who(org=mention.org, is_org=True, features={"named_org": 1.0})]
        mention = self._with_article_org(mention)
        orgs: list[tuple[str, str]] = []
        if mention.org:
            orgs += _title_orgs(mention.org, mention.role)
        if mention.org_ref:
            for org, features in self.org_alternatives(position, mention.org_ref):
                rank = next((k for k in features if k[:3] == "ref" and k[3:].isdigit()), "ref2")
                orgs.append((org, rank))
        if not mention.name:
            return [Who(None, mention.role, orgs=tuple(orgs), features={"nameless": 1.0})]
        known = self.people.get(mention.name)
        candidates = (
            [known]
            if known
            else [p for n, p in reversed(self.people.items()) if len(mention.name) >= 2 and n.endswith(mention.name)][
                :2
            ]
        )
        if not candidates:
            return [Who(mention.name, mention.role, orgs=tuple(orgs), features={"new_name": 1.0})]
        found = []
        for rank, person in enumerate(candidates):
            memory = [(person.org, "memory")] if person.org else []
            features = {"known_name" if person.name == mention.name else f"partial_name{rank}": 1.0}
            found.append(Who(person.name, mention.role or person.role, orgs=tuple(orgs + memory), features=features))
        return found

    def _person_alternatives(self, position: int, pronoun: str) -> list[Who]:
        """The people 他/她 may mean: the recent ones, nearest first."""
        candidates = self.recently_seen(6)
        candidates += [c for c in self._nameless_at[-4:] if c[0] < position]
        candidates.sort(key=lambda item: item[0], reverse=True)
        wanted = "f" if pronoun == "她" else "m"
        found: list[Who] = []
        for _, person in candidates:
            features = {f"recent{min(len(found), 2)}": 1.0}
            if self.last_person is not None and person == self.last_person:
                features["last_person"] = 1.0
            if person.name is None:
                features["alt_nameless"] = 1.0
            gender = self.gender.get(person.name or "")
            if gender:
                features["gender_agrees" if gender == wanted else "gender_clashes"] = 1.0
            if any(s.name == person.name and s.role == person.role for s in self.speakers):
                features["spoke_before"] = 1.0
            memory = ((person.org, "memory"),) if person.org else ()
            found.append(Who(person.name, person.role, orgs=memory, features=features))
            if len(found) >= 4:
                break
        last = self.last_person
        if last is not None and not any(w.name == last.name and w.role == last.role for w in found):
            memory = ((last.org, "memory"),) if last.org else ()
            found.insert(0, Who(last.name, last.role, orgs=memory, features={"last_person": 1.0}))
        return found


_BARE_DEPARTMENT = re.compile(r"(?:集团|公司)?[\u4e00-\u9fff]{1,5}?(?:部|办|处|科|室|中心|办公室|团队|小组)")
# Sub-organisations of their own: a branch, a regional bureau, a research institute or group.
_BRANCH_PREFIX = re.compile(
    r"^([\u4e00-\u9fff]{2,12}?(?:供电局|供电公司|分公司|子公司|分行|支行|分局|研究中心|研究所|研究院|课题组|实验室))"
    r"(?=[\u4e00-\u9fff])"
)
_UNIT_PREFIX = re.compile(r"^(.{2,14}?(?:部|处|科|室|办公室|中心|学院|学系|系|研究所|研究院|课题组|事业部|分院))(?=.)")


_TOO_GENERIC = frozenset({"中国", "国家", "中央", "全国", "国务", "新闻", "集团", "公司"})


def _starts_unit_or_title(rest: str) -> bool:
    return (
        len(rest) >= 2
        and any(rest.startswith(word) for word in (*SUBUNIT_HEADS, *TITLES, "个人", "零售", "对公", "公司", "总部"))
    ) or bool(re.match(r"(?:部|处|办|中心|党委|党组|团委|工会)", rest))


def _abbreviates(short: str, name: str) -> bool:
    """``short`` is a short form of ``name``: its characters in order (中石化 of 中国石化, 建行 of
    中国建设银行, 南航 of 中国南方航空), shorter, and sharing the name's first or last character
    or its first two after 中国."""
    if len(short) >= len(name) or len(short) < 2:
        return False
    at = 0
    for ch in short:
        at = name.find(ch, at)
        if at < 0:
            return False
        at += 1
    core = name.removeprefix("中国")
    return short[0] in (name[0], core[:1]) or short[-1] == _LEGAL_FORM.sub("", name)[-1:]


def _title_orgs(org: str, role: str | None) -> list[tuple[str, str]]:
    """The organisation named in the attribution, with the readings a department gives it:
    the organisation with its department ("清华大学" + "新闻与传播学院", ``title_unit``), and
    the organisation without what its name runs on into ("浙江省市场监督管理局" of
    "浙江省市场监督管理局网络交易监督", ``title_parent``)."""
    simple = to_simplified(org)
    if _BARE_DEPARTMENT.fullmatch(simple) and not any(simple.startswith(k) for k in KNOWN_ORGS):
        return [(org, "title_dept")]  # "新闻办负责人": a department whose organisation the text names elsewhere
    found = [(org, "title")]
    branch = _BRANCH_PREFIX.match(to_simplified(role or ""))
    unit = _UNIT_PREFIX.match(to_simplified(role or ""))
    if branch:  # "曲靖供电局营销部副主任": a branch or an institute of its own, then its department
        found.append((org + (role or "")[: branch.end()], "title_branch"))
    elif unit and org_kind(simple) == "government" and unit.group(1).endswith("中心"):
        # a government body's centre is an institution of its own (国务院国资委新闻中心)
        found.append((org + (role or "")[: unit.end()], "title_branch"))
    elif unit:
        # a school or faculty of a university is kept apart from a department: annotators
        # name it with the university as often as not (清华大学新闻与传播学院)
        school = unit.group(1).endswith(("学院", "学系", "系")) and org_kind(simple) == "academic"
        found.append((org + (role or "")[: unit.end()], "title_school" if school else "title_unit"))
    ends = [m.end() for m in STRONG_ORG_END.finditer(simple) if 2 <= m.end() <= len(simple) - 2]
    if ends:
        found.append((org[: ends[-1]], "title_parent"))
    return found


_SUBJECT_OPENER = re.compile(r"(?:^|[，。！？；\n])(?:据|而|但|同时|此外)$")
_LEGAL_FORM = re.compile(r"(?:集团)?(?:股份有限公司|有限责任公司|有限公司|公司)$|集团$|（集团）|\(集团\)")


def _read_aliases(simple: str) -> dict[str, str]:
    """ "中国石油化工集团有限公司（以下简称“中国石化”）": the short name is the same organisation."""
    aliases = {}
    for match in re.finditer(
        r"([\u4e00-\u9fffA-Za-z（）()]{2,30})[（(](?:以下)?简称[“「\"]?([\u4e00-\u9fffA-Za-z]{2,12})[”」\"]?[）)]",
        simple,
    ):
        full, depth = match.group(1), 0
        for at, ch in enumerate(match.group(1)):
            depth += 1 if ch in "（(" else -1 if ch in "）)" else 0
            if depth < 0:  # "（记者 郑海鸥）比亚迪股份有限公司": the name starts after the byline
                full, depth = match.group(1)[at + 1 :], 0
        full = full[_after_last_break(full) :]
        full = re.sub(r"^(?:还有|以及|其中|包括|和|与|及|并|据|由)", "", full)
        if len(full) >= 2:
            aliases[match.group(2)] = full
    return aliases


_MEDIA_END = ("报", "报社", "电视台", "新闻", "新闻网", "日报", "晚报", "通讯社", "广播电视总台")
_PLATFORMS = frozenset("微博 微信 抖音 快手 小红书 哔哩哔哩 B站 今日头条 视频号 知乎 淘宝 天猫 百度 西瓜视频".split())


_GOVERNMENT_END = ("部", "局", "厅", "委", "署", "办", "政府", "国资委", "总局", "法院", "检察院", "委员会", "办公室")


def org_kind(name: str) -> str:
    """company, government, academic, media, platform or other."""
    if name in _PLATFORMS:
        return "platform"
    if name in PLATFORM_NAMES or name.endswith(_MEDIA_END) or name in {"新华社", "央视", "人民网", "新华网", "财新"}:
        return "media"
    if name.endswith(("大学", "学院", "研究院", "研究所", "学会", "学系", "课题组", "实验室")):
        return "academic"
    if name.endswith(
        ("部", "局", "厅", "委", "署", "办", "政府", "国资委", "总局", "法院", "检察院", "委员会", "办公室")
    ):
        return "government"
    if name.endswith(("公司", "集团", "银行", "股份")) or name in KNOWN_ORGS:
        return "company"
    return "other"


_STAFF = (
    "发言人 董事长 董事 总经理 经理 总裁 首席执行官 首席运营官 首席财务官 首席技术官 首席营销官 首席品牌官 "
    "书记 主任 处长 局长 部长 司长 厅长 行长 总监 主管 主播 创始人 员工 工作人员 客服人员 干事 负责人 店长 "
    "工程师 班员 线路工 操作员 讲解员 秘书长 会长 理事长 总编辑 主编 编辑 记者 社长 台长 站长 队长 组长 科长 "
    "副总 代言人 新闻官 运营 干部 职工 工人 设计师"
).split()
_EXPERT = "教授 讲师 研究员 分析师 专家 学者 经济学家 律师 博士 首席经济学家 首席分析师 首席科学家 研究生".split()
_PUBLIC = (
    "网友 市民 居民 村民 游客 乘客 学生 家长 车主 店主 老板 农户 果农 观众 毕业生 大学生 求职者 实习生 受访者 网民 "
    "志愿者 农民 牧民 渔民 消费者 用户 顾客 司机 骑手 外卖员 快递员 博主 网红 投资人 创业者"
).split()


def role_class(role: str | None) -> str:
    """ "staff", "expert", "public" or "none": the kind of a Chinese title."""
    if not role:
        return "none"
    role = to_simplified(role)
    for kind, words in (("expert", _EXPERT), ("public", _PUBLIC), ("staff", _STAFF)):
        if any(role.endswith(word) for word in words):
            return kind
    return "other"


_UNIT = re.compile(r"(?:部|处|科|室|办公室|中心|学院|系|所|组|课题组|团队|事业部|分院|站)")


def unit_without_org(role: str | None, orgs: tuple[tuple[str, str], ...]) -> bool:
    """The title names a department ("新闻中心主任", "新闻办负责人") but the text gives no
    organisation with it."""
    if any(source == "title_dept" for _, source in orgs):
        return True
    return bool(role and _UNIT.search(to_simplified(role))) and not any(source == "title" for _, source in orgs)


def narrative_people(simple: str, original: str) -> list[tuple[int, Speaker | Mention]]:
    """People the text introduces as TITLE + NAME ("董事长王建国"), with their title and the
    organisation before it, in text order. One pass over the titles: linear."""
    found = []
    pattern = re.compile("|".join(re.escape(t) for t in TITLES))
    for match in re.finditer(
        r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,3})(?:是|为|系|任)([\u4e00-\u9fffA-Za-z（）()]{2,30}?)(?:的)?([\u4e00-\u9fff]{2,8})[。，；]",
        simple,
    ):  # "王芳是该公司品牌部的副主任。", "陆文杰是清华大学新闻与传播学院教授。"
        name = match.group(1)
        if not is_name(name):
            continue
        start, end = match.start(2), match.end(3)
        segment_s, segment_o = simple[start:end], original[start:end]
        cut = re.search(r"的(?:一名|一位|一个)?|一名|一位", segment_s)  # "中国石化的一名员工"
        if cut:
            segment_s = segment_s[: cut.start()] + segment_s[cut.end() :]
            segment_o = segment_o[: cut.start()] + segment_o[cut.end() :]
        text = Text(segment_s, segment_o)
        mention = parse_subject(text)
        if mention is not None and mention.role and not mention.name and (mention.org or mention.org_ref):
            person = original[match.start(1) : match.end(1)]
            found.append(
                (match.start(), Mention(name=person, role=mention.role, org=mention.org, org_ref=mention.org_ref))
            )
    for match in re.finditer(
        r"(?:^|(?<=[。；\n]))([\u4e00-\u9fff]{2,3})[，,]([^，。；\n“”「」]{3,30}?)[。；]", simple, re.M
    ):
        # "张强，国家电网宣传部主任。"
        name = match.group(1)
        if not is_name(name):
            continue
        mention = parse_subject(Text(match.group(2), original[match.start(2) : match.end(2)]))
        if mention is not None and mention.role and not mention.name and (mention.org or mention.org_ref):
            person = original[match.start(1) : match.end(1)]
            found.append(
                (match.start(), Mention(name=person, role=mention.role, org=mention.org, org_ref=mention.org_ref))
            )
    for match in re.finditer(
        r"(?:^|(?<=[，,。！？；：:\n]))([^，,。！？；：:\n“”「」]{3,30}?(?:部|中心|办公室|处|室|团队|分公司|事业部|工作室))的"
        r"([\u4e00-\u9fff]{2,3})(?=负责|主管|牵头|分管|带领|介绍|表示|说|称|[，,。])",
        simple,
        re.M,
    ):
        # "该集团品牌传播部的李红负责运营账号": a member of the organisation's department
        name = match.group(2)
        if not is_name(name) or name_length_at(simple, match.start(2)) not in (0, len(name)):
            continue
        unit = Text(match.group(1), original[match.start(1) : match.end(1)])
        reference = next((r for r in ORG_REFERENCES if unit.s.startswith(r) and r.startswith(("该", "这家"))), None)
        if reference:
            org, ref = None, reference
        else:
            org_text, rest = split_subunit(clean_org(unit))
            if not rest or not looks_like_org(org_text.s) and not any(org_text.s.startswith(o) for o in KNOWN_ORGS):
                continue
            org, ref = org_text.o, None
        person = original[match.start(2) : match.end(2)]
        found.append((match.start(2), Mention(name=person, org=org, org_ref=ref)))
    for match in _NAMELESS_SPEAKS.finditer(simple):
        # "国务院国资委新闻中心有关负责人在发布会上透露，……": a role-holder without a name
        mention = parse_subject(Text(match.group(1), original[match.start(1) : match.end(1)]))
        if mention is not None and not mention.name and mention.role and (mention.org or mention.org_ref):
            found.append((match.start(), mention))
    for match in _WORKS_AT.finditer(simple):
        # "在中国铁建某工程局工作的刘鹏飞": a person introduced by where they work
        org = clean_org(Text(match.group(1), original[match.start(1) : match.end(1)]))
        org = org.cut(0, org.s.find("某")) if "某" in org.s[2:] else org
        name = match.group(2)
        if is_name(name) and (looks_like_org(org.s) or any(k in org.s for k in KNOWN_ORGS)):
            found.append((match.start(2), Speaker(original[match.start(2) : match.end(2)], None, org.o)))
    for match in _AT_ORG.finditer(simple):
        # "在国网苏州供电公司，90后运维工程师沈佳怡…", "在国家能源集团位于宁夏的一座风电场，运维工程师马俊杰…"
        org = clean_org(Text(match.group(1), original[match.start(1) : match.end(1)]))
        if not (looks_like_org(org.s) or any(org.s.startswith(k) or org.s.endswith(k) for k in KNOWN_ORGS)):
            continue
        person = parse_subject(Text(match.group(2), original[match.start(2) : match.end(2)]))
        if person is not None and person.name and not person.org and not person.org_ref:
            found.append((match.start(), Speaker(person.name, person.role, org.o)))
    for match in pattern.finditer(simple):
        end = match.end()
        latin = LATIN_NAME.match(simple, end + 1) if simple[end : end + 1] == " " else LATIN_NAME.match(simple, end)
        length = (latin.end() - end) if latin else (name_length_at(simple, end) if end < len(simple) else 0)
        if not length:
            continue
        start = max(
            (simple.rfind(ch, max(0, match.start() - 40), match.start()) for ch in CLAUSE_DELIMITERS + "“”「」—…、"),
            default=-1,
        )
        mention = parse_subject(Text(simple[start + 1 : end + length], original[start + 1 : end + length]))
        if mention and mention.name:
            found.append(
                (match.start(), mention if mention.org_ref else Speaker(mention.name, mention.role, mention.org))
            )
    return sorted(found, key=lambda item: item[0])


_NAMELESS_SPEAKS = re.compile(
    r"(?:^|(?<=[。；！？\n]))([^，。；！？\n“”「」]{2,30}?(?:负责人|发言人))(?:在[^，。]{0,20})?"
    r"(?:表示|透露|介绍|指出|称|说|强调|回应)"
)
_WORKS_AT = re.compile(
    r"在([\u4e00-\u9fffA-Za-z（）()]{2,24}?)(?:工作|任职|上班|供职)的([\u4e00-\u9fff]{2,3})(?=[，,。是已从把])"
)
# "在ORG(位于…的…)，TITLE NAME": a person introduced at the place of an organisation.
_AT_ORG = re.compile(
    r"(?:^|(?<=[。；！？\n]))在([\u4e00-\u9fffA-Za-z（）()]{2,24}?)(?:(?:位于|旗下|下属)[^，。]{0,16})?(?:的[^，。]{0,12})?[，,]"
    r"([\u4e00-\u9fff0-9]{2,16}?)(?=[，,。是已正在从曾把将的])",
    re.M,
)


# Compiled once: narrative_orgs runs for every Chinese article.
_KNOWN_ORG = re.compile("|".join(re.escape(o) for o in KNOWN_ORGS))
_SUFFIXED_ORG = re.compile(
    r"(?:(?<=[，,。！？；;：:、“”「」（）()\s—…])|(?<=[是的在])|^)[\u4e00-\u9fff]{2,14}?(?:[（(]集团[）)])?"
    r"(?:股份有限公司|有限公司|集团|公司|银行)(?:股份有限公司|有限公司)?",
    re.M,
)
_INSTITUTE = re.compile(
    r"(?:(?<=[，,。！？；;：:、“”「」（）()\s—…])|(?<=[是的在由])|^)[\u4e00-\u9fff]{2,16}?"
    r"(?:研究中心|研究院|研究所|协会|学会|大学)(?![\u4e00-\u9fff]{0,8}(?:学院|研究|中心|系))",
    re.M,
)


def narrative_orgs(simple: str, original: str) -> list[tuple[int, str]]:
    """Organisations named in the text (known names and names ending in 公司, 集团, 银行 ...).
    A known name followed by the rest of a registered name is the registered name
    (国网 + 浙江省电力有限公司)."""
    found = []
    for match in _KNOWN_ORG.finditer(simple):
        full = _REGISTERED_TAIL.match(simple, match.end())
        found.append((match.start(), match.group() + (full.group() if full else "")))
    for match in _SUFFIXED_ORG.finditer(simple):
        found.append((match.start(), match.group()))
    for match in _INSTITUTE.finditer(simple):
        found.append((match.start(), match.group()))
    for short in _read_aliases(simple):  # "（以下简称“国网浙江电力”）": the short name wherever it stands
        for match in re.finditer(re.escape(short), simple):
            found.append((match.start(), short))
    acting = re.compile(
        r"(?:^|(?<=[，。；\n]))([\u4e00-\u9fffA-Za-z]{2,8}?)(?:近日|日前|今年|去年|昨日|今天|正式|已经|已)?"
        r"(?:通过|发布|宣布|推出|发表|致歉|道歉|回应称|连夜|开通|入驻|上线|开设)",
        re.M,
    )
    for match in acting.finditer(simple):
        name = match.group(1)
        if not is_name(name) and not re.search(r"[日月年晚早时后前该他她这其]", name):
            found.append((match.start(1), name))
    longest: dict[int, str] = {}
    for start, name in found:  # "中国移动通信集团有限公司" rather than the "中国移动" inside it
        opener = _NOT_A_NAME_START.match(name)
        if opener:  # "据中远海运集团", "这是该集团": words before the name
            start, name = start + opener.end(), name[opener.end() :]
        cut = _after_last_break(name)
        if cut:  # "黄振宇是中国南方电网有限公司", "春节期间公司": a clause before the name
            start, name = start + cut, name[cut:]
        if len(name) < 2 or _NOT_AN_ORG.match(name) or name in _BARE_ORG_NOUNS:
            continue
        if len(name) > len(longest.get(start, "")):
            longest[start] = name
    kept: list[tuple[int, str]] = []
    for start, name in sorted(longest.items()):
        if kept and start + len(name) <= kept[-1][0] + len(kept[-1][1]):
            continue  # 国航 inside 中国航空工业集团: part of a longer name, not a name of its own
        kept.append((start, name))
    return kept


_REGISTERED_TAIL = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:集团有限公司|股份有限公司|有限责任公司|有限公司)")
_NOT_A_NAME_START = re.compile(
    r"(?:据|由|从|向|对|与|和|及|而|但|是|这是|即|为|在|让|给|把|被|将)(?=[\u4e00-\u9fff]{2})"
)
# What a registered name may add to a short name besides its legal form (中国航天 + 科技).
_TRADE_WORDS = re.compile(
    r"(?:科技|通信|控股|实业|投资|发展|国际|工业|能源|电力|石油|化工|建设|建筑|航空|航运|海运|物流|传媒|信息|网络|技术|"
    r"电子|电气|汽车|钢铁|矿业|交通|铁路|银行|保险|金融|证券|商业|贸易|食品|医药|股份|总)+"
)
_BREAK_INSIDE = re.compile(r"(?:这就是|就是|也是|是|的|在|由|期间|关于|对于|出现|之后|以来)")


def _after_last_break(name: str) -> int:
    """Where a name starts after the last clause word inside it (是, 的, 在, 期间 ...), or 0."""
    ends = [m.end() for m in _BREAK_INSIDE.finditer(name[:-2])]
    return ends[-1] if ends else 0


# 该中心, 该院 ...: the kind of organisation a reference means (its name's ending).
_REFERENCE_KINDS = {
    "中心": ("中心",),
    "院": ("院",),
    "所": ("所",),
    "局": ("局",),
    "委": ("委",),
    "校": ("大学", "学院", "学校"),
    "协会": ("协会",),
}
_BARE_ORG_NOUNS = frozenset({"公司", "集团", "银行", "企业", "集团公司"})
_NOT_AN_ORG = re.compile(r"(?:该|这家|这|那|一家|一份|一个|一|本|各|多家|相关|有限|股份|集团|其|此|某|我|旗下|下属)")


# Platforms and media: where things are said, never what 该公司 means.
PLATFORM_NAMES = frozenset(
    "微博 微信 抖音 快手 小红书 哔哩哔哩 B站 今日头条 视频号 知乎 淘宝 天猫 新华社 人民日报 人民网 新华网 央视 "
    "澎湃新闻 界面新闻 财新 第一财经 环球时报 中国日报 中新网 中央社 国资小新".split()
)
