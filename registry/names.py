"""Names in two scripts: the keys people search by, the order names sort in,
and which name a page shows first.

Search keys are stored (``OrganisationSearchKey`` / ``PersonSearchKey``), one
row per key, so a search is an indexed prefix lookup, never a Python scan.
Every name and alias yields:

- ``name``: the name folded (NFKC, traditional to simplified, case-folded,
  tone marks, spaces and punctuation removed): 中國石化 -> 中国石化, "Sinopec Group" -> sinopecgroup;
- ``pinyin``: full pinyin without tones or spaces (中国石化 -> zhongguoshihua);
- ``initials``: pinyin initials (中国石化 -> zgsh).

A query is folded the same way, so ``zhong guo shi hua``, ``zhōngguó``,
``ZGSH`` and ``中國石化`` all reach the same keys.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from opencc import OpenCC
from pypinyin import Style, lazy_pinyin

KEY_MAX_LENGTH = 255
SORT_MAX_LENGTH = 255

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NOT_KEPT = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_t2s = OpenCC("t2s")


class KeyKind:
    NAME = "name"
    PINYIN = "pinyin"
    INITIALS = "initials"
    CHOICES = [(NAME, _("name")), (PINYIN, _("pinyin")), (INITIALS, _("pinyin initials"))]


def has_han(text: str | None) -> bool:
    return bool(text and _HAN.search(text))


@functools.lru_cache(maxsize=8192)
def to_simplified(text: str) -> str:
    """Traditional characters to simplified (OpenCC t2s); other text unchanged.
    Cached: a name is converted for its key, its sort keys and its search keys,
    and OpenCC's conversion costs about 0.25 ms."""
    return _t2s.convert(text) if has_han(text) else text


def _strip_tones(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str | None) -> str:
    """The form keys and queries are compared in."""
    text = unicodedata.normalize("NFKC", text or "")
    text = to_simplified(text)
    text = _strip_tones(text).casefold().replace("ü", "v")
    text = unicodedata.normalize("NFKC", text)
    return _NOT_KEPT.sub("", text)[:KEY_MAX_LENGTH]


_LATIN = "\x00"  # marks runs pypinyin leaves as they are (Latin words, digits)


def _syllables(text: str) -> list[str]:
    """One pinyin syllable per Han character (read in phrase context, so 重庆 is
    chongqing); other runs whole, marked with a leading ``_LATIN``."""
    return lazy_pinyin(to_simplified(unicodedata.normalize("NFKC", text)), errors=lambda run: _LATIN + run)


def keys_for_name(name: str | None) -> set[tuple[str, str]]:
    """(kind, key) pairs for one name."""
    name = (name or "").strip()
    folded = fold(name)
    if not folded:
        return set()
    keys = {(KeyKind.NAME, folded)}
    if has_han(name):
        syllables = _syllables(name)
        full = fold("".join(syllables))
        initials = fold("".join(s if s.startswith(_LATIN) else s[:1] for s in syllables))
        if full:
            keys.add((KeyKind.PINYIN, full))
        if initials:
            keys.add((KeyKind.INITIALS, initials))
    return keys


def keys_for_names(names: Iterable[str | None]) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    for name in names:
        keys |= keys_for_name(name)
    return keys


def pinyin_sort_key(text: str | None) -> str:
    """A sort key that puts Chinese names in pinyin order (tone numbers break
    ties, as in a dictionary) and Latin names alphabetically among them."""
    text = unicodedata.normalize("NFKC", (text or "").strip())
    if not text:
        return ""
    if not has_han(text):
        return _strip_tones(text).casefold()[:SORT_MAX_LENGTH]
    syllables = lazy_pinyin(to_simplified(text), style=Style.TONE3, neutral_tone_with_five=True)
    words = (re.sub(r"[^\w]+", " ", s).strip().casefold() for s in syllables)
    return " ".join(w for w in words if w)[:SORT_MAX_LENGTH]


def natural_key(name_en: str | None, name_zh: str | None) -> str:
    """An organisation's natural key: its English name normalised, or, with no
    English name, its Chinese name in simplified characters."""
    from registry.models import normalise_name

    if (name_en or "").strip():
        return normalise_name(name_en)
    return normalise_name(to_simplified(unicodedata.normalize("NFKC", name_zh or "")))


# --------------------------------------------------------------------------- display


def chinese_first(language: str | None = None) -> bool:
    language = (language or translation.get_language() or "").lower()
    return language.startswith("zh")


def ordered_names(name_zh: str | None, name_en: str | None, *, language: str | None = None) -> tuple[str, str]:
    """(primary, secondary) in the reader's language: Chinese first in zh-hans,
    English first otherwise. The secondary is empty when there is only one name
    or both are the same."""
    zh, en = (name_zh or "").strip(), (name_en or "").strip()
    first, second = (zh, en) if chinese_first(language) else (en, zh)
    if not first:
        first, second = second, ""
    return first, ("" if second == first else second)


def shown_name(obj, *, language: str | None = None) -> str:
    return ordered_names(getattr(obj, "name_zh", ""), getattr(obj, "name_en", ""), language=language)[0]


def sort_field(*, language: str | None = None) -> str:
    """The stored sort column that orders records by the name shown first."""
    return "sort_zh" if chinese_first(language) else "sort_en"


# --------------------------------------------------------------------------- lookups


def search_q(query: str, *, key_model, owner: str) -> Q | None:
    """Records with a stored key starting with the folded ``query``: one
    subquery, answered from the key index. None when nothing searchable is left."""
    key = fold(query)
    if not key:
        return None
    return Q(pk__in=key_model.objects.filter(key__startswith=key).values(owner))


def exact_name_q(name: str, *, key_model, owner: str) -> Q | None:
    """Records one of whose names (not pinyin) folds to exactly ``name``."""
    key = fold(name)
    if not key:
        return None
    return Q(pk__in=key_model.objects.filter(kind=KeyKind.NAME, key=key).values(owner))


def rebuild_keys(records, *, key_model, owner: str, names_of) -> None:
    """Replace the stored search keys of ``records``: 2 queries whatever their number."""
    records = list(records)
    if not records:
        return
    ids = [r.pk for r in records]
    key_model.objects.filter(**{f"{owner}__in": ids}).delete()
    rows = [
        key_model(**{f"{owner}_id": r.pk, "kind": kind, "key": key})
        for r in records
        for kind, key in sorted(keys_for_names(names_of(r)))
    ]
    key_model.objects.bulk_create(rows, batch_size=1000)


def organisation_names(org) -> list[str]:
    return [org.name_en, org.name_zh, org.short_name, *org.alias_list]


def person_names(person) -> list[str]:
    return [person.name_en, person.name_zh, *person.alias_list]


def fill_sort_keys(record) -> None:
    record.sort_zh = pinyin_sort_key(record.name_zh or record.name_en)
    record.sort_en = pinyin_sort_key(record.name_en or record.name_zh)


def bilingual_html(name_zh: str | None, name_en: str | None, *, url: str | None = None, language: str | None = None):
    """The name shown first (linked when ``url`` is given), then the other
    script's name in smaller type, each marked with its language."""
    from django.utils.html import format_html

    first, second = ordered_names(name_zh, name_en, language=language)
    first_lang = "zh" if has_han(first) else "en"
    head = (
        format_html('<a href="{}" lang="{}">{}</a>', url, first_lang, first)
        if url
        else format_html('<span lang="{}">{}</span>', first_lang, first)
    )
    if not second:
        return head
    second_lang = "zh" if has_han(second) else "en"
    return format_html('{} <small class="muted other-name" lang="{}">{}</small>', head, second_lang, second)
