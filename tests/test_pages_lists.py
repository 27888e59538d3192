"""List pages: companies, people, statements, sources (django-tables2 +
django-filter): filters, search, sorting, pagination, downloads, 400s, empty
database, and query counts that do not grow with the rows."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import Ownership, StatementKind, Topic
from registry.signals import bump_data_version
from tests.factories import (
    add_member,
    make_account,
    make_cohort,
    make_cohort_with_adoption,
    make_org,
    make_person,
    make_platform,
    make_source,
    make_statement,
    viewer,
)

D = datetime.date
COMPANIES = reverse("dashboard:company_list")
PEOPLE = reverse("dashboard:person_list")
STATEMENTS = reverse("dashboard:statement_list")
SOURCES = reverse("dashboard:source_list")


@pytest.fixture
def client_viewer(client, db):
    client.force_login(viewer())
    return client


def count_queries(client, url, params=None) -> int:
    bump_data_version()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx)


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --------------------------------------------------------------------------- companies


@pytest.fixture
def companies(db):
    cohort, platforms = make_cohort_with_adoption(members=3, wechat=2, weibo=1)
    members = [m.organisation for m in cohort.memberships.order_by("rank")]
    members[0].name_en, members[0].name_zh, members[0].aliases = "Sinopec Group", "中国石化", "China Petrochemical"
    members[0].ownership = Ownership.CENTRAL_SOE
    members[0].save()
    outsider = make_org("Tencent", ownership=Ownership.PRIVATE)
    return {"cohort": cohort, "platforms": platforms, "members": members, "outsider": outsider}


def test_company_table_has_a_presence_column_per_main_platform(client_viewer, companies):
    make_platform("toutiao", "Toutiao", display_order=90, is_main=False)
    response = client_viewer.get(COMPANIES, {"cohort": companies["cohort"].slug})
    assert response.status_code == 200
    table = response.context["table"]
    assert [c.name for c in table.columns][-2:] == ["on_wechat", "on_weibo"]
    rows = {r.record.name_en: r.record for r in table.paginated_rows}
    assert len(rows) == 3  # the outsider is not in the cohort
    sinopec = rows["Sinopec Group"]
    assert (sinopec.on_wechat, sinopec.on_weibo, sinopec.platform_count, sinopec.cohort_rank) == (True, True, 2, 1)
    third = next(r for r in rows.values() if r.cohort_rank == 3)
    assert (third.on_wechat, third.on_weibo, third.platform_count) == (False, False, 0)
    content = response.content.decode()
    assert "Toutiao" not in content  # not a main platform
    assert 'class="yes"' in content and 'class="no"' in content


@pytest.mark.parametrize("term", ["sinopec", "中国石化", "petrochemical"])
def test_company_search_matches_english_chinese_and_alias(client_viewer, companies, term):
    response = client_viewer.get(COMPANIES, {"q": term})
    assert [r.record.name_en for r in response.context["table"].paginated_rows] == ["Sinopec Group"]


def test_company_filters_and_as_of(client_viewer, companies):
    response = client_viewer.get(COMPANIES, {"ownership": "private"})
    assert [r.record.name_en for r in response.context["table"].paginated_rows] == ["Tencent"]
    early = client_viewer.get(COMPANIES, {"q": "sinopec", "as_of": "2014-12-31"})
    record = early.context["table"].paginated_rows[0].record
    assert (record.on_wechat, record.platform_count) == (False, 0)  # accounts opened in 2015


def test_company_sorting_and_pagination(client_viewer, companies):
    response = client_viewer.get(COMPANIES, {"cohort": companies["cohort"].slug, "sort": "-on_weibo"})
    assert response.context["table"].paginated_rows[0].record.name_en == "Sinopec Group"
    for i in range(55):
        make_org(f"Zeta {i:02d}")
    page2 = client_viewer.get(COMPANIES, {"page": 2})
    names = [r.record.name_en for r in page2.context["table"].paginated_rows]
    assert len(names) == 59 - 50 and names[-1] == "Zeta 54"
    assert 'href="?page=1"' in page2.content.decode() or "?page=1" in page2.content.decode()


def test_company_csv_has_exactly_the_filtered_rows(client_viewer, companies):
    for i in range(60):  # more than one page: the download has every filtered row, not one page
        org = make_org(f"Filler {i}")
        add_member(companies["cohort"], org, rank=100 + i)
    response = client_viewer.get(COMPANIES, {"cohort": companies["cohort"].slug, "_export": "csv"})
    rows = csv_rows(response)
    assert rows[0][:3] == ["Name", "Chinese name", "Rank"] and rows[0][-2:] == ["WeChat", "Weibo"]
    assert len(rows) == 1 + 63
    sinopec = next(r for r in rows if r[0] == "Sinopec Group")
    assert sinopec[1] == "中国石化" and sinopec[2] == "1" and sinopec[-2:] == ["yes", "yes"]
    assert "Tencent" not in {r[0] for r in rows}
    assert 'filename="companies_' in response["Content-Disposition"]


def test_company_list_bad_filter_is_a_400(client_viewer, companies):
    for params in ({"cohort": "nope"}, {"ownership": "pirate"}, {"as_of": "2021-02-30"}, {"as_of": "1900-01-01"}):
        response = client_viewer.get(COMPANIES, params)
        assert response.status_code == 400, params
        assert b"can&#x27;t be used" in response.content or b"can't be used" in response.content


def test_company_list_empty_database_says_what_to_do(client_viewer):
    response = client_viewer.get(COMPANIES)
    assert response.status_code == 200
    assert b"No companies yet" in response.content and b"make run" in response.content


def test_company_list_query_count_does_not_grow(client_viewer, companies):
    client_viewer.get(COMPANIES)  # warm the session
    params = {"cohort": companies["cohort"].slug}
    small = count_queries(client_viewer, COMPANIES, params)
    for i in range(30):
        org = make_org()
        add_member(companies["cohort"], org, rank=200 + i)
        make_account(org, companies["platforms"]["wechat"])
        make_account(org, companies["platforms"]["weibo"])
    assert count_queries(client_viewer, COMPANIES, params) == small
    # user, user permissions, group permissions, cohorts (filter choices), main
    # platforms, row count, one page of rows with every column annotated, demo banner
    assert small == 8


# --------------------------------------------------------------------------- people


def test_people_list_search_and_latest_position(client_viewer):
    from registry.models import Position

    ann = make_person("Ann Li", name_zh="李安")
    Position.objects.create(person=ann, title="Spokesperson", start_date=D(2019, 1, 1))
    make_person("Bob Wang")
    make_statement("One", speaker=ann)
    response = client_viewer.get(PEOPLE, {"q": "李安"})
    (row,) = response.context["table"].paginated_rows
    assert (row.record.latest_title, row.record.statement_count) == ("Spokesperson", 1)
    rows = csv_rows(client_viewer.get(PEOPLE, {"_export": "csv"}))
    assert [r[0] for r in rows[1:]] == ["Ann Li", "Bob Wang"]


def test_people_list_empty_and_query_count(client_viewer):
    assert b"No people yet" in client_viewer.get(PEOPLE).content
    for _i in range(3):
        make_statement(speaker=make_person())
    small = count_queries(client_viewer, PEOPLE)
    for _i in range(20):
        make_statement(speaker=make_person())
    assert count_queries(client_viewer, PEOPLE) == small
    # user, user permissions, group permissions, row count, page of rows (position
    # and statement count as subqueries), demo banner
    assert small == 6


# --------------------------------------------------------------------------- statements


@pytest.fixture
def statements(db):
    wechat = make_platform("wechat", "WeChat")
    douyin = make_platform("douyin", "Douyin", display_order=30)
    topic = Topic.objects.create(name="Livestreaming", slug="livestreaming")
    ann, bob = make_person("Ann Li"), make_person("Bob Wang")
    org = make_org("China Mobile")
    source = make_source("Interview")
    return {
        "wechat": make_statement(
            "Our WeChat account talks to customers every day",
            speaker=ann,
            organisation=org,
            stated_on=D(2020, 5, 1),
            platforms=[wechat],
            source=source,
        ),
        "douyin": make_statement(
            "Short video is where young people are",
            speaker=bob,
            stated_on=D(2022, 3, 1),
            platforms=[douyin],
            topics=[topic],
            kind=StatementKind.PARAPHRASE,
            source=source,
        ),
        "ann": ann,
        "org": org,
        "topic": topic,
    }


def _quotes(response):
    assert response.status_code == 200
    return [r.record.quote for r in response.context["table"].paginated_rows]


def test_statement_search_and_filters(client_viewer, statements):
    assert _quotes(client_viewer.get(STATEMENTS, {"q": "young"})) == [statements["douyin"].quote]
    assert _quotes(client_viewer.get(STATEMENTS, {"speaker": statements["ann"].pk})) == [statements["wechat"].quote]
    assert _quotes(client_viewer.get(STATEMENTS, {"organisation": statements["org"].pk})) == [
        statements["wechat"].quote
    ]
    assert _quotes(client_viewer.get(STATEMENTS, {"platform": "douyin"})) == [statements["douyin"].quote]
    assert _quotes(client_viewer.get(STATEMENTS, {"topic": "livestreaming"})) == [statements["douyin"].quote]
    assert _quotes(client_viewer.get(STATEMENTS, {"kind": "paraphrase"})) == [statements["douyin"].quote]
    assert _quotes(client_viewer.get(STATEMENTS, {"stated_after": "2021-01-01"})) == [statements["douyin"].quote]
    assert _quotes(client_viewer.get(STATEMENTS, {"stated_before": "2021-01-01"})) == [statements["wechat"].quote]
    assert _quotes(client_viewer.get(STATEMENTS)) == [statements["douyin"].quote, statements["wechat"].quote]


def test_statement_csv_is_the_filtered_rows(client_viewer, statements):
    rows = csv_rows(client_viewer.get(STATEMENTS, {"platform": "wechat", "_export": "csv"}))
    assert rows[0] == ["Date", "Speaker", "Organisation", "Statement", "Kind", "Source"]
    assert rows[1:] == [
        ["2020-05-01", "Ann Li", "China Mobile", statements["wechat"].quote, "Direct quote", "Interview"]
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"speaker": "999999"},
        {"speaker": "x"},
        {"platform": "myspace"},
        {"stated_after": "yesterday"},
        {"kind": "rumour"},
    ],
)
def test_statement_bad_filters_are_400(client_viewer, statements, params):
    assert client_viewer.get(STATEMENTS, params).status_code == 400


def test_statements_empty_and_query_count(client_viewer, statements):
    client_viewer.get(STATEMENTS)  # warm the session
    small = count_queries(client_viewer, STATEMENTS, {"q": "people"})
    for i in range(20):
        make_statement(f"More people say the same {i}", speaker=make_person(), organisation=make_org())
    assert count_queries(client_viewer, STATEMENTS, {"q": "people"}) == small
    # user, user permissions, group permissions, platforms, topics, row count,
    # page of rows with speaker, organisation and source joined, demo banner
    # (speaker and organisation lists hold only a chosen record: no query here)
    assert small == 8
    # A chosen speaker costs one lookup, however many people the registry holds.
    chosen = {"speaker": statements["ann"].pk}  # one matching row, as with the search above
    assert count_queries(client_viewer, STATEMENTS, chosen) == small + 1


def test_statements_empty_database(client_viewer):
    assert b"No statements yet" in client_viewer.get(STATEMENTS).content


# --------------------------------------------------------------------------- sources


def test_sources_list_counts_and_filters(client_viewer, statements):
    other = make_source("Annual report", kind="report", language="zh")
    response = client_viewer.get(SOURCES)
    rows = {r.record.title: r.record.statement_count for r in response.context["table"].paginated_rows}
    assert rows == {"Interview": 2, "Annual report": 0}
    response = client_viewer.get(SOURCES, {"kind": "report"})
    assert [r.record.pk for r in response.context["table"].paginated_rows] == [other.pk]
    assert client_viewer.get(SOURCES, {"language": "klingon"}).status_code == 400


def test_sources_empty_and_query_count(client_viewer):
    assert b"No sources yet" in client_viewer.get(SOURCES).content
    make_statement()
    small = count_queries(client_viewer, SOURCES)
    for _i in range(20):
        make_statement()
    assert count_queries(client_viewer, SOURCES) == small
    # user, user permissions, group permissions, row count, page of rows with the
    # statement count as a subquery, demo banner
    assert small == 6


def test_list_pages_work_without_a_cohort(client_viewer):
    cohort = make_cohort()
    response = client_viewer.get(COMPANIES, {"cohort": cohort.slug})
    assert response.status_code == 200
    assert b"No companies match these filters." in response.content
