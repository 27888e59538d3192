"""Mentions of people and organisations in English attribution phrases.

``spans`` finds runs of capitalised words (candidate names); ``parse_subject`` reads
the subject of a speech cue -- a name with its title and organisation, a nameless role
("a Sinopec spokesperson"), an organisation, a pronoun or a reference ("the company") --
into a ``Mention``, before it is resolved against the article (``en.Discourse``).
Sentence helpers used by both live here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from registry.statements import en_lexicon as lx
from registry.statements.text import squash  # noqa: F401 - re-exported for en

# --------------------------------------------------------------------------- text helpers


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence terminator that really ends a sentence."""
    ends = []
    for match in lx.SENTENCE_END.finditer(text):
        start = match.start()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "."):
            start -= 1
        token = text[start : match.start()].lower()
        following = lx.NEXT_WORD.match(text, match.end())
        if match.group().startswith(".") and (
            token in lx.ABBREVIATIONS
            or re.fullmatch(r"[a-z](?:\.[a-z])*", token)  # initials: "John F. Kennedy", "K.W. Lam"
            or (token in lx.COMPANY_SUFFIXES and following and following.group(1).lower() in lx.COMPANY_SUFFIXES)
        ):
            continue
        ends.append(match.end())
    return ends


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of one paragraph."""
    spans, start = [], 0
    for end in sentence_ends(text):
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def last_sentence(text: str) -> str:
    """The (possibly empty) unfinished sentence at the end of ``text``."""
    ends = sentence_ends(text)
    return text[ends[-1] :] if ends else text


def first_sentence(text: str) -> str:
    ends = sentence_ends(text)
    return text[: ends[0]] if ends else text


NATIVE_NAME = re.compile(r"\s*[（(][^()（）]{0,30}[\u3400-\u9fff][^()（）]{0,30}[)）]|\s*\([A-Z][A-Z&]{1,9}\)")


def strip_native(text: str) -> str:
    """Drop a name's Chinese form or an acronym in brackets: "Ma Jun (马骏), the group's
    manager", "the State Administration for Market Regulation (SAMR)"."""
    return NATIVE_NAME.sub("", text) if "(" in text or "（" in text else text


def split_chunks(text: str) -> list[str]:
    return [chunk.strip() for chunk in re.split(r",\s+|\s+(?:[—–]|--)\s+", text) if chunk.strip()]


# --------------------------------------------------------------------------- names


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    possessive: bool


WORD_RE = re.compile(r"[^\W_](?:[\w&]|['’.\-](?=[^\W_]))*(?:['’]s\b)?")
PAREN_WORD = re.compile(r"(?<=\w) \(([A-Z][a-z]+(?: [A-Z][a-z]+)?)\)(?=[ ,.;]|$)")  # "(Beijing)", "(Hong Kong)"
INITIALS = re.compile(r"[A-Z](?:\.[A-Z])*")
CONNECTORS = frozenset({"of", "the", "and", "for", "&", "de", "van", "von", "der", "du", "la", "le", "bin"})


def is_capitalised(word: str) -> bool:
    return word[0].isupper() or (word[0].isdigit() and any(c.isupper() for c in word))


def strip_possessive(word: str) -> tuple[str, bool]:
    if re.search(r"['’]s$", word) and len(word) > 2:
        return word[:-2], True
    return word, False


def name_spans(text: str) -> list[Span]:
    """Runs of capitalised words: candidate names of people and organisations.

    Lower-case connectors (of, and, for, the after of, &) join capitalised words; a
    possessive ends the run. Sentence openers are trimmed from the front, a lone demonym or
    month is dropped, and an "and" that does not belong to an organisation name splits the
    run in two.
    """
    original = text
    if "(" in text:  # "Chongqing Rail Transit (Group) Co.": the bracketed word is part of the name
        text = PAREN_WORD.sub(lambda m: f"  {m.group(1)} ", text)  # same length: offsets hold
    words = list(WORD_RE.finditer(text))
    spans: list[Span] = []
    i = 0
    while i < len(words):
        if not is_capitalised(words[i].group()):
            i += 1
            continue
        j = i
        while (not strip_possessive(words[j].group())[1] or words[j].group() in lx.NAME_POSSESSIVES) and (
            k := next_name_word(text, words, j)
        ) is not None:
            j = k
        spans.extend(trim_span(original, words[i : j + 1]))
        i = j + 1
    return spans


