import pytest
from django.urls import reverse

from dashboard.templatetags.links import web_url
from registry.models import Organisation, Source
from tests.factories import make_account, make_org, make_platform, viewer


@pytest.mark.parametrize(
    "value, expected",
    [
        ("https://weibo.com/u/1", "https://weibo.com/u/1"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", ""),
        (" JaVaScRiPt:alert(1)", ""),
        ("data:text/html,<script>", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_only_web_urls_are_linked(value, expected):
    assert web_url(value) == expected


@pytest.mark.django_db
def test_pages_never_link_a_javascript_url_written_past_validation(client):
    client.force_login(viewer())
    source = Source.objects.create(title="Article", url="javascript:alert(1)")
    org = make_org("Hostile links Co")
    Organisation.objects.filter(pk=org.pk).update(website="javascript:alert(2)")
    make_account(org, make_platform("weibo"), url="javascript:alert(3)")
    for url in (
        reverse("dashboard:source_detail", args=[source.pk]),
        reverse("dashboard:company_detail", args=[org.pk]),
    ):
        body = client.get(url).content.decode()
        assert 'href="javascript:' not in body.lower()


@pytest.mark.django_db
def test_tables_never_link_a_javascript_url(client):
    client.force_login(viewer())
    Source.objects.create(title="Hostile link article", url="javascript:alert(4)")
    body = client.get(reverse("dashboard:source_list")).content.decode()
    assert "Hostile link article" in body
    assert 'href="javascript:' not in body.lower()
