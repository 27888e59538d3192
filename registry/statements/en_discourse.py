"""What an English article has said so far about people and organisations, in text order.

``Discourse`` is read event by event (names in the narrative, people introduced with a
title, statements and their speakers) and answers two questions for every attribution:

- ``resolve(mention, position)``: the one reading the grammar gives (a surname picks up
  the full name, he/she the person the text last spoke about, "the company" the last
  company named ...): what paraphrases use, and the first option of every quote;
- ``alternatives(mention, position)``: every reading the text allows, each with the
  features the attribution model weighs (``registry.statements.ranking``): for "she" every
  recent person with her rank, whether the gender the text gave them agrees, whether
  they spoke; for "the company" every company named before with its rank, whether it was
  a sentence's subject, whether it is the article's main organisation ...

Organisations are collected from the narrative only (quoted statements masked out), with
their paragraph, whether they open their sentence (a subject) and how often the article
names them (salience): the article's **main organisations** are the most named ones,
the headline and first paragraphs counting double.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from registry.statements import en_lexicon as lx
from registry.statements.core import NOBODY, Speaker
from registry.statements.en_mentions import (
    Mention,
    can_be_short_name,
    is_channel_mention,
    is_company,
    last_sentence,
    looks_like_org,
    name_spans,
    org_part,
    surname,
)
from registry.statements.options import Who, fullest_names
from registry.statements.text import Paragraph

__all__ = ["Discourse", "org_kind", "role_class", "unit_without_org"]

# How many readings of one reference are offered: the nearest ones.
_ALTERNATIVES = 4

# The head noun of a role says whether its holder speaks for an organisation (staff),
# as an outside expert, or as a member of the public.
_STAFF = frozenset(
    "spokesperson spokesman spokeswoman manager director president vice-president chairman chairwoman chair ceo "
    "cfo cto coo executive officer head chief founder co-founder secretary deputy official engineer editor "
    "editor-in-chief employee worker staff anchor host supervisor coordinator operator technician teller lineman "
    "linemen captain pilot agent intern trainee administrator producer designer developer planner marketer "
    "representative commissioner inspector minister governor mayor ambassador principal dean leader member "
    "miner nurse doctor counselor counsellor lawmaker legislator".split()
)
_EXPERT = frozenset(
    "professor researcher analyst economist scientist lecturer consultant adviser advisor fellow expert lawyer "
    "scholar strategist commentator teacher partner".split()
)
_PUBLIC = frozenset(
    "user customer consumer viewer follower resident villager driver passenger netizen parent retiree shopper "
    "student graduate farmer fisherman investor buyer seller merchant vendor livestreamer streamer blogger "
    "influencer owner shopkeeper trader dealer entrepreneur rider courier man woman grandmother source insider "
    "tester".split()
)
# Words that make a role a unit of an organisation that the role does not name
# ("deputy head of the new-media centre").
_UNIT_WORDS = re.compile(
    r"\b(?:cent(?:re|er)|department|office|bureau|division|team|unit|desk|newsroom|branch|section|lab|"
    r"laboratory|studio|school|faculty|college|institute|program(?:me)?)\b",
    re.I,
)
# A unit named at the end of a role ("deputy director of the Information Office").
_ROLE_UNIT = re.compile(
    r"\b(?:of|at|in)\s+(?:the\s+)?((?:[A-Z][\w&'’-]*\s+)*(?:Office|Department|Center|Centre|School|College|Institute|"
    r"Bureau|Division|Faculty|Laboratory|Lab|Unit|Team|Newsroom|Desk))$"
)
_FEMININE = frozenset({"Ms", "Ms.", "Mrs", "Mrs.", "Miss", "Madam", "Auntie", "Grandma"})
_MASCULINE = frozenset({"Mr", "Mr.", "Uncle"})
_GOVERNMENT = frozenset(
    "Ministry Commission Administration Bureau Government Council Office Department Committee Procuratorate Court "
    "SASAC SAMR CAC NDRC MIIT CSRC CBIRC NFRA PBOC MOFCOM NBS MOF NHC".split()
)
_ACADEMIC = frozenset("University College Institute Academy School".split())
_MEDIA_WORDS = frozenset("Daily News Times Press Television TV Radio Xinhua Post Herald".split())


def role_class(role: str | None) -> str:
    """ "staff", "expert", "public" or "none": the kind of the role's head noun."""
    if not role:
        return "none"
    words = [w.strip(".,").lower() for w in re.split(r"[\s/]+", re.split(r"\s+(?:of|at|for|with)\s+", role)[0])]
    for word in reversed(words):
        for candidate in (word, word.removesuffix("s")):
            if candidate in _STAFF:
                return "staff"
            if candidate in _EXPERT:
                return "expert"
            if candidate in _PUBLIC:
                return "public"
    return "other"


