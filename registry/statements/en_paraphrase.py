"""Reported speech (paraphrases) and people the narrative introduces, in English articles.

Read from the narrative with quoted statements masked out (``en._mask_quotes``):

- "SUBJECT [, TITLE,] said [that] CLAUSE" (also says, added, noted, stressed ... and
  "told X that") and "CLAUSE, SUBJECT said." whose subject is a person, an organisation or
  a titled role (not a group: "Analysts said"); the paraphrase is the reported clause
  without its final full stop, ``kind="paraphrase"``.
- "Jin Xuehua, communication director of X, was ...": a person introduced by full name as
  a phrase of its own, with the title that follows, so later quotes by "Jin" or "he"
  resolve to them.
"""

from __future__ import annotations

import re

from registry.statements import en_lexicon as lx
from registry.statements.en_mentions import (
    Attribution,
    Event,
    Mention,
    is_title_word,
    looks_like_org,
    name_spans,
    parse_appositive,
    parse_head,
    parse_subject,
    relative_org,
    sentences,
    split_chunks,
    split_title_words,
)
from registry.statements.text import Paragraph, squash

__all__ = ["description_events", "intro_events", "mention_events", "paraphrase_events"]


def paraphrase_events(masked: str, paragraphs: list[Paragraph], known: frozenset[str]) -> list[Event]:
    events = []
    for para in paragraphs:
        text = masked[para.start : para.end]
        for start, end in sentences(text):
            event = _paraphrase_in(text[start:end], para.start + start, known)
            if event:
                events.append(event)
    return events


def _paraphrase_in(sentence: str, offset: int, known: frozenset[str]) -> Event | None:
    if len(sentence) > 2000:
        return None  # not a sentence a person wrote: keep the work per sentence bounded
    return _reported_paraphrase(sentence, offset, known) or _inverted_paraphrase(sentence, offset, known)


def _paraphrase_event(clause: str, start: int, mention: Mention, position: int) -> Event | None:
    # Quoted fragments may sit inside the clause; a quoted statement (masked) may not.
    if len(clause.split()) < 3 or "\x00" in clause or clause[0] in lx.ALL_MARKS + ":":
        return None
    return Event(position, "paraphrase", start, start + len(clause), squash(clause), Attribution(mention, position))


def _inverted_paraphrase(sentence: str, offset: int, known: frozenset[str]) -> Event | None:
    """A paraphrase of the form "CLAUSE, SUBJECT said [on Monday]."."""
    match = lx.INVERTED.fullmatch(sentence)
    if match is None or lx.SPEECH_CIRCUMSTANCE.sub("", match["tail"]).strip():
        return None
    mention = parse_subject(match["subject"], known, verb_first=False)
    if mention is None:
        return None
    leading = len(match["clause"]) - len(match["clause"].lstrip())
    clause = match["clause"].strip()
    return _paraphrase_event(clause, offset + leading, mention, offset)


def _reported_paraphrase(sentence: str, offset: int, known: frozenset[str]) -> Event | None:
    """A paraphrase of the form "SUBJECT [, TITLE,] said [that] CLAUSE."."""
    verb = lx.PARAPHRASE_VERB.search(sentence)
    if verb is None:
        return None
    subject = sentence[: verb.start()]
    clause_start = _reported_clause_start(verb.group(), sentence[verb.end() :])
    if clause_start is None:
        return None
    clause = sentence[verb.end() + clause_start :].rstrip()
    clause = lx.PARTICIPLE_TAIL.sub("", clause[:-1] if clause.endswith(".") else clause)
    mention = parse_subject(subject, known, verb_first=False) if clause else None
    if mention is None:
        return None
    return _paraphrase_event(clause, offset + verb.end() + clause_start, mention, offset)


def _reported_clause_start(verb: str, tail: str) -> int | None:
    """Offset in ``tail`` (the text after the verb) where the reported clause begins."""
    if verb == "told":
        skip = re.match(r"\s+[^,.“”\"\x00]{1,40}?\s+that\s+", tail)
        return skip.end() if skip else None
    skip = lx.PARAPHRASE_MODIFIER.match(tail)
    if skip:
        return skip.end()
    position = 0
    while circumstance := lx.SPEECH_CIRCUMSTANCE.match(tail, position):
        position = circumstance.end()
    that = re.match(r"\s+that\s+", tail[position:])
    if that:
        return position + that.end()
    if verb in lx.PARAPHRASE_NEEDS_THAT or not tail[position:].startswith(" "):
        return None
    return position + 1


