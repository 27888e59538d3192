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


RECENT = [
    ("recent_snapshots", "count"),
    ("recent_posts", "posts"),
    ("recent_reads", "reads"),
    ("recent_likes", "likes"),
    ("recent_wows", "wows"),
    ("recent_shares", "shares"),
    ("recent_comments", "comments"),
    ("recent_headline_reads", "headline_reads"),
    ("recent_max_reads", "max_reads"),
]


def recent(account):
    """The maintained sums of the account's latest 30 days, or None without a row."""
    return AccountLatest.objects.filter(account=account).values(*(name for name, _ in RECENT)).first()


def recent_from_snapshots(account):
    """The same sums computed here from the snapshots, as the influence index sums them."""
    snapshots = list(AccountMetric.objects.filter(account=account))
    if not snapshots:
        return None
    last = max(m.date for m in snapshots)
    period = [m for m in snapshots if last - datetime.timedelta(days=29) <= m.date <= last]
    expected = {"recent_snapshots": len(period)}
    for name, field in RECENT[1:]:
        values = [getattr(m, field) for m in period if getattr(m, field) is not None]
        if field == "max_reads":
            expected[name] = max(values) if values else None
        elif field == "headline_reads":
            expected[name] = sum(values) if values else None
        else:
            expected[name] = sum(values)
    return expected


def test_recent_sums_stay_right_after_every_kind_of_write(accounts):
    a, b = accounts

    def check():
        for account in (a, b):
            assert recent(account) == recent_from_snapshots(account)

    make_metric(a, D(2024, 3, 1), 10, posts=2, reads=100, likes=3, max_reads=60)
    make_metric(a, D(2024, 3, 20), 11, posts=1, reads=50, headline_reads=30, shares=4)
    check()
    assert recent(a)["recent_reads"] == 150 and recent(a)["recent_max_reads"] == 60
    # A later snapshot moves the period to 2-31 March: 1 March falls out of it.
    make_metric(a, D(2024, 3, 31), 12, posts=5, reads=7, wows=1, comments=2)
    check()
    assert recent(a)["recent_snapshots"] == 2 and recent(a)["recent_max_reads"] is None
    AccountMetric.objects.bulk_create(
        [AccountMetric(account=b, date=D(2024, 2, d), posts=1, reads=d, max_reads=d) for d in range(1, 29)]
    )
    check()
    AccountMetric.objects.filter(account=a, date=D(2024, 3, 20)).update(reads=500, headline_reads=None)
    check()
    AccountMetric.objects.filter(account=b, date__gte=D(2024, 2, 20)).delete()
    check()
    AccountMetric.objects.filter(account=b, date=D(2024, 2, 19)).update(account=a)  # moved: both recomputed
    check()
    with connection.cursor() as cursor:  # raw SQL, as a bulk import may write
        cursor.execute(
            "INSERT INTO registry_accountmetric (account_id, date, posts, reads, likes) VALUES (%s, %s, 9, 90, 9)",
            [b.pk, D(2024, 3, 5)],
        )
    check()
    AccountMetric.objects.filter(account=a, date=D(2024, 3, 31)).delete()  # the latest goes: the period moves back
    check()
    assert recent(a)["recent_snapshots"] == 2


def test_rebuild_matches_the_recent_sums_of_the_triggers(accounts):
    a, b = accounts
    for day in (1, 10, 25, 40, 55):
        make_metric(a, D(2024, 1, 1) + datetime.timedelta(days=day), day, posts=day, reads=10 * day, max_reads=day)
    make_metric(b, D(2024, 1, 1), None, headline_reads=5)
    columns = ["account_id", "snapshot_on", *(name for name, _ in RECENT)]
    kept = sorted(AccountLatest.objects.values_list(*columns))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_accountlatest")
    assert rebuild_latest() == 2
    assert sorted(AccountLatest.objects.values_list(*columns)) == kept
    assert recent(a) == recent_from_snapshots(a) and recent(a)["recent_snapshots"] == 2
