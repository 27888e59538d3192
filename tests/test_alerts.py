"""Alerts: found on write and by the sweep, one per subscriber, in the app
with an unread count and by e-mail (immediately or in the daily digest)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from automation import alerts
from registry.automation import Alert, AlertSubscription
from registry.models import Account
from tests.factories import (
    editor,
    make_account,
    make_cohort_with_adoption,
    make_metric,
    make_org,
    make_platform,
    make_source,
    make_statement,
    viewer,
)

pytestmark = pytest.mark.django_db


def _user(email):
    user = viewer()
    user.email = email
    user.save()
    return user


def _close_in_admin(client, account):
    client.force_login(editor())
    change = reverse("admin:registry_account_change", args=[account.pk])
    form = client.get(change).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "closed_on": "2016-01-01",
            "status": "closed",
            "opened_on": "2015-01-01",
            "metrics-TOTAL_FORMS": "0",
            "metrics-INITIAL_FORMS": "0",
            "metrics-MIN_NUM_FORMS": "0",
            "metrics-MAX_NUM_FORMS": "1000",
        }
    )
    return client.post(change, data)


def test_an_account_closed_in_the_admin_alerts_each_subscriber_once(client, django_capture_on_commit_callbacks):
    cohort, platforms = make_cohort_with_adoption(members=2, wechat=2, weibo=0)
    account = Account.objects.filter(platform=platforms["wechat"]).first()
    follower = _user("follower@example.org")
    # One subscriber follows the cohort and the platform: still one alert for them.
    AlertSubscription.objects.create(user=follower, target="cohort", cohort=cohort)
    AlertSubscription.objects.create(user=follower, target="platform", platform=platforms["wechat"])
    digest = _user("digest@example.org")
    AlertSubscription.objects.create(
        user=digest, target="organisation", organisation=account.organisation, delivery="digest"
    )
    AlertSubscription.objects.create(
        user=_user("other@example.org"), target="platform", platform=make_platform("douyin")
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert _close_in_admin(client, account).status_code == 302
    assert Alert.objects.filter(kind="account_closed").count() == 2
    assert Alert.objects.filter(user=follower).count() == 1
    (immediate,) = mail.outbox
    assert immediate.to == ["follower@example.org"] and "closed its account" in immediate.subject
    # The sweep or a second save finds the same event: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        account.refresh_from_db()
        account.save()
    assert Alert.objects.count() == 2
    # The digest subscriber gets theirs in the daily digest.
    assert alerts.send_digests() == 1
    assert mail.outbox[1].to == ["digest@example.org"]
    assert alerts.send_digests() == 0
    # In the app, with an unread count.
    client.force_login(follower)
    page = client.get(reverse("dashboard:alert_list"))
    assert page.context["unread"] == 1 and "closed its account" in page.content.decode()
    client.post(reverse("dashboard:alerts_read"))
    assert client.get(reverse("dashboard:alert_list")).context["unread"] == 0


def test_a_new_account_alerts_its_organisations_followers(django_capture_on_commit_callbacks):
    org = make_org()
    user = _user("u@example.org")
    AlertSubscription.objects.create(user=user, target="organisation", organisation=org)
    with django_capture_on_commit_callbacks(execute=True):
        make_account(org, make_platform("weibo"))
    assert Alert.objects.get(user=user).kind == "account_opened"


def test_a_statement_matching_a_saved_search(django_capture_on_commit_callbacks):
    user = _user("u@example.org")
    AlertSubscription.objects.create(user=user, target="search", query="livestreaming", on_statements=True)
    with django_capture_on_commit_callbacks(execute=True):
        make_statement("We started livestreaming our launches.", source=make_source())
        make_statement("Nothing about that.", source=make_source())
    assert list(Alert.objects.values_list("kind", flat=True)) == ["statement"]


def test_the_sweep_finds_follower_changes_over_the_share():
    cohort, platforms = make_cohort_with_adoption(members=2, wechat=2, weibo=0)
    grows, steady = Account.objects.filter(platform=platforms["wechat"]).order_by("id")
    today = datetime.date(2024, 3, 31)
    for account, after in ((grows, 1500), (steady, 1040)):
        make_metric(account, datetime.date(2024, 3, 10), followers=1000)
        make_metric(account, today, followers=after)
    user = _user("u@example.org")
    AlertSubscription.objects.create(
        user=user, target="cohort", cohort=cohort, on_followers=True, followers_share=10, followers_days=30
    )
    assert alerts.sweep(today) == 1
    assert alerts.sweep(today) == 0  # told once
    alert = Alert.objects.get()
    assert alert.params["before"] == 1000 and alert.params["after"] == 1500


def test_subscribing_from_the_page(client):
    cohort, _platforms = make_cohort_with_adoption(members=1, wechat=1, weibo=0)
    client.force_login(viewer())
    response = client.post(reverse("dashboard:alert_list"), {"target": "cohort", "delivery": "immediate"})
    assert response.status_code == 400
    response = client.post(
        reverse("dashboard:alert_list"),
        {
            "target": "cohort",
            "cohort": cohort.pk,
            "on_accounts": "on",
            "delivery": "digest",
            "followers_share": "10",
            "followers_days": "30",
        },
    )
    assert response.status_code == 302
    assert AlertSubscription.objects.get().cohort == cohort


def test_a_published_figure_whose_verdict_changes():
    cohort, platforms = make_cohort_with_adoption(members=3, wechat=2, weibo=0)
    cohort.nominal_size = 3
    cohort.save()
    from tests.factories import make_figure

    make_figure(
        cohort=cohort, platform=platforms["wechat"], comparator="exactly", value=2, as_of=datetime.date(2020, 1, 1)
    )
    user = _user("u@example.org")
    AlertSubscription.objects.create(user=user, target="cohort", cohort=cohort, on_accounts=False, on_verdicts=True)
    assert alerts.sweep() == 0  # the first sweep records the verdicts
    org = cohort.memberships.order_by("-rank").first().organisation
    make_account(org, platforms["wechat"], opened_on=datetime.date(2019, 1, 1))
    assert alerts.sweep() == 1
    alert = Alert.objects.get()
    assert (alert.params["before"], alert.params["verdict"]) == ("consistent", "contradicted")
    assert alerts.sweep() == 0