_PSEUDONYM = re.compile(
    r"\b(?P<name>[A-Z][a-z'’-]+)\s*[—–,(-]+\s*(?:not\s+(?:her|his|their)\s+real\s+name|a\s+pseudonym|"
    r"who\s+(?:asked|wished)\s+to\s+be\s+identified\s+(?:only\s+)?by\s+(?:her|his|their)\s+(?:first|given)\s+name)"
)
_LOWER_TITLED = re.compile(
    r"(?<![\w'’-])(?P<role>(?:[a-z][a-z-]+\s+){0,2}[a-z][a-z-]+)\s+(?P<name>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2})\b"
    r"(?!\s+(?:[A-Z]|of\s+[A-Z]))"
)
# Words that open a phrase but never a title ("said Zhao Lei", "and Wang Fang").
_NOT_TITLE_OPENERS = frozenset(
    "said says told and or but with by from to for of at in on as the a an his her their its our "
    "when while after before that than".split()
)


def intro_events(masked: str, paragraphs: list[Paragraph], known: frozenset[str]) -> list[Event]:
    """People the narrative introduces by full name as a phrase of its own, with the title that
    may follow: "Jin Xuehua, communication director of X, was ...", "Zhu's husband, Gu Peng, ..."
    """
    events = []
    for para in paragraphs:
        text = masked[para.start : para.end]
        for start, end in sentences(text):
            if end - start > 2000:
                continue
            copular = _COPULAR.match(text[start:end].strip())
            if copular and _introduced_name(copular.group("name"), known):
                # "Zhang Wei is the brand director of Haier."
                role, org, ref = parse_appositive(copular.group("title"), known, need_role=True)
                if role:
                    mention = Mention(name=copular.group("name"), role=role, org=org, org_ref=ref)
                    position = para.start + start
                    events.append(Event(position, "intro", attribution=Attribution(mention, position)))
            sentence = text[start:end].strip()
            mention = _joined_org(sentence, known) or _premodified(sentence, known)
            if mention is not None:
                position = para.start + start + max(0, text[start:end].find(mention.name))
                events.append(Event(position, "intro", attribution=Attribution(mention, position)))
            for alias in _PSEUDONYM.finditer(text, start, end):
                # "Xiaomei — not her real name — sends ...": one word is this person's name here
                position = para.start + alias.start("name")
                mention = Mention(name=alias.group("name"))
                events.append(Event(position, "intro", attribution=Attribution(mention, position)))
            for titled in _LOWER_TITLED.finditer(text, start, end):
                # "miner Bai Yongqiang holds up a phone", "said test pilot Zhao Zhiqiang": a title in
                # lower case right before a full name
                words, name = titled.group("role").split(), titled.group("name")
                while words and words[0] in _NOT_TITLE_OPENERS:
                    words.pop(0)
                if not words or words[-1] not in lx.ROLE_NOUNS:
                    continue
                role = " ".join(words)
                if looks_like_org(name, known) or name.split()[0] in lx.PLACES or _introduced_name(name, known) is None:
                    continue
                position = para.start + titled.start("name")
                mention = Mention(name=name, role=role)
                events.append(Event(position, "intro", attribution=Attribution(mention, position)))
            chunks = split_chunks(text[start:end])
            for index, chunk in enumerate(chunks):
                name = _introduced_name(chunk, known)
                title = chunks[index + 1] if index + 1 < len(chunks) else ""
                if name is None:
                    name = _trailing_name(chunk, known) if title else None  # "So did Zhao Lei, an analyst at X"
                    if name is None or not parse_appositive(title, known, need_role=True)[0]:
                        continue
                if title.startswith(("who ", "which ")):
                    role, (org, ref) = None, relative_org(title, known)
                else:
                    role, org, ref = parse_appositive(title, known, need_role=True) if title else (None, None, None)
                mention = Mention(name=name, role=role, org=org, org_ref=ref)
                # where the name stands: "the company" in its title means one named before it
                found = text.find(name, start, end)
                position = para.start + (found if found >= 0 else start)
                events.append(Event(position, "intro", attribution=Attribution(mention, position)))
    return events


