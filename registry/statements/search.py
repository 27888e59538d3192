"""Full-text search over statements and sources.

``search_statements(queryset, text)`` and ``search_sources(queryset, text)``
return the queryset filtered to matches, best first, each row annotated with
``rank`` and carrying ``headline``: the quote (or, for a source, fragments of
its text) as safe HTML with the matched words in ``<mark>``.

PostgreSQL: websearch syntax ("quoted phrase", or, -word) with the "english"
configuration (stemming: "livestreams" finds "livestreaming"), ranked by
``ts_rank`` with the quote weighted above role and names. The match is served
by GIN expression indexes (migration 0004); the expressions below must stay
exactly those of the indexes, or the planner stops using them (a test checks).

SQLite (development): every word must occur, case-insensitively, in the quote,
role, speaker's English/Chinese name or aliases, or organisation's names;
ranked by how many words the quote itself holds.

Highlighting is safe on both: ``ts_headline`` marks matches with control
characters that cannot come from the form, the text is escaped and only then
are the markers turned into ``<mark>``.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Substr
from django.db.models.query import ModelIterable
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"
# ts_headline's markers: control characters, stripped from any query text and
# unlikely in stored text; escaped text never contains "<mark>" of its own.
START_SEL, STOP_SEL = "\x02", "\x03"
HEADLINE_SOURCE_CHARS = 20_000

# The indexed expressions (migration 0004 creates the same ones).
STATEMENT_INDEX_FIELDS = ("quote", "role")
SOURCE_INDEX_FIELDS = ("title", "full_text")
PERSON_NAME_FIELDS = ("name_en", "name_zh", "aliases")
ORGANISATION_NAME_FIELDS = ("name_en", "name_zh", "short_name", "aliases")


def statement_index_vector() -> SearchVector:
    return SearchVector(*STATEMENT_INDEX_FIELDS, config=CONFIG)


def source_index_vector() -> SearchVector:
    return SearchVector(*SOURCE_INDEX_FIELDS, config=CONFIG)


def _words(text: str) -> list[str]:
    """The words of a query, without quote marks, websearch operators or control characters."""
    text = re.sub(r"[\x00-\x1f]", " ", text or "")
    words = []
    for raw in text.split():
        if raw.startswith("-") or raw.lower() == "or":
            continue
        word = raw.strip("\"'“”‘’()[]{},.;:!?")
        if word:
            words.append(word)
    return words


def _is_postgres(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


# --------------------------------------------------------------------------- highlighting


def highlight_markers(text: str) -> SafeString:
    """ts_headline output (with START_SEL/STOP_SEL) as safe HTML."""
    html = escape(text or "").replace(START_SEL, "<mark>").replace(STOP_SEL, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own markers become tags


def highlight_words(text: str, words: list[str]) -> SafeString:
    """``text`` as safe HTML with every case-insensitive occurrence of ``words`` in <mark>."""
    text = text or ""
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


class _Highlighted(ModelIterable):
    """Rows as usual, each given ``headline`` as safe HTML. Subclassed per search
    with ``field`` (highlighted in Python, SQLite) or ``annotation`` (ts_headline
    output, PostgreSQL)."""

    field = ""
    annotation = ""
    words: tuple[str, ...] = ()

    def __iter__(self):
        for obj in super().__iter__():
            if self.annotation:
                obj.headline = highlight_markers(getattr(obj, self.annotation, "") or "")
            else:
                obj.headline = highlight_words(getattr(obj, self.field, ""), list(self.words))
            yield obj


def _with_headlines(queryset: QuerySet, **attrs) -> QuerySet:
    queryset = queryset.all()
    queryset._iterable_class = type("HighlightedRows", (_Highlighted,), attrs)
    return queryset


# --------------------------------------------------------------------------- PostgreSQL helpers


class _EqualsAnyOf(Func):
    """``column = ANY(ARRAY(subquery))``: the subquery runs once (an InitPlan) and
    the column's b-tree index can serve the condition inside a BitmapOr, which a
    plain ``IN (subquery)`` would prevent."""

    output_field = BooleanField()
    conditional = True

    def as_sql(self, compiler, connection, **extra):
        column, column_params = compiler.compile(self.source_expressions[0])
        subquery, subquery_params = compiler.compile(self.source_expressions[1])
        return f"{column} = ANY(ARRAY{subquery})", (*column_params, *subquery_params)


def _any_word_query(words: list[str]) -> SearchQuery | None:
    query = None
    for word in words:
        term = SearchQuery(word, search_type="plain", config=CONFIG)
        query = term if query is None else query | term
    return query


def _names_matching(model, fields, query: SearchQuery) -> Subquery:
    return Subquery(
        model.objects.alias(names=SearchVector(*fields, config=CONFIG)).filter(names=query).order_by().values("pk")
    )


# --------------------------------------------------------------------------- statements


def search_statements(queryset: QuerySet, text: str) -> QuerySet:
    """Statements matching ``text``, best first, annotated with ``rank``, each with
    a ``headline``. An empty ``text`` leaves the queryset as it is. No extra query."""
    words = _words(text)
    if not words:
        return queryset
    if _is_postgres(queryset):
        return _postgres_statements(queryset, text, words)
    return _portable_statements(queryset, words)


def _postgres_statements(queryset: QuerySet, text: str, words: list[str]) -> QuerySet:
    from registry.models import Organisation, Person

    query = SearchQuery(re.sub(r"[\x00-\x1f]", " ", text), search_type="websearch", config=CONFIG)
    names = [f"speaker__{f}" for f in PERSON_NAME_FIELDS] + [f"organisation__{f}" for f in ORGANISATION_NAME_FIELDS]
    document = SearchVector("quote", weight="A", config=CONFIG) + SearchVector(
        "role", *names, weight="B", config=CONFIG
    )
    queryset = queryset.alias(search_document=document).filter(search_document=query)
    any_word = _any_word_query(words)
    if any_word is not None:
        # A superset the indexes can find (any word in the statement's own text, or
        # a speaker/organisation whose names hold one); the document test above then
        # requires every word across quote, role and names.
        queryset = queryset.alias(own_text=statement_index_vector()).filter(
            Q(own_text=any_word)
            | Q(_EqualsAnyOf(F("speaker_id"), _names_matching(Person, PERSON_NAME_FIELDS, any_word)))
            | Q(_EqualsAnyOf(F("organisation_id"), _names_matching(Organisation, ORGANISATION_NAME_FIELDS, any_word)))
        )
    queryset = queryset.annotate(
        rank=SearchRank(document, query),
        search_headline=SearchHeadline(
            "quote", query, config=CONFIG, start_sel=START_SEL, stop_sel=STOP_SEL, highlight_all=True
        ),
    ).order_by("-rank", F("stated_on").desc(nulls_last=True), "id")
    return _with_headlines(queryset, annotation="search_headline")


def _portable_statements(queryset: QuerySet, words: list[str]) -> QuerySet:
    fields = [
        "quote",
        "role",
        *(f"speaker__{f}" for f in PERSON_NAME_FIELDS),
        *(f"organisation__{f}" for f in ORGANISATION_NAME_FIELDS),
    ]
    score = Value(0)
    for word in words:
        queryset = queryset.filter(_any_field_contains(fields, word))
        score = score + Case(When(quote__icontains=word, then=Value(2)), default=Value(1), output_field=IntegerField())
    queryset = queryset.annotate(rank=score).order_by("-rank", F("stated_on").desc(nulls_last=True), "id")
    return _with_headlines(queryset, field="quote", words=tuple(words))


def _any_field_contains(fields, word: str) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": word})
    return condition


# --------------------------------------------------------------------------- sources


def search_sources(queryset: QuerySet, text: str) -> QuerySet:
    """Sources whose title or text match ``text``, best first (title matches
    count more), annotated with ``rank``, each with a ``headline`` of fragments."""
    words = _words(text)
    if not words:
        return queryset
    if _is_postgres(queryset):
        query = SearchQuery(re.sub(r"[\x00-\x1f]", " ", text), search_type="websearch", config=CONFIG)
        weighted = SearchVector("title", weight="A", config=CONFIG) + SearchVector(
            "full_text", weight="B", config=CONFIG
        )
        queryset = (
            queryset.alias(search_document=source_index_vector())
            .filter(search_document=query)
            .annotate(
                rank=SearchRank(weighted, query),
                # Fragments from the first HEADLINE_SOURCE_CHARS characters only: ts_headline parses
                # all the text it is given, and a source's text may run to 500,000 characters.
                search_headline=SearchHeadline(
                    Substr("full_text", 1, HEADLINE_SOURCE_CHARS),
                    query,
                    config=CONFIG,
                    start_sel=START_SEL,
                    stop_sel=STOP_SEL,
                    max_fragments=3,
                    max_words=30,
                    min_words=10,
                ),
            )
            .order_by("-rank", "title")
        )
        return _with_headlines(queryset, annotation="search_headline")
    score = Value(0)
    for word in words:
        queryset = queryset.filter(Q(title__icontains=word) | Q(full_text__icontains=word))
        score = score + Case(When(title__icontains=word, then=Value(2)), default=Value(1), output_field=IntegerField())
    queryset = queryset.annotate(rank=score).order_by("-rank", "title")
    return _with_headlines(queryset, field="title", words=tuple(words))
