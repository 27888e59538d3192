"""Serializers of the registry's resources. Writes run the model's own
validation (``full_clean``: fields, unique and check constraints), so the API
keeps the same rules as the admin and imports and answers 400, not 500."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from registry.models import (
    Account,
    AccountMetric,
    Cohort,
    CohortMembership,
    Organisation,
    Person,
    Platform,
    Source,
    Statement,
    normalise_name,
    quote_key,
)


class ModelRulesSerializer(serializers.ModelSerializer):
    """Create and update through ``full_clean`` so model validation and
    database constraints become field errors."""

    def prepare(self, instance: Model) -> None:
        """Fill derived fields that ``save()`` would fill, before validation."""

    def _validated_save(self, instance: Model, many_to_many: dict) -> Model:
        self.prepare(instance)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        instance.save()
        for name, values in many_to_many.items():
            getattr(instance, name).set(values)
        return instance

    def _split(self, validated_data):
        info = self.Meta.model._meta
        m2m_names = {f.name for f in info.many_to_many}
        m2m = {k: validated_data.pop(k) for k in list(validated_data) if k in m2m_names}
        return validated_data, m2m

    def create(self, validated_data):
        data, m2m = self._split(validated_data)
        return self._validated_save(self.Meta.model(**data), m2m)

    def update(self, instance, validated_data):
        data, m2m = self._split(validated_data)
        for name, value in data.items():
            setattr(instance, name, value)
        return self._validated_save(instance, m2m)


class OrganisationSerializer(ModelRulesSerializer):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "name_en",
            "name_zh",
            "short_name",
            "aliases",
            "kind",
            "ownership",
            "sector",
            "province",
            "city",
            "website",
            "parent",
            "credit_code",
            "description",
            "is_demo",
            "updated_at",
        ]
        read_only_fields = ["is_demo", "updated_at"]
        # Uniqueness of the normalised name is checked by full_clean after prepare().
        validators: list = []

    def prepare(self, instance):
        instance.name_key = normalise_name(instance.name_en or "")
        if instance.credit_code == "":
            instance.credit_code = None


class CohortSerializer(serializers.ModelSerializer):
    members = serializers.IntegerField(source="member_count", read_only=True)

    class Meta:
        model = Cohort
        fields = ["id", "slug", "name", "publisher", "year", "nominal_size", "description", "is_demo", "members"]


class MemberSerializer(serializers.ModelSerializer):
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    name_en = serializers.CharField(source="organisation.name_en", read_only=True)
    name_zh = serializers.CharField(source="organisation.name_zh", read_only=True)

    class Meta:
        model = CohortMembership
        fields = ["organisation", "name_en", "name_zh", "rank", "revenue_rmb_m", "is_demo"]


class PlatformSerializer(serializers.ModelSerializer):
    class Meta:
        model = Platform
        fields = ["id", "slug", "name_en", "name_zh", "region", "kind", "launched_year", "is_main"]


class AccountSerializer(ModelRulesSerializer):
    platform = serializers.SlugRelatedField(slug_field="slug", queryset=Platform.objects.all())

    class Meta:
        model = Account
        fields = [
            "id",
            "organisation",
            "platform",
            "display_name",
            "handle",
            "account_id",
            "url",
            "verified",
            "opened_on",
            "opened_precision",
            "closed_on",
            "status",
            "source",
            "is_demo",
            "updated_at",
        ]
        read_only_fields = ["is_demo", "updated_at"]
        validators: list = []


METRIC_FIELDS = ("followers", "posts", "reads", "headline_reads", "max_reads", "likes", "wows", "shares", "comments")


class MetricSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccountMetric
        fields = ["id", "account", "date", *METRIC_FIELDS, "source"]


class MetricRowSerializer(serializers.Serializer):
    """One row of a bulk upsert. Accounts are checked against the database for
    the whole batch at once (in the view), not per row."""

    account = serializers.IntegerField(min_value=1)
    date = serializers.DateField()
    followers = serializers.IntegerField(min_value=0, required=False, allow_null=True, max_value=2**63 - 1)
    posts = serializers.IntegerField(min_value=0, required=False, allow_null=True, max_value=2**31 - 1)
    reads = serializers.IntegerField(min_value=0, required=False, allow_null=True, max_value=2**63 - 1)
    headline_reads = serializers.IntegerField(min_value=0, required=False, allow_null=True, max_value=2**63 - 1)
    max_reads = serializers.IntegerField(min_value=0, required=False, allow_null=True, max_value=2**63 - 1)
    likes = serializers.IntegerField(min_value=0, required=False, allow_null=True, max_value=2**63 - 1)
    wows = serializers.IntegerField(min_value=0, required=False, allow_null=True, max_value=2**63 - 1)
    shares = serializers.IntegerField(min_value=0, required=False, allow_null=True, max_value=2**63 - 1)
    comments = serializers.IntegerField(min_value=0, required=False, allow_null=True, max_value=2**63 - 1)

    def validate(self, attrs):
        if not any(attrs.get(name) is not None for name in METRIC_FIELDS):
            raise serializers.ValidationError(_("Give at least one figure."))
        return attrs


class BulkMetricsSerializer(serializers.Serializer):
    rows = MetricRowSerializer(many=True, allow_empty=False, max_length=500)


class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "name_en", "name_zh", "aliases", "description", "is_demo", "updated_at"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "title", "url", "publisher", "published_on", "published_precision", "language", "kind"]


class StatementSerializer(ModelRulesSerializer):
    platforms = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Platform.objects.all(), required=False
    )
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Statement
        fields = [
            "id",
            "quote",
            "kind",
            "speaker",
            "organisation",
            "role",
            "stated_on",
            "stated_precision",
            "source",
            "platforms",
            "topics",
            "mentions_livestreaming",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators: list = []

    def prepare(self, instance):
        instance.quote = (instance.quote or "").strip()
        instance.quote_key = quote_key(instance.quote)


class FigureCheckSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="figure.id")
    claim = serializers.CharField(source="figure.claim")
    cohort = serializers.CharField(source="figure.cohort.slug", allow_null=True, default=None)
    platform = serializers.CharField(source="figure.platform.slug", allow_null=True, default=None)
    comparator = serializers.CharField(source="figure.comparator")
    value = serializers.IntegerField(source="figure.value", allow_null=True)
    as_of = serializers.DateField(source="figure.as_of")
    source = serializers.IntegerField(source="figure.source_id")
    live = serializers.IntegerField()
    live_synthetic = serializers.IntegerField()
    held = serializers.IntegerField(allow_null=True)
    nominal = serializers.IntegerField(allow_null=True)
    missing = serializers.IntegerField(allow_null=True)
    verdict = serializers.CharField()
