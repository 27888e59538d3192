"""Shared text handling for every language: cleaning, paragraphs, and quote spans.

``clean_text`` turns a paste into paragraphs separated by one blank line; every offset the
extractors report points into that cleaned text. ``find_quotes`` pairs quote marks into
spans in one pass over the text (linear time, whatever the number of marks), following
the news convention for quotes that run over several paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Paragraph", "QuoteSpan", "clean_text", "cjk_share", "find_quotes", "paragraphs_of", "squash"]

_TERMINAL = (".", "!", "?", "…", "。", "！", "？")
_CLOSERS = ('"', "”", "」", "』", "’", ")", "）", ":", "：")

_SOCIAL_WORDS = frozenset(
    "share facebook twitter x linkedin weibo wechat whatsapp email e-mail mail print copy link reddit "
    "telegram line more qzone qq douban pinterest tumblr messenger sms flipboard "
    "分享 分享到 微信 微博 朋友圈 qq空间 复制链接 打印 收藏 扫一扫".split()
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
        # Chinese page furniture: editors, sources, share rows, corrections, QR codes.
        r"[（(]?\s*(?:责任编辑|責任編輯|编辑|編輯|来源|來源|记者|記者|原标题|原標題|作者|校对|校對|审核|審核|监制|監製|"
        r"通讯员|通訊員|摄影|攝影|图片来源|圖片來源|稿源)\s*[:：|].{0,80}",
        r"(?:分享到|分享|相关新闻|相關新聞|相关阅读|相關閱讀|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|热门推荐|熱門推薦|"
        r"更多|返回顶部|返回頂部|扫一扫|掃一掃|打印本页|关闭窗口|關閉窗口|纠错|糾錯)\s*[:：]?.{0,2}",
        r"【[^】]{0,12}】",
        r"(?:图|圖|图片|圖片|视频|視頻)\s*[:：|/].{0,120}",
        r".*[（(]\s*(?:图|圖|图片|圖片|摄|攝|视频截图|視頻截圖|资料图|資料圖)\s*[)）]",
    )
)

# "By Zhang Yi | China Daily | Updated: 2024-05-10" -- a lone byline, never a sentence.
_BYLINE = re.compile(r"[Bb]y\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}(?:\s*(?:[|,]|\bin\b).*)?")

# Headings whose following lines are a list of links, not prose.
_LINK_LIST_HEADING = re.compile(
    r"(?:related|recommended|more|top|latest|trending|popular)(?:\s+\w+)?\s*:?"
    r"|(?:you\s+(?:may|might)\s+(?:also\s+)?like|most\s+\w+)\s*:?"
    r"|(?:相关新闻|相關新聞|相关阅读|相關閱讀|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀)\s*[:：]?",
    re.I,
)


def _is_social_row(line: str) -> bool:
    words = [w for w in re.split(r"[\s|•·/,:;，、]+", line.lower()) if w]
    return bool(words) and all(w in _SOCIAL_WORDS for w in words)


def _is_clutter(line: str) -> bool:
    """True for a whole line of page furniture rather than article prose."""
    if any(pattern.fullmatch(line) for pattern in _CLUTTER_LINES) or _is_social_row(line):
        return True
    return bool(_BYLINE.fullmatch(line)) and len(line.split()) <= 14 and not line.endswith((".", "”", '"'))


def _normalise_line(line: str) -> str:
    line = line.replace("\u00a0", " ").replace("\u3000", " ").replace("\t", " ")
    line = re.sub(r"[\u200b\u200c\u200d\ufeff]", "", line)
    return " ".join(line.split())


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces, ends trimmed."""
    return " ".join(text.split())


def cjk_share(text: str) -> float:
    """Share of CJK ideographs among the letters and ideographs of ``text`` (a sample of it)."""
    sample = text[:20_000]
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")
    letters = sum(1 for ch in sample if ch.isalpha())
    return cjk / letters if letters else 0.0


