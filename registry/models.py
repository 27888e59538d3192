"""The registry: organisations, cohorts, platforms, accounts and their metrics,
people and positions, sources, statements, activities and published figures.

Every rule the data must keep is a database constraint, so an import, the admin
and a shell session all get the same guarantees.
"""

import datetime
import hashlib
import os
import re
import unicodedata
import uuid
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import Exact, LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry import names
from registry.formatting import format_number
from registry.geo import province_label
from registry.validators import validate_credit_code

QUOTE_MAX_LENGTH = 20_000
NAME_MAX_LENGTH = 255


def normalise_name(value: str) -> str:
    """The key names are matched on: NFKC (full-width to half-width), case-folded,
    punctuation and spacing collapsed."""
    text = unicodedata.normalize("NFKC", value or "").casefold()
    text = re.sub(r"[\s\-_.,'’()（）]+", " ", text)
    return text.strip()


def quote_key(text: str) -> str:
    return hashlib.sha256(normalise_name(text).encode()).hexdigest()


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    if value is None:
        return str(_("unknown"))
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%Y-%m}"
    return value.isoformat()


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("last changed"))

    class Meta:
        abstract = True


# --------------------------------------------------------------------------- organisations


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    GOVERNMENT = "government", _("Government body")
    REGULATOR = "regulator", _("Regulator / commission")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    UNIVERSITY = "university", _("University")
    RESEARCH = "research", _("Research institute")
    MEDIA = "media", _("Media organisation")
    ASSOCIATION = "association", _("Association")
    OTHER = "other", _("Other")


class Ownership(models.TextChoices):
    CENTRAL_SOE = "central_soe", _("Central SOE (SASAC-supervised)")
    LOCAL_SOE = "local_soe", _("Local SOE")
    PRIVATE = "private", _("Private")
    FOREIGN = "foreign", _("Foreign")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    ENERGY = "energy", _("Energy")
    PETROCHEMICALS = "petrochemicals", _("Oil, gas and chemicals")
    POWER = "power", _("Power and utilities")
    METALS = "metals", _("Metals and mining")
    TELECOMS = "telecoms", _("Telecommunications")
    INTERNET = "internet", _("Internet and technology")
    FINANCE = "finance", _("Banking and finance")
    INSURANCE = "insurance", _("Insurance")
    CONSTRUCTION = "construction", _("Construction and engineering")
    REAL_ESTATE = "real_estate", _("Real estate")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    AUTOMOTIVE = "automotive", _("Automotive")
    TRANSPORT = "transport", _("Transport and logistics")
    RETAIL = "retail", _("Retail and consumer goods")
    FOOD = "food", _("Food and agriculture")
    PHARMA = "pharma", _("Pharmaceuticals and health")
    TOURISM = "tourism", _("Tourism and culture")
    MEDIA = "media", _("Media")
    DEFENCE = "defence", _("Defence and aerospace")
    EDUCATION = "education", _("Education and research")
    GOVERNMENT = "government", _("Government")
    OTHER = "other", _("Other")


class OrganisationQuerySet(models.QuerySet):
    def companies(self):
        return self.filter(kind=OrganisationKind.COMPANY)

    def in_cohort(self, cohort):
        return self.filter(memberships__cohort=cohort)

    def matching_name(self, name: str):
        """Organisations whose English, Chinese, short name or alias matches
        ``name``, in either script (中國石化 finds 中国石化). One query."""
        key = normalise_name(name)
        query = Q(name_key=key) | Q(name_zh=name.strip()) | Q(short_name__iexact=name.strip())
        by_key = names.exact_name_q(name, key_model=OrganisationSearchKey, owner="organisation")
        return self.filter(query | by_key if by_key else query)

    def searching(self, query: str):
        """Organisations found by ``query``: any name or alias, in simplified or
        traditional characters, full pinyin (with or without spaces or tones) or
        pinyin initials, by prefix; or a name containing every word. One query."""
        words = query.split()
        contains = Q()
        for word in words:
            contains &= (
                Q(name_en__icontains=word)
                | Q(name_zh__icontains=word)
                | Q(short_name__icontains=word)
                | Q(aliases__icontains=word)
            )
        by_key = names.search_q(query, key_model=OrganisationSearchKey, owner="organisation")
        if not words:
            return self.all()
        return self.filter(contains | by_key if by_key else contains)

    def by_shown_name(self, *, language: str | None = None):
        return self.order_by(names.sort_field(language=language), "pk")


