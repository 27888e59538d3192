"""Direct quotes (and paraphrases) in English articles and who said them.

The extractor follows the structure of attribution rather than one pattern per phrasing:

1. **Quote spans** (``text.find_quotes``): straight and curly marks, mixed; a quote that
   runs over paragraphs gives one span per paragraph, the later ones *continuations*.
2. **Speech or not** (``_is_statement``): a span is a statement when a speech cue governs
   it, or when it stands as a sentence of its own. One- and two-word quotes, Title-Cased
   names of things ("Belt and Road"), and quotes inside a clause that no speech cue or
   speech-like verb governs ("the so-called “two micro, one end” strategy") are not.
3. **The governing cue** (``_cue_for``), tried in this order -- the choice rules:

   a. a continuation paragraph belongs to the quote it continues;
   b. the second part of a split quote (“A,” said X, “B.”) takes the cue between the parts;
   c. the clause right after the quote: “...,” said NAME, TITLE / “...,” NAME said /
      “...?” asked NAME / “...,” the company said in a statement / “...,” he told Reuters;
   d. the clause right before it: NAME, TITLE, said: “...” / ORG's TITLE NAME said “...” /
      According to NAME, “...” / ..., adding: “...” / NAME told a news agency that “...”;
   e. a paragraph ending in "NAME said:" introduces the quote opening the next paragraph;
   f. a partial quote inside a clause whose verb takes speech as its object ("calling it",
      "vowed to", "they expect", "described the move as"): the clause's subject;
   g. a quote-only paragraph followed by a caption-like line that is only a name and
      title ("-- Li Wei, CEO of X");
   h. otherwise, a quote right after a quote of the same paragraph (“A.” he said. “B.”),
      or a paragraph of quotes right after a paragraph whose quotes had a speaker, keeps
      that speaker. Anything else stays unattributed: a speaker is never guessed.

4. **Candidate speakers** (``en_mentions.parse_subject``): the subject of the cue is read
   as a name with titles and organisation, a nameless role, an organisation, a pronoun or
   a reference ("the company", "the state-owned firm").
5. **Discourse and choice** (``en_discourse``, ``en_options``, ``ranking``): every reading
   of the subject the article allows (a surname, he/she, "the company" ...), each paired
   with the organisations that may be the speaker's, is an option; the attribution model
   chooses among them and nobody. The grammar's own reading comes first.

Output conventions: ``speaker`` is a person or ``None``; an organisation speaking as itself
has ``speaker=None`` and ``org`` set; a nameless speaker ("a Sinopec spokesperson") keeps
role and org. Paraphrases (reported speech) come from ``en_paraphrase`` with
``kind="paraphrase"`` and are never merged with quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from registry.statements import en_lexicon as lx
from registry.statements.core import NOBODY, Candidate, Speaker
from registry.statements.en_discourse import Discourse
from registry.statements.en_mentions import (
    Attribution,
    Event,
    Mention,
    document_orgs,
    first_sentence,
    last_sentence,
    looks_like_org,
    name_spans,
    parse_subject,
    sentence_ends,
)
from registry.statements.en_options import QuoteSituation, quote_options
from registry.statements.en_paraphrase import description_events, intro_events, mention_events, paraphrase_events
from registry.statements.platforms import detect_platforms
from registry.statements.ranking import Chooser, model_chooser
from registry.statements.text import ENGLISH_MARKS, Paragraph, QuoteSpan, find_quotes, paragraphs_of, squash

__all__ = ["Discourse", "extract_en"]

# How far from a quote the cue may be looked for: bounds the work per quote, so a paragraph
# with hundreds of quote marks stays linear.
_WINDOW = 600


# --------------------------------------------------------------------------- speech or not


def _is_title_like(text: str) -> bool:
    text = text.rstrip(",")
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    small = {"and", "of", "the", "in", "for", "on", "to", "a", "an", "with", "&", "at", "by"}
    return (
        bool(words)
        and not text.rstrip().endswith((*lx.TERMINAL, ",", ";", ":"))
        and all(w[0].isupper() or w in small for w in words)
    )


def _ends_with_speech_intro(left: str) -> bool:
    tail = left.rstrip()
    if not tail:
        return True
    if tail[-1] in '.!?:”"…—–-([,;':
        return True
    return bool(re.search(rf"(?:{lx.VERB}|\bthat|\bas follows)$", tail))


def _stands_alone(text: str, before: str, after: str) -> bool:
    """An unattributed quote is a statement only as a sentence of its own."""
    if last_sentence(before).strip(" ,;:—–-"):
        return False
    return text.endswith((*lx.TERMINAL, ",")) or not after.strip() or after.lstrip()[:1] in lx.TERMINAL


# --------------------------------------------------------------------------- cues


def post_attribution(after: str, offset: int, known: frozenset[str]) -> Attribution | None:
    """“...,” said NAME, TITLE / “...,” NAME said / “...,” the ministry said in a statement."""
    clause = first_sentence(after[:_WINDOW])
    stripped = clause.lstrip(" ,;—–-")
    position = offset + len(clause) - len(stripped)
    stripped = stripped.rstrip(" .!?")
    if not stripped:
        return None
    match = lx.POST_VERB_FIRST.match(stripped)
    read = re.match(r"(?:read|reads)\s+(?P<subject>.+)$", stripped)
    if read and not match:  # “...,” read a statement from Haier
        mention = parse_subject(read.group("subject"), known, verb_first=True)
        return Attribution(mention, position, "post") if mention and _is_document(mention) else None
    if match:
        mention = parse_subject(match.group("subject"), known, verb_first=True)
    else:
        match = lx.POST_SUBJECT_FIRST.match(stripped)
        if not match or lx.VERB_RE.search(match.group("subject")):
            return None
        mention = parse_subject(match.group("subject"), known, verb_first=False)
    return Attribution(mention, position, "post") if mention else None


def pre_attribution(before: str, offset: int, known: frozenset[str]) -> Attribution | None:
    """NAME, TITLE, said: “...” / ORG's TITLE NAME said “...” / According to NAME, “...”."""
    before = before[-_WINDOW:]
    offset = offset + max(0, len(before) - _WINDOW)
    sentence = last_sentence(before)
    start = offset + len(before) - len(sentence)
    according = re.search(r"\baccording to\s+(?P<subject>[^,“”\"]+),\s*$", sentence, re.I)
    if according:
        mention = parse_subject(according.group("subject"), known, verb_first=True)
        return Attribution(mention, start + according.start("subject"), "according") if mention else None
    participle = lx.PARTICIPLE_INTRO.search(sentence)
    if participle:
        found = post_attribution(sentence[: participle.start()] + ".", start, known)
        return replace(found, kind="pre") if found else None
    read = re.search(r"^(?P<subject>.+?)\s+(?:read|reads)\s*[:,]?\s*$", sentence)
    if read:  # Haier's statement read: “...”
        mention = parse_subject(read.group("subject"), known, verb_first=False)
        if mention is not None and _is_document(mention):
            return Attribution(mention, start, "pre")
    for verb in reversed(list(lx.VERB_RE.finditer(sentence))):
        tail = sentence[verb.end() :]
        tail_re = lx.TOLD_TAIL if verb.group() in lx.INTRO_VERBS else lx.INTRO_TAIL
        if not (tail_re.fullmatch(tail) or lx.INTRO_TAIL.fullmatch(tail)):
            continue
        mention = parse_subject(sentence[: verb.start()], known, verb_first=False)
        return Attribution(mention, start, "pre") if mention else None
    return None