_JOINED = re.compile(
    r"(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3})\s+(?:(?:has|had|have)\s+)?(?:joined|heads|headed|leads|led|"
    r"runs|ran|manages|managed|founded|co-founded|(?:works|worked)\s+(?:at|for))\s+(?P<org>[A-Z].*)$"
)
# "China Unicom engineer Zhou Bin climbs ...": a sentence opening with ORG + TITLE + NAME.
_PREMODIFIED = re.compile(
    r"(?P<head>[A-Z][\w&'’.-]*(?:\s+[\w&'’.-]+){2,8}?)\s+(?:[a-z]+s|[a-z]+ed|has|is|was|had|will)\b"
)


def _joined_org(sentence: str, known: frozenset[str]) -> Mention | None:
    """ "Ma Lin joined Alibaba in 2015": the person and the organisation."""
    match = _JOINED.match(sentence)
    if not match or _introduced_name(match.group("name"), known) is None:
        return None
    spans = name_spans(match.group("org"))
    if not spans or spans[0].start != 0 or not looks_like_org(spans[0].text, known):
        return None
    return Mention(name=match.group("name"), org=spans[0].text)


def _premodified(sentence: str, known: frozenset[str]) -> Mention | None:
    match = _PREMODIFIED.match(sentence)
    if not match:
        return None
    mention = parse_head(match.group("head"), known)
    if mention is None or mention.is_org or not mention.name or " " not in mention.name or not mention.org:
        return None
    return Mention(name=mention.name, role=mention.role, org=mention.org)


_COPULAR = re.compile(
    r"(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3})\s+(?:is|was|has\s+been|had\s+been|became)\s+"
    r"(?P<title>(?:(?:the|a|an)\s+|[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,4}['’]s\s+)[^,;.]{3,120}?)"
    r"(?=[,;.]|\s+(?:who|which|and|since|for|in\s+\d)\b|$)"
)


def _introduced_name(chunk: str, known: frozenset[str]) -> str | None:
    """The full personal name that makes up ``chunk`` (after an opener such as "For",
    "according to" or "and"), if any; after "Ms"/"Mr" a surname alone."""
    chunk = re.sub(r"^(?:according\s+to|and|but|while|with|for|as\s+for)\s+", "", chunk, flags=re.I)
    words = chunk.split()
    if len(words) > 2 and words[0].lower() in lx.INTRO_OPENERS:
        chunk = " ".join(words[1:])
    honorific = chunk.split()[0] if chunk.split() and chunk.split()[0] in lx.HONORIFICS else None
    if honorific:
        chunk = chunk[len(honorific) :].strip()
    spans = name_spans(chunk)
    if len(spans) != 1 or spans[0].text != chunk or spans[0].possessive:
        return None
    if not (1 if honorific else 2) <= len(chunk.split()) <= 4 or chunk in lx.PLACES or looks_like_org(chunk, known):
        return None
    return chunk


def _trailing_name(chunk: str, known: frozenset[str]) -> str | None:
    """A full personal name ending ``chunk`` ("So did Zhao Lei", "He met Zhao Lei")."""
    spans = name_spans(chunk)
    if not spans or spans[-1].end != len(chunk) or spans[-1].possessive:
        return None
    name = spans[-1].text
    if not 2 <= len(name.split()) <= 4 or name in lx.PLACES or looks_like_org(name, known):
        return None
    if any(word in lx.TITLE_WORDS for word in name.split()):
        return None
    return name


_OPENING_MARKS = "“\"‘'「"
_CLOSING_MARKS = "”\"’'」"


def mention_events(masked: str, paragraphs: list[Paragraph], known: frozenset[str]) -> list[Event]:
    """Every personal name in the narrative ("Zhang Hao straps on his harness"), so that
    "he"/"she" and a surname later refer to the person the text last spoke about."""
    events = []
    for para in paragraphs:
        text = masked[para.start : para.end]
        for span in name_spans(text):
            name = span.text
            if span.possessive and " " not in name:
                continue
            if text[span.start - 1 : span.start] in _OPENING_MARKS and text[span.end : span.end + 1] in _CLOSING_MARKS:
                continue  # a handle or a title between quote marks ("Substation Sister Ren"), not a person
            words = name.split()
            if words[0] in lx.TITLE_WORDS or words[0] in lx.TITLE_MODIFIERS:
                # "Senior Vice President Cheng Wenjie told analysts ...": the person after the titles,
                # introduced with them (an officer of the company in the news)
                person, title = split_title_words(name)
                if not title or len(person.split()) < 2 or not all(is_title_word(w) for w in title.split()):
                    continue
                if not looks_like_org(person, known) and person.split()[0] not in lx.PLACES:
                    position = para.start + span.start + span.text.rindex(person)
                    corporate = any(w in lx.CORPORATE_TITLES for w in title.split())
                    mention = Mention(name=person, role=title, implied_org=corporate)
                    events.append(Event(position, "intro", attribution=Attribution(mention, position)))
                continue
            if len(words) > 4 or looks_like_org(name, known) or name in lx.PLACES or words[0] in lx.TITLE_WORDS:
                continue
            if name in lx.MEDIA or "-based" in name or any(w in lx.ORG_KEYWORDS for w in words):
                continue
            if any(w in lx.PLACE_WORDS for w in words) or (len(words) > 1 and name.isupper()):
                continue  # "Guangdong Province", a dateline "ZHOUZHI COUNTY"
            if len(words) > 1 and words[0] in lx.PLACES:
                continue  # "China Southern said": a company, not a person
            if len(words) == 1 and (name in lx.NOT_NAMES or name in lx.KNOWN_ORGS):
                continue
            events.append(Event(para.start + span.start, "mention", text=name))
    return events


