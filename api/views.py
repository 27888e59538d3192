"""The registry's resources under /api/v1/. Every list is paginated, filtered
with the same FilterSets as the dashboard's list pages and ordered by
``?ordering=``; query counts are listed on each view and asserted in
tests/test_api.py."""

from django.db import transaction
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from api import serializers as s
from api.metrics import upsert_metrics
from dashboard import queries
from dashboard.filters import CompanyFilter, PersonFilter, SourceFilter, StatementFilter
from registry.models import (
    Account,
    AccountMetric,
    Cohort,
    CohortMembership,
    Organisation,
    Person,
    Platform,
    PublishedFigure,
    Source,
    Statement,
)
from registry.signals import bump_data_version

FILTERS = [DjangoFilterBackend, OrderingFilter]


class WriteMixin:
    """Writes in one transaction, so a failure leaves nothing half-written."""

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.save()

    def perform_update(self, serializer):
        with transaction.atomic():
            serializer.save()


class OrganisationViewSet(
    WriteMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Organisations; ``q`` is the companies page's search (the same CompanyFilter):
    English and Chinese names, short names, aliases, traditional characters,
    pinyin and initials. List: token, its last use,
    permissions (2), cohorts for the filter, count, page."""

    queryset = Organisation.objects.order_by("name_en", "id")
    serializer_class = s.OrganisationSerializer
    filter_backends = FILTERS
    filterset_class = CompanyFilter
    ordering_fields = ["name_en", "id", "updated_at"]


class CohortViewSet(viewsets.ReadOnlyModelViewSet):
    """Cohorts with their member counts, and their members (``/members/``)."""

    queryset = Cohort.objects.annotate(member_count=Count("memberships")).order_by("-year", "name")
    serializer_class = s.CohortSerializer
    lookup_field = "slug"
    filter_backends = [OrderingFilter]
    ordering_fields = ["year", "name"]

    @extend_schema(responses=s.MemberSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=s.MemberSerializer)
    def members(self, request, slug=None):
        cohort = get_object_or_404(Cohort, slug=slug)
        members = (
            CohortMembership.objects.filter(cohort=cohort)
            .select_related("organisation")
            .order_by("rank", "organisation__name_en", "id")
        )
        page = self.paginate_queryset(members)
        return self.get_paginated_response(s.MemberSerializer(page, many=True).data)


class PlatformViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Platform.objects.order_by("display_order", "name_en")
    serializer_class = s.PlatformSerializer
    lookup_field = "slug"
    pagination_class = None


class AccountViewSet(
    WriteMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Account.objects.select_related("platform").order_by("id")
    serializer_class = s.AccountSerializer
    filter_backends = FILTERS
    filterset_fields = {
        "organisation": ["exact"],
        "platform__slug": ["exact"],
        "status": ["exact"],
        "opened_on": ["gte", "lte"],
        "closed_on": ["gte", "lte", "isnull"],
    }
    ordering_fields = ["id", "opened_on", "closed_on", "display_name"]


@extend_schema_view(bulk=extend_schema(request=s.BulkMetricsSerializer, responses=s.BulkResultSerializer))
class MetricViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Metric snapshots, and their bulk upsert keyed by account and date."""

    queryset = AccountMetric.objects.order_by("account_id", "date")
    serializer_class = s.MetricSerializer
    filter_backends = FILTERS
    filterset_fields = {"account": ["exact"], "date": ["exact", "gte", "lte"], "account__platform__slug": ["exact"]}
    ordering_fields = ["date", "account"]

    @action(detail=False, methods=["post"], serializer_class=s.BulkMetricsSerializer)
    def bulk(self, request):
        """Create or update up to 500 snapshots. Sending the same batch twice
        changes nothing; any bad row (field errors, unknown account, the same
        account and date twice) rejects the whole batch with an error per row."""
        serializer = s.BulkMetricsSerializer(data=request.data)
        if not serializer.is_valid():
            raise ValidationError(_row_list(serializer.errors, request.data))
        result = upsert_metrics(serializer.validated_data["rows"])
        if result.created or result.updated:
            bump_data_version()
        return Response(s.BulkResultSerializer(result).data)


def _row_list(errors: dict, data) -> dict:
    """Row errors as a list with one entry per row sent ({} for a good row),
    whichever shape the serializer gave them in."""
    rows = errors.get("rows")
    sent = data.get("rows") if isinstance(data, dict) else None
    if isinstance(rows, dict) and isinstance(sent, list) and all(str(k).isdigit() for k in rows):
        errors = {**errors, "rows": [rows.get(i, rows.get(str(i), {})) for i in range(len(sent))]}
    return errors


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Person.objects.order_by("name_en", "id")
    serializer_class = s.PersonSerializer
    filter_backends = FILTERS
    filterset_class = PersonFilter
    ordering_fields = ["name_en", "id"]


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Source.objects.order_by("-published_on", "id")
    serializer_class = s.SourceSerializer
    filter_backends = FILTERS
    filterset_class = SourceFilter
    ordering_fields = ["published_on", "id", "title"]


class StatementViewSet(
    WriteMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Statements; ``q`` is the same full-text search as the statements page."""

    queryset = Statement.objects.order_by("-stated_on", "id").prefetch_related(
        Prefetch("platforms", queryset=Platform.objects.only("id", "slug")), "topics"
    )
    serializer_class = s.StatementSerializer
    filter_backends = FILTERS
    filterset_class = StatementFilter
    ordering_fields = ["stated_on", "id"]


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("cohort", str), OpenApiParameter("platform", str)],
        responses=s.FigureCheckSerializer(many=True),
    ),
    retrieve=extend_schema(responses=s.FigureCheckSerializer),
)
class PublishedFigureViewSet(viewsets.ReadOnlyModelViewSet):
    """Published figures, each with the live count and verdict the figures page
    shows (``queries.published_figure_checks``). List: auth (4), count, the
    page's ids, the checks of those figures (1)."""

    queryset = PublishedFigure.objects.order_by("as_of", "id")
    serializer_class = s.FigureCheckSerializer
    filter_backends = FILTERS
    filterset_fields = {"cohort__slug": ["exact"], "platform__slug": ["exact"], "as_of": ["gte", "lte"]}
    ordering_fields = ["as_of", "id"]

    def _checks(self, ids: list[int]) -> list:
        checks = {
            c.figure.pk: c for c in queries.published_figure_checks(figures=PublishedFigure.objects.filter(pk__in=ids))
        }
        return [checks[pk] for pk in ids if pk in checks]

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset()).values_list("pk", flat=True)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.FigureCheckSerializer(self._checks(list(page)), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        checks = self._checks([int(kwargs["pk"])]) if str(kwargs["pk"]).isdigit() else []
        if not checks:
            get_object_or_404(PublishedFigure, pk=-1)
        return Response(s.FigureCheckSerializer(checks[0]).data)