def org_kind(name: str, known: frozenset[str]) -> str:
    """company, government, academic, media, platform or other."""
    tokens = set(name.split())
    if name in lx.MEDIA or tokens & _MEDIA_WORDS:
        return "media"
    if name in lx.PLATFORM_ORGS:
        return "platform"
    if tokens & _ACADEMIC:
        return "academic"
    if tokens & _GOVERNMENT:
        return "government"
    if is_company(name, known):
        return "company"
    return "other"


_OWNER_OF = re.compile(
    r"\b(?:subsidiary|unit|arm|division|branch|affiliate|part)\s+of\s+(?:(?:the\s+)?(?:[a-z-]+\s+){0,2})?$"
    r"|\b(?:owned|controlled|run)\s+by\s+(?:(?:the\s+)?(?:[a-z-]+\s+){0,2})?$|\bparent(?:\s+company|\s+group)?,?\s+$",
    re.I,
)
_OUTLET_CREDIT = re.compile(r"(?:\(|\btold\s+(?:the\s+)?|\bto\s+(?:the\s+)?|\bwith\s+(?:the\s+)?|\bby\s+)$")


_LEGAL_FORM = re.compile(r"(?:\s+(?:co|corp|corporation|ltd|limited|inc|plc|company|holdings|group))+$")


def _canonical(name: str) -> str:
    """One key for one organisation's names: case, punctuation and a trailing legal form
    ("China Telecom Corp Ltd" is "China Telecom") do not tell organisations apart."""
    key = re.sub(r"[\s.,'’()]+", " ", name.casefold()).strip().removeprefix("the ")
    shorter = _LEGAL_FORM.sub("", key)
    return shorter if shorter and shorter not in {"china", "the"} else key


@dataclass(frozen=True)
class OrgMention:
    start: int
    name: str
    para: int
    subject: bool  # the name opens its sentence (after an opening adverbial)
    owner: bool = False  # named as the owner of the organisation in view ("a subsidiary of X")


