"""Synthetic demo data: reproducible, flagged, removable, and shaped like the
article's figures."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Sum

from registry.demo import DAILY_START, DEMO_COHORT_SLUG, LAST_DATE, DemoDataInUse, clear_demo, generate_demo
from registry.models import (
    Account,
    AccountLatest,
    AccountMetric,
    AccountStatus,
    Cohort,
    CohortMembership,
    Organisation,
    OrganisationSearchKey,
    Source,
    Statement,
)
from registry.seed import TOP_500_SLUG, load_seed
from registry.validators import validate_credit_code

pytestmark = pytest.mark.django_db

ARTICLE_DATE = datetime.date(2021, 6, 30)


def _snapshot() -> dict:
    """Everything that identifies the generated data, independent of row ids."""
    return {
        "companies": sorted(Organisation.objects.filter(is_demo=True).values_list("name_en", "credit_code")),
        "accounts": sorted(
            Account.objects.filter(is_demo=True).values_list(
                "organisation__name_en", "platform__slug", "handle", "opened_on", "closed_on"
            )
        ),
        "memberships": sorted(
            CohortMembership.objects.filter(is_demo=True).values_list(
                "cohort__slug", "organisation__name_en", "rank", "revenue_rmb_m"
            )
        ),
        "metrics": AccountMetric.objects.filter(account__is_demo=True).aggregate(
            rows=Count("id"),
            followers=Sum("followers"),
            posts=Sum("posts"),
            reads=Sum("reads"),
            shares=Sum("shares"),
            likes=Sum("likes"),
        ),
    }


def _adopters(cohort, slug: str, on: datetime.date) -> int:
    return (
        Account.objects.active_on(on)
        .filter(organisation__memberships__cohort=cohort, platform__slug=slug)
        .values("organisation")
        .distinct()
        .count()
    )


def _real_counts() -> dict[str, int]:
    """Rows in every registry table minus demo rows; history tables in full, as
    demo rows must never leave history behind."""
    counts = {}
    for model in apps.get_app_config("registry").get_models(include_auto_created=True):
        qs = model.objects.all()
        if model in (AccountMetric, AccountLatest):  # per account, so demo with the account
            qs = qs.exclude(account__is_demo=True)
        elif model is OrganisationSearchKey:  # per organisation, so demo with the organisation
            qs = qs.exclude(organisation__is_demo=True)
        elif "is_demo" in {f.name for f in model._meta.fields} and not model.__name__.startswith("Historical"):
            qs = qs.filter(is_demo=False)
        counts[model._meta.label] = qs.count()
    return counts


def test_same_seed_same_data_and_another_seed_differs():
    generate_demo(companies=40, seed=7)
    first = _snapshot()
    generate_demo(companies=40, seed=7)  # replaces the previous rows
    assert _snapshot() == first
    generate_demo(companies=40, seed=8)
    other = _snapshot()
    assert other["companies"] != first["companies"]
    assert other["accounts"] != first["accounts"]
    assert other["metrics"] != first["metrics"]


def test_the_article_figures_hold_for_the_top_500_on_its_date_and_today():
    generate_demo(companies=500, seed=2021)
    cohort = Cohort.objects.get(slug=TOP_500_SLUG)
    assert cohort.memberships.count() == 500
    for on in (ARTICLE_DATE, datetime.date.today()):
        wechat, weibo = _adopters(cohort, "wechat", on), _adopters(cohort, "weibo", on)
        douyin, kuaishou = _adopters(cohort, "douyin", on), _adopters(cohort, "kuaishou", on)
        assert 400 < wechat < 500, on  # "more than 400 companies ... on WeChat"
        assert 200 < weibo < 300, on  # "more than 200 ... on Weibo"
        assert 0 < douyin < weibo and 0 < kuaishou < weibo, on  # "some ... Douyin and Kuaishou"
        assert kuaishou < douyin
        for smaller in ("bilibili", "toutiao", "xiaohongshu", "wechat-channels"):
            assert _adopters(cohort, smaller, on) < kuaishou, smaller
    # Overseas accounts belong mostly to central SOEs.
    overseas = Account.objects.filter(is_demo=True, platform__region="overseas")
    assert overseas.filter(organisation__ownership="central_soe").count() > overseas.count() / 2


def test_the_lists_look_like_the_top_500():
    generate_demo(companies=60, seed=3)
    top = CohortMembership.objects.filter(cohort__slug=TOP_500_SLUG).order_by("rank")
    assert list(top.values_list("rank", flat=True)) == list(range(1, 61))
    revenues = list(top.values_list("revenue_rmb_m", flat=True))
    assert revenues == sorted(revenues, reverse=True)
    assert 2_000_000 < revenues[0] < 3_600_000
    demo_list = Cohort.objects.get(slug=DEMO_COHORT_SLUG)
    assert demo_list.is_demo and demo_list.year == 2021
    members_2021 = set(demo_list.memberships.values_list("organisation_id", flat=True))
    members_2020 = set(top.values_list("organisation_id", flat=True))
    assert len(members_2021) == 60
    assert len(members_2021 & members_2020) == round(0.92 * 60)  # the rest are newcomers
    ownership = dict(
        Organisation.objects.filter(memberships__cohort__slug=TOP_500_SLUG)
        .values_list("ownership")
        .annotate(n=Count("id"))
    )
    assert ownership["local_soe"] > ownership["private"] > ownership["central_soe"] > 0


def test_every_demo_row_is_flagged_and_synthetic():
    load_seed()
    before = _real_counts()
    generate_demo(companies=40, seed=5)
    assert _real_counts() == before  # nothing real was added, changed into history, or removed
    companies = Organisation.objects.filter(is_demo=True)
    assert companies.count() == 40 + 40 - round(0.92 * 40)
    for name_en, name_zh, code in companies.values_list("name_en", "name_zh", "credit_code"):
        assert name_en.endswith(" (demo)") and name_zh.endswith("（演示）")
        validate_credit_code(code)
    assert not Account.objects.filter(organisation__is_demo=True, is_demo=False).exists()
    assert not CohortMembership.objects.filter(organisation__is_demo=True, is_demo=False).exists()
    assert Account.objects.filter(is_demo=True).exists()


def test_accounts_two_on_one_platform_count_once_and_closures_keep_the_count():
    generate_demo(companies=100, seed=11)
    cohort = Cohort.objects.get(slug=TOP_500_SLUG)
    open_accounts = Account.objects.active_on(ARTICLE_DATE).filter(organisation__memberships__cohort=cohort)
    doubles = open_accounts.values("organisation", "platform").annotate(n=Count("id")).filter(n__gt=1)
    assert doubles.exists()
    assert _adopters(cohort, "wechat", ARTICLE_DATE) == round(0.84 * 100)
    assert _adopters(cohort, "weibo", ARTICLE_DATE) == round(0.45 * 100)
    closed = Account.objects.filter(is_demo=True, closed_on__isnull=False)
    assert closed.exists()
    assert not closed.exclude(status=AccountStatus.CLOSED).exists()
    assert not closed.filter(closed_on__lt=F("opened_on")).exists()
    for account in closed:
        # The company still has an account open there on the article's date.
        assert (
            Account.objects.active_on(ARTICLE_DATE)
            .filter(organisation=account.organisation_id, platform=account.platform_id)
            .exists()
        )
    assert not Account.objects.filter(is_demo=True, opened_on__gt=LAST_DATE).exists()
    assert not Account.objects.filter(
        is_demo=True, platform__slug__in=["wechat", "weibo", "douyin", "kuaishou"], opened_on__gt=ARTICLE_DATE
    ).exists()


def test_metrics_are_consistent():
    generate_demo(companies=30, seed=13)
    metrics = AccountMetric.objects.filter(account__is_demo=True)
    assert not metrics.filter(headline_reads__gt=F("reads")).exists()
    assert not metrics.filter(max_reads__gt=F("reads")).exists()
    assert not metrics.filter(date__gt=LAST_DATE).exists()
    assert not metrics.filter(date__lt=F("account__opened_on")).exists()
    assert not metrics.filter(account__closed_on__isnull=False, date__gt=F("account__closed_on")).exists()
    # Follower snapshots fall on the 1st of the month; a 90-day daily series for WeChat.
    assert {d.day for d in metrics.filter(followers__isnull=False).values_list("date", flat=True)} == {1}
    wechat = Account.objects.filter(
        is_demo=True, platform__slug="wechat", closed_on=None, opened_on__lte=DAILY_START
    ).first()
    daily = wechat.metrics.filter(posts__isnull=False)
    assert daily.count() == 90
    assert daily.filter(posts__gt=0, reads__gt=0).exists()
    snapshots = wechat.metrics.filter(followers__isnull=False).order_by("date")
    followers = list(snapshots.values_list("followers", flat=True))
    assert followers == sorted(followers) and len(followers) > 1


def test_clear_removes_demo_rows_and_leaves_the_seed():
    load_seed()
    before = _real_counts()
    call_command("generate_demo", "--companies", "20", "--seed", "1", stdout=io.StringIO())
    out = io.StringIO()
    call_command("generate_demo", "--clear", stdout=out)
    assert "Deleted the demo data" in out.getvalue()
    assert not Organisation.objects.filter(is_demo=True).exists()
    assert not Account.objects.exists()
    assert not AccountMetric.objects.exists()
    assert not CohortMembership.objects.exists()
    assert not Cohort.objects.filter(is_demo=True).exists()
    assert _real_counts() == before
    assert Cohort.objects.filter(slug=TOP_500_SLUG).exists()


def test_clear_refuses_when_real_records_point_at_demo_rows():
    generate_demo(companies=10, seed=1)
    Statement.objects.create(
        quote="A test statement.",
        source=Source.objects.first(),
        organisation=Organisation.objects.filter(is_demo=True).first(),
    )
    with pytest.raises(DemoDataInUse):
        clear_demo()
    with pytest.raises(CommandError, match="Statements are filed under demo organisations"):
        call_command("generate_demo", "--clear", stdout=io.StringIO())


def test_if_empty_skips_when_demo_data_exists():
    call_command("generate_demo", "--companies", "15", "--seed", "2", stdout=io.StringIO())
    before = _snapshot()
    out = io.StringIO()
    call_command("generate_demo", "--if-empty", "--companies", "25", stdout=out)
    assert "already exists" in out.getvalue()
    assert _snapshot() == before


def test_command_loads_the_seed_when_missing_and_prints_a_summary():
    assert not Cohort.objects.exists()
    out = io.StringIO()
    call_command("generate_demo", "--if-empty", "--companies", "12", "--seed", "4", stdout=out)
    text = out.getvalue()
    assert "Companies: 13" in text and "Metric rows:" in text and "wechat" in text
    assert Source.objects.filter(statements__isnull=False).distinct().count() == 1
    assert CohortMembership.objects.filter(cohort__slug=TOP_500_SLUG).count() == 12


@pytest.mark.parametrize("companies", ["0", "5001"])
def test_command_rejects_a_company_count_out_of_range(companies):
    with pytest.raises(CommandError, match="between 1 and 5000"):
        call_command("generate_demo", "--companies", companies, stdout=io.StringIO())
    assert not Organisation.objects.exists()