def _is_document(mention: Mention) -> bool:
    """A document or an organisation speaking through one ("the notice", "Haier's statement")."""
    return mention.document or (mention.is_org and mention.pronoun is None)


def _is_split_gap(gap: str, known: frozenset[str]) -> bool:
    """True for the gap in “First part,” said NAME, “second part.”"""
    stripped = gap.strip()
    return (
        stripped.endswith((",", ":"))
        and not sentence_ends(stripped.rstrip(",:"))
        and post_attribution(stripped.rstrip(",:") + ".", 0, known) is not None
    )


# --------------------------------------------------------------------------- quotes


@dataclass(frozen=True)
class _Context:
    span: QuoteSpan
    text: str
    before: str  # from the previous quote of the paragraph (or its start) to the opening mark
    after: str  # from the closing mark to the next quote of the paragraph (or its end)
    left_start: int
    prev: QuoteSpan | None  # the previous quote of the same paragraph


def _contexts(cleaned: str, paragraphs: list[Paragraph], spans: list[QuoteSpan]) -> list[_Context]:
    contexts = []
    for index, span in enumerate(spans):
        para = paragraphs[span.para]
        prev = spans[index - 1] if index and spans[index - 1].para == span.para else None
        nxt = spans[index + 1] if index + 1 < len(spans) and spans[index + 1].para == span.para else None
        left_start = max(prev.close_at if prev else para.start, span.open_at - _WINDOW)
        right_end = min(nxt.open_at if nxt else para.end, span.close_at + _WINDOW)
        contexts.append(
            _Context(
                span,
                span.text(cleaned),
                cleaned[left_start : span.open_at],
                cleaned[span.close_at : right_end],
                left_start,
                prev,
            )
        )
    return contexts


