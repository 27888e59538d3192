"""Finding the registry's organisation behind a name in a list.

Every name of an organisation — English and Chinese names, short name, aliases
— is indexed under two keys:

- the *exact key*: NFKC (full-width to half-width), case-folded, punctuation and
  spacing collapsed ("SINOPEC  Group" = "sinopec group");
- the *loose key*: the exact key without legal suffixes and filler words
  (Co., Ltd., Inc., Corporation, Group, Holdings, 集团, 有限公司, 股份有限公司…),
  so "China Telecom Corp Ltd", "China Telecom" and "中国电信集团有限公司" /
  "中国电信" meet.

A name is looked up by its exact key first; only when that finds nothing is the
loose key tried. One organisation found is a match, several are *ambiguous*
(the user chooses), none means a new organisation.

The index is built with one query and held in memory (a few hundred bytes per
organisation), so matching a 500-row list costs one query, not 500.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

_PUNCTUATION = re.compile(r"[\s\-_.,'’‘\"“”()（）\[\]【】&/·・,，、:：;；!！?？]+")
# Longest first so "股份有限公司" goes before "有限公司" and "公司".
_ZH_SUFFIXES = sorted(
    [
        "股份有限公司",
        "有限责任公司",
        "集团有限公司",
        "集团股份有限公司",
        "控股有限公司",
        "有限公司",
        "集团公司",
        "总公司",
        "集团",
        "控股",
        "公司",
    ],
    key=len,
    reverse=True,
)
_EN_SUFFIX_WORDS = {
    "co",
    "company",
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "plc",
    "group",
    "holding",
    "holdings",
    "sa",
    "ag",
    "se",
    "nv",
    "bv",
    "spa",
    "ab",
    "asa",
    "gmbh",
    "kgaa",
    "the",
    "of",
}


def exact_key(name: str | None) -> str:
    text = unicodedata.normalize("NFKC", name or "").casefold()
    return _PUNCTUATION.sub(" ", text).strip()


def loose_key(name: str | None) -> str:
    """The exact key without legal suffixes and filler words. Falls back to the
    exact key when stripping would leave nothing ("Group Ltd")."""
    key = exact_key(name)
    compact = key.replace(" ", "") if re.search(r"[\u3400-\u9fff]", key) else key
    changed = True
    while changed:
        changed = False
        for suffix in _ZH_SUFFIXES:
            if compact.endswith(suffix) and len(compact) > len(suffix):
                compact, changed = compact[: -len(suffix)], True
    words = [w for w in compact.split(" ") if w and w not in _EN_SUFFIX_WORDS]
    return " ".join(words) or key


def names_of(name_en="", name_zh="", short_name="", aliases="") -> list[str]:
    names = [name_en, name_zh, short_name, *(aliases or "").splitlines()]
    return [n.strip() for n in names if n and n.strip()]


@dataclass
class Match:
    """What a row's names found: one organisation id, several, or none."""

    candidates: list[int] = field(default_factory=list)
    how: str = ""  # "exact" or "loose"

    @property
    def organisation_id(self) -> int | None:
        return self.candidates[0] if len(self.candidates) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


class NameIndex:
    """Organisations by the exact and loose keys of all their names."""

    def __init__(self):
        self.exact: dict[str, set[int]] = defaultdict(set)
        self.loose: dict[str, set[int]] = defaultdict(set)
        self.labels: dict[int, str] = {}

    @classmethod
    def from_database(cls, queryset=None) -> "NameIndex":
        """One query: every organisation's names."""
        from registry.models import Organisation

        index = cls()
        rows = (queryset if queryset is not None else Organisation.objects.all()).values_list(
            "pk", "name_en", "name_zh", "short_name", "aliases"
        )
        for pk, name_en, name_zh, short_name, aliases in rows.iterator(chunk_size=2000):
            index.add(pk, names_of(name_en, name_zh, short_name, aliases), label=f"{name_en} {name_zh}".strip())
        return index

    def add(self, pk: int, names, *, label: str = "") -> None:
        for name in names:
            if exact := exact_key(name):
                self.exact[exact].add(pk)
            if loose := loose_key(name):
                self.loose[loose].add(pk)
        if label:
            self.labels[pk] = label

    def find(self, *names: str | None) -> Match:
        """Look every given name (e.g. a row's English and Chinese names) up;
        the exact keys of all of them first, then the loose keys."""
        names = [n for n in names if n]
        for how, keys, table in (
            ("exact", [exact_key(n) for n in names], self.exact),
            ("loose", [loose_key(n) for n in names], self.loose),
        ):
            found: set[int] = set()
            for key in keys:
                found |= table.get(key, set())
            if found:
                return Match(sorted(found), how)
        return Match()

    def duplicate_groups(self) -> list[list[int]]:
        """Groups of organisations that share a loose key: likely duplicates."""
        groups: list[set[int]] = []
        for ids in self.loose.values():
            if len(ids) < 2:
                continue
            merged = [g for g in groups if g & ids]
            union = set(ids).union(*merged)
            groups = [g for g in groups if not (g & ids)] + [union]
        return sorted((sorted(g) for g in groups), key=lambda g: g[0])


