"""Options for the attribution model, the same for every language.

A language module finds, for each quote, its candidate speakers (``Who``: a person, a
nameless role-holder or an organisation speaking as itself, with the features of how
the text points at them). ``speaker_options`` pairs every person and role-holder with
every organisation that may be theirs, and describes each organisation by where it
comes from:

- ``title``: named in the attribution with the person ("deputy director of X", "X's
  spokesperson", 中国石化新闻发言人); ``title_unit``: the same with the department the
  title names ("Information Office of X", 清华大学新闻与传播学院); ``title_branch``: the
  same with a branch or institute of its own the title names (a regional bureau, a
  research centre: 云南电网公司曲靖供电局 of 曲靖供电局营销部副主任); ``title_school``: a
  university with the school the title names (北京大学新闻与传播学院); ``title_parent``: the
  organisation a longer name starts with (浙江省市场监督管理局 of 浙江省市场监督管理局网络交易监督);
  ``title_dept``: only a department (新闻办负责人), its organisation left to the article;
- ``ref0``/``ref1``/``ref2``: a reading of "the company" / 该公司 in the attribution,
  nearest first; ``implied``: the company a corporate title without one means;
- ``memory``: the organisation the person was introduced with earlier;
- ``main0``/``main1``: the article's two most named organisations (headline and first
  paragraphs counting double);
- ``near_para``/``near_prev``: the last one named before the quote, in its paragraph or
  the one before;

and by what kind of organisation it is (company, government, academic, media, platform)
when the text does not state it with the person. The role's kind (staff, expert, public,
nameless) goes with the inferred sources and with "none", so that an analyst keeps no
organisation the text does not give, and a shift supervisor in a story about a mine
takes the mining company.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from registry.statements.core import Speaker
from registry.statements.ranking import Option

__all__ = ["Organisations", "Who", "deduplicated", "fullest_names", "grammar_first", "speaker_options"]

# Organisations the text states with the person (the others are inferred from the article).
STATED = frozenset(
    {
        "title",
        "title_unit",
        "title_branch",
        "title_school",
        "title_parent",
        "title_dept",
        "memory",
        "ref0",
        "ref1",
        "ref2",
        "implied",
    }
)
_WITH_ROLE = frozenset({"main0", "near_para", "near_prev"})


@dataclass(frozen=True)
class Who:
    """A candidate speaker before the organisation is chosen: a person (``name``), a
    nameless role-holder (``role`` only) or an organisation speaking as itself (``org``,
    ``is_org``). ``orgs``: the organisations that may be the person's, as (name, source)."""

    name: str | None = None
    role: str | None = None
    org: str | None = None
    is_org: bool = False
    orgs: tuple[tuple[str, str], ...] = ()
    features: dict[str, float] = field(default_factory=dict)


class Organisations(Protocol):
    """What the options need to know about an article's organisations."""

    def canonical(self, name: str) -> str: ...

    def main_org_names(self) -> list[str]: ...

    def nearest_org(self, position: int, para: int) -> tuple[str, int] | None: ...

    def kind_of(self, name: str) -> str: ...

    def fullest(self, name: str) -> str: ...


_GENERIC_WORDS = frozenset(
    "corporation corp co ltd limited group company inc holdings plc incorporated of china the".split()
)


def fullest_names(names) -> dict[str, str]:
    """A name -> the fuller name the article gives the same organisation, when the fuller one
    only adds its country and legal form ("State Grid" -> "State Grid Corporation of China"):
    the corpus guide's and the registry's preferred form. A legal form alone ("China
    Telecom Corp Ltd") is left as the attribution words it: matching drops it anyway. Subsidiaries ("CRRC Changchun
    Railway Vehicles") and lists ("X and Y Group") are other organisations."""
    names = sorted(set(names), key=len)
    fullest: dict[str, str] = {}
    for index, short in enumerate(names):
        words = short.casefold().split()
        for long in names[index + 1 :]:
            longer = long.casefold().replace(".", "").replace(",", "").split()
            extra = set(longer[len(words) :])
            # a legal form alone changes nothing (matching drops it): keep the article's wording
            if longer[: len(words)] == [w.rstrip(".,") for w in words] and extra <= _GENERIC_WORDS and "china" in extra:
                fullest[short] = long
    return fullest


def speaker_options(
    orgs: Organisations,
    who: Who,
    extra: dict[str, float],
    *,
    position: int,
    para: int,
    role: str,
    unit: bool = False,
) -> list[Option]:
    """The options for one candidate speaker: itself if an organisation, else once per
    organisation that may be theirs, and once without. ``role``: the kind of the role
    (staff, expert, public, other, none, nameless); ``unit``: the role names a department
    but not its organisation."""
    features = {f"s:{name}": value for name, value in who.features.items()}
    features.update(extra)
    if who.is_org:
        if not who.org:
            return []
        features["s:is_org"] = 1.0
        features[f"s:org_kind_{orgs.kind_of(who.org)}"] = 1.0
        return [Option(Speaker(None, None, orgs.fullest(who.org), True), features)]
    if who.name is None and not who.role:
        return []
    features["s:is_person" if who.name else "s:is_nameless"] = 1.0
    found: dict[str, tuple[str, list[str]]] = {}

    def add(name: str, source: str) -> None:
        key = orgs.canonical(name)
        if key in found:
            found[key][1].append(source)
        else:
            found[key] = (orgs.fullest(name), [source])

    for name, source in who.orgs:
        add(name, source)
    for rank, name in enumerate(orgs.main_org_names()[:2]):
        add(name, f"main{rank}")
    near = orgs.nearest_org(position, para)
    if near is not None:
        add(near[0], "near_para" if near[1] == para else "near_prev")
    options = []
    for name, sources in found.values():
        org_features = dict(features)
        for source in sources:
            org_features[f"o:{source}"] = 1.0
            if source in _WITH_ROLE:
                org_features[f"o:{source}*{role}"] = 1.0
            if unit and source in _WITH_ROLE | {"memory"}:
                org_features[f"o:unit_role*{source}"] = 1.0
        if any(source in STATED for source in sources):
            org_features["o:stated"] = 1.0  # shared by every stated source: rare ones learn from common ones
        else:
            org_features["o:inferred"] = 1.0
            org_features[f"o:inferred_{orgs.kind_of(name)}"] = 1.0
        options.append(Option(Speaker(who.name, who.role, name, False), org_features))
    none_features = {**features, "o:none": 1.0, f"o:none*{role}": 1.0}
    if unit:
        none_features["o:unit_role*none"] = 1.0
    options.append(Option(Speaker(who.name, who.role, None, False), none_features))
    return options


def _key(speaker: Speaker) -> tuple:
    org = re.sub(r"\W+", " ", (speaker.org or "").casefold()).strip()
    return (speaker.name, org, speaker.is_org)


def deduplicated(options: list[Option]) -> list[Option]:
    """One option per (speaker, organisation): the features of duplicates are merged."""
    merged: dict[tuple, Option] = {}
    for option in options:
        key = _key(option.speaker)
        if key in merged:
            merged[key].features.update(option.features)
        else:
            merged[key] = option
    return list(merged.values())


def grammar_first(options: list[Option], first: Speaker) -> list[Option]:
    """The grammar's own reading leads (ties, and reading without a model, take it)."""
    if not first.known:
        index = next(i for i, o in enumerate(options) if o.is_nobody)
    else:
        key = _key(first)
        index = next((i for i, o in enumerate(options) if _key(o.speaker) == key), -1)
        if index < 0:
            return [Option(first, {"s:grammar_only": 1.0}), *options]
    return [options[index]] + options[:index] + options[index + 1 :]
