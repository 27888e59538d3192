"""Chart data cached per filter state, invalidated by every registry write;
ETag / Last-Modified on dashboard pages with 304 before the view runs."""

import datetime
import pickle
import socket
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.catalogue import build_chart
from dashboard.filters import reference_rows, scope_from_request
from registry.models import Account, Organisation
from registry.signals import bump_data_version, data_version
from tests.factories import add_member, editor, make_account, make_cohort_with_adoption, make_org, viewer

URL = reverse("dashboard:overview")


def _scope(**params):
    cohorts, platforms = reference_rows()
    scope, _ = scope_from_request(params, cohorts=cohorts, platforms=platforms)
    return scope


def _timeline_total(chart) -> int:
    """The last cumulative value of every platform in the adoption timeline."""
    last = {}
    for platform, _month, adopters in chart.rows:
        last[platform] = adopters
    return sum(last.values())


@pytest.fixture
def cohort(db):
    cohort, _ = make_cohort_with_adoption(members=5, wechat=3, weibo=2)
    return cohort


# --------------------------------------------------------------------------- chart data


def test_second_build_with_the_same_filters_costs_no_query(cohort, django_assert_num_queries):
    scope = _scope(cohort=cohort.slug)
    first = build_chart("adoption-over-time", scope)
    with django_assert_num_queries(0):
        second = build_chart("adoption-over-time", scope)
    assert second.rows == first.rows
    assert second.figure == first.figure


def test_other_filters_are_other_cache_entries(cohort, django_assert_num_queries):
    build_chart("adoption-over-time", _scope(cohort=cohort.slug))
    earlier = _scope(cohort=cohort.slug, as_of="2014-12-31")
    one_platform = _scope(cohort=cohort.slug, platform=["weibo"])
    # The timeline's single query runs again for a different as-of date and a different platform set.
    with django_assert_num_queries(1):
        early = build_chart("adoption-over-time", earlier)
    with django_assert_num_queries(1):
        build_chart("adoption-over-time", one_platform)
    assert early.rows == []


def test_orm_write_is_visible_on_the_next_build(cohort):
    scope = _scope(cohort=cohort.slug)
    assert _timeline_total(build_chart("adoption-over-time", scope)) == 5
    org = make_org()
    add_member(cohort, org, rank=99)
    make_account(org, Account.objects.first().platform)
    assert _timeline_total(build_chart("adoption-over-time", _scope(cohort=cohort.slug))) == 6