# Words right before a quote that make it the name of a thing, not words someone said:
# strong ones whatever the quote's length, weak ones (articles, possessives) for short quotes.
_NAMING_STRONG = re.compile(
    r"(?:\bso-called|\btitled|\bentitled|\bnamed|\bnicknamed|\bdubbed|\bknown\s+(?:\w+\s+){0,5}?as(?:\s+the)?"
    r"|\bslogan(?:\s+is)?|\bmotto(?:\s+is)?|\bhashtag(?:\s+[\w-]+){0,3}|\bcalls|\b(?:commonly|now|also|widely)\s+called"
    r"|\bwhat\s+(?:\w+\s+){0,2}call(?:s|ed)?|\bis\s+called|\breferred\s+to\s+as|\b(?:term|phrase|word|label)"
    r"|\bdescribes?\s+(?:itself|themselves|himself|herself)\s+as|,\s*called)\s*[,:]?\s*$",
    re.I,
)
_NAMING_WEAK = re.compile(
    r"(?:\baccount|\bchannel|\bcolumn|\bseries|\bprogramme|\bprogram|\bcampaign|\bbrand|\bsuch\s+as|\blike"
    r"|\bthe|\ba|\ban|\bits|\btheir|\bhis|\bher|\bour|\bverified|\bdormant|\bonly|\bcalled)\s*[,:]?\s*$",
    re.I,
)
# After a quote: an apposition saying it is a name ('"the little editors", a nickname that ...').
_NAMED_AFTER = re.compile(
    r"^[”\"’']?\s*,?\s*(?:(?:a|an|the|their|its|his|her)\s+)?(?:[a-z-]+\s+)?(?:nickname|moniker|term|phrase|label|"
    r"slogan|catchphrase|buzzword|tagline|motto|epithet)s?\b",
    re.I,
)
# Before it: people naming something ("colleagues call them", "locals call it").
_CALL_OBJECT = re.compile(r"\bcall\s+(?:them|it|him|her|themselves|itself|the\s+\w+|their\s+\w+)\s*$", re.I)
# After a quote: a verb, so the quote was the subject of a clause of reported speech.
_VERB_AFTER = re.compile(r"^\W*\s*(?:had|has|have|was|were|is|are|would|will|could|can|should|may|might)\b")
_DOCUMENTS = re.compile(
    r"^(?:the|this|that|its)\s+(?:\w+\s+)?(?:notice|statement|report|circular|document|guidelines?|rules|post|"
    r"announcement|letter|reply|response|filing|plan|regulation|provisions|measures)$",
    re.I,
)


