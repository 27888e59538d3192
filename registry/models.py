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

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import Exact, LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.formatting import format_number
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
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    if value is None:
        return "unknown"
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%Y-%m}"
    return value.isoformat()


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# --------------------------------------------------------------------------- organisations


class OrganisationKind(models.TextChoices):
    COMPANY = "company", "Company"
    GOVERNMENT = "government", "Government body"
    REGULATOR = "regulator", "Regulator / commission"
    LOCAL_GOVERNMENT = "local_government", "Local government"
    UNIVERSITY = "university", "University"
    RESEARCH = "research", "Research institute"
    MEDIA = "media", "Media organisation"
    ASSOCIATION = "association", "Association"
    OTHER = "other", "Other"


class Ownership(models.TextChoices):
    CENTRAL_SOE = "central_soe", "Central SOE (SASAC-supervised)"
    LOCAL_SOE = "local_soe", "Local SOE"
    PRIVATE = "private", "Private"
    FOREIGN = "foreign", "Foreign"
    PUBLIC_INSTITUTION = "public_institution", "Public institution"
    OTHER = "other", "Other"


class Sector(models.TextChoices):
    ENERGY = "energy", "Energy"
    PETROCHEMICALS = "petrochemicals", "Oil, gas and chemicals"
    POWER = "power", "Power and utilities"
    METALS = "metals", "Metals and mining"
    TELECOMS = "telecoms", "Telecommunications"
    INTERNET = "internet", "Internet and technology"
    FINANCE = "finance", "Banking and finance"
    INSURANCE = "insurance", "Insurance"
    CONSTRUCTION = "construction", "Construction and engineering"
    REAL_ESTATE = "real_estate", "Real estate"
    MANUFACTURING = "manufacturing", "Manufacturing"
    AUTOMOTIVE = "automotive", "Automotive"
    TRANSPORT = "transport", "Transport and logistics"
    RETAIL = "retail", "Retail and consumer goods"
    FOOD = "food", "Food and agriculture"
    PHARMA = "pharma", "Pharmaceuticals and health"
    TOURISM = "tourism", "Tourism and culture"
    MEDIA = "media", "Media"
    DEFENCE = "defence", "Defence and aerospace"
    EDUCATION = "education", "Education and research"
    GOVERNMENT = "government", "Government"
    OTHER = "other", "Other"


class OrganisationQuerySet(models.QuerySet):
    def companies(self):
        return self.filter(kind=OrganisationKind.COMPANY)

    def in_cohort(self, cohort):
        return self.filter(memberships__cohort=cohort)

    def matching_name(self, name: str):
        """Organisations whose English, Chinese, short name or alias matches ``name``."""
        key = normalise_name(name)
        return self.filter(
            Q(name_key=key)
            | Q(name_zh=name.strip())
            | Q(short_name__iexact=name.strip())
            | Q(aliases__icontains=name.strip())
        )


class Organisation(TimeStamped):
    name_en = models.CharField("name (English)", max_length=NAME_MAX_LENGTH)
    name_zh = models.CharField("name (Chinese)", max_length=NAME_MAX_LENGTH, blank=True)
    short_name = models.CharField(max_length=100, blank=True)
    aliases = models.TextField(
        blank=True, help_text="Other names, one per line.", validators=[MaxLengthValidator(5000)]
    )
    name_key = models.CharField(
        max_length=NAME_MAX_LENGTH, editable=False, help_text="Normalised English name; the natural key for imports."
    )
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.COMPANY)
    ownership = models.CharField(max_length=20, choices=Ownership.choices, default=Ownership.OTHER)
    sector = models.CharField(max_length=20, choices=Sector.choices, default=Sector.OTHER)
    province = models.CharField(max_length=50, blank=True)
    city = models.CharField(max_length=80, blank=True)
    website = models.URLField(blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    credit_code = models.CharField(
        "unified social credit code",
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_credit_code],
        help_text="18 characters, GB 32100-2015.",
    )
    description = models.TextField(blank=True, validators=[MaxLengthValidator(10_000)])
    is_demo = models.BooleanField(default=False, help_text="Synthetic demo data, not a real record.")

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        constraints = [
            models.CheckConstraint(condition=~Q(name_en=""), name="organisation_has_name"),
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
        ]

    def __str__(self):
        return f"{self.name_en} ({self.name_zh})" if self.name_zh else self.name_en

    def save(self, *args, **kwargs):
        self.name_key = normalise_name(self.name_en)
        if self.credit_code == "":
            self.credit_code = None
        elif self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        if kwargs.get("update_fields") is not None and "name_en" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("dashboard:company_detail", args=[self.pk])

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def display_name(self) -> str:
        return self.short_name or self.name_en