class Organisation(TimeStamped):
    name_en = models.CharField(_("name (English)"), max_length=NAME_MAX_LENGTH, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=NAME_MAX_LENGTH, blank=True)
    short_name = models.CharField(max_length=100, blank=True, verbose_name=_("short name"))
    aliases = models.TextField(
        blank=True,
        help_text=_("Other names, one per line."),
        validators=[MaxLengthValidator(5000)],
        verbose_name=_("aliases"),
    )
    name_key = models.CharField(
        max_length=NAME_MAX_LENGTH,
        editable=False,
        help_text=_("Normalised English name, else simplified Chinese name; the natural key for imports."),
        verbose_name=_("name key"),
    )
    sort_en = models.CharField(max_length=names.SORT_MAX_LENGTH, editable=False, default="")
    sort_zh = models.CharField(max_length=names.SORT_MAX_LENGTH, editable=False, default="")
    kind = models.CharField(
        max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.COMPANY, verbose_name=_("kind")
    )
    ownership = models.CharField(
        max_length=20, choices=Ownership.choices, default=Ownership.OTHER, verbose_name=_("ownership")
    )
    sector = models.CharField(max_length=20, choices=Sector.choices, default=Sector.OTHER, verbose_name=_("sector"))
    province = models.CharField(max_length=50, blank=True, verbose_name=_("province"))
    city = models.CharField(max_length=80, blank=True, verbose_name=_("city"))
    website = models.URLField(blank=True, verbose_name=_("website"))
    country = models.CharField(
        _("country"), max_length=80, blank=True, help_text=_("Where the headquarters are, as a ranking lists it.")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("parent company"),
    )
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("18 characters, GB 32100-2015."),
    )
    description = models.TextField(blank=True, validators=[MaxLengthValidator(10_000)], verbose_name=_("description"))
    is_demo = models.BooleanField(
        default=False, help_text=_("Synthetic demo data, not a real record."), verbose_name=_("synthetic demo data")
    )

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["sort_en", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name_en="") | ~Q(name_zh=""), name="organisation_has_name"),
            models.UniqueConstraint(fields=["name_key"], name="organisation_unique_name"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="organisation_not_own_parent"),
            models.CheckConstraint(
                condition=Q(credit_code__isnull=True) | Exact(Length("credit_code"), 18),
                name="organisation_credit_code_length",
            ),
        ]
        indexes = [
            models.Index(fields=["ownership"], name="org_ownership_idx"),
            models.Index(fields=["sector"], name="org_sector_idx"),
            models.Index(fields=["province"], name="org_province_idx"),
            models.Index(fields=["kind"], name="org_kind_idx"),
            models.Index(fields=["is_demo"], name="org_demo_idx"),
            models.Index(fields=["sort_en"], name="org_sort_en_idx"),
            models.Index(fields=["sort_zh"], name="org_sort_zh_idx"),
            # Imports match a row's Chinese name against the registry's.
            models.Index(fields=["name_zh"], name="org_name_zh_idx"),
        ]

    def __str__(self):
        if self.name_en and self.name_zh:
            return f"{self.name_en} ({self.name_zh})"
        return self.name_en or self.name_zh

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name_en", "name_zh"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name_key", "sort_en", "sort_zh"}
        super().save(*args, **kwargs)
        # Search keys follow every save that may change a name: 2 queries.
        if update_fields is None or {"name_en", "name_zh", "short_name", "aliases"} & set(update_fields):
            names.rebuild_keys(
                [self], key_model=OrganisationSearchKey, owner="organisation", names_of=names.organisation_names
            )

    def get_absolute_url(self):
        return reverse("dashboard:company_detail", args=[self.pk])

    def fill_derived_fields(self) -> None:
        """Trimmed names, the natural key, the sort keys and the credit code in
        its stored form: what ``save`` and the bulk import both store."""
        self.name_en, self.name_zh = (self.name_en or "").strip(), (self.name_zh or "").strip()
        self.name_key = names.natural_key(self.name_en, self.name_zh)
        names.fill_sort_keys(self)
        if self.credit_code == "":
            self.credit_code = None
        elif self.credit_code:
            self.credit_code = self.credit_code.strip().upper()

    def clean(self):
        super().clean()
        if not (self.name_en or "").strip() and not (self.name_zh or "").strip():
            raise ValidationError(_("Give a Chinese name or an English name (or both)."))

    @property
    def province_label(self) -> str:
        """The province in the interface's language."""
        return province_label(self.province)

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def display_name(self) -> str:
        """The short name, or the full name shown first in the reader's language."""
        return self.short_name or names.shown_name(self)


class SearchKeyBase(models.Model):
    kind = models.CharField(max_length=10, choices=names.KeyKind.CHOICES)
    key = models.CharField(max_length=names.KEY_MAX_LENGTH)

    class Meta:
        abstract = True


