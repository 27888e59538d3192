"""NUL and other control characters in any parameter are a 400 from one
middleware (config.middleware.RejectControlCharactersMiddleware), before any
view or database sees them; a Host header not in ALLOWED_HOSTS is a 400 page
that needs no user."""

import pytest
from django.urls import reverse

from registry import models as m
from tests import factories as f
from tests.test_bad_input import _dataset, _page_urls

CONTROL_VALUES = ["\x00", "a\x00b", "\x01", "x\x1by", "\x7f"]


@pytest.fixture
def owner_and_urls(db):
    objects = _dataset()
    urls = _page_urls(objects)
    owner = objects["briefing"].owner
    return owner, urls, objects["briefing"]


def test_nul_in_a_briefing_search_as_its_owner_is_400(client, owner_and_urls):
    owner, _, briefing = owner_and_urls
    client.force_login(owner)
    url = reverse("dashboard:briefing_detail", kwargs={"uuid": briefing.uuid})
    assert client.get(url, {"q": "ok"}).status_code == 200
    response = client.get(f"{url}?q=%00")
    assert response.status_code == 400
    assert "control characters" in response.content.decode()


def test_control_characters_in_any_parameter_of_any_page_are_400(client, owner_and_urls):
    owner, urls, _ = owner_and_urls
    client.force_login(owner)
    client.raise_request_exception = False
    failures = []
    for name, url in urls:
        for value in CONTROL_VALUES:
            for params in ({"q": value}, {value: "1"}, {"cohort": value, "as_of": value, "page": value}):
                status = client.get(url, params).status_code
                if status != 400:
                    failures.append(f"{name} {params!r}: {status}")
    assert not failures, "\n".join(failures[:20])


def test_control_characters_in_a_posted_form_are_400_and_nothing_changes(client, owner_and_urls):
    owner, _, briefing = owner_and_urls
    client.force_login(owner)
    url = reverse("dashboard:briefing_title", kwargs={"uuid": briefing.uuid})
    before = m.Briefing.objects.get(pk=briefing.pk).title
    response = client.post(url, "title=Bad%00title", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert m.Briefing.objects.get(pk=briefing.pk).title == before
    # Line breaks and tabs are ordinary text in a form.
    response = client.post(url, "title=Two%09words", content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 302)


def test_form_validator_refuses_control_characters():
    from django.core.exceptions import ValidationError

    from registry.validators import validate_no_control_characters

    validate_no_control_characters("line one\nline two\ttab")
    for value in CONTROL_VALUES:
        with pytest.raises(ValidationError):
            validate_no_control_characters(value)


@pytest.mark.django_db
def test_a_host_not_allowed_is_a_400_page_without_a_user(client):
    client.raise_request_exception = False
    for path in ("/", "/accounts/login/", "/healthz", "/companies/"):
        response = client.get(path, HTTP_HOST="evil.example.com")
        assert response.status_code == 400, path
        body = response.content.decode()
        assert "Bad request" in body and "Traceback" not in body


def test_a_host_not_allowed_is_400_for_a_signed_in_session_too(client, db):
    client.force_login(f.viewer())
    client.raise_request_exception = False
    assert client.get("/", HTTP_HOST="evil.example.com").status_code == 400
