"""Influence indices: the WCI and BCI formulas against hand-computed values,
the aggregation in the database, and the ranking and account pages."""

import datetime
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.indices import Totals, bci, index_over_time, ranked_accounts, wci
from registry.models import AccountMetric
from tests.factories import add_member, make_account, make_cohort, make_metric, make_org, make_platform, viewer

# --------------------------------------------------------------------------- formulas


def test_wci_v14_2_by_hand():
    # A month (d = 30) with n = 60 articles: R = 300,000 reads, Z = 1,500 wows (在看),
    # L = 3,000 likes, RE = 6,000 shares; headline reads Rt = 180,000; peak Rmax = 20,000.
    t = Totals(
        days=30,
        posts=60,
        reads=300_000,
        wows=1_500,
        likes=3_000,
        shares=6_000,
        headline_reads=180_000,
        max_reads=20_000,
    )
    # O, per day: R/d = 10,000, Z/d = 50, L/d = 100, RE/d = 200
    #   0.70 ln(10001) + 0.09 ln(501) + 0.06 ln(1001) + 0.15 ln(2001)
    #   = 0.70(9.210440) + 0.09(6.216606) + 0.06(6.908755) + 0.15(7.601402) = 8.561538
    # A, per article: R/n = 5,000, Z/n = 25, L/n = 50, RE/n = 100
    #   0.70 ln(5001) + 0.09 ln(251) + 0.06 ln(501) + 0.15 ln(1001)
    #   = 0.70(8.517393) + 0.09(5.525453) + 0.06(6.216606) + 0.15(6.908755) = 7.868776
    # H, headlines per day: Rt/d = 6,000; engagement at the account's rate Rt/R = 0.6, so
    #   Zt/d = 30, Lt/d = 60, REt/d = 120:
    #   0.70 ln(6001) + 0.09 ln(301) + 0.06 ln(601) + 0.15 ln(1201)
    #   = 0.70(8.699681) + 0.09(5.707110) + 0.06(6.398595) + 0.15(7.090910) = 8.050969
    # P, the peak: Rmax = 20,000; rate Rmax/R = 1/15, so Zmax = 100, Lmax = 200, REmax = 400:
    #   0.70 ln(20001) + 0.09 ln(1001) + 0.06 ln(2001) + 0.15 ln(4001)
    #   = 0.70(9.903538) + 0.09(6.908755) + 0.06(7.601402) + 0.15(8.294300) = 9.254493
    # WCI = (0.6 O + 0.2 A + 0.1 H + 0.1 P)^2 x 1.2 x 10
    #     = (5.136923 + 1.573755 + 0.805097 + 0.925449)^2 x 12 = 8.441224^2 x 12 = 855.05
    result = wci(t)
    assert result.overall == pytest.approx(8.561538, abs=1e-5)
    assert result.per_article == pytest.approx(7.868776, abs=1e-5)
    assert result.headline == pytest.approx(8.050969, abs=1e-5)
    assert result.peak == pytest.approx(9.254493, abs=1e-5)
    assert result.index == pytest.approx(855.05, abs=0.01)


def test_wci_substitutions_when_headline_and_peak_are_unknown():
    # No headline or peak figure: H takes O's value and Rmax is taken as R/n.
    t = Totals(days=7, posts=7, reads=7_000, wows=0, likes=70, shares=0)
    result = wci(t)
    # O: R/d = 1,000, L/d = 10 -> 0.70 ln(1001) + 0.06 ln(101) = 4.836129 + 0.276906 = 5.113035
    assert result.overall == pytest.approx(0.70 * math.log(1001) + 0.06 * math.log(101))
    assert result.headline == result.overall
    # P: Rmax = R/n = 1,000, Lmax = 70 x 1,000/7,000 = 10 -> the same as O here
    assert result.peak == pytest.approx(result.overall)
    # A: R/n = 1,000, L/n = 10 -> also the same, so WCI = O^2 x 12 = 5.113035^2 x 12 = 313.72
    assert result.index == pytest.approx(313.72, abs=0.01)


