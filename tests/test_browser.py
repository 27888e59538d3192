"""End-to-end journeys in headless Chromium (Playwright) against a live server:
sign in through the real form, change filters and see charts redraw, open a
company, search statements, download a table. The Content-Security-Policy is
the production one, and the pages must log no console errors under it."""

import csv
import datetime
import os

import pytest

from registry.models import Ownership
from tests.browser_support import READY, log_in, wait_for_charts
from tests.factories import (
    add_member,
    make_account,
    make_cohort,
    make_metric,
    make_org,
    make_person,
    make_platform,
    make_statement,
    viewer,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


@pytest.fixture
def data(db):
    """Two lists: 2020 (4 of 6 companies on WeChat) and 2021 (1 of 2), a
    Chinese name, follower snapshots and two statements."""
    # A transactional test database is flushed between tests, and with it the
    # roles the migration created; put them back.
    from django.contrib.auth.models import Group, Permission

    from registry.roles import sync_roles

    sync_roles(Group, Permission)
    wechat = make_platform("wechat", "WeChat", display_order=10)
    weibo = make_platform("weibo", "Weibo", display_order=20)
    big = make_cohort("Top 500 2020", year=2020, slug="top-2020", nominal_size=5)
    small = make_cohort("Top 500 2021", year=2021, slug="top-2021", nominal_size=2)
    orgs = []
    for i in range(5):
        org = make_org(f"Browser Company {i}", ownership=Ownership.CENTRAL_SOE if i % 2 else Ownership.PRIVATE)
        add_member(big, org, rank=i + 1)
        orgs.append(org)
        if i < 4:
            account = make_account(org, wechat, opened_on=D(2015 + i, 1, 1))
            make_metric(account, D(2020, 1, 1), followers=1000 * (i + 1))
    make_account(orgs[0], weibo, opened_on=D(2014, 1, 1))
    add_member(small, orgs[0], rank=1)
    add_member(small, orgs[4], rank=2)
    sinopec = make_org("Sinopec Group", name_zh="中国石化")
    add_member(big, sinopec, rank=6)
    speaker = make_person("Ann Li")
    make_statement(
        "Livestreaming lets our engineers speak to customers directly.",
        speaker=speaker,
        organisation=orgs[0],
        stated_on=D(2021, 5, 1),
    )
    make_statement("Weibo is where the news breaks.", speaker=speaker, stated_on=D(2020, 5, 1))
    user = viewer()
    return {"user": user, "big": big, "small": small, "sinopec": sinopec}


def _headline(page) -> str:
    return page.locator(".stat").first.inner_text()


def test_overview_filters_redraw_headline_and_charts(page, live_server, data):
    log_in(page, live_server.url, data["user"].username, next_path="/?cohort=top-2020")
    page.wait_for_selector(READY)
    wait_for_charts(page)
    before = _headline(page)
    assert "of 6" in before and "WeChat" in before
    assert page.locator("svg.main-svg").count() >= 3  # plotly drew the charts

    page.get_by_label("Cohort", exact=True).select_option("top-2021")
    page.get_by_label("As of", exact=True).fill("2016-06-30")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    wait_for_charts(page)
    after = _headline(page)
    assert after != before
    assert "of 2" in after
    assert "cohort=top-2021" in page.url and "as_of=2016-06-30" in page.url
    assert page.console_problems == []


def test_open_a_company_from_the_table(page, live_server, data):
    log_in(page, live_server.url, data["user"].username, next_path="/companies/")
    page.get_by_label("Search names").fill("中国石化")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    with page.expect_navigation():
        rows.first.get_by_role("link", name="Sinopec Group").click()
    assert page.url.endswith(f"/companies/{data['sinopec'].pk}/")
    assert "中国石化" in page.locator("h1").inner_text()
    assert page.console_problems == []


def test_company_follower_chart_draws(page, live_server, data):
    org = data["big"].memberships.get(rank=2).organisation
    log_in(page, live_server.url, data["user"].username, next_path=f"/companies/{org.pk}/")
    wait_for_charts(page, 1)
    assert page.console_problems == []


def test_search_statements(page, live_server, data):
    log_in(page, live_server.url, data["user"].username, next_path="/statements/")
    page.get_by_label("Search the text").fill("engineers")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "speak to customers directly" in rows.first.inner_text()
    assert "q=engineers" in page.url


def test_download_the_filtered_table_as_csv(page, live_server, data, tmp_path):
    log_in(page, live_server.url, data["user"].username, next_path="/companies/?cohort=top-2021")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("companies_") and download.suggested_filename.endswith(".csv")
    path = tmp_path / "companies.csv"
    download.save_as(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "Name"
    assert sorted(r[0] for r in rows[1:]) == ["Browser Company 0", "Browser Company 4"]


def test_every_page_draws_without_console_errors(page, live_server, data):
    """Under the real Content-Security-Policy: no blocked script or style, no JS error."""
    log_in(page, live_server.url, data["user"].username)
    for path in (
        "/?cohort=top-2020",
        "/charts/adoption-by-ownership/?cohort=top-2020",
        "/charts/presence-matrix/?cohort=top-2020",
        "/charts/follower-distribution/?cohort=top-2020",
        "/platforms/wechat/?cohort=top-2020",
        "/figures/",
        "/people/",
        "/sources/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers.get("content-security-policy", "")
        if page.locator("[data-figure]").count():
            wait_for_charts(page)
        assert page.console_problems == [], (path, page.console_problems)
