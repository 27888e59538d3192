"""A cohort's members are edited a page at a time in the admin, so a list of
10,000 members saves (one page of fields, far below Django's 1,000-field limit)."""

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from registry import models as m
from tests.factories import editor


@pytest.fixture
def big_cohort(db):
    cohort = m.Cohort.objects.create(name="Top 10000", slug="top-10000", year=2024)
    organisations = m.Organisation.objects.bulk_create(
        m.Organisation(name_en=f"Company {i:05d}", name_key=f"company {i:05d}") for i in range(10_000)
    )
    m.CohortMembership.objects.bulk_create(
        m.CohortMembership(cohort=cohort, organisation=org, rank=i + 1) for i, org in enumerate(organisations)
    )
    return cohort


def _post_data(response) -> dict:
    """What the browser sends back: the cohort's fields and the shown page of members."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value not in (None, False, ""):
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value not in (None, False, ""):
                    data[sub.add_prefix(name)] = value
    return data


def test_a_10000_member_cohort_saves_in_the_admin(client, big_cohort, django_assert_num_queries):
    client.force_login(editor())
    url = reverse("admin:registry_cohort_change", args=[big_cohort.pk])
    # The user, their own and their groups' permissions, the cohort, the members'
    # count, one page of 50 members with their organisations, the cohort's content
    # type (history link; cached per process, so cleared first), the demo-data
    # flag: 8, however many members the cohort has.
    ContentType.objects.clear_cache()
    with django_assert_num_queries(8):
        page = client.get(url, {"members_page": 3})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Members page 3 of 200 (10000 members)" in body.replace(",", "")
    assert "Company 00100" in body and "Company 00150" not in body
    data = _post_data(page)
    assert len(data) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    member = page.context["inline_admin_formsets"][0].formset.forms[0]
    data[member.add_prefix("rank")] = 20_000  # change one member of this page
    data["description"] = "Edited"
    response = client.post(f"{url}?members_page=3", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    big_cohort.refresh_from_db()
    assert big_cohort.description == "Edited"
    assert big_cohort.memberships.count() == 10_000
    assert big_cohort.memberships.get(organisation__name_en="Company 00100").rank == 20_000


def test_a_member_is_added_with_the_organisation_search(client, big_cohort):
    client.force_login(editor())
    new = m.Organisation.objects.create(name_en="Newcomer Co")
    url = reverse("admin:registry_cohort_change", args=[big_cohort.pk])
    page = client.get(url)
    assert 'data-ajax--url="/admin/autocomplete/"' in page.content.decode()  # search-and-add, not a 10,000-option list
    data = _post_data(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = total + 1
    data[f"{prefix}-{total}-organisation"] = new.pk
    data[f"{prefix}-{total}-rank"] = 10_001
    response = client.post(url, data)
    assert response.status_code == 302
    assert big_cohort.memberships.count() == 10_001