def test_wci_of_a_silent_account_is_zero():
    assert wci(Totals(days=30)).index == 0


def test_bci_by_hand():
    # 30 posts drawing 1,200 reposts, 800 comments and 5,000 likes.
    # W1 = ln(31) = 3.433987
    # W2 = 0.4 ln(1201) + 0.4 ln(801) + 0.2 ln(5001)
    #    = 0.4(7.090910) + 0.4(6.685861) + 0.2(8.517393) = 2.836364 + 2.674344 + 1.703479 = 7.214187
    # BCI = (0.2 x 3.433987 + 0.8 x 7.214187) x 160 = (0.686797 + 5.771350) x 160 = 1033.30
    result = bci(Totals(days=30, posts=30, shares=1_200, comments=800, likes=5_000))
    assert result.activity == pytest.approx(3.433987, abs=1e-6)
    assert result.spread == pytest.approx(7.214187, abs=1e-6)
    assert result.index == pytest.approx(1033.30, abs=0.01)


# --------------------------------------------------------------------------- aggregation

MARCH = datetime.date(2024, 3, 1)


@pytest.fixture
def cohort_with_metrics(db):
    """Two WeChat accounts in a cohort with 30 days of snapshots in March 2024,
    one Weibo account, and a WeChat account outside the cohort."""
    cohort = make_cohort(slug="top-500")
    wechat, weibo = make_platform("wechat", "WeChat"), make_platform("weibo", "Weibo")
    big, small, outsider = make_org("Big Co"), make_org("Small Co"), make_org("Outsider Co")
    add_member(cohort, big, rank=1)
    add_member(cohort, small, rank=2)
    accounts = {
        "big": make_account(big, wechat, display_name="Big official"),
        "small": make_account(small, wechat, display_name="Small official"),
        "weibo": make_account(big, weibo, display_name="Big on Weibo"),
        "outsider": make_account(outsider, wechat, display_name="Outsider official"),
    }
    for day in range(30):
        date = MARCH + datetime.timedelta(days=day)
        make_metric(
            accounts["big"],
            date,
            posts=2,
            reads=10_000,
            wows=50,
            likes=100,
            shares=200,
            headline_reads=6_000,
            max_reads=20_000 if day == 9 else 4_000,
        )
        make_metric(accounts["small"], date, posts=1, reads=100, likes=2)
        make_metric(accounts["weibo"], date, posts=1, shares=40, comments=30, likes=100)
        make_metric(accounts["outsider"], date, posts=5, reads=99_999)
    return cohort, accounts


def test_ranking_aggregates_the_period_in_one_query(cohort_with_metrics, django_assert_num_queries):
    cohort, accounts = cohort_with_metrics
    members = cohort.memberships.values("organisation")
    with django_assert_num_queries(1):  # snapshots grouped by account, with names joined
        ranked = ranked_accounts(
            platform_slug="wechat", start=MARCH, end=datetime.date(2024, 3, 30), organisations=members
        )
    assert [(r.rank, r.account) for r in ranked] == [(1, "Big official"), (2, "Small official")]
    big = ranked[0]
    # The big account's month matches the hand-computed WCI example: 60 posts, 300,000 reads, ...
    assert big.totals == Totals(
        days=30,
        posts=60,
        reads=300_000,
        likes=3_000,
        wows=1_500,
        shares=6_000,
        comments=0,
        headline_reads=180_000,
        max_reads=20_000,
        snapshots=30,
    )
    assert big.index == pytest.approx(855.05, abs=0.01)


def test_equal_indices_share_a_rank(cohort_with_metrics):
    cohort, accounts = cohort_with_metrics
    twin = make_account(make_org("Twin Co"), accounts["small"].platform, display_name="Twin official")
    add_member(cohort, twin.organisation, rank=3)
    for day in range(30):
        make_metric(twin, MARCH + datetime.timedelta(days=day), posts=1, reads=100, likes=2)
    ranked = ranked_accounts(
        platform_slug="wechat",
        start=MARCH,
        end=datetime.date(2024, 3, 30),
        organisations=cohort.memberships.values("organisation"),
    )
    assert [(r.rank, r.account) for r in ranked] == [(1, "Big official"), (2, "Small official"), (2, "Twin official")]