# "A teller at a Chengdu branch has been posting ...", "The 24-year-old teller at an ICBC branch ...":
# a person described by a role at the start of a sentence, with the organisation after it.
_DESCRIBED = re.compile(
    r"(?P<article>A|An|One|The)\s+(?P<phrase>(?:[\w'’-]+\s+){0,4}?(?P<noun>[a-z][\w-]*)"
    r"(?:\s+(?:at|of|with|for|from)\s+(?:(?:a|an|the|its|one)\s+)?(?P<org>[A-Z][\w&'’.-]*(?:\s+(?:of|and|for|&)?\s*[A-Z][\w&'’.-]*)*)"
    r"(?:\s+(?:branch|office|store|outlet|plant|unit|factory|subsidiary|team|station))?(?:\s+in\s+[A-Z][\w-]*)?)?)"
    r"(?=\s+(?:who|has|had|is|was|have|were|in|from|said|says|told|tells|wrote|starts|started|began|joined|works|"
    r"worked|posts|posted|[a-z]+ed|[a-z]+s)\b|,)"
)


_WORKS_FOR = re.compile(
    r"\s+(?:who\s+)?(?:(?:has|had)\s+)?(?:works|worked|is\s+employed|was\s+employed|has\s+been|serves|served)\s+"
    r"(?:for|at|with|by)\s+(?:(?:the|a|an)\s+)?(?:[a-z][\w-]*\s+){0,2}?"
    r"(?P<org>[A-Z][\w&'’.-]*(?:\s+(?:of|and|for|&)?\s*[A-Z][\w&'’.-]*)*)"
)


def description_events(masked: str, paragraphs: list[Paragraph], known: frozenset[str]) -> list[Event]:
    """People described by their role as the subject of a sentence: "A teller at X ..." (a
    nameless person "she" may mean next) or "The 24-year-old teller at X ..." (more about the
    person last named)."""
    events = []
    for para in paragraphs:
        text = masked[para.start : para.end]
        for start, end in sentences(text):
            if end - start > 2000:
                continue
            sentence = text[start:end].lstrip()
            match = _DESCRIBED.match(sentence)
            if match is None or match.group("noun").lower().removesuffix("s") not in lx.ROLE_NOUNS:
                continue
            if match.group("noun").endswith("s") and match.group("noun").lower() not in lx.ROLE_NOUNS:
                continue  # "The tellers": a group
            phrase = match.group("phrase")
            org = match.group("org")
            if org and not looks_like_org(org, known):
                org = None
            role = phrase[: match.start("org") - match.start("phrase")].strip() if org else phrase
            role = re.sub(r"\s+(?:at|of|with|for|from)(?:\s+(?:a|an|the|its|one))?$", "", role)
            role = re.sub(r"^(?:\d+-year-old|[\w-]+-year-old)\s+", "", role)
            employer = _WORKS_FOR.match(sentence, match.end())
            if not org and employer and looks_like_org(employer.group("org"), known):
                org = employer.group("org")  # "The 36-year-old engineer works for state-owned China Mobile"
            definite = match.group("article") == "The"
            if not org:  # "A Haier executive": the organisation before the role
                parsed = parse_subject(f"a {role}", known, verb_first=False)
                if parsed is not None and parsed.name is None and parsed.role:
                    role, org = parsed.role, parsed.org
            position = para.start + start + (len(text[start:end]) - len(sentence))
            mention = Mention(role=role, org=org, definite=definite)
            events.append(Event(position, "describe", attribution=Attribution(mention, position)))
    return events