# --------------------------------------------------------------------------- cohorts


class Cohort(TimeStamped):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    publisher = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1949)])
    nominal_size = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="How many members the published list has (e.g. 500), whether or not the registry holds them all.",
    )
    description = models.TextField(blank=True)
    source = models.ForeignKey("Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="cohorts")
    is_demo = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="cohort_unique_name_year"),
            models.CheckConstraint(condition=Q(year__gte=1949) & Q(year__lte=2100), name="cohort_year_range"),
        ]

    def __str__(self):
        return self.name if str(self.year) in self.name else f"{self.name} {self.year}"


class CohortMembership(TimeStamped):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    rank = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)])
    revenue_rmb_m = models.DecimalField("revenue (RMB million)", max_digits=16, decimal_places=2, null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
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
    OFFICIAL_ACCOUNT = "official_account", "Official-account messaging"
    MICROBLOG = "microblog", "Microblog"
    SHORT_VIDEO = "short_video", "Short video"
    LIVESTREAMING = "livestreaming", "Livestreaming"
    NEWS_FEED = "news_feed", "News feed"
    LONG_VIDEO = "long_video", "Long video"
    QA = "qa", "Questions and answers"
    LIFESTYLE = "lifestyle", "Lifestyle community"
    SOCIAL_NETWORK = "social_network", "Social network"
    OTHER = "other", "Other"


class Region(models.TextChoices):
    DOMESTIC = "domestic", "Domestic"
    OVERSEAS = "overseas", "Overseas"


class Platform(TimeStamped):
    name_en = models.CharField("name (English)", max_length=100)
    name_zh = models.CharField("name (Chinese)", max_length=100, blank=True)
    slug = models.SlugField(max_length=50, unique=True)
    region = models.CharField(max_length=10, choices=Region.choices, default=Region.DOMESTIC)
    kind = models.CharField(max_length=20, choices=PlatformKind.choices, default=PlatformKind.OTHER)
    operator = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="operated_platforms"
    )
    launched_year = models.PositiveSmallIntegerField(null=True, blank=True)
    display_order = models.PositiveSmallIntegerField(default=100)
    is_main = models.BooleanField(default=True, help_text="Shown as a column in company tables.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["name_en"], name="platform_unique_name"),
        ]

    def __str__(self):
        return self.name_en


class AccountStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DORMANT = "dormant", "Dormant"
    CLOSED = "closed", "Closed"
    UNKNOWN = "unknown", "Unknown"


class AccountQuerySet(models.QuerySet):
    def active_on(self, date: datetime.date):
        """Accounts open on ``date``: opened on or before it, and not closed by it.
        An account with no known open date is not counted as open on any date."""
        return self.filter(opened_on__lte=date).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=date))