_TITLED = frozenset({"Mr", "Mrs", "Ms", "Dr", "Prof"})
_ABBREVIATED_FORMS = frozenset({"Co", "Corp", "Inc", "Ltd"})  # "Mr. Zhou": the full stop does not end the name


def next_name_word(text: str, words: list[re.Match[str]], j: int) -> int | None:
    """Index of the capitalised word continuing the name that ends at ``words[j]``, if any."""
    k = j + 1
    while k < len(words) and k - j <= 2 and words[k].group() in CONNECTORS:
        if words[k].group() == "the" and words[k - 1].group() != "of":
            break
        k += 1
    if k == len(words) or not is_capitalised(words[k].group()):
        return None
    # Only single spaces may separate the words: a comma or a full stop ends the name,
    # except the full stop of an initial ("K.W. Lam", "Francis T. Chan").
    gap = text[words[j].end() : words[k].start()]
    if gap == ". " and k == j + 1 and (INITIALS.fullmatch(words[j].group()) or words[j].group() in _TITLED):
        return k
    if gap == ". of " and words[j].group() in _ABBREVIATED_FORMS:
        return k  # "Ping An Insurance (Group) Co. of China": the legal form's full stop
    if not gap[:1].isspace() or "\n" in gap or re.search(r"[^\w\s&]", gap):
        return None
    return k if [t for t in gap.split() if t != "&"] == [w.group() for w in words[j + 1 : k]] else None


def trim_span(text: str, words: list[re.Match[str]]) -> list[Span]:
    while words and (words[0].group() in lx.SPAN_OPENERS or words[0].group() in CONNECTORS):
        if words[0].group() == "He" and len(words) in (2, 3):
            break  # the surname He ("He Wei"), not the pronoun
        words = words[1:]
    if not words or (len(words) == 1 and strip_possessive(words[0].group())[0] in lx.NOT_NAMES):
        return []
    possessive = strip_possessive(words[-1].group())[1] and words[-1].group() not in lx.NAME_POSSESSIVES
    start, end = words[0].start(), words[-1].end() - (2 if possessive else 0)
    if text.count("(", start, end) > text.count(")", start, end) and text[end : end + 1] == ")":
        end += 1  # "China University of Petroleum (Beijing)": the bracket closes the name
    name = text[start:end]
    if " and " not in name or has_org_keyword(name):
        return [Span(start, end, name, possessive)]
    spans, offset = [], start  # "Zhang Wei and Li Ming": two people
    parts = name.split(" and ")
    for index, part in enumerate(parts):
        spans.append(Span(offset, offset + len(part), part, possessive and index == len(parts) - 1))
        offset += len(part) + len(" and ")
    return spans


def has_org_keyword(name: str) -> bool:
    return any(token in lx.ORG_KEYWORDS for token in name.split())


def looks_like_org(name: str, known: frozenset[str] = frozenset()) -> bool:
    """Organisation by keyword (Co, Ministry, University ...), gazetteer, acronym or cue."""
    if not name:
        return False
    tokens = name.split()
    if name in known or has_org_keyword(name) or any(token in lx.KNOWN_ORGS for token in tokens):
        return True
    if len(tokens) > 1 and any(name.endswith(f" {place}") for place in lx.PLACES):
        return True  # "Nike China": people are not named after places
    if name.title() in lx.PLACES:
        return False  # "BEIJING", a dateline
    if re.fullmatch(r"[A-Z]{1,4}-?\d{2,4}[A-Z]?", name):
        return False  # "C919", "ARJ21", "A320": a model of a product, not an organisation
    return bool(re.fullmatch(r"[A-Z][A-Z0-9&]{1,7}", name)) and name not in lx.NOT_ACRONYM_ORGS


def is_company(name: str, known: frozenset[str]) -> bool:
    """A business rather than a ministry, university or newspaper (a "Group" always is)."""
    tokens = set(name.split())
    if tokens & lx.COMPANY_KEYWORDS:
        return True
    return looks_like_org(name, known) and not tokens & lx.NON_COMPANY_KEYWORDS


def surname(name: str) -> str:
    """Family name: first token for common Chinese surnames ("Li Zhengmao"), else the last."""
    tokens = name.split()
    if len(tokens) > 1 and tokens[0] in lx.CHINESE_SURNAMES:
        return tokens[0]
    if len(tokens) > 2 and tokens[-2] in lx.CHINESE_SURNAMES:  # "Peter Zhu Yiming"
        return tokens[-2]
    return tokens[-1]


