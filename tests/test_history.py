"""Audit history: who changed what, field-level differences, revert from the
admin, and organisation_history's constant query count."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from registry import models as m
from registry.history import organisation_history
from tests.factories import add_member, editor, make_account, make_cohort, make_org, make_platform


def _change_form_data(client, url):
    form = client.get(url).context["adminform"].form
    return {name: form[name].value() for name in form.fields if form[name].value() is not None}


ORG_INLINES = {
    "accounts-TOTAL_FORMS": "0",
    "accounts-INITIAL_FORMS": "0",
    "memberships-TOTAL_FORMS": "0",
    "memberships-INITIAL_FORMS": "0",
    "facts-TOTAL_FORMS": "0",
    "facts-INITIAL_FORMS": "0",
}


@pytest.mark.django_db
def test_admin_edit_is_recorded_and_can_be_reverted(client):
    user = editor()
    client.force_login(user)
    org = make_org("China Mobile", province="Beijing", sector="telecoms")
    change = reverse("admin:registry_organisation_change", args=[org.pk])
    data = _change_form_data(client, change) | ORG_INLINES | {"province": "Shanghai", "city": "Pudong"}
    assert client.post(change, data).status_code == 302
    org.refresh_from_db()
    assert (org.province, org.city) == ("Shanghai", "Pudong")

    latest, first = org.history.all()[:2]
    assert latest.history_user == user
    delta = latest.diff_against(first)
    assert {(c.field, c.old, c.new) for c in delta.changes} == {
        ("province", "Beijing", "Shanghai"),
        ("city", "", "Pudong"),
    }

    # The admin's history page lists both versions; reverting to the first restores its values.
    history_url = reverse("admin:registry_organisation_history", args=[org.pk])
    assert client.get(history_url).status_code == 200
    revert_url = reverse("admin:registry_organisation_simple_history", args=[org.pk, first.history_id])
    page = client.get(revert_url)
    assert page.status_code == 200 and b"Revert" in page.content
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    assert data["province"] == "Beijing"
    assert client.post(revert_url, data).status_code == 302
    org.refresh_from_db()
    assert (org.province, org.city) == ("Beijing", "")
    assert org.history.count() == 3 and org.history.first().history_user == user


@pytest.fixture
def organisation_with_changes(db):
    org = make_org("Sinopec", province="Beijing")
    wechat = make_platform("wechat", "WeChat")
    account = make_account(org, wechat, display_name="Sinopec official")
    cohort = make_cohort("China Top 500", slug="top-500")
    membership = add_member(cohort, org, rank=3)
    org.province = "Shanghai"
    org.save()
    account.display_name = "中国石化"
    account.save()
    membership.rank = 2
    membership.save()
    return org, account, membership


def test_organisation_history_covers_accounts_and_memberships_newest_first(organisation_with_changes):
    org, account, membership = organisation_with_changes
    rows = organisation_history(org)
    assert [(r.model, r.action) for r in rows] == [
        ("cohort membership", "changed"),
        ("account", "changed"),
        ("organisation", "changed"),
        ("cohort membership", "created"),
        ("account", "created"),
        ("organisation", "created"),
    ]
    assert rows[0].changes == [("rank", "3", "2")] and rows[0].record == "China Top 500 #2"
    assert rows[1].changes == [("account name", "Sinopec official", "中国石化")]
    assert rows[1].record == "中国石化 on WeChat"
    assert rows[2].changes == [("province", "Beijing", "Shanghai")]
    assert rows[2].who is None
    assert len(organisation_history(org, limit=2)) == 2


def test_deleted_account_stays_in_the_history(organisation_with_changes):
    org, account, _ = organisation_with_changes
    account.delete()
    rows = organisation_history(org)
    assert rows[0].action == "deleted" and rows[0].model == "account"


def test_organisation_history_query_count_is_constant(organisation_with_changes, django_assert_num_queries):
    org, account, membership = organisation_with_changes
    organisation_history(org)  # SQLite: Django checks JSON support once per connection
    # One query: the three historical tables (organisation, account, membership) as a
    # UNION ALL, each row with its user joined and the previous version's values
    # from a window function, ordered and limited in the database.
    with django_assert_num_queries(1):
        organisation_history(org)
    for i in range(10):
        account.display_name = f"name {i}"
        account.save()
        make_account(org, make_platform("weibo", "Weibo"))
        membership.rank = 10 + i
        membership.save()
    with django_assert_num_queries(1):
        rows = organisation_history(org)
    assert len(rows) == 36  # 6 before, then 10 account edits + 10 new accounts + 10 rank changes
    assert len(organisation_history(org, limit=5)) == 5


def test_history_template_shows_who_when_and_old_to_new(organisation_with_changes):
    org, *_ = organisation_with_changes
    html = render_to_string("dashboard/_history.html", {"history": organisation_history(org)})
    assert '<del translate="no">Beijing</del> → <ins translate="no">Shanghai</ins>' in html
    change = '<del translate="no">Sinopec official</del> → <ins translate="no">中国石化</ins>'
    assert f"<strong>account name</strong>: {change}" in html
    assert "system" in html
    empty = render_to_string("dashboard/_history.html", {"history": []})
    assert "No recorded changes yet" in empty


@pytest.mark.django_db
def test_import_through_the_admin_previews_then_writes_with_history(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = editor()
    client.force_login(user)
    url = reverse("admin:registry_organisation_import")
    assert client.get(url).status_code == 200
    content = "\ufeff企业名称,Province,Notes2\n中国移动,北京\n中国石化,广东\n".encode()
    upload = SimpleUploadedFile("orgs.csv", content, content_type="text/csv")
    preview = client.post(url, {"import_file": upload, "format": "0", "resource": "0"})
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [r.import_type for r in result.rows] == ["new", "new"]
    assert "Unknown column &#x27;Notes2&#x27;" in preview.content.decode()
    assert m.Organisation.objects.count() == 0  # the preview wrote nothing

    confirm = preview.context["confirm_form"]
    done = client.post(reverse("admin:registry_organisation_process_import"), confirm.initial)
    assert done.status_code == 302
    assert sorted(m.Organisation.objects.values_list("name_zh", "province")) == [
        ("中国石化", "Guangdong"),
        ("中国移动", "Beijing"),
    ]
    record = m.Organisation.history.first()
    assert record.history_user == user and record.history_change_reason == "Imported from orgs.csv"


@pytest.mark.django_db
def test_admin_import_of_a_bad_file_shows_the_reason(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor())
    url = reverse("admin:registry_organisation_import")
    png = SimpleUploadedFile("orgs.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", content_type="text/csv")
    response = client.post(url, {"import_file": png, "format": "0", "resource": "0"})
    assert "This file is a PNG image" in response.content.decode()
    bad = SimpleUploadedFile("orgs.csv", b"Name,Province\nA,Atlantis\n", content_type="text/csv")
    response = client.post(url, {"import_file": bad, "format": "0", "resource": "0"})
    assert response.context["result"].has_errors()
    [problem] = response.context["import_errors"]
    assert problem["line"] == 2 and problem["column"] == "province"
    assert problem["message"].startswith("'Atlantis' is not a province-level")
    assert "&#x27;Atlantis&#x27;" in response.content.decode()
    assert "confirm_form" not in response.context


@pytest.mark.django_db
@pytest.mark.parametrize("file_format, index", [("csv", "0"), ("xlsx", "1")])
def test_admin_export_applies_filters_and_escapes_formulae(client, file_format, index):
    import io

    from openpyxl import load_workbook

    client.force_login(editor())
    make_org('=HYPERLINK("http://evil","x")', ownership="private", city="@SUM(A1)")
    make_org("State Co", ownership="central_soe")
    url = reverse("admin:registry_organisation_export") + "?ownership__exact=private"
    form = client.get(url).context["form"]
    data = {"format": index, "resource": "0"} | {name: "on" for name in form.fields if name.startswith("organisation")}
    response = client.post(url, data)
    assert response.status_code == 200
    if file_format == "csv":
        rows = response.content.decode("utf-8-sig").splitlines()
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [",".join(str(c) if c is not None else "" for c in row) for row in sheet.iter_rows(values_only=True)]
    assert len(rows) == 2  # header + the one private company: the list filter applies
    assert "State Co" not in "\n".join(rows)
    assert "'=HYPERLINK" in rows[1] and "'@SUM(A1)" in rows[1]
