"""The options the attribution model chooses among, for one English quote.

A quote's options come from the structure the extractor found (``en._quote_events``):

- **a cue** governs the quote ("NAME said", "said NAME, TITLE", "according to NAME", a
  colon, the subject of "calling it" ...): its subject read against the discourse
  (``Discourse.alternatives``): the name, or every person a surname, he/she or "the
  52-year-old" may mean, every company "the company" may mean, every issuer of "the
  notice". Only readings of the cue's subject are offered: the cue says who spoke.
- **no cue**, but the quote continues the previous speaker's words (a split quote, a
  continuation paragraph, “A.” he said. “B.”, a quote-only paragraph after the
  speaker's paragraph): the previous quote's speaker; and for a quote-only paragraph,
  also the people its previous paragraph names.
- **nobody**, always.

Each person or nameless role-holder is paired with every organisation that may be
theirs: the one in the title phrase ("at X", "X's"), the readings of "the company" in the
title, the one the person was introduced with, the article's two main organisations, the
last one named in the paragraph or the one before, and none. Features say where each
came from, what kind of organisation it is (company, government, academic, media,
platform) and what kind of role the person holds (staff, expert, public).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from registry.statements.core import NOBODY, Speaker
from registry.statements.en_discourse import Discourse, role_class, unit_without_org
from registry.statements.en_mentions import Mention
from registry.statements.options import Who, deduplicated, grammar_first, speaker_options
from registry.statements.ranking import Option, nobody_option

__all__ = ["QuoteSituation", "quote_options"]


@dataclass(frozen=True)
class QuoteSituation:
    """Where the quote stands, as the options need it."""

    position: int
    para: int
    quote_only_para: bool  # the paragraph holds nothing but quotes
    previous: Speaker  # the previous quote's speaker
    previous_para: int  # the previous quote's paragraph (-1: none)


def _mention_type(mention: Mention) -> str:
    if mention.document:
        return "document"
    if mention.pronoun:
        return "definite" if mention.definite else "pronoun"
    if mention.definite:
        return "definite"
    if mention.name_org_ref:
        return "orgref"
    if mention.is_org:
        return "org"
    if mention.name is None:
        return "role"
    return "name" if " " in mention.name else "surname"


def quote_options(
    discourse: Discourse,
    situation: QuoteSituation,
    *,
    mention: Mention | None,
    cue: str,
    cue_position: int,
    inherit: str,
) -> list[Option]:
    """The options for one quote, the grammar's own reading first."""
    options: list[Option] = []
    quote_features = {"n:quote_only_para": 1.0} if situation.quote_only_para else {}
    if mention is not None:
        first = discourse.resolve(mention, cue_position)
        cue_features = {f"s:cue_{cue}": 1.0, f"s:m_{_mention_type(mention)}": 1.0}
        for who in discourse.alternatives(mention, max(cue_position, situation.position)):
            options += _pairs(discourse, situation, who, cue_features)
        nobody = nobody_option({"n:cue": 1.0, f"n:cue_{cue}": 1.0, f"n:m_{_mention_type(mention)}": 1.0})
    else:
        first = situation.previous if inherit else NOBODY
        if inherit and situation.previous.known:
            options.append(_previous_option(situation, {f"s:inherit_{inherit}": 1.0}))
        if situation.quote_only_para and situation.para > 0:
            options += _previous_paragraph_people(discourse, situation)
            if not inherit and situation.previous.known and situation.para - situation.previous_para == 1:
                options.append(_previous_option(situation, {"s:previous_para_speaker": 1.0}))
        nobody = nobody_option({"n:inherit": 1.0} if inherit else {"n:no_cue": 1.0})
    nobody.features.update(quote_features)
    options = deduplicated(options)
    options.append(nobody)
    return grammar_first(options, first)


def _previous_option(situation: QuoteSituation, features: dict[str, float]) -> Option:
    distance = situation.para - situation.previous_para
    features = {**features, f"s:previous_distance{min(distance, 2)}": 1.0}
    speaker = situation.previous
    if speaker.is_org:
        features["s:is_org"] = 1.0
    elif speaker.name is None:
        features["s:is_nameless"] = 1.0
    return Option(speaker, features)


def _previous_paragraph_people(discourse: Discourse, situation: QuoteSituation) -> list[Option]:
    """People the previous paragraph names: a quote-only paragraph may be theirs."""
    named = [
        (at, person)
        for at, person in discourse.recently_seen(8)
        if discourse.para_at(at) == situation.para - 1 and at < situation.position
    ]
    options = []
    for rank, (_, person) in enumerate(named[:3]):
        features = {"s:prev_para_named": 1.0, f"s:prev_para_rank{min(rank, 1)}": 1.0}
        if any(s.name == person.name for s in discourse.speakers):
            features["s:spoke_before"] = 1.0
        if person.name == situation.previous.name:
            features["s:was_previous_speaker"] = 1.0
        memory = ((person.org, "memory"),) if person.org else ()
        options += _pairs(discourse, situation, Who(person.name, person.role, orgs=memory), features)
    return options


def _pairs(discourse: Discourse, situation: QuoteSituation, who: Who, extra: dict[str, float]) -> list[Option]:
    role = role_class(who.role) if who.name else "nameless"
    unit = unit_without_org(who.role) and not any(source == "title" for _, source in who.orgs)
    if role == "staff" and not unit and discourse.main_dominant and not who.orgs and discourse.main_org_names():
        # the article is about one organisation and the text ties this member of staff to no
        # other ("said test pilot Qin Bo" in a story about one plane maker): its staff speak for
        # it, as a corporate title without an organisation does ("implied"); a unit the role names
        # ("deputy director of the new-media centre") may be another organisation's
        who = replace(who, orgs=((discourse.main_org_names()[0], "implied"),))
    return speaker_options(
        discourse, who, extra, position=situation.position, para=situation.para, role=role, unit=unit
    )