def is_title_word(token: str) -> bool:
    if token in lx.TITLE_WORDS or token in lx.TITLE_MODIFIERS or token.lower() in lx.ROLE_NOUNS:
        return True
    # "Co-Chief", "Vice-Chairman", "Deputy-Director": a prefix on a title is a title
    prefix, dash, rest = token.partition("-")
    return bool(dash) and prefix.lower() in {"co", "vice", "deputy", "acting", "ex"} and is_title_word(rest)


def split_title_words(name: str) -> tuple[str, str]:
    """Split "Xiaomi CEO Lei Jun" into ("Lei Jun", "Xiaomi CEO"); drop honorifics.

    A capitalised title may run over "of": "China Eastern Vice President of Customer
    Service Xu Jianping" gives ("Xu Jianping", "China Eastern Vice President of Customer
    Service"): after "of", the person is the last two words.
    """
    tokens = name.split()
    title_at = max((i for i, token in enumerate(tokens) if token in lx.TITLE_WORDS), default=-1)
    rest = tokens[title_at + 1 :]
    if title_at >= 0 and len(rest) >= 3 and rest[0] in ("of", "for", "at"):
        return " ".join(rest[-2:]), " ".join(tokens[: len(tokens) - 2])
    person = [t for t in rest if t not in lx.HONORIFICS]
    return " ".join(person), " ".join(tokens[: title_at + 1])


# --------------------------------------------------------------------------- subjects


@dataclass(frozen=True)
class Mention:
    """A speaker as written in the text, before resolution against the discourse."""

    name: str | None = None
    role: str | None = None
    org: str | None = None
    is_org: bool = False
    pronoun: str | None = None
    org_ref: str | None = None  # "company" in "general manager of the company"
    name_org_ref: bool = False  # the speaker itself is "the ministry"
    definite: bool = False  # "the spokesperson": someone already introduced
    document: bool = False  # "the notice said": whoever issued it
    implied_org: bool = False  # "Chief Financial Officer Ma Lan": an officer of the company in the news


def has_role_noun(text: str) -> bool:
    return any(word.strip(".,").lower() in lx.ROLE_NOUNS for word in re.split(r"[\s/]+", text))


def org_ref(text: str) -> str | None:
    match = lx.ORG_REF_RE.match(text.lower().strip())
    return match.group(1) if match else None


def is_descriptor_word(word: str) -> bool:
    return word in lx.NOT_NAMES or word in lx.PLACES or word.endswith("-based")


# "the company's brand department", "the utility's press office": a unit of the organisation meant.
_REF_OWNS = re.compile(rf"(?:the|its)\s+(?:[a-z-]+\s+){{0,2}}({'|'.join(lx.ORG_REFS)})['’]s\s+[a-z][\w\s-]*$", re.I)
_UNIT_HEAD = re.compile(r"\b(?:office|department|team|division|unit|bureau|center|centre|headquarters|board)$", re.I)


_LOCAL_GOVERNMENT = re.compile(
    r"(?:[A-Z][\w'’-]*\s+){1,3}(?:provincial|municipal|city|county|district|regional|prefectural|township)\s+"
    r"(?:people['’]s\s+)?(?:government|party\s+committee|bureau|department|commission|office|court|procuratorate)"
)


_OWNED_UNIT = re.compile(
    r"(?P<owner>[A-Z][\w&.-]*(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z][\w&.-]*)*)['’]s\s+"
    r"(?P<unit>[A-Z][\w&-]*(?:\s+(?:of\s+|and\s+|for\s+|&\s+)?[A-Z][\w&-]*)*)"
)