def _ranking(members, start, end):
    ranked = ranked_accounts(platform_slug="wechat", start=start, end=end, organisations=members)
    return [(r.rank, r.account, r.totals, round(r.index, 6)) for r in ranked]


def test_maintained_sums_and_summed_snapshots_rank_alike(cohort_with_metrics, django_assert_num_queries):
    # 1-30 March ends on every account's latest snapshot: the ranking reads the
    # maintained 30-day sums. The same accounts are summed from their snapshots
    # when their latest snapshot is another day, or when the period is not 30 days.
    cohort, accounts = cohort_with_metrics
    members = cohort.memberships.values("organisation")
    end = datetime.date(2024, 3, 30)
    from_rows = _ranking(members, MARCH, end)
    # The same totals from the snapshots: a period of 31 days starting a day earlier holds the same snapshots.
    summed = [
        (rank, name, totals, index)
        for rank, name, totals, index in _ranking(members, MARCH - datetime.timedelta(days=1), end)
    ]
    assert [
        (rank, name, t.posts, t.reads, t.headline_reads, t.max_reads, t.snapshots) for rank, name, t, _ in from_rows
    ] == [(rank, name, t.posts, t.reads, t.headline_reads, t.max_reads, t.snapshots) for rank, name, t, _ in summed]
    # A snapshot after the period: the small account is summed from its snapshots, the big one still read from its row.
    make_metric(accounts["small"], datetime.date(2024, 4, 2), posts=7, reads=7_000)
    with django_assert_num_queries(1):
        assert _ranking(members, MARCH, end) == from_rows
    # A write inside the period shows at once.
    AccountMetric.objects.filter(account=accounts["big"], date=end).update(reads=300_000)
    big = next(t for _, name, t, _ in _ranking(members, MARCH, end) if name == "Big official")
    assert big.reads == 29 * 10_000 + 300_000
    # An account whose latest snapshot is before the period is not ranked.
    assert [name for _, name, _, _ in _ranking(members, datetime.date(2024, 4, 1), datetime.date(2024, 4, 30))] == [
        "Small official"
    ]


def test_index_over_time_by_month_and_week(cohort_with_metrics, django_assert_num_queries):
    _, accounts = cohort_with_metrics
    make_metric(accounts["weibo"], datetime.date(2024, 4, 2), posts=2, shares=10, comments=0, likes=0)
    with django_assert_num_queries(2):  # first/last snapshot dates, then snapshots grouped by month
        points = index_over_time(account=accounts["weibo"], platform_slug="weibo")
    assert [(p.period, p.days) for p in points] == [(MARCH, 31), (datetime.date(2024, 4, 1), 2)]
    # March: 30 posts, 1,200 reposts, 900 comments, 3,000 likes
    # BCI = (0.2 ln 31 + 0.8 (0.4 ln 1201 + 0.4 ln 901 + 0.2 ln 3001)) x 160
    expected = (0.2 * math.log(31) + 0.8 * (0.4 * math.log(1201) + 0.4 * math.log(901) + 0.2 * math.log(3001))) * 160
    assert points[0].index == pytest.approx(expected)
    weeks = index_over_time(account=accounts["weibo"], platform_slug="weibo", bucket="week")
    assert weeks[0].period == datetime.date(2024, 2, 26) and weeks[0].days == 3  # Fri 1 - Sun 3 March


# --------------------------------------------------------------------------- pages

URL = reverse("dashboard:indices")


@pytest.fixture
def client_viewer(client, db):
    client.force_login(viewer())
    return client


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx), response


def test_ranking_page_defaults_to_the_latest_30_days_with_data(client_viewer, cohort_with_metrics):
    cohort, _ = cohort_with_metrics
    response = client_viewer.get(URL, {"cohort": cohort.slug})
    assert response.status_code == 200
    assert (response.context["start"], response.context["end"]) == (MARCH, datetime.date(2024, 3, 30))
    rows = list(response.context["table"].data)
    assert [r["account"] for r in rows] == ["Big official", "Small official"]
    html = response.content.decode()
    assert "855.05" in html and 'id="fig-index-ranking"' in html
    assert reverse("dashboard:index_account", args=[rows[0]["account_id"]]) in html


