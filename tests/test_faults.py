"""Faults: a lost database gives a friendly 503 (pages) or 503 JSON (/healthz),
never a traceback; request logs and error logs carry their context."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.db.backends import utils as db_utils
from django.http import HttpResponse
from django.urls import include, path, reverse

from config.logging import JsonFormatter
from tests.factories import viewer

BASE_DIR = Path(__file__).resolve().parent.parent
OVERVIEW = reverse("dashboard:overview")
OUTAGE = {
    "postgresql": 'connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused',
    "sqlite": "unable to open database file",
}


# A URL configuration for these tests only: the project's URLs plus a view that fails.
def _boom(request):
    raise RuntimeError("chart cache corrupted")


def _db_boom(request):
    raise OperationalError("server closed the connection unexpectedly")


def _db_bug(request):
    raise OperationalError("no such table: registry_widget")


def _ok(request):
    return HttpResponse("ok")


urlpatterns = [
    path("test-boom/", _boom),
    path("test-db-boom/", _db_boom),
    path("test-db-bug/", _db_bug),
    path("test-ok/", _ok),
    path("", include("config.urls")),
]
handler500 = "config.views.server_error"


def _fail_queries(monkeypatch, vendor, only=None):
    """Every query (or those whose SQL contains ``only``) raises the error the
    driver raises when the server is gone."""
    real = db_utils.CursorWrapper.execute

    def execute(self, sql, params=None):
        if only is None or only in sql:
            raise OperationalError(OUTAGE.get(vendor, OUTAGE["postgresql"]))
        return real(self, sql, params)

    monkeypatch.setattr(db_utils.CursorWrapper, "execute", execute)


def _assert_friendly_503(response):
    assert response.status_code == 503
    body = response.content.decode()
    assert "temporarily unavailable" in body
    assert "database cannot be reached" in body
    assert "Traceback" not in body and "OperationalError" not in body and "5432" not in body
    assert response["Retry-After"] == "30"


# --------------------------------------------------------------------------- database down


@pytest.mark.django_db
def test_database_down_before_the_view_runs_gives_503(client, monkeypatch):
    """The session's user cannot be loaded: the failure happens in middleware."""
    from django.db import connection

    client.force_login(viewer())
    from django.core.cache import cache

    cache.clear()  # the cached_db session must come from the database
    _fail_queries(monkeypatch, connection.vendor)
    client.raise_request_exception = False
    _assert_friendly_503(client.get(OVERVIEW))


@pytest.mark.django_db
def test_database_down_inside_the_view_gives_503(client, monkeypatch, caplog):
    from django.db import connection

    client.force_login(viewer())
    client.get(OVERVIEW)  # the session and user are now loaded and cached
    _fail_queries(monkeypatch, connection.vendor, only="registry_")
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="newmedia.errors"):
        _assert_friendly_503(client.get(OVERVIEW))
    record = next(r for r in caplog.records if r.getMessage() == "database unavailable")
    assert record.path == OVERVIEW and record.method == "GET"
    assert record.user.startswith("viewer")


@pytest.mark.django_db
@pytest.mark.urls("tests.test_faults")
def test_an_outage_raised_by_a_view_is_a_503_but_other_database_errors_are_500(client):
    client.force_login(viewer())
    client.raise_request_exception = False
    _assert_friendly_503(client.get("/test-db-boom/"))
    # A missing table is a deployment bug, not an outage: it must not hide behind "try again".
    response = client.get("/test-db-bug/")
    assert response.status_code == 500 and b"Something went wrong" in response.content