class Account(TimeStamped):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="accounts")
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="accounts")
    display_name = models.CharField(max_length=NAME_MAX_LENGTH)
    handle = models.CharField(max_length=150, blank=True, help_text="The @name or public id on the platform.")
    account_id = models.CharField("platform account id", max_length=150, blank=True)
    url = models.URLField(max_length=500, blank=True)
    verified = models.BooleanField(default=False)
    opened_on = models.DateField(
        null=True, blank=True, help_text="First day of the known period when only a month or year is known."
    )
    opened_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    closed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=AccountStatus.choices, default=AccountStatus.ACTIVE)
    source = models.ForeignKey("Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="accounts")
    is_demo = models.BooleanField(default=False)

    history = HistoricalRecords()
    objects = AccountQuerySet.as_manager()

    class Meta:
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

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="metrics")
    date = models.DateField()
    followers = models.PositiveBigIntegerField(null=True, blank=True)
    posts = models.PositiveIntegerField(null=True, blank=True, help_text="Posts or articles published that day.")
    reads = models.PositiveBigIntegerField(null=True, blank=True, help_text="Reads or views.")
    headline_reads = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Reads of the day's headline articles (WeChat)."
    )
    max_reads = models.PositiveBigIntegerField(null=True, blank=True, help_text="Reads of the day's most-read post.")
    likes = models.PositiveBigIntegerField(null=True, blank=True)
    wows = models.PositiveBigIntegerField("wows (在看)", null=True, blank=True)
    shares = models.PositiveBigIntegerField(null=True, blank=True, help_text="Shares or reposts.")
    comments = models.PositiveBigIntegerField(null=True, blank=True)
    source = models.ForeignKey("Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="metrics")

    history = HistoricalRecords()

    class Meta:
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
    )
    snapshot_on = models.DateField(help_text="Date of the account's latest snapshot of any figure.")
    followers_on = models.DateField(null=True, help_text="Date of its latest snapshot with a follower count.")
    followers = models.PositiveBigIntegerField(null=True)

    class Meta:
        verbose_name = "latest snapshot of an account"

    def __str__(self):
        return f"{self.account_id}: {self.followers} followers on {self.followers_on}"


# --------------------------------------------------------------------------- people


class Person(TimeStamped):
    name_en = models.CharField("name (English)", max_length=NAME_MAX_LENGTH)
    name_zh = models.CharField("name (Chinese)", max_length=NAME_MAX_LENGTH, blank=True)
    aliases = models.TextField(
        blank=True, validators=[MaxLengthValidator(5000)], help_text="Other names, one per line, e.g. a Mandarin name."
    )
    description = models.TextField(blank=True, validators=[MaxLengthValidator(10_000)])
    is_demo = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = "people"
        constraints = [models.CheckConstraint(condition=~Q(name_en=""), name="person_has_name")]
        indexes = [models.Index(Lower("name_en"), name="person_name_lower_idx")]

    def __str__(self):
        return f"{self.name_en} ({self.name_zh})" if self.name_zh else self.name_en

    def get_absolute_url(self):
        return reverse("dashboard:person_detail", args=[self.pk])

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class Position(TimeStamped):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="positions"
    )
    title = models.CharField(max_length=NAME_MAX_LENGTH)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    source = models.ForeignKey("Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="positions")

    history = HistoricalRecords()

    class Meta:
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
        return f"{self.person.name_en}: {self.title}{where}"


# --------------------------------------------------------------------------- sources and statements


class SourceKind(models.TextChoices):
    NEWS = "news", "News article"
    PRESS_RELEASE = "press_release", "Press release"
    REPORT = "report", "Report"
    RANKING = "ranking", "Ranking list"
    SOCIAL_POST = "social_post", "Social media post"
    DATASET = "dataset", "Dataset"
    OTHER = "other", "Other"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    CHINESE = "zh", "Chinese"
    OTHER = "other", "Other"


class Source(TimeStamped):
    title = models.CharField(max_length=500)
    url = models.URLField(max_length=1000, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    published_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    language = models.CharField(max_length=5, choices=Language.choices, default=Language.ENGLISH)
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.NEWS)
    full_text = models.TextField(blank=True, validators=[MaxLengthValidator(500_000)])
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
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
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class StatementKind(models.TextChoices):
    QUOTE = "quote", "Direct quote"
    PARAPHRASE = "paraphrase", "Paraphrase (reported speech)"


class StatementQuerySet(models.QuerySet):
    def quotes(self):
        return self.filter(kind=StatementKind.QUOTE)


class Statement(TimeStamped):
    quote = models.TextField(
        validators=[MaxLengthValidator(QUOTE_MAX_LENGTH)], help_text="The exact words, without quote marks."
    )
    quote_key = models.CharField(max_length=64, editable=False)
    kind = models.CharField(max_length=12, choices=StatementKind.choices, default=StatementKind.QUOTE)
    speaker = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
        help_text="Empty when an organisation speaks as itself or the speaker is unknown.",
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
        help_text="The organisation as of the statement.",
    )
    role = models.CharField(max_length=NAME_MAX_LENGTH, blank=True, help_text="The speaker's role as of the statement.")
    stated_on = models.DateField(null=True, blank=True)
    stated_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="statements")
    platforms = models.ManyToManyField(Platform, blank=True, related_name="statements")
    topics = models.ManyToManyField(Topic, blank=True, related_name="statements")
    mentions_livestreaming = models.BooleanField(default=False)

    history = HistoricalRecords(m2m_fields=[platforms, topics])
    objects = StatementQuerySet.as_manager()

    class Meta:
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
            self.speaker.name_en
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
    EXACTLY = "exactly", "exactly"
    MORE_THAN = "more_than", "more than"
    AT_LEAST = "at_least", "at least"
    ABOUT = "about", "about"
    FEWER_THAN = "fewer_than", "fewer than"
    SOME = "some", "some (no number given)"


