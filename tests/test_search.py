"""Full-text search over statements and sources (registry/statements/search.py), on the
database the tests run on: SQLite's portable fallback or PostgreSQL's
full-text search with its GIN indexes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import Source, Statement
from registry.statements.search import search_sources, search_statements
from tests.factories import make_org, make_person, make_source, make_statement, viewer

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search only")


@pytest.fixture
def data(db):
    lyu = make_person("Lyu Dapeng", name_zh="吕大鹏", aliases="Lü Dapeng")
    li = make_person("Li Zhengmao")
    sinopec = make_org("China Petrochemical Corporation", short_name="Sinopec")
    telecom = make_org("China Telecom Corp Ltd", short_name="China Telecom")
    return {
        "media": make_statement(
            "The integrated development of traditional media and new media helps build a more efficient "
            "communication system",
            speaker=lyu,
            organisation=sinopec,
            role="spokesperson",
        ),
        "wuhan": make_statement(
            "Early last year, construction, power and communications enterprises worked together to build "
            "emergency specialty hospitals in Wuhan",
            speaker=li,
            organisation=telecom,
            role="general manager",
        ),
        "live": make_statement(
            "Millions of people were watching a livestreaming session; livestreaming made the media revolution visible",
            speaker=li,
            organisation=telecom,
            role="general manager",
        ),
        "html": make_statement("Our <script>alert(1)</script> media & account grew", speaker=lyu),
    }


def _search(text):
    return list(search_statements(Statement.objects.select_related("speaker", "organisation"), text))


def test_finds_statements_by_words_in_the_quote(data):
    assert [s.pk for s in _search("hospitals Wuhan")] == [data["wuhan"].pk]
    assert {s.pk for s in _search("media")} == {data["media"].pk, data["live"].pk, data["html"].pk}


def test_every_word_must_match(data):
    assert _search("hospitals Weibo") == []
    assert [s.pk for s in _search("HOSPITALS emergency")] == [data["wuhan"].pk]


def test_words_may_match_the_speaker_role_and_organisation(data):
    # The speaker's alias, his Chinese name and the organisation's short name join words in the quote.
    assert [s.pk for s in _search("Lyu efficient")] == [data["media"].pk]
    assert [s.pk for s in _search("吕大鹏 efficient")] == [data["media"].pk]
    assert [s.pk for s in _search("Sinopec efficient")] == [data["media"].pk]
    assert [s.pk for s in _search("spokesperson efficient")] == [data["media"].pk]
    assert {s.pk for s in _search("Zhengmao")} == {data["wuhan"].pk, data["live"].pk}


def test_quote_matches_rank_before_name_matches_and_rank_is_annotated(data):
    named = make_statement("We talk to customers", speaker=make_person("Media Person"))
    found = _search("media")
    assert found[-1].pk == named.pk  # "media" only in the speaker's name: last
    assert all(hasattr(s, "rank") for s in found)


def test_headline_marks_the_words_and_is_safe_html(data):
    (hit,) = _search("hospitals")
    assert "<mark>hospitals</mark>" in hit.headline
    (html,) = _search("account")
    assert "<script>" not in html.headline
    assert "&lt;script&gt;" in html.headline and "&amp;" in html.headline
    assert "<mark>account</mark>" in html.headline


def test_no_words_leaves_the_queryset_alone(data):
    queryset = Statement.objects.all()
    assert search_statements(queryset, "   ") is queryset
    assert search_sources(Source.objects.all(), "") is not None


def test_search_costs_one_query(data):
    with CaptureQueriesContext(connection) as ctx:
        rows = _search("media livestreaming")
        [row.headline for row in rows]
    assert len(ctx) == 1
    assert [r.pk for r in rows] == [data["live"].pk]


def test_sources_are_found_by_title_and_text(db):
    wechat = make_source("WeChat accounts of SOEs", full_text="More than 400 companies opened accounts.")
    other = make_source("Annual report", full_text="Our WeChat account grew; WeChat matters.")
    make_source("Unrelated", full_text="Nothing here.")
    found = list(search_sources(Source.objects.all(), "wechat"))
    assert [s.pk for s in found] == [wechat.pk, other.pk]  # the title match first
    assert [s.pk for s in search_sources(Source.objects.all(), "wechat companies")] == [wechat.pk]
    assert "<mark>" in found[1].headline or "<mark>" in found[0].headline


def test_statement_list_shows_the_highlighted_snippet(client, data):
    client.force_login(viewer())
    response = client.get(reverse("dashboard:statement_list"), {"q": "hospitals"})
    assert response.status_code == 200
    assert b"<mark>hospitals</mark>" in response.content
    response = client.get(reverse("dashboard:statement_list"), {"q": "account"})
    assert b"<script>alert" not in response.content


# --------------------------------------------------------------------------- PostgreSQL only


@on_postgres
def test_postgres_ranks_by_relevance_and_stems(data):
    found = _search("livestream")  # stemmed: finds "livestreaming"
    assert [s.pk for s in found] == [data["live"].pk]
    found = _search("media")
    # "live" and "media" both hold "media" in the quote; the speaker-name match ranks below both.
    assert found[0].rank >= found[1].rank >= found[-1].rank
    assert found[-1].pk == data["html"].pk or found[-1].rank <= found[0].rank


@on_postgres
def test_postgres_websearch_syntax(data):
    assert [s.pk for s in _search('"emergency specialty hospitals"')] == [data["wuhan"].pk]
    assert [s.pk for s in _search('"hospitals specialty"')] == []
    assert {s.pk for s in _search("media -livestreaming")} == {data["media"].pk, data["html"].pk}
    assert {s.pk for s in _search("hospitals or livestreaming")} == {data["wuhan"].pk, data["live"].pk}


@on_postgres
@pytest.mark.django_db
def test_postgres_search_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN "
            "('statement_search_idx', 'source_search_idx') ORDER BY indexname"
        )
        rows = dict(cursor.fetchall())
    assert set(rows) == {"statement_search_idx", "source_search_idx"}
    assert "USING gin" in rows["statement_search_idx"] and "to_tsvector" in rows["statement_search_idx"]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@on_postgres
@pytest.mark.django_db(transaction=False)
def test_postgres_planner_uses_the_indexes(data):
    # Seq scans discouraged so the tiny test table does not hide whether the
    # index expression matches the query's: an unusable index would still give a Seq Scan.
    plan = _plan(search_statements(Statement.objects.all(), "hospitals"))
    assert "statement_search_idx" in plan, plan
    plan = _plan(search_sources(Source.objects.all(), "wechat"))
    assert "source_search_idx" in plan, plan
