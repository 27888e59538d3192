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
4. **The subject** of the cue is read by ``zh_mentions.parse_subject`` as ORG +
   (sub-unit) + TITLE + NAME, NAME (+ TITLE), a surname with a form of address, ORG
   alone, ORG + TITLE with no name, a pronoun (他/她), an organisation reference (该公司,
   该行) or a role reference (该负责人). A group (业内人士, 网友) gives no speaker.
5. **Discourse and choice** (``zh_discourse``, ``zh_options``, ``ranking``): people and
   organisations in text order; every reading of the subject, each paired with the
   organisations that may be the speaker's, is an option, and the attribution model
   (the same as for English) chooses among them and nobody. A continuation paragraph,
   an uncued quote right after a quote of the same paragraph, and a quote paragraph right
   after the speaker's offer the previous speaker. Nothing else is guessed.

All matching runs on ``to_simplified`` text; everything returned is sliced from the
article as written, at the same offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from registry.statements.core import NOBODY, Candidate, Speaker
from registry.statements.platforms import detect_platforms
from registry.statements.ranking import Chooser, model_chooser
from registry.statements.text import CHINESE_MARKS, QuoteSpan, find_quotes, paragraphs_of, squash
from registry.statements.zh_discourse import Discourse
from registry.statements.zh_lexicon import (
    SPEECH_VERBS,
    TITLES,
    to_simplified,
)
from registry.statements.zh_mentions import (
    CLAUSE_DELIMITERS,
    GROUP,
    HAN,
    TERMINATORS,
    UNKNOWN,
    Mention,
    Text,
    name_length_at,
    parse_subject,
)
from registry.statements.zh_options import QuoteSituation, quote_options

__all__ = ["extract_zh"]

_TERM_AFTER = re.compile(
    r"^(?:的(?:理念|口号|目标|要求|原则|精神|思路|战略|模式|标准|称号|概念|说法|格局|品牌|定位|主题|标签|名号|做法|路径|方针|愿景|"
    r"使命|承诺|新模式|新格局|新路径|作用|效应|现象|问题|局面)|账号|帐号|公众号|视频号|官微|官博|栏目|节目|品牌|系列|活动|计划|工程|"
    r"模式|战略|理念|称号|号|平台|矩阵|标签|话题|口号|主题|行动|项目|等|工作室|直播间|频道|专栏|专题|板块|服务|产品|应用|"
    r"小程序|App|APP|app|机制|体系|格局|奖|大赛|比赛|论坛|峰会|晚会|展|工作|战役|热潮|效应|现象|名片|IP|ip|形象|标识|"
    r"字样|一词|二字|两字|三个字|四个字|这个词|这一|之称|之名)"
    r"|^的[\u4e00-\u9fff]{1,4}(?:账号|帐号|公众号|视频号|博主|栏目|节目|频道|品牌|平台)"  # “…”的自媒体账号
)
_TERM_BEFORE = re.compile(
    r"(?:所谓|称为|称之为|被称为|被誉为|誉为|号称|名为|叫做|叫作|简称|俗称|昵称|冠以|命名为|取名|定名为|打造|推出|开设|开通|"
    r"创办|上线|发起|开展|举办|实施|提出|构建|形成|落实|推进|践行|秉持|坚持|围绕|聚焦|以|按照|遵循|贯彻|获评|荣获|获得|"
    r"入选|评为|搜索|关注|点击|输入|标注|写着|印有|印着|写有|挂着|打出|喊出|口号|主题为|主题是|题为|名叫|账号|"
    r"自称|即|和|与|及|、|或|的|在|号|频道|渠道|栏目|系列|节目|品牌|专栏|话题|标签|称号|入驻|加入|登录|进入|建立|创建|成立|组建|设立)$"
)


# --------------------------------------------------------------------------- cues


def _verb_at_end(text: str) -> str | None:
    told = _TOLD_REPORTER.search(text)
    if told and told.start() > 0:  # "告诉界面新闻记者", "对澎湃新闻记者说"
        return told.group()
    return next((verb for verb in SPEECH_VERBS if text.endswith(verb) and len(text) > len(verb)), None)


