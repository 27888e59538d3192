"""Numbers too large for their columns are row-level errors in every import
path (record_metrics, import_data, the admin's resources), never a traceback."""

import io

import pytest
from django.core.management import CommandError, call_command

from registry import models as m
from tests.factories import make_account, make_org, make_platform

HOSTILE_FOLLOWERS = ("9223372036854775808", "1e308", "99999999999999999999999")


@pytest.fixture
def wechat_account(db):
    return make_account(make_org(), make_platform("wechat", "WeChat"), account_id="gh_1", handle="one")


def _run_failing(tmp_path, *args, content):
    path = tmp_path / "feed.csv"
    path.write_text(content)
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(*args, str(path), "--no-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue(), str(error.value)


@pytest.mark.parametrize("command", [("record_metrics",), ("import_data", "metrics")])
@pytest.mark.parametrize("followers", HOSTILE_FOLLOWERS)
def test_followers_beyond_a_bigint_are_row_errors(tmp_path, wechat_account, command, followers):
    content = f"platform,account id,date,followers\nwechat,gh_1,2024-03-01,1\nwechat,gh_1,2024-03-02,{followers}\n"
    out, error = _run_failing(tmp_path, *command, content=content)
    assert "line      3  error      followers:" in out and "too large" in out
    assert "1 error(s)" in error
    assert m.AccountMetric.objects.count() == 0


@pytest.mark.parametrize("command", [("record_metrics",), ("import_data", "metrics")])
def test_posts_beyond_an_int_are_row_errors(tmp_path, wechat_account, command):
    content = "platform,account id,date,posts\nwechat,gh_1,2024-03-01,2147483647\nwechat,gh_1,2024-03-02,2147483648\n"
    out, error = _run_failing(tmp_path, *command, content=content)
    assert "line      3  error      posts:" in out and "too large" in out
    assert m.AccountMetric.objects.count() == 0


@pytest.mark.parametrize("raw", ["1e308", "99999999999999999999999", "100000000000000"])
def test_revenue_too_large_for_its_column_is_a_cell_error(raw):
    from registry.imports.cleaning import CellError, clean_money

    with pytest.raises(CellError, match="too large"):
        clean_money(raw)
    assert clean_money("99999999999999.99") is not None
