"""The admin import validates every model like the admin form (full_clean) and
shows each problem as row, column and message in the user's language: never a
traceback, an exception name or raw SQL / constraint text."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry import models as m
from tests.factories import editor, make_platform

HOSTILE_URL = "javascript:alert(document.domain)"
LEAKS = ("Traceback", "IntegrityError", "constraint failed", "violates", "NOT NULL", "Error:", 'File "')


def _upload(client, model, content: str, *, name="data.csv"):
    url = reverse(f"admin:registry_{model}_import")
    form = client.get(url).context["form"]
    csv_format = next(
        value for value, label in form.fields["format"].choices if str(label).lower().startswith(("csv", "spread"))
    )
    upload = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
    return client.post(url, {"import_file": upload, "format": csv_format, "resource": "0"})


def _assert_no_leak(body: str):
    for leak in LEAKS:
        assert leak not in body, leak


@pytest.fixture
def editor_client(client, db):
    client.force_login(editor())
    return client


# Every model whose admin imports a URL, with a file that is valid but for the URL.
URL_FILES = {
    "source": ("url,title,publisher\n{url},A title,Xinhua\n", m.Source),
    "organisation": ("Company Name,企业名称,Website\nAcme,甲公司,{url}\n", m.Organisation),
    "account": ("company,platform,account id,url\n甲公司,wechat,gh_1,{url}\n", m.Account),
}


@pytest.mark.parametrize("model", sorted(URL_FILES))
def test_a_javascript_url_is_refused_by_every_resource_with_a_url(editor_client, model):
    from tests.factories import make_org

    make_org("Acme", name_zh="甲公司")
    make_platform("wechat", "WeChat")
    content, model_class = URL_FILES[model]
    before = model_class.objects.count()
    response = _upload(editor_client, model, content.format(url=HOSTILE_URL))
    body = response.content.decode()
    assert response.status_code == 200
    assert "confirm_form" not in response.context, "a preview with a javascript: URL must not be confirmable"
    assert "Enter a valid URL" in body
    _assert_no_leak(body)
    assert model_class.objects.count() == before
    assert not model_class.objects.filter(**{"website" if model == "organisation" else "url": HOSTILE_URL}).exists()


def test_a_source_without_a_title_names_row_and_column(editor_client):
    response = _upload(editor_client, "source", "url,title\nhttps://example.org/a,\n")
    body = response.content.decode()
    _assert_no_leak(body)
    errors = response.context["import_errors"]
    assert errors and errors[0]["line"] == 2 and errors[0]["column"] == "title"
    assert "This field cannot be blank" in errors[0]["message"]
    assert not m.Source.objects.exists()


@pytest.mark.parametrize("model", ["source", "topic", "platform", "cohort", "activity", "publishedfigure"])
def test_a_file_without_the_expected_header_is_explained(editor_client, model):
    response = _upload(editor_client, model, "foo,bar\n1,2\n")
    body = response.content.decode()
    assert response.status_code == 200
    _assert_no_leak(body)
    assert "confirm_form" not in response.context
    assert response.context["import_errors"], body[-2000:]


def test_errors_are_in_the_users_language(editor_client, settings):
    # The messages go through gettext: with the user's language active (here
    # chosen by the browser, through LocaleMiddleware) they are in it.
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:1],
        "django.middleware.locale.LocaleMiddleware",
        *settings.MIDDLEWARE[1:],
    ]
    settings.LANGUAGES = [("en-gb", "English"), ("zh-hans", "简体中文")]
    upload = SimpleUploadedFile("d.csv", b"url,title\nhttps://example.org/a,\n", content_type="text/csv")
    response = editor_client.post(
        reverse("admin:registry_source_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    problem = response.context["import_errors"][0]
    assert problem["line"] == 2 and problem["column"] == "title"
    assert problem["message"] == "此字段不能为空。"


# --------------------------------------------------------------------------- briefings belong to their owners


@pytest.fixture
def someones_briefing(db):
    from tests.factories import make_briefing, viewer

    return make_briefing(owner=viewer(), title="Mine")


def test_an_editor_cannot_rename_or_reassign_someone_elses_briefing(editor_client, someones_briefing):
    url = reverse("admin:registry_briefing_change", args=[someones_briefing.pk])
    page = editor_client.get(url)
    assert page.status_code == 200  # may look (view permission) ...
    assert 'name="title"' not in page.content.decode()  # ... but not edit
    response = editor_client.post(url, {"title": "Renamed", "owner": page.wsgi_request.user.pk})
    assert response.status_code == 403
    someones_briefing.refresh_from_db()
    assert someones_briefing.title == "Mine"
    delete = editor_client.post(reverse("admin:registry_briefing_delete", args=[someones_briefing.pk]), {"post": "yes"})
    assert delete.status_code == 403 and m.Briefing.objects.filter(pk=someones_briefing.pk).exists()


def test_an_editor_may_rename_their_own_briefing_but_not_give_it_away(client, db):
    from tests.factories import make_briefing, viewer

    me = editor()
    other = viewer()
    briefing = make_briefing(owner=me, title="Mine")
    client.force_login(me)
    url = reverse("admin:registry_briefing_change", args=[briefing.pk])
    page = client.get(url).content.decode()
    assert 'name="title"' in page and 'name="owner"' not in page
    response = client.post(
        url,
        {
            "title": "Renamed",
            "owner": other.pk,
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    briefing.refresh_from_db()
    assert briefing.title == "Renamed" and briefing.owner == me


def test_an_administrator_may_reassign_a_briefing(client, someones_briefing):
    from tests.factories import administrator, viewer

    client.force_login(administrator())
    new_owner = viewer()
    url = reverse("admin:registry_briefing_change", args=[someones_briefing.pk])
    response = client.post(
        url, {"title": "Mine", "owner": new_owner.pk, "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"}
    )
    assert response.status_code == 302
    someones_briefing.refresh_from_db()
    assert someones_briefing.owner == new_owner


def test_only_administrators_import_briefings(editor_client):
    assert editor_client.get(reverse("admin:registry_briefing_import")).status_code == 403
