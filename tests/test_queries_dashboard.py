"""Reads behind the chart pages and the published-figures check."""

import datetime

import pytest

from dashboard import queries
from dashboard.filters import Scope
from registry.models import Ownership, Qualifier, Sector
from tests.factories import (
    add_member,
    make_account,
    make_cohort,
    make_figure,
    make_metric,
    make_org,
    make_platform,
)

D = datetime.date
C, M, UNSURE = queries.Verdict.CONSISTENT, queries.Verdict.CONTRADICTED, queries.Verdict.INCOMPLETE


@pytest.fixture
def world(db):
    """Four members: two central SOEs (energy), two private (internet), ranks 1-4.
    Org 0: WeChat (two accounts) and Weibo; org 1: WeChat from 2018; org 2: Weibo
    closed in 2019; org 3: nothing. An outsider on WeChat never counts."""
    cohort = make_cohort(nominal_size=10)
    wechat = make_platform("wechat", "WeChat", display_order=1)
    weibo = make_platform("weibo", "Weibo", display_order=2)
    orgs = [
        make_org(
            f"Org {i}",
            ownership=Ownership.CENTRAL_SOE if i < 2 else Ownership.PRIVATE,
            sector=Sector.ENERGY if i < 2 else Sector.INTERNET,
        )
        for i in range(4)
    ]
    for i, org in enumerate(orgs):
        add_member(cohort, org, rank=i + 1)
    outsider = make_org("Outsider")
    out_acc = make_account(outsider, wechat, opened_on=D(2014, 1, 1))
    make_metric(out_acc, D(2020, 1, 1), followers=10_000_000)
    a0 = make_account(orgs[0], wechat, opened_on=D(2013, 3, 5))
    a0b = make_account(orgs[0], wechat, opened_on=D(2016, 7, 1))
    a0w = make_account(orgs[0], weibo, opened_on=D(2012, 1, 1))
    a1 = make_account(orgs[1], wechat, opened_on=D(2018, 2, 10))
    make_account(orgs[2], weibo, opened_on=D(2012, 1, 1), closed_on=D(2019, 6, 30))
    # Snapshots: a0 grows; the latest on or before the as-of date counts.
    make_metric(a0, D(2019, 1, 1), followers=1000)
    make_metric(a0, D(2020, 1, 1), followers=5000)
    make_metric(a0, D(2021, 1, 1), followers=9000)
    make_metric(a0, D(2020, 6, 1), followers=None, posts=3)  # no follower count: skipped
    make_metric(a0b, D(2020, 1, 1), followers=200)
    make_metric(a0w, D(2019, 12, 31), followers=700)
    make_metric(a1, D(2019, 12, 1), followers=50)
    return {"cohort": cohort, "wechat": wechat, "weibo": weibo, "orgs": orgs}


AS_OF = D(2020, 6, 30)


def scope(world, as_of=AS_OF, **extra):
    return Scope(cohort=world["cohort"], as_of=as_of, platforms=(world["wechat"], world["weibo"]), **extra)


def test_adoption_by_ownership_counts_members_and_adopters(world, django_assert_num_queries):
    with django_assert_num_queries(1):  # one GROUP BY over members joined to accounts
        groups = queries.adoption_by_group(scope=scope(world), field="ownership")
    by = {g.group: g for g in groups}
    assert by[Ownership.CENTRAL_SOE].members == 2
    assert by[Ownership.CENTRAL_SOE].adopters == {"wechat": 2, "weibo": 1}
    assert by[Ownership.PRIVATE].members == 2
    assert by[Ownership.PRIVATE].adopters == {"wechat": 0, "weibo": 0}  # org 2's Weibo closed in 2019
    early = {g.group: g for g in queries.adoption_by_group(scope=scope(world, D(2019, 1, 1)), field="sector")}
    assert early[Sector.INTERNET].adopters == {"wechat": 0, "weibo": 1}
    assert early[Sector.ENERGY].label == "Energy"


def test_adoption_by_group_rejects_other_fields(world):
    with pytest.raises(ValueError):
        queries.adoption_by_group(scope=scope(world), field="province; drop table")