def parse_org_phrase(text: str) -> tuple[str | None, str | None]:
    """(org, org_ref) for text that should name an organisation, e.g. "the Ministry of X"."""
    text = text.strip().rstrip(".")
    local = _LOCAL_GOVERNMENT.fullmatch(re.sub(r"^the\s+", "", text, flags=re.I))
    if local:  # "the Guangdong provincial government": a body named in lower case after its place
        return local.group(), None
    ref = org_ref(text)
    if ref:
        return None, ref
    owner = _REF_OWNS.match(text)
    if owner:  # "the company's brand department"
        return None, owner.group(1).lower()
    if re.fullmatch(r"its\s+[\w\s-]+", text, re.I) and _UNIT_HEAD.search(text):
        return None, "its"  # "head of its new-media centre": the organisation the sentence is about
    bare = re.sub(r"^the\s+", "", text, flags=re.I)
    owned = _OWNED_UNIT.fullmatch(bare)
    if owned and looks_like_org(owned.group("owner")) and not set(owned.group("unit").split()) & lx.COMPANY_KEYWORDS:
        # "Sinopec's Shengli Oilfield", "Fudan University's School of Journalism": a named unit
        # of an organisation is the organisation as the text names it
        return bare, None
    spans = name_spans(bare)
    if spans and spans[0].start == 0 and spans[0].possessive and lx.POSSESSIVE_UNIT.fullmatch(bare[spans[0].end :]):
        return spans[0].text, None  # "Huawei's software ecosystem department"
    if not spans or spans[-1].end != len(bare) or spans[-1].possessive:
        return None, None
    # "consultancy Brandwise", "Hong Kong-based brokerage CLSA": descriptors, no prepositions.
    descriptor = lx.BASED_IN.sub("", bare[: spans[-1].start]).split()
    if any(lx.PREPOSITION.fullmatch(w) or not (w[0].islower() or is_descriptor_word(w)) for w in descriptor):
        return None, None
    if spans[-1].text in lx.NOT_ACRONYM_ORGS:
        return None, None
    return without_based(spans[-1].text), None


def without_based(name: str) -> str:
    """ "Shenzhen-based Lianhe Electronics" -> "Lianhe Electronics"."""
    return re.sub(r"^(?:[A-Z][\w'’]*\s+)*[A-Z][\w'’]*-based\s+", "", name)


# "the corporate communication department": a unit described by its work is part of a role;
# "the department" alone refers back to one the article named.
_UNIT_REFS = frozenset({"department", "bureau"})
_DESCRIBED_UNIT = re.compile(r"(?:the|its)\s+(?:[a-z-]+\s+){1,3}(?:department|bureau)", re.I)


def parse_appositive(text: str, known: frozenset[str], *, need_role: bool) -> tuple[str | None, ...]:
    """(role, org, org_ref) from a title such as "counselor of the Information Department at
    the Ministry of Foreign Affairs", "a Sinopec spokesperson" or "general manager of the company".

    A relative clause ("who supplies Yili") and a trailing location ("in Hong Kong") are not
    part of the title.
    """
    text = lx.ARTICLE.sub("", strip_native(text).strip().rstrip(".,;:—– "))
    if re.match(r"(?:who|which|whose|that)\b", text):
        return None, None, None
    text = lx.RELATIVE_CLAUSE.sub("", text)
    text = lx.TRAILING_LOCATION.sub("", text)
    if not text or re.fullmatch(r"[\d\s-]+(?:years? old)?", text):
        return None, None, None
    own = re.fullmatch(rf"({'|'.join(lx.ORG_REFS)})(['’]s)?\s+(.+)", text)  # "ministry spokesperson"
    if own and has_role_noun(own.group(3)) and (own.group(2) or not re.search(r"\s(?:of|at|for|with)\s", own.group(3))):
        return own.group(3), None, own.group(1)
    for prep in re.finditer(r"\s+(?:of|at|for|with|from)\s+", text):
        org, ref = parse_org_phrase(text[prep.end() :])
        if ref in _UNIT_REFS and _DESCRIBED_UNIT.fullmatch(text[prep.end() :]):
            continue  # "head of the corporate communication department": a unit in the role, not a reference
        role = text[: prep.start()].strip()
        if not role or not (org or ref) or org in lx.PLACES:
            continue
        if org and not (looks_like_org(org, known) or has_role_noun(role)):
            continue
        if org and not text.endswith(org):
            return text, org, None  # possessive unit: "president of Huawei's software department"
        if org:
            role, org = split_subunit(text, prep.start(), org, known)
        return role, org, ref
    # "Sinopec spokesperson", "Kuaishou's vice-president"
    spans = name_spans(text)
    if spans and spans[0].start == 0 and not is_descriptor_word(spans[0].text):
        rest = lx.POSSESSIVE_TAIL.sub("", text[spans[0].end :]).strip()
        if rest and rest[0].islower() and not name_spans(rest):
            return rest, spans[0].text, None
    if need_role and not has_role_noun(text):
        return None, None, None
    return text, None, None


def split_subunit(text: str, prep_start: int, org: str, known: frozenset[str]) -> tuple[str, str]:
    """Keep a sub-unit in the role: "professor at the School of X" of "Beijing Normal University"."""
    if org.split()[0] in lx.SUBUNITS:
        for parent in reversed(list(re.finditer(r"\s+of\s+(?:the\s+)?", text))):
            if parent.start() <= prep_start:
                break
            name = text[parent.end() :]
            if looks_like_org(name, known) and name.split()[0] not in lx.SUBUNITS:
                return text[: parent.start()], name
    return text[:prep_start], org


