"""The dashboard's aggregates as JSON. Each takes the dashboard's own filters
(``cohort``, ``as_of``, ``ownership``, ``sector``, ``province``, ``platform``,
validated by ``dashboard.filters.scope_from_request``) and calls the same
functions in ``dashboard/queries.py`` as the overview and chart pages, so the
numbers are the page's.

Responses carry an ETag built from the registry's data version, the user and
the query string; a matching ``If-None-Match`` gets a 304 without the queries.
"""

import hashlib

from django.http import HttpResponseNotModified
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboard import queries
from dashboard.filters import ScopeError, reference_rows, scope_from_request
from registry.signals import data_version

SCOPE_PARAMETERS = [
    OpenApiParameter("cohort", OpenApiTypes.STR, description="Cohort slug; empty for all companies."),
    OpenApiParameter("as_of", OpenApiTypes.DATE),
    OpenApiParameter("ownership", OpenApiTypes.STR, many=True),
    OpenApiParameter("sector", OpenApiTypes.STR, many=True),
    OpenApiParameter("province", OpenApiTypes.STR, many=True),
    OpenApiParameter("platform", OpenApiTypes.STR, many=True, description="Platform slugs; the main ones if none."),
]

_scope_fields = {
    "cohort": serializers.CharField(allow_null=True),
    "as_of": serializers.DateField(),
    "platforms": serializers.ListField(child=serializers.CharField()),
    "organisations": serializers.IntegerField(),
}


def _scope_dict(scope, size: int) -> dict:
    return {
        "cohort": scope.cohort.slug if scope.cohort else None,
        "as_of": scope.as_of.isoformat(),
        "platforms": [p.slug for p in scope.platforms],
        "organisations": size,
    }


class AggregateView(APIView):
    """Base: validates the scope (2 queries: cohorts, platforms) and answers
    with an ETag. Subclasses implement ``rows(scope)``."""

    def _scope(self, request):
        cohorts, platforms = reference_rows()
        try:
            scope, _filter = scope_from_request(request.query_params, cohorts=cohorts, platforms=platforms)
        except ScopeError as error:
            raise ValidationError(
                error.errors.get_json_data() if hasattr(error.errors, "get_json_data") else error.errors
            ) from None
        return scope

    def _etag(self, request) -> str:
        identity = "\n".join(
            (data_version(), str(request.user.pk), request.get_full_path(), timezone.localdate().isoformat())
        )
        return '"' + hashlib.sha256(identity.encode()).hexdigest()[:32] + '"'

    def get(self, request):
        etag = self._etag(request)
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        scope = self._scope(request)
        response = Response(self.rows(scope))
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        return response


@extend_schema(
    parameters=SCOPE_PARAMETERS,
    responses=inline_serializer(
        "AdoptionByPlatform",
        {
            "scope": inline_serializer("AdoptionScope", _scope_fields),
            "rows": inline_serializer(
                "PlatformAdoptionRow",
                {
                    "platform": serializers.CharField(),
                    "name": serializers.CharField(),
                    "adopters": serializers.IntegerField(),
                    "synthetic": serializers.IntegerField(),
                    "organisations": serializers.IntegerField(),
                    "share": serializers.FloatField(),
                },
                many=True,
            ),
        },
    ),
)
class AdoptionByPlatform(AggregateView):
    """Organisations with an open account per platform: the overview's cards
    and first chart. Queries: auth (4), cohorts, platforms, the scope's facts,
    the adopters per platform."""

    def rows(self, scope):
        size = queries.scope_facts(scope=scope).members
        rows = queries.adoption_by_platform(scope=scope, size=size)
        return {
            "scope": _scope_dict(scope, size),
            "rows": [
                {
                    "platform": r.slug,
                    "name": r.name,
                    "adopters": r.adopters,
                    "synthetic": r.synthetic,
                    "organisations": r.cohort_size,
                    "share": round(r.share, 6),
                }
                for r in rows
            ],
        }


@extend_schema(
    parameters=SCOPE_PARAMETERS,
    responses=inline_serializer(
        "AdoptionOverTime",
        {
            "scope": inline_serializer("TimelineScope", _scope_fields),
            "rows": inline_serializer(
                "AdoptionPointRow",
                {
                    "platform": serializers.CharField(),
                    "month": serializers.DateField(),
                    "adopters": serializers.IntegerField(),
                },
                many=True,
            ),
        },
    ),
)
class AdoptionOverTime(AggregateView):
    """Cumulative adopters per platform by month. Queries: auth (4), cohorts,
    platforms, the timeline with the scope's facts (1)."""

    def rows(self, scope):
        points, facts = queries.cumulative_adoption(scope=scope, with_facts=True)
        return {
            "scope": _scope_dict(scope, facts.members),
            "rows": [{"platform": p.platform, "month": p.month.isoformat(), "adopters": p.adopters} for p in points],
        }


def _group_response(name: str):
    return inline_serializer(
        name,
        {
            "scope": inline_serializer(name + "Scope", _scope_fields),
            "rows": inline_serializer(
                name + "Row",
                {
                    "group": serializers.CharField(),
                    "label": serializers.CharField(),
                    "organisations": serializers.IntegerField(),
                    "adopters": serializers.DictField(child=serializers.IntegerField()),
                },
                many=True,
            ),
        },
    )


class _GroupAggregate(AggregateView):
    """Adopters per platform within each group. Queries: auth (4), cohorts,
    platforms, the groups (1)."""

    field = ""

    def rows(self, scope):
        groups = queries.adoption_by_group(scope=scope, field=self.field)
        return {
            "scope": _scope_dict(scope, sum(g.members for g in groups)),
            "rows": [
                {"group": g.group, "label": str(g.label), "organisations": g.members, "adopters": dict(g.adopters)}
                for g in groups
            ],
        }


@extend_schema(parameters=SCOPE_PARAMETERS, responses=_group_response("AdoptionByOwnership"))
class AdoptionByOwnership(_GroupAggregate):
    field = "ownership"


@extend_schema(parameters=SCOPE_PARAMETERS, responses=_group_response("AdoptionBySector"))
class AdoptionBySector(_GroupAggregate):
    field = "sector"
