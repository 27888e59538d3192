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
    looks_like_org,
    name_spans,
    parse_appositive,
    parse_subject,
    sentences,
    split_chunks,
)
from registry.statements.text import Paragraph, squash

__all__ = ["intro_events", "paraphrase_events"]


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
            chunks = split_chunks(text[start:end])
            for index, chunk in enumerate(chunks):
                name = _introduced_name(chunk, known)
                if name is None:
                    continue
                title = chunks[index + 1] if index + 1 < len(chunks) else ""
                role, org, ref = parse_appositive(title, known, need_role=True) if title else (None, None, None)
                mention = Mention(name=name, role=role, org=org, org_ref=ref)
                position = para.start + start
                events.append(Event(position, "intro", attribution=Attribution(mention, position)))
    return events


def _introduced_name(chunk: str, known: frozenset[str]) -> str | None:
    """The full personal name that makes up ``chunk`` (after an opener such as "For"), if any."""
    words = chunk.split()
    if len(words) > 2 and words[0].lower() in lx.INTRO_OPENERS:
        chunk = " ".join(words[1:])
    spans = name_spans(chunk)
    if len(spans) != 1 or spans[0].text != chunk or spans[0].possessive:
        return None
    if not 2 <= len(chunk.split()) <= 4 or chunk in lx.PLACES or looks_like_org(chunk, known):
        return None
    return chunk


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
            words = name.split()
            if len(words) > 4 or looks_like_org(name, known) or name in lx.PLACES or words[0] in lx.TITLE_WORDS:
                continue
            if name in lx.MEDIA or "-based" in name or any(w in lx.ORG_KEYWORDS for w in words):
                continue
            if len(words) == 1 and (name in lx.NOT_NAMES or name in lx.KNOWN_ORGS):
                continue
            events.append(Event(para.start + span.start, "mention", text=name))
    return events
