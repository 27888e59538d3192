"""manage.py import_data and record_metrics: dry run, all-or-nothing, natural
keys, idempotent re-imports, history and the data version."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from registry import models as m
from registry.signals import data_version
from tests.factories import make_account, make_cohort, make_org, make_platform, make_source, make_user


def run(tmp_path, *args, content: str | bytes, name="data.csv", **options):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    out = io.StringIO()
    call_command(*args[:1], *args[1:], str(path), "--no-progress", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def run_failing(tmp_path, *args, content, name="data.csv", **options):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(*args, str(path), "--no-progress", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue(), str(error.value)


ORGS = (
    "Company Name,企业名称,Ownership,Province,Credit code,Website\n"
    "China Petrochemical Corporation,中国石油化工集团有限公司,Central SOE,北京,,\n"
    "China Mobile,中国移动,央企,Beijing,,https://www.10086.cn\n"
)


@pytest.mark.django_db
def test_dry_run_previews_each_row_and_writes_nothing(tmp_path):
    out = run(tmp_path, "import_data", "organisations", content=ORGS, dry_run=True)
    assert "line      2  create" in out and "line      3  create" in out
    assert "Dry run: 2 create, 0 update, 0 unchanged, 0 error" in out
    assert m.Organisation.objects.count() == 0


@pytest.mark.django_db
def test_import_then_reimport_changes_nothing_and_history_names_the_user(tmp_path):
    alice = make_user(username="alice")
    version = data_version()
    out = run(tmp_path, "import_data", "organisations", content=ORGS, user="alice")
    assert "Imported: 2 create" in out
    assert data_version() != version
    sinopec = m.Organisation.objects.get(name_zh="中国石油化工集团有限公司")
    assert sinopec.ownership == "central_soe" and sinopec.province == "Beijing"
    record = sinopec.history.get()
    assert record.history_user == alice and record.history_change_reason.startswith("import_data organisations")

    again = run(tmp_path, "import_data", "organisations", content=ORGS)
    assert "0 create, 0 update, 2 unchanged, 0 error" in again
    assert m.Organisation.history.count() == 2


@pytest.mark.django_db
def test_update_matches_on_normalised_name_and_reports_the_change(tmp_path):
    make_org("China Mobile", province="Shanghai")
    out = run(tmp_path, "import_data", "organisations", content="Company,Province\n  CHINA  mobile ,Beijing\n")
    assert "update" in out and "province: Shanghai → Beijing" in out
    org = m.Organisation.objects.get()
    assert org.province == "Beijing" and org.name_en == "China Mobile"  # blank cells and the key stay
    last = org.history.first()
    assert last.history_user is None and "(by import)" in last.history_change_reason


@pytest.mark.django_db
def test_credit_code_decides_before_the_name(tmp_path):
    org = make_org("Old Name Co", credit_code="91110000100017643K")
    run(tmp_path, "import_data", "organisations", content="Name,Credit code\nNew Name Co,91110000100017643K\n")
    org.refresh_from_db()
    assert org.name_en == "New Name Co" and m.Organisation.objects.count() == 1


@pytest.mark.django_db
def test_any_bad_row_means_nothing_is_written_and_lines_are_listed(tmp_path):
    content = "Name,Province,Ownership\nGood Co,Beijing,private\nBad Co,Atlantis,private\nWorse Co,Beijing,commune\n"
    out, error = run_failing(tmp_path, "import_data", "organisations", content=content)
    assert "line      3  error      province: 'Atlantis' is not a province-level division" in out
    assert "line      4  error      ownership: 'commune' is not one of" in out
    assert "2 error(s)" in error
    assert m.Organisation.objects.count() == 0


@pytest.mark.django_db
def test_conflicting_duplicates_are_errors_identical_ones_collapse(tmp_path):
    out = run(tmp_path, "import_data", "organisations", content="Name,City\nA Co,X\nA Co,X\n")
    assert "Line 3 repeats line 2 exactly" in out and m.Organisation.objects.count() == 1
    out, error = run_failing(tmp_path, "import_data", "organisations", content="Name,City\nB Co,X\nb co,Y\n")
    assert "duplicates line 2 (same credit code or name) with different values" in out


@pytest.mark.django_db
def test_ranking_list_in_gb18030_with_title_footer_and_dollar_column(tmp_path):
    cohort = make_cohort(slug="china-500-2020")
    make_org("China Petrochemical Corporation", name_zh="中国石油化工集团有限公司")
    make_org("China Mobile", name_zh="中国移动")
    content = (
        "2020年中国企业500强\n"
        "排名,企业名称,营业收入（百万元）,Revenues ($M)\n"
        '1,中国石油化工集团有限公司,"￥2,825,914.00","$407,009.00 "\n'
        '2,中国移动,"1 234",\n'
        "\n"
        "数据来源：中国企业联合会\n"
    ).encode("gb18030")
    out = run(tmp_path, "import_data", "memberships", content=content, cohort="china-500-2020")
    assert "Revenues ($M)" in out and "US dollars" in out
    assert "Line 6" in out and "not a data row" in out
    ranks = dict(m.CohortMembership.objects.filter(cohort=cohort).values_list("organisation__name_zh", "rank"))
    assert ranks == {"中国石油化工集团有限公司": 1, "中国移动": 2}
    assert str(m.CohortMembership.objects.get(rank=1).revenue_rmb_m) == "2825914.00"


@pytest.mark.django_db
def test_unknown_organisation_in_a_ranking_is_an_error(tmp_path):
    make_cohort(slug="c")
    out, _ = run_failing(tmp_path, "import_data", "memberships", content="Rank,Company\n1,Nobody Ltd\n", cohort="c")
    assert "line      2  error      no organisation 'Nobody Ltd' in the registry" in out


@pytest.mark.django_db
def test_accounts_match_on_platform_and_id_else_handle(tmp_path):
    org = make_org("China Mobile")
    wechat = make_platform("wechat", "WeChat", name_zh="微信")
    existing = make_account(org, wechat, handle="cmcc", display_name="Old name")
    content = (
        "企业名称,平台,账号名称,微信号,原始ID,开通时间,认证\n"
        "China Mobile,微信,中国移动,cmcc,gh_123,2014-05,是\n"
        "China Mobile,WeChat,中国移动客服,cmcc10086,,2015,否\n"
    )
    out = run(tmp_path, "import_data", "accounts", content=content)
    assert "1 create, 1 update" in out
    existing.refresh_from_db()
    assert existing.account_id == "gh_123" and existing.display_name == "中国移动" and existing.verified
    assert existing.opened_on == datetime.date(2014, 5, 1) and existing.opened_precision == "month"
    assert m.Account.objects.get(handle="cmcc10086").opened_precision == "year"


METRICS = (
    "platform,account id,date,followers,reads,likes,在看,shares\n"
    'wechat,gh_1,2024-03-01,"1,000",500,20,3,4\n'
    "wechat,gh_1,2024-03-02,1010,600,25,4,5\n"
    "WeChat,gh_1,2024-03-02,1010,600,25,4,5\n"
)


@pytest.fixture
def wechat_account(db):
    return make_account(make_org(), make_platform("wechat", "WeChat"), account_id="gh_1", handle="one")


def test_metrics_upsert_on_account_and_date_with_history(tmp_path, wechat_account):
    version = data_version()
    out = run(tmp_path, "record_metrics", content=METRICS, dry_run=True)
    assert "Dry run: 2 create" in out and m.AccountMetric.objects.count() == 0
    assert data_version() == version  # a dry run changes nothing
    out = run(tmp_path, "record_metrics", content=METRICS)
    assert data_version() != version
    assert "Line 4 repeats line 3 exactly" in out and "Imported: 2 create" in out
    assert m.AccountMetric.objects.count() == 2
    assert m.AccountMetric.history.count() == 2
    assert m.AccountMetric.objects.get(date="2024-03-01").followers == 1000

    again = run(tmp_path, "import_data", "metrics", content=METRICS)
    assert "0 create, 0 update, 2 unchanged, 0 error" in again

    changed = METRICS.replace("1010,600", "1010,700")
    out = run(tmp_path, "record_metrics", content=changed)
    assert "1 update" in out and "reads 700" in out
    assert m.AccountMetric.objects.get(date="2024-03-02").reads == 700
    assert m.AccountMetric.history.count() == 3
    assert m.AccountMetric.history.first().history_change_reason.startswith("record_metrics")


def test_metrics_errors_roll_back_everything(tmp_path, wechat_account):
    content = METRICS + "wechat,gh_404,2024-03-02,1,1,1,1,1\nwechat,gh_1,2024-03-01,999,1,1,1,1\n"
    out, error = run_failing(tmp_path, "record_metrics", content=content)
    assert "line      5  error      no wechat account 'gh_404' in the registry" in out
    assert "line      6  error      duplicates line 2 (same account and date) with different values" in out
    assert m.AccountMetric.objects.count() == 0


def test_metrics_in_small_batches_stay_all_or_nothing(tmp_path, wechat_account):
    from registry.imports.metrics import import_metrics

    rows = "".join(f"wechat,gh_1,2024-01-{d:02d},{d},{d},{d},{d},{d}\n" for d in range(1, 29))
    path = tmp_path / "feed.csv"
    header = "platform,account id,date,followers,reads,likes,wows,shares\n"
    path.write_text(header + rows + "wechat,gh_1,nope,1,1,1,1,1\n")
    report = import_metrics(path, batch_size=5)
    assert report.counts["create"] == 28 and report.counts["error"] == 1 and not report.written
    assert m.AccountMetric.objects.count() == 0
    path.write_text(
        "platform,account id,date,followers\n" + "".join(f"wechat,gh_1,2024-01-{d:02d},{d}\n" for d in range(1, 29))
    )
    report = import_metrics(path, batch_size=5)
    assert report.written and m.AccountMetric.objects.count() == 28


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image, not a CSV"),
        (b"%PDF-1.4\n", "PDF document"),
        (b"", "The file is empty"),
    ],
)
@pytest.mark.django_db
def test_unreadable_files_fail_clearly(tmp_path, content, message):
    _, error = run_failing(tmp_path, "import_data", "organisations", content=content)
    assert message in error
    _, error = run_failing(tmp_path, "record_metrics", content=content)
    assert message in error


@pytest.mark.django_db
def test_people_positions_and_statements(tmp_path):
    org = make_org("China Mobile")
    source = make_source("Interview", url="https://example.com/a")
    run(tmp_path, "import_data", "people", content="Name,姓名\nLi Wei,李伟\n")
    person = m.Person.objects.get()
    run(
        tmp_path,
        "import_data",
        "positions",
        content="Person,Company,Title,Start\n李伟,China Mobile,Spokesperson,2019-06\n",
    )
    position = m.Position.objects.get()
    assert (position.person, position.organisation, position.start_date) == (person, org, datetime.date(2019, 6, 1))
    content = (
        "Quote,Speaker,Company,Date,Source URL\n"
        '"We will open a Douyin account.",Li Wei,China Mobile,2020-05,https://example.com/a\n'
    )
    run(tmp_path, "import_data", "statements", content=content)
    statement = m.Statement.objects.get()
    assert statement.source == source and statement.speaker == person and statement.stated_precision == "month"
    again = run(tmp_path, "import_data", "statements", content=content)
    assert "1 unchanged" in again


@pytest.mark.django_db
def test_unknown_user_and_cohort_misuse_are_refused(tmp_path):
    _, error = run_failing(tmp_path, "import_data", "organisations", content=ORGS, user="nobody")
    assert "No user 'nobody'" in error
    _, error = run_failing(tmp_path, "import_data", "organisations", content=ORGS, cohort="x")
    assert "--cohort applies to memberships only" in error


def test_admin_metrics_resource_upserts_and_exports_natural_keys(wechat_account):
    # The admin's Account metrics import uses the import-export resource, not the streaming path.
    from registry.imports.resources import RESOURCES, raw_dataset

    def import_once():
        resource = RESOURCES["metrics"](change_reason="test")
        return resource.import_data(
            raw_dataset(METRICS.encode()), dry_run=False, use_transactions=True, rollback_on_validation_errors=True
        )

    result = import_once()
    assert not result.has_errors() and not result.has_validation_errors()
    assert [r.import_type for r in result.rows] == ["new", "new"]
    assert result.import_warnings == ["Line 4 repeats line 3 exactly; imported once."]
    assert [r.import_type for r in import_once().rows] == ["skip", "skip"]
    assert m.AccountMetric.objects.get(date="2024-03-01").wows == 3

    exported = RESOURCES["metrics"]().export(m.AccountMetric.objects.order_by("date"))
    assert exported.headers[:4] == ["platform", "account_id", "handle", "date"]
    assert exported[0][:4] == ("wechat", "gh_1", "one", "2024-03-01")
