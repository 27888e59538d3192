"""Chart pages, platform pages, the overview's links, published figures."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.views.pages import CHART_PAGES
from registry.models import Qualifier
from registry.signals import bump_data_version
from tests.factories import (
    add_member,
    make_account,
    make_cohort_with_adoption,
    make_figure,
    make_metric,
    make_org,
    viewer,
)

D = datetime.date


@pytest.fixture
def client_viewer(client, db):
    client.force_login(viewer())
    return client


def count_queries(client, url, params=None) -> int:
    bump_data_version()  # a cold chart cache, as after any registry write
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx)


@pytest.fixture
def world(db):
    cohort, platforms = make_cohort_with_adoption(members=6, wechat=4, weibo=2)
    for i, membership in enumerate(cohort.memberships.order_by("rank")):
        for account in membership.organisation.accounts.all():
            make_metric(account, D(2020, 1, 1), followers=1000 * (i + 1))
    return cohort, platforms


@pytest.mark.parametrize("slug", CHART_PAGES)
def test_every_chart_page_renders_with_its_data_table(client_viewer, world, slug):
    cohort, _ = world
    response = client_viewer.get(reverse("dashboard:chart", args=[slug]), {"cohort": cohort.slug})
    assert response.status_code == 200
    chart = response.context["chart"]
    assert chart.slug == slug
    assert chart.meta.subtitle.startswith(str(cohort))
    content = response.content.decode()
    assert f'data-figure="fig-{slug}"' in content and f'id="fig-{slug}"' in content
    assert "The data in this chart" in content
    for column in chart.columns:
        assert str(column) in content


def test_presence_matrix_says_it_is_capped(client_viewer, world):
    cohort, platforms = world
    for i in range(55):
        add_member(cohort, make_org(), rank=100 + i)
    response = client_viewer.get(reverse("dashboard:chart", args=["presence-matrix"]), {"cohort": cohort.slug})
    chart = response.context["chart"]
    assert len(chart.rows) == 50
    assert "first 50 of 61 by rank in the list" in chart.meta.subtitle


def test_chart_pages_answer_400_and_404(client_viewer, world):
    assert client_viewer.get(reverse("dashboard:chart", args=["no-such-chart"])).status_code == 404
    url = reverse("dashboard:chart", args=["company-followers"])
    for params in ({}, {"company": "abc"}, {"company": "999999"}):
        response = client_viewer.get(url, params)
        assert response.status_code == 400, params
        assert b"company" in response.content
    assert client_viewer.get(reverse("dashboard:chart", args=["top-accounts"]), {"as_of": "soon"}).status_code == 400


def test_company_followers_chart_keeps_its_parameter_in_the_form(client_viewer, world):
    cohort, _ = world
    org = cohort.memberships.get(rank=1).organisation
    response = client_viewer.get(reverse("dashboard:chart", args=["company-followers"]), {"company": org.pk})
    assert response.status_code == 200
    assert f'<input type="hidden" name="company" value="{org.pk}">' in response.content.decode()


def test_chart_page_query_count_does_not_grow(client_viewer, world):
    cohort, platforms = world
    url = reverse("dashboard:chart", args=["follower-distribution"])
    client_viewer.get(url)
    small = count_queries(client_viewer, url, {"cohort": cohort.slug})
    for i in range(20):
        org = make_org()
        add_member(cohort, org, rank=300 + i)
        make_metric(make_account(org, platforms["wechat"]), D(2020, 1, 1), followers=i + 1)
    assert count_queries(client_viewer, url, {"cohort": cohort.slug}) == small
    # user, user permissions, group permissions, cohorts, platforms, the scope's
    # facts (real and synthetic members, newest snapshot), follower quartiles, demo banner
    assert small == 8


def test_overview_links_to_every_chart_page_keeping_filters(client_viewer, world):
    cohort, _ = world
    response = client_viewer.get(reverse("dashboard:overview"), {"cohort": cohort.slug, "as_of": "2020-06-01"})
    content = response.content.decode()
    for slug in CHART_PAGES:
        assert f"{reverse('dashboard:chart', args=[slug])}?cohort={cohort.slug}&amp;as_of=2020-06-01" in content
    assert 'data-figure="fig-adoption-share"' in content


# --------------------------------------------------------------------------- platforms


def test_platform_list(client_viewer, world):
    response = client_viewer.get(reverse("dashboard:platform_list"))
    rows = {r.platform.slug: (r.open_accounts, r.organisations) for r in response.context["platforms"]}
    assert rows == {"wechat": (4, 4), "weibo": (2, 2)}


def test_platform_list_empty(client_viewer):
    assert b"No platforms yet" in client_viewer.get(reverse("dashboard:platform_list")).content


def test_platform_detail(client_viewer, world):
    cohort, _ = world
    url = reverse("dashboard:platform_detail", args=["weibo"])
    response = client_viewer.get(url, {"cohort": cohort.slug})
    assert response.status_code == 200
    assert response.context["adopters"] == 2
    assert [p["chart"].slug for p in response.context["panels"]] == ["adoption-over-time", "top-accounts"]
    assert all(p["chart"].meta.subtitle.count("platforms: Weibo") == 1 for p in response.context["panels"])
    # Downloads of these charts ask for the page's one platform, not the URL's default set.
    assert all(p["query"] == f"cohort={cohort.slug}&platform=weibo" for p in response.context["panels"])
    assert f"top-accounts.csv?cohort={cohort.slug}&amp;platform=weibo" in response.content.decode()
    table = response.context["table"]
    assert [r.record.cohort_rank for r in table.paginated_rows] == [1, 2]
    assert [r.record.latest_followers for r in table.paginated_rows] == [1000, 2000]
    assert b'name="platform"' not in response.content  # one platform: no platform checkboxes
    download = client_viewer.get(url, {"cohort": cohort.slug, "_export": "csv"})
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Organisation", "Rank", "Account"] and len(rows) == 3


def test_platform_detail_404_and_400(client_viewer, world):
    assert client_viewer.get(reverse("dashboard:platform_detail", args=["myspace"])).status_code == 404
    assert client_viewer.get(reverse("dashboard:platform_detail", args=["wechat"]), {"cohort": "x"}).status_code == 400


def test_platform_detail_with_no_adopters_says_so(client_viewer, world):
    response = client_viewer.get(reverse("dashboard:platform_detail", args=["wechat"]), {"as_of": "2001-01-01"})
    assert response.status_code == 200
    assert b"No organisation in this view has an open account" in response.content


def test_platform_detail_query_count_does_not_grow(client_viewer, world):
    cohort, platforms = world
    url = reverse("dashboard:platform_detail", args=["wechat"])
    client_viewer.get(url)
    small = count_queries(client_viewer, url, {"cohort": cohort.slug})
    for i in range(60):
        org = make_org()
        add_member(cohort, org, rank=400 + i)
        make_metric(make_account(org, platforms["wechat"]), D(2020, 1, 1), followers=i + 1)
    assert count_queries(client_viewer, url, {"cohort": cohort.slug}) == small
    # user, user permissions, group permissions, cohorts, platforms, timeline,
    # top accounts, accounts and organisations (real and synthetic; also the
    # table's row count), one page of the table, demo banner
    assert small == 10


# --------------------------------------------------------------------------- published figures


def test_figures_page_shows_verdicts(client_viewer, world):
    cohort, platforms = world
    cohort.nominal_size = 6
    cohort.save()
    make_figure(
        "More than 3 are on WeChat", Qualifier.MORE_THAN, 3, D(2020, 1, 1), cohort=cohort, platform=platforms["wechat"]
    )
    make_figure(
        "Exactly 5 are on Weibo", Qualifier.EXACTLY, 5, D(2020, 1, 1), cohort=cohort, platform=platforms["weibo"]
    )
    response = client_viewer.get(reverse("dashboard:figure_list"))
    checks = {c.figure.claim: c for c in response.context["checks"]}
    assert checks["More than 3 are on WeChat"].live == 4 and checks["More than 3 are on WeChat"].verdict == "consistent"
    assert checks["Exactly 5 are on Weibo"].verdict == "contradicted"
    content = response.content.decode()
    assert 'badge bad">contradicted' in content and 'badge ok">consistent' in content
    assert "6 of 6 members (100%)" in content


def test_figures_page_empty_and_query_count(client_viewer, world):
    assert b"No published figures yet" in client_viewer.get(reverse("dashboard:figure_list")).content
    cohort, platforms = world
    make_figure("one", cohort=cohort, platform=platforms["wechat"])
    url = reverse("dashboard:figure_list")
    small = count_queries(client_viewer, url)
    for i in range(10):
        make_figure(f"claim {i}", Qualifier.ABOUT, 4, D(2019, 1, 1 + i), cohort=cohort, platform=platforms["weibo"])
    assert count_queries(client_viewer, url) == small
    # user, user permissions, group permissions, figures with live counts and
    # members held as subqueries (one query for all), demo banner
    assert small == 5


@pytest.mark.parametrize(
    "url",
    [reverse("dashboard:chart", args=[slug]) for slug in CHART_PAGES]
    + [
        reverse(name)
        for name in (
            "dashboard:overview",
            "dashboard:platform_list",
            "dashboard:company_list",
            "dashboard:person_list",
            "dashboard:statement_list",
            "dashboard:source_list",
            "dashboard:figure_list",
        )
    ],
)
def test_every_page_works_on_an_empty_database(client_viewer, url):
    response = client_viewer.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert any(hint in content for hint in ("make run", "Nothing to show", "reset the filters")), content[-3000:]


def test_platform_list_query_count_does_not_grow(client_viewer, world):
    cohort, platforms = world
    url = reverse("dashboard:platform_list")
    client_viewer.get(url)
    small = count_queries(client_viewer, url)
    for _i in range(20):
        make_account(make_org(), platforms["weibo"])
    assert count_queries(client_viewer, url) == small
    # user, user permissions, group permissions, platforms with their open
    # accounts and organisations counted, demo banner
    assert small == 5
