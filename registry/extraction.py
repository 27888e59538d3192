"""Rule-based extraction of statements (direct quotes and paraphrases) from English news.

The extractor is deterministic, pure Python and independent of the database, so it can
run on pasted article text anywhere (management command, admin action, tests).

Pipeline
--------
1. ``clean_text`` normalises whitespace and drops page clutter ("Share", "Related
   stories", photo captions, lone bylines, social share rows ...). Every remaining line
   is one paragraph; paragraphs are separated by a blank line in the cleaned text and all
   offsets (``Candidate.start``/``end``) point into that cleaned text.
2. Quote marks are paired paragraph by paragraph (``_scan_quotes``):

   * straight (``"``) and curly (``“ ”``) marks are accepted, also mixed: a straight
     ``"`` closes a curly ``“``, and a ``“`` written where the closing mark belongs
     (directly after a word, followed by a space or punctuation) closes too;
   * a paragraph that ends inside a quote continues into the next paragraph when that
     paragraph opens with a quote mark (news convention for multi-paragraph quotes);
     otherwise the quote is closed at the paragraph end (missing closing mark);
   * a multi-paragraph quote is returned as one quote whose paragraphs are joined with a
     single space.

3. Fragments are dropped: quotes of one or two words, Title-Cased names of things
   (the "Belt and Road" initiative, the app "Xuexi Qiangguo") and quotes embedded in the
   middle of a clause after a non-speech word (scare quotes, "described it as “...”").
   A quote without attribution is kept only when it stands as a sentence of its own.
4. **Split quotes are joined**: “First part,” said NAME, “second part.” is ONE quote,
   "First part, second part.", when the first part ends with a comma and the text between
   the parts is an attribution that also ends with a comma.
5. Attribution, in this order: the clause right after the quote (“...,” said NAME, TITLE
   of ORG / “...,” NAME, TITLE at ORG, said / “...,” Li said / “...,” the ministry said);
   the clause right before it (NAME, TITLE, said: “...” / ORG's TITLE NAME said “...” /
   According to NAME, “...” / ..., adding: “...” / a paragraph ending in "NAME said:"
   introduces the quote opening the next paragraph); otherwise a quote inherits the
   speaker of the previous quote in the same paragraph (“A,” said X. “B.”). Anything else
   stays unattributed: a speaker is never guessed from proximity alone, so a quote
   standing in a paragraph of its own without attribution has ``speaker=None``.
6. Speakers are resolved against the discourse so far (``_Discourse``):

   * a surname (``Li`` for ``Li Zhengmao``: family name first for common Chinese
     surnames, last name otherwise; hyphenated names are one token; "Mr", "Ms" ... are
     dropped) or a repeated full name resolves to the most recent matching person and
     inherits their role and org;
   * he/she resolve to the most recent person who was attributed speech or introduced
     by full name as a phrase of its own ("Jin Xuehua, communication director of X,
     was ..."): gender is not knowable from the text, recency is;
   * "they" resolves to the most recently attributed speaker only when that speaker is an
     organisation; "it" to the most recent organisation speaker;
   * "the company", "the ministry", "the bank" ... resolve to the most recently named
     organisation of that kind in the narrative (quoted text is not searched; platforms
     named as channels, "on Douyin", are skipped); "the spokesperson" to the most recent
     speaker with that role;
   * an organisation speaking as itself ("Nike said in a statement") gives
     ``speaker == org`` and ``speaker_is_org``; a nameless speaker ("a Sinopec
     spokesperson", "one user") keeps role and org with ``speaker=None``;
   * roles are kept as written, minus a leading article, a relative clause and a trailing
     location; the organisation is the last organisation named in the title ("counselor
     of the Information Department at the Ministry of Foreign Affairs"), and a sub-unit
     stays in the role ("professor at the School of Journalism and Communication" of
     "Beijing Normal University").

7. Paraphrases are sentences "SUBJECT [, TITLE,] said [that] CLAUSE" (also says, added,
   noted, stressed ... and "told X that") or "CLAUSE, SUBJECT said." whose subject is a
   person, an organisation or a titled role; a group ("Analysts said") is not. The
   paraphrase text is the reported clause without the final full stop. Paraphrases are
   returned with ``kind="paraphrase"`` and are never merged with quotes.

A direct quote's text is exactly what stands between its marks (trailing comma included),
whitespace-normalised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

__all__ = ["Candidate", "clean_text", "detect_platforms", "extract"]


@dataclass(frozen=True)
class Candidate:
    """One statement found in an article."""

    quote: str
    speaker: str | None
    role: str | None
    org: str | None
    kind: str  # "quote" or "paraphrase"
    speaker_is_org: bool
    start: int
    end: int
    platforms: tuple[str, ...]


# --------------------------------------------------------------------------- platforms

_PLATFORM_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (slug, re.compile(pattern, flags))
    for slug, pattern, flags in (
        ("wechat-channels", r"\bwechat[\s-]+channels?\b|视频号", re.I),
        ("wechat", r"\b(?:wechat|weixin)\b(?![\s-]+channels?\b)|微信(?!视频号)", re.I),
        ("weibo", r"\b(?:sina\s+)?weibo\b|\bmicroblog(?:s|ging)?\b|微博", re.I),
        ("douyin", r"\bdouyin\b|抖音", re.I),
        ("tiktok", r"\btiktok\b", re.I),
        ("kuaishou", r"\bkuaishou\b|快手", re.I),
        ("bilibili", r"\bbilibili\b|哔哩哔哩", re.I),
        ("toutiao", r"\btoutiao\b|今日头条", re.I),
        ("xiaohongshu", r"\bxiaohongshu\b|\blittle\s+red\s+book\b|小红书", re.I),
        # "RED" only in capitals: the colour is far more common than the app.
        ("xiaohongshu", r"(?<![\w-])RED(?![\w-])", 0),
        ("livestreaming", r"\blive[\s-]?stream(?:s|ing|ed|ers?)?\b|\blive\s+broadcast(?:s|ing)?\b|直播", re.I),
        ("short-video", r"\bshort[\s-](?:form\s+)?videos?\b|短视频", re.I),
        ("facebook", r"\bfacebook\b", re.I),
        ("twitter", r"\btwitter\b", re.I),
        # A bare capital X counts only where it plainly names the platform.
        ("twitter", r"(?<![\w-])X(?=\s*[(,]\s*(?:formerly|previously)\b)|\b(?:on|via)\s+X(?![\w-])", 0),
        ("youtube", r"\byoutube\b", re.I),
        ("linkedin", r"\blinkedin\b", re.I),
        ("instagram", r"\binstagram\b", re.I),
    )
)


def detect_platforms(text: str) -> tuple[str, ...]:
    """Return the platform slugs mentioned in ``text``, in order of first mention.

    Matching is case-insensitive and word-boundary aware ("RED" for Xiaohongshu and a bare
    "X" for Twitter are the two case-sensitive exceptions). "WeChat Channels" is the
    ``wechat-channels`` slug only; "TikTok" is ``tiktok``, not ``douyin``.
    """
    first_seen: dict[str, int] = {}
    for slug, pattern in _PLATFORM_PATTERNS:
        match = pattern.search(text)
        if match and (slug not in first_seen or match.start() < first_seen[slug]):
            first_seen[slug] = match.start()
    return tuple(sorted(first_seen, key=first_seen.__getitem__))


# --------------------------------------------------------------------------- cleaning

_TERMINAL = (".", "!", "?", "…")

_SOCIAL_WORDS = frozenset(
    "share facebook twitter x linkedin weibo wechat whatsapp email e-mail mail print copy link reddit "
    "telegram line more qzone qq douban pinterest tumblr messenger sms flipboard".split()
)

_CLUTTER_LINES = tuple(
    re.compile(pattern, re.I)
    for pattern in (
        r"share(?:\s+(?:this|on|via)\b.*)?:?",
        r"(?:related|recommended|more|top|latest|trending|popular)"
        r"(?:\s+(?:stories|articles|news|reading|links|content|coverage|videos?))?\s*:?",
        r"most\s+(?:read|viewed|popular|shared)",
        r"you\s+(?:may|might)\s+(?:also\s+)?like\s*:?",
        r"advertisement|advertising|sponsored(?:\s+content)?|ads?",
        r"(?:read\s+(?:more|also|next)|see\s+also|also\s+read|click\s+here)\b.*",
        r"(?:file\s+)?(?:photo|photos|picture|image|video|graphic)(?:\s+by)?\s*[:/|].*",
        r".*[\[(]\s*(?:photo|photos|video|image|file\s+photo|provided\s+to)\b[^\])]*[\])]",
        r"(?:updated|published|posted|source|editor|edited\s+by|writer|reporter|author|translated\s+by)\s*[:|].{0,100}",
        r"(?:copyright|©).*|all\s+rights\s+reserved\.?",
        r"print|e-?mail|comments?|follow\s+us\b.*|subscribe\b.*|sign\s+up\b.*|log\s?in|back\s+to\s+top",
        r"next|previous|next\s+page|listen|font\s+size\b.*|tags?\s*:.*|keywords?\s*:.*",
        r"home\s*[>›»].*",
        r"https?://\S+",
        r"skip\s+to\s+(?:main\s+)?content",
        r".{0,60}\|\s*(?:updated|published)\s*:.*",
        r"\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?",
        r"[\W\d_]*",
    )
)

# "By Zhang Yi | China Daily | Updated: 2024-05-10" -- a lone byline, never a sentence.
_BYLINE = re.compile(r"[Bb]y\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}(?:\s*(?:[|,]|\bin\b).*)?")


def _is_social_row(line: str) -> bool:
    words = [w for w in re.split(r"[\s|•·/,:;]+", line.lower()) if w]
    return bool(words) and all(w in _SOCIAL_WORDS for w in words)


# Headings whose following lines are a list of links, not prose.
_LINK_LIST_HEADING = re.compile(
    r"(?:related|recommended|more|top|latest|trending|popular)(?:\s+\w+)?\s*:?|(?:you\s+(?:may|might)\s+(?:also\s+)?like|most\s+\w+)\s*:?",
    re.I,
)


def _is_clutter(line: str) -> bool:
    """True for a whole line of page furniture rather than article prose."""
    if any(pattern.fullmatch(line) for pattern in _CLUTTER_LINES) or _is_social_row(line):
        return True
    return bool(_BYLINE.fullmatch(line)) and len(line.split()) <= 14 and not line.endswith((".", "”", '"'))


def _normalise_line(line: str) -> str:
    line = line.replace("\u00a0", " ").replace("\u3000", " ").replace("\t", " ")
    line = re.sub(r"[\u200b\u200c\u200d\ufeff]", "", line)
    return " ".join(line.split())


def clean_text(raw: str) -> str:
    """Normalise ``raw`` article text and drop page clutter.

    Every non-empty line is a paragraph, except that a line starting with a lower-case
    letter continues the previous line when that one does not end a sentence (hard-wrapped
    paste). Paragraphs are separated by one blank line; whitespace inside a paragraph is
    collapsed to single spaces. Quote marks are left untouched.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs: list[str] = []
    continues = in_link_list = False
    for raw_line in text.split("\n"):
        line = _normalise_line(raw_line)
        if not line:
            continues = in_link_list = False
            continue
        # Under "Related stories", headline-like lines (no final punctuation) are links.
        in_link_list = in_link_list and not line.endswith((*_TERMINAL, ":", "”", '"'))
        if in_link_list or _is_clutter(line):
            in_link_list = in_link_list or bool(_LINK_LIST_HEADING.fullmatch(line))
            continue
        if continues and paragraphs and line[0].islower():
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        continues = not paragraphs[-1].endswith((*_TERMINAL, ":", "”", '"'))
    return "\n\n".join(paragraphs)