# Telling a reporter of a named outlet, or "so saying": speech verbs with words inside them.
_TOLD_REPORTER = re.compile(
    r"(?:告诉|对|向|跟)[\u4e00-\u9fffA-Za-z]{0,10}?(?:记者|媒体|笔者)(?:表示|说|称|介绍|透露|坦言|直言)?$|(?:如是|这样|如此)说(?:道)?$"
)


def _clause_before(text: Text) -> Text:
    """The last clause of ``text``: after its last comma, full stop or other delimiter."""
    cut = max(text.s.rfind(ch) for ch in CLAUSE_DELIMITERS)
    return text.cut(cut + 1)


def _subject_of_cue(clause: Text) -> Mention | None:
    """``clause`` ends with a speech verb: read its subject (据…介绍 included)."""
    clause = clause.strip(" ：:，,")
    verb = _verb_at_end(clause.s)
    if verb is None:
        return None
    subject = clause.cut(0, len(clause) - len(verb))
    while (inner := _verb_at_end(subject.s.rstrip("着地"))) is not None:
        # "解释说", "坦言道", "笑着告诉记者": a speech verb before the last one
        stripped = subject.s.rstrip("着地")
        if len(stripped) - len(inner) < 2:
            break
        subject = subject.cut(0, len(stripped) - len(inner))
    if subject.s.startswith("据"):
        subject = subject.cut(1)
    if subject.s.endswith(("据了解", "据悉", "据报道", "据介绍")) or subject.s in ("", "据"):
        return None
    found = parse_subject(subject)
    return found if found is not None else UNKNOWN


def _post_cue(right: Text) -> Mention | None:
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
            return parse_subject(clause.cut(0, so.start())) or UNKNOWN
        if number == 1 and clause.s.startswith(("一边", "一面", "边")) and _verb_at_end(clause.s.strip()):
            # "“……”赵宏亮一边检查转向架，一边对着镜头说": the subject of the first action
            first = sentence.cut(0, sentence.s.find("，") if "，" in sentence.s else 0)
            both = re.search(r"(?:一边|一面|边)", first.s)
            if both is not None and both.start() > 0:
                return parse_subject(first.cut(0, both.start())) or UNKNOWN
        if number == 0 or _verb_at_end(clause.s.strip()):
            found = _subject_of_cue(clause)
            if found is not None:
                return found
        if number >= 1:
            break
    return None


def _pre_cue(left: Text) -> Mention | None:
    """``SUBJECT VERB：“…”`` or ``据SUBJECT介绍，“…”`` ending right at the quote."""
    tail = left.s.rstrip(" ")
    if not tail or tail[-1] not in "：:，," and _verb_at_end(tail) is None:
        return None
    stripped = left.strip(" ：:，,")
    return _subject_of_cue(_clause_before(stripped))


def _sentence_cue(sentence: Text) -> Mention | None:
    """A quote inside a sentence: the sentence's first clause ``SUBJECT VERB，``."""
    comma = min((i for i in (sentence.s.find(ch) for ch in "，,：:") if i >= 0), default=-1)
    if comma <= 0:
        return None
    view = _IN_VIEW.fullmatch(sentence.s[:comma].strip())
    if view:  # "在他看来，……": his view
        return parse_subject(sentence.cut(view.start(1), view.end(1))) or UNKNOWN
    found = _subject_of_cue(sentence.cut(0, comma))
    if found is None and _TOPIC.match(sentence.s):
        # "对于外界关心的问题，贺文博坦言，……": a topic first, then who speaks
        rest = sentence.cut(comma + 1)
        return _sentence_cue(rest) if _TOPIC.match(rest.s) is None else None
    return found


# A clause that sets the topic or the scene before the subject (对于…，在…时，随着…).
_TOPIC = re.compile(r"^(?:对于|关于|针对|谈到|谈及|说到|面对|至于|随着|在[^，,]{1,30}(?:时|上|中|后|前|里|期间))")
_IN_VIEW = re.compile(r"(?:在|据)(.{1,24}?)(?:看来|眼中|眼里)")


def _sentence_tail(left: Text) -> Text:
    cut = max(left.s.rfind(ch) for ch in TERMINATORS)
    return left.cut(cut + 1)