def parse_role_phrase(text: str, known: frozenset[str]) -> Mention | None:
    """A speaker without a name: "a Sinopec spokesperson", "a spokeswoman for the ministry"."""
    match = lx.STATEMENT_FROM.match(text)
    if match:
        org, ref = parse_org_phrase(match.group("org"))
        if org or ref:
            return Mention(name=org, is_org=True, org_ref=ref, name_org_ref=bool(ref))
        return None
    if not has_role_noun(text):
        return None
    role, org, ref = parse_appositive(text, known, need_role=True)
    if not role:
        return None
    if org in lx.PLATFORM_ORGS and role.split()[-1].lower() in {"user", "users", "netizen", "blogger", "viewer", "fan"}:
        org = None  # "a Weibo user" speaks for nobody
    if text.lower().startswith("the ") and not (org or ref):
        return Mention(role=role, definite=True)
    return Mention(role=role, org=org, org_ref=ref)


def parse_premodifier(prefix: str) -> tuple[str | None, str | None, bool]:
    """(role, org, names_an_org) for words before a name: "Huawei founder", "video-sharing app"."""
    prefix = lx.ARTICLE.sub("", prefix.strip())
    if not prefix:
        return None, None, False
    words = prefix.split()
    if words[-1] in lx.ORG_CUE_NOUNS:  # lower case: "video-sharing app Kuaishou"
        return None, None, True
    spans = name_spans(prefix)
    if spans and spans[0].start == 0 and not is_descriptor_word(spans[0].text):
        rest = lx.POSSESSIVE_TAIL.sub("", prefix[spans[0].end :]).strip()
        org_words = spans[0].text.split()
        if all(is_title_word(w) or w in CONNECTORS for w in org_words):
            return (prefix if prefix else None), None, False  # "Chief Financial Officer"
        # "Sinopec Brand Director": the organisation, then a capitalised title
        cut = next((k for k in range(1, len(org_words)) if is_title_word(org_words[k])), None)
        if cut is not None and org_words[cut - 1] not in CONNECTORS:
            title = " ".join(org_words[cut:])
            return " ".join(part for part in (title, rest) if part) or None, " ".join(org_words[:cut]), False
        return rest or None, spans[0].text, False
    return (prefix if has_role_noun(prefix) else None), None, False


_PERSON_OF_ORG = re.compile(
    r"(?P<name>(?:[A-Z][\w.'’-]*\s+){1,4}?[A-Z][\w'’-]*)\s+(?:of|from|at)\s+(?:the\s+)?(?P<org>[A-Z][\w&'’.()-]*"
    r"(?:\s+(?:of|and|for|&)?\s*[A-Z][\w&'’.()-]*)*)"
)


_PLACE_ADJECTIVE = re.compile(r"(?<=['’]s\s)(?:[A-Z][a-z]+(?:an|ese|ish|ic))(?=\s+[a-z])")


