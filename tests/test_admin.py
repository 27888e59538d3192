import datetime

import pytest
from django.urls import reverse

from registry.models import Account, Organisation
from tests.factories import administrator, editor, make_cohort_with_adoption, viewer


@pytest.mark.django_db
def test_admin_edit_changes_the_overview_on_next_request(client):
    cohort, platforms = make_cohort_with_adoption(members=4, wechat=2, weibo=0)
    client.force_login(editor())
    url = reverse("dashboard:overview")
    before = client.get(url, {"cohort": cohort.slug}).context["cards"][0]["row"].adopters
    assert before == 2

    # Close one WeChat account through the admin's change form.
    account = Account.objects.filter(platform=platforms["wechat"]).first()
    change = reverse("admin:registry_account_change", args=[account.pk])
    form = client.get(change).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "closed_on": "2016-01-01",
            "status": "closed",
            "opened_on": "2015-01-01",
            "metrics-TOTAL_FORMS": "0",
            "metrics-INITIAL_FORMS": "0",
            "metrics-MIN_NUM_FORMS": "0",
            "metrics-MAX_NUM_FORMS": "1000",
        }
    )
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert Account.objects.get(pk=account.pk).closed_on == datetime.date(2016, 1, 1)

    after = client.get(url, {"cohort": cohort.slug}).context["cards"][0]["row"].adopters
    assert after == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model",
    [
        "organisation",
        "cohort",
        "cohortmembership",
        "platform",
        "account",
        "accountmetric",
        "person",
        "position",
        "source",
        "statement",
        "activity",
        "publishedfigure",
        "topic",
        "allowedemaildomain",
        "briefingschedule",
        "alertsubscription",
    ],
)
def test_every_admin_list_and_add_page_renders(client, model):
    make_cohort_with_adoption(members=2, wechat=1, weibo=1)
    client.force_login(administrator())
    assert client.get(reverse(f"admin:registry_{model}_changelist"), {"q": "x"}).status_code == 200
    assert client.get(reverse(f"admin:registry_{model}_add")).status_code == 200


@pytest.mark.django_db
def test_viewer_cannot_use_admin(client):
    client.force_login(viewer())
    response = client.get(reverse("admin:registry_organisation_changelist"))
    assert response.status_code == 302  # staff-only: sent to the admin login
    assert Organisation.objects.count() == 0