# --------------------------------------------------------------------------- vocabulary

_SPEECH_VERBS = (
    "said|says|added|adds|told|tells|noted|notes|explained|explains|stressed|stresses|emphasised|emphasized|"
    "continued|wrote|writes|posted|recalled|admitted|remarked|insisted|argued|warned|asked|replied|responded|"
    "acknowledged|concluded|observed|suggested|joked|declared|announced|commented|according to"
)
_VERB = rf"\b(?:{_SPEECH_VERBS})\b"
_VERB_RE = re.compile(_VERB)
_POST_VERB_FIRST = re.compile(rf"^({_VERB})\s+(?P<subject>.+)$", re.S)
_POST_SUBJECT_FIRST = re.compile(rf"^(?P<subject>.{{1,160}}?)\s+(?:also\s+)?({_VERB})(?P<tail>.*)$", re.S)
# What may stand between a speech verb and the quote it introduces.
_INTRO_TAIL = re.compile(
    r"\s*(?:(?:in|on|at|during|via|through|to|when|while|after|before|last|this|earlier|late)\b[^:“”\"]{0,80}?)?"
    r"\s*(?:that)?\s*[:,]?\s*",
)
# "..., adding: “...”" -- the speaker is the subject of the clause before the participle.
_PARTICIPLE_INTRO = re.compile(r",?\s+(?:adding|noting|saying|explaining|stressing)\b(?:\s+that)?\s*[:,]?\s*$")
_TOLD_TAIL = re.compile(r"\s+[^:,“”\"]{1,40}?\s*(?:that)?\s*[:,]?\s*")
_INTRO_VERBS = frozenset({"told", "tells", "asked"})

# Reported speech: these verbs take a bare clause ("said the company would ...").
_PARAPHRASE_VERB = re.compile(
    r"\b(said|says|added|noted|stressed|explained|argued|warned|insisted|emphasised|emphasized|acknowledged"
    r"|told|announced|confirmed|wrote)\b"
)
_INVERTED = re.compile(
    r"(?P<clause>.+?),\s+(?P<subject>[^,\x00]{1,60}?)\s+(?:said|says|added)(?P<tail>.*?)[.!]?\s*", re.S
)
_PARTICIPLE_TAIL = re.compile(r",\s+(?:adding|noting|saying|explaining|stressing)\b.*$", re.S)
_PARAPHRASE_NEEDS_THAT = frozenset({"announced", "confirmed", "wrote"})
# "said at a forum in Shenzhen on Wednesday that ..." -- anything short before "that".
_PARAPHRASE_MODIFIER = re.compile(
    r"\s+(?:(?:in|on|at|during|via|through|last|this|earlier|late)\b[^,.“”\"]{0,80}?)\s+that\s+"
)
# "said on Thursday it ...", "said in a statement the ..." -- when and where, not what.
_SPEECH_CIRCUMSTANCE = re.compile(
    r"\s+(?:(?:(?:on|last|this|earlier|late)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month)"
    r"|yesterday|today|in\s+(?:a|an|the|its|his|her|their)\s+(?:statement|interview|post|notice|letter|speech|video)"
    r"(?:\s+on\s+\w+day)?)(?=[\s,.]|$)",
    re.I,
)