def test_weibo_ranking_and_csv_export(client_viewer, cohort_with_metrics):
    cohort, _ = cohort_with_metrics
    response = client_viewer.get(
        URL, {"cohort": cohort.slug, "platform": "weibo", "start": "2024-03-01", "end": "2024-03-30"}
    )
    rows = list(response.context["table"].data)
    assert [r["account"] for r in rows] == ["Big on Weibo"]
    # 30 posts, 1,200 reposts, 900 comments, 3,000 likes over the period (see above)
    assert rows[0]["index"] == pytest.approx(
        (0.2 * math.log(31) + 0.8 * (0.4 * math.log(1201) + 0.4 * math.log(901) + 0.2 * math.log(3001))) * 160
    )
    export = client_viewer.get(
        URL, {"cohort": cohort.slug, "platform": "weibo", "start": "2024-03-01", "end": "2024-03-30", "_export": "csv"}
    )
    assert export["Content-Type"].startswith("text/csv")
    assert "Big on Weibo" in export.content.decode()


def test_ranking_query_count_is_constant(client_viewer, cohort_with_metrics):
    cohort, accounts = cohort_with_metrics
    from registry.signals import bump_data_version

    client_viewer.get(URL, {"cohort": cohort.slug})  # warm the session cache
    bump_data_version()  # measured cold, as after a write: the chart's facts are read again
    small, _ = _count(client_viewer, URL, {"cohort": cohort.slug})
    wechat = accounts["big"].platform
    for i in range(15):
        org = make_org()
        add_member(cohort, org, rank=10 + i)
        account = make_account(org, wechat)
        for day in range(3):
            make_metric(account, MARCH + datetime.timedelta(days=day), posts=1, reads=10 * i)
    large, response = _count(client_viewer, URL, {"cohort": cohort.slug})
    assert len(response.context["table"].data) == 17
    # user, user permissions, group permissions, cohorts, platforms, latest snapshot date,
    # the grouped ranking, the scope's facts (real and synthetic members, for the chart), demo banner
    assert small == large == 9


def test_account_page_and_its_query_count(client_viewer, cohort_with_metrics):
    _, accounts = cohort_with_metrics
    url = reverse("dashboard:index_account", args=[accounts["big"].pk])
    client_viewer.get(url)
    queries, response = _count(client_viewer, url)
    # The snapshots run 1-30 March, so March's d is 30 and its WCI is the hand-computed 855.05.
    assert [round(p.index, 2) for p in response.context["points"]] == [855.05]
    assert 'id="fig-index-over-time"' in response.content.decode()
    for day in range(60):
        make_metric(accounts["big"], datetime.date(2024, 4, 1) + datetime.timedelta(days=day), posts=1, reads=5)
    more, response = _count(client_viewer, url)
    assert len(response.context["points"]) == 3
    # user, user permissions, group permissions, the account (with organisation
    # and platform), first/last snapshot dates, snapshots grouped by month, demo banner
    assert queries == more == 7


@pytest.mark.parametrize(
    "params",
    [
        {"platform": "myspace"},
        {"cohort": "no-such-cohort"},
        {"start": "2024-13-01"},
        {"start": "2024-03-10", "end": "2024-03-01"},
        {"start": "1900-01-01"},
        {"start": "2020-01-01", "end": "2024-12-31"},
    ],
)
def test_bad_parameters_give_400(client_viewer, cohort_with_metrics, params):
    response = client_viewer.get(URL, params)
    assert response.status_code == 400
    assert b"can&#x27;t be used" in response.content or b"can't be used" in response.content