def _is_title_case(text: str) -> bool:
    """A headline Written In Title Case: most words capitalised, no full stop."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if not words or len(words) > 25 or text.rstrip().endswith("."):
        return False
    small = {"a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "at", "by", "with", "as", "vs"}
    return sum(w[0].isupper() for w in words if w not in small) >= 0.7 * len([w for w in words if w not in small])


def _is_subject(masked: str, para_start: int, start: int) -> bool:
    prefix = last_sentence(masked[para_start:start]).strip()
    if "," in prefix:  # "In a statement on Monday, China Mobile said"
        head, _, rest = prefix.partition(",")
        if head.split()[:1] and head.split()[0].lower() in lx.INTRO_OPENERS:
            prefix = rest.strip()
    return not prefix or bool(re.fullmatch(r"(?:(?:the|The|a|A|an|An)\s+)?(?:[a-z][\w-]*\s+){0,3}", prefix + " "))


class Discourse:
    """People and organisations of one article, read in text order."""

    def __init__(self, masked: str, known: frozenset[str], paragraphs: list[Paragraph] | None = None):
        self.known = known
        self.masked = masked
        paragraphs = paragraphs or [Paragraph(0, 0, masked)]
        self._para_starts = [p.start for p in paragraphs]
        self.org_mentions: list[OrgMention] = []
        titles = {p.index for p in paragraphs if _is_title_case(p.text)}
        spans = [
            s
            for s in name_spans(masked)
            if looks_like_org(s.text, known)
            and not is_channel_mention(masked, s)
            and s.text not in lx.ORG_KEYWORDS  # "the Ministry" alone names no organisation
        ]
        body_names = {org_part(s.text) for s in spans if self.para_at(s.start) not in titles}
        for span in spans:
            para = self.para_at(span.start)
            name = org_part(span.text)
            if para in titles:
                # a headline in Title Case runs words together ("Coal Miners Go Live"): only
                # the organisations the body names, or well-known ones, are read from it
                name = next((n for n in body_names if n in name.split() or n == name), None) or next(
                    (t for t in name.split() if t in lx.KNOWN_ORGS), None
                )
                if name is None:
                    continue
            subject = _is_subject(masked, self._para_starts[para], span.start)
            owner = bool(_OWNER_OF.search(masked[max(0, span.start - 40) : span.start]))
            self.org_mentions.append(OrgMention(span.start, name, para, subject, owner))
        self._fullest: dict[str, str] | None = None
        self._org_starts_set: set[str] | None = None
        self.orgs = [(m.start, m.name) for m in self.org_mentions]
        self._org_starts = [m.start for m in self.org_mentions]
        # "Hengxing" is the short form of "Hengxing Auto Co" when it speaks on its own.
        self.short_names = {
            name.split()[0]
            for _, name in self.orgs
            if " " in name and set(name.split()) & lx.COMPANY_KEYWORDS and can_be_short_name(name.split()[0])
        }
        self._aliases = self._read_aliases(masked)
        self._keys: dict[str, str] = {}  # a name as written -> its key (see ``canonical``)
        self._compatible_cache: dict[tuple[str, str], bool] = {}
        self._full_names: dict[str, str] = {}  # "hengxing" -> "hengxing auto co"
        for _, name in self.orgs:
            if " " in name:
                self._full_names.setdefault(_canonical(name).split()[0], _canonical(name))
        salience: Counter[str] = Counter()
        for mention in self.org_mentions:
            if mention.name in lx.MEDIA and _OUTLET_CREDIT.search(masked[max(0, mention.start - 12) : mention.start]):
                continue  # "Linyi (AFP) -", "told Reuters": the outlet reporting, not the story's organisation
            weight = 2 if mention.para <= 1 else 1
            if mention.name.split()[0] in lx.PLATFORM_ORGS:
                weight /= 2  # a platform is mostly where the story happens, not who it is about
            salience[self.canonical(mention.name)] += weight
        self.salience = salience
        self.main_orgs = [name for name, _ in salience.most_common(2)]
        # one organisation the article is about: named at least twice as often as any other
        top = salience.most_common(2)
        self.main_dominant = bool(top) and top[0][1] >= 3 and (len(top) < 2 or top[0][1] >= 2 * top[1][1])
        last_named = {self.canonical(name): name for _, name in self.orgs}
        self._main_names = [last_named[key] for key in self.main_orgs if key in last_named]
        self._by_name: dict[str, Speaker] = {}
        self._by_surname: dict[str, list[str]] = {}  # surname -> names, latest last
        self._by_word: dict[str, list[str]] = {}  # any word of a name -> names, latest last
        self._spoke: set[tuple[str | None, str | None]] = set()  # (name, role) of every speaker
        self.speakers: list[Speaker] = []
        self._nameless_at: list[tuple[int, Speaker]] = []  # people without a name, where last met
        self.last_person: Speaker | None = None
        self.last_speaker: Speaker | None = None
        self.last_org_speaker: Speaker | None = None
        self.seen: dict[str, int] = {}  # a person's name -> where the text last named them, latest last
        self.gender: dict[str, str] = {}
        self.org_spoke: set[str] = set()

    # ----------------------------------------------------------------- places and names

    def para_at(self, position: int) -> int:
        return max(0, bisect_right(self._para_starts, position) - 1)

    @staticmethod
    def _read_aliases(masked: str) -> dict[str, str]:
        """ "China Energy Investment Corp. (CHN Energy)": the bracketed name is the same organisation."""
        aliases = {}
        # "The state-owned company, formally known as China Energy Investment Corporation": the
        # same organisation as the one the sentence's subject refers to, which the article named before
        for match in re.finditer(
            r"(?:formally|officially|legally)\s+(?:known\s+as|named|called)\s+(?:the\s+)?([A-Z][\w&'’.-]*"
            r"(?:\s+(?:of|and|for|&)?\s*[A-Z][\w&'’.-]*)*)",
            masked,
        ):
            before = [s.text for s in name_spans(masked[max(0, match.start() - 3000) : match.start()])]
            earlier = next(
                (
                    n
                    for n in reversed(before)
                    if looks_like_org(n) and n != match.group(1) and n not in lx.PLATFORM_ORGS
                ),
                None,
            )
            if earlier:
                aliases[_canonical(earlier)] = _canonical(match.group(1))
        for match in re.finditer(
            r"([A-Z][\w&'’.-]*(?:\s+(?:of|and|for|&)?\s*[A-Z][\w&'’.-]*)*)\s+\(([A-Z][^()]{1,30})\)", masked
        ):
            aliases[_canonical(match.group(2))] = _canonical(match.group(1))
        return aliases

    def canonical(self, name: str) -> str:
        """One key for the names of one organisation: its bracketed alias and its short form."""
        key = self._keys.get(name)
        if key is None:
            key = _canonical(name)
            key = self._aliases.get(key, key)
            if " " not in key and name in self.short_names:
                key = self._full_names.get(key, key)
            self._keys[name] = key
        return key

    # ----------------------------------------------------------------- organisations

    def fullest(self, name: str) -> str:
        """The fullest name the article gives the organisation ``name``."""
        if self._fullest is None:
            self._fullest = fullest_names(n for _, n in self.orgs)
        return self._fullest.get(name, name)

    def main_org_names(self) -> list[str]:
        """The article's most named organisations, as it last names them."""
        return self._main_names

    def nearest_org(self, position: int, para: int) -> tuple[str, int] | None:
        """The last organisation named before ``position``, in paragraph ``para`` or the one before."""
        near = self.recent_orgs(position, para_from=max(0, para - 1))
        return (near[0].name, near[0].para) if near else None

    def kind_of(self, name: str) -> str:
        return org_kind(name, self.known)

    def _compatible(self, kind: str, name: str) -> bool:
        key = (kind, name)
        if key not in self._compatible_cache:
            self._compatible_cache[key] = self._is_compatible(kind, name)
        return self._compatible_cache[key]

    def _is_compatible(self, kind: str, name: str) -> bool:
        tokens = set(name.split())
        if kind == "company":
            return is_company(name, self.known)
        if kind == "any":
            return self._is_org_name(name)
        if kind == "producer":  # "the steelmaker", "the refiner": a company, never a platform
            return is_company(name, self.known) and name not in lx.PLATFORM_ORGS
        if kind == "platform":
            return name in lx.PLATFORM_ORGS or name in self.known and name not in lx.KNOWN_ORGS
        if kind == "regulator":
            return bool(tokens & {"Ministry", "Commission", "Administration", "Bureau"})
        if kind == "Airlines":  # "the airline": Air China, China Eastern Airlines, Cathay Pacific Airways
            return bool(tokens & {"Airlines", "Airline", "Air", "Airways"})
        return kind in tokens or (kind == "Bank" and name in {"ICBC", "CCB"})

    def org_for(self, ref: str, position: int) -> str | None:
        """Most recent organisation of the kind named by ``ref`` ("company", "ministry" ...)."""
        kind = lx.ORG_REFS[ref]
        for start, name in reversed(self.orgs):
            if start >= position or name in lx.MEDIA:
                continue
            if kind in ("company", "any") and self._is_bystander_platform(name):
                continue
            if self._compatible(kind, name):
                return name
        return None

    def org_alternatives(self, ref: str, position: int) -> list[tuple[str, dict[str, float]]]:
        """Every organisation of the kind ``ref`` names, nearest first, with its features."""
        kind = lx.ORG_REFS[ref]
        found: list[tuple[str, dict[str, float]]] = []
        keys: set[str] = set()
        para = self.para_at(position)
        for mention in self._mentions_before(position):
            if mention.name in lx.MEDIA or not self._compatible(kind, mention.name):
                continue
            key = self.canonical(mention.name)
            if key in keys:
                continue
            keys.add(key)
            rank = min(len(found), 2)
            features = {f"ref{rank}": 1.0}
            if mention.subject:
                features["ref_subject"] = 1.0
            if para - mention.para >= 2:
                features["ref_far"] = 1.0
            if key in self.org_spoke:
                features["ref_spoke"] = 1.0
            if kind in ("company", "any") and self._is_bystander_platform(mention.name):
                features["ref_bystander"] = 1.0  # a platform named as where things happen
            if mention.owner:
                features["ref_owner"] = 1.0
            found.append((mention.name, features))
            if len(found) >= _ALTERNATIVES:
                break
        for aside in ("ref_bystander", "ref_owner"):
            if not any(aside not in features for _, features in found):
                continue
            # "the company" is a platform only when no other company is in view, and the owner
            # an article names in passing ("The company, a subsidiary of X, ...") only when no
            # other one is
            found = [(name, features) for name, features in found if aside not in features]
            for rank, (_, features) in enumerate(found):
                for key in [k for k in features if k[3:].isdigit()]:
                    del features[key]
                features[f"ref{min(rank, 2)}"] = 1.0
        return found

    def _mentions_before(self, position: int, limit: int = 120) -> list[OrgMention]:
        """The organisations named before ``position``, nearest first: the last ``limit``
        (bounds the work per quote, so long articles stay linear)."""
        end = bisect_right(self._org_starts, position - 1)
        return self.org_mentions[max(0, end - limit) : end][::-1]

    def _names_org_start(self, name: str) -> bool:
        """ "said China Southern" when the article names China Southern Airlines: words that
        open an organisation's name, and that open with a place, are that organisation."""
        words = name.split()
        if len(words) < 2 or words[0] not in lx.PLACES:
            return False
        if self._org_starts_set is None:  # every run of two or more words opening a name, built once
            self._org_starts_set = {
                " ".join(n.split()[:k]) for _, n in self.orgs for k in range(2, min(len(n.split()), 6))
            }
        return name in self._org_starts_set

    def _is_org_name(self, name: str) -> bool:
        return looks_like_org(name, self.known) or name in self.short_names

    def _is_bystander_platform(self, name: str) -> bool:
        """A platform the article talks about, rather than one that has spoken or is the subject."""
        spoke = self.last_org_speaker is not None and self.last_org_speaker.org == name
        platform = name in lx.PLATFORM_ORGS or name.split()[0] in lx.PLATFORM_ORGS  # "WeChat Channels"
        return platform and name not in self.known and not spoke

    def issuer(self, position: int) -> str | None:
        """Who issued "the notice": the organisation that spoke last, else the last one named."""
        if self.last_org_speaker is not None:
            return self.last_org_speaker.org
        return next((name for start, name in reversed(self.orgs) if start < position and name not in lx.MEDIA), None)

    def recent_orgs(self, position: int, *, para_from: int) -> list[OrgMention]:
        """Organisations named before ``position`` from paragraph ``para_from`` on, nearest first."""
        found = []
        for mention in self._mentions_before(position):
            if mention.para < para_from:
                break
            found.append(mention)
        return found

    # ----------------------------------------------------------------- people

    def _person(self, name: str) -> Speaker | None:
        """The person ``name`` means: the full name, else the latest person with that surname,
        else the latest with that word in their name."""
        person = self._by_name.get(name)
        if person is not None or " " in name:
            return person
        for index in (self._by_surname, self._by_word):
            names = index.get(name)
            if names:
                return self._by_name[names[-1]]
        return None

    def _people_named(self, name: str) -> list[Speaker]:
        """Everyone ``name`` may mean (a full name, or a surname several people share), latest first."""
        if name in self._by_name or " " in name:
            return [self._by_name[name]] if name in self._by_name else []
        names = list(reversed(self._by_surname.get(name, [])))
        names += [n for n in reversed(self._by_word.get(name, [])) if n not in names]
        return [self._by_name[n] for n in names[:_ALTERNATIVES]]

    def _index_person(self, speaker: Speaker) -> None:
        """Keep the name indexes: the person is now the latest of their surname and words."""
        name = speaker.name
        self._by_name[name] = speaker
        for index, key in [(self._by_surname, surname(name))] + [(self._by_word, w) for w in name.split()]:
            names = [n for n in index.get(key, []) if n != name][-7:]
            index[key] = names + [name]

    def resolve(self, mention: Mention, position: int) -> Speaker:
        """The grammar's one reading of ``mention``."""
        if mention.document:
            org = self.issuer(position)
            return Speaker(None, None, org, True) if org else NOBODY
        if mention.definite and mention.pronoun:  # "the 52-year-old"
            return self.last_person or NOBODY
        if mention.pronoun in {"he", "she"}:
            return self.last_person or NOBODY
        if mention.pronoun == "it":
            if self.last_org_speaker is not None:
                return self.last_org_speaker
            para = self.para_at(position)
            subject = next((m for m in self.recent_orgs(position, para_from=max(0, para - 1)) if m.subject), None)
            return Speaker(None, None, subject.name, True) if subject else NOBODY
        if mention.pronoun == "they":
            return self.last_speaker if self.last_speaker and self.last_speaker.is_org else NOBODY
        if mention.definite:
            return next(iter(self._same_role(mention.role)), NOBODY)
        if mention.name_org_ref:
            org = self.org_for(mention.org_ref, position)
            return Speaker(None, None, org, True) if org else NOBODY
        org = mention.org or (self.org_for(mention.org_ref, position) if mention.org_ref else None)
        if org is None and mention.implied_org:
            org = self.org_for("company", position)
        if mention.name is None:
            return Speaker(None, mention.role, org, False)
        if mention.is_org:
            return Speaker(None, None, mention.name, True)
        known_person = self._person(mention.name)
        if known_person is None and (
            (" " not in mention.name and self._is_org_name(mention.name)) or self._names_org_start(mention.name)
        ):
            return Speaker(None, None, mention.name, True)
        if known_person is not None:
            return Speaker(known_person.name, mention.role or known_person.role, org or known_person.org, False)
        return Speaker(mention.name, mention.role, org, False)

    def alternatives(self, mention: Mention, position: int) -> list[Who]:
        """Every reading of ``mention`` the text allows, each with its features (``s:``) and
        the organisations that may be the speaker's (``orgs``)."""
        if mention.document:
            issuers = []
            if self.last_org_speaker is not None and self.last_org_speaker.org:
                issuers.append((self.last_org_speaker.org, {"issuer_spoke": 1.0}))
            for rank, org in enumerate(self._recent_org_names(position)):
                issuers.append((org, {f"issuer_named{min(rank, 2)}": 1.0}))
            return self._org_speakers(issuers)
        if mention.pronoun in {"he", "she"} or (mention.definite and mention.pronoun):
            return self._person_alternatives(position, None if mention.definite else mention.pronoun)
        if mention.pronoun == "it":
            options = []
            if self.last_org_speaker is not None:
                options.append((self.last_org_speaker.org, {"it_spoke": 1.0}))
            para = self.para_at(position)
            for rank, org in enumerate(m for m in self.recent_orgs(position, para_from=max(0, para - 1)) if m.subject):
                options.append((org.name, {f"it_subject{min(rank, 1)}": 1.0}))
                if rank >= 1:
                    break
            return self._org_speakers(options)
        if mention.pronoun == "they":
            speaker = self.last_speaker
            return self._org_speakers([(speaker.org, {"they_spoke": 1.0})] if speaker and speaker.is_org else [])
        if mention.definite:
            found = []
            for rank, s in enumerate(self._same_role(mention.role)):
                memory = ((s.org, "memory"),) if s.org else ()
                found.append(Who(s.name, s.role, orgs=memory, features={f"same_role{min(rank, 1)}": 1.0}))
                if len(found) >= 2:
                    break
            return found
        if mention.name_org_ref:
            return self._org_speakers(
                [
                    (org, {f"s{name}": value for name, value in features.items()})
                    for org, features in self.org_alternatives(mention.org_ref, position)
                ]
            )
        if mention.is_org or (
            mention.name
            and ((" " not in mention.name and self._is_org_name(mention.name)) or self._names_org_start(mention.name))
            and not self._person(mention.name)
        ):
            return [Who(org=mention.name, is_org=True, features={"named_org": 1.0})]
        orgs = self._org_sources(mention, position)
        if mention.name is None:
            return [Who(None, mention.role, orgs=orgs, features={"nameless": 1.0})]
        people = self._people_named(mention.name)
        if not people:
            return [
                Who(
                    mention.name,
                    mention.role,
                    orgs=orgs,
                    features={"new_name" if " " in mention.name else "new_surname": 1.0},
                )
            ]
        found = []
        for rank, person in enumerate(people[:_ALTERNATIVES]):
            memory = ((person.org, "memory"),) if person.org else ()
            features = {"known_name" if person.name == mention.name else f"surname{min(rank, 1)}": 1.0}
            found.append(Who(person.name, mention.role or person.role, orgs=orgs + memory, features=features))
        return found

    def _same_role(self, role: str) -> list[Speaker]:
        """Speakers, then people described without a name, whose role is ``role`` ("the
        spokesperson", "the executive"), latest first."""
        head = role.lower().split()[-1]
        found = [s for s in reversed(self.speakers[-50:]) if s.role and s.role.lower() == role.lower()]
        found += [
            s
            for _, s in reversed(self._nameless_at)
            if s.role and s.role.lower().split()[-1] == head and s not in found
        ]
        return found

    def _org_sources(self, mention: Mention, position: int) -> tuple[tuple[str, str], ...]:
        sources: list[tuple[str, str]] = []
        if mention.org:
            sources.append((mention.org, "title"))
            unit = _ROLE_UNIT.search(mention.role or "")
            if unit:  # "deputy director of the Information Office" of "the Guangdong ... Government"
                for joiner in (" of the ", " of ", " at the ", " at "):
                    name = unit.group(1) + joiner + mention.org
                    if name in self.masked:
                        sources.append((name, "title_unit"))
                        break
        if mention.org_ref:
            for org, features in self.org_alternatives(mention.org_ref, position):
                rank = next(k for k in features if k.startswith("ref") and k[3:].isdigit())
                sources.append((org, rank))
                # how the text named it: as a subject, as a platform things happen on, as a speaker
                sources += [(org, name) for name in features if not name[3:].isdigit()]
        if mention.implied_org:
            company = self.org_for("company", position)
            if company:
                sources.append((company, "implied"))
        return tuple(sources)

    def _recent_org_names(self, position: int) -> list[str]:
        names, keys = [], set()
        for start, name in reversed(self.orgs):
            if start >= position or name in lx.MEDIA or self.canonical(name) in keys:
                continue
            keys.add(self.canonical(name))
            names.append(name)
            if len(names) >= 2:
                break
        return names

    def _org_speakers(self, orgs: list[tuple[str, dict[str, float]]]) -> list[Who]:
        found, keys = [], set()
        for org, features in orgs:
            key = self.canonical(org)
            if key in keys:
                continue
            keys.add(key)
            found.append(Who(org=org, is_org=True, features=features))
        return found

    def _person_alternatives(self, position: int, pronoun: str | None) -> list[Who]:
        """The people "he"/"she" may mean: the recent ones, nearest first."""
        candidates = [c for c in self.recently_seen(_ALTERNATIVES + 2) if c[0] < position]
        candidates += [c for c in self._nameless_at[-_ALTERNATIVES:] if c[0] < position]
        candidates.sort(key=lambda item: item[0], reverse=True)
        found: list[Who] = []
        last = self.last_person
        for at, person in candidates:
            if at >= position:
                continue
            features = {f"recent{min(len(found), 2)}": 1.0}
            if last is not None and person == last:
                features["last_person"] = 1.0
            if person.name is None:
                features["alt_nameless"] = 1.0
            gender = self.gender.get(person.name or "")
            wanted = {"he": "m", "she": "f"}.get(pronoun or "")
            if gender and wanted:
                features["gender_agrees" if gender == wanted else "gender_clashes"] = 1.0
            if (person.name, person.role) in self._spoke:
                features["spoke_before"] = 1.0
            memory = ((person.org, "memory"),) if person.org else ()
            found.append(Who(person.name, person.role, orgs=memory, features=features))
            if len(found) >= _ALTERNATIVES:
                break
        if last is not None and not any(w.name == last.name and w.role == last.role for w in found):
            memory = ((last.org, "memory"),) if last.org else ()
            found.insert(0, Who(last.name, last.role, orgs=memory, features={"last_person": 1.0}))
        return found

    # ----------------------------------------------------------------- reading events

    def _saw(self, name: str, position: int) -> None:
        self.seen.pop(name, None)
        self.seen[name] = position

    def recently_seen(self, limit: int) -> list[tuple[int, Speaker]]:
        """The people the text named last, latest first (at most ``limit``)."""
        found = []
        for name in reversed(self.seen):
            person = self._by_name.get(name)
            if person is not None:
                found.append((self.seen[name], person))
                if len(found) >= limit:
                    break
        return found

    def remember(self, speaker: Speaker, *, spoke: bool, position: int = -1) -> None:
        if not speaker.known:
            return
        if spoke:
            self.speakers.append(speaker)
            self._spoke.add((speaker.name, speaker.role))
            self.last_speaker = speaker
            if speaker.is_org:
                self.last_org_speaker = speaker
                if speaker.org:
                    self.org_spoke.add(self.canonical(speaker.org))
        if speaker.name:
            self._index_person(speaker)
            self.last_person = speaker
            if position >= 0:
                self._saw(speaker.name, position)
        elif spoke and speaker.role and not speaker.is_org:
            self.last_person = speaker  # "said one executive ... he added": the same unnamed person
            self._note_nameless(speaker, position)

    def _note_nameless(self, speaker: Speaker, position: int) -> None:
        self._nameless_at = [(at, s) for at, s in self._nameless_at[-20:] if s != speaker] + [(position, speaker)]

    def described(self, speaker: Speaker, position: int) -> None:
        """A nameless person the narrative introduces ("A teller at a Chengdu branch has ...")."""
        self.last_person = speaker
        self._note_nameless(speaker, position)

    def redescribed(self, role: str | None, org: str | None, position: int) -> None:
        """ "The 24-year-old teller at an ICBC branch ...": more about the person last named."""
        person = self.last_person
        if person is None or not person.name or (person.org and person.role):
            return
        updated = Speaker(person.name, person.role or role, person.org or org, False)
        self._index_person(updated)
        self.last_person = updated
        self._saw(person.name, position)

    def mentioned(self, name: str, position: int = -1) -> None:
        """A person named in the narrative becomes the one "he" or "she" means next."""
        words = name.split()
        honorific = words[0] if words and words[0] in lx.HONORIFICS else None
        words = [w for w in words if w not in lx.HONORIFICS]
        if not words:
            return
        name = " ".join(words)
        person = self._person(name)
        if person is not None:
            self.last_person = person
            if position >= 0:
                self._saw(person.name, position)
            full = person.name
        elif " " in name:
            self.remember(Speaker(name, None, None, False), spoke=False, position=position)
            full = name
        else:
            return
        if honorific in _FEMININE:
            self.gender[full] = "f"
        elif honorific in _MASCULINE:
            self.gender[full] = "m"

    def gendered(self, name: str, pronoun: str) -> None:
        """The narrative used "his"/"her" right after naming ``name``."""
        person = self._person(name)
        if person is not None and person.name not in self.gender:
            self.gender[person.name] = "f" if pronoun.lower() in {"she", "her", "hers", "herself"} else "m"


def unit_without_org(role: str | None) -> bool:
    """A role naming a unit but not its organisation: "deputy head of the news center"."""
    return bool(role and _UNIT_WORDS.search(role))