# Verbs that give a partial quote inside a clause to the clause's subject.
_GOVERNING = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|wrote|writes|noted|notes|stressed|stresses|described|describes|describing"
    r"|calling|called|calls|call|vowed|vows|vowing|pledged|pledges|pledging|promised|promises|promising|urged|urges|urging"
    r"|warned|warns|warning|expects?|expected|expecting|hopes?|hoped|aims?|aimed|aiming|wants?|wanted|insisted|argued"
    r"|admitted|acknowledged|conceded|labell?ed|branded|characteri[sz]ed|praised|critici[sz]ed|announced|declared"
    r"|reiterated|committed|worried|believes?|believed|thinks?|thought|feels?|felt|according\s+to|replied|responded"
    r"|confirmed|explained|complained|asked|stated|states|insists|argues|predicted|predicts|estimated|called\s+for"
    r"|saying|adding|noting|explaining|stressing|insisting|arguing|claiming|claimed|claims|recalled|recalling"
    r"|declaring|declared|pledging|announcing|promising|vowing|cautioned|cautioning|maintained|maintaining|quipped"
    r"|tweeted|pointed\s+out|pointing\s+out|reckoned|reckons|boasted|boasting|revealed|revealing|disclosed"
    r"|assured|assuring|advised|advising|admits|admitting|conceding|warning|urging|dubbing|dubbed)\b",
    re.I,
)
_PARTICIPLE = re.compile(
    r"^(?:adding|noting|saying|describing|calling|vowing|pledging|promising|urging|warning|explaining)"
)


_WITH_SUBJECT = re.compile(
    r"\bwith\s+(?P<subject>(?:the\s+)?[A-Z][\w&'’.-]*(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z][\w&'’.-]*)*)\s+$"
)


def _words(text: str) -> int:
    return len(text.split())


def _subject_of_clause(sentence: str, offset: int, known: frozenset[str]) -> Attribution | None:
    """The subject of the last governing verb in ``sentence`` (the quote follows it)."""
    for verb in reversed(list(_GOVERNING.finditer(sentence))):
        head = sentence[: verb.start()]
        absolute = _WITH_SUBJECT.search(head) if verb.group().lower().endswith("ing") else None
        if absolute:  # "..., with Air China describing its offer as “...”": the subject after "with"
            mention = parse_subject(absolute.group("subject"), known, verb_first=False)
            if mention is not None:
                return Attribution(mention, offset, "partial")
        if _PARTICIPLE.match(verb.group().lower()) and head.rstrip().endswith(","):
            # "..., Zhu said, describing the guidelines as": the subject of the main clause
            found = pre_attribution(head.rstrip().rstrip(",") + ":", offset, known) or _subject_of_clause(
                head.rstrip().rstrip(","), offset, known
            )
            if found:
                return found
            main = _main_subject(head, known)  # "X apologized ..., saying its services had “...”"
            if main is not None:
                return Attribution(main, offset, "partial")
            continue
        if verb.group().lower() == "according to":
            mention = parse_subject(sentence[verb.end() :].split(",")[0], known, verb_first=True)
        else:
            mention, _ = _clause_subject(head, known)
        if mention is not None:
            return Attribution(mention, offset, "partial")
    return None


_CLAUSE_BREAK = re.compile(
    r"\b(?:that|which|who|because|while|when|after|before|if|say|says|said|told|think|thinks)\b|[;:—]"
)
_REPORTING = frozenset({"say", "says", "said", "told", "think", "thinks"})
_NON_RESTRICTIVE = re.compile(r",\s*(?:which|who|whose)\b[^,]*,")


def _clause_subject(head: str, known: frozenset[str]) -> tuple[Mention | None, bool]:
    """(the subject of the clause ``head`` ends in, whether a reporting verb governs that clause).

    Words quoted inside reported speech are the reporter's: in "the company said it wanted
    to “...”" and "Li said the firm would “...”" the subject of "said" is the speaker."""
    head = _NON_RESTRICTIVE.sub(" ", head)  # "The bank, which has 300 branches, said a “...”"
    breaks = list(_CLAUSE_BREAK.finditer(head))
    clause = head[breaks[-1].end() :] if breaks else head
    if breaks and breaks[-1].group() in _REPORTING:
        reporter, _ = _clause_subject(head[: breaks[-1].start()], known)
        if reporter is not None or clause.strip():
            return reporter, True
    return (parse_subject(clause, known, verb_first=False) if clause.strip() else None), False


_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]+,[^—–]{0,40}?(?:--|—|–)\s*")