def parse_head(head: str, known: frozenset[str]) -> Mention | None:
    """Parse the head of a subject: a pronoun, an org reference, a name (with pre-modifiers)."""
    head = lx.HEAD_CUT.sub("", head.strip(" ,;:—–-"))
    head = lx.TRAILING_ADVERBS.sub("", re.sub(r"^(?:and|but|so)\s+", "", head, flags=re.I)).strip()
    # "Cosco's European head of communications": a capitalised adjective of place inside a title
    head = _PLACE_ADJECTIVE.sub(lambda m: m.group().lower(), head)
    lowered = head.lower()
    if lowered in lx.PRONOUNS:
        return Mention(pronoun=lowered)
    ref = org_ref(lowered)
    if ref:
        return Mention(is_org=True, org_ref=ref, name_org_ref=True)
    if lx.DOCUMENT_REF_RE.match(lowered):
        return Mention(is_org=True, document=True)
    own_document = lx.OWN_DOCUMENT.match(head)
    if own_document and looks_like_org(own_document.group("org"), known):
        return Mention(name=own_document.group("org"), is_org=True)  # "Haier's statement read"
    if lx.STATEMENT_FROM.match(head):  # "a statement posted by Haier on Weibo"
        return parse_role_phrase(head, known)
    owner = _REF_OWNS.match(lowered)
    if owner and _UNIT_HEAD.search(lowered):  # "the utility's press office said": the organisation speaks
        return Mention(is_org=True, org_ref=owner.group(1), name_org_ref=True)
    aged = re.fullmatch(r"the\s+(\d+-year-old)(?:\s+([a-z-]+))?", lowered)
    if aged:
        return Mention(role=aged.group(2), definite=True, pronoun="he")
    spans = name_spans(head)
    if not spans or spans[-1].end != len(head) or spans[-1].possessive:
        return parse_role_phrase(head, known)
    last = spans[-1]
    person_of = _PERSON_OF_ORG.fullmatch(head)
    if (
        person_of
        and not looks_like_org(person_of.group("name"), known)
        and looks_like_org(person_of.group("org"), known)
    ):
        # "Zhang Wei of Haier", "Professor Zhang Wei of Peking University", "Zhang Wei from Haier"
        found = parse_head(person_of.group("name"), known)
        if found is not None and found.name and not found.is_org and not found.org:
            return replace(found, org=person_of.group("org"))
    after_preposition = re.search(
        r"\b(?:at|of|with|for|from|in)\s+((?:(?:the|a|an|one|its|a\s+local|[a-z-]+)\s+){0,2})$", head[: last.start]
    )
    if after_preposition:
        modifiers = after_preposition.group(1)
        titled_name = (  # "ORG's head of retail marketing Chen Siyu": a title, then the name
            modifiers.strip()
            and not re.match(r"(?:the|a|an|one|its)\b", modifiers)
            and not looks_like_org(last.text, known)
            and 2 <= len(last.text.split()) <= 4
        )
        if not titled_name:
            return parse_role_phrase(head, known)  # "an official with the Industrial and Commercial Bank of China"
    name, title = split_title_words(last.text)
    prefix = f"{head[: last.start]} {title}".strip()
    if not name:
        return parse_role_phrase(head, known)
    role, org, cue = parse_premodifier(prefix)
    if cue or (not role and looks_like_org(name, known)):
        return Mention(name=name, is_org=True)
    if " " not in name and has_role_noun(name.lower().removesuffix("s")):
        return None  # "Analysts said ...": a group, not a named speaker
    if any(word[0].isupper() and word not in lx.HONORIFICS for word in head[: last.start].split()) and not (
        role or org
    ):
        return None  # unexplained capitalised words before the name: not a clean subject
    reference = re.fullmatch(
        rf"(?:(?:the|its)\s+)?(?:[a-z-]+\s+){{0,2}}?({'|'.join(lx.ORG_REFS)})['’]s\s+(.+)", role or "", re.I
    )
    if reference and not org:  # "the firm's chief executive Zhang Wei"
        return Mention(name=name, role=reference.group(2), org_ref=reference.group(1).lower())
    its = re.fullmatch(r"its\s+(.+)", role or "", re.I)
    if its and not org and has_role_noun(its.group(1)):  # "Its spokesman Chen Gang"
        return Mention(name=name, role=its.group(1), org_ref="its")
    corporate = bool(role) and not org and any(w in lx.CORPORATE_TITLES for w in role.split())
    return Mention(name=name, role=role, org=org, implied_org=corporate)


_GAVE_NAME = re.compile(r"who\s+gave\s+(?:only\s+)?(?:his|her|their)\s+(?:sur)?name(?:\s+as|,)?\s+([A-Z][\w'’-]+)")
_WORKS_AT = re.compile(
    r"who\s+(?:(?:has|had|have)\s+(?:long\s+)?|also\s+)?(?:teaches|taught|lectures|works|worked|researches|studies|"
    r"heads|headed|leads|led|runs|ran|manages|managed|oversees|directs|chairs|founded|co-founded|joined|represents|"
    r"serves|served|speaks|spoke|is|was|been)\b[\w\s'’-]*?\s+(?:at|for|with|of|in)\s+(?P<org>.+)$"
)


_RELATIVE_OWNER = re.compile(
    r"who\s+(?:[a-z]+\s+){1,2}?(?:(?:the|its)\s+(?:[a-z-]+\s+){0,2}(?P<ref>[a-z-]+)|(?P<org>[A-Z][\w&'’.-]*"
    r"(?:\s+(?:of|and|for|&)?\s*[A-Z][\w&'’.-]*)*))['’]s\b"
)
_RELATIVE_ITS = re.compile(r"who\s+(?:[a-z]+\s+){1,2}?its\s+\w")
_RELATIVE_JOINED = re.compile(
    r"who\s+(?:joined|founded|co-founded|leads|led|heads|headed|runs|ran)\s+(?P<org>[A-Z].*)$"
)