# --------------------------------------------------------------------------- merging duplicates


@dataclass
class MergeReport:
    kept: int
    removed: list[int]
    moved: dict[str, int] = field(default_factory=dict)  # relation -> rows moved
    dropped: dict[str, int] = field(default_factory=dict)  # relation -> duplicate rows the kept one already had


def merge_organisations(kept, others, *, user=None) -> MergeReport:
    """Move everything that points at ``others`` onto ``kept`` and delete them,
    in one transaction: accounts, cohort memberships, statements, positions,
    activities, published figures, figures (facts), child organisations and
    operated platforms. The removed organisations' names become aliases of the
    kept one, their empty fields fill the kept one's, and their change history
    is re-pointed to the kept organisation (so nothing of it is lost); the
    merge itself is a change in the kept organisation's history.

    Where the kept organisation already has the same row (a membership of the
    same cohort, the same position, a figure of the same year and currency),
    the kept organisation's row stays and the other is dropped (counted in the
    report)."""
    from django.db import transaction

    from registry import models as m

    others = [o for o in others if o.pk != kept.pk]
    report = MergeReport(kept=kept.pk, removed=[o.pk for o in others])
    if not others:
        return report
    ids = [o.pk for o in others]
    reason = "Merged " + "; ".join(f"{o.name_en} (#{o.pk})" for o in others) + f" into #{kept.pk}"

    def move(name, queryset, field_name, *, unique_with=()):
        moved = dropped = 0
        for row in queryset:
            if unique_with:
                clash = type(row)._default_manager.filter(
                    **{field_name: kept}, **{f: getattr(row, f) for f in unique_with}
                )
                if clash.exists():
                    row._change_reason = reason
                    row.delete()
                    dropped += 1
                    continue
            setattr(row, field_name, kept)
            row._change_reason = reason
            row.save()
            moved += 1
        if moved:
            report.moved[name] = moved
        if dropped:
            report.dropped[name] = dropped

    with transaction.atomic():
        move("accounts", m.Account.objects.filter(organisation_id__in=ids), "organisation")
        move(
            "memberships",
            m.CohortMembership.objects.filter(organisation_id__in=ids),
            "organisation",
            unique_with=("cohort_id",),
        )
        move("statements", m.Statement.objects.filter(organisation_id__in=ids), "organisation")
        move(
            "positions",
            m.Position.objects.filter(organisation_id__in=ids),
            "organisation",
            unique_with=("person_id", "title"),
        )
        move("activities", m.Activity.objects.filter(organisation_id__in=ids), "organisation")
        move("published figures", m.PublishedFigure.objects.filter(attributed_to_id__in=ids), "attributed_to")
        move(
            "figures",
            m.OrganisationFact.objects.filter(organisation_id__in=ids),
            "organisation",
            unique_with=("kind", "year", "currency"),
        )
        move("child organisations", m.Organisation.objects.filter(parent_id__in=ids).exclude(pk=kept.pk), "parent")
        move("operated platforms", m.Platform.objects.filter(operator_id__in=ids), "operator")

        known = {exact_key(n) for n in names_of(kept.name_en, kept.name_zh, kept.short_name, kept.aliases)}
        aliases = list(kept.alias_list)
        for other in others:
            for name in names_of(other.name_en, other.name_zh, other.short_name, other.aliases):
                if exact_key(name) not in known:
                    known.add(exact_key(name))
                    aliases.append(name)
            for name in ("name_zh", "short_name", "province", "city", "website", "country", "description"):
                if not getattr(kept, name) and getattr(other, name):
                    setattr(kept, name, getattr(other, name))
            if kept.credit_code is None and other.credit_code:
                kept.credit_code, other.credit_code = other.credit_code, None
                other.save(update_fields=["credit_code"])
        kept.aliases = "\n".join(aliases)
        if kept.parent_id in ids:
            kept.parent = None
        # The removed organisations' past versions become the kept one's history.
        m.Organisation.history.filter(id__in=ids).update(id=kept.pk)
        for other in others:
            other.skip_history_when_saving = True  # its history now lives under the kept id
            other.delete()
        kept._change_reason = reason
        if user is not None:
            kept._history_user = user
        kept.save()
    return report