def _main_subject(head: str, known: frozenset[str]) -> Mention | None:
    """The name opening the sentence ``head`` when a verb follows it: "China Eastern
    Airlines on Sunday apologized to passengers ..."."""
    text = _DATELINE.sub("", head.strip())
    spans = name_spans(text)
    if not spans or text[: spans[0].start].strip() not in ("", "The", "the"):
        return None
    if not text[spans[0].end :].lstrip()[:1].islower():
        return None
    return parse_subject(text[: spans[0].end], known, verb_first=False)


def _is_headline(paragraphs: list[Paragraph], index: int) -> bool:
    para = paragraphs[index].text
    return index == 0 and _words(para) <= 30 and not para.rstrip("”\"’' ").endswith((".", "!", "?"))


def _classify(
    context: _Context, paragraphs: list[Paragraph], known: frozenset[str]
) -> tuple[bool, Attribution | None, bool]:
    """(is a statement, the attribution found, a headline quote)."""
    span, text, before, after = context.span, context.text, context.before, context.after
    if _words(text) < 2:
        return False, None, False
    lead = last_sentence(before)
    stripped_lead = lead.strip()
    if _is_headline(paragraphs, span.para):
        attribution = _subject_of_clause(stripped_lead, context.left_start, known) if stripped_lead else None
        return True, replace(attribution, kind="headline") if attribution else None, True
    title_like = _is_title_like(text)
    bare_lead = stripped_lead.rstrip(":")
    if stripped_lead and _NAMING_STRONG.search(bare_lead):
        return False, None, False
    if _words(text) <= 6 and (_NAMED_AFTER.match(after) or (stripped_lead and _CALL_OBJECT.search(bare_lead))):
        return False, None, False
    if stripped_lead and _NAMING_WEAK.search(bare_lead) and (_words(text) <= 4 or title_like):
        # 'said a "system upgrade" had caused': an article after a speech verb, a verb after
        if not (re.search(r"\b(?:said|says|told)\s+(?:a|an|the)$", bare_lead) and _VERB_AFTER.match(after)):
            return False, None, False
    if title_like and not stripped_lead.endswith(":"):
        return False, None, False
    attribution = _attribution_for(context, paragraphs, known)
    if attribution is not None:
        return True, attribution, False
    if not stripped_lead:
        if _words(text) < 3:
            return False, None, False
        # 'Song added that the successful cases ... "The banks that do well ..."': the quote
        # carries on the reported speech of the sentence before it in the paragraph
        body = before[: len(before) - len(lead)].rstrip()
        earlier = last_sentence(body[:-1] if body.endswith(lx.TERMINAL) else body)
        said = re.search(r"\b(?:said|says|added|adds|noted|notes|explained|stressed|argued|warned|told)\b", earlier)
        if said and earlier and not any(mark in earlier for mark in lx.ALL_MARKS):
            mention = parse_subject(earlier[: said.start()], known, verb_first=False)
            if mention is not None:
                return True, Attribution(mention, context.span.open_at, "reported"), False
        return True, None, False
    if stripped_lead.endswith(":"):
        # "one of the most-liked posts read:" -- written words of unnamed people
        wrote = re.search(r"\b(?:read|reads|wrote|writes|posted|commented|replied)\s*:$", stripped_lead)
        return _words(text) >= 5 or bool(wrote), None, False
    if stripped_lead[-1] in ",;—–-(" and _words(text) >= 3 and _ends_with_speech_intro(lead):
        return True, None, False
    # a partial quote inside a clause: the clause's subject, when a speech-like verb governs it
    verbs = list(_GOVERNING.finditer(lead))
    if not verbs:
        return False, None, False
    between = lead[verbs[-1].end() :]
    reported = re.search(
        r"\b(?:it|they|he|she|we)\s+(?:would|will|should|must|could|was|were|is|are|had|has)\s*$", between
    )
    if _words(text) <= 4 and _words(between) > 6 and not reported:
        return False, None, False  # a short quote far from the verb: a term in the clause
    found = _subject_of_clause(lead, context.left_start, known)
    if found is not None:  # the subject is read where the quote stands: what it refers to comes before
        found = replace(found, position=context.span.open_at)
    return True, found, False  # without a subject: the words of an unnamed group ("officials worried")


