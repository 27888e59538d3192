"""Accounts from the dashboard: every user changes their own password (Django's
views, the site's templates); reset by email when email is configured; login
throttling per username and address, and per address across usernames."""

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

from tests.factories import make_user, viewer

PASSWORD = "a-long-test-password"
NEW_PASSWORD = "another-long-pass-phrase-42"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client, username, password, ip="192.0.2.10"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_a_viewer_changes_their_password_from_the_dashboard(client):
    user = viewer()
    client.force_login(user)
    overview = client.get(reverse("dashboard:overview")).content.decode()
    assert reverse("password_change") in overview  # the link in the user menu
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and 'class="card narrow"' in page.content.decode()
    wrong = client.post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200 and "incorrectly" in wrong.content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert client.get(reverse("password_change_done")).status_code == 200  # still signed in
    client.logout()
    assert _login(client, user.username, NEW_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_weak_new_password_is_refused_with_the_rules(client):
    user = viewer()
    client.force_login(user)
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"}
    )
    assert response.status_code == 200 and "too short" in response.content.decode()


@pytest.mark.django_db
def test_reset_by_email_is_off_without_email(client, settings):
    settings.PASSWORD_RESET_BY_EMAIL = False
    assert client.get(reverse("password_reset")).status_code == 404
    assert reverse("password_reset") not in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_reset_by_email_when_email_is_configured(client, settings):
    settings.PASSWORD_RESET_BY_EMAIL = True
    user = make_user(email="li.wei@example.org")
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
    response = client.post(reverse("password_reset"), {"email": "li.wei@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    link = next(word for word in mail.outbox[0].body.split() if "/accounts/password/reset/" in word)
    path = link[link.index("/accounts/") :]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert _login(client, user.username, NEW_PASSWORD).status_code == 302
    # An unknown address gives the same answer and sends nothing.
    client.logout()
    client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_spraying_many_usernames_from_one_address_is_locked(client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 12
    colleague = viewer()
    # Below the address's limit, one colleague's failures do not lock another out.
    for i in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        assert _login(client, f"guess{i}", "wrong-password").status_code == 200
    assert _login(client, colleague.username, PASSWORD).status_code == 302
    client.logout()
    # The address reaches its limit: every username from it is refused, even with the right password ...
    _login(client, "guess-last", "wrong-password")
    locked = _login(client, colleague.username, PASSWORD)
    assert locked.status_code == 429
    # ... but not from another address.
    assert _login(client, colleague.username, PASSWORD, ip="198.51.100.20").status_code == 302


@pytest.mark.django_db
def test_a_successful_login_does_not_wipe_the_addresss_count(client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    insider = viewer()
    for i in range(5):
        _login(client, f"guess{i}", "wrong-password")
    assert _login(client, insider.username, PASSWORD).status_code == 302  # resets only its own pair
    client.logout()
    _login(client, "guess-more", "wrong-password")
    assert _login(client, insider.username, PASSWORD).status_code == 429


def test_the_documented_numbers_are_the_settings():
    readme = (django_settings.BASE_DIR / "README.md").read_text()
    assert f"`AXES_FAILURE_LIMIT` | `{django_settings.AXES_FAILURE_LIMIT}`" in readme
    assert f"`AXES_ADDRESS_FAILURE_LIMIT` | `{django_settings.AXES_ADDRESS_FAILURE_LIMIT}`" in readme
