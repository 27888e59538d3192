"""Models for automation: personal API tokens, briefing schedules and their
sends, the worker's heartbeat, alert subscriptions and alerts.

They live in the registry (the one app with models) and are imported by
``registry.models``; the behaviour that uses them lives in ``api/`` (the JSON
API) and ``automation/`` (Celery tasks, mail, alert detection). None of these
rows is registry data, so writing them does not move the data version
(``registry.signals``).
"""

import datetime
import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TOKEN_PREFIX = "nmr_"  # noqa: S105  # nosec B105 - a public marker, not a secret


def hash_token(raw: str) -> str:
    """The stored form of a token: its SHA-256. Tokens are 256-bit random
    strings, so a fast hash is enough (no password stretching needed)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now: datetime.datetime | None = None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the token itself is shown
    once, when it is created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        max_length=12, editable=False, help_text=_("The token's first characters, to recognise it.")
    )
    read_only = models.BooleanField(_("read only"), default=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user, name: str, read_only: bool = False, expires_at=None) -> tuple["ApiToken", str]:
        """Create a token; returns the row and the raw token (never stored). 1 query."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=hash_token(raw),
            prefix=raw[: len(TOKEN_PREFIX) + 6],
            read_only=read_only,
            expires_at=expires_at,
        )
        return token, raw

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


# --------------------------------------------------------------------------- scheduled briefings


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


PACK_FORMATS = ("pptx", "pdf", "xlsx")


class AllowedEmailDomain(models.Model):
    """A domain an administrator allows as a recipient outside the registry's users."""

    domain = models.CharField(_("domain"), max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("allowed e-mail domain")
        verbose_name_plural = _("allowed e-mail domains")

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)