def _is_clause(quote: str) -> bool:
    """The quoted text reads as a sentence or clause, not a name or term."""
    return bool(re.search(r"[，,。！？!?；;：:]", quote)) or len(quote) >= 16


# --------------------------------------------------------------------------- the pipeline


@dataclass
class _Found:
    span: QuoteSpan
    speaker: Speaker
    speech: bool


# "人民网北京4月18日电（记者 韩雪松）", "新华社北京5月1日电": a dateline opening a paragraph.
_DATELINE = re.compile(r"^[^，。“”「」]{0,24}?(?:电|讯|消息)\s*(?:[（(][^）)]{0,30}[）)])?\s*")
# "刘振宇把这种转变概括为“从播报到对话”": words the subject puts it in.
_PUT_AS = re.compile(r"把[^，。！？“”「」]{1,24}?(?:概括|形容|总结|比喻|比作|描述|定义|归纳|称)为$")
# "有网友评论“……”", "网友留言：“……”": posted words of unnamed people.
_POSTED = re.compile(r"(?:评论|留言|写道|弹幕|回复|感叹|直呼|调侃|吐槽|发帖|刷屏)[：:]?$")


def extract_zh(cleaned: str, *, chooser: Chooser | None = None) -> list[Candidate]:
    """Direct quotes of a cleaned Chinese article with their speakers, in document order.

    ``chooser`` picks each quote's attribution among its options (``zh_options``); by
    default the trained model (``ranking.load_model()``)."""
    paragraphs = paragraphs_of(cleaned)
    simple = to_simplified(cleaned)
    article = Text(simple, cleaned)
    spans = find_quotes(paragraphs, CHINESE_MARKS)
    discourse = Discourse(simple, cleaned, paragraphs)
    choose = chooser or model_chooser()
    quote_only = _quote_only_paragraphs(paragraphs, spans, simple)
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

        situation = QuoteSituation(
            span.open_at,
            span.para,
            quote_only[span.para],
            previous.speaker if previous else NOBODY,
            previous.span.para if previous else -1,
        )
        if span.continues and found and found[-1].speech:
            own, cue = _governing_cue(span, quote, left, right, article, paragraphs, None)
            options = quote_options(discourse, situation, mention=own, cue=cue, inherit="" if cue else "continuation")
            speaker = choose(squash(cleaned[span.start : span.end]), options).speaker
            if cue and not found[-1].speaker.known:
                found[-1] = _Found(found[-1].span, speaker, True)
            discourse.spoke(speaker, span.open_at)
            found.append(_Found(span, speaker, True))
            boundary = span.close_at
            continue
        mention, cue = _governing_cue(span, quote, left, right, article, paragraphs, prev)
        ending = para.text.rstrip('”」』" ')
        headline = span.para == 0 and len(para.text) <= 60 and not ending.endswith(("。", "！", "？"))
        speech = _is_speech(quote, left, right, bool(cue), headline=headline)
        if not speech:
            found.append(_Found(span, NOBODY, False))
            continue
        tail = _sentence_tail(left).s.strip(" ，,")
        inherit = ""
        if cue:
            pass
        elif prev is not None and prev.speech and not tail:
            inherit = "same_para"  # “A。”他说。“B。”
        elif (caption := _caption_after(span, left, right, paragraphs, article)) is not None:
            mention, cue = caption, "caption"  # “……” ——应届毕业生 付雨桐
        elif prev is None and not left.s.strip() and (scene := _scene_after(right)) is not None:
            mention, cue = scene, "scene"  # “……”晚上8点，在…里，店长王丽娟对着镜头介绍商品。
        elif not tail and (reported := _reported_before(left)) is not None:
            mention, cue = reported, "reported"  # 他说，……。“……”
        elif (
            prev is None
            and not left.s.strip()
            and previous is not None
            and previous.speaker.known
            and previous.span.para == span.para - 1
            and _ends_with_statement(paragraphs[span.para - 1], previous.span)
        ):
            inherit = "next_para"  # a quote paragraph right after the speaker's paragraph
        if inherit == "same_para":
            situation = QuoteSituation(
                situation.position, span.para, situation.quote_only_para, prev.speaker, span.para
            )
        options = quote_options(discourse, situation, mention=mention, cue=cue, inherit=inherit)
        speaker = choose(squash(cleaned[span.start : span.end]), options).speaker
        discourse.spoke(speaker, span.open_at)
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