class OrganisationSearchKey(SearchKeyBase):
    """A folded name, full pinyin or pinyin initials of an organisation's name
    or alias (registry/names.py). Kept in step by Organisation.save."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="search_keys")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "key"], name="org_search_key_unique"),
        ]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL answer LIKE 'key%' from the index
            # whatever the database collation; other databases ignore it.
            models.Index(fields=["key"], name="org_search_key_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.key


class FactKind(models.TextChoices):
    REVENUE = "revenue", _("Revenue")
    PROFIT = "profit", _("Profit")
    ASSETS = "assets", _("Assets")
    EMPLOYEES = "employees", _("Employees")


MONEY_FACTS = (FactKind.REVENUE, FactKind.PROFIT, FactKind.ASSETS)


class OrganisationFact(TimeStamped):
    """A dated figure about an organisation as a ranking publishes it: revenue,
    profit and assets in millions of one currency (one row per currency, never
    converted), employees as a head count."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="facts", verbose_name=_("organisation")
    )
    kind = models.CharField(_("figure"), max_length=12, choices=FactKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1949)])
    value = models.DecimalField(
        _("value"),
        max_digits=20,
        decimal_places=4,
        help_text=_("Money in millions of the currency; employees as a head count."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code (CNY, USD); empty for employees.")
    )
    published_unit = models.CharField(
        _("unit as published"), max_length=20, blank=True, help_text=_("E.g. 万元, 亿元 or $M, before conversion.")
    )
    source = models.ForeignKey(
        "Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="facts", verbose_name=_("source")
    )
    cohort = models.ForeignKey(
        "Cohort",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facts",
        verbose_name=_("ranking"),
        help_text=_("The ranking list the figure was published in."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "kind", "-year"]
        verbose_name = _("organisation figure")
        verbose_name_plural = _("organisation figures")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "year", "currency"], name="fact_unique_per_currency"
            ),
            models.CheckConstraint(
                condition=(Q(kind="employees") & Q(currency="")) | (~Q(kind="employees") & ~Q(currency="")),
                name="fact_currency_for_money_only",
            ),
            models.CheckConstraint(condition=Q(year__gte=1949) & Q(year__lte=2100), name="fact_year_range"),
        ]
        indexes = [models.Index(fields=["kind", "year"], name="fact_kind_year_idx")]

    def __str__(self):
        unit = _("million %(currency)s") % {"currency": self.currency} if self.currency else ""
        value = f"{self.value.normalize():f}"
        return f"{self.organisation.display_name}: {self.get_kind_display()} {self.year} {value} {unit}".strip()


class VocabularyMapping(TimeStamped):
    """A user's choice of registry sector for a sector/industry value that the
    built-in vocabularies do not know, remembered per source of lists."""

    source_key = models.CharField(
        _("source"),
        max_length=500,
        help_text=_("The list's source URL, or its name without the year when it has no URL."),
    )
    value = models.CharField(_("value in the list"), max_length=200)
    value_key = models.CharField(max_length=200, editable=False)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["source_key", "value"]
        verbose_name = _("sector mapping")
        verbose_name_plural = _("sector mappings")
        constraints = [
            models.UniqueConstraint(fields=["source_key", "value_key"], name="vocabulary_unique_value"),
            models.CheckConstraint(condition=~Q(value_key=""), name="vocabulary_has_value"),
        ]

    def __str__(self):
        return f"{self.value} → {self.get_sector_display()} ({self.source_key})"

    def save(self, *args, **kwargs):
        from registry.imports.vocabularies import vocabulary_key

        self.value_key = vocabulary_key(self.value)
        super().save(*args, **kwargs)


# --------------------------------------------------------------------------- cohorts


class Cohort(TimeStamped):
    name = models.CharField(max_length=200, verbose_name=_("name"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
    publisher = models.CharField(max_length=200, blank=True, verbose_name=_("publisher"))
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1949)], verbose_name=_("year"))
    nominal_size = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("How many members the published list has (e.g. 500), whether or not the registry holds them all."),
        verbose_name=_("published list size"),
    )
    description = models.TextField(blank=True, verbose_name=_("description"))
    source = models.ForeignKey(
        "Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="cohorts", verbose_name=_("source")
    )
    is_demo = models.BooleanField(default=False, verbose_name=_("synthetic demo data"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="cohort_unique_name_year"),
            models.CheckConstraint(condition=Q(year__gte=1949) & Q(year__lte=2100), name="cohort_year_range"),
        ]

    def __str__(self):
        name = names.shown_name(SimpleNamespace(name_en=self.name, name_zh=self.name_zh))
        return name if str(self.year) in name else f"{name} {self.year}"