class BriefingSchedule(models.Model):
    """When a briefing is rebuilt and mailed, in which formats, to whom."""

    briefing = models.ForeignKey("registry.Briefing", on_delete=models.CASCADE, related_name="schedules")
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, default=Weekday.MONDAY)
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("1 to 28, so every month has the day."),
    )
    time = models.TimeField(_("time"), default=datetime.time(8, 0))
    formats = models.CharField(_("formats"), max_length=20, default="pptx")
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="briefing_subscriptions")
    external_recipients = models.TextField(
        _("other addresses"), blank=True, help_text=_("One per line; only in domains an administrator allows.")
    )
    language = models.CharField(
        _("language of the e-mail"),
        max_length=10,
        choices=[("en-gb", _("English")), ("zh-hans", _("Chinese"))],
        default="en-gb",
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["briefing", "id"]
        verbose_name = _("briefing schedule")
        verbose_name_plural = _("briefing schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(day_of_month__gte=1, day_of_month__lte=28), name="schedule_day_of_month_1_28"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="schedule_weekday_0_6"),
        ]

    def __str__(self):
        return f"{self.briefing} ({self.get_frequency_display()})"

    @property
    def format_list(self) -> list[str]:
        return [f for f in self.formats.split(",") if f in PACK_FORMATS]

    @property
    def external_list(self) -> list[str]:
        return [line.strip().lower() for line in self.external_recipients.splitlines() if line.strip()]

    def _zone(self):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def slot_on(self, day: datetime.date) -> datetime.datetime | None:
        """The send time on ``day``, or None when the schedule does not run that day."""
        if self.frequency == Frequency.WEEKLY and day.weekday() != self.weekday:
            return None
        if self.frequency == Frequency.MONTHLY and day.day != self.day_of_month:
            return None
        return datetime.datetime.combine(day, self.time, tzinfo=self._zone())

    def last_slot(self, now: datetime.datetime) -> datetime.datetime | None:
        """The latest send time at or before ``now`` (within the last 31 days)."""
        local = now.astimezone(self._zone())
        for back in range(32):
            slot = self.slot_on(local.date() - datetime.timedelta(days=back))
            if slot is not None and slot <= now:
                return slot
        return None

    def next_slot(self, now: datetime.datetime) -> datetime.datetime:
        local = now.astimezone(self._zone())
        for ahead in range(32):
            slot = self.slot_on(local.date() + datetime.timedelta(days=ahead))
            if slot is not None and slot > now:
                return slot
        raise ValueError("no slot within a month")  # unreachable: days 1-28 exist in every month


class SendStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("send status", "Waiting")
    SENDING = "sending", pgettext_lazy("send status", "Sending")
    RETRYING = "retrying", pgettext_lazy("send status", "Retrying")
    SENT = "sent", pgettext_lazy("send status", "Sent")
    FAILED = "failed", pgettext_lazy("send status", "Failed")


class BriefingSend(models.Model):
    """One send of a schedule at one slot. The unique (schedule, slot) pair is
    the idempotency key: however often a task for the slot runs (a retry, a
    worker killed mid-send and the task redelivered), only the run that moves
    the row to "sending" builds and mails, and a sent row is never sent again."""

    schedule = models.ForeignKey(BriefingSchedule, on_delete=models.CASCADE, related_name="sends")
    slot = models.DateTimeField()
    status = models.CharField(max_length=10, choices=SendStatus.choices, default=SendStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    summary = models.JSONField(default=dict, blank=True)
    recipients = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-slot"]
        constraints = [models.UniqueConstraint(fields=["schedule", "slot"], name="briefing_send_once_per_slot")]

    def __str__(self):
        return f"{self.schedule} at {self.slot:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """When a Celery worker last ran its heartbeat task (beat sends it every minute)."""

    name = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at {self.seen_at}"


# --------------------------------------------------------------------------- alerts


class AlertTarget(models.TextChoices):
    COHORT = "cohort", _("Cohort")
    ORGANISATION = "organisation", _("Organisation")
    PLATFORM = "platform", _("Platform")
    SEARCH = "search", _("Saved search")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately by e-mail")
    DIGEST = "digest", _("Daily digest by e-mail")
    IN_APP = "in_app", _("Only in the app")


class AlertKind(models.TextChoices):
    ACCOUNT_OPENED = "account_opened", _("Account opened")
    ACCOUNT_CLOSED = "account_closed", _("Account closed")
    FOLLOWERS = "followers", _("Followers changed")
    VERDICT = "verdict", _("Published figure verdict changed")
    STATEMENT = "statement", _("New matching statement")


class AlertSubscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscriptions")
    target = models.CharField(_("follow"), max_length=12, choices=AlertTarget.choices)
    cohort = models.ForeignKey("registry.Cohort", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    platform = models.ForeignKey("registry.Platform", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(_("saved search"), max_length=200, blank=True)
    on_accounts = models.BooleanField(_("accounts opened or closed"), default=True)
    on_followers = models.BooleanField(_("followers change"), default=False)
    followers_share = models.DecimalField(
        _("by more than (%)"),
        max_digits=5,
        decimal_places=1,
        default=10,
        validators=[MinValueValidator(0.1), MaxValueValidator(1000)],
    )
    followers_days = models.PositiveSmallIntegerField(
        _("over days"), default=30, validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    on_verdicts = models.BooleanField(_("published figure verdict changes"), default=False)
    on_statements = models.BooleanField(_("new statements matching the search"), default=False)
    # The verdict of each followed published figure at the last sweep: a change
    # from it is an event. {figure id: verdict}.
    known_verdicts = models.JSONField(default=dict, blank=True, editable=False)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        ordering = ["user", "id"]
        constraints = [
            models.CheckConstraint(
                name="alert_subscription_one_target",
                condition=(
                    Q(
                        target="cohort",
                        cohort__isnull=False,
                        organisation__isnull=True,
                        platform__isnull=True,
                        query="",
                    )
                    | Q(
                        target="organisation",
                        cohort__isnull=True,
                        organisation__isnull=False,
                        platform__isnull=True,
                        query="",
                    )
                    | Q(
                        target="platform",
                        cohort__isnull=True,
                        organisation__isnull=True,
                        platform__isnull=False,
                        query="",
                    )
                    | (
                        Q(target="search", cohort__isnull=True, organisation__isnull=True, platform__isnull=True)
                        & ~Q(query="")
                    )
                ),
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.target_label}"

    @property
    def target_label(self) -> str:
        thing = self.cohort or self.organisation or self.platform or f"“{self.query}”"
        return f"{self.get_target_display()}: {thing}"


class Alert(models.Model):
    """One event told to one user. ``key`` names the event (kind, object and
    date), and (user, key) is unique, so an event detected twice — on write and
    again by the sweep, or through two of a user's subscriptions — is one alert."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts")
    subscription = models.ForeignKey(AlertSubscription, null=True, on_delete=models.SET_NULL, related_name="alerts")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    key = models.CharField(max_length=200)
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="alert_once_per_user")]
        indexes = [models.Index(fields=["user", "read_at"], name="alert_user_unread_idx")]

    def __str__(self):
        return f"{self.user}: {self.key}"
