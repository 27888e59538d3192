"""The admin's ranking import (upload → preview → confirm), the duplicate
report and the merge of organisations."""

import base64
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry import models as m
from registry import seed
from registry.matching import merge_organisations
from tests.factories import editor, make_account, make_cohort, make_org, make_person, make_platform, make_source, viewer

DATA = Path(__file__).parent / "data"
URL = "/admin/registry/organisation/import-ranking/"
SOURCE = "https://example.org/global500-2019"


@pytest.fixture
def editor_client(client, db):
    seed.load_seed()
    client.force_login(editor())
    return client


def upload(client, path=DATA / "global500_2019.tsv", **extra):
    data = {
        "file": SimpleUploadedFile(path.name, path.read_bytes()),
        "cohort_name": "Fortune Global 500 2019",
        "source_url": SOURCE,
        **extra,
    }
    return client.post(URL, data)


@pytest.mark.django_db
def test_preview_shows_unknown_values_and_matches_and_writes_nothing(editor_client):
    organisations = m.Organisation.objects.count()
    response = upload(editor_client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sector values to map" in page and "Conglomerates" in page
    assert 'name="sector-value-0" value="Conglomerates"' in page
    assert "2 rows match organisations in the registry" in page
    assert "China Petrochemical Corporation" in page and "Sinopec Group" in page
    assert "498 new organisations" in page
    assert "Nothing has been written yet." in page
    assert m.Organisation.objects.count() == organisations
    assert not m.Cohort.objects.filter(name="Fortune Global 500 2019").exists()
    assert not m.VocabularyMapping.objects.exists()


@pytest.mark.django_db
def test_confirm_writes_everything_and_remembers_the_mapping(editor_client):
    preview = upload(editor_client)
    payload = preview.context["form"].cleaned_data["payload"]
    data = {
        "payload": payload,
        "file_name": "global500_2019.tsv",
        "cohort_name": "Fortune Global 500 2019",
        "year": "2019",
        "source_url": SOURCE,
        "sector-value-0": "Conglomerates",
        "sector-0": "finance",
        "confirm": "1",
    }
    response = editor_client.post(URL, data, follow=True)
    cohort = m.Cohort.objects.get(name="Fortune Global 500 2019")
    members = f"{reverse('admin:registry_cohortmembership_changelist')}?cohort__id__exact={cohort.pk}"
    assert response.redirect_chain == [(members, 302)]
    assert "Imported Fortune Global 500 2019: " in response.content.decode()
    assert "organisations: 498 new, 2 updated; members: 500 new" in response.content.decode()
    assert cohort.memberships.count() == 500
    conglomerate = cohort.memberships.get(rank=97).organisation
    assert conglomerate.sector == m.Sector.FINANCE
    mapping = m.VocabularyMapping.objects.get()
    assert (mapping.source_key, mapping.value_key, mapping.sector) == (SOURCE, "conglomerates", "finance")
    assert conglomerate.history.first().history_user.username.startswith("editor")
    # The next list from the same source: the mapping is preselected, nothing to create.
    again = upload(editor_client)
    page = again.content.decode()
    assert '<option value="finance" selected>' in page
    assert "0 created, 0 updated" in page


@pytest.mark.django_db
def test_ambiguous_rows_are_offered_for_a_choice(editor_client, tmp_path):
    first = make_org("Delta Energy Co., Ltd.")
    make_org("Delta Energy Group")
    path = tmp_path / "delta.csv"
    path.write_text("Rank,Company,Sector\n1,Delta Energy,Energy\n", encoding="utf-8")
    response = upload(editor_client, path=path, cohort_name="Delta 2022", source_url="")
    page = response.content.decode()
    assert "Rows that match several organisations" in page and 'name="match-2"' in page
    data = {
        "payload": base64.b64encode(path.read_bytes()).decode(),
        "file_name": "delta.csv",
        "cohort_name": "Delta 2022",
        "match-2": str(first.pk),
        "confirm": "1",
    }
    response = editor_client.post(URL, data)
    assert response.status_code == 302
    assert m.Cohort.objects.get(name="Delta 2022").memberships.get().organisation == first


@pytest.mark.django_db
def test_bad_uploads_are_form_errors(editor_client):
    response = editor_client.post(URL, {"cohort_name": "X 2020"})
    assert response.status_code == 200 and "Choose the list" in response.content.decode()
    png = SimpleUploadedFile("list.csv", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    response = editor_client.post(URL, {"file": png, "cohort_name": "X 2020"})
    assert response.status_code == 200 and "PNG image" in response.content.decode()
    response = editor_client.post(URL, {"payload": "not base64!", "cohort_name": "X 2020"})
    assert "upload it again" in response.content.decode()


@pytest.mark.django_db
def test_viewers_cannot_import(client):
    client.force_login(viewer())
    assert client.get(URL).status_code in (302, 403)


@pytest.mark.django_db
def test_preview_queries_do_not_grow_with_the_list(editor_client, tmp_path, django_assert_num_queries):
    lines = (DATA / "china500_2020.csv").read_text(encoding="utf-8").splitlines()
    small = tmp_path / "small.csv"
    small.write_text("\n".join(lines[:22]) + "\n", encoding="utf-8")
    # user, the permission check (user's and groups' permissions: 2), cohort,
    # remembered mappings, name index, matched organisations, their figures,
    # their positions, people, the demo-data banner: 11 (the session comes
    # from the cache), for 20 rows as for 500
    for path in (small, DATA / "china500_2020.csv"):
        with django_assert_num_queries(11):
            response = upload(editor_client, path=path, cohort_name="中国企业500强 2020", source_url="")
        assert response.status_code == 200


@pytest.mark.django_db
def test_duplicate_report_and_merge_move_everything_onto_the_kept_organisation(editor_client):
    kept = m.Organisation.objects.get(name_en=seed.CHINA_TELECOM)
    duplicate = make_org("China Telecom Group Co., Ltd.", website="https://www.chinatelecom.example")
    platform = make_platform("toutiao-test", name="Test platform")
    account = make_account(duplicate, platform)
    cohort = make_cohort("Test list 2021", year=2021)
    m.CohortMembership.objects.create(cohort=cohort, organisation=duplicate, rank=7)
    person = make_person("Test Person")
    m.Position.objects.create(person=person, organisation=duplicate, title="Spokesperson")
    statement_source = make_source("A test article")
    statement = m.Statement.objects.create(quote="We test.", organisation=duplicate, source=statement_source)
    m.OrganisationFact.objects.create(organisation=duplicate, kind="revenue", year=2021, value=1, currency="CNY")

    report = editor_client.get("/admin/registry/organisation/duplicates/").content.decode()
    assert f"ids={kept.pk},{duplicate.pk}" in report

    merge_url = reverse("admin:registry_organisation_merge")
    page = editor_client.get(merge_url, {"ids": f"{kept.pk},{duplicate.pk}"}).content.decode()
    assert "China Telecom Group Co., Ltd." in page
    response = editor_client.post(merge_url, {"ids": f"{kept.pk},{duplicate.pk}", "keep": str(kept.pk)})
    assert response.status_code == 302
    assert not m.Organisation.objects.filter(pk=duplicate.pk).exists()
    account.refresh_from_db()
    statement.refresh_from_db()
    assert account.organisation == kept and statement.organisation == kept
    assert cohort.memberships.get().organisation == kept
    assert m.Position.objects.get(person=person).organisation == kept
    assert m.OrganisationFact.objects.get(kind="revenue", year=2021).organisation == kept
    kept.refresh_from_db()
    assert "China Telecom Group Co., Ltd." in kept.alias_list
    assert kept.website == "https://www.chinatelecom.example"
    # The removed organisation's history now belongs to the kept one.
    history = m.Organisation.history.filter(id=kept.pk)
    assert history.filter(name_en="China Telecom Group Co., Ltd.").exists()
    assert history.first().history_change_reason.startswith("Merged China Telecom Group Co., Ltd.")


@pytest.mark.django_db
def test_merge_keeps_the_kept_organisations_row_where_both_have_one(db):
    kept, other = make_org("Alpha Corp"), make_org("Alpha Corporation Ltd")
    cohort = make_cohort("Clash 2021", year=2021)
    m.CohortMembership.objects.create(cohort=cohort, organisation=kept, rank=1)
    m.CohortMembership.objects.create(cohort=cohort, organisation=other, rank=2)
    report = merge_organisations(kept, [other])
    assert report.dropped == {"memberships": 1}
    assert cohort.memberships.get().rank == 1


@pytest.mark.django_db
def test_duplicate_report_queries_do_not_grow(editor_client, django_assert_num_queries):
    url = "/admin/registry/organisation/duplicates/"
    # user, the permission check (user's and groups' permissions: 2), the name
    # index, the grouped organisations, the demo-data banner: 6
    baseline = editor_client.get(url).content.decode().count("Merge…")
    made = 0
    for pairs in (1, 20):
        for n in range(pairs):
            make_org(f"Twin {pairs}-{n} Co., Ltd.")
            make_org(f"Twin {pairs}-{n} Group")
        made += pairs
        with django_assert_num_queries(6):
            page = editor_client.get(url).content.decode()
        assert page.count("Merge…") == baseline + made