def relative_org(chunk: str, known: frozenset[str]) -> tuple[str | None, str | None]:
    """(org, org_ref) a relative clause ties a person to: "who teaches marketing at X", "who
    runs the company's livestream team", "who joined Haier in 2015"."""
    chunk = re.sub(r"^whose\s+[a-z-]+\s+", "who ", chunk)  # "whose team runs X's account": the person's unit
    works = _WORKS_AT.match(chunk)
    if works:
        phrase = lx.TRAILING_LOCATION.sub("", works.group("org"))
        phrase = re.sub(r"\s+(?:for|since|until|in|from|as)\s+(?:[a-z\d][\w-]*\s*)+$", "", phrase)  # "for five years"
        org, ref = parse_org_phrase(phrase)
        if org or ref:
            return org, ref
    its = _RELATIVE_ITS.match(chunk)
    if its:  # "who manages its Douyin channel": the organisation the sentence is about
        return None, "its"
    owner = _RELATIVE_OWNER.match(chunk)
    if owner:
        if owner.group("ref") and owner.group("ref").lower() in lx.ORG_REFS:
            return None, owner.group("ref").lower()
        if owner.group("org") and looks_like_org(owner.group("org"), known):
            return owner.group("org"), None
    joined = _RELATIVE_JOINED.match(chunk)
    if joined:
        spans = name_spans(joined.group("org"))
        if spans and spans[0].start == 0 and looks_like_org(spans[0].text, known):
            return spans[0].text, None
    return None, None


def with_appositives(mention: Mention, chunks: list[str], known: frozenset[str]) -> Mention:
    """Add the title from the appositive after a name ("Li Zhengmao, general manager of X"),
    the organisation from a chunk of its own after the title ("..., head of HR, CSCEC") or a
    relative clause ("who teaches marketing at X"), and a name the speaker gave ("a
    shopkeeper, who gave her surname as Sun")."""
    if mention.is_org or mention.pronoun:
        return mention
    if mention.name is None:
        for chunk in chunks:
            gave = _GAVE_NAME.match(chunk)
            if gave:
                return replace(mention, name=gave.group(1))
        return mention
    if mention.role or mention.org:
        return mention
    for index, chunk in enumerate(chunks):
        if lx.APPOSITIVE_STOP.match(chunk):
            org, ref = relative_org(chunk, known)
            if org or ref:
                return replace(mention, org=org, org_ref=ref)
            break
        if re.fullmatch(r"\d+", chunk):
            continue
        if looks_like_org(chunk, known) and name_spans(chunk) and name_spans(chunk)[0].text == chunk:
            return replace(mention, org=chunk)
        role, org, ref = parse_appositive(chunk, known, need_role=False)
        if role and not (org or ref) and index + 1 < len(chunks):
            following = chunks[index + 1]
            spans = name_spans(following)
            if spans and spans[0].text == following and looks_like_org(following, known):
                org = following
        if role or org or ref:
            return replace(mention, role=role, org=org, org_ref=ref)
        break
    return mention


def parse_subject(text: str, known: frozenset[str], *, verb_first: bool) -> Mention | None:
    """Parse the speaker part of an attribution.

    ``verb_first``: the subject follows the verb ("said Li Zhengmao, general manager of
    China Telecom"). Otherwise it precedes it ("Liu Yutong, counselor of ..., said"),
    possibly after an opener ("In a statement, the ministry said").
    """
    text = strip_native(text).strip().rstrip(".")
    if not text or any(mark in text for mark in lx.ALL_MARKS + "\x00"):
        return None
    if not verb_first:
        text = re.sub(r"^As\s+(?=[A-Z])", "", text)  # "As Zhang Wei, X's marketing chief, put it"
    has_appositive = text.rstrip().endswith((",", "—", "–", "--")) and not verb_first
    chunks = split_chunks(text.rstrip(", "))
    if not chunks:
        return None
    if verb_first:
        head, rest = chunks[0], chunks[1:]
    elif has_appositive:
        index = next((i for i, c in enumerate(chunks) if c.split()[0].lower() not in lx.INTRO_OPENERS), None)
        if index is None or index == len(chunks) - 1:
            head, rest = chunks[-1], []
        else:
            head, rest = chunks[index], chunks[index + 1 :]
    else:
        head, rest = chunks[-1], []
    mention = parse_head(head, known)
    if mention is None:
        return None
    if mention.name is None and mention.role and rest and not verb_first:
        spans = name_spans(rest[0])
        if spans and spans[0].text == rest[0] and not looks_like_org(rest[0], known) and 2 <= len(rest[0].split()) <= 4:
            return replace(mention, name=rest[0], definite=False)
    return with_appositives(mention, rest, known)


