"""Alerts: who follows what, the events found in the data, and their delivery.

Events are found on write (``automation.signals``: an account saved opened or
closed, a statement saved) and by a periodic sweep (followers changed by more
than a subscriber's share over their period). Each event is one ``Alert`` per
user — (user, key) is unique — shown in the app and mailed immediately or in
the daily digest, as the subscription says.
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.automation import Alert, AlertKind, AlertSubscription, Delivery
from registry.models import Account, AccountMetric, CohortMembership, Statement
from registry.statements.search import search_statements


def _subscriptions_for_account(account: Account):
    """Subscriptions that follow the account's organisation, its platform or a cohort it is in."""
    cohorts = CohortMembership.objects.filter(organisation_id=account.organisation_id).values("cohort_id")
    return AlertSubscription.objects.filter(
        Q(organisation_id=account.organisation_id) | Q(platform_id=account.platform_id) | Q(cohort_id__in=cohorts)
    ).select_related("user")


def message_for(alert: Alert) -> str:
    """The alert in words, in the active language."""
    p = alert.params
    if alert.kind == AlertKind.ACCOUNT_OPENED:
        return _("%(organisation)s opened an account on %(platform)s: %(account)s") % p
    if alert.kind == AlertKind.ACCOUNT_CLOSED:
        return _("%(organisation)s closed its account on %(platform)s: %(account)s") % p
    if alert.kind == AlertKind.FOLLOWERS:
        return _("%(account)s: followers went from %(before)s to %(after)s in %(days)s days") % p
    if alert.kind == AlertKind.STATEMENT:
        return _("New statement matching “%(query)s”: %(quote)s") % p
    return _("Published figure “%(claim)s” is now %(verdict)s") % p


def notify(subscriptions, *, kind: str, key: str, params: dict, url: str = "") -> list[Alert]:
    """One alert per user among ``subscriptions`` (a user with two matching
    subscriptions gets one); immediate ones are mailed at once."""
    created = []
    seen = set()
    for subscription in subscriptions:
        if subscription.user_id in seen:
            continue
        seen.add(subscription.user_id)
        try:
            with transaction.atomic():
                alert = Alert.objects.create(
                    user=subscription.user, subscription=subscription, kind=kind, key=key, params=params, url=url
                )
        except IntegrityError:
            continue  # told already
        created.append(alert)
        if subscription.delivery == Delivery.IMMEDIATE and subscription.user.email:
            _mail([alert], subscription.user)
    return created


def _mail(alerts: list[Alert], user) -> None:
    context = {"alerts": [(a, message_for(a)) for a in alerts], "user": user, "site": settings.SITE_URL}
    subject = (
        message_for(alerts[0])[:150]
        if len(alerts) == 1
        else _("%(count)s new alerts from the registry") % {"count": len(alerts)}
    )
    send_mail(subject, render_to_string("automation/alerts_email.txt", context), None, [user.email])
    Alert.objects.filter(pk__in=[a.pk for a in alerts]).update(emailed_at=timezone.now())


def account_changed(account: Account, *, previous_closed_on, created: bool) -> list[Alert]:
    """Alerts for an account that opened (created open) or closed (closed_on set) in this save."""
    params = {
        "organisation": account.organisation.name_en,
        "platform": account.platform.name_en,
        "account": account.display_name,
    }
    url = settings.SITE_URL + f"/companies/{account.organisation_id}/"
    subs = _subscriptions_for_account(account).filter(on_accounts=True)
    if account.closed_on and previous_closed_on is None:
        return notify(
            subs, kind=AlertKind.ACCOUNT_CLOSED, key=f"closed:{account.pk}:{account.closed_on}", params=params, url=url
        )
    if created and account.closed_on is None:
        return notify(subs, kind=AlertKind.ACCOUNT_OPENED, key=f"opened:{account.pk}", params=params, url=url)
    return []


def statement_saved(statement: Statement) -> list[Alert]:
    """Alerts for subscribers whose saved search matches a new statement. 1
    query per saved search (each a full-text match restricted to this statement)."""
    created = []
    for subscription in AlertSubscription.objects.filter(target="search", on_statements=True).select_related("user"):
        if search_statements(Statement.objects.filter(pk=statement.pk), subscription.query).exists():
            created += notify(
                [subscription],
                kind=AlertKind.STATEMENT,
                key=f"statement:{statement.pk}",
                params={"query": subscription.query, "quote": statement.quote[:200]},
                url=settings.SITE_URL + "/statements/",
            )
    return created