def test_orm_write_is_visible_on_the_next_page_request(client, cohort):
    client.force_login(viewer())
    before = client.get(URL, {"cohort": cohort.slug})
    timeline = next(p["chart"] for p in before.context["panels"] if p["chart"].slug == "adoption-over-time")
    assert _timeline_total(timeline) == 5
    org = make_org()
    add_member(cohort, org, rank=98)
    make_account(org, Account.objects.first().platform)
    after = client.get(URL, {"cohort": cohort.slug}, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    timeline = next(p["chart"] for p in after.context["panels"] if p["chart"].slug == "adoption-over-time")
    assert _timeline_total(timeline) == 6


def test_delete_and_m2m_changes_bump_the_data_version(cohort):
    from tests.factories import make_platform, make_source

    version = data_version()
    Account.objects.first().delete()
    assert data_version() != version

    version = data_version()
    from registry.models import Statement

    statement = Statement.objects.create(quote="We will open more accounts.", source=make_source())
    version = data_version()
    statement.platforms.add(make_platform("douyin", "Douyin"))
    assert data_version() != version


def test_bulk_write_followed_by_bump_is_visible(cohort):
    """Bulk paths send no model signals; they call ``bump_data_version()``."""
    scope = _scope(cohort=cohort.slug)
    assert _timeline_total(build_chart("adoption-over-time", scope)) == 5
    Account.objects.filter(organisation__memberships__cohort=cohort).update(closed_on=datetime.date(2016, 1, 1))
    bump_data_version()
    assert _timeline_total(build_chart("adoption-over-time", scope)) == 0


def test_chart_data_pickles(cohort):
    chart = build_chart("adoption-by-platform", _scope(cohort=cohort.slug))
    copy = pickle.loads(pickle.dumps(chart))  # noqa: S301 - our own bytes, as the cache does
    assert copy.rows == chart.rows and copy.native == chart.native and copy.meta == chart.meta
    assert copy.figure == chart.figure


def test_a_cached_figure_is_a_copy_the_caller_may_change(cohort):
    """Exports add their footer to a copy; even a caller that edits the figure it
    got cannot change what the next request reads from the cache."""
    scope = _scope(cohort=cohort.slug)
    build_chart("adoption-by-platform", scope)
    cached = build_chart("adoption-by-platform", scope)
    cached.figure["layout"]["height"] = 1
    assert build_chart("adoption-by-platform", scope).figure["layout"]["height"] != 1


def test_admin_edit_is_visible_on_the_next_request(client, cohort):
    client.force_login(editor())
    before = client.get(URL, {"cohort": cohort.slug})
    timeline = next(p["chart"] for p in before.context["panels"] if p["chart"].slug == "adoption-over-time")
    assert _timeline_total(timeline) == 5

    account = Account.objects.filter(platform__slug="wechat").first()
    change = reverse("admin:registry_account_change", args=[account.pk])
    form = client.get(change).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "closed_on": "2016-01-01",
            "status": "closed",
            "opened_on": "2015-01-01",
            "metrics-TOTAL_FORMS": "0",
            "metrics-INITIAL_FORMS": "0",
            "metrics-MIN_NUM_FORMS": "0",
            "metrics-MAX_NUM_FORMS": "1000",
        }
    )
    assert client.post(change, data).status_code == 302

    # The browser revalidates with its old ETag: the write makes it stale, so the page is rebuilt.
    after = client.get(URL, {"cohort": cohort.slug}, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    timeline = next(p["chart"] for p in after.context["panels"] if p["chart"].slug == "adoption-over-time")
    assert _timeline_total(timeline) == 4


# --------------------------------------------------------------------------- HTTP validators


@pytest.fixture
def viewer_client(client, cohort):
    client.force_login(viewer())
    return client


def test_dashboard_pages_carry_validators(viewer_client, cohort):
    response = viewer_client.get(URL, {"cohort": cohort.slug})
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert "Cookie" in response["Vary"]
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]


def test_reload_with_current_etag_is_304_without_running_the_view(viewer_client, cohort):
    first = viewer_client.get(URL, {"cohort": cohort.slug})
    with CaptureQueriesContext(connection) as queries:
        again = viewer_client.get(URL, {"cohort": cohort.slug}, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    # Session and data version come from the cache; left: user, user and group permissions.
    assert len(queries) <= 3
    assert not any("registry_" in q["sql"] for q in queries.captured_queries)


def test_weak_etag_from_a_compressing_proxy_matches(viewer_client, cohort):
    first = viewer_client.get(URL, {"cohort": cohort.slug})
    again = viewer_client.get(URL, {"cohort": cohort.slug}, headers={"if-none-match": "W/" + first["ETag"]})
    assert again.status_code == 304


def test_if_modified_since_gives_304_until_the_next_write(viewer_client, cohort):
    first = viewer_client.get(URL, {"cohort": cohort.slug})
    since = {"if-modified-since": first["Last-Modified"]}
    assert viewer_client.get(URL, {"cohort": cohort.slug}, headers=since).status_code == 304
    Organisation.objects.filter(pk=Organisation.objects.first().pk).first().save()
    bump_data_version()  # Last-Modified has one-second resolution; a bump in the same second still changes the ETag
    response = viewer_client.get(URL, {"cohort": cohort.slug}, headers={"if-none-match": first["ETag"], **since})
    assert response.status_code == 200


def test_etag_differs_by_path_query_and_user(client, cohort):
    client.force_login(viewer())
    a = client.get(URL, {"cohort": cohort.slug})["ETag"]
    b = client.get(URL, {"cohort": cohort.slug, "as_of": "2020-01-01"})["ETag"]
    client.force_login(viewer())
    c = client.get(URL, {"cohort": cohort.slug})["ETag"]
    assert len({a, b, c}) == 3
    # Another user's ETag is no good for this one.
    assert client.get(URL, {"cohort": cohort.slug}, headers={"if-none-match": a}).status_code == 200


def test_etag_differs_by_language(viewer_client, cohort):
    from django.utils import translation

    english = viewer_client.get(URL, {"cohort": cohort.slug}, headers={"accept-language": "en"})
    chinese = viewer_client.get(
        URL, {"cohort": cohort.slug}, headers={"accept-language": "zh-hans", "if-none-match": english["ETag"]}
    )
    translation.deactivate()  # the locale middleware left Chinese active in this thread
    # The page the browser holds is English: the Chinese one is sent in full.
    assert chinese.status_code == 200 and chinese["ETag"] != english["ETag"]
    assert "Accept-Language" in chinese["Vary"]


def test_etag_changes_with_the_date(viewer_client, cohort):
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)):
        etag = viewer_client.get(URL, {"cohort": cohort.slug})["ETag"]
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)):
        response = viewer_client.get(URL, {"cohort": cohort.slug}, headers={"if-none-match": etag})
    assert response.status_code == 200