def _quote_only_paragraphs(paragraphs, spans: list[QuoteSpan], simple: str) -> list[bool]:
    """For each paragraph: it holds nothing but quotes."""
    outside = [[] for _ in paragraphs]
    cursor = {p.index: p.start for p in paragraphs}
    for span in spans:
        outside[span.para].append(simple[cursor[span.para] : span.open_at])
        cursor[span.para] = span.close_at
    result = []
    for para in paragraphs:
        if not outside[para.index]:
            result.append(False)
            continue
        rest = "".join(outside[para.index]) + simple[cursor[para.index] : para.end]
        result.append(not re.sub(r"[\s。，、；：！？…—“”「」『』\"]+", "", rest))
    return result


def _caption_after(span: QuoteSpan, left: Text, right: Text, paragraphs, article: Text) -> Mention | None:
    """A quote alone in its paragraph, and a next line "——TITLE NAME" naming who said it."""
    if left.s.strip() or right.s.strip(" 。") or span.para + 1 >= len(paragraphs):
        return None
    following = paragraphs[span.para + 1]
    line = article.cut(following.start, following.end)
    dash = re.match(r"\s*(?:——|—|--|－－)\s*", line.s)
    if dash is None or len(line) > 40:
        return None
    subject = line.cut(dash.end())
    subject = Text(subject.s.replace(" ", ""), subject.o.replace(" ", ""))
    mention = parse_subject(subject)
    return mention if mention is not None and mention.name else None


# The person a scene after a paragraph's opening quote shows doing something: in the same
# sentence, after clauses of time or place, a clause opening with ORG + TITLE + NAME or NAME.
_SCENE_SETTING = re.compile(
    r"^(?:在|于|当|从|每当|晚上|早上|上午|下午|凌晨|傍晚|深夜|清晨|如今|此时|这时|[0-9一二三四五六七八九十]+[点时月日年])"
)
_SCENE_TITLES = re.compile("|".join(re.escape(t) for t in TITLES))


def _scene_after(right: Text) -> Mention | None:
    sentence = right.s.lstrip(" ")
    end = min((i for i in (sentence.find(ch) for ch in "。！？!?；;\n“「") if i >= 0), default=len(sentence))
    offset = len(right.s) - len(sentence)
    start = 0
    for clause_end in [i for i, ch in enumerate(sentence[:end]) if ch in "，,"] + [end]:
        clause = sentence[start:clause_end]
        if not clause or _SCENE_SETTING.match(clause) is None or clause_end == end:
            return _person_opening(right.cut(offset + start, offset + clause_end)) if clause else None
        start = clause_end + 1
    return None


def _person_opening(clause: Text) -> Mention | None:
    """The person a clause opens with: ORG + TITLE + NAME (the first title within 24
    characters, then a name). A bare name is not enough: running text opens with words
    that read as names (谈直播)."""
    title = _SCENE_TITLES.search(clause.s, 0, 24)
    if title is None:
        return None
    length = name_length_at(clause.s, title.end()) if title.end() < len(clause) else 0
    if not length:
        return None
    mention = parse_subject(clause.cut(0, title.end() + length))
    return mention if mention is not None and mention.name else None


def _ends_with_statement(paragraph, span: QuoteSpan) -> bool:
    """The paragraph ends with the quote or with its short attribution ("……”他说。")."""
    return len(paragraph.text) - (span.close_at - paragraph.start) <= 20


def _reported_before(left: Text) -> Mention | None:
    """The sentence before the quote opens with "SUBJECT VERB，" (reported speech)."""
    text = left.s.rstrip()
    if not text or text[-1] not in TERMINATORS:
        return None
    body = left.cut(0, len(text) - 1)
    sentence = _sentence_tail(body)
    mention = _sentence_cue(sentence)
    return None if mention is UNKNOWN else mention


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