class ActivityKind(models.TextChoices):
    LIVESTREAMING = "livestreaming", "Livestreaming sessions"
    SHORT_VIDEO = "short_video", "Short-video campaign"
    APPOINTMENT = "appointment", "Appointment or hiring"
    SECONDMENT = "secondment", "Secondment"
    ACCOUNT_LAUNCH = "account_launch", "Account launch"
    CAMPAIGN = "campaign", "Communication campaign"
    EVENT = "event", "Event"
    OTHER = "other", "Other"


class Activity(TimeStamped):
    kind = models.CharField(max_length=20, choices=ActivityKind.choices, default=ActivityKind.OTHER)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="activities")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    count = models.PositiveIntegerField(null=True, blank=True)
    count_qualifier = models.CharField(max_length=12, choices=Qualifier.choices, default=Qualifier.EXACTLY)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    period_text = models.CharField(max_length=200, blank=True, help_text="The period as the source words it.")
    place = models.CharField(max_length=200, blank=True)
    description = models.TextField(validators=[MaxLengthValidator(10_000)])
    platforms = models.ManyToManyField(Platform, blank=True, related_name="activities")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="activities")

    history = HistoricalRecords(m2m_fields=[platforms])

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name_plural = "activities"
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

    claim = models.TextField(validators=[MaxLengthValidator(5000)], help_text="The claim as the source words it.")
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.PROTECT, related_name="figures")
    platform = models.ForeignKey(Platform, null=True, blank=True, on_delete=models.PROTECT, related_name="figures")
    comparator = models.CharField(max_length=12, choices=Qualifier.choices)
    value = models.PositiveIntegerField(null=True, blank=True)
    as_of = models.DateField()
    as_of_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    attributed_to = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="published_figures",
        help_text="Who the source says the figure comes from.",
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="figures")

    history = HistoricalRecords()

    class Meta:
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

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="briefings")
    title = models.CharField(max_length=200, default="Briefing")
    statements = models.ManyToManyField(Statement, blank=True, related_name="briefings")

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return self.title


class BriefingItem(models.Model):
    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="items")
    chart = models.SlugField(max_length=80, help_text="The chart's identifier on the dashboard.")
    query = models.CharField(max_length=2000, blank=True, help_text="The filter state as a URL query string.")
    position = models.PositiveIntegerField(default=0)
    caption = models.CharField(max_length=300, blank=True)

    class Meta:
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