def test_bad_filters_and_other_statuses_get_no_etag(viewer_client, cohort):
    response = viewer_client.get(URL, {"as_of": "2021-13-45"})
    assert response.status_code == 400
    assert not response.has_header("ETag")


def test_briefing_pages_are_always_rendered(viewer_client, cohort):
    """A briefing changes without a registry write, so its pages carry no validator."""
    from registry.models import Briefing

    user = viewer_client.get(URL).wsgi_request.user
    briefing = Briefing.objects.create(owner=user, title="Board pack")
    url = reverse("dashboard:briefing_detail", args=[briefing.uuid])
    first = viewer_client.get(url)
    assert first.status_code == 200 and not first.has_header("ETag")
    assert viewer_client.get(url, headers={"if-none-match": "*"}).status_code == 200


def test_anonymous_and_role_less_users_are_not_answered_with_304(client, cohort, django_user_model):
    response = client.get(URL, headers={"if-none-match": "*"})
    assert response.status_code == 302
    client.force_login(django_user_model.objects.create_user("nobody", password="a-long-test-password"))
    assert client.get(URL, headers={"if-none-match": "*"}).status_code == 403


# --------------------------------------------------------------------------- Redis


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_chart_cache_and_invalidation_through_redis(settings, cohort, django_assert_num_queries):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "nmr-test",
            "TIMEOUT": 60,
        }
    }
    from django.core.cache import cache

    assert (
        "Redis" in type(cache._cache if hasattr(cache, "_cache") else cache).__name__
        or "redis" in str(type(cache)).lower()
    )
    cache.clear()
    try:
        scope = _scope(cohort=cohort.slug)
        assert _timeline_total(build_chart("adoption-over-time", scope)) == 5
        with django_assert_num_queries(0):
            build_chart("adoption-over-time", scope)
        Account.objects.filter(platform__slug="weibo").first().delete()
        assert _timeline_total(build_chart("adoption-over-time", scope)) == 4
    finally:
        cache.clear()


@pytest.mark.django_db(transaction=True)
def test_data_version_moves_again_when_the_write_commits():
    from django.db import transaction

    from registry.signals import data_version
    from tests.factories import make_org

    before = data_version()
    with transaction.atomic():
        make_org("Committed later Co")
        inside = data_version()
        assert inside != before
    assert data_version() != inside  # bumped again on commit


# --------------------------------------------------------------------------- one rebuild per write