@pytest.mark.django_db
def test_healthz_ok(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok" and response.json()["cache"] == "local"
    # Chromium present: every dependency is fine; absent, the page still answers 200 ("degraded").
    assert response.json()["status"] == ("ok" if response.json()["chromium"] == "ok" else "degraded")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_a_failing_database(client, monkeypatch, caplog):
    from django.db import connection

    _fail_queries(monkeypatch, connection.vendor)
    with caplog.at_level(logging.ERROR, logger="newmedia.errors"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "error" and body["database"] == "unavailable"
    assert body["cache"] == "local" and body["chromium"] in ("ok", "missing")
    assert any(r.getMessage() == "health check failed" for r in caplog.records)


@pytest.mark.django_db
def test_healthz_only_answers_get(client):
    assert client.post(reverse("healthz")).status_code == 405


_REAL_OUTAGE = """
from django.test import Client
client = Client(raise_request_exception=False)
health = client.get("/healthz")
client.cookies["sessionid"] = "0123456789abcdefghijklmnopqrstuv"
page = client.get("/")
print(health.status_code, health.content.decode())
print(page.status_code, "Traceback" in page.content.decode(), "temporarily unavailable" in page.content.decode())
"""


@pytest.mark.parametrize(
    "database_url",
    [
        "postgres://postgres@127.0.0.1:1/registry?connect_timeout=2",  # nothing listens on port 1
        "sqlite:////nonexistent-directory/registry.sqlite3",
    ],
)
def test_a_real_unreachable_database_gives_503_not_a_traceback(database_url):
    """Start the app against a database that cannot be reached at all."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "s" * 25 + "ecret-key-for-this-test-only-x9",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "LANGUAGE_CODE": "en",  # the assertion below reads the English page
    }
    code = "import django; django.setup()\n" + _REAL_OUTAGE
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    health, page = result.stdout.strip().splitlines()[-2:]
    assert health.startswith("503 ")
    assert {k: v for k, v in json.loads(health[4:]).items() if k in ("status", "database")} == {
        "status": "error",
        "database": "unavailable",
    }
    assert page == "503 False True"


# --------------------------------------------------------------------------- logs


@pytest.mark.django_db
def test_one_structured_log_line_per_request(client, caplog):
    user = viewer()
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="newmedia.request"):
        client.get(OVERVIEW, {"cohort": ""})
        client.get("/no-such-page/")
    records = [r for r in caplog.records if r.name == "newmedia.request"]
    assert len(records) == 2
    first = json.loads(JsonFormatter().format(records[0]))
    assert first["method"] == "GET" and first["path"] == OVERVIEW and first["status"] == 200
    assert first["user"] == user.username
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert first["level"] == "INFO" and first["message"] == "request" and "time" in first
    second = json.loads(JsonFormatter().format(records[1]))
    assert second["status"] == 404 and second["path"] == "/no-such-page/"
    assert "\n" not in JsonFormatter().format(records[0])


@pytest.mark.django_db
def test_request_log_for_an_anonymous_request_costs_no_query(client, caplog, django_assert_num_queries):
    with caplog.at_level(logging.INFO, logger="newmedia.request"), django_assert_num_queries(0):
        client.get(reverse("login"), REMOTE_ADDR="203.0.113.9")
    record = next(r for r in caplog.records if r.name == "newmedia.request")
    assert record.user is None and record.status == 200 and record.ip == "203.0.113.9"


@pytest.mark.django_db
def test_behind_a_proxy_the_log_and_throttling_use_the_forwarded_address(client, caplog, settings):
    from django.test import RequestFactory

    from config.middleware import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
    assert client_ip(request) == "10.0.0.2"
    settings.BEHIND_PROXY = True
    # The client may send its own X-Forwarded-For; only the proxy's last entry counts.
    assert client_ip(request) == "198.51.100.7"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
    assert settings.AXES_CLIENT_IP_CALLABLE == "config.middleware.client_ip"


@pytest.fixture
def request_errors(caplog):
    """django.request does not propagate to the root logger; listen to it directly."""
    logger = logging.getLogger("django.request")
    logger.addHandler(caplog.handler)
    caplog.handler.setLevel(logging.ERROR)
    yield caplog
    logger.removeHandler(caplog.handler)


@pytest.mark.django_db
@pytest.mark.urls("tests.test_faults")
def test_a_server_error_is_a_friendly_page_and_is_logged_with_context(client, request_errors):
    user = viewer()
    client.force_login(user)
    client.raise_request_exception = False
    response = client.get("/test-boom/", {"q": "1"})
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "chart cache corrupted" not in body and "Traceback" not in body
    record = next(r for r in request_errors.records if r.name == "django.request")
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR"
    assert line["path"] == "/test-boom/" and line["method"] == "GET"
    assert line["user"] == user.username
    assert line["status_code"] == 500
    assert line["error"] == "RuntimeError: chart cache corrupted"
    assert "Traceback" in line["exception"] and "_boom" in line["exception"]
    assert "request" not in line  # the request object is summarised, not dumped


@pytest.mark.django_db
@pytest.mark.urls("tests.test_faults")
def test_security_headers_on_every_response(client):
    client.force_login(viewer())
    response = client.get("/test-ok/")
    assert response["Content-Security-Policy"].startswith("default-src 'self'")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