_PRONOUNS = frozenset({"he", "she", "they", "it"})
_HONORIFICS = frozenset({"Mr", "Mr.", "Ms", "Ms.", "Mrs", "Mrs.", "Dr", "Dr.", "Prof", "Prof.", "Madam", "Miss"})
_TITLE_WORDS = frozenset(
    "Chairman Chairwoman Chair CEO CFO CTO COO President Vice-President Vice-president Director Professor "
    "Minister Vice-Minister Spokesperson Spokesman Spokeswoman Founder Co-founder Secretary Ambassador Premier "
    "Vice-Premier Governor Mayor Deputy Chief Executive Manager Counselor Counsellor Editor".split()
)
_ROLE_NOUNS = frozenset(
    "spokesperson spokesman spokeswoman manager director president vice-president chairman chairwoman chair ceo "
    "cfo cto coo executive officer head chief founder co-founder professor researcher analyst counselor "
    "counsellor minister secretary deputy official engineer editor partner economist scientist lecturer dean "
    "governor mayor ambassador representative leader member employee worker staff anchor host blogger "
    "influencer user owner consultant adviser advisor fellow expert lawyer teacher student designer developer "
    "producer supervisor coordinator strategist commentator livestreamer streamer marketer planner insider "
    "source operator merchant vendor farmer seller buyer customer consumer viewer follower administrator "
    "commissioner inspector principal scholar lineman linemen captain pilot teller host technician "
    "veterinarian chemist".split()
)
# Common nouns that mark the name after them as an organisation ("video-sharing app Kuaishou").
_ORG_CUE_NOUNS = frozenset(
    "app company firm giant platform maker group operator provider brand retailer bank startup start-up "
    "service network site website carrier producer manufacturer developer broadcaster agency conglomerate "
    "enterprise automaker carmaker insurer lender chain marketplace unicorn brokerage consultancy".split()
)
_ORG_KEYWORDS = frozenset(
    "Co Co. Corp Corp. Corporation Ltd Ltd. Limited Inc Inc. Group Holdings Company Ministry Commission "
    "Administration Bureau Department Office Agency Council Committee Government University College Institute "
    "Academy School Bank Association Federation Society Foundation Fund Exchange Court Procuratorate Center "
    "Centre Network Networks Media Telecom Mobile Unicom Airlines Airways Railway Railways Post Daily News "
    "Times Press Television TV Radio Technology Technologies Tech Electric Energy Petroleum Petrochemical "
    "Motors Motor Automobile Insurance Securities Capital Partners Studio Studios Labs Laboratory "
    "Entertainment Games Pharmaceutical Pharmaceuticals Foods Brands Stores Hospital Grid Steel Chemical "
    "Chemicals Construction Engineering Industries Industry Investment Development Organization Organisation "
    "Union Alliance Consortium Xinhua Power Shipping Logistics Airport".split()
)
_COMPANY_KEYWORDS = frozenset("Co Co. Corp Corp. Corporation Ltd Ltd. Limited Inc Inc. Group Holdings Company".split())
_NON_COMPANY_KEYWORDS = frozenset(
    "Ministry Commission Administration Bureau Department Council Committee Government University College "
    "School Academy Court Procuratorate Office Agency Association Federation Society Foundation Daily News "
    "Times Press Xinhua".split()
)
_KNOWN_ORGS = frozenset(
    "Sinopec PetroChina CNPC CNOOC Sinochem Cosco COSCO Kuaishou Tencent Alibaba ByteDance Huawei Xiaomi Baidu "
    "Meituan Pinduoduo NetEase Lenovo Haier Midea Geely BYD NIO Xpeng DJI ZTE SenseTime iFlytek Ctrip "
    "Trip.com Didi JD JD.com Taobao Tmall Alipay Douyin Weibo Bilibili Xiaohongshu Zhihu Toutiao WeChat "
    "TikTok Nike Adidas Anta Apple Starbucks Tesla Unilever Nestle Walmart Uniqlo Luckin Mixue ICBC CCB "
    "SASAC RED Volkswagen Microsoft Google Amazon Samsung Meta Xinhua Sina Sohu iQiyi Youku Kingsoft".split()
)
_PLATFORM_ORGS = frozenset(
    "RED Kuaishou Douyin Weibo Bilibili Xiaohongshu Zhihu Toutiao WeChat TikTok Taobao Tmall Alipay iQiyi Youku "
    "Pinduoduo Meituan JD.com".split()
)
_NOT_ACRONYM_ORGS = frozenset(
    "CEO CFO CTO COO GDP AI US UK EU COVID COVID-19 APP PR IT VR AR TV CPC PLA RMB IPO ESG SOE SOEs B2B B2C "
    "OK I".split()
)
# Capitalised words that open a sentence rather than a name: trimmed from the front of a run.
_SPAN_OPENERS = frozenset(
    "The A An In On At By For From With As And But Or So If When While After Before Since Now Then This That "
    "These Those It Its He She They We I His Her Their Our My Your You Some Many Most More All Every Each Last "
    "Next Early Earlier Later According However Meanwhile Also Still Yet Among Under Over During Despite "
    "Although Though Asked Speaking Both Such Several Other Another One Two Three Major Separately Instead".split()
)
# Words that are never a speaker's name on their own: nationalities, days, months.
_NOT_NAMES = frozenset(
    "Chinese American British European Japanese Korean French German Western Internet Monday Tuesday Wednesday "
    "Thursday Friday Saturday Sunday January February March April May June July August September October "
    "November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
# Places that appear inside organisation names ("Nike China", "Shanghai consultancy X").
_PLACES = frozenset(
    "China|Greater China|Beijing|Shanghai|Guangzhou|Shenzhen|Hangzhou|Wuhan|Chengdu|Sichuan|Tibet|Xinjiang|"
    "Hong Kong|Macao|Taiwan|Asia|Asia-Pacific|Europe|Africa|America|US|UK".split("|")
)
_CHINESE_SURNAMES = frozenset(
    "Li Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao Zheng Liang Xie Song "
    "Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye Cheng Wei Su Lyu Lu Lü Lv "
    "Ding Ren Shen Yao Cui Zhong Tan Fan Wan Shi Jin Qian Fu Kong Bai Mao Qin Gu Hou Shao Meng Long Duan Lei "
    "Qiu Jia Xiong Hao Mo Kang Yan Niu Xue Yin Ou Ouyang Sima Zhuge Lee Chan Wong Cheung Leung Ho Lam Ng Tse "
    "Yip Tsang Chow Lau Kwok Chang Hsu Tsai Lo Kuo Yeh Chiang Chu Tao Qi Zou Shan Xia Wen Bao Hua Ji Bi "
    "Gong Fang Kou Yue Ruan Hong Nie".split()
)
# Adverbial openers that precede the subject of a sentence ("In a statement, the ministry said").
_INTRO_OPENERS = frozenset(
    "in on at during after before since when while as now meanwhile however separately earlier later last "
    "this also still yet speaking asked according by for from under over with despite although though".split()
)
# What ends the head of a subject ("Nike in a statement", "Zhang Wei at a forum").
_HEAD_CUT = re.compile(
    r"\s+(?:in\s+(?:a|an|the|its|his|her|their)\b|on\s+(?:\w+day|its|his|her|their|the|a)\b|during\b|via\b"
    r"|through\b|when\b|while\b|after\b|before\b|at\s+(?:a|an)\b|told\b|to\s+(?:reporters|journalists|media)\b"
    r"|last\b|this\s+week\b|earlier\b|yesterday\b|today\b|who\b|which\b).*$",
    re.S,
)
_TRAILING_ADVERBS = re.compile(r"\s+(?:also|later|then|once|previously|earlier|recently|further|again)$")
# Appositive chunks that end the subject ("said Li, adding that ...").
_APPOSITIVE_STOP = re.compile(
    r"^(?:adding|noting|saying|explaining|who|which|when|while|in|at|on|during|according|as|and|but)\b"
)
_ORG_REFS: dict[str, str] = {
    "ministry": "Ministry",
    "commission": "Commission",
    "administration": "Administration",
    "bureau": "Bureau",
    "university": "University",
    "institute": "Institute",
    "bank": "Bank",
    "government": "Government",
    "airline": "Airlines",
    "agency": "Agency",
    "regulator": "regulator",
    "department": "Department",
    "council": "Council",
    "platform": "platform",
    "app": "platform",
    "website": "platform",
    "company": "company",
    "firm": "company",
    "group": "company",
    "corporation": "company",
    "enterprise": "company",
    "carrier": "company",
    "operator": "company",
    "brand": "company",
    "retailer": "company",
    "startup": "company",
    "start-up": "company",
    "giant": "company",
    "conglomerate": "company",
}
_ORG_REF_RE = re.compile(rf"^(?:the|its)\s+(?:[a-z-]+\s+)?({'|'.join(map(re.escape, _ORG_REFS))})$")
_STATEMENT_FROM = re.compile(
    r"^(?:a|the)\s+(?:statement|notice|post|announcement|circular|press release)\s+"
    r"(?:from|by|issued by|released by|published by)\s+(?P<org>.+)$"
)
_ARTICLE = re.compile(r"^(?:a|an|the|one|another)\s+", re.I)
_PREPOSITION = re.compile(r"of|at|for|with|in|from|on|by", re.I)
_RELATIVE_CLAUSE = re.compile(r"\s+(?:who|which|whose|that)\s.*$")
_TRAILING_LOCATION = re.compile(
    r"\s+(?:based\s+)?in\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*(?:\s+(?:province|city|county|region))?$"
)
_BASED_IN = re.compile(r"(?:[A-Z][\w'’]*\s+)*[A-Z][\w'’]*-based\b")
_POSSESSIVE_UNIT = re.compile(r"['’]s?\s+[a-z][\w\s-]*")
_POSSESSIVE_TAIL = re.compile(r"^['’]s?(?=\s)")
_SUBUNITS = frozenset(
    "School College Faculty Department Division Institute Center Centre Office Laboratory Lab".split()
)

_OPEN_MARKS = "“„«"
_CLOSE_MARKS = "”»"
_STRAIGHT = '"'
_ALL_MARKS = _OPEN_MARKS + _CLOSE_MARKS + _STRAIGHT
# Abbreviations whose full stop never ends a sentence ("Mr. Li", "Jan. 5", "U.S. shoppers").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof jr sr st no vs etc jan feb mar apr jun jul aug sep sept oct nov dec "
    "gov gen lt col rep sen dept est approx fig e.g i.e u.s u.k".split()
)
# A company suffix ends a sentence unless another suffix follows ("Co. Ltd").
_COMPANY_SUFFIXES = frozenset("co corp inc ltd limited".split())
_SENTENCE_END = re.compile(r"[.!?…]+[”\"’)]*(?=\s+[“\"‘(]?[A-Z0-9\x00]|\s*$)")
_NEXT_WORD = re.compile(r"\s*(\w+)")