class CohortMembership(TimeStamped):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cohort"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    rank = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)], verbose_name=_("rank"))
    revenue_rmb_m = models.DecimalField(
        _("revenue (RMB million)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    source = models.ForeignKey(
        "Source",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
        help_text=_("Where the membership is published, when it differs from the cohort's source."),
        verbose_name=_("source"),
    )
    is_demo = models.BooleanField(default=False, verbose_name=_("synthetic demo data"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cohort membership")
        verbose_name_plural = _("cohort memberships")
        ordering = ["cohort", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "organisation"], name="membership_unique_org"),
            models.UniqueConstraint(
                fields=["cohort", "rank"], condition=Q(rank__isnull=False), name="membership_unique_rank"
            ),
            models.CheckConstraint(condition=Q(rank__isnull=True) | Q(rank__gte=1), name="membership_rank_positive"),
            models.CheckConstraint(
                condition=Q(revenue_rmb_m__isnull=True) | Q(revenue_rmb_m__gte=0),
                name="membership_revenue_not_negative",
            ),
        ]

    def __str__(self):
        rank = f"#{self.rank} " if self.rank else ""
        return f"{rank}{self.organisation} in {self.cohort}"


# --------------------------------------------------------------------------- platforms and accounts


class PlatformKind(models.TextChoices):
    OFFICIAL_ACCOUNT = "official_account", _("Official-account messaging")
    MICROBLOG = "microblog", _("Microblog")
    SHORT_VIDEO = "short_video", _("Short video")
    LIVESTREAMING = "livestreaming", _("Livestreaming")
    NEWS_FEED = "news_feed", _("News feed")
    LONG_VIDEO = "long_video", _("Long video")
    QA = "qa", _("Questions and answers")
    LIFESTYLE = "lifestyle", _("Lifestyle community")
    SOCIAL_NETWORK = "social_network", _("Social network")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic")
    OVERSEAS = "overseas", _("Overseas")


class Platform(TimeStamped):
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    slug = models.SlugField(max_length=50, unique=True, verbose_name=_("slug"))
    region = models.CharField(max_length=10, choices=Region.choices, default=Region.DOMESTIC, verbose_name=_("region"))
    kind = models.CharField(
        max_length=20, choices=PlatformKind.choices, default=PlatformKind.OTHER, verbose_name=_("kind")
    )
    operator = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="operated_platforms",
        verbose_name=_("operator"),
    )
    launched_year = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("year launched"))
    display_order = models.PositiveSmallIntegerField(default=100, verbose_name=_("display order"))
    is_main = models.BooleanField(
        default=True, help_text=_("Shown as a column in company tables."), verbose_name=_("main platform")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        ordering = ["display_order", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["name_en"], name="platform_unique_name"),
        ]

    def __str__(self):
        return self.name_en


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    CLOSED = "closed", _("Closed")
    UNKNOWN = "unknown", _("Unknown")


class AccountQuerySet(models.QuerySet):
    def active_on(self, date: datetime.date):
        """Accounts open on ``date``: opened on or before it, and not closed by it.
        An account with no known open date is not counted as open on any date."""
        return self.filter(opened_on__lte=date).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=date))


class Account(TimeStamped):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="accounts", verbose_name=_("organisation")
    )
    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("platform")
    )
    display_name = models.CharField(max_length=NAME_MAX_LENGTH, verbose_name=_("account name"))
    handle = models.CharField(
        max_length=150, blank=True, help_text=_("The @name or public id on the platform."), verbose_name=_("handle")
    )
    account_id = models.CharField(_("platform account id"), max_length=150, blank=True)
    url = models.URLField(max_length=500, blank=True, verbose_name=_("URL"))
    verified = models.BooleanField(default=False, verbose_name=_("verified"))
    opened_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("First day of the known period when only a month or year is known."),
        verbose_name=_("opened on"),
    )
    opened_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, verbose_name=_("opening date precision")
    )
    closed_on = models.DateField(null=True, blank=True, verbose_name=_("closed on"))
    status = models.CharField(
        max_length=10, choices=AccountStatus.choices, default=AccountStatus.ACTIVE, verbose_name=_("status")
    )
    source = models.ForeignKey(
        "Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="accounts", verbose_name=_("source")
    )
    is_demo = models.BooleanField(default=False, verbose_name=_("synthetic demo data"))

    history = HistoricalRecords()
    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["platform", "display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "account_id"], condition=~Q(account_id=""), name="account_unique_platform_id"
            ),
            models.UniqueConstraint(
                fields=["platform", "handle"], condition=~Q(handle=""), name="account_unique_platform_handle"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(opened_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="account_closed_after_opened",
            ),
            models.CheckConstraint(condition=~Q(display_name=""), name="account_has_name"),
        ]
        indexes = [
            models.Index(fields=["platform", "opened_on"], name="account_platform_opened_idx"),
            # On PostgreSQL migration 0005 makes this index covering (INCLUDE opened_on,
            # closed_on) for index-only adoption counts (docs/PERFORMANCE.md).
            models.Index(fields=["organisation", "platform"], name="account_org_platform_idx"),
            models.Index(fields=["closed_on"], name="account_closed_idx"),
        ]

    def __str__(self):
        return f"{self.display_name} on {self.platform}"

    @property
    def opened_display(self) -> str:
        return format_partial_date(self.opened_on, self.opened_precision)


