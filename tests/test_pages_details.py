"""Detail pages: company, person, source; 404s; query counts that do not grow."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.history import HistoryRow
from registry.models import Activity, ActivityKind, DatePrecision, Position
from registry.signals import bump_data_version
from tests.factories import (
    add_member,
    make_account,
    make_cohort,
    make_figure,
    make_metric,
    make_org,
    make_person,
    make_platform,
    make_source,
    make_statement,
    viewer,
)

D = datetime.date


@pytest.fixture
def client_viewer(client, db):
    client.force_login(viewer())
    return client


def count_queries(client, url) -> int:
    bump_data_version()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.fixture
def company(db):
    wechat = make_platform("wechat", "WeChat")
    source = make_source("Company profile", publisher="Xinhua", url="https://example.org/profile")
    account_source = make_source("Account list")
    org = make_org(
        "China Mobile Communications Group",
        name_zh="中国移动",
        short_name="China Mobile",
        aliases="CMCC",
        province="Beijing",
    )
    cohort = make_cohort("Fortune China 500", year=2021)
    add_member(cohort, org, rank=7)
    account = make_account(
        org,
        wechat,
        opened_on=D(2013, 5, 1),
        opened_precision=DatePrecision.MONTH,
        display_name="中国移动微信",
        url="https://mp.weixin.qq.com/cmcc",
        source=account_source,
    )
    make_metric(account, D(2020, 1, 1), followers=1200)
    make_metric(account, D(2021, 1, 1), followers=2500)
    ann = make_person("Ann Li")
    Position.objects.create(person=ann, organisation=org, title="Spokesperson", source=source)
    statement = make_statement(
        "We speak to the public on WeChat every day.",
        speaker=ann,
        organisation=org,
        source=source,
        stated_on=D(2021, 3, 1),
    )
    Activity.objects.create(
        kind=ActivityKind.LIVESTREAMING,
        organisation=org,
        person=ann,
        count=12,
        description="Twelve livestreams on Douyin",
        source=source,
    )
    return {
        "org": org,
        "account": account,
        "statement": statement,
        "ann": ann,
        "source": source,
        "account_source": account_source,
        "cohort": cohort,
        "wechat": wechat,
    }


def test_company_detail_shows_everything(client_viewer, company):
    history = [
        HistoryRow(
            when=datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.UTC),
            who="editor1",
            model="Organisation",
            record="China Mobile",
            action="changed",
            changes=[("province", "", "Beijing")],
        )
    ]
    with mock.patch("dashboard.views.pages.organisation_history", return_value=history) as reader:
        response = client_viewer.get(reverse("dashboard:company_detail", args=[company["org"].pk]))
    assert response.status_code == 200
    reader.assert_called_once_with(company["org"])
    content = response.content.decode()
    assert "中国移动" in content and "CMCC" in content
    assert "中国移动微信" in content and "https://mp.weixin.qq.com/cmcc" in content
    assert "2013-05" in content  # opened_display at month precision
    assert '#7</strong> in <span translate="no">Fortune China 500' in content
    assert "We speak to the public on WeChat every day." in content
    assert "Twelve livestreams on Douyin" in content
    assert {s.title for s in response.context["sources"]} == {"Company profile", "Account list"}
    assert response.context["panel"]["chart"].slug == "company-followers"
    assert response.context["panel"]["query"] == f"company={company['org'].pk}"  # for its downloads
    assert [r[3] for r in response.context["panel"]["chart"].rows] == [1200, 2500]
    assert [a.display_name for a in response.context["accounts"]] == ["中国移动微信"]  # once, not once per snapshot
    assert 'data-figure="fig-company-followers"' in content
    assert "province" in content and "editor1" in content  # the change history


def test_company_without_metrics_has_no_chart(client_viewer):
    org = make_org("Quiet Company")
    response = client_viewer.get(reverse("dashboard:company_detail", args=[org.pk]))
    assert response.status_code == 200
    assert response.context["panel"] is None
    assert b"No account recorded" in response.content


def test_unknown_ids_are_404(client_viewer):
    for name in ("dashboard:company_detail", "dashboard:person_detail", "dashboard:source_detail"):
        assert client_viewer.get(reverse(name, args=[987654])).status_code == 404


def test_company_detail_query_count_does_not_grow(client_viewer, company):
    url = reverse("dashboard:company_detail", args=[company["org"].pk])
    client_viewer.get(url)  # warm the session
    small = count_queries(client_viewer, url)
    for i in range(10):
        account = make_account(company["org"], make_platform(f"p{i}", f"Platform {i}"), source=make_source())
        make_metric(account, D(2021, 1, 1), followers=i)
        make_statement(organisation=company["org"], speaker=make_person())
        add_member(make_cohort(f"List {i}", year=2000 + i), company["org"], rank=i + 1)
    assert count_queries(client_viewer, url) == small
    # user, user permissions, group permissions, organisation, accounts with their
    # follower snapshots (one LEFT JOIN), statements, activities, memberships,
    # change history, demo banner
    assert small == 10


def test_person_detail(client_viewer, company):
    url = reverse("dashboard:person_detail", args=[company["ann"].pk])
    response = client_viewer.get(url)
    content = response.content.decode()
    assert "Spokesperson" in content and "China Mobile" in content
    assert "We speak to the public on WeChat every day." in content
    assert f"?speaker={company['ann'].pk}" in content
    small = count_queries(client_viewer, url)
    for _ in range(10):
        make_statement(speaker=company["ann"])
    assert count_queries(client_viewer, url) == small
    # user, user permissions, group permissions, person, positions, statements,
    # activities, demo banner
    assert small == 8


def test_source_detail_lists_everything_citing_it(client_viewer, company):
    source = company["source"]
    make_metric(company["account"], D(2022, 1, 1), followers=3000, source=source)
    make_figure("More than 400 are on WeChat", source=source, cohort=company["cohort"], platform=company["wechat"])
    url = reverse("dashboard:source_detail", args=[source.pk])
    response = client_viewer.get(url)
    assert response.status_code == 200
    ctx = response.context
    assert [len(ctx[k]) for k in ("statements", "activities", "figures", "positions", "accounts")] == [1, 1, 1, 1, 0]
    assert ctx["source"].metric_count == 1
    assert b"1 metric snapshot" in response.content and b"More than 400 are on WeChat" in response.content
    small = count_queries(client_viewer, url)
    for _ in range(10):
        make_statement(source=source, speaker=make_person())
        make_metric(make_account(make_org(), company["wechat"], source=source), D(2022, 1, 1), 5, source=source)
    assert count_queries(client_viewer, url) == small
    # user, user permissions, group permissions, source with its metric count,
    # statements, activities, figures, positions, accounts, demo banner
    assert small == 10
