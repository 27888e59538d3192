import datetime

import pytest

from dashboard import queries
from dashboard.filters import Scope
from registry.models import Ownership
from tests.factories import add_member, make_account, make_cohort, make_org, make_platform

D = datetime.date


@pytest.fixture
def world(db):
    cohort = make_cohort()
    wechat, weibo = make_platform("wechat", "WeChat", display_order=1), make_platform("weibo", "Weibo", display_order=2)
    orgs = [make_org(f"Org {i}", ownership=Ownership.CENTRAL_SOE if i < 2 else Ownership.PRIVATE) for i in range(4)]
    for i, org in enumerate(orgs):
        add_member(cohort, org, rank=i + 1)
    outsider = make_org("Not in cohort")
    make_account(outsider, wechat, opened_on=D(2014, 1, 1))
    # Org 0: two WeChat accounts (counted once), one Weibo account closed in 2019.
    make_account(orgs[0], wechat, opened_on=D(2013, 3, 5))
    make_account(orgs[0], wechat, opened_on=D(2016, 7, 1))
    make_account(orgs[0], weibo, opened_on=D(2012, 1, 1), closed_on=D(2019, 6, 30))
    # Org 1: WeChat from 2018.
    make_account(orgs[1], wechat, opened_on=D(2018, 2, 10))
    # Org 2: Weibo, open date unknown: never counted as open.
    make_account(orgs[2], weibo, opened_on=None)
    return {"cohort": cohort, "wechat": wechat, "weibo": weibo, "orgs": orgs}


def scope(world, as_of, **extra):
    return Scope(cohort=world["cohort"], as_of=as_of, platforms=(world["wechat"], world["weibo"]), **extra)


def counts(rows):
    return {r.slug: r.adopters for r in rows}


def test_adoption_counts_respect_open_and_close_dates(world, django_assert_num_queries):
    # 2 queries: cohort size, adopters per platform
    with django_assert_num_queries(2):
        rows = queries.adoption_by_platform(scope=scope(world, D(2017, 1, 1)))
    assert counts(rows) == {"wechat": 1, "weibo": 1}
    assert rows[0].cohort_size == 4 and rows[0].share == 0.25
    assert counts(queries.adoption_by_platform(scope=scope(world, D(2018, 2, 10)))) == {"wechat": 2, "weibo": 1}


def test_closed_account_excluded_from_its_close_date(world):
    assert counts(queries.adoption_by_platform(scope=scope(world, D(2019, 6, 29))))["weibo"] == 1
    assert counts(queries.adoption_by_platform(scope=scope(world, D(2019, 6, 30))))["weibo"] == 0


def test_two_accounts_on_one_platform_count_once(world):
    assert counts(queries.adoption_by_platform(scope=scope(world, D(2020, 1, 1))))["wechat"] == 2


def test_before_any_account_nothing_is_counted(world):
    assert counts(queries.adoption_by_platform(scope=scope(world, D(2010, 1, 1)))) == {"wechat": 0, "weibo": 0}


def test_ownership_filter_narrows_the_cohort(world):
    rows = queries.adoption_by_platform(scope=scope(world, D(2020, 1, 1), ownership=("private",)))
    assert counts(rows) == {"wechat": 0, "weibo": 0}
    assert rows[0].cohort_size == 2


def test_cumulative_adoption_steps_with_opens_and_closes(world, django_assert_num_queries):
    # 1 query: the windowed running total
    with django_assert_num_queries(1):
        points = queries.cumulative_adoption(scope=scope(world, D(2021, 1, 1)))
    wechat = [(p.month, p.adopters) for p in points if p.platform == "wechat"]
    weibo = [(p.month, p.adopters) for p in points if p.platform == "weibo"]
    # Org 0's second WeChat account (2016) does not add an adopter; the outsider is not counted.
    assert wechat == [(D(2013, 3, 1), 1), (D(2018, 2, 1), 2)]
    assert weibo == [(D(2012, 1, 1), 1), (D(2019, 6, 1), 0)]


def test_cumulative_adoption_stops_at_as_of(world):
    points = queries.cumulative_adoption(scope=scope(world, D(2017, 1, 1)))
    assert [(p.platform, p.adopters) for p in points] == [("wechat", 1), ("weibo", 1)]


def test_no_cohort_means_all_companies(world):
    rows = queries.adoption_by_platform(scope=Scope(cohort=None, as_of=D(2020, 1, 1), platforms=(world["wechat"],)))
    assert rows[0].adopters == 3 and rows[0].cohort_size == 5
