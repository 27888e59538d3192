"""Each account's latest snapshot (registry.snapshots), kept by database
triggers on every database the registry runs on."""

import datetime

import pytest
from django.db import connection

from registry.models import AccountLatest, AccountMetric
from registry.snapshots import rebuild_latest
from tests.factories import make_account, make_metric, make_org, make_platform

D = datetime.date


def latest(account):
    row = AccountLatest.objects.filter(account=account).values_list("snapshot_on", "followers_on", "followers").first()
    return row


@pytest.fixture
def accounts(db):
    platform = make_platform("wechat", "WeChat")
    return make_account(make_org(), platform), make_account(make_org(), platform)


def test_insert_keeps_the_latest_and_the_latest_follower_count(accounts):
    a, b = accounts
    assert latest(a) is None  # no snapshot, no row
    make_metric(a, D(2020, 1, 1), 10)
    make_metric(a, D(2021, 1, 1), 20)
    make_metric(a, D(2019, 1, 1), 5)  # an older snapshot arriving late changes nothing
    make_metric(a, D(2022, 1, 1), None, posts=3)  # newest snapshot without a follower count
    assert latest(a) == (D(2022, 1, 1), D(2021, 1, 1), 20)
    assert latest(b) is None


def test_update_delete_and_bulk_writes(accounts):
    a, b = accounts
    AccountMetric.objects.bulk_create(
        [AccountMetric(account=a, date=D(2020, 1, d), followers=d) for d in range(1, 11)]
        + [AccountMetric(account=b, date=D(2020, 2, 1), followers=99)]
    )
    assert latest(a) == (D(2020, 1, 10), D(2020, 1, 10), 10)
    AccountMetric.objects.filter(account=a, date=D(2020, 1, 10)).update(followers=1000)
    assert latest(a) == (D(2020, 1, 10), D(2020, 1, 10), 1000)
    AccountMetric.objects.filter(account=a, date__gte=D(2020, 1, 6)).delete()
    assert latest(a) == (D(2020, 1, 5), D(2020, 1, 5), 5)
    # A snapshot moved to another account leaves both right.
    AccountMetric.objects.filter(account=b).update(account=a)
    assert latest(a) == (D(2020, 2, 1), D(2020, 2, 1), 99) and latest(b) is None
    AccountMetric.objects.filter(account=a).delete()
    assert latest(a) is None


def test_deleting_an_account_leaves_no_latest_row(accounts):
    a, _ = accounts
    make_metric(a, D(2020, 1, 1), 10)
    a.delete()
    assert not AccountLatest.objects.filter(account_id=a.pk).exists()


def test_rebuild_matches_the_triggers(accounts):
    a, b = accounts
    make_metric(a, D(2020, 1, 1), 10)
    make_metric(a, D(2021, 1, 1), None, posts=1)
    make_metric(b, D(2019, 1, 1), 7)
    kept = sorted(AccountLatest.objects.values_list("account_id", "snapshot_on", "followers_on", "followers"))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_accountlatest")
    assert rebuild_latest() == 2
    assert sorted(AccountLatest.objects.values_list("account_id", "snapshot_on", "followers_on", "followers")) == kept