class AccountMetric(models.Model):
    """A dated snapshot of an account's figures; any figure may be unknown.

    Daily activity figures (posts, reads, ...) are totals for that day; followers
    is the count at the end of the day."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="metrics", verbose_name=_("account"))
    date = models.DateField(verbose_name=_("date"))
    followers = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("followers"))
    posts = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Posts or articles published that day."), verbose_name=_("posts")
    )
    reads = models.PositiveBigIntegerField(
        null=True, blank=True, help_text=_("Reads or views."), verbose_name=_("reads")
    )
    headline_reads = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text=_("Reads of the day's headline articles (WeChat)."),
        verbose_name=_("headline reads"),
    )
    max_reads = models.PositiveBigIntegerField(
        null=True, blank=True, help_text=_("Reads of the day's most-read post."), verbose_name=_("peak reads")
    )
    likes = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("likes"))
    wows = models.PositiveBigIntegerField(_("wows (在看)"), null=True, blank=True)
    shares = models.PositiveBigIntegerField(
        null=True, blank=True, help_text=_("Shares or reposts."), verbose_name=_("shares")
    )
    comments = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("comments"))
    source = models.ForeignKey(
        "Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="metrics", verbose_name=_("source")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("account metric")
        verbose_name_plural = _("account metrics")
        ordering = ["account", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["account", "date"], name="metric_unique_account_date"),
        ]
        indexes = [
            models.Index(fields=["date"], name="metric_date_idx"),
        ]

    def __str__(self):
        return f"{self.account} on {self.date}"


class AccountLatest(models.Model):
    """Each account's latest snapshot, kept by database triggers on
    ``AccountMetric`` (``registry/snapshots.py``), whatever writes the snapshots:
    the admin, imports, bulk inserts or SQL. Read-only for the application.

    Dashboard reads of "the latest follower count on or before a date" take it
    from here when it is not newer than the date, instead of probing every
    account's snapshots (docs/PERFORMANCE.md)."""

    account = models.OneToOneField(
        Account,
        primary_key=True,
        on_delete=models.DO_NOTHING,  # the row goes with the account's last snapshot (trigger)
        db_constraint=False,
        related_name="latest",
        verbose_name=_("account"),
    )
    snapshot_on = models.DateField(
        help_text=_("Date of the account's latest snapshot of any figure."), verbose_name=_("latest snapshot")
    )
    followers_on = models.DateField(
        null=True,
        help_text=_("Date of its latest snapshot with a follower count."),
        verbose_name=_("latest follower count on"),
    )
    followers = models.PositiveBigIntegerField(null=True, verbose_name=_("followers"))
    # The snapshots of the 30 days up to and including ``snapshot_on``
    # (snapshots.RECENT_DAYS), summed as an influence index sums them: an index
    # over those days reads this row instead of the account's snapshots.
    recent_snapshots = models.PositiveIntegerField(
        default=0,
        help_text=_("Snapshots in the 30 days up to the latest one."),
        verbose_name=_("snapshots in the latest 30 days"),
    )
    recent_posts = models.PositiveBigIntegerField(default=0, verbose_name=_("posts"))
    recent_reads = models.PositiveBigIntegerField(default=0, verbose_name=_("reads"))
    recent_likes = models.PositiveBigIntegerField(default=0, verbose_name=_("likes"))
    recent_wows = models.PositiveBigIntegerField(_("wows (在看)"), default=0)
    recent_shares = models.PositiveBigIntegerField(default=0, verbose_name=_("shares"))
    recent_comments = models.PositiveBigIntegerField(default=0, verbose_name=_("comments"))
    recent_headline_reads = models.PositiveBigIntegerField(null=True, verbose_name=_("headline reads"))
    recent_max_reads = models.PositiveBigIntegerField(null=True, verbose_name=_("peak reads"))

    class Meta:
        verbose_name_plural = _("latest snapshots of accounts")
        indexes = [models.Index(fields=["snapshot_on"], name="latest_snapshot_on_idx")]
        verbose_name = _("latest snapshot of an account")

    def __str__(self):
        return f"{self.account_id}: {self.followers} followers on {self.followers_on}"


# --------------------------------------------------------------------------- people


class PersonQuerySet(models.QuerySet):
    def searching(self, query: str):
        """People found by ``query`` (see OrganisationQuerySet.searching). One query."""
        words = query.split()
        if not words:
            return self.all()
        contains = Q()
        for word in words:
            contains &= Q(name_en__icontains=word) | Q(name_zh__icontains=word) | Q(aliases__icontains=word)
        by_key = names.search_q(query, key_model=PersonSearchKey, owner="person")
        return self.filter(contains | by_key if by_key else contains)

    def by_shown_name(self, *, language: str | None = None):
        return self.order_by(names.sort_field(language=language), "pk")