def _governing_cue(span, quote, left, right, article, paragraphs, prev) -> tuple[Mention | None, str]:
    """(subject, the kind of the speech cue that governs the quote; "" when none does)."""
    if left.s.rstrip(" ").endswith(("：", ":")) and quote.rstrip(' ”’"').endswith(("。", "！", "？", "!", "?", "…")):
        # ``NAME表示：“……。”他同时透露`` : the quote closes its sentence, what follows is a new one
        pre = _pre_cue(left)
        if pre is not None and pre is not UNKNOWN:
            return pre, "pre"
    post = _post_cue(right)
    if post is not None:
        return post, "post"
    if _post_group_cue(right):
        return GROUP, "post"
    pre = _pre_cue(left)
    if pre is not None:
        return pre, "pre"
    before = left.s.rstrip(" ")
    if _PUT_AS.search(before):
        mention = _sentence_cue(Text(_sentence_tail(left).s + "，", _sentence_tail(left).o + "，")) or _subject_before(
            left, _PUT_AS.search(before).start()
        )
        return mention or UNKNOWN, "put_as"
    if _POSTED.search(before):
        return GROUP, "posted"
    pledge = re.search(r"(?:承诺|呼吁|号召|誓言|保证|表示要|强调要|提出要|要求)$", before)
    if pledge:  # "并承诺“不做僵尸不作秀”": the words of the clause's subject
        mention = _sentence_cue(Text(_sentence_tail(left).s + "，", _sentence_tail(left).o + "，"))
        return mention or UNKNOWN, "partial"
    if before.endswith(("：", ":")):
        subject = _clause_before(left.strip(" ：:"))
        mention = parse_subject(subject) if len(subject) <= 20 else None
        if mention is not None and (mention.org_speaks or mention.name):
            return mention, "colon"  # a headline's "国网浙江电力：“……”"
    tail = _sentence_tail(left)
    if not tail.s.strip() and span.para > 0 and prev is None:
        previous = paragraphs[span.para - 1]
        if previous.text.rstrip().endswith(("：", ":")):
            mention = _pre_cue(article.cut(previous.start, previous.end))
            if mention is not None:
                return mention, "colon"
    if tail.s.strip(" ，,"):
        mention = _sentence_cue(tail)
        if mention is not None:
            return mention, "partial"
    return None, ""


# Verbs whose quoted object is the claim answered, denied or rumoured, not the speaker's words.
_ANSWERED = re.compile(r"(?:回应|否认|澄清|辟谣|驳斥|针对|关于|网传|传言|传闻|谣传|所谓)$")


def _subject_before(left: Text, end: int) -> Mention | None:
    clause = _clause_before(left.cut(0, end))
    return parse_subject(clause)


def _post_group_cue(right: Text) -> bool:
    head = right.s.strip(" ，,")[:12]
    return bool(
        re.match(r"(?:有|一位|一名|不少|很多|许多)?(?:网友|业内人士|市民|居民|用户|消费者|专家)", head)
    ) and bool(_verb_at_end(re.split(r"[，,。！？]", head)[0] or ""))


def _is_speech(quote: str, left: Text, right: Text, cued: bool, *, headline: bool = False) -> bool:
    quote = quote.strip()
    if not quote or not HAN.search(quote) and len(quote.split()) < 3:
        return False
    before = left.s.rstrip(" ")
    after = right.s.lstrip(" ")
    if _TERM_BEFORE.search(before) and not _is_clause(quote) and not _PUT_AS.search(before):
        return False
    if not _is_clause(quote) and _TERM_AFTER.match(after) and after[:1] not in "，,。！？!?；;":
        return False
    if not _is_clause(quote) and _ANSWERED.search(before):
        return False  # 回应“网传裁撤营业厅”: what is answered or denied, not what is said
    if cued:
        return _is_clause(quote) or len(quote) >= 6
    if headline:
        return False
    # no cue: a quote standing as a sentence of its own
    opens_sentence = not _sentence_tail(left).s.strip(" ，,")
    ends_sentence = quote.endswith(tuple(TERMINATORS)) or after[:1] in TERMINATORS or not after
    return opens_sentence and ends_sentence and _is_clause(quote)
