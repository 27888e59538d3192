"""The options the attribution model chooses among, for one Chinese quote.

As for English (``en_options``): when a cue governs the quote (``NAME表示：“…”``,
``“…”他说``, ``据NAME介绍``, a caption ``——TITLE NAME`` ...), the readings of its subject
(``Discourse.alternatives``: the name, every person 他/她 or a surname may mean, every
organisation 该公司 may mean); when the quote carries on the previous speaker's words
(“A。”他说。“B。”, a continuation paragraph, a quote paragraph right after the
speaker's paragraph), the previous speaker, and for a quote-only paragraph also the
people its previous paragraph introduces; and always nobody. Each person is paired with
the organisations that may be theirs (``options.speaker_options``).
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.statements.core import NOBODY, Speaker
from registry.statements.options import Who, deduplicated, grammar_first, speaker_options
from registry.statements.ranking import Option, nobody_option
from registry.statements.zh_discourse import Discourse, role_class, unit_without_org
from registry.statements.zh_mentions import Mention

__all__ = ["QuoteSituation", "quote_options"]


@dataclass(frozen=True)
class QuoteSituation:
    position: int
    para: int
    quote_only_para: bool
    previous: Speaker
    previous_para: int


def _mention_type(mention: Mention) -> str:
    if mention.pronoun:
        return "pronoun"
    if mention.org_ref and not mention.name:
        return "orgref" if not mention.role else "role"
    if mention.role_ref:
        return "definite"
    if mention.surname:
        return "surname"
    if mention.org_speaks:
        return "org"
    if mention.name:
        return "name"
    return "role"


def quote_options(
    discourse: Discourse, situation: QuoteSituation, *, mention: Mention | None, cue: str, inherit: str
) -> list[Option]:
    options: list[Option] = []
    if mention is not None and cue:
        first = discourse.resolve(mention, situation.position)
        kind = "group" if mention.group else _mention_type(mention)
        cue_features = {f"s:cue_{cue}": 1.0, f"s:m_{kind}": 1.0}
        for who in discourse.alternatives(mention, situation.position):
            options += _pairs(discourse, situation, who, cue_features)
        nobody = nobody_option({"n:cue": 1.0, f"n:cue_{cue}": 1.0, f"n:m_{kind}": 1.0})
    else:
        first = situation.previous if inherit else NOBODY
        if inherit and situation.previous.known:
            options.append(_previous_option(situation, {f"s:inherit_{inherit}": 1.0}))
        if situation.quote_only_para and situation.para > 0:
            options += _previous_paragraph_people(discourse, situation)
            if not inherit and situation.previous.known and situation.para - situation.previous_para == 1:
                options.append(_previous_option(situation, {"s:previous_para_speaker": 1.0}))
        nobody = nobody_option({"n:inherit": 1.0} if inherit else {"n:no_cue": 1.0})
    if situation.quote_only_para:
        nobody.features["n:quote_only_para"] = 1.0
    options = deduplicated(options)
    options.append(nobody)
    return grammar_first(options, first)


def _previous_option(situation: QuoteSituation, features: dict[str, float]) -> Option:
    distance = situation.para - situation.previous_para
    features = {**features, f"s:previous_distance{min(distance, 2)}": 1.0}
    speaker = situation.previous
    features["s:is_org" if speaker.is_org else "s:is_person" if speaker.name else "s:is_nameless"] = 1.0
    return Option(speaker, features)


def _previous_paragraph_people(discourse: Discourse, situation: QuoteSituation) -> list[Option]:
    named = [
        (at, person)
        for at, person in discourse.recently_seen(8)
        if at >= 0 and discourse.para_at(at) == situation.para - 1 and at < situation.position
    ]
    named.sort(key=lambda item: item[0], reverse=True)
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
    unit = unit_without_org(who.role, who.orgs)
    return speaker_options(
        discourse, who, extra, position=situation.position, para=situation.para, role=role, unit=unit
    )