class Person(TimeStamped):
    name_en = models.CharField(_("name (English)"), max_length=NAME_MAX_LENGTH, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=NAME_MAX_LENGTH, blank=True)
    aliases = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(5000)],
        help_text=_("Other names, one per line, e.g. a Mandarin name."),
        verbose_name=_("aliases"),
    )
    description = models.TextField(blank=True, validators=[MaxLengthValidator(10_000)], verbose_name=_("description"))
    is_demo = models.BooleanField(default=False, verbose_name=_("synthetic demo data"))
    sort_en = models.CharField(max_length=names.SORT_MAX_LENGTH, editable=False, default="")
    sort_zh = models.CharField(max_length=names.SORT_MAX_LENGTH, editable=False, default="")

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_en", "id"]
        constraints = [models.CheckConstraint(condition=~Q(name_en="") | ~Q(name_zh=""), name="person_has_name")]
        indexes = [
            models.Index(Lower("name_en"), name="person_name_lower_idx"),
            models.Index(fields=["sort_en"], name="person_sort_en_idx"),
            models.Index(fields=["sort_zh"], name="person_sort_zh_idx"),
        ]

    def __str__(self):
        if self.name_en and self.name_zh:
            return f"{self.name_en} ({self.name_zh})"
        return self.name_en or self.name_zh

    def save(self, *args, **kwargs):
        self.name_en, self.name_zh = (self.name_en or "").strip(), (self.name_zh or "").strip()
        names.fill_sort_keys(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name_en", "name_zh"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "sort_en", "sort_zh"}
        super().save(*args, **kwargs)
        if update_fields is None or {"name_en", "name_zh", "aliases"} & set(update_fields):
            names.rebuild_keys([self], key_model=PersonSearchKey, owner="person", names_of=names.person_names)

    def get_absolute_url(self):
        return reverse("dashboard:person_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if not (self.name_en or "").strip() and not (self.name_zh or "").strip():
            raise ValidationError(_("Give a Chinese name or an English name (or both)."))

    @property
    def display_name(self) -> str:
        return names.shown_name(self)

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class PersonSearchKey(SearchKeyBase):
    """A folded name, full pinyin or pinyin initials of a person's name or alias."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_keys")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "kind", "key"], name="person_search_key_unique")]
        indexes = [models.Index(fields=["key"], name="person_search_key_idx", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return self.key


class Position(TimeStamped):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions", verbose_name=_("person"))
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="positions",
        verbose_name=_("organisation"),
    )
    title = models.CharField(max_length=NAME_MAX_LENGTH, verbose_name=_("title"))
    start_date = models.DateField(null=True, blank=True, verbose_name=_("start date"))
    end_date = models.DateField(null=True, blank=True, verbose_name=_("end date"))
    source = models.ForeignKey(
        "Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="positions", verbose_name=_("source")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["person", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="position_ends_after_start",
            ),
            models.UniqueConstraint(fields=["person", "organisation", "title"], name="position_unique"),
        ]

    def __str__(self):
        where = f", {self.organisation.display_name}" if self.organisation_id else ""
        return f"{self.person.display_name}: {self.title}{where}"


# --------------------------------------------------------------------------- sources and statements


class SourceKind(models.TextChoices):
    NEWS = "news", _("News article")
    PRESS_RELEASE = "press_release", _("Press release")
    REPORT = "report", _("Report")
    RANKING = "ranking", _("Ranking list")
    SOCIAL_POST = "social_post", _("Social media post")
    DATASET = "dataset", _("Dataset")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    CHINESE = "zh", _("Chinese")
    OTHER = "other", _("Other")


class Source(TimeStamped):
    title = models.CharField(max_length=500, verbose_name=_("title"))
    url = models.URLField(max_length=1000, blank=True, verbose_name=_("URL"))
    publisher = models.CharField(max_length=200, blank=True, verbose_name=_("publisher"))
    published_on = models.DateField(null=True, blank=True, verbose_name=_("published on"))
    published_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        verbose_name=_("publication date precision"),
    )
    language = models.CharField(
        max_length=5, choices=Language.choices, default=Language.ENGLISH, verbose_name=_("language")
    )
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.NEWS, verbose_name=_("kind"))
    full_text = models.TextField(blank=True, validators=[MaxLengthValidator(500_000)], verbose_name=_("full text"))
    notes = models.TextField(blank=True, verbose_name=_("notes"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="source_unique_url"),
            models.CheckConstraint(condition=~Q(title=""), name="source_has_title"),
        ]
        indexes = [models.Index(fields=["published_on"], name="source_published_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dashboard:source_detail", args=[self.pk])

    @property
    def published_display(self) -> str:
        return format_partial_date(self.published_on, self.published_precision)


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


class StatementKind(models.TextChoices):
    QUOTE = "quote", _("Direct quote")
    PARAPHRASE = "paraphrase", _("Paraphrase (reported speech)")


class StatementQuerySet(models.QuerySet):
    def quotes(self):
        return self.filter(kind=StatementKind.QUOTE)


class Statement(TimeStamped):
    quote = models.TextField(
        validators=[MaxLengthValidator(QUOTE_MAX_LENGTH)],
        help_text=_("The exact words, without quote marks."),
        verbose_name=_("quote"),
    )
    quote_key = models.CharField(max_length=64, editable=False, verbose_name=_("quote key"))
    kind = models.CharField(
        max_length=12, choices=StatementKind.choices, default=StatementKind.QUOTE, verbose_name=_("kind")
    )
    speaker = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
        help_text=_("Empty when an organisation speaks as itself or the speaker is unknown."),
        verbose_name=_("speaker"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
        help_text=_("The organisation as of the statement."),
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        max_length=NAME_MAX_LENGTH,
        blank=True,
        help_text=_("The speaker's role as of the statement."),
        verbose_name=_("role"),
    )
    stated_on = models.DateField(null=True, blank=True, verbose_name=_("stated on"))
    stated_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        verbose_name=_("statement date precision"),
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="statements", verbose_name=_("source"))
    platforms = models.ManyToManyField(Platform, blank=True, related_name="statements", verbose_name=_("platforms"))
    topics = models.ManyToManyField(Topic, blank=True, related_name="statements", verbose_name=_("topics"))
    mentions_livestreaming = models.BooleanField(default=False, verbose_name=_("mentions livestreaming"))

    history = HistoricalRecords(m2m_fields=[platforms, topics])
    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-stated_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "quote_key"], name="statement_unique_in_source"),
            models.CheckConstraint(condition=~Q(quote=""), name="statement_has_quote"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("quote"), QUOTE_MAX_LENGTH), name="statement_quote_length"
            ),
        ]
        indexes = [
            models.Index(fields=["stated_on"], name="statement_date_idx"),
            models.Index(fields=["speaker", "quote_key"], name="statement_speaker_key_idx"),
        ]

    def __str__(self):
        who = (
            self.speaker.display_name
            if self.speaker_id
            else (self.organisation.display_name if self.organisation_id else "Unattributed")
        )
        text = self.quote if len(self.quote) <= 80 else self.quote[:77] + "..."
        return f"{who}: “{text}”"

    def save(self, *args, **kwargs):
        self.quote = self.quote.strip()
        self.quote_key = quote_key(self.quote)
        super().save(*args, **kwargs)

    @property
    def stated_display(self) -> str:
        return format_partial_date(self.stated_on, self.stated_precision)


class Qualifier(models.TextChoices):
    EXACTLY = "exactly", _("exactly")
    MORE_THAN = "more_than", _("more than")
    AT_LEAST = "at_least", _("at least")
    ABOUT = "about", _("about")
    FEWER_THAN = "fewer_than", _("fewer than")
    SOME = "some", _("some (no number given)")


class ActivityKind(models.TextChoices):
    LIVESTREAMING = "livestreaming", _("Livestreaming sessions")
    SHORT_VIDEO = "short_video", _("Short-video campaign")
    APPOINTMENT = "appointment", _("Appointment or hiring")
    SECONDMENT = "secondment", _("Secondment")
    ACCOUNT_LAUNCH = "account_launch", _("Account launch")
    CAMPAIGN = "campaign", _("Communication campaign")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")


class Activity(TimeStamped):
    kind = models.CharField(
        max_length=20, choices=ActivityKind.choices, default=ActivityKind.OTHER, verbose_name=_("kind")
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="activities", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("organisation"),
    )
    count = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("count"))
    count_qualifier = models.CharField(
        max_length=12, choices=Qualifier.choices, default=Qualifier.EXACTLY, verbose_name=_("count qualifier")
    )
    start_date = models.DateField(null=True, blank=True, verbose_name=_("start date"))
    end_date = models.DateField(null=True, blank=True, verbose_name=_("end date"))
    period_text = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("The period as the source words it."),
        verbose_name=_("period as worded"),
    )
    place = models.CharField(max_length=200, blank=True, verbose_name=_("place"))
    description = models.TextField(validators=[MaxLengthValidator(10_000)], verbose_name=_("description"))
    platforms = models.ManyToManyField(Platform, blank=True, related_name="activities", verbose_name=_("platforms"))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="activities", verbose_name=_("source"))

    history = HistoricalRecords(m2m_fields=[platforms])

    class Meta:
        verbose_name = _("activity")
        ordering = ["-start_date", "id"]
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organisation__isnull=False), name="activity_has_actor"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(condition=~Q(description=""), name="activity_has_description"),
            models.UniqueConstraint(
                fields=["source", "kind", "person", "organisation", "description"], name="activity_unique_in_source"
            ),
        ]

    def __str__(self):
        return self.description if len(self.description) <= 80 else self.description[:77] + "..."

    @property
    def count_display(self) -> str:
        if self.count is None:
            return ""
        prefix = "" if self.count_qualifier == Qualifier.EXACTLY else f"{self.get_count_qualifier_display()} "
        return f"{prefix}{format_number(self.count)}"


class PublishedFigure(TimeStamped):
    """A number claimed in a source, e.g. "more than 400 of China's top 500
    companies have official WeChat accounts". The dashboard sets it beside what
    the registry's own data says for the same cohort, platform and date."""

    claim = models.TextField(
        validators=[MaxLengthValidator(5000)], help_text=_("The claim as the source words it."), verbose_name=_("claim")
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.PROTECT, related_name="figures", verbose_name=_("cohort")
    )
    platform = models.ForeignKey(
        Platform, null=True, blank=True, on_delete=models.PROTECT, related_name="figures", verbose_name=_("platform")
    )
    comparator = models.CharField(max_length=12, choices=Qualifier.choices, verbose_name=_("comparator"))
    value = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("value"))
    as_of = models.DateField(verbose_name=_("as of"))
    as_of_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, verbose_name=_("as-of date precision")
    )
    attributed_to = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="published_figures",
        help_text=_("Who the source says the figure comes from."),
        verbose_name=_("attributed to"),
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="figures", verbose_name=_("source"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")
        ordering = ["-as_of", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(comparator=Qualifier.SOME) & Q(value__isnull=True))
                | (~Q(comparator=Qualifier.SOME) & Q(value__isnull=False)),
                name="figure_value_matches_comparator",
            ),
            models.UniqueConstraint(fields=["source", "cohort", "platform", "as_of"], name="figure_unique_in_source"),
        ]

    def __str__(self):
        return self.claim if len(self.claim) <= 90 else self.claim[:87] + "..."

    @property
    def as_of_display(self) -> str:
        return format_partial_date(self.as_of, self.as_of_precision)

    @property
    def value_display(self) -> str:
        if self.value is None:
            return "some"
        if self.comparator == Qualifier.EXACTLY:
            return format_number(self.value)
        return f"{self.get_comparator_display()} {format_number(self.value)}"