def _attribution_for(context: _Context, paragraphs: list[Paragraph], known: frozenset[str]) -> Attribution | None:
    span, text, before, after = context.span, context.text, context.before, context.after
    # (c) after the quote. A full stop inside the marks ends the sentence: what follows is a
    # new sentence, not an attribution ("“We grew.” He said the firm ..."), unless it
    # opens in lower case.
    if not text.endswith(".") or after.lstrip()[:1].islower() or after.lstrip()[:1] == ",":
        found = post_attribution(after, span.close_at, known)
        if found:
            return found
    remark = lx.MADE_REMARK.match(after[:_WINDOW])
    if remark:  # “...” NAME, TITLE, made the remark at a forum.
        mention = parse_subject(remark.group("subject") or remark.group("subject2"), known, verb_first=False)
        if mention is not None:
            return Attribution(mention, span.close_at, "remark")
    if not before.strip() and not after.strip(" .") and span.para + 1 < len(paragraphs):
        following = paragraphs[span.para + 1]
        remark = lx.MADE_REMARK.match(following.text[:_WINDOW])
        if remark:  # a quote alone in its paragraph, then "NAME, TITLE, made the remark at ..."
            mention = parse_subject(remark.group("subject") or remark.group("subject2"), known, verb_first=False)
            if mention is not None:
                return Attribution(mention, following.start, "remark")
    # (d) before it
    found = pre_attribution(before, context.left_start, known)
    if found or before.strip() or span.para == 0:
        return found
    # (e) "Asked about costs, Hu said:" + a new paragraph
    previous = paragraphs[span.para - 1]
    found = pre_attribution(previous.text, previous.start, known) if previous.text.endswith(":") else None
    return replace(found, kind="colon") if found else None


def _caption_attribution(context: _Context, paragraphs: list[Paragraph], known: frozenset[str]) -> Attribution | None:
    """(g) A quote standing alone in its paragraph, followed by a line that is only a name
    and a title or organisation ("Fang Kexin, Chinese University of Hong Kong")."""
    span = context.span
    if context.before.strip() or context.after.strip(" .") or span.para + 1 >= len(paragraphs):
        return None
    line = paragraphs[span.para + 1]
    text = line.text.strip().lstrip("—–-― ").strip()
    if not text or _words(text) > 14 or any(mark in text for mark in lx.ALL_MARKS) or lx.VERB_RE.search(text):
        return None
    if text.endswith((".", "!", "?")) and not text.endswith(("Co.", "Ltd.", "Inc.", "Corp.")):
        return None
    mention = parse_subject(text, known, verb_first=True)
    if mention is None or not mention.name or mention.is_org:
        return None
    return Attribution(mention, line.start, "caption")


def _quote_events(cleaned: str, paragraphs: list[Paragraph], known: frozenset[str]) -> list[Event]:
    spans = find_quotes(paragraphs, ENGLISH_MARKS)
    contexts = _contexts(cleaned, paragraphs, spans)
    events: list[Event] = []
    chains: list[list[int]] = []  # indexes into events of the parts of one multi-paragraph quote
    headlines: list[int] = []
    last: Event | None = None  # the last statement kept
    last_span: QuoteSpan | None = None
    for context in contexts:
        span = context.span
        if span.end <= span.start:
            continue
        if span.continues and last is not None and last_span is not None and last_span.runs_on:
            # (a) a continuation paragraph of the quote before; its attribution, if it has
            # one ("...," she said), is the whole quote's
            own = _attribution_for(context, paragraphs, known) if span.close_mark else None
            events.append(Event(span.open_at, "quote", span.start, span.end, context.text, own, "continuation"))
            chains[-1].append(len(events) - 1)
            last, last_span = events[-1], span
            continue
        statement, attribution, headline = _classify(context, paragraphs, known)
        if not statement:
            continue
        prev = context.prev
        if (
            attribution is None
            and prev is not None
            and last is not None
            and last.start == prev.start
            and _is_split_gap(context.before, known)
        ):
            attribution = replace(last.attribution, kind="split") if last.attribution else None  # (b)
        inherit = ""
        if attribution is None and not headline:
            attribution = _caption_attribution(context, paragraphs, known)
        if attribution is None and not headline:
            if prev is not None and last is not None and last.start == prev.start:
                if not last_sentence(context.before).strip(" ,;"):
                    inherit = "same_para"  # (h) “A.” he said. “B.”
            elif (
                prev is None
                and not context.before.strip()
                and not context.after.strip(" .")
                and _follows_quote_paragraph(span, paragraphs, last)
            ):
                inherit = "next_para"  # (h) a paragraph of quotes after a quoted speaker's paragraph
        events.append(Event(span.open_at, "quote", span.start, span.end, context.text, attribution, inherit))
        chains.append([len(events) - 1])
        if headline:
            headlines.append(len(events) - 1)
        last, last_span = events[-1], span
    _share_chain_attributions(events, chains)
    return _attribute_headlines(events, headlines)