def _follower_changes(subscription: AlertSubscription, today: datetime.date) -> list[Alert]:
    start = today - datetime.timedelta(days=subscription.followers_days)
    target = Q(account__organisation_id=subscription.organisation_id) if subscription.organisation_id else Q()
    if subscription.platform_id:
        target = Q(account__platform_id=subscription.platform_id)
    if subscription.cohort_id:
        target = Q(
            account__organisation_id__in=CohortMembership.objects.filter(cohort_id=subscription.cohort_id).values(
                "organisation_id"
            )
        )
    snapshots = (
        AccountMetric.objects.filter(target, date__gte=start, date__lte=today, followers__isnull=False)
        .select_related("account")
        .order_by("account_id", "date")
        .only("account_id", "date", "followers", "account__display_name")
    )
    first: dict[int, AccountMetric] = {}
    last: dict[int, AccountMetric] = {}
    for snapshot in snapshots:
        first.setdefault(snapshot.account_id, snapshot)
        last[snapshot.account_id] = snapshot
    threshold = float(subscription.followers_share) / 100
    created = []
    for account_id, before in first.items():
        after = last[account_id]
        if before.followers and abs(after.followers - before.followers) / before.followers > threshold:
            created += notify(
                [subscription],
                kind=AlertKind.FOLLOWERS,
                key=f"followers:{account_id}:{before.date}:{after.date}",
                params={
                    "account": after.account.display_name,
                    "before": before.followers,
                    "after": after.followers,
                    "days": (after.date - before.date).days,
                },
            )
    return created


def _verdict_changes(subscription: AlertSubscription, checks) -> list[Alert]:
    """Figures of the followed cohort or platform whose verdict differs from the
    last sweep's. The first sweep only records the verdicts."""
    followed = [
        c
        for c in checks
        if (subscription.cohort_id and c.figure.cohort_id == subscription.cohort_id)
        or (subscription.platform_id and c.figure.platform_id == subscription.platform_id)
    ]
    known = dict(subscription.known_verdicts)
    created = []
    for check in followed:
        before, now = known.get(str(check.figure.pk)), check.verdict
        if before is not None and before != now:
            created += notify(
                [subscription],
                kind=AlertKind.VERDICT,
                key=f"verdict:{check.figure.pk}:{before}:{now}:{timezone.localdate()}",
                params={"claim": check.figure.claim[:200], "verdict": now, "before": before},
                url=settings.SITE_URL + "/figures/",
            )
        known[str(check.figure.pk)] = now
    if known != subscription.known_verdicts:
        AlertSubscription.objects.filter(pk=subscription.pk).update(known_verdicts=known)
    return created


def sweep(today: datetime.date | None = None) -> int:
    """The periodic pass: follower changes and published figures' verdicts for
    every subscription that asks for them. The figures' live checks are one query."""
    from dashboard.queries import published_figure_checks

    today = today or timezone.localdate()
    count = 0
    subscriptions = AlertSubscription.objects.exclude(target="search").select_related("user")
    for subscription in subscriptions.filter(on_followers=True):
        count += len(_follower_changes(subscription, today))
    verdict_subscriptions = list(subscriptions.filter(on_verdicts=True, target__in=["cohort", "platform"]))
    if verdict_subscriptions:
        checks = published_figure_checks()
        for subscription in verdict_subscriptions:
            count += len(_verdict_changes(subscription, checks))
    return count


def send_digests() -> int:
    """Mail each digest subscriber the alerts not mailed yet, in one message."""
    pending = (
        Alert.objects.filter(emailed_at__isnull=True, subscription__delivery=Delivery.DIGEST)
        .select_related("user")
        .order_by("user_id", "created_at")
    )
    by_user: dict = {}
    for alert in pending:
        by_user.setdefault(alert.user, []).append(alert)
    for user, alerts in by_user.items():
        if user.email:
            _mail(alerts, user)
    return len(by_user)