def clean_text(raw: str) -> str:
    """Normalise ``raw`` article text and drop page clutter.

    Every non-empty line is a paragraph, except that a line starting with a lower-case
    letter continues the previous line when that one does not end a sentence (hard-wrapped
    paste). Paragraphs are separated by one blank line; whitespace inside a paragraph is
    collapsed to single spaces. Quote marks are left untouched.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    paragraphs: list[str] = []
    continues = in_link_list = False
    for raw_line in text.split("\n"):
        line = _normalise_line(raw_line)
        if not line:
            continues = in_link_list = False
            continue
        # Under "Related stories", headline-like lines (no final punctuation) are links.
        in_link_list = in_link_list and not line.endswith((*_TERMINAL, *_CLOSERS))
        if in_link_list or _is_clutter(line):
            in_link_list = in_link_list or bool(_LINK_LIST_HEADING.fullmatch(line))
            continue
        if continues and paragraphs and line[0].islower():
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        continues = not paragraphs[-1].endswith((*_TERMINAL, *_CLOSERS))
    return "\n\n".join(paragraphs)


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def paragraphs_of(cleaned: str) -> list[Paragraph]:
    paragraphs, offset = [], 0
    for block in cleaned.split("\n\n"):
        if block:
            paragraphs.append(Paragraph(len(paragraphs), offset, block))
        offset += len(block) + 2
    return paragraphs


@dataclass(frozen=True)
class QuoteSpan:
    """The text between one opening quote mark and its closing mark (or paragraph end).

    ``open_at`` is the offset of the opening mark, ``close_at`` the offset just after the
    closing mark (the paragraph end when the quote is left open). ``start``/``end`` delimit
    the content, trimmed of surrounding spaces. ``continues`` marks the paragraph of a quote
    that began in the previous paragraph; ``runs_on`` one that carries on into the next.
    """

    para: int
    open_at: int
    close_at: int
    start: int
    end: int
    open_mark: str
    close_mark: str  # "" when the quote is left open
    continues: bool = False
    runs_on: bool = False

    def text(self, cleaned: str) -> str:
        return squash(cleaned[self.start : self.end])


@dataclass(frozen=True)
class QuoteMarks:
    """Which marks open and close quotes in a language.

    ``pairs`` maps a strict opening mark to the marks that may close it; straight marks
    (in ``straight``) open or close by context. ``nested`` maps an outer opening mark to an
    inner pair whose marks are part of the quote's text.
    """

    pairs: dict[str, str]
    straight: str
    nested: dict[str, tuple[str, str]]
    single: bool = False  # also ‘…’ and '…' outside double quotes (headlines, British style)


ENGLISH_MARKS = QuoteMarks(
    pairs={"“": '”"“', "„": '“”"', "«": "»", '"': '"”“'},
    straight='"',
    nested={},
    single=True,
)
CHINESE_MARKS = QuoteMarks(
    pairs={"“": '”"“', "「": "」", "『": "』", '"': '"”“', "＂": '＂"”'},
    straight='"＂',
    nested={"「": ("『", "』"), "“": ("‘", "’")},
)
_ALL_OPENERS = "“„«「『"
_ALL_CLOSERS = "”»」』"


def _mark_context(text: str, i: int) -> tuple[bool, bool]:
    """(looks_opening, looks_closing) for a mark at ``text[i]`` from its neighbours."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    opening = (before.isspace() or before in "([{—–-/:：，,。（【") and not after.isspace()
    closing = not before.isspace() and (after.isspace() or after in ".,;:!?)]—–-…，。；：！？）、" or after in '"”’')
    return opening, closing


# A single-quoted stretch: an opening mark at the start of a word, a closing mark at the end
# of one (so "don't" and "companies' accounts" do not count), within 300 characters.
_SINGLE = re.compile(r"(?<![\w’'‘])[‘'](?=[^\W_])([^\n]{1,300}?[^\s])[’'](?![^\W_])")


def _single_quotes(para: Paragraph, taken: list[QuoteSpan]) -> list[QuoteSpan]:
    found = []
    for match in _SINGLE.finditer(para.text):
        start, end = para.start + match.start(), para.start + match.end()
        if any(span.open_at < end and start < span.close_at for span in taken):
            continue
        found.append(
            _span(para, match.start(), match.end() - 1, match.group()[0], match.group()[-1], False, runs_on=False)
        )
    return found


def find_quotes(paragraphs: list[Paragraph], marks: QuoteMarks) -> list[QuoteSpan]:
    """Pair quote marks into spans, in document order. One pass: O(length of the text).

    A paragraph that ends inside a quote carries it into the next paragraph when that one
    opens with a quote mark (one span per paragraph, the later ones ``continues``);
    otherwise the quote closes at the paragraph end. Nested pairs (『』 inside 「」) are
    part of the outer quote's text.
    """
    spans: list[QuoteSpan] = []
    carried = False
    for index, para in enumerate(paragraphs):
        text = para.text
        first = len(spans)
        opened_at: int | None = None
        opener = ""
        depth = 0
        continues = False
        pos = 0
        if carried:
            first = len(text) - len(text.lstrip())
            if first < len(text) and (text[first] in marks.pairs or text[first] in marks.straight):
                opened_at, opener, continues = first, text[first], True
                pos = first + 1
        carried = False
        i = pos
        length = len(text)
        while i < length:
            ch = text[i]
            if opened_at is None:
                if ch in marks.pairs:
                    opening, closing = _mark_context(text, i)
                    if ch in marks.straight and closing and not opening:
                        i += 1
                        continue  # a stray closing straight mark, an inch sign
                    opened_at, opener, depth = i, ch, 0
                elif ch == "”" and _mark_context(text, i) == (True, False):
                    # "”" typed where "“" belongs, at the start of a word
                    opened_at, opener, depth = i, "“", 0
                i += 1
                continue
            inner = marks.nested.get(opener)
            if inner and ch == inner[0]:
                depth += 1
            elif inner and ch == inner[1] and depth:
                depth -= 1
            elif ch in marks.pairs[opener] and not depth:
                if ch in _ALL_OPENERS and ch not in _ALL_CLOSERS and not _mark_context(text, i)[1]:
                    i += 1  # a “ inside the quote that is not in closing position: nested speech
                    continue
                if ch in marks.straight and opener not in marks.straight:
                    # a straight mark inside a curly quote closes it only in closing position
                    if not _mark_context(text, i)[1]:
                        i += 1
                        continue
                spans.append(_span(para, opened_at, i, opener, ch, continues, runs_on=False))
                opened_at, continues = None, False
            i += 1
        if opened_at is not None:
            nxt = paragraphs[index + 1].text.lstrip() if index + 1 < len(paragraphs) else ""
            runs_on = bool(nxt) and (nxt[0] in marks.pairs or nxt[0] in marks.straight)
            spans.append(_span(para, opened_at, length, opener, "", continues, runs_on=runs_on))
            carried = runs_on
        if marks.single and ("'" in text or "‘" in text):
            here = spans[first:]
            extra = _single_quotes(para, here)
            if extra:
                spans[first:] = sorted(here + extra, key=lambda span: span.open_at)
    return spans


def _span(para: Paragraph, opened: int, closed: int, opener: str, closer: str, continues: bool, *, runs_on: bool):
    text = para.text
    start, end = opened + 1, closed
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return QuoteSpan(
        para=para.index,
        open_at=para.start + opened,
        close_at=para.start + (closed + 1 if closer else closed),
        start=para.start + start,
        end=para.start + end,
        open_mark=opener,
        close_mark=closer,
        continues=continues,
        runs_on=runs_on,
    )
