"""Services for statements extracted from pasted articles.

``match_names`` finds the people and organisations an article's candidates name
(constant queries for a whole article); ``find_duplicates`` finds statements
already in the registry; ``save_reviewed`` writes what staff accepted, in one
transaction. Nothing here reads the request: the review view passes plain data.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from registry.models import (
    Cohort,
    DatePrecision,
    Language,
    Organisation,
    Person,
    Platform,
    Position,
    PublishedFigure,
    Qualifier,
    Source,
    Statement,
    Topic,
    normalise_name,
    quote_key,
)
from registry.names import to_simplified
from registry.statements.platforms import detect_platforms

# detect_platforms slugs whose Platform row may carry another slug.
PLATFORM_SLUG_ALIASES = {"twitter": ("twitter", "x"), "x": ("x", "twitter")}
LIVESTREAMING = "livestreaming"


def _keys_of(*values: str) -> set[str]:
    return {normalise_name(v) for v in values if v and v.strip()}


def person_keys(person: Person) -> set[str]:
    return _keys_of(person.name_en, person.name_zh, *person.alias_list)


def organisation_keys(org: Organisation) -> set[str]:
    return _keys_of(org.name_en, org.name_zh, org.short_name, *org.alias_list)


def _surname_of(name_en: str) -> set[str]:
    """The tokens a bare surname may stand for: the first and the last word of the
    English name (family name first for Chinese names, last otherwise)."""
    words = normalise_name(name_en).split()
    return {words[0], words[-1]} if len(words) > 1 else set()


@dataclass
class NameMatch:
    """What a name in an article resolves to: an existing row, or a proposal to create one."""

    name: str
    existing: Person | Organisation | None = None
    ambiguous: list = field(default_factory=list)
    by_surname: bool = False

    @property
    def creates(self) -> bool:
        return self.existing is None and bool(self.name.strip())


@dataclass
class Matches:
    people: dict[str, NameMatch]
    organisations: dict[str, NameMatch]

    def person(self, name: str | None) -> NameMatch | None:
        return self.people.get(normalise_name(name or "")) if name and name.strip() else None

    def organisation(self, name: str | None) -> NameMatch | None:
        return self.organisations.get(normalise_name(name or "")) if name and name.strip() else None


def _name_filter(names: set[str], fields: Iterable[str]) -> Q:
    """A superset filter: every row any of ``names`` could match on ``fields``
    (exact matching happens in Python, on NFKC-normalised, case-folded keys)."""
    query = Q(pk__in=[])
    for name in names:
        for field_name in fields:
            query |= Q(**{f"{field_name}__icontains": name})
    return query


def match_names(person_names: Iterable[str], organisation_names: Iterable[str]) -> Matches:
    """Match names to existing people and organisations.

    Queries: 2 whatever the number of names (people, organisations), none when
    there are no names. A person matches on the English or Chinese name or an
    alias (one per line); a bare surname ("Li") matches only when exactly one
    person in the candidates has it. An organisation matches on its English,
    Chinese or short name or an alias.
    """
    person_names = {n.strip() for n in person_names if n and n.strip()}
    organisation_names = {n.strip() for n in organisation_names if n and n.strip()}
    people = _match_people(person_names) if person_names else {}
    orgs = _match_organisations(organisation_names) if organisation_names else {}
    return Matches(people=people, organisations=orgs)


def _match_people(names: set[str]) -> dict[str, NameMatch]:
    # icontains on the normalised form and on the name as written (NFKC may change it).
    probes = {n for name in names for n in (name, normalise_name(name))}
    rows = list(
        Person.objects.filter(_name_filter(probes, ("name_en", "name_zh", "aliases"))).only(
            "id", "name_en", "name_zh", "aliases"
        )
    )
    by_key: dict[str, list[Person]] = {}
    by_surname: dict[str, list[Person]] = {}
    for person in rows:
        for key in person_keys(person):
            by_key.setdefault(key, []).append(person)
        for token in _surname_of(person.name_en):
            by_surname.setdefault(token, []).append(person)
    result = {}
    for name in names:
        key = normalise_name(name)
        exact = _distinct(by_key.get(key, []))
        if len(exact) == 1:
            result[key] = NameMatch(name, exact[0])
        elif exact:
            result[key] = NameMatch(name, None, ambiguous=exact)
        elif " " not in key and key in by_surname:
            same = _distinct(by_surname[key])
            result[key] = (
                NameMatch(name, same[0], by_surname=True)
                if len(same) == 1
                else NameMatch(name, None, ambiguous=same, by_surname=True)
            )
        else:
            result[key] = NameMatch(name)
    return result


def _match_organisations(names: set[str]) -> dict[str, NameMatch]:
    # Traditional characters find the simplified record (中國石化 -> 中国石化).
    simplified = {name: to_simplified(name) for name in names}
    probes = {n for name in names for n in (name, normalise_name(name), simplified[name])}
    keys = {normalise_name(n) for name in names for n in (name, simplified[name])}
    query = Q(name_key__in=keys) | _name_filter(probes, ("name_zh", "short_name", "aliases"))
    rows = list(Organisation.objects.filter(query).only("id", "name_en", "name_zh", "short_name", "aliases"))
    by_key: dict[str, list[Organisation]] = {}
    for org in rows:
        for key in organisation_keys(org):
            by_key.setdefault(key, []).append(org)
    result = {}
    for name in names:
        key = normalise_name(name)
        found = _distinct(by_key.get(key) or by_key.get(normalise_name(simplified[name]), []))
        result[key] = NameMatch(name, found[0]) if len(found) == 1 else NameMatch(name, None, ambiguous=found)
    return result


def _distinct(rows: list) -> list:
    seen: dict[int, object] = {}
    for row in rows:
        seen.setdefault(row.pk, row)
    return list(seen.values())


# --------------------------------------------------------------------------- duplicates


def find_duplicates(quotes: Iterable[str]) -> dict[str, list[Statement]]:
    """Statements already in the registry with the same quote key, by key. Query: 1."""
    keys = {quote_key(q) for q in quotes if q and q.strip()}
    found: dict[str, list[Statement]] = {}
    if not keys:
        return found
    rows = Statement.objects.filter(quote_key__in=keys).only(
        "id", "quote_key", "kind", "speaker_id", "organisation_id", "source_id"
    )
    for statement in rows:
        found.setdefault(statement.quote_key, []).append(statement)
    return found


def duplicate_of(
    existing: list[Statement],
    *,
    person: Person | None,
    organisation: Organisation | None,
    source: Source | None = None,
    kind: str | None = None,
) -> Statement | None:
    """The existing statement a new one would repeat: same words by the same speaker
    (the person, or the organisation speaking as itself), in any source; or the same
    words of the same kind in the same source, which the database allows only once."""
    for statement in existing:
        if person is not None and statement.speaker_id == person.pk:
            return statement
        if (
            person is None
            and statement.speaker_id is None
            and organisation is not None
            and statement.organisation_id == organisation.pk
        ):
            return statement
        if source is not None and source.pk and statement.source_id == source.pk and statement.kind == kind:
            return statement
    return None


# --------------------------------------------------------------------------- platforms and topics


def platform_rows_for(slugs: Iterable[str], platforms: dict[str, Platform]) -> list[Platform]:
    """Platform rows for detect_platforms slugs (``platforms`` keyed by slug); slugs with
    no row (livestreaming, short-video) are skipped."""
    rows = []
    for slug in slugs:
        for candidate in PLATFORM_SLUG_ALIASES.get(slug, (slug,)):
            if candidate in platforms and platforms[candidate] not in rows:
                rows.append(platforms[candidate])
                break
    return rows


def parse_topic_names(text: str) -> list[str]:
    """Comma-separated topic names, trimmed, without repeats (case-insensitive)."""
    names: dict[str, str] = {}
    for part in (text or "").split(","):
        name = re.sub(r"\s+", " ", part).strip()
        if name:
            names.setdefault(name.casefold(), name[:100])
    return list(names.values())


def topics_for(names: list[str]) -> list[Topic]:
    """Existing topics by name (case-insensitive) or slug; new ones created."""
    if not names:
        return []
    existing = {
        t.name.casefold(): t
        for t in Topic.objects.filter(
            Q(name__in=names) | Q(slug__in=[slugify(n) for n in names]) | _name_filter(set(names), ("name",))
        )
    }
    by_slug = {t.slug: t for t in existing.values()}
    topics = []
    for name in names:
        topic = existing.get(name.casefold()) or by_slug.get(slugify(name))
        if topic is None:
            slug = slugify(name) or slugify(name, allow_unicode=True) or "topic"
            topic = Topic.objects.create(name=name, slug=slug[:100])
            topic._created_here = True
            existing[name.casefold()] = by_slug[topic.slug] = topic
        topics.append(topic)
    return topics


# --------------------------------------------------------------------------- saving


@dataclass
class ArticleData:
    text: str
    title: str
    url: str = ""
    publisher: str = ""
    published_on: datetime.date | None = None
    language: str = Language.ENGLISH


@dataclass
class ReviewedStatement:
    """One accepted candidate as staff left it on the review screen."""

    quote: str
    kind: str
    speaker: str = ""  # empty: the organisation speaks as itself, or unknown
    role: str = ""
    organisation: str = ""
    platforms: list[str] = field(default_factory=list)  # Platform slugs
    mentions_livestreaming: bool = False
    topics: list[str] = field(default_factory=list)


@dataclass
class ReviewedFigure:
    """One accepted published-figure candidate as staff left it on the review screen."""

    claim: str
    comparator: str
    value: int | None
    as_of: datetime.date
    as_of_precision: str = DatePrecision.DAY
    cohort: Cohort | None = None
    platform: Platform | None = None
    unit: str = ""  # "percent": ``value`` is a share of the cohort's nominal size


@dataclass
class SaveResult:
    source: Source
    source_created: bool
    statements: list[Statement] = field(default_factory=list)
    duplicates: list[tuple[ReviewedStatement, Statement]] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    figures: list[PublishedFigure] = field(default_factory=list)
    figure_duplicates: list[tuple[ReviewedFigure, PublishedFigure]] = field(default_factory=list)

    @property
    def saved_anything(self) -> bool:
        return bool(self.statements or self.figures)

    def summary(self) -> str:
        """One line for the success message: what was saved, created and skipped."""
        count, figures = len(self.statements), len(self.figures)
        where = self.source.title
        if self.source_created:
            parts = [
                ngettext(
                    "Saved %(count)d statement to a new source “%(title)s”.",
                    "Saved %(count)d statements to a new source “%(title)s”.",
                    count,
                )
                % {"count": count, "title": where}
            ]
        else:
            parts = [
                ngettext(
                    "Saved %(count)d statement to the existing source “%(title)s”.",
                    "Saved %(count)d statements to the existing source “%(title)s”.",
                    count,
                )
                % {"count": count, "title": where}
            ]
        if figures:
            parts.append(
                ngettext("Saved %(count)d published figure.", "Saved %(count)d published figures.", figures)
                % {"count": figures}
            )
        for label, rows in (
            (_("New people"), self.people),
            (_("New organisations"), self.organisations),
            (_("New positions"), self.positions),
            (_("New topics"), self.topics),
        ):
            if rows:
                parts.append(f"{label}: {', '.join(str(r) for r in rows)}.")
        skipped = len(self.duplicates) + len(self.figure_duplicates)
        if skipped:
            parts.append(_("Not saved again (already in the registry): %(count)d.") % {"count": skipped})
        return " ".join(parts)


def source_for_url(url: str) -> Source | None:
    url = (url or "").strip()
    return Source.objects.filter(url=url).first() if url else None


@transaction.atomic
def save_reviewed(
    article: ArticleData, accepted: list[ReviewedStatement], figures: Iterable[ReviewedFigure] = ()
) -> SaveResult:
    """Write the source, the accepted statements and what they need, all or nothing.

    The source is reused when its URL is already in the registry (its full text is
    filled in if it had none). People and organisations are matched exactly as on
    the review screen and created when there is no match; a position is added when
    the role at that organisation is new; a statement that repeats one already in
    the registry (same words, same speaker) is reported, not saved.
    """
    source = source_for_url(article.url)
    created = source is None
    if created:
        source = Source(
            title=article.title,
            url=article.url.strip(),
            publisher=article.publisher,
            published_on=article.published_on,
            language=article.language,
            full_text=article.text,
        )
        source.full_clean(validate_unique=False, validate_constraints=False)
        source.save()
    elif not source.full_text:
        source.full_text = article.text
        source.save(update_fields=["full_text", "updated_at"])
    result = SaveResult(source=source, source_created=created)

    matches = match_names((s.speaker for s in accepted), (s.organisation for s in accepted))
    platforms = {p.slug: p for p in Platform.objects.all()}
    existing = find_duplicates(s.quote for s in accepted)
    people: dict[str, Person] = {}
    orgs: dict[str, Organisation] = {}

    for item in accepted:
        org = _organisation(item.organisation, matches, orgs, result)
        person = _person(item.speaker, matches, people, result)
        key = quote_key(item.quote)
        duplicate = duplicate_of(existing.get(key, []), person=person, organisation=org, source=source, kind=item.kind)
        if duplicate is not None:
            result.duplicates.append((item, duplicate))
            continue
        statement = Statement(
            quote=item.quote,
            kind=item.kind,
            speaker=person,
            organisation=org,
            role=item.role.strip(),
            source=source,
            stated_on=article.published_on,
            mentions_livestreaming=item.mentions_livestreaming,
        )
        statement.full_clean(validate_unique=False, validate_constraints=False)
        statement.save()
        existing.setdefault(statement.quote_key, []).append(statement)
        statement.platforms.set(platform_rows_for(item.platforms, platforms))
        topics = topics_for(item.topics)
        if topics:
            statement.topics.set(topics)
        result.topics += [t for t in topics if _is_new(t) and t not in result.topics]
        result.statements.append(statement)
        if person is not None and item.role.strip():
            position, made = Position.objects.get_or_create(
                person=person, organisation=org, title=item.role.strip()[:255], defaults={"source": source}
            )
            if made:
                result.positions.append(position)
    _save_figures(list(figures), source, result)
    if not result.saved_anything:
        transaction.set_rollback(True)  # nothing new: leave no empty source or unused people behind
    return result


def figure_value(figure: ReviewedFigure) -> int | None:
    """The count a figure claims: a share turns into a count of its cohort's nominal size
    ("nearly half" of a list of 500 is about 250)."""
    if figure.value is None or figure.unit != "percent":
        return figure.value
    if figure.cohort is None or not figure.cohort.nominal_size:
        return None
    return round(figure.value * figure.cohort.nominal_size / 100)


def _save_figures(figures: list[ReviewedFigure], source: Source, result: SaveResult) -> None:
    """Published figures with their source. Queries: 1 for those already recorded for the
    source, then 1 insert per new figure."""
    if not figures:
        return
    existing = (
        {(f.cohort_id, f.platform_id, f.as_of): f for f in PublishedFigure.objects.filter(source=source)}
        if source.pk
        else {}
    )
    for item in figures:
        key = (item.cohort.pk if item.cohort else None, item.platform.pk if item.platform else None, item.as_of)
        if key in existing:
            result.figure_duplicates.append((item, existing[key]))
            continue
        comparator = item.comparator
        value = figure_value(item) if comparator != Qualifier.SOME else None
        figure = PublishedFigure(
            claim=item.claim.strip(),
            cohort=item.cohort,
            platform=item.platform,
            comparator=comparator,
            value=value,
            as_of=item.as_of,
            as_of_precision=item.as_of_precision,
            source=source,
        )
        figure.full_clean(validate_unique=False, validate_constraints=False)
        figure.save()
        existing[key] = figure
        result.figures.append(figure)


# --------------------------------------------------------------------------- figures proposed from text

_POPULATION_WORDS = {
    "top": ("top", "500强", "强"),
    "central": ("central", "centrally", "中央企业", "央企"),
    "soe": ("soe", "soes", "state-owned", "国企", "国有企业", "央企", "中央企业"),
    "fortune": ("fortune", "财富"),
    "listed": ("listed", "上市"),
    "bank": ("bank", "banks", "银行"),
}


def match_cohort(population: str | None, cohorts: list[Cohort]) -> Cohort | None:
    """The cohort a figure's population most plausibly means ("China's top 500 companies"
    -> "China Top 500 Enterprises 2020"), or None when nothing fits. No query: ``cohorts``
    is the list the caller loaded once."""
    if not population or not cohorts:
        return None
    text = population.casefold()
    numbers = set(re.findall(r"\d+", text))
    best, best_score = None, 0
    for cohort in cohorts:
        name = f"{cohort.name} {cohort.slug}".casefold()
        score = 3 * len(numbers & set(re.findall(r"\d+", name) + [str(cohort.nominal_size or "")]))
        for words in _POPULATION_WORDS.values():
            if any(w in text for w in words) and any(w in name for w in words):
                score += 1
        if score > best_score or (score == best_score and best is not None and cohort.year > best.year):
            best, best_score = (cohort, score) if score else (best, best_score)
    return best if best_score >= 2 else None


def as_of_of(text: str | None, published_on: datetime.date | None) -> tuple[datetime.date | None, str]:
    """(date, precision) for a proposal's "2023" / "2023-06", else the publication date."""
    if text:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 1:
            return datetime.date(parts[0], 1, 1), DatePrecision.YEAR
        if len(parts) == 2 and 1 <= parts[1] <= 12:
            return datetime.date(parts[0], parts[1], 1), DatePrecision.MONTH
    return published_on, DatePrecision.DAY


def _is_new(topic: Topic) -> bool:
    return getattr(topic, "_created_here", False)


def _person(name: str, matches: Matches, made: dict[str, Person], result: SaveResult) -> Person | None:
    return _existing_or_new(Person, name, matches.person, made, result.people)


def _organisation(
    name: str, matches: Matches, made: dict[str, Organisation], result: SaveResult
) -> Organisation | None:
    return _existing_or_new(Organisation, name, matches.organisation, made, result.organisations)


def _existing_or_new(model, name: str, find, made: dict, created: list):
    """The record ``name`` matched in the registry, else one created for it
    (once per normalised name in this save, listed in ``created``)."""
    if not name or not name.strip():
        return None
    found = find(name)
    if found is not None and found.existing is not None:
        return found.existing
    key = normalise_name(name)
    if key not in made:
        made[key] = model.objects.create(name_en=name.strip()[:255])
        created.append(made[key])
    return made[key]


def detected_platforms(text: str) -> tuple[list[str], bool]:
    """(platform slugs to tick, mentions livestreaming) for a statement's text."""
    slugs = detect_platforms(text)
    return [s for s in slugs if s != LIVESTREAMING], LIVESTREAMING in slugs