# --------------------------------------------------------------------------- text helpers


def _squash(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class _Paragraph:
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _paragraphs(cleaned: str) -> list[_Paragraph]:
    paragraphs, offset = [], 0
    for block in cleaned.split("\n\n"):
        if block:
            paragraphs.append(_Paragraph(offset, block))
        offset += len(block) + 2
    return paragraphs


def _sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence terminator that really ends a sentence."""
    ends = []
    for match in _SENTENCE_END.finditer(text):
        start = match.start()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "."):
            start -= 1
        token = text[start : match.start()].lower()
        following = _NEXT_WORD.match(text, match.end())
        if match.group().startswith(".") and (
            token in _ABBREVIATIONS
            or re.fullmatch(r"[a-z]", token)  # an initial: "John F. Kennedy"
            or (token in _COMPANY_SUFFIXES and following and following.group(1).lower() in _COMPANY_SUFFIXES)
        ):
            continue
        ends.append(match.end())
    return ends


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of one paragraph."""
    spans, start = [], 0
    for end in _sentence_ends(text):
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _last_sentence(text: str) -> str:
    """The (possibly empty) unfinished sentence at the end of ``text``."""
    ends = _sentence_ends(text)
    return text[ends[-1] :] if ends else text


def _first_sentence(text: str) -> str:
    ends = _sentence_ends(text)
    return text[: ends[0]] if ends else text


def _split_chunks(text: str) -> list[str]:
    return [chunk.strip() for chunk in re.split(r",\s+|\s+(?:[—–]|--)\s+", text) if chunk.strip()]


# --------------------------------------------------------------------------- names


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    text: str
    possessive: bool


_WORD_RE = re.compile(r"[^\W_](?:[\w&]|['’.\-](?=[^\W_]))*(?:['’]s\b)?")
_CONNECTORS = frozenset({"of", "the", "and", "for", "&", "de", "van", "von", "der", "du", "la", "le", "bin"})


def _is_capitalised(word: str) -> bool:
    return word[0].isupper() or (word[0].isdigit() and any(c.isupper() for c in word))


def _strip_possessive(word: str) -> tuple[str, bool]:
    if re.search(r"['’]s$", word) and len(word) > 2:
        return word[:-2], True
    return word, False


def _spans(text: str) -> list[_Span]:
    """Runs of capitalised words: candidate names of people and organisations.

    Lower-case connectors (of, and, for, the after of, &) join capitalised words; a
    possessive ends the run. Sentence openers are trimmed from the front, a lone demonym or
    month is dropped, and an "and" that does not belong to an organisation name splits the
    run in two.
    """
    words = list(_WORD_RE.finditer(text))
    spans: list[_Span] = []
    i = 0
    while i < len(words):
        if not _is_capitalised(words[i].group()):
            i += 1
            continue
        j = i
        while not _strip_possessive(words[j].group())[1] and (k := _next_name_word(text, words, j)) is not None:
            j = k
        spans.extend(_trim_span(text, words[i : j + 1]))
        i = j + 1
    return spans


def _next_name_word(text: str, words: list[re.Match[str]], j: int) -> int | None:
    """Index of the capitalised word continuing the name that ends at ``words[j]``, if any."""
    k = j + 1
    while k < len(words) and k - j <= 2 and words[k].group() in _CONNECTORS:
        if words[k].group() == "the" and words[k - 1].group() != "of":
            break
        k += 1
    if k == len(words) or not _is_capitalised(words[k].group()):
        return None
    # Only single spaces may separate the words: a comma or a full stop ends the name.
    gap = text[words[j].end() : words[k].start()]
    return k if gap == " ".join(["", *(w.group() for w in words[j + 1 : k]), ""]) else None


def _trim_span(text: str, words: list[re.Match[str]]) -> list[_Span]:
    while words and (words[0].group() in _SPAN_OPENERS or words[0].group() in _CONNECTORS):
        if words[0].group() == "He" and len(words) in (2, 3):
            break  # the surname He ("He Wei"), not the pronoun
        words = words[1:]
    if not words or (len(words) == 1 and _strip_possessive(words[0].group())[0] in _NOT_NAMES):
        return []
    possessive = _strip_possessive(words[-1].group())[1]
    start, end = words[0].start(), words[-1].end() - (2 if possessive else 0)
    name = text[start:end]
    if " and " not in name or _has_org_keyword(name):
        return [_Span(start, end, name, possessive)]
    spans, offset = [], start  # "Zhang Wei and Li Ming": two people
    parts = name.split(" and ")
    for index, part in enumerate(parts):
        spans.append(_Span(offset, offset + len(part), part, possessive and index == len(parts) - 1))
        offset += len(part) + len(" and ")
    return spans


def _has_org_keyword(name: str) -> bool:
    return any(token in _ORG_KEYWORDS for token in name.split())


def _looks_like_org(name: str, known: frozenset[str] = frozenset()) -> bool:
    """Organisation by keyword (Co, Ministry, University ...), gazetteer, acronym or cue."""
    if not name:
        return False
    tokens = name.split()
    if name in known or _has_org_keyword(name) or any(token in _KNOWN_ORGS for token in tokens):
        return True
    if len(tokens) > 1 and any(name.endswith(f" {place}") for place in _PLACES):
        return True  # "Nike China": people are not named after places
    return bool(re.fullmatch(r"[A-Z][A-Z0-9&]{1,7}", name)) and name not in _NOT_ACRONYM_ORGS


def _is_company(name: str, known: frozenset[str]) -> bool:
    """A business rather than a ministry, university or newspaper (a "Group" always is)."""
    tokens = set(name.split())
    if tokens & _COMPANY_KEYWORDS:
        return True
    return _looks_like_org(name, known) and not tokens & _NON_COMPANY_KEYWORDS


def _surname(name: str) -> str:
    """Family name: first token for common Chinese surnames ("Li Zhengmao"), else the last."""
    tokens = name.split()
    if len(tokens) > 1 and tokens[0] in _CHINESE_SURNAMES:
        return tokens[0]
    return tokens[-1]


def _split_title_words(name: str) -> tuple[str, str]:
    """Split "Xiaomi CEO Lei Jun" into ("Lei Jun", "Xiaomi CEO"); drop honorifics."""
    tokens = name.split()
    title_at = max((i for i, token in enumerate(tokens) if token in _TITLE_WORDS), default=-1)
    person = [t for t in tokens[title_at + 1 :] if t not in _HONORIFICS]
    return " ".join(person), " ".join(tokens[: title_at + 1])


# --------------------------------------------------------------------------- subjects


@dataclass(frozen=True)
class _Mention:
    """A speaker as written in the text, before resolution against the discourse."""

    name: str | None = None
    role: str | None = None
    org: str | None = None
    is_org: bool = False
    pronoun: str | None = None
    org_ref: str | None = None  # "company" in "general manager of the company"
    name_org_ref: bool = False  # the speaker itself is "the ministry"
    definite: bool = False  # "the spokesperson": someone already introduced


def _has_role_noun(text: str) -> bool:
    return any(word.strip(".,").lower() in _ROLE_NOUNS for word in re.split(r"[\s/]+", text))


def _org_ref(text: str) -> str | None:
    match = _ORG_REF_RE.match(text.lower().strip())
    return match.group(1) if match else None


def _is_descriptor_word(word: str) -> bool:
    return word in _NOT_NAMES or word in _PLACES or word.endswith("-based")


def _parse_org_phrase(text: str) -> tuple[str | None, str | None]:
    """(org, org_ref) for text that should name an organisation, e.g. "the Ministry of X"."""
    text = text.strip()
    ref = _org_ref(text)
    if ref:
        return None, ref
    bare = re.sub(r"^the\s+", "", text, flags=re.I)
    spans = _spans(bare)
    if spans and spans[0].start == 0 and spans[0].possessive and _POSSESSIVE_UNIT.fullmatch(bare[spans[0].end :]):
        return spans[0].text, None  # "Huawei's software ecosystem department"
    if not spans or spans[-1].end != len(bare) or spans[-1].possessive:
        return None, None
    # "consultancy Brandwise", "Hong Kong-based brokerage CLSA": descriptors, no prepositions.
    descriptor = _BASED_IN.sub("", bare[: spans[-1].start]).split()
    if any(_PREPOSITION.fullmatch(w) or not (w[0].islower() or _is_descriptor_word(w)) for w in descriptor):
        return None, None
    return spans[-1].text, None


def _parse_appositive(text: str, known: frozenset[str], *, need_role: bool) -> tuple[str | None, ...]:
    """(role, org, org_ref) from a title such as "counselor of the Information Department at
    the Ministry of Foreign Affairs", "a Sinopec spokesperson" or "general manager of the company".

    A relative clause ("who supplies Yili") and a trailing location ("in Hong Kong") are not
    part of the title.
    """
    text = _ARTICLE.sub("", text.strip().rstrip(".,;:"))
    if re.match(r"(?:who|which|whose|that)\b", text):
        return None, None, None
    text = _RELATIVE_CLAUSE.sub("", text)
    text = _TRAILING_LOCATION.sub("", text)
    if not text or re.fullmatch(r"[\d\s-]+(?:years? old)?", text):
        return None, None, None
    own = re.fullmatch(rf"({'|'.join(_ORG_REFS)})(?:['’]s)?\s+(.+)", text)  # "ministry spokesperson"
    if own and _has_role_noun(own.group(2)):
        return own.group(2), None, own.group(1)
    for prep in re.finditer(r"\s+(?:of|at|for|with)\s+", text):
        org, ref = _parse_org_phrase(text[prep.end() :])
        role = text[: prep.start()].strip()
        if not role or not (org or ref):
            continue
        if org and not (_looks_like_org(org, known) or _has_role_noun(role)):
            continue
        if org and not text.endswith(org):
            return text, org, None  # possessive unit: "president of Huawei's software department"
        if org:
            role, org = _split_subunit(text, prep.start(), org, known)
        return role, org, ref
    # "Sinopec spokesperson", "Kuaishou's vice-president"
    spans = _spans(text)
    if spans and spans[0].start == 0 and not _is_descriptor_word(spans[0].text):
        rest = _POSSESSIVE_TAIL.sub("", text[spans[0].end :]).strip()
        if rest and rest[0].islower() and not _spans(rest):
            return rest, spans[0].text, None
    if need_role and not _has_role_noun(text):
        return None, None, None
    return text, None, None


def _split_subunit(text: str, prep_start: int, org: str, known: frozenset[str]) -> tuple[str, str]:
    """Keep a sub-unit in the role: "professor at the School of X" of "Beijing Normal University"."""
    parents = list(re.finditer(r"\s+of\s+(?:the\s+)?", text))
    if org.split()[0] in _SUBUNITS and parents and parents[-1].start() > prep_start:
        name = text[parents[-1].end() :]
        if _looks_like_org(name, known):
            return text[: parents[-1].start()], name
    return text[:prep_start], org


def _parse_role_phrase(text: str, known: frozenset[str]) -> _Mention | None:
    """A speaker without a name: "a Sinopec spokesperson", "a spokeswoman for the ministry"."""
    match = _STATEMENT_FROM.match(text)
    if match:
        org, ref = _parse_org_phrase(match.group("org"))
        if org or ref:
            return _Mention(name=org, is_org=True, org_ref=ref, name_org_ref=bool(ref))
        return None
    if not _has_role_noun(text):
        return None
    role, org, ref = _parse_appositive(text, known, need_role=True)
    if not role:
        return None
    if text.lower().startswith("the ") and not (org or ref):
        return _Mention(role=role, definite=True)
    return _Mention(role=role, org=org, org_ref=ref)


def _parse_premodifier(prefix: str) -> tuple[str | None, str | None, bool]:
    """(role, org, names_an_org) for words before a name: "Huawei founder", "video-sharing app"."""
    prefix = _ARTICLE.sub("", prefix.strip())
    if not prefix:
        return None, None, False
    words = prefix.split()
    if words[-1].lower() in _ORG_CUE_NOUNS:
        return None, None, True
    spans = _spans(prefix)
    if spans and spans[0].start == 0 and not _is_descriptor_word(spans[0].text):
        rest = _POSSESSIVE_TAIL.sub("", prefix[spans[0].end :]).strip()
        return rest or None, spans[0].text, False
    return (prefix if _has_role_noun(prefix) else None), None, False


def _parse_head(head: str, known: frozenset[str]) -> _Mention | None:
    """Parse the head of a subject: a pronoun, an org reference, a name (with pre-modifiers)."""
    head = _HEAD_CUT.sub("", head.strip(" ,;:—–-"))
    head = _TRAILING_ADVERBS.sub("", re.sub(r"^(?:and|but|so)\s+", "", head, flags=re.I)).strip()
    lowered = head.lower()
    if lowered in _PRONOUNS:
        return _Mention(pronoun=lowered)
    ref = _org_ref(lowered)
    if ref:
        return _Mention(is_org=True, org_ref=ref, name_org_ref=True)
    spans = _spans(head)
    if not spans or spans[-1].end != len(head) or spans[-1].possessive:
        return _parse_role_phrase(head, known)
    last = spans[-1]
    name, title = _split_title_words(last.text)
    prefix = f"{head[: last.start]} {title}".strip()
    if not name:
        return _parse_role_phrase(head, known)
    role, org, cue = _parse_premodifier(prefix)
    if cue or (not role and _looks_like_org(name, known)):
        return _Mention(name=name, is_org=True)
    if " " not in name and _has_role_noun(name.lower().removesuffix("s")):
        return None  # "Analysts said ...": a group, not a named speaker
    if any(word[0].isupper() and word not in _HONORIFICS for word in head[: last.start].split()) and not (role or org):
        return None  # unexplained capitalised words before the name: not a clean subject
    return _Mention(name=name, role=role, org=org)


def _with_appositives(mention: _Mention, chunks: list[str], known: frozenset[str]) -> _Mention:
    """Add the title from the appositive after a name ("Li Zhengmao, general manager of X")."""
    if mention.is_org or mention.pronoun or mention.role or mention.org:
        return mention
    for chunk in chunks:
        if _APPOSITIVE_STOP.match(chunk):
            break
        if re.fullmatch(r"\d+", chunk):
            continue
        role, org, ref = _parse_appositive(chunk, known, need_role=False)
        if role or org or ref:
            return replace(mention, role=role, org=org, org_ref=ref)
        break
    return mention


def _parse_subject(text: str, known: frozenset[str], *, verb_first: bool) -> _Mention | None:
    """Parse the speaker part of an attribution.

    ``verb_first``: the subject follows the verb ("said Li Zhengmao, general manager of
    China Telecom"). Otherwise it precedes it ("Liu Yutong, counselor of ..., said"),
    possibly after an opener ("In a statement, the ministry said").
    """
    text = text.strip().rstrip(".")
    if not text or any(mark in text for mark in _ALL_MARKS + "\x00"):
        return None
    has_appositive = text.rstrip().endswith(",") and not verb_first
    chunks = _split_chunks(text.rstrip(", "))
    if not chunks:
        return None
    if verb_first:
        head, rest = chunks[0], chunks[1:]
    elif has_appositive:
        index = next((i for i, c in enumerate(chunks) if c.split()[0].lower() not in _INTRO_OPENERS), None)
        if index is None or index == len(chunks) - 1:
            head, rest = chunks[-1], []
        else:
            head, rest = chunks[index], chunks[index + 1 :]
    else:
        head, rest = chunks[-1], []
    mention = _parse_head(head, known)
    if mention is None:
        return None
    return _with_appositives(mention, rest, known)


# --------------------------------------------------------------------------- quotes


@dataclass
class _RawQuote:
    """Content segments of one quote (several when it runs over paragraphs or is split)."""

    segments: list[tuple[int, int]]
    open_at: int  # offset of the opening mark
    close_at: int  # offset just after the closing mark (or the paragraph end)
    first_para: int
    last_para: int
    split_gap: tuple[int, int] | None = None  # the attribution between the parts of a split quote

    def text(self, cleaned: str) -> str:
        return " ".join(_squash(cleaned[a:b]) for a, b in self.segments if cleaned[a:b].strip())


def _mark_context(text: str, i: int) -> tuple[bool, bool]:
    """(looks_opening, looks_closing) for the quote mark at ``text[i]``."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    opening = (before.isspace() or before in "([{—–-/") and not after.isspace()
    closing = not before.isspace() and (after.isspace() or after in ".,;:!?)]—–-" or after in _ALL_MARKS)
    return opening, closing


def _is_closing(text: str, i: int) -> bool:
    mark = text[i]
    if mark in _CLOSE_MARKS or mark == _STRAIGHT:
        return True
    return _mark_context(text, i)[1]  # a “ written in place of ”


def _scan_quotes(paragraphs: list[_Paragraph]) -> list[_RawQuote]:
    """Pair quote marks into quotes, following them across paragraphs."""
    quotes: list[_RawQuote] = []
    carried: _RawQuote | None = None
    for index, para in enumerate(paragraphs):
        text, current = para.text, carried
        carried = None
        pos = 0
        if current is not None:
            first = len(text) - len(text.lstrip())
            pos = first + 1  # skip the re-opening mark
            content_start = para.start + pos
        for i in range(pos, len(text)):
            mark = text[i]
            if mark not in _ALL_MARKS:
                continue
            if current is None:
                opening, closing = _mark_context(text, i)
                if mark in _CLOSE_MARKS or (mark == _STRAIGHT and closing and not opening):
                    continue  # stray closing mark, inch sign ...
                current = _RawQuote([], para.start + i, -1, index, index)
                content_start = para.start + i + 1
            elif _is_closing(text, i):
                current.segments.append((content_start, para.start + i))
                current.close_at, current.last_para = para.start + i + 1, index
                quotes.append(current)
                current = None
        if current is not None:
            current.segments.append((content_start, para.end))
            nxt = paragraphs[index + 1].text.lstrip() if index + 1 < len(paragraphs) else ""
            if nxt[:1] in _OPEN_MARKS + _STRAIGHT:
                carried = current
            else:  # missing closing mark: the quote ends with its paragraph
                current.close_at, current.last_para = para.end, index
                quotes.append(current)
    if carried is not None:
        carried.close_at, carried.last_para = paragraphs[-1].end, len(paragraphs) - 1
        quotes.append(carried)
    return quotes


def _is_title_like(text: str) -> bool:
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    small = {"and", "of", "the", "in", "for", "on", "to", "a", "an", "with", "&", "at", "by"}
    return (
        bool(words)
        and not text.rstrip().endswith((*_TERMINAL, ",", ";", ":"))
        and all(w[0].isupper() or w in small for w in words)
    )


def _ends_with_speech_intro(left: str) -> bool:
    tail = left.rstrip()
    if not tail:
        return True
    if tail[-1] in '.!?:”"…—–-([,;':
        return True
    return bool(re.search(rf"(?:{_VERB}|\bthat|\bas follows)$", tail))


def _is_fragment(quote: _RawQuote, cleaned: str, paragraphs: list[_Paragraph]) -> bool:
    """Too short, a Title-Cased name of a thing, or embedded mid-clause (scare quotes)."""
    text = quote.text(cleaned)
    if len(text.split()) < 3 or _is_title_like(text):
        return True
    para = paragraphs[quote.first_para]
    left = cleaned[para.start : quote.open_at]
    return not _ends_with_speech_intro(left)


# --------------------------------------------------------------------------- attribution


@dataclass(frozen=True)
class _Attribution:
    mention: _Mention
    position: int


def _post_attribution(after: str, offset: int, known: frozenset[str]) -> _Attribution | None:
    """“...,” said NAME, TITLE / “...,” NAME said / “...,” the ministry said in a statement."""
    clause = _first_sentence(after)
    stripped = clause.lstrip(" ,;—–-")
    position = offset + len(clause) - len(stripped)
    stripped = stripped.rstrip(" .!?")
    if not stripped:
        return None
    match = _POST_VERB_FIRST.match(stripped)
    if match:
        subject = match.group("subject")
        mention = _parse_subject(subject, known, verb_first=True)
    else:
        match = _POST_SUBJECT_FIRST.match(stripped)
        if not match or _VERB_RE.search(match.group("subject")):
            return None
        mention = _parse_subject(match.group("subject"), known, verb_first=False)
    return _Attribution(mention, position) if mention else None


def _pre_attribution(before: str, offset: int, known: frozenset[str]) -> _Attribution | None:
    """NAME, TITLE, said: “...” / ORG's TITLE NAME said “...” / According to NAME, “...”."""
    sentence = _last_sentence(before)
    start = offset + len(before) - len(sentence)
    according = re.search(r"\baccording to\s+(?P<subject>[^,“”\"]+),\s*$", sentence, re.I)
    if according:
        mention = _parse_subject(according.group("subject"), known, verb_first=True)
        return _Attribution(mention, start + according.start("subject")) if mention else None
    participle = _PARTICIPLE_INTRO.search(sentence)
    if participle:
        return _post_attribution(sentence[: participle.start()] + ".", start, known)
    for verb in reversed(list(_VERB_RE.finditer(sentence))):
        tail = sentence[verb.end() :]
        tail_re = _TOLD_TAIL if verb.group() in _INTRO_VERBS else _INTRO_TAIL
        if not (tail_re.fullmatch(tail) or _INTRO_TAIL.fullmatch(tail)):
            continue
        mention = _parse_subject(sentence[: verb.start()], known, verb_first=False)
        return _Attribution(mention, start) if mention else None
    return None


def _ends_split_attribution(gap: str, known: frozenset[str]) -> bool:
    """True for the gap in “First part,” said NAME, “second part.”"""
    stripped = gap.strip()
    return (
        stripped.endswith(",")
        and not _sentence_ends(stripped.rstrip(","))
        and _post_attribution(stripped.rstrip(",") + ".", 0, known) is not None
    )


def _join_split_quotes(quotes: list[_RawQuote], cleaned: str, known: frozenset[str]) -> list[_RawQuote]:
    joined: list[_RawQuote] = []
    for quote in quotes:
        prev = joined[-1] if joined else None
        if (
            prev is not None
            and prev.last_para == quote.first_para
            and prev.text(cleaned).endswith(",")
            and _ends_split_attribution(cleaned[prev.close_at : quote.open_at], known)
        ):
            joined[-1] = _RawQuote(
                prev.segments + quote.segments,
                prev.open_at,
                quote.close_at,
                prev.first_para,
                quote.last_para,
                split_gap=(prev.close_at, quote.open_at),
            )
            continue
        joined.append(quote)
    return joined


# --------------------------------------------------------------------------- discourse


@dataclass(frozen=True)
class _Speaker:
    name: str | None
    role: str | None
    org: str | None
    is_org: bool


class _Discourse:
    """What the article has said so far about people and organisations, in text order.

    Organisations are collected from the narrative only (quoted statements masked out).
    """

    def __init__(self, cleaned: str, known: frozenset[str]):
        self.known = known
        self.orgs = [
            (span.start, span.text)
            for span in _spans(cleaned)
            if _looks_like_org(span.text, known) and not _is_channel_mention(cleaned, span)
        ]
        # "Hengxing" is the short form of "Hengxing Auto Co" when it speaks on its own.
        self.short_names = {
            name.split()[0]
            for _, name in self.orgs
            if " " in name and set(name.split()) & _COMPANY_KEYWORDS and _can_be_short_name(name.split()[0])
        }
        self.people: list[_Speaker] = []
        self.speakers: list[_Speaker] = []
        self.last_person: _Speaker | None = None
        self.last_speaker: _Speaker | None = None
        self.last_org_speaker: _Speaker | None = None

    def org_for(self, ref: str, position: int) -> str | None:
        """Most recent organisation of the kind named by ``ref`` ("company", "ministry" ...)."""
        kind = _ORG_REFS[ref]
        for start, name in reversed(self.orgs):
            if start >= position:
                continue
            tokens = set(name.split())
            if kind == "company" and _is_company(name, self.known) and not self._is_bystander_platform(name):
                return name
            if kind == "platform" and (name in _PLATFORM_ORGS or name in self.known and name not in _KNOWN_ORGS):
                return name
            if kind == "regulator" and tokens & {"Ministry", "Commission", "Administration", "Bureau"}:
                return name
            if kind in tokens or (kind == "Bank" and name in {"ICBC", "CCB"}):
                return name
        return None

    def _is_org_name(self, name: str) -> bool:
        return _looks_like_org(name, self.known) or name in self.short_names

    def _is_bystander_platform(self, name: str) -> bool:
        """A platform the article talks about, rather than one that has spoken or is the subject."""
        spoke = self.last_org_speaker is not None and self.last_org_speaker.name == name
        return name in _PLATFORM_ORGS and name not in self.known and not spoke

    def _person(self, name: str) -> _Speaker | None:
        for person in reversed(self.people):
            if person.name == name:
                return person
        if " " in name:
            return None
        for person in reversed(self.people):
            if _surname(person.name) == name:
                return person
        for person in reversed(self.people):
            if name in person.name.split():
                return person
        return None

    def resolve(self, mention: _Mention, position: int) -> _Speaker | None:
        if mention.pronoun in {"he", "she"}:
            return self.last_person
        if mention.pronoun == "it":
            return self.last_org_speaker
        if mention.pronoun == "they":
            return self.last_speaker if self.last_speaker and self.last_speaker.is_org else None
        if mention.definite:
            same_role = (s for s in reversed(self.speakers) if s.role and s.role.lower() == mention.role.lower())
            return next(same_role, None)
        if mention.name_org_ref:
            org = self.org_for(mention.org_ref, position)
            return _Speaker(org, None, org, True) if org else None
        org = mention.org or (self.org_for(mention.org_ref, position) if mention.org_ref else None)
        if mention.name is None:
            return _Speaker(None, mention.role, org, False)
        if mention.is_org:
            return _Speaker(mention.name, None, mention.name, True)
        known_person = self._person(mention.name)
        if known_person is None and " " not in mention.name and self._is_org_name(mention.name):
            return _Speaker(mention.name, None, mention.name, True)
        if known_person is not None:
            return _Speaker(known_person.name, mention.role or known_person.role, org or known_person.org, False)
        return _Speaker(mention.name, mention.role, org, False)

    def remember(self, speaker: _Speaker | None, *, spoke: bool) -> None:
        if speaker is None:
            return
        if spoke:
            self.speakers.append(speaker)
            self.last_speaker = speaker
            if speaker.is_org:
                self.last_org_speaker = speaker
        if speaker.name and not speaker.is_org:
            self.people = [p for p in self.people if p.name != speaker.name] + [speaker]
            self.last_person = speaker


def _can_be_short_name(word: str) -> bool:
    """ "Hengxing" may stand for "Hengxing Auto Co"; "China", "Li" or "Group" may not."""
    vocabulary = _PLACES | _NOT_NAMES | _SPAN_OPENERS | _ORG_KEYWORDS | _CHINESE_SURNAMES
    return word not in vocabulary


def _is_channel_mention(cleaned: str, span: _Span) -> bool:
    """A platform named as a channel ("posted on Douyin and Kuaishou"), not as an actor."""
    if span.text not in _PLATFORM_ORGS:
        return False
    before = cleaned[max(0, span.start - 60) : span.start]
    return bool(
        re.search(r"\b(?:on|via|through|across|like|to|from|onto)\s+(?:[A-Z][\w-]*(?:,\s+|\s+(?:and|or)\s+))*$", before)
    )


def _document_orgs(cleaned: str) -> frozenset[str]:
    """Names the article itself marks as organisations ("video-sharing app Kuaishou")."""
    found = set()
    for span in _spans(cleaned):
        previous = re.search(r"([a-z-]+)\s+$", cleaned[max(0, span.start - 30) : span.start])
        if previous and previous.group(1) in _ORG_CUE_NOUNS and " " not in span.text:
            found.add(span.text)
    return frozenset(found)


# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class _Event:
    """Something the discourse must see in text order: a quote, a paraphrase or an intro."""

    position: int
    kind: str  # "quote", "paraphrase" or "intro"
    start: int = 0
    end: int = 0
    text: str = ""
    attribution: _Attribution | None = None
    inherit: bool = False


def _quote_events(cleaned: str, paragraphs: list[_Paragraph], known: frozenset[str]) -> list[_Event]:
    raw = [q for q in _scan_quotes(paragraphs) if not _is_fragment(q, cleaned, paragraphs)]
    quotes = _join_split_quotes(raw, cleaned, known)
    events = []
    for index, quote in enumerate(quotes):
        first, last = paragraphs[quote.first_para], paragraphs[quote.last_para]
        prev = quotes[index - 1] if index else None
        nxt = quotes[index + 1] if index + 1 < len(quotes) else None
        left_start = prev.close_at if prev and prev.last_para == quote.first_para else first.start
        right_end = nxt.open_at if nxt and nxt.first_para == quote.last_para else last.end
        before, after = cleaned[left_start : quote.open_at], cleaned[quote.close_at : right_end]
        text = quote.text(cleaned)
        attribution = _attribution_for(quote, text, before, after, left_start, paragraphs, cleaned, known)
        same_paragraph = prev is not None and prev.last_para == quote.first_para
        inherit = attribution is None and same_paragraph and not _last_sentence(before).strip(" ,;")
        if attribution is None and not inherit and not _stands_alone(text, before, after):
            continue
        start, end = quote.segments[0][0], quote.segments[-1][1]
        start += len(cleaned[start:end]) - len(cleaned[start:end].lstrip())
        end -= len(cleaned[start:end]) - len(cleaned[start:end].rstrip())
        events.append(_Event(quote.open_at, "quote", start, end, text, attribution, inherit))
    return events


def _attribution_for(
    quote: _RawQuote,
    text: str,
    before: str,
    after: str,
    left_start: int,
    paragraphs: list[_Paragraph],
    cleaned: str,
    known: frozenset[str],
) -> _Attribution | None:
    if quote.split_gap is not None:
        start, end = quote.split_gap
        return _post_attribution(cleaned[start:end].rstrip(", ") + ".", start, known)
    # A full stop inside the marks ends the sentence: what follows is a new sentence, not
    # an attribution ("“We grew.” He said the firm ..."), unless it opens in lower case.
    if not text.endswith(".") or after.lstrip()[:1].islower() or after.lstrip()[:1] == ",":
        found = _post_attribution(after, quote.close_at, known)
        if found:
            return found
    found = _pre_attribution(before, left_start, known)
    if found or before.strip() or quote.first_para == 0:
        return found
    previous = paragraphs[quote.first_para - 1]  # "Asked about costs, Hu said:" + new paragraph
    return _pre_attribution(previous.text, previous.start, known) if previous.text.endswith(":") else None


def _stands_alone(text: str, before: str, after: str) -> bool:
    """An unattributed quote is a statement only as a sentence of its own."""
    if _last_sentence(before).strip(" ,;:—–-"):
        return False
    return text.endswith((*_TERMINAL, ",")) or not after.strip() or after.lstrip()[:1] in _TERMINAL


def _mask_quotes(cleaned: str, events: list[_Event]) -> str:
    """Blank out quoted statements so paraphrase detection only reads the narrative.

    A final full stop (or ? !) stays visible: it still ends the sentence around the quote.
    """
    chars = list(cleaned)
    for event in events:
        end = event.end - 1 if cleaned[event.end - 1] in ".?!" else event.end
        for i in range(event.start, end):
            if chars[i] != "\n":
                chars[i] = "\x00"
    return "".join(chars)


def _paraphrase_events(masked: str, paragraphs: list[_Paragraph], known: frozenset[str]) -> list[_Event]:
    events = []
    for para in paragraphs:
        text = masked[para.start : para.end]
        for start, end in _sentences(text):
            event = _paraphrase_in(text[start:end], para.start + start, known)
            if event:
                events.append(event)
    return events


def _paraphrase_in(sentence: str, offset: int, known: frozenset[str]) -> _Event | None:
    return _reported_paraphrase(sentence, offset, known) or _inverted_paraphrase(sentence, offset, known)


def _paraphrase_event(clause: str, start: int, mention: _Mention, position: int) -> _Event | None:
    # Quoted fragments may sit inside the clause; a quoted statement (masked) may not.
    if len(clause.split()) < 3 or "\x00" in clause or clause[0] in _ALL_MARKS + ":":
        return None
    return _Event(position, "paraphrase", start, start + len(clause), _squash(clause), _Attribution(mention, position))


def _inverted_paraphrase(sentence: str, offset: int, known: frozenset[str]) -> _Event | None:
    """A paraphrase of the form "CLAUSE, SUBJECT said [on Monday]."."""
    match = _INVERTED.fullmatch(sentence)
    if match is None or _SPEECH_CIRCUMSTANCE.sub("", match["tail"]).strip():
        return None
    mention = _parse_subject(match["subject"], known, verb_first=False)
    if mention is None:
        return None
    leading = len(match["clause"]) - len(match["clause"].lstrip())
    clause = match["clause"].strip()
    return _paraphrase_event(clause, offset + leading, mention, offset)


def _reported_paraphrase(sentence: str, offset: int, known: frozenset[str]) -> _Event | None:
    """A paraphrase of the form "SUBJECT [, TITLE,] said [that] CLAUSE."."""
    verb = _PARAPHRASE_VERB.search(sentence)
    if verb is None:
        return None
    subject = sentence[: verb.start()]
    clause_start = _reported_clause_start(verb.group(), sentence[verb.end() :])
    if clause_start is None:
        return None
    clause = sentence[verb.end() + clause_start :].rstrip()
    clause = _PARTICIPLE_TAIL.sub("", clause[:-1] if clause.endswith(".") else clause)
    mention = _parse_subject(subject, known, verb_first=False) if clause else None
    if mention is None:
        return None
    return _paraphrase_event(clause, offset + verb.end() + clause_start, mention, offset)


def _reported_clause_start(verb: str, tail: str) -> int | None:
    """Offset in ``tail`` (the text after the verb) where the reported clause begins."""
    if verb == "told":
        skip = re.match(r"\s+[^,.“”\"\x00]{1,40}?\s+that\s+", tail)
        return skip.end() if skip else None
    skip = _PARAPHRASE_MODIFIER.match(tail)
    if skip:
        return skip.end()
    position = 0
    while circumstance := _SPEECH_CIRCUMSTANCE.match(tail, position):
        position = circumstance.end()
    that = re.match(r"\s+that\s+", tail[position:])
    if that:
        return position + that.end()
    if verb in _PARAPHRASE_NEEDS_THAT or not tail[position:].startswith(" "):
        return None
    return position + 1


def _intro_events(masked: str, paragraphs: list[_Paragraph], known: frozenset[str]) -> list[_Event]:
    """People the narrative introduces by full name as a phrase of its own, with the title that
    may follow: "Jin Xuehua, communication director of X, was ...", "Zhu's husband, Gu Peng, ..."
    """
    events = []
    for para in paragraphs:
        text = masked[para.start : para.end]
        for start, end in _sentences(text):
            chunks = _split_chunks(text[start:end])
            for index, chunk in enumerate(chunks):
                name = _introduced_name(chunk, known)
                if name is None:
                    continue
                title = chunks[index + 1] if index + 1 < len(chunks) else ""
                role, org, ref = _parse_appositive(title, known, need_role=True) if title else (None, None, None)
                mention = _Mention(name=name, role=role, org=org, org_ref=ref)
                position = para.start + start
                events.append(_Event(position, "intro", attribution=_Attribution(mention, position)))
    return events


def _introduced_name(chunk: str, known: frozenset[str]) -> str | None:
    """The full personal name that makes up ``chunk`` (after an opener such as "For"), if any."""
    words = chunk.split()
    if len(words) > 2 and words[0].lower() in _INTRO_OPENERS:
        chunk = " ".join(words[1:])
    spans = _spans(chunk)
    if len(spans) != 1 or spans[0].text != chunk or spans[0].possessive:
        return None
    if not 2 <= len(chunk.split()) <= 4 or chunk in _PLACES or _looks_like_org(chunk, known):
        return None
    return chunk


# --------------------------------------------------------------------------- public API


def extract(raw: str) -> list[Candidate]:
    """Direct quotes and paraphrases of ``raw`` article text, in document order.

    Offsets refer to ``clean_text(raw)``.
    """
    cleaned = clean_text(raw)
    paragraphs = _paragraphs(cleaned)
    known = _document_orgs(cleaned)
    quotes = _quote_events(cleaned, paragraphs, known)
    masked = _mask_quotes(cleaned, quotes)
    events = quotes + _paraphrase_events(masked, paragraphs, known) + _intro_events(masked, paragraphs, known)
    order = {"intro": 0, "paraphrase": 1, "quote": 2}
    events.sort(key=lambda e: (e.position, order[e.kind]))

    discourse = _Discourse(masked, known)
    candidates: list[Candidate] = []
    previous_quote: _Speaker | None = None
    for event in events:
        if event.kind == "intro":
            discourse.remember(discourse.resolve(event.attribution.mention, event.position), spoke=False)
            continue
        if event.attribution is not None:
            speaker = discourse.resolve(event.attribution.mention, event.attribution.position)
        elif event.inherit:
            speaker = previous_quote
        else:
            speaker = None
        discourse.remember(speaker, spoke=True)
        if event.kind == "quote":
            previous_quote = speaker
        candidates.append(_candidate(event, speaker))
    candidates.sort(key=lambda c: (c.start, c.kind))
    return candidates


def _candidate(event: _Event, speaker: _Speaker | None) -> Candidate:
    speaker = speaker or _Speaker(None, None, None, False)
    return Candidate(
        quote=event.text,
        speaker=speaker.name,
        role=speaker.role,
        org=speaker.org,
        kind=event.kind,
        speaker_is_org=speaker.is_org,
        start=event.start,
        end=event.end,
        platforms=detect_platforms(event.text),
    )