def test_bad_bucket_is_400_and_unknown_account_404(client_viewer, cohort_with_metrics):
    _, accounts = cohort_with_metrics
    assert (
        client_viewer.get(reverse("dashboard:index_account", args=[accounts["big"].pk]), {"bucket": "year"}).status_code
        == 400
    )
    assert client_viewer.get(reverse("dashboard:index_account", args=[999_999])).status_code == 404


def test_empty_states_say_what_to_do(client_viewer, db):
    response = client_viewer.get(URL)
    assert response.status_code == 200
    assert b"No WCI data for this view" in response.content and b"record_metrics" in response.content
    account = make_account(make_org(), make_platform("douyin", "Douyin"))
    response = client_viewer.get(reverse("dashboard:index_account", args=[account.pk]))
    assert b'No index for <span translate="no">Douyin' in response.content
    account = make_account(make_org(), make_platform("wechat", "WeChat"))
    response = client_viewer.get(reverse("dashboard:index_account", args=[account.pk]))
    assert b"No metric snapshots yet" in response.content


def test_period_without_data_is_an_empty_state_not_an_error(client_viewer, cohort_with_metrics):
    cohort, _ = cohort_with_metrics
    response = client_viewer.get(URL, {"cohort": cohort.slug, "start": "2023-01-01", "end": "2023-01-31"})
    assert response.status_code == 200
    assert b"has metric snapshots between 1 January 2023 and 31 January 2023" in response.content


# --------------------------------------------------------------------------- the chart's downloads and briefings


def test_index_chart_downloads_and_briefing_rebuild_the_page_ranking(client_viewer, cohort_with_metrics, monkeypatch):
    """The index chart has the same downloads and "add to briefing" as every
    chart, with the page's period spelled out so they show the same ranking."""
    import csv
    import io

    from dashboard import rendering
    from registry.models import BriefingItem

    cohort, _ = cohort_with_metrics
    page = client_viewer.get(URL, {"cohort": cohort.slug})
    panel = page.context["panel"]
    assert panel["chart"].slug == "index-ranking"
    assert panel["query"] == f"cohort={cohort.slug}&platform=wechat&start=2024-03-01&end=2024-03-30"
    html = page.content.decode()
    for fmt in ("png", "svg", "pdf", "csv", "xlsx"):
        assert reverse("dashboard:chart_export", args=["index-ranking", fmt]) in html
    assert 'name="chart" value="index-ranking"' in html  # the "Add to briefing" form

    export = reverse("dashboard:chart_export", args=["index-ranking", "csv"])
    rows = list(csv.reader(io.StringIO(client_viewer.get(export + "?" + panel["query"]).content.decode("utf-8-sig"))))
    data = rows[rows.index(list(panel["chart"].columns)) + 1 :]
    ranked = page.context["table"].data.data
    assert [(int(r[0]), r[1]) for r in data] == [(row["rank"], row["account"]) for row in ranked]

    drawn = []
    monkeypatch.setattr(rendering.renderer, "render", lambda figure, **o: drawn.append(figure) or b"<svg/>")
    assert client_viewer.get(export.replace(".csv", ".svg") + "?" + panel["query"]).status_code == 200
    assert drawn[0]["layout"]["title"]["text"].startswith("<b>WCI: Influence index")

    response = client_viewer.post(
        reverse("dashboard:briefing_add"), {"chart": "index-ranking", "query": panel["query"], "next": URL}
    )
    assert response.status_code == 302
    item = BriefingItem.objects.get()
    assert "start=2024-03-01" in item.query and "end=2024-03-30" in item.query and "platform=wechat" in item.query


@pytest.mark.parametrize(
    "query, problem",
    [
        ("platform=douyin", "platform must be one of"),
        ("start=2024-13-01", "start must be a date"),
        ("start=2024-03-10&end=2024-03-01", "end after the start"),
    ],
)
def test_index_chart_download_rejects_bad_parameters(client_viewer, cohort_with_metrics, query, problem):
    make_platform("douyin", "Douyin")  # a platform without an influence index
    response = client_viewer.get(reverse("dashboard:chart_export", args=["index-ranking", "csv"]) + "?" + query)
    assert response.status_code == 400 and problem in response.content.decode()
