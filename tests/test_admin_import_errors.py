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


def test_errors_are_in_the_users_language(editor_client):
    response = _upload(editor_client, "source", "url,title\nhttps://example.org/a,\n", name="data.csv")
    zh = editor_client.post(
        reverse("admin:registry_source_import"),
        {
            "import_file": SimpleUploadedFile("d.csv", b"url,title\nhttps://example.org/a,\n", content_type="text/csv"),
            "format": "0",
            "resource": "0",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.context["import_errors"][0]["message"] != zh.context["import_errors"][0]["message"]
