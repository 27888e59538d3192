"""Full-text search over statements and sources.

``search_statements`` returns the queryset filtered to matches, best first.
(A portable substring fallback for now; see docs for the PostgreSQL ranking.)"""

from django.db.models import Q, QuerySet


def search_statements(queryset: QuerySet, text: str) -> QuerySet:
    words = [w for w in (text or "").split() if w]
    for word in words:
        queryset = queryset.filter(
            Q(quote__icontains=word) | Q(speaker__name_en__icontains=word) | Q(organisation__name_en__icontains=word)
        )
    return queryset


def search_sources(queryset: QuerySet, text: str) -> QuerySet:
    words = [w for w in (text or "").split() if w]
    for word in words:
        queryset = queryset.filter(Q(title__icontains=word) | Q(full_text__icontains=word))
    return queryset