def test_presence_matrix_orders_by_rank_and_caps(world, django_assert_num_queries):
    with django_assert_num_queries(1):  # members with one EXISTS per platform and the rank subquery
        rows = queries.presence_matrix(scope=scope(world), limit=3)
    assert [r.rank for r in rows] == [1, 2, 3]
    assert rows[0].present == {"wechat": True, "weibo": True}
    assert rows[1].present == {"wechat": True, "weibo": False}
    assert rows[2].present == {"wechat": False, "weibo": False}


def test_follower_distribution_takes_latest_snapshot_on_or_before_as_of(world, django_assert_num_queries):
    with django_assert_num_queries(1):  # per platform: quartiles over each account's latest count
        summaries = queries.follower_distribution(scope=scope(world))
    wechat, weibo = summaries
    # WeChat accounts of members: 5000 (a0 on 2020-01-01), 200 (a0b), 50 (a1); the outsider never counts.
    assert (wechat.platform, wechat.accounts, wechat.minimum, wechat.median, wechat.maximum) == (
        "wechat",
        3,
        50,
        200,
        5000,
    )
    assert (wechat.q1, wechat.q3) == (125, 2600)  # interpolated, as percentile_cont
    assert (weibo.accounts, weibo.median) == (1, 700)
    later = queries.follower_distribution(scope=scope(world, D(2021, 6, 1)))
    assert later[0].maximum == 9000  # the maintained latest row


def test_follower_distribution_for_a_past_date_probes_older_snapshots(world):
    early = queries.follower_distribution(scope=scope(world, D(2019, 6, 1)))
    assert [(s.platform, s.accounts, s.maximum) for s in early] == [("wechat", 1, 1000), ("weibo", 0, None)]


def test_top_accounts_sorted_and_limited(world, django_assert_num_queries):
    with django_assert_num_queries(1):  # latest counts ordered by followers, LIMIT
        rows = queries.top_accounts(scope=scope(world), limit=2)
    assert [(r.organisation, r.followers, r.date) for r in rows] == [
        ("Org 0", 5000, D(2020, 1, 1)),
        ("Org 0", 700, D(2019, 12, 31)),
    ]
    assert rows[1].platform == "weibo"
    today = queries.top_accounts(scope=scope(world, D(2026, 1, 1)), limit=1)
    assert [(r.followers, r.date) for r in today] == [(9000, D(2021, 1, 1))]


def test_multi_platform_presence_buckets(world, django_assert_num_queries):
    with django_assert_num_queries(1):  # GROUP BY over a per-organisation count subquery
        rows = queries.multi_platform_presence(scope=scope(world))
    assert [(r.platforms, r.organisations) for r in rows] == [(0, 2), (1, 1), (2, 1)]


def test_follower_history_for_one_company(world, django_assert_num_queries):
    org = world["orgs"][0]
    with django_assert_num_queries(1):
        points = queries.follower_history(organisation_id=org.pk, until=D(2020, 12, 31))
    assert [(p.platform, p.followers) for p in points] == [
        ("wechat", 1000),
        ("wechat", 5000),
        ("wechat", 200),
        ("weibo", 700),
    ]


@pytest.mark.parametrize(
    "comparator, claimed, live, missing, verdict",
    [
        (Qualifier.MORE_THAN, 400, 412, 0, C),
        (Qualifier.MORE_THAN, 400, 380, 0, M),
        (Qualifier.MORE_THAN, 400, 380, 30, UNSURE),
        (Qualifier.MORE_THAN, 400, 380, None, UNSURE),
        (Qualifier.AT_LEAST, 400, 400, 0, C),
        (Qualifier.AT_LEAST, 400, 399, 0, M),
        (Qualifier.FEWER_THAN, 100, 120, 5, M),
        (Qualifier.FEWER_THAN, 100, 90, 5, C),
        (Qualifier.FEWER_THAN, 100, 90, 20, UNSURE),
        (Qualifier.FEWER_THAN, 100, 90, None, UNSURE),
        (Qualifier.ABOUT, 100, 109, 0, C),
        (Qualifier.ABOUT, 100, 111, 0, M),
        (Qualifier.ABOUT, 100, 85, 10, UNSURE),
        (Qualifier.ABOUT, 100, 80, 5, M),
        (Qualifier.EXACTLY, 50, 50, 0, C),
        (Qualifier.EXACTLY, 50, 51, 0, M),
        (Qualifier.EXACTLY, 50, 48, 3, UNSURE),
        (Qualifier.SOME, None, 1, None, C),
        (Qualifier.SOME, None, 0, 0, M),
        (Qualifier.SOME, None, 0, 3, UNSURE),
    ],
)
def test_judge_claim(comparator, claimed, live, missing, verdict):
    assert queries.judge_claim(comparator, claimed, live=live, missing=missing) == verdict