REDIS_TEST_CACHE = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:6379/15",
    "KEY_PREFIX": "nmr-test-flight",
    "TIMEOUT": 60,
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_concurrent_requests_after_a_write_rebuild_the_chart_once(backend, settings):
    """Eight viewers ask for the same chart page at the same moment after a
    write: one request runs the chart's query, the others take the previous
    version or wait for the new one. With Redis as the cache the lock is a Redis
    key (SET NX), shared by workers."""
    import threading

    from django.core.cache import cache
    from django.test import Client

    from dashboard import caching

    if backend == "redis":
        if not _redis_reachable():
            pytest.skip("no Redis on 127.0.0.1:6379")
        settings.CACHES = {"default": REDIS_TEST_CACHE}
        cache.clear()
    cohort, _ = make_cohort_with_adoption(members=5, wechat=3, weibo=2)
    user = viewer()
    url = reverse("dashboard:chart", kwargs={"slug": "adoption-over-time"})
    warm = Client()
    warm.force_login(user)
    assert warm.get(url, {"cohort": cohort.slug}).status_code == 200  # session and templates warm
    make_org("Written just now Co")  # a write: the chart's cache entry is gone

    users, barrier, lock = 8, threading.Barrier(8), threading.Lock()
    timelines, statuses, errors = [], [], []

    def slow_timeline(execute, sql, params, many, context):
        if "WITH spans" in sql:
            with lock:
                timelines.append(sql)
            time.sleep(0.3)  # a slow build, so the other requests arrive while it runs
        return execute(sql, params, many, context)

    def visit():
        from django.db import connection as thread_connection

        try:
            client = Client()
            client.cookies = warm.cookies  # the same logged-in session: no session writes
            barrier.wait(timeout=10)
            with thread_connection.execute_wrapper(slow_timeline):
                response = client.get(url, {"cohort": cohort.slug})
            with lock:
                statuses.append((response.status_code, _timeline_total(response.context["chart"])))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            thread_connection.close()

    caching.stats.reset()
    threads = [threading.Thread(target=visit) for _ in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors[:3]
    assert statuses == [(200, 3 + 2)] * users  # everyone got the chart, with the data
    assert len(timelines) == 1  # the chart's query ran once
    # The others took the chart as it was before the write, waited for the new one,
    # or (arriving after it was built) read it.
    flight = caching.stats
    assert flight.computed == 1 and flight.waited + flight.previous + flight.hits == users - 1
    if backend == "redis":
        from django.core.cache import caches

        assert "Redis" in type(caches["default"]).__name__
        cache.clear()


def test_a_failed_computation_lets_the_next_caller_compute(db):
    from dashboard.caching import single_flight

    def broken():
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        single_flight("test:failing", broken)
    assert single_flight("test:failing", lambda: "made") == "made"  # the lock was released
    assert single_flight("test:failing", lambda: "not called") == "made"


def test_a_waiter_computes_itself_when_the_lock_holder_never_finishes(db):
    from django.core.cache import cache

    from dashboard.caching import LOCK_SUFFIX, single_flight

    cache.add("test:stuck" + LOCK_SUFFIX, "someone-else", timeout=60)  # a worker that died mid-build
    started = time.monotonic()
    assert single_flight("test:stuck", lambda: "made", wait=0.2) == "made"
    assert time.monotonic() - started < 2


# --------------------------------------------------------------------------- cached images and packs


@pytest.fixture
def fake_renderer(monkeypatch):
    """Counts renders; returns bytes that name the figure's title and footer."""
    from dashboard import rendering

    calls = []

    def render(figure, *, fmt, width, height, scale=1):
        calls.append(fmt)
        texts = [figure["layout"]["title"]["text"]] + [a["text"] for a in figure["layout"]["annotations"]]
        return f"{fmt}:{scale}:{len(calls)}:{'|'.join(texts)}".encode()

    monkeypatch.setattr(rendering.renderer, "render", render)
    return calls


def test_a_repeated_image_download_is_a_cache_read(client, cohort, fake_renderer):
    client.force_login(viewer())
    url = reverse("dashboard:chart_export", kwargs={"slug": "adoption-by-platform", "fmt": "png"})
    first = client.get(url, {"cohort": cohort.slug})
    assert first.status_code == 200 and fake_renderer == ["png"]
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url, {"cohort": cohort.slug})
    assert again.content == first.content and fake_renderer == ["png"]  # not rendered again
    # user, user permissions, group permissions, cohorts, platforms: no chart query, no demo check
    assert len(ctx) <= 5 and not any("registry_account" in q["sql"] for q in ctx.captured_queries)
    # Other sizes, formats, backgrounds and filters are other files.
    client.get(url, {"cohort": cohort.slug, "scale": 4})
    client.get(url, {"cohort": cohort.slug, "background": "transparent"})
    client.get(url.replace(".png", ".svg"), {"cohort": cohort.slug})
    client.get(url, {"cohort": cohort.slug, "as_of": "2020-01-01"})
    assert fake_renderer == ["png", "png", "png", "svg", "png"]


