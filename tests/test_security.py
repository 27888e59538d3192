"""Accounts and transport security: login throttling, password rules, session
expiry, cookies, redirects, headers, CSRF, and the Content-Security-Policy in a
real browser while plotly draws the overview's charts."""

import datetime
import io
import os
import shutil

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import administrator, make_cohort_with_adoption, make_platform, make_user, viewer

LOGIN = reverse("login")
OVERVIEW = reverse("dashboard:overview")
PASSWORD = "a-long-test-password"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Each log-in hashes a password; the production hasher makes that slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client, username, password, ip="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _fail(client, username, times, ip="192.0.2.10"):
    responses = [_login(client, username, "wrong-password", ip) for _ in range(times)]
    return responses[-1]


# --------------------------------------------------------------------------- throttling


def test_failed_logins_lock_the_account_from_that_address(client):
    user = viewer()
    limit = django_settings.AXES_FAILURE_LIMIT
    before = _fail(client, user.username, limit - 1)
    assert before.status_code == 200
    assert b"didn&#x27;t match" in before.content or b"didn't match" in before.content

    locked = _login(client, user.username, "wrong-password")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Too many failed log-ins" in text
    assert f"After {limit} failed attempts" in text and user.username in text
    assert "15 minutes" in text

    # Even the right password is refused while locked, and no session is created.
    right = _login(client, user.username, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username=user.username, ip_address="192.0.2.10").exists()


def test_the_lock_is_per_username_and_address(client):
    user = viewer()
    other = viewer()
    _fail(client, user.username, django_settings.AXES_FAILURE_LIMIT)
    # The same person from another address, and another user from the same address, still get in.
    assert _login(client, user.username, PASSWORD, ip="198.51.100.20").status_code == 302
    client.logout()
    assert _login(client, other.username, PASSWORD).status_code == 302


def test_login_works_again_after_the_cool_off(client):
    user = viewer()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(client, user.username, django_settings.AXES_FAILURE_LIMIT)
        assert _login(client, user.username, PASSWORD).status_code == 429
    cool_off = django_settings.AXES_COOLOFF_TIME
    retry = start + cool_off - datetime.timedelta(seconds=30)
    with time_machine.travel(retry, tick=False):
        # Still locked; and trying while locked starts the cool-off again.
        assert _login(client, user.username, PASSWORD).status_code == 429
    with time_machine.travel(retry + cool_off + datetime.timedelta(seconds=30), tick=False):
        response = _login(client, user.username, PASSWORD)
        assert response.status_code == 302 and response["Location"] == OVERVIEW


def test_an_administrator_can_unlock_at_once(client):
    user = viewer()
    _fail(client, user.username, django_settings.AXES_FAILURE_LIMIT)
    call_command("axes_reset_username", user.username, stdout=io.StringIO())
    assert _login(client, user.username, PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures(client):
    user = viewer()
    _fail(client, user.username, django_settings.AXES_FAILURE_LIMIT - 1)
    assert _login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    # The count started again: limit - 1 more failures do not lock.
    assert _fail(client, user.username, django_settings.AXES_FAILURE_LIMIT - 1).status_code == 200


def test_the_admin_login_is_throttled_too(client):
    user = administrator()
    url = reverse("admin:login")
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"username": user.username, "password": "nope"}, REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 429


# --------------------------------------------------------------------------- passwords


@pytest.mark.parametrize(
    "password, reason",
    [
        ("short1!", "too short"),
        ("password123", "too common"),
        ("48213957260143", "entirely numeric"),
        ("journalist-mei", "too similar"),
    ],
)
def test_weak_passwords_are_rejected(password, reason):
    user = make_user(username="journalist-mei")
    with pytest.raises(ValidationError) as error:
        validate_password(password, user)
    assert reason in " ".join(error.value.messages)


def test_a_strong_password_is_accepted():
    validate_password("correct horse battery staple 42", make_user())


def test_an_administrator_cannot_give_a_new_user_a_weak_password(client):
    client.force_login(administrator())
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "newcomer", "password1": "password123", "password2": "password123", "usable_password": "true"},
    )
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not get_user_model().objects.filter(username="newcomer").exists()


# --------------------------------------------------------------------------- sessions and cookies


def test_sessions_expire(client):
    assert django_settings.SESSION_COOKIE_AGE == 8 * 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert _login(client, viewer().username, PASSWORD).status_code == 302
        assert client.get(OVERVIEW).status_code == 200
    with time_machine.travel(start + datetime.timedelta(seconds=django_settings.SESSION_COOKIE_AGE - 60), tick=False):
        assert client.get(OVERVIEW).status_code == 200
    later = start + datetime.timedelta(seconds=django_settings.SESSION_COOKIE_AGE + 60)
    with time_machine.travel(later, tick=False):
        response = client.get(OVERVIEW)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")