def org_part(name: str) -> str:
    """The organisation in a run such as "Sinopec Brand Director Liu Hongmei" ("Sinopec");
    a run that is only an organisation's name is returned as it is."""
    titled = re.match(r"(?:(?:[A-Z][\w-]*)\s+){0,3}?(?:of|at)\s+(?=[A-Z])", name)
    if titled and all(is_title_word(w) for w in titled.group().split()[:-1]):
        return name[titled.end() :]  # "Founder of Meiyang Appliances" opening a headline
    person, title = split_title_words(name)
    if not person or not title:
        return name
    _, org, _ = parse_premodifier(title)
    return org or name


def can_be_short_name(word: str) -> bool:
    """ "Hengxing" may stand for "Hengxing Auto Co"; "China", "Li" or "Group" may not."""
    vocabulary = lx.PLACES | lx.NOT_NAMES | lx.SPAN_OPENERS | lx.ORG_KEYWORDS | lx.CHINESE_SURNAMES
    return word not in vocabulary


def is_channel_mention(cleaned: str, span: Span) -> bool:
    """A platform named as a channel ("posted on Douyin and Kuaishou"), not as an actor."""
    if span.text not in lx.PLATFORM_ORGS:
        return False
    before = cleaned[max(0, span.start - 60) : span.start]
    return bool(
        re.search(r"\b(?:on|via|through|across|like|to|from|onto)\s+(?:[A-Z][\w-]*(?:,\s+|\s+(?:and|or)\s+))*$", before)
    )


# Role nouns after which "of X" is rarely an organisation ("a member of the public").
_GROUP_ROLES = frozenset({"member", "user", "resident", "customer", "consumer", "viewer", "follower", "fan", "student"})


def document_orgs(cleaned: str) -> frozenset[str]:
    """Names the article itself marks as organisations: after a common noun for one
    ("video-sharing app Kuaishou"), or owning what only organisations own ("Lanmo Tea's
    founder", "Lanmo's stores")."""
    found = set()
    for span in name_spans(cleaned):
        previous = re.search(r"([a-z-]+)\s+$", cleaned[max(0, span.start - 30) : span.start])
        if previous and previous.group(1) in lx.ORG_CUE_NOUNS and len(span.text.split()) <= 4:
            found.add(span.text)
        elif span.possessive and len(span.text.split()) <= 4 and lx.ORG_POSSESSIONS.match(cleaned, span.end):
            if span.text.split()[0] not in lx.HONORIFICS and span.text not in lx.PLACES:
                found.add(span.text)
        else:
            role = re.search(
                r"\b([A-Za-z][a-z-]*)\s+(?:of|at|for|with)\s+(?:the\s+)?$",
                cleaned[max(0, span.start - 40) : span.start],
            )
            noun = role.group(1).lower() if role else ""
            if noun not in lx.ROLE_NOUNS and noun.endswith("s"):
                noun = noun[:-1]  # "analysts at China Renaissance"
            if role and noun in lx.ROLE_NOUNS and noun not in _GROUP_ROLES and len(span.text.split()) <= 5:
                if span.text not in lx.PLACES and not span.possessive and span.text.split()[0] not in lx.HONORIFICS:
                    found.add(span.text)  # "chief executive of Lanmo Coffee", "an analyst with Morningstar"
    return frozenset(found)


# --------------------------------------------------------------------------- what the discourse reads


@dataclass(frozen=True)
class Attribution:
    mention: Mention
    position: int
    kind: str = ""  # the cue: post, pre, according, colon, remark, partial, caption, reported, headline, split, chain


@dataclass(frozen=True)
class Event:
    """Something the discourse must see in text order: a quote, a paraphrase or an intro."""

    position: int
    kind: str  # "quote", "paraphrase" or "intro"
    start: int = 0
    end: int = 0
    text: str = ""
    attribution: Attribution | None = None
    inherit: str = ""  # "previous": the speaker of the quote before
    echo_of: int = -1  # a headline quote: the start of the body quote whose words it repeats
