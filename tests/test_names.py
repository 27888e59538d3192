"""Names in either script: Chinese-only and English-only records, stored
pinyin / simplified search keys on the lists and in the admin, aliases that
resolve to one organisation, names shown first by language, and the SASAC
central SOE list as a real cohort."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from registry import models as m
from registry import names
from registry.reference import central_soes
from registry.seed import load_seed
from registry.signals import bump_data_version
from tests.factories import administrator, make_account, make_org, make_platform, viewer

COMPANIES = reverse("dashboard:company_list")
PEOPLE = reverse("dashboard:person_list")
ORG_ADMIN = reverse("admin:registry_organisation_changelist")
PERSON_ADMIN = reverse("admin:registry_person_changelist")
SINOPEC_QUERIES = ["zgsh", "zhongguoshihua", "zhong guo shi hua", "zhōngguó shíhuà", "中國石化", "中石化", "Sinopec"]


def sinopec():
    return m.Organisation.objects.create(
        name_en="China Petrochemical Corporation",
        name_zh="中国石油化工集团有限公司",
        short_name="Sinopec",
        aliases="Sinopec Group\n中国石化\n中石化",
    )


def count_queries(client, url, params) -> tuple[int, object]:
    bump_data_version()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx), response


# --------------------------------------------------------------------------- keys


def test_keys_fold_scripts_tones_spaces_and_case():
    assert names.keys_for_name("中國石化") == {("name", "中国石化"), ("pinyin", "zhongguoshihua"), ("initials", "zgsh")}
    assert names.keys_for_name("Sinopec Group") == {("name", "sinopecgroup")}
    assert names.keys_for_name("重庆银行") >= {("pinyin", "chongqingyinhang"), ("initials", "cqyh")}
    assert names.fold("Zhōng Guó") == names.fold("zhong guo") == "zhongguo"
    assert names.fold("  ,.  ") == ""


def test_pinyin_sort_key_orders_chinese_names_by_pinyin():
    ordered = sorted(["中国石化", "阿里巴巴", "北京银行"], key=names.pinyin_sort_key)
    assert ordered == ["阿里巴巴", "北京银行", "中国石化"]


def test_names_shown_first_follow_the_language():
    assert names.ordered_names("中国石化", "Sinopec", language="zh-hans") == ("中国石化", "Sinopec")
    assert names.ordered_names("中国石化", "Sinopec", language="en") == ("Sinopec", "中国石化")
    assert names.ordered_names("中国石化", "", language="en") == ("中国石化", "")


# --------------------------------------------------------------------------- one name is enough


@pytest.mark.django_db
def test_organisation_and_person_need_one_name_in_either_script():
    org = m.Organisation.objects.create(name_zh="中国石化集团")
    assert org.name_key == "中国石化集团" and str(org) == "中国石化集团"
    assert set(org.search_keys.values_list("key", flat=True)) == {"中国石化集团", "zhongguoshihuajituan", "zgshjt"}
    person = m.Person.objects.create(name_zh="吕大鹏")
    assert person.sort_zh == "lv3 da4 peng2" and str(person) == "吕大鹏"
    with pytest.raises(ValidationError):
        m.Organisation(name_en="", name_zh="").full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        m.Organisation.objects.create(name_en="", name_zh="")
    with transaction.atomic(), pytest.raises(IntegrityError):
        m.Person.objects.create(name_en="", name_zh="")


@pytest.mark.django_db
def test_keys_follow_renames():
    org = m.Organisation.objects.create(name_en="Old Name Co")
    org.name_zh = "新名字"
    org.save(update_fields=["name_zh"])
    assert m.Organisation.objects.searching("xmz").get() == org
    org.aliases = ""
    org.name_zh = ""
    org.save()
    assert not m.Organisation.objects.searching("xmz").exists()


@pytest.mark.django_db
def test_chinese_only_organisation_saves_in_the_admin(client):
    client.force_login(administrator())
    response = client.post(
        reverse("admin:registry_organisation_add"),
        {
            "name_en": "",
            "name_zh": "中国石化集团",
            "short_name": "",
            "aliases": "",
            "kind": "company",
            "ownership": "central_soe",
            "sector": "other",
            "province": "",
            "city": "",
            "website": "",
            "credit_code": "",
            "description": "",
            "accounts-TOTAL_FORMS": "0",
            "accounts-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "facts-TOTAL_FORMS": "0",
            "facts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    org = m.Organisation.objects.get(name_zh="中国石化集团")
    assert org.name_en == ""
    # ... and shows on the list, its page, the admin list and in search.
    client.force_login(viewer())
    assert "中国石化集团" in client.get(COMPANIES).content.decode()
    assert "中国石化集团" in client.get(COMPANIES, {"q": "zgshjt"}).content.decode()
    assert "中国石化集团" in client.get(org.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_blank_names_are_a_form_error_in_the_admin(client):
    client.force_login(administrator())
    response = client.post(
        reverse("admin:registry_organisation_add"),
        {
            "name_en": " ",
            "name_zh": "",
            "kind": "company",
            "ownership": "other",
            "sector": "other",
            "accounts-TOTAL_FORMS": "0",
            "accounts-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "facts-TOTAL_FORMS": "0",
            "facts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Give a Chinese name or an English name" in response.content.decode()
    assert not m.Organisation.objects.exists()


@pytest.mark.django_db
def test_chinese_only_import_creates_and_then_matches(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("企业名称,所有制\n中国石化集团,央企\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_data", "organisations", str(path), "--no-progress", stdout=out, stderr=io.StringIO())
    org = m.Organisation.objects.get()
    assert (org.name_en, org.name_zh, org.ownership) == ("", "中国石化集团", "central_soe")
    path.write_text("企业名称,所有制\n中國石化集團,央企\n", encoding="utf-8")  # traditional: the same organisation
    out = io.StringIO()
    call_command("import_data", "organisations", str(path), "--no-progress", stdout=out, stderr=io.StringIO())
    assert m.Organisation.objects.count() == 1
    people = tmp_path / "people.csv"
    people.write_text("中文名\n吕大鹏\n", encoding="utf-8")
    call_command("import_data", "people", str(people), "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
    assert m.Person.objects.get().name_zh == "吕大鹏"


# --------------------------------------------------------------------------- search


@pytest.mark.django_db
def test_every_alias_resolves_to_one_organisation():
    org = sinopec()
    make_org("China Telecom Corp Ltd", name_zh="中国电信股份有限公司")
    for name in [
        "中国石化",
        "中石化",
        "Sinopec",
        "Sinopec Group",
        "中国石油化工集团有限公司",
        "中國石化",
        "SINOPEC group",
    ]:
        assert list(m.Organisation.objects.matching_name(name).distinct()) == [org], name
    # Pinyin is for search, not for matching names in imports.
    assert not m.Organisation.objects.matching_name("zgsh").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("query", SINOPEC_QUERIES)
def test_company_search_finds_sinopec(client, query):
    org = sinopec()
    make_org("China Mobile", name_zh="中国移动")
    client.force_login(viewer())
    response = client.get(COMPANIES, {"q": query})
    rows = list(response.context["table"].data)
    assert org in rows
    if query not in ("zhōngguó shíhuà",):
        assert len(rows) == 1, query


@pytest.mark.django_db
@pytest.mark.parametrize("query", SINOPEC_QUERIES)
def test_admin_search_finds_sinopec(client, query):
    org = sinopec()
    make_org("China Mobile", name_zh="中国移动")
    client.force_login(administrator())
    response = client.get(ORG_ADMIN, {"q": query})
    assert response.status_code == 200
    assert org in list(response.context["cl"].result_list), query
    assert "China Mobile" not in [o.name_en for o in response.context["cl"].result_list]


@pytest.mark.django_db
def test_people_search_by_pinyin_on_the_list_and_in_the_admin(client):
    lyu = m.Person.objects.create(name_en="Lyu Dapeng", name_zh="吕大鹏")
    m.Person.objects.create(name_en="Li Zhengmao", name_zh="李正茂")
    client.force_login(viewer())
    for query in ["ldp", "lvdapeng", "呂大鵬", "Lyu"]:
        assert list(client.get(PEOPLE, {"q": query}).context["table"].data) == [lyu], query
    client.force_login(administrator())
    assert list(client.get(PERSON_ADMIN, {"q": "ldp"}).context["cl"].result_list) == [lyu]


@pytest.mark.django_db
def test_search_query_counts_do_not_grow(client):
    client.force_login(viewer())
    sinopec()
    client.get(COMPANIES)
    small, _ = count_queries(client, COMPANIES, {"q": "zgsh"})
    small_people, _ = count_queries(client, PEOPLE, {"q": "ldp"})
    for i in range(25):
        make_org(f"Company {i}", name_zh=f"中国公司{i}号")
        m.Person.objects.create(name_en=f"Person {i}", name_zh=f"李{i}")
    large, response = count_queries(client, COMPANIES, {"q": "zgsh"})
    assert large == small
    assert [o.name_en for o in response.context["table"].data] == ["China Petrochemical Corporation"]
    assert count_queries(client, PEOPLE, {"q": "ldp"})[0] == small_people
    # companies: user, user permissions, group permissions, cohorts (filter choices),
    # main platforms, row count, one page of rows (search is a subquery), demo banner
    assert small == 8


# --------------------------------------------------------------------------- display


@pytest.mark.django_db
def test_chinese_first_in_chinese_and_english_first_in_english(client):
    from django.template import Context, Template

    org = sinopec()
    client.force_login(viewer())
    english = client.get(org.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    head_en = english[english.index("<h1") : english.index("</h1>")]
    assert head_en.index("China Petrochemical") < head_en.index("中国石油化工")
    assert '<small class="muted other-name" lang="zh">中国石油化工集团有限公司</small>' in head_en
    template = Template("{% load names %}{% bilingual org %}|{{ org|shown_name }}")
    with translation.override("zh-hans"):
        chinese = template.render(Context({"org": org}))
    assert chinese == (
        '<span lang="zh">中国石油化工集团有限公司</span> '
        '<small class="muted other-name" lang="en">China Petrochemical Corporation</small>|中国石油化工集团有限公司'
    )


@pytest.mark.django_db
def test_tables_sort_by_the_shown_name():
    a = m.Organisation.objects.create(name_en="Zeta Corp", name_zh="阿尔法公司")
    b = m.Organisation.objects.create(name_en="Alpha Corp", name_zh="中国公司")
    assert list(m.Organisation.objects.by_shown_name(language="en")) == [b, a]
    assert list(m.Organisation.objects.by_shown_name(language="zh-hans")) == [a, b]


# --------------------------------------------------------------------------- central SOEs


@pytest.mark.django_db
def test_central_soe_list_loads_with_its_source_and_a_second_load_changes_nothing():
    load_seed()
    seeded = m.Organisation.objects.get(name_zh="中国石油化工集团有限公司")
    rows = central_soes.read_list()
    assert len(rows) >= 95
    summary = central_soes.load_central_soes()
    cohort = m.Cohort.objects.get(slug=central_soes.COHORT_SLUG)
    assert not cohort.is_demo and cohort.name_zh == "中央企业名录"
    assert cohort.source.url == central_soes.SOURCE_URL and cohort.source.published_on.isoformat() == "2026-07-11"
    members = m.CohortMembership.objects.filter(cohort=cohort)
    assert members.count() == len(rows) == cohort.nominal_size
    assert not members.filter(is_demo=True).exists() and not members.exclude(source=cohort.source).exists()
    # The seed's Sinopec is a member, not a duplicate.
    assert members.filter(organisation=seeded).exists()
    assert m.Organisation.objects.filter(name_zh="中国石油化工集团有限公司").count() == 1
    assert summary["Organisation"]["created"] == len(rows) - 2  # Sinopec and CISRI come from the seed
    # No account is invented.
    assert not m.Account.objects.filter(organisation__memberships__cohort=cohort).exists()

    def snapshot():
        return (
            list(m.Organisation.objects.order_by("pk").values()),
            list(m.CohortMembership.objects.order_by("pk").values()),
            list(m.Source.objects.order_by("pk").values()),
            m.Organisation.history.count(),
        )

    before = snapshot()
    again = central_soes.load_central_soes()
    load_seed()
    central_soes.load_central_soes()
    assert snapshot() == before
    assert all(c["created"] == c["updated"] == 0 for c in again.values())


@pytest.mark.django_db
def test_load_reference_command_and_demo_leave_the_cohort_real():
    from registry.demo import generate_demo

    out = io.StringIO()
    call_command("load_reference", stdout=out)
    assert "Reference lists loaded" in out.getvalue()
    generate_demo(companies=20)
    cohort = m.Cohort.objects.get(slug=central_soes.COHORT_SLUG)
    assert not m.CohortMembership.objects.filter(cohort=cohort, is_demo=True).exists()
    assert not m.CohortMembership.objects.filter(cohort=cohort, organisation__is_demo=True).exists()
    assert not m.Account.objects.filter(organisation__memberships__cohort=cohort).exists()


@pytest.mark.django_db
def test_overview_says_plainly_when_a_cohort_has_no_account_data(client):
    central_soes.load_central_soes()
    make_platform("wechat", "WeChat")
    client.force_login(viewer())
    slug = central_soes.COHORT_SLUG
    response = client.get(reverse("dashboard:overview"), {"cohort": slug})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No account data recorded for this list yet" in html
    assert "not shown rather than shown as zeros" in html
    assert 'class="stat-headline"' not in html
    # With one member's account the figures show, with the coverage line.
    org = m.Organisation.objects.get(name_zh="中国石油化工集团有限公司")
    make_account(org, m.Platform.objects.get(slug="wechat"))
    bump_data_version()
    html = client.get(reverse("dashboard:overview"), {"cohort": slug}).content.decode()
    size = m.CohortMembership.objects.filter(cohort__slug=slug).count()
    assert f"1 of {size} members have any account recorded" in html
    detail = client.get(m.Organisation.objects.get(name_zh="中国移动通信集团有限公司").get_absolute_url())
    assert "No account recorded." in detail.content.decode()


@pytest.mark.django_db
def test_chinese_only_member_shows_on_the_list_its_page_the_admin_and_the_charts(client):
    from tests.factories import add_member, make_cohort

    cohort = make_cohort("A list", year=2024, slug="a-list")
    wechat = make_platform("wechat", "WeChat")
    org = m.Organisation.objects.create(name_zh="中国石化集团")
    add_member(cohort, org, rank=1)
    make_account(org, wechat)
    quiet = m.Organisation.objects.create(name_zh="无账号集团")
    add_member(cohort, quiet, rank=2)
    client.force_login(administrator())
    pages = [
        (COMPANIES, {"cohort": "a-list"}),
        (org.get_absolute_url(), {}),
        (ORG_ADMIN, {}),
        (reverse("dashboard:chart", args=["presence-matrix"]), {"cohort": "a-list"}),
        (reverse("dashboard:platform_detail", args=["wechat"]), {"cohort": "a-list"}),
    ]
    for url, params in pages:
        response = client.get(url, params)
        assert response.status_code == 200, url
        assert "中国石化集团" in response.content.decode(), url
    listing = client.get(COMPANIES, {"cohort": "a-list"}).content.decode()
    assert listing.count("No account recorded") == 1  # the member without any account, not the other


@pytest.mark.django_db
def test_statement_matching_finds_traditional_and_short_names():
    from registry.statements.service import match_names

    org = sinopec()
    matches = match_names([], ["中國石化", "中石化", "Sinopec Group"])
    assert len(matches.organisations) == 3
    assert all(match.existing == org for match in matches.organisations.values())