def _follows_quote_paragraph(span: QuoteSpan, paragraphs: list[Paragraph], last: Event | None) -> bool:
    """The previous paragraph ends with a statement that has a speaker of its own."""
    if last is None or span.para == 0:
        return False
    previous = paragraphs[span.para - 1]
    if not previous.start <= last.start < previous.end:
        return False
    tail = previous.text[last.end - previous.start :]
    return (last.attribution is not None or last.inherit) and len(tail) < 120


def _share_chain_attributions(events: list[Event], chains: list[list[int]]) -> None:
    """A quote over several paragraphs is attributed once, often in its last paragraph."""
    for chain in chains:
        if len(chain) < 2:
            continue
        found = next((events[i].attribution for i in chain if events[i].attribution is not None), None)
        if found is None:
            continue
        for i in chain:
            if events[i].attribution is None:
                events[i] = replace(events[i], attribution=replace(found, kind="chain"), inherit="")


def _attribute_headlines(events: list[Event], headlines: list[int]) -> list[Event]:
    """A headline quote repeats words of the article: it takes the speaker of the body quote
    that holds its words; without one (and without a cue of its own) it is dropped."""
    drop = set()
    for index in headlines:
        words = _normalised(events[index].text)
        body = next(
            (e for i, e in enumerate(events) if i not in headlines and words and words in _normalised(e.text)), None
        )
        if body is not None:
            events[index] = replace(events[index], attribution=None, inherit="", echo_of=body.start)
        elif events[index].attribution is None:
            drop.add(index)
    return [e for i, e in enumerate(events) if i not in drop]


def _normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _mask_quotes(cleaned: str, events: list[Event]) -> str:
    """Blank out quoted statements so the narrative is read without them.

    A final full stop (or ? !) stays visible: it still ends the sentence around the quote.
    """
    chars = list(cleaned)
    for event in events:
        end = event.end - 1 if cleaned[event.end - 1] in ".?!" else event.end
        for i in range(event.start, end):
            if chars[i] != "\n":
                chars[i] = "\x00"
    return "".join(chars)


# --------------------------------------------------------------------------- the pipeline