def test_published_figures_live_values_in_one_query(world, django_assert_num_queries):
    cohort, wechat, weibo = world["cohort"], world["wechat"], world["weibo"]
    make_figure("more than 1 on WeChat", Qualifier.MORE_THAN, 1, D(2020, 6, 30), cohort=cohort, platform=wechat)
    make_figure("exactly 2 on Weibo in 2015", Qualifier.EXACTLY, 2, D(2015, 1, 1), cohort=cohort, platform=weibo)
    make_figure("some on any platform", Qualifier.SOME, None, D(2020, 6, 30), cohort=cohort)
    make_figure("all companies on WeChat", Qualifier.AT_LEAST, 3, D(2020, 6, 30), platform=wechat)
    with django_assert_num_queries(1):  # figures with correlated live-count and members-held subqueries
        checks = {c.figure.claim: c for c in queries.published_figure_checks()}
    assert checks["more than 1 on WeChat"].live == 2
    assert checks["more than 1 on WeChat"].held == 4 and checks["more than 1 on WeChat"].missing == 6
    assert checks["more than 1 on WeChat"].coverage == 0.4
    assert checks["more than 1 on WeChat"].verdict == C
    assert checks["exactly 2 on Weibo in 2015"].live == 2  # org 0 and org 2 (not yet closed)
    assert checks["exactly 2 on Weibo in 2015"].verdict == UNSURE  # 6 members missing could change it
    assert checks["some on any platform"].live == 2  # org 2 closed its only account in 2019
    assert checks["all companies on WeChat"].live == 3  # org 0, org 1 and the outsider
    assert checks["all companies on WeChat"].held is None and checks["all companies on WeChat"].verdict == C


def test_published_figure_contradicted_with_full_coverage(world):
    world["cohort"].nominal_size = 4
    world["cohort"].save()
    make_figure("more than 3", Qualifier.MORE_THAN, 3, D(2020, 6, 30), cohort=world["cohort"], platform=world["wechat"])
    (check,) = queries.published_figure_checks()
    assert check.live == 2 and check.missing == 0 and check.verdict == M


def test_published_figure_query_count_does_not_grow(world, django_assert_num_queries):
    cohort2 = make_cohort("Another list", year=2021)
    for i in range(5):
        org = make_org()
        add_member(cohort2, org, rank=i + 1)
        make_account(org, world["weibo"])
        make_figure(f"claim {i}", Qualifier.ABOUT, 5, D(2020 - i, 1, 1), cohort=cohort2, platform=world["weibo"])
    with django_assert_num_queries(1):  # one query however many figures
        checks = queries.published_figure_checks()
    assert {c.live for c in checks} == {5}


def test_accounts_with_follower_history_in_one_query(world, django_assert_num_queries):
    org0, org3 = world["orgs"][0], world["orgs"][3]
    with django_assert_num_queries(1):  # accounts LEFT JOIN their follower snapshots
        accounts, points = queries.accounts_with_follower_history(organisation_id=org0.pk, until=D(2020, 12, 31))
    assert len(accounts) == 3 and len({a.pk for a in accounts}) == 3  # each account once
    assert [(p.platform, p.followers) for p in points] == [
        ("wechat", 1000),
        ("wechat", 5000),
        ("wechat", 200),
        ("weibo", 700),
    ]
    make_account(org3, world["weibo"], opened_on=D(2020, 1, 1))  # an account without any snapshot
    accounts, points = queries.accounts_with_follower_history(organisation_id=org3.pk, until=D(2020, 12, 31))
    assert len(accounts) == 1 and points == []
