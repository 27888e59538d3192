"""Synthetic demo data is always marked. With the seed article and demo data
loaded, every headline card, table row, published-figure verdict and admin
page that includes synthetic rows carries the mark, counts that mix real and
synthetic rows say how many of each, and nothing real is marked."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from dashboard import queries
from registry.demo import clear_demo, generate_demo
from registry.models import Account, AccountMetric, Cohort, CohortMembership, Organisation, Platform
from registry.seed import TOP_500_SLUG
from registry.synthetic import is_synthetic
from tests.factories import add_member, administrator, make_account, make_org, viewer

MARK = 'class="badge synthetic"'
VERDICT = "not checkable: synthetic data"


@pytest.fixture
def demo(db):
    generate_demo(companies=30, seed=3)  # loads the seed article first
    return Cohort.objects.get(slug=TOP_500_SLUG)


@pytest.fixture
def viewer_client(client, db):
    client.force_login(viewer())
    return client


@pytest.fixture
def admin_client_(client, db):
    client.force_login(administrator())
    return client


def _chunks(html: str, start: str) -> list[str]:
    """The pieces of ``html`` that begin with ``start`` (cards, rows, ...)."""
    return [start + piece for piece in html.split(start)[1:]]


def _rows(html: str) -> list[str]:
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [row.split("</tr>", 1)[0] for row in body.split("<tr")[1:]]


def test_every_headline_card_of_a_cohort_with_synthetic_members_is_marked(viewer_client, demo):
    response = viewer_client.get(reverse("dashboard:overview"))
    html = response.content.decode()
    cards = _chunks(html.split('aria-label="Headline figures"', 1)[1].split("</section>", 1)[0], '<article class="stat')
    assert len(cards) == Platform.objects.filter(is_main=True).count()
    assert all(MARK in card for card in cards)
    assert "All 30 organisations in this view are synthetic demo data" in html
    # Each chart panel says it too.
    assert html.count('<span class="badge synthetic">Synthetic demo data</span>') == 3


def test_cards_split_a_count_that_mixes_real_and_synthetic(viewer_client, demo):
    wechat = Platform.objects.get(slug="wechat")
    real = make_org("Real Member Group")
    add_member(demo, real, rank=999)
    make_account(real, wechat, opened_on=datetime.date(2015, 1, 1))
    synthetic_on_wechat = (
        Account.objects.active_on(datetime.date.today())
        .filter(platform=wechat, organisation__memberships__cohort=demo, organisation__is_demo=True)
        .values("organisation")
        .distinct()
        .count()
    )
    html = viewer_client.get(reverse("dashboard:overview")).content.decode()
    card = next(c for c in _chunks(html, '<article class="stat') if ">WeChat</a>" in c)
    assert MARK in card
    assert f"1 of 1 real, {synthetic_on_wechat} of 30 synthetic" in card
    assert "This view counts 1 real and 30 synthetic demo organisations" in html


def test_company_rows_of_synthetic_companies_are_marked_and_real_ones_are_not(viewer_client, demo):
    response = viewer_client.get(reverse("dashboard:company_list"), {"per_page": 200})
    rows = _rows(response.content.decode())
    demo_names = set(Organisation.objects.companies().filter(is_demo=True).values_list("name_en", flat=True))
    assert len(rows) == Organisation.objects.companies().count()
    for row in rows:
        synthetic = any(f">{name}</a>" in row for name in demo_names)
        assert (MARK in row) == synthetic, row[:300]
    real = Organisation.objects.companies().filter(is_demo=False).count()
    assert f"{real} real, {len(demo_names)} synthetic." in response.content.decode()
    # The download says which rows are synthetic.
    download = viewer_client.get(reverse("dashboard:company_list"), {"_export": "csv"})
    lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    column = lines[0].index("Synthetic demo data")
    assert {row[0]: row[column] for row in lines[1:]} == {
        name: "yes" if name in demo_names else "no" for name in (row[0] for row in lines[1:])
    }


def test_platform_rows_and_counts_split_real_and_synthetic(viewer_client, demo):
    html = viewer_client.get(reverse("dashboard:platform_list")).content.decode()
    summaries = {s.platform.slug: s for s in queries.platform_summaries()}
    for row in _rows(html):
        slug = re.search(r'href="/platforms/([-\w]+)/"', row).group(1)
        summary = summaries[slug]
        assert (MARK in row) == bool(summary.synthetic_organisations), slug
        if summary.synthetic_organisations:
            assert "all synthetic" in row or f"{summary.real_organisations} real" in row
    assert "counts every organisation in the registry" in html


def test_platform_page_marks_its_synthetic_adopters(viewer_client, demo):
    html = viewer_client.get(reverse("dashboard:platform_detail", args=["wechat"])).content.decode()
    rows = _rows(html)
    assert rows and all(MARK in row for row in rows)
    assert "All of them are synthetic demo organisations" in html


def test_index_ranking_marks_synthetic_accounts(viewer_client, demo):
    response = viewer_client.get(reverse("dashboard:indices"))
    html = response.content.decode()
    rows = _rows(html.split('class="table ranking"', 1)[1])
    assert rows and all(MARK in row for row in rows)
    assert f"All {response.context['count']} accounts ranked belong to synthetic demo organisations" in html
    annotations = response.context["figure"]["layout"]["annotations"]
    assert any("Synthetic demo data" in a["text"] for a in annotations)  # the chart's own label


def test_a_figure_checked_against_synthetic_members_is_not_checkable(viewer_client, demo):
    response = viewer_client.get(reverse("dashboard:figure_list"))
    checks = response.context["checks"]
    assert checks and all(c.figure.cohort_id == demo.pk for c in checks)
    assert all(c.verdict == VERDICT for c in checks)
    html = response.content.decode()
    rows = _rows(html)
    assert len(rows) == len(checks)
    for row in rows:
        assert f'<span class="badge synthetic">{VERDICT}</span>' in row
        assert 'badge ok">consistent' not in row
        assert "30 of them synthetic" in row


def test_figure_verdicts_return_once_the_demo_data_is_gone(viewer_client, demo):
    clear_demo()
    checks = viewer_client.get(reverse("dashboard:figure_list")).context["checks"]
    assert checks and all(c.verdict != VERDICT for c in checks)
    assert MARK not in viewer_client.get(reverse("dashboard:overview")).content.decode()


@pytest.mark.parametrize(
    "model",
    [Organisation, Cohort, CohortMembership, Account, AccountMetric],
    ids=lambda model: model.__name__,
)
def test_admin_lists_show_the_banner_and_mark_every_synthetic_row(admin_client_, demo, model):
    url = reverse(f"admin:registry_{model._meta.model_name}_changelist")
    html = admin_client_.get(url).content.decode()
    assert 'class="synthetic-banner"' in html
    rows = _rows(html.split('id="result_list"', 1)[1])
    assert rows
    change = re.compile(rf"/admin/registry/{model._meta.model_name}/(\d+)/change/")
    shown = {int(change.search(row).group(1)): row for row in rows}
    records = model.objects.filter(pk__in=shown)
    if model is AccountMetric:
        records = records.select_related("account")
    for record in records:
        assert (MARK in shown[record.pk]) == is_synthetic(record), shown[record.pk][:300]
    assert any(is_synthetic(record) for record in records)


def test_admin_pages_of_synthetic_records_say_so(admin_client_, demo):
    organisation = Organisation.objects.filter(is_demo=True).first()
    metric = AccountMetric.objects.filter(account__is_demo=True).first()
    for url in (
        reverse("admin:registry_organisation_change", args=[organisation.pk]),
        reverse("admin:registry_accountmetric_change", args=[metric.pk]),
    ):
        html = admin_client_.get(url).content.decode()
        assert 'class="synthetic-banner"' in html
        assert 'class="synthetic-record"' in html and MARK in html
    real = Organisation.objects.filter(is_demo=False).first()
    html = admin_client_.get(reverse("admin:registry_organisation_change", args=[real.pk])).content.decode()
    assert 'class="synthetic-record"' not in html
    assert 'class="synthetic-banner"' in html  # the registry still holds demo rows


def test_no_banner_once_the_demo_data_is_gone(admin_client_, demo):
    clear_demo()
    html = admin_client_.get(reverse("admin:index")).content.decode()
    assert 'class="synthetic-banner"' not in html