def extract_en(cleaned: str, *, paraphrases: bool = True, chooser: Chooser | None = None) -> list[Candidate]:
    """Direct quotes (and paraphrases) of a cleaned English article, in document order.

    ``chooser`` picks each quote's attribution among its options (``en_options``); by
    default the trained model (``ranking.load_model()``)."""
    paragraphs = paragraphs_of(cleaned)
    known = document_orgs(cleaned)
    quotes = _quote_events(cleaned, paragraphs, known)
    masked = _mask_quotes(cleaned, quotes)
    events = quotes + intro_events(masked, paragraphs, known) + mention_events(masked, paragraphs, known)
    events += description_events(masked, paragraphs, known)
    if paraphrases:
        events += paraphrase_events(masked, paragraphs, known)
    events = _without_common_word_orgs(events, cleaned, known)
    order = {"mention": 0, "describe": 1, "intro": 2, "paraphrase": 3, "quote": 4}
    events.sort(key=lambda e: (e.position, order[e.kind]))

    choose = chooser or model_chooser()
    discourse = Discourse(masked, known, paragraphs)
    candidates: list[Candidate] = []
    previous_quote, previous_para = NOBODY, -1
    echoes: list[Event] = []
    para_at = discourse.para_at
    for event in events:
        if event.echo_of >= 0:
            echoes.append(event)  # a headline: speaker of the body quote, read below
            continue
        if event.kind == "intro":
            speaker = discourse.resolve(event.attribution.mention, event.position)
            discourse.remember(speaker, spoke=False, position=event.position)
            continue
        if event.kind == "mention":
            discourse.mentioned(event.text, event.position)
            _read_gender(discourse, masked, event)
            continue
        if event.kind == "describe":
            mention = event.attribution.mention
            if mention.definite:
                discourse.redescribed(mention.role, mention.org, event.position)
            else:
                discourse.described(Speaker(None, mention.role, mention.org, False), event.position)
            continue
        if event.kind == "quote":
            para = para_at(event.start)
            situation = QuoteSituation(
                event.start, para, _quote_only(masked, paragraphs[para]), previous_quote, previous_para
            )
            attribution = event.attribution
            options = quote_options(
                discourse,
                situation,
                mention=attribution.mention if attribution else None,
                cue=attribution.kind if attribution else "",
                cue_position=attribution.position if attribution else event.start,
                inherit=event.inherit if attribution is None else "",
            )
            speaker = choose(squash(event.text), options).speaker
            previous_quote, previous_para = speaker, para
        elif event.attribution is not None:
            speaker = discourse.resolve(event.attribution.mention, event.attribution.position)
        else:
            speaker = NOBODY
        discourse.remember(speaker, spoke=True, position=event.position)
        candidates.append(_candidate(event, speaker))
    by_start = {c.start: c for c in candidates if c.kind == "quote"}
    for event in echoes:
        body = by_start.get(event.echo_of)
        speaker = Speaker(body.speaker, body.role, body.org, body.speaker_is_org) if body else NOBODY
        candidates.append(_candidate(event, speaker))
    candidates.sort(key=lambda c: (c.start, c.kind))
    return candidates


def _without_common_word_orgs(events: list[Event], cleaned: str, known: frozenset[str]) -> list[Event]:
    """ "Cabin designer Ou Yanni said", "Aviation analyst Zhang Dongsheng said": a single
    capitalised word before a title, which the article also writes in lower case and nothing
    marks as an organisation, is a common word opening the sentence, not the speaker's employer."""
    lowered: set[str] | None = None
    found = []
    for event in events:
        mention = event.attribution.mention if event.attribution else None
        org = mention.org if mention else None
        if org and " " not in org and org[0].isupper() and not org.isupper() and not looks_like_org(org, known):
            if lowered is None:
                lowered = set(re.findall(r"\b[a-z][a-z-]+\b", cleaned))
            if org.lower() in lowered:
                role = f"{org.lower()} {mention.role}" if mention.role else None
                event = replace(
                    event, attribution=replace(event.attribution, mention=replace(mention, org=None, role=role))
                )
        found.append(event)
    return found


def _quote_only(masked: str, paragraph: Paragraph) -> bool:
    """The paragraph holds nothing but quoted statements."""
    text = masked[paragraph.start : paragraph.end]
    return "\x00" in text and not re.sub(r"[\x00\s.,;:!?…“”\"‘’'—–-]+", "", text)


_GENDERED = re.compile(r"\b(he|she|his|her|him|hers|himself|herself)\b", re.I)


def _read_gender(discourse: Discourse, masked: str, event: Event) -> None:
    """ "Qian Yue starts most of her posts ...": a pronoun later in the sentence that names
    one person only gives that person's gender."""
    end = event.position + len(event.text)
    rest = first_sentence(masked[end : end + 200])
    pronoun = _GENDERED.search(rest)
    if pronoun and not name_spans(rest[: pronoun.start()]):
        discourse.gendered(event.text, pronoun.group(1))


def _candidate(event: Event, speaker: Speaker) -> Candidate:
    return Candidate(
        quote=squash(event.text),
        speaker=squash(speaker.name) if speaker.name else None,
        role=squash(speaker.role) if speaker.role else None,
        org=squash(speaker.org) if speaker.org else None,
        kind=event.kind,
        speaker_is_org=speaker.is_org,
        start=event.start,
        end=event.end,
        platforms=detect_platforms(event.text),
    )