# --------------------------------------------------------------------------- briefings


class Briefing(TimeStamped):
    """A user's collection of charts (with their filters) and chosen statements,
    downloadable as a slide pack. Anyone signed in can open it by its link."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("UUID"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="briefings", verbose_name=_("owner")
    )
    title = models.CharField(max_length=200, default="Briefing", verbose_name=_("title"))
    statements = models.ManyToManyField(Statement, blank=True, related_name="briefings", verbose_name=_("statements"))

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["-updated_at"]

    def __str__(self):
        return self.title


class BriefingItem(models.Model):
    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="items", verbose_name=_("briefing"))
    chart = models.SlugField(
        max_length=80, help_text=_("The chart's identifier on the dashboard."), verbose_name=_("chart")
    )
    query = models.CharField(
        max_length=2000, blank=True, help_text=_("The filter state as a URL query string."), verbose_name=_("filters")
    )
    position = models.PositiveIntegerField(default=0, verbose_name=_("position"))
    caption = models.CharField(max_length=300, blank=True, verbose_name=_("caption"))

    class Meta:
        verbose_name = _("briefing item")
        verbose_name_plural = _("briefing items")
        ordering = ["briefing", "position", "id"]

    def __str__(self):
        return f"{self.chart}?{self.query}" if self.query else self.chart


def _import_storage():
    from django.core.files.storage import FileSystemStorage

    class ImportJobStorage(FileSystemStorage):
        """Files under settings.IMPORT_JOBS_DIR, read when used (not when the
        model is defined), so the setting can change after start-up."""

        @property
        def base_location(self):
            return str(settings.IMPORT_JOBS_DIR)

        @property
        def location(self):
            return os.path.abspath(self.base_location)

    return ImportJobStorage()


class ImportJob(models.Model):
    """An uploaded file waiting for, or imported by, the background worker
    (``manage.py run_import_jobs``; ``registry.imports.jobs``). The file is kept
    until the job ends; what the import did stays on the job."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("imported")
        FAILED = "failed", _("not imported (problems in the file)")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(_("kind"), max_length=20)
    file = models.FileField(_("file"), upload_to="%Y/%m/", storage=_import_storage, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    encoding = models.CharField(_("encoding"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_jobs"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    rows_total = models.PositiveIntegerField(_("rows (estimated)"), null=True, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [models.Index(fields=["status", "created_at"], name="importjob_status_idx")]

    def __str__(self):
        return f"{self.original_name} ({self.kind})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED, self.Status.CANCELLED)


# Automation rows (tokens, schedules, alerts) are models of this app, kept in a module of their own.
from registry.automation import (  # noqa: E402, F401
    Alert,
    AlertSubscription,
    AllowedEmailDomain,
    ApiToken,
    BriefingSchedule,
    BriefingSend,
    WorkerHeartbeat,
)