def test_session_cookie_flags(client, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = _login(client, viewer().username, PASSWORD)
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # a browser-session cookie; the server still expires it after SESSION_COOKIE_AGE


def test_logging_in_rotates_the_session_key(client):
    client.get(LOGIN)
    session = client.session
    session["marker"] = "before"
    session.save()
    before = session.session_key
    _login(client, viewer().username, PASSWORD)
    assert client.session.session_key != before


def test_log_out_needs_post(client):
    client.force_login(viewer())
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(OVERVIEW).status_code == 302


def test_login_never_redirects_to_another_site(client):
    user = viewer()
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(
            f"{LOGIN}?next={target}", {"username": user.username, "password": PASSWORD, "next": target}
        )
        assert response.status_code == 302
        assert "evil.example" not in response["Location"], target
        client.logout()


def test_forms_need_a_csrf_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(LOGIN, {"username": "x", "password": "y"}).status_code == 403


# --------------------------------------------------------------------------- transport and headers


def test_plain_http_is_redirected_to_https_except_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(LOGIN)
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get(reverse("healthz")).status_code == 200


def test_behind_a_proxy_the_forwarded_scheme_counts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(LOGIN, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert client.get(LOGIN, HTTP_X_FORWARDED_PROTO="http").status_code == 301


def test_pages_send_the_security_headers(client):
    client.force_login(viewer())
    for url in (LOGIN, OVERVIEW, reverse("admin:login")):
        response = client.get(url)
        assert response["Content-Security-Policy"] == django_settings.CONTENT_SECURITY_POLICY, url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Content-Type-Options"] == "nosniff", url


def test_no_page_template_has_an_inline_script():
    """Scripts are files (CSP script-src 'self'); data reaches them via json_script."""
    import re
    from pathlib import Path

    offenders = []
    for template in Path(django_settings.BASE_DIR, "templates").rglob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.I):
            if "src=" not in tag:
                offenders.append(f"{template.name}: {tag}")
        if re.search(r"\son[a-z]+\s*=", text, flags=re.I):
            offenders.append(f"{template.name}: inline event handler")
        if "javascript:" in text.lower():
            offenders.append(f"{template.name}: javascript: URL")
    assert not offenders, offenders


# --------------------------------------------------------------------------- the policy in a real browser

CHROMIUM = "/usr/bin/chromium"
XSS_NAME = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_charts_draw_under_the_content_security_policy(live_server, client, monkeypatch):
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is required in CI for the Content-Security-Policy browser test")
        pytest.skip(f"{CHROMIUM} is not installed; the Content-Security-Policy browser test needs it")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    _, platforms = make_cohort_with_adoption(members=4, wechat=3, weibo=2)
    # A hostile platform name must stay text in the labels and hover boxes.
    platforms["weibo"].name_en = XSS_NAME
    platforms["weibo"].save()
    make_platform("douyin", "Douyin", display_order=30)
    user = viewer()
    client.force_login(user)
    session_cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    console, violations, dialogs, errors = [], [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            context = browser.new_context()
            context.add_cookies(
                [{"name": django_settings.SESSION_COOKIE_NAME, "value": session_cookie, "url": live_server.url}]
            )
            page = context.new_page()
            page.add_init_script(
                "window.__csp = []; document.addEventListener('securitypolicyviolation', e => "
                "window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '')));"
            )
            page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            response = page.goto(live_server.url + OVERVIEW, wait_until="load")
            assert response.status == 200
            assert response.headers["content-security-policy"] == django_settings.CONTENT_SECURITY_POLICY
            charts = page.locator("[data-figure]")
            assert charts.count() >= 2
            page.wait_for_function(
                "document.querySelectorAll('[data-figure]').length === "
                "document.querySelectorAll('[data-figure][data-ready=true]').length",
                timeout=30_000,
            )
            assert page.locator("[data-figure] svg.main-svg").count() >= charts.count()
            # The hostile name is drawn as text on the chart, not as markup.
            assert page.locator("[data-figure] img").count() == 0
            assert page.locator("main script:not([src]):not([type='application/json'])").count() == 0
            violations = page.evaluate("window.__csp")
        finally:
            browser.close()

    assert not violations, violations
    assert not errors, errors
    assert not dialogs, dialogs
    assert not [line for line in console if line.startswith(("error", "warning"))], console


# --------------------------------------------------------------------------- dependency audit (make security)


@pytest.mark.parametrize(
    "report, stderr, status, says",
    [
        (
            {
                "dependencies": [
                    {"name": "django", "version": "4.2.0", "vulns": [{"id": "PYSEC-2023-1", "fix_versions": ["4.2.1"]}]}
                ]
            },
            "",
            1,
            "VULNERABLE: django==4.2.0: PYSEC-2023-1 (fixed in 4.2.1)",
        ),
        (
            {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]},
            "",
            0,
            "1 of 1 packages audited, 0 known vulnerabilities",
        ),
        (
            {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]},
            "",
            0,
            "NOTICE: the vulnerability service (pypi) had no answer for 1 packages",
        ),
        (None, "requests.exceptions.ConnectionError: Max retries exceeded", 0, "NOTHING WAS AUDITED"),
        (None, "ValueError: unreadable requirement", 2, "ERROR: pip-audit failed"),
    ],
)
def test_the_dependency_audit_never_passes_silently(monkeypatch, capsys, report, stderr, status, says):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "audit_dependencies", django_settings.BASE_DIR / "scripts" / "audit_dependencies.py"
    )
    audit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(audit)
    monkeypatch.setattr(audit, "run_pip_audit", lambda args: (report, stderr))
    monkeypatch.setattr("sys.argv", ["audit_dependencies.py"])
    assert audit.main() == status
    assert says in capsys.readouterr().out
