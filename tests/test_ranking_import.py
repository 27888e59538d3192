"""``import_data ranking``: a published list in one step after the seed —
cohort, ranks, websites, countries, figures, CEOs — matched to the seed's
organisations, idempotent, all-or-nothing; the Chinese-headed list the same."""

import decimal
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from registry import models as m
from registry import seed
from registry.imports.ranking import import_ranking, plan_ranking, read_ranking

DATA = Path(__file__).parent / "data"
GLOBAL500 = DATA / "global500_2019.tsv"
CHINA500 = DATA / "china500_2020.csv"


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command("import_data", "ranking", *map(str, args), stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    seed.load_seed()
    return {
        "sinopec": m.Organisation.objects.get(name_en=seed.SINOPEC),
        "telecom": m.Organisation.objects.get(name_en=seed.CHINA_TELECOM),
    }


@pytest.mark.django_db
def test_fortune_tsv_imports_in_one_command_and_reuses_the_seed(seeded):
    organisations = m.Organisation.objects.count()
    out = run(GLOBAL500, cohort_name="Fortune Global 500 2019", source="https://example.org/global500-2019")
    assert "Imported Fortune Global 500 2019" in out
    cohort = m.Cohort.objects.get(name="Fortune Global 500 2019")
    assert cohort.year == 2019 and cohort.source.url == "https://example.org/global500-2019"
    assert cohort.memberships.count() == 500
    assert sorted(cohort.memberships.values_list("rank", flat=True)) == list(range(1, 501))
    # 498 invented companies are new; the two seed organisations are found, not duplicated.
    assert m.Organisation.objects.count() == organisations + 498
    sinopec, telecom = seeded["sinopec"], seeded["telecom"]
    assert cohort.memberships.get(rank=2).organisation == sinopec
    assert cohort.memberships.get(rank=130).organisation == telecom
    assert "Sinopec Group → China Petrochemical Corporation" in out
    sinopec.refresh_from_db()
    assert sinopec.website == "http://www.sinopec.com" and sinopec.country == "China"
    assert sinopec.ownership == m.Ownership.CENTRAL_SOE  # a list never overwrites what an editor set
    # Websites and countries of the members; ownership hint for foreign ones.
    first = cohort.memberships.get(rank=1).organisation
    assert first.name_en == "Estreline Limited" and first.website == "https://www.estreline.com"
    assert first.country == "U.S." and first.ownership == m.Ownership.FOREIGN
    members = m.Organisation.objects.filter(memberships__cohort=cohort)
    assert members.exclude(country="").count() == 500
    assert members.exclude(website="").count() > 300
    # Sectors from Fortune's vocabulary; the unknown one is "other" with a warning.
    assert first.sector == m.Sector.RETAIL
    assert "'Conglomerates' (5 rows) is not a known sector value; imported as “Other”." in out
    # Figures with currency and year; "($594)" is negative; "-" is missing.
    revenue = m.OrganisationFact.objects.get(organisation=first, kind="revenue")
    assert (revenue.year, revenue.currency, revenue.published_unit) == (2019, "USD", "$M")
    assert revenue.value == decimal.Decimal("510150.35")
    assert m.OrganisationFact.objects.filter(kind="profit", value__lt=0).exists()
    assert m.OrganisationFact.objects.filter(kind="profit", cohort=cohort).count() == 490
    assert m.OrganisationFact.objects.get(organisation=first, kind="employees").value == 543649
    # Headquarters to city and province where they parse.
    shenzhen = members.filter(city="Shenzhen").first()
    assert shenzhen is not None and shenzhen.province == "Guangdong"
    assert members.filter(city="Paris", province="").exists()
    # CEO to a person with a position; the mis-decoded name reported and repaired.
    assert m.Position.objects.get(organisation=first, title="CEO").person.name_en == "Mika M. Krall"
    assert "'Jonas K盲llberg' looks mis-decoded" in out and "'Jonas Källberg'" in out
    assert m.Person.objects.filter(name_en="Jonas Källberg").exists()
    # The junk last line and the columns not imported are reported, not errors.
    assert "Line 502 holds only blanks or control characters; skipped." in out
    assert "Columns not imported: Revenue Percent Change, Profits Percent Change, Change in Rank" in out

    again = run(GLOBAL500, cohort_name="Fortune Global 500 2019", source="https://example.org/global500-2019")
    assert "0 created, 0 updated" in again
    assert m.Organisation.objects.count() == organisations + 498


@pytest.mark.django_db
def test_chinese_list_imports_with_wan_yuan_converted(seeded):
    organisations = m.Organisation.objects.count()
    out = run(CHINA500, cohort_name="中国企业500强 2020")
    cohort = m.Cohort.objects.get(year=2020, name="中国企业500强 2020")
    assert cohort.memberships.count() == 500
    assert m.Organisation.objects.count() == organisations + 498
    assert cohort.memberships.get(rank=3).organisation == seeded["sinopec"]
    assert cohort.memberships.get(rank=25).organisation == seeded["telecom"]
    first = cohort.memberships.select_related("organisation").get(rank=1)
    # 288,165,857 万元 = 2,881,658.57 million yuan, recorded with the unit as published.
    revenue = m.OrganisationFact.objects.get(organisation=first.organisation, kind="revenue")
    assert revenue.value == decimal.Decimal("2881658.57") and revenue.currency == "CNY"
    assert revenue.published_unit == "万元"
    assert first.revenue_rmb_m == decimal.Decimal("2881658.57")
    assert first.organisation.name_zh == "湖北中辰卓越建工有限公司"
    assert first.organisation.province == "Hubei" and first.organisation.country == "China"
    assert first.organisation.sector == m.Sector.CONSTRUCTION  # 建筑业, GB/T 4754 门类 E
    second = cohort.memberships.get(rank=2).organisation
    assert second.sector == m.Sector.MANUFACTURING  # "C 制造业"
    assert m.Position.objects.filter(organisation=first.organisation, title="董事长").exists()
    assert (
        "Lines above the header (1) were skipped." in out and "数据来源" in out
    )  # title line above the header and the footer, reported
    again = run(CHINA500, cohort_name="中国企业500强 2020")
    assert "0 created, 0 updated" in again


@pytest.mark.django_db
def test_strict_refuses_unknown_sectors_and_writes_nothing(seeded):
    with pytest.raises(CommandError, match="nothing was written"):
        run(GLOBAL500, cohort_name="Fortune Global 500 2019", strict=True)
    assert not m.Cohort.objects.filter(name="Fortune Global 500 2019").exists()


@pytest.mark.django_db
def test_a_bad_row_means_nothing_is_written(tmp_path, seeded):
    path = tmp_path / "list.tsv"
    path.write_text(
        "Rank\tCompany\tRevenues ($M)\n1\tAlpha Corp\t$1,000.00\n2\tBeta Corp\tlots\n2\tGamma Corp\t$900\n",
        encoding="utf-8",
    )
    organisations = m.Organisation.objects.count()
    with pytest.raises(CommandError, match="2 errors"):
        run(path, cohort_name="Test list 2021")
    assert m.Organisation.objects.count() == organisations
    assert not m.Cohort.objects.filter(name="Test list 2021").exists()


@pytest.mark.django_db
def test_ambiguous_names_are_listed_and_a_choice_resolves_them(tmp_path, seeded):
    m.Organisation.objects.create(name_en="Delta Energy Co., Ltd.")
    m.Organisation.objects.create(name_en="Delta Energy Group")
    path = tmp_path / "list.csv"
    path.write_text("Rank,Company,Sector\n1,Delta Energy,Energy\n", encoding="utf-8")
    parsed = read_ranking(path)
    plan = plan_ranking(parsed, cohort_name="Delta list 2022")
    assert [rp.line for rp in plan.ambiguous] == [2]
    assert "matches 2 organisations" in plan.errors[0][1]
    chosen = m.Organisation.objects.get(name_en="Delta Energy Group")
    plan = plan_ranking(parsed, cohort_name="Delta list 2022", match_choices={2: str(chosen.pk)})
    assert not plan.errors and plan.counts["organisations"] == {"update": 1}


@pytest.mark.django_db
def test_a_reimport_with_changed_ranks_updates_only_those(tmp_path, seeded):
    first = tmp_path / "a.csv"
    first.write_text("Rank,Company\n1,Alpha Corp\n2,Beta Corp\n", encoding="utf-8")
    import_ranking(first, cohort_name="Swap 2023")
    swapped = tmp_path / "b.csv"
    swapped.write_text("Rank,Company\n1,Beta Corp\n2,Alpha Corp\n", encoding="utf-8")
    plan = import_ranking(swapped, cohort_name="Swap 2023")
    assert plan.created == 0 and plan.counts["memberships"] == {"update": 2}
    cohort = m.Cohort.objects.get(name="Swap 2023")
    assert cohort.memberships.get(rank=1).organisation.name_en == "Beta Corp"


@pytest.mark.django_db
def test_plan_queries_do_not_grow_with_the_list(tmp_path, seeded, django_assert_num_queries):
    small = read_ranking(CHINA500)
    small.rows = small.rows[:20]
    full = read_ranking(CHINA500)
    # cohort, remembered mappings, name index, matched organisations, their
    # figures, their positions, people: 7 (no source URL to look up, no cohort
    # yet so no memberships), for 20 rows as for 500
    with django_assert_num_queries(7):
        plan_ranking(small, cohort_name="中国企业500强 2020")
    with django_assert_num_queries(7):
        plan_ranking(full, cohort_name="中国企业500强 2020")


@pytest.mark.django_db
def test_values_too_long_or_too_large_are_row_errors(tmp_path, seeded):
    path = tmp_path / "list.csv"
    path.write_text(
        f"Rank,Company,Revenues ($M),Website\n1,{'A' * 300},1,\n2,Beta Corp,1e30,\n3,Gamma Corp,99999999999999999999,\n"
        f"4,Delta Corp,1,www.{'x' * 250}.com\n",
        encoding="utf-8",
    )
    plan = plan_ranking(read_ranking(path), cohort_name="Long 2021")
    assert {line for line, _ in plan.errors} == {2, 3, 4, 5}
    assert "longer than 255 characters" in plan.errors[0][1]


@pytest.mark.django_db
def test_dry_run_reports_and_writes_nothing(seeded):
    organisations = m.Organisation.objects.count()
    out = run(CHINA500, cohort_name="中国企业500强 2020", dry_run=True)
    assert "Dry run: 2,550 created, 2 updated" in out and "organisations: 498 new, 2 updated" in out
    assert "figures: 991 new" in out and "Nothing was written." in out
    assert m.Organisation.objects.count() == organisations
    assert not m.Cohort.objects.filter(year=2020, name="中国企业500强 2020").exists()


@pytest.mark.django_db
def test_ranking_options_are_checked(seeded):
    with pytest.raises(CommandError, match="--cohort-name"):
        run(GLOBAL500)
    with pytest.raises(CommandError, match="year"):
        run(GLOBAL500, cohort_name="Fortune Global 500")
    with pytest.raises(CommandError, match="apply to rankings only"):
        call_command("import_data", "organisations", str(GLOBAL500), cohort_name="X 2020", stdout=io.StringIO())
