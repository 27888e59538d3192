"""Numbers, large counts, dates and names in the reader's language
(registry.formatting), and the headline counts of the overview cards."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from dashboard import charts
from registry.formatting import (
    format_compact,
    format_date,
    format_datetime,
    format_number,
    format_readable,
    join_parts,
    shown_name,
)


@pytest.mark.parametrize(
    ("value", "english", "chinese"),
    [
        (950, "950", "950"),
        (9_999, "9,999", "9,999"),
        (10_000, "10K", "1万"),
        (12_345, "12.3K", "1.2万"),
        (99_999, "100K", "10万"),
        (1_234_567, "1.2M", "123.5万"),
        (99_999_999, "100M", "1亿"),  # rounding reaches the next unit: not "10000万"
        (340_000_000, "340M", "3.4亿"),
        (1_500_000_000, "1.5B", "15亿"),
        (-25_000, "-25K", "-2.5万"),
        (None, "", ""),
        ("n/a", "n/a", "n/a"),
    ],
)
def test_compact_counts_in_each_language(value, english, chinese):
    with translation.override("en"):
        assert format_compact(value) == english
    with translation.override("zh-hans"):
        assert format_compact(value) == chinese


def test_readable_counts_are_wan_and_yi_in_chinese_and_written_out_in_english():
    with translation.override("zh-hans"):
        assert [format_readable(v) for v in (9_999, 12_000, 340_000_000)] == ["9,999", "1.2万", "3.4亿"]
    with translation.override("en"):
        assert [format_readable(v) for v in (9_999, 12_000, 340_000_000)] == ["9,999", "12,000", "340,000,000"]


def test_template_filters():
    template = Template("{% load numbers %}{{ a|num }} · {{ a|readable }} · {{ a|compact }}")
    with translation.override("zh-hans"):
        assert template.render(Context({"a": 1_234_567})) == "1,234,567 · 123.5万 · 123.5万"
    with translation.override("en"):
        assert template.render(Context({"a": 1_234_567})) == "1,234,567 · 1,234,567 · 1.2M"


def test_dates_in_each_language():
    day = datetime.date(2021, 6, 5)
    moment = datetime.datetime(2026, 11, 25, 14, 30)
    with translation.override("en"):
        assert format_date(day) == "5 June 2021" and format_datetime(moment) == "25 November 2026 14:30"
    with translation.override("zh-hans"):
        assert format_date(day) == "2021年6月5日" and format_datetime(moment) == "2026年11月25日 14:30"


def test_the_reader_sees_the_name_of_their_language_first():
    with translation.override("zh-hans"):
        assert shown_name("Weibo", "微博") == "微博" and shown_name("Bilibili", "") == "Bilibili"
        assert join_parts(["中国企业500强", "平台：微博"]) == "中国企业500强；平台：微博"
    with translation.override("en"):
        assert shown_name("Weibo", "微博") == "Weibo" and shown_name("", "微博") == "微博"
        assert join_parts(["China Top 500", "platforms: Weibo"]) == "China Top 500; platforms: Weibo"


@pytest.mark.parametrize(
    ("count", "english", "chinese"),
    [
        (412, "400+", "400余家"),
        (236, "200+", "200余家"),
        (400, "400", "400家"),
        (47, "40+", "40余家"),
        (7, "7", "7家"),
        (1234, "1,000+", "1,000余家"),
    ],
)
def test_headline_counts_are_written_as_each_language_writes_them(count, english, chinese):
    with translation.override("en"):
        assert charts.headline(count) == english
    with translation.override("zh-hans"):
        assert charts.headline(count) == chinese


def test_chinese_numbers_keep_commas_every_three_digits():
    with translation.override("zh-hans"):
        assert format_number(28_540) == "28,540" and format_number(1108.75) == "1,108.75"


def test_follower_columns_read_in_wan_with_the_exact_count_on_hover():
    from dashboard.tables import NumberColumn

    column = NumberColumn("Followers", readable=True)
    with translation.override("zh-hans"):
        assert column.render(1_234_567) == '<span title="1,234,567">123.5万</span>'
        assert column.render(9_999) == "9,999"
    with translation.override("en"):
        assert column.render(1_234_567) == "1,234,567"
    assert column.value(1_234_567) == 1_234_567  # exports keep the plain number


def test_follower_axes_count_in_wan_in_chinese():
    with translation.override("zh-hans"):
        ticks = charts.count_ticks(43_000_000)
        assert ticks["ticktext"][:3] == ["0", "1,000万", "2,000万"] and ticks["tickvals"][-1] >= 43_000_000
        assert charts.count_ticks(9_000) == {}  # small counts: plotly's own labels
    with translation.override("en"):
        assert charts.count_ticks(43_000_000) == {}