def test_a_write_makes_a_new_image(client, cohort, fake_renderer):
    client.force_login(viewer())
    url = reverse("dashboard:chart_export", kwargs={"slug": "adoption-by-platform", "fmt": "svg"})
    before = client.get(url, {"cohort": cohort.slug}).content
    org = make_org("Late adopter Co")
    add_member(cohort, org, rank=50)
    make_account(org, Account.objects.filter(platform__slug="wechat").first().platform)
    after = client.get(url, {"cohort": cohort.slug}).content
    assert fake_renderer == ["svg", "svg"] and after != before


def test_images_are_kept_per_language(client, cohort, fake_renderer):
    from django.utils import translation

    client.force_login(viewer())
    url = reverse("dashboard:chart_export", kwargs={"slug": "adoption-by-platform", "fmt": "pdf"})
    client.get(url, {"cohort": cohort.slug})
    with translation.override("zh-hans"):
        from dashboard.caching import result_cache_key

        chinese = result_cache_key("chart-image", "same")
    assert chinese != result_cache_key("chart-image", "same")


def test_a_repeated_briefing_download_is_a_cache_read_until_the_briefing_or_the_registry_changes(client, cohort):
    from registry.models import Briefing, BriefingItem

    def chart_queries(url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return sum("registry_account" in q["sql"] for q in ctx.captured_queries)

    user = viewer()
    client.force_login(user)
    briefing = Briefing.objects.create(owner=user, title="Board pack")
    BriefingItem.objects.create(briefing=briefing, chart="presence-matrix", query=f"cohort={cohort.slug}", position=0)
    url = reverse("dashboard:briefing_download", args=[briefing.uuid, "xlsx"])
    first = client.get(url).content
    assert chart_queries(url) == 0  # the same file, from the cache
    assert client.get(url).content == first

    BriefingItem.objects.create(
        briefing=briefing, chart="adoption-over-time", query=f"cohort={cohort.slug}", position=1
    )
    assert chart_queries(url) > 0  # a new item: a new file
    assert chart_queries(url) == 0
    make_org("Any write Co")
    assert chart_queries(url) > 0  # a registry write: a new file


def test_while_a_chart_is_rebuilt_others_get_the_previous_one_without_an_etag(client, cohort):
    """A request that finds another one rebuilding the chart after a write is
    answered at once with the chart as it was before the write, and without
    validators, so the browser asks again next time; once rebuilt, everyone
    gets the new chart."""
    from django.core.cache import cache

    from dashboard.caching import LOCK_SUFFIX, chart_cache_key, scope_key  # noqa: F401
    from registry.signals import data_version

    client.force_login(viewer())
    url = reverse("dashboard:chart", kwargs={"slug": "adoption-over-time"})
    before = client.get(url, {"cohort": cohort.slug})
    assert _timeline_total(before.context["chart"]) == 5 and before.has_header("ETag")
    org = make_org("Adopter after the write")
    add_member(cohort, org, rank=77)
    make_account(org, Account.objects.filter(platform__slug="wechat").first().platform)
    # Another worker is rebuilding this chart for the new data version.
    scope = _scope(cohort=cohort.slug)
    cache.add(chart_cache_key("adoption-over-time", scope, {}, data_version()) + LOCK_SUFFIX, "other", timeout=60)
    during = client.get(url, {"cohort": cohort.slug})
    assert _timeline_total(during.context["chart"]) == 5  # the previous chart, at once
    assert not during.has_header("ETag") and "no-cache" in during["Cache-Control"]
    cache.delete(chart_cache_key("adoption-over-time", scope, {}, data_version()) + LOCK_SUFFIX)
    after = client.get(url, {"cohort": cohort.slug})
    assert _timeline_total(after.context["chart"]) == 6 and after.has_header("ETag")
