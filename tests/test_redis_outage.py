"""Redis is optional at run time: with Redis unreachable, login, sessions and
pages work (from the database and a per-process cache), the log says so at most
once a minute, and /healthz reports the cache on its fallback with a 200. When
Redis returns, nothing written during the outage comes back stale from it."""

import logging
import shutil
import socket
import subprocess
import time

import pytest
from django.urls import reverse

from tests.factories import viewer

PASSWORD = "a-long-test-password"
pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _use_redis(settings, port: int, **options):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FallbackRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": "nmr-test",
            "OPTIONS": {"RETRY_SECONDS": 0, **options},
        }
    }
    settings.SESSION_ENGINE = "config.sessions"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[-1500:]


def _outage_warnings(caplog) -> int:
    return sum(1 for r in caplog.records if r.name == "newmedia.cache" and r.getMessage().startswith("cache unavail"))


def test_a_dead_redis_port_leaves_login_sessions_and_pages_working(client, settings, caplog):
    _use_redis(settings, _free_port())  # nothing listens there
    user = viewer()
    with caplog.at_level(logging.WARNING, logger="newmedia.cache"):
        _login(client, user)
        for _ in range(5):
            assert client.get(reverse("dashboard:overview")).status_code == 200
        assert client.get(reverse("dashboard:company_list")).status_code == 200
        health = client.get(reverse("healthz"))
    assert health.status_code == 200
    assert health.json()["cache"] == "fallback" and health.json()["status"] == "degraded"
    assert health.json()["database"] == "ok"
    assert _outage_warnings(caplog) == 1  # once a minute, not once a request
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard:overview")).status_code == 302  # logged out: to the login page


def test_the_outage_warning_repeats_once_a_minute_not_per_request(settings, caplog, monkeypatch):
    from django.core.cache import cache

    _use_redis(settings, _free_port(), WARN_SECONDS=60)
    clock = [1000.0]
    monkeypatch.setattr("config.cache.time.monotonic", lambda: clock[0])
    with caplog.at_level(logging.WARNING, logger="newmedia.cache"):
        for _ in range(3):
            cache.set("k", 1)
            assert cache.get("k") == 1  # answered by the per-process fallback
        clock[0] += 61
        cache.get("k")
    assert _outage_warnings(caplog) == 2


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path), "--save", ""]

    class Server:
        process = None

        def start(self):
            self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                    return
                except OSError:
                    time.sleep(0.05)
            raise RuntimeError("redis-server did not start")

        def stop(self):
            """Stop, keeping the data on disk (as a restarted Redis would)."""
            subprocess.run(["redis-cli", "-p", str(port), "shutdown", "save"], capture_output=True, timeout=10)
            self.process.wait(timeout=10)

    server = Server()
    server.port = port
    server.start()
    yield server
    if server.process.poll() is None:
        server.process.terminate()
        server.process.wait(timeout=10)


def test_a_session_ended_during_an_outage_does_not_come_back_with_redis(client, settings, redis_server):
    from django.core.cache import cache

    _use_redis(settings, redis_server.port)
    _login(client, viewer())
    assert client.get(reverse("dashboard:overview")).status_code == 200  # the session is now cached in Redis
    assert client.get(reverse("healthz")).json()["cache"] == "ok"
    stale_cookie = client.cookies["sessionid"].value

    redis_server.stop()  # Redis goes away with the session saved in its data file
    client.post(reverse("logout"))  # ends the session in the database during the outage
    assert cache.degraded

    redis_server.start()  # back, with the saved (now stale) session
    assert client.get(reverse("healthz")).json()["cache"] == "ok"  # Redis in use again ...
    assert not cache.degraded
    client.cookies["sessionid"] = stale_cookie
    response = client.get(reverse("dashboard:overview"))  # ... yet the ended session is not read from it
    assert response.status_code == 302 and reverse("login") in response["Location"]
