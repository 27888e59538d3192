"""The JSON API: tokens, roles, errors, pagination, bulk metric upserts, the
aggregates equal to the overview, and query counts that stay constant."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.automation import ApiToken
from registry.models import AccountMetric, Organisation, Statement
from tests.factories import (
    editor,
    make_cohort_with_adoption,
    make_figure,
    make_metric,
    make_org,
    make_person,
    make_source,
    make_statement,
    viewer,
)

pytestmark = pytest.mark.django_db


def _auth(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _token(user, **extra):
    return ApiToken.issue(user=user, name="script", **extra)[1]


def _post(client, url, data, raw):
    return client.post(url, json.dumps(data), content_type="application/json", **_auth(raw))


# --------------------------------------------------------------------------- tokens


def test_a_token_reads_and_its_last_use_is_recorded(client):
    cohort, _p = make_cohort_with_adoption(members=3, wechat=2, weibo=1)
    token, raw = ApiToken.issue(user=viewer(), name="script")
    assert token.key_hash != raw and raw not in token.key_hash  # only the hash is stored
    response = client.get(reverse("api:organisation-list"), **_auth(raw))
    assert response.status_code == 200
    assert response.json()["count"] == 3
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "state", [{"revoked_at": timezone.now()}, {"expires_at": timezone.now() - datetime.timedelta(minutes=1)}]
)
def test_revoked_and_expired_tokens_are_refused(client, state):
    token, raw = ApiToken.issue(user=viewer(), name="old")
    ApiToken.objects.filter(pk=token.pk).update(**state)
    response = client.get(reverse("api:platform-list"), **_auth(raw))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_an_unknown_token_and_no_token_are_refused(client):
    assert client.get(reverse("api:platform-list"), **_auth("nmr_nope")).status_code == 401
    response = client.get(reverse("api:platform-list"))
    assert response.status_code in (401, 403)
    assert set(response.json()["error"]) >= {"status", "code", "message"}


def test_viewer_token_cannot_write(client):
    raw = _token(viewer())
    response = _post(client, reverse("api:organisation-list"), {"name_en": "New Co"}, raw)
    assert response.status_code == 403
    assert not Organisation.objects.filter(name_en="New Co").exists()


def test_read_only_token_of_an_editor_cannot_write(client):
    raw = _token(editor(), read_only=True)
    response = _post(client, reverse("api:organisation-list"), {"name_en": "New Co"}, raw)
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "This token is read-only."


def test_editor_token_creates_and_updates_an_organisation(client):
    raw = _token(editor())
    response = _post(client, reverse("api:organisation-list"), {"name_en": "New Co", "aliases": "Xin Gongsi"}, raw)
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.patch(
        reverse("api:organisation-detail", args=[pk]),
        json.dumps({"sector": "energy"}),
        content_type="application/json",
        **_auth(raw),
    )
    assert response.status_code == 200, response.content
    assert Organisation.objects.get(pk=pk).sector == "energy"
    # The same normalised name twice breaks a registry rule: a field error, not a 500.
    response = _post(client, reverse("api:organisation-list"), {"name_en": "new co"}, raw)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_search_finds_aliases(client):
    make_org("China Petroleum", aliases="Zhongguo Shiyou")
    make_org("Other Co")
    raw = _token(viewer())
    response = client.get(reverse("api:organisation-list"), {"q": "shiyou"}, **_auth(raw))
    assert [r["name_en"] for r in response.json()["results"]] == ["China Petroleum"]


def test_search_finds_chinese_names_by_pinyin_initials_and_traditional_characters(client):
    make_org("China Petrochemical Corporation", name_zh="中国石化")
    make_org("Other Co")
    raw = _token(viewer())
    for q in ("zgsh", "zhongguoshihua", "中國石化"):
        response = client.get(reverse("api:organisation-list"), {"q": q}, **_auth(raw))
        assert [r["name_zh"] for r in response.json()["results"]] == ["中国石化"], q


def test_editor_creates_a_statement(client):
    source = make_source()
    raw = _token(editor())
    response = _post(
        client,
        reverse("api:statement-list"),
        {"quote": "We opened a Douyin account.", "source": source.pk, "platforms": []},
        raw,
    )
    assert response.status_code == 201, response.content
    assert Statement.objects.get().quote_key


def test_the_token_page_shows_a_new_token_once_and_revokes_it(client):
    user = editor()
    client.force_login(user)
    response = client.post(reverse("dashboard:token_list"), {"name": "laptop", "read_only": ""})
    assert response.status_code == 200
    raw = response.context["created"]["raw"]
    assert raw in response.content.decode()
    assert raw not in client.get(reverse("dashboard:token_list")).content.decode()
    token = ApiToken.objects.get(user=user)
    assert not token.read_only
    client.post(reverse("dashboard:token_revoke", args=[token.pk]))
    assert client.get(reverse("api:platform-list"), **_auth(raw)).status_code == 401


def test_a_viewers_token_is_marked_read_only(client):
    client.force_login(viewer())
    client.post(reverse("dashboard:token_list"), {"name": "laptop"})
    assert ApiToken.objects.get().read_only


def test_the_token_page_rejects_a_past_expiry(client):
    client.force_login(viewer())
    response = client.post(reverse("dashboard:token_list"), {"name": "x", "expires_on": "2000-01-01"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_rate_limit_per_token(client, settings):
    rest = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "2/minute"}}
    settings.REST_FRAMEWORK = rest
    from rest_framework.settings import api_settings

    api_settings.reload()
    from api.throttling import TokenRateThrottle

    TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        first, second = _token(viewer()), _token(viewer())
        url = reverse("api:platform-list")
        assert [client.get(url, **_auth(first)).status_code for _ in range(3)] == [200, 200, 429]
        assert client.get(url, **_auth(second)).status_code == 200  # another token has its own budget
        assert client.get(url, **_auth(first)).json()["error"]["code"] == "throttled"
    finally:
        settings.REST_FRAMEWORK = {**rest, "DEFAULT_THROTTLE_RATES": {"token": "1000/hour"}}
        api_settings.reload()
        TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


# --------------------------------------------------------------------------- errors, pagination, ordering


def test_errors_have_one_format(client):
    raw = _token(viewer())
    response = client.get(reverse("api:organisation-detail", args=[999999]), **_auth(raw))
    assert response.status_code == 404
    assert response.json() == {
        "error": {"status": 404, "code": "not_found", "message": response.json()["error"]["message"]}
    }
    response = client.get(reverse("api:adoption-by-platform"), {"as_of": "not a date"}, **_auth(raw))
    assert response.status_code == 400
    assert "as_of" in response.json()["error"]["details"]


def test_pagination_and_ordering(client):
    for name in ("Beta", "Alpha", "Gamma"):
        make_org(name)
    raw = _token(viewer())
    url = reverse("api:organisation-list")
    body = client.get(url, {"page_size": 2, "ordering": "-name_en"}, **_auth(raw)).json()
    assert body["count"] == 3 and [r["name_en"] for r in body["results"]] == ["Gamma", "Beta"]
    assert body["next"]
    assert client.get(url, {"page": 9}, **_auth(raw)).status_code == 404


# --------------------------------------------------------------------------- bulk metrics


def _rows(accounts, days, base=1000):
    start = datetime.date(2024, 1, 1)
    return [
        {"account": a.pk, "date": (start + datetime.timedelta(days=d)).isoformat(), "followers": base + d}
        for a in accounts
        for d in range(days)
    ]


def test_bulk_upsert_is_idempotent(client):
    cohort, platforms = make_cohort_with_adoption(members=3, wechat=3, weibo=0)
    accounts = list(platforms["wechat"].accounts.all())
    raw = _token(editor())
    url = reverse("api:metric-bulk")
    response = _post(client, url, {"rows": _rows(accounts, 2)}, raw)
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 6, "updated": 0, "unchanged": 0}
    assert _post(client, url, {"rows": _rows(accounts, 2)}, raw).json() == {"created": 0, "updated": 0, "unchanged": 6}
    assert _post(client, url, {"rows": _rows(accounts, 2, base=5)}, raw).json() == {
        "created": 0,
        "updated": 6,
        "unchanged": 0,
    }
    assert AccountMetric.objects.count() == 6
    assert set(AccountMetric.objects.values_list("followers", flat=True)) == {5, 6}
    # History is kept for bulk writes too.
    assert AccountMetric.history.count() == 12


def test_one_bad_row_rejects_the_batch_with_an_error_per_row(client):
    cohort, platforms = make_cohort_with_adoption(members=1, wechat=1, weibo=0)
    account = platforms["wechat"].accounts.get()
    raw = _token(editor())
    rows = [
        {"account": account.pk, "date": "2024-01-01", "followers": 10},
        {"account": 999999, "date": "2024-01-01", "followers": 10},
        {"account": account.pk, "date": "2024-13-01", "followers": 10},
        {"account": account.pk, "date": "2024-01-01", "followers": 11},
        {"account": account.pk, "date": "2024-01-02", "followers": -1},
    ]
    response = _post(client, reverse("api:metric-bulk"), {"rows": rows}, raw)
    assert response.status_code == 400
    errors = response.json()["error"]["details"]["rows"]
    assert len(errors) == 5
    assert errors[0] == {}
    assert "date" in errors[2] and "followers" in errors[4]
    # The first pass stops at field errors; fix them and the database checks follow.
    rows[2]["date"], rows[4]["followers"] = "2024-01-03", 1
    errors = _post(client, reverse("api:metric-bulk"), {"rows": rows}, raw).json()["error"]["details"]["rows"]
    assert "account" in errors[1] and "date" in errors[3] and errors[0] == {}
    assert not AccountMetric.objects.exists()


def test_bulk_takes_at_most_500_rows(client):
    raw = _token(editor())
    rows = [{"account": 1, "date": "2024-01-01", "followers": 1}] * 501
    response = _post(client, reverse("api:metric-bulk"), {"rows": rows}, raw)
    assert response.status_code == 400
    assert "rows" in response.json()["error"]["details"]


def test_bulk_query_count_does_not_grow_with_the_batch(client, django_assert_num_queries):
    cohort, platforms = make_cohort_with_adoption(members=20, wechat=20, weibo=0)
    accounts = list(platforms["wechat"].accounts.all())
    raw = _token(editor())
    url = reverse("api:metric-bulk")
    # (Beyond the database's limit of parameters per statement, SQLite splits the
    # inserts into batches; 40 rows stay well within it.)
    for days in (1, 2):
        make_metric(accounts[0], datetime.date(2024, 1, 1), followers=1)  # one update among the inserts
        # Token (+user), last use, user and group permissions, accounts named,
        # existing snapshots, SAVEPOINT, insert, history insert, update,
        # history insert, RELEASE SAVEPOINT.
        with django_assert_num_queries(12):
            response = _post(client, url, {"rows": _rows(accounts, days, base=100 * days)}, raw)
        assert response.status_code == 200, response.content
        AccountMetric.objects.all().delete()


# --------------------------------------------------------------------------- aggregates equal the page


def test_adoption_aggregate_equals_the_overview(client):
    cohort, _platforms = make_cohort_with_adoption(members=10, wechat=7, weibo=3)
    user = viewer()
    raw = _token(user)
    query = {"cohort": cohort.slug}
    api = client.get(reverse("api:adoption-by-platform"), query, **_auth(raw)).json()
    client.force_login(user)
    page = client.get(reverse("dashboard:overview"), query)
    cards = {c["row"].slug: (c["row"].adopters, c["row"].cohort_size) for c in page.context["cards"]}
    assert {r["platform"]: (r["adopters"], r["organisations"]) for r in api["rows"]} == cards
    assert cards == {"wechat": (7, 10), "weibo": (3, 10)}


def test_group_and_timeline_aggregates(client):
    cohort, _platforms = make_cohort_with_adoption(members=4, wechat=2, weibo=1)
    raw = _token(viewer())
    body = client.get(reverse("api:adoption-by-ownership"), {"cohort": cohort.slug}, **_auth(raw)).json()
    assert sum(r["organisations"] for r in body["rows"]) == 4
    assert sum(r["adopters"]["wechat"] for r in body["rows"]) == 2
    body = client.get(reverse("api:adoption-over-time"), {"cohort": cohort.slug}, **_auth(raw)).json()
    last = {r["platform"]: r["adopters"] for r in body["rows"]}
    assert last == {"wechat": 2, "weibo": 1}


def test_aggregate_etag_answers_304(client):
    cohort, _platforms = make_cohort_with_adoption(members=2, wechat=1, weibo=1)
    raw = _token(viewer())
    url = reverse("api:adoption-by-platform")
    etag = client.get(url, {"cohort": cohort.slug}, **_auth(raw))["ETag"]
    assert client.get(url, {"cohort": cohort.slug}, HTTP_IF_NONE_MATCH=etag, **_auth(raw)).status_code == 304
    make_org("A change")
    assert client.get(url, {"cohort": cohort.slug}, HTTP_IF_NONE_MATCH=etag, **_auth(raw)).status_code == 200


def test_figures_carry_the_live_check(client):
    cohort, platforms = make_cohort_with_adoption(members=3, wechat=2, weibo=0)
    make_figure(
        cohort=cohort, platform=platforms["wechat"], comparator="at_least", value=2, as_of=datetime.date(2020, 1, 1)
    )
    raw = _token(viewer())
    row = client.get(reverse("api:figure-list"), **_auth(raw)).json()["results"][0]
    assert (row["live"], row["verdict"]) == (2, "consistent")


# --------------------------------------------------------------------------- query counts


def _grow(n):
    cohort, platforms = make_cohort_with_adoption(members=n, wechat=n, weibo=n // 2)
    cohort.name = f"Cohort of {n}"
    cohort.save()
    person = make_person()
    source = make_source()
    for i, account in enumerate(platforms["wechat"].accounts.filter(organisation__memberships__cohort=cohort)):
        make_metric(account, datetime.date(2024, 1, 1), followers=i)
        make_statement(source=source, speaker=person, platforms=[platforms["wechat"]])
        make_figure(cohort=cohort, platform=platforms["wechat"])
        make_person()
        make_source()
    return cohort


# Every request: the token with its user, the last-use update, then for the
# role check the user's permissions and group permissions (4).
AUTH = 4
ENDPOINTS = [
    # count, page
    ("api:organisation-list", {}, AUTH + 1 + 2),  # + cohorts for the filter
    ("api:cohort-list", {}, AUTH + 2),
    ("api:platform-list", {}, AUTH + 1),
    ("api:account-list", {}, AUTH + 2),  # page with its platform joined
    ("api:metric-list", {}, AUTH + 2),
    ("api:person-list", {}, AUTH + 2),
    ("api:source-list", {}, AUTH + 2),
    ("api:statement-list", {}, AUTH + 2 + 2 + 2),  # + platforms and topics for the filter, + prefetches
    ("api:figure-list", {}, AUTH + 3),  # count, page ids, the checks
    ("api:adoption-by-platform", "cohort", AUTH + 2 + 2),  # cohorts, platforms, facts, adopters
    ("api:adoption-over-time", "cohort", AUTH + 2 + 1),
    ("api:adoption-by-ownership", "cohort", AUTH + 2 + 1),
    ("api:adoption-by-sector", "cohort", AUTH + 2 + 1),
]


@pytest.mark.parametrize("name, params, expected", ENDPOINTS)
def test_query_counts_are_constant(client, django_assert_num_queries, name, params, expected):
    from django.core.cache import cache

    user = viewer()
    for size in (3, 12):
        cohort = _grow(size)
        query = {"cohort": cohort.slug} if params == "cohort" else {}
        raw = _token(user)  # a fresh token, so its last use is written each time
        cache.clear()
        with django_assert_num_queries(expected):
            response = client.get(reverse(name), query, **_auth(raw))
        assert response.status_code == 200, response.content


def test_cohort_members_query_count(client, django_assert_num_queries):
    cohort = _grow(5)
    raw = _token(viewer())
    # auth (4), the cohort, the count, the page with organisations joined
    with django_assert_num_queries(AUTH + 3):
        response = client.get(reverse("api:cohort-members", args=[cohort.slug]), **_auth(raw))
    assert response.json()["count"] == 5


def test_schema_and_docs_are_served_by_the_app(client):
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert "/api/v1/metrics/bulk/" in schema.json()["paths"]
    docs = client.get(reverse("api:docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower()
