"""Pure figure builders for the chart pages: rows in, figure out, no database."""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

from dashboard import charts, queries

D = datetime.date
META = charts.ChartMeta(title="A <title>", subtitle="Top 500 <b>; as of 1 May 2024", source="Registry & co")
PLATFORMS = [("wechat", "WeChat"), ("weibo", "Weibo <i>")]


def _text(fig) -> str:
    return json.dumps(fig, cls=DjangoJSONEncoder)


def test_finish_escapes_title_subtitle_and_source():
    fig = charts.multi_platform_bar([queries.PlatformCountBucket(0, 1)], META)
    assert fig["layout"]["title"]["text"] == "<b>A &lt;title&gt;</b>"
    assert fig["layout"]["title"]["subtitle"]["text"] == "Top 500 &lt;b&gt;; as of 1 May 2024"
    assert fig["layout"]["annotations"][0]["text"] == "Source: Registry &amp; co"


def test_share_bar_in_percent():
    rows = [queries.PlatformAdoption("wechat", "WeChat", 3, 4), queries.PlatformAdoption("weibo", "Weibo", 0, 4)]
    fig = charts.adoption_share_bar(rows, META)
    assert list(fig["data"][0]["y"]) == [75.0, 0.0]
    assert list(fig["data"][0]["text"]) == ["75%", "0%"]
    assert fig["layout"]["yaxis"]["ticksuffix"] == "%"


def test_group_heatmap_shares_and_counts():
    groups = [
        queries.GroupAdoption("central_soe", "Central <SOE>", 4, {"wechat": 3, "weibo": 1}),
        queries.GroupAdoption("private", "Private", 0, {"wechat": 0, "weibo": 0}),
    ]
    fig = charts.group_heatmap(groups, PLATFORMS, META)
    heat = fig["data"][0]
    assert list(heat["y"]) == ["Central &lt;SOE&gt;", "Private"]
    assert list(heat["x"]) == ["WeChat", "Weibo &lt;i&gt;"]
    assert [list(r) for r in heat["z"]] == [[75.0, 25.0], [None, None]]  # an empty group has no share
    assert [list(r) for r in heat["text"]] == [["3/4", "1/4"], ["0/0", "0/0"]]


def test_presence_heatmap_marks():
    rows = [
        queries.PresenceRow(1, "Sinopec <x>", 1, {"wechat": True, "weibo": False}),
        queries.PresenceRow(2, "Unranked", None, {"wechat": False, "weibo": False}),
    ]
    fig = charts.presence_heatmap(rows, PLATFORMS, META)
    assert list(fig["data"][0]["y"]) == ["1. Sinopec &lt;x&gt;", "Unranked"]
    assert [list(r) for r in fig["data"][0]["text"]] == [["✓", "✗"], ["✗", "✗"]]


def test_follower_box_is_log_scale_with_computed_quartiles_and_skips_empty_platforms():
    summaries = [
        queries.FollowerSummary("wechat", 3, 0, 10, 10, 500, 30_000_000, 30_000_000),
        queries.FollowerSummary("weibo", 0, None, None, None, None, None, None),
    ]
    fig = charts.follower_box(summaries, PLATFORMS, META)
    assert fig["layout"]["yaxis"]["type"] == "log"
    assert len(fig["data"]) == 1
    box = fig["data"][0]
    assert (box["lowerfence"], box["q1"], box["median"], box["q3"], box["upperfence"]) == (
        [10],  # zero cannot be drawn on a log scale: the smallest positive count
        [10],
        [500],
        [30_000_000],
        [30_000_000],
    )
    # Readable ticks across the whole range, up to the largest account.
    ticks = dict(zip(fig["layout"]["yaxis"]["tickvals"], fig["layout"]["yaxis"]["ticktext"], strict=True))
    assert ticks[10_000_000] == "10M" and ticks[1000] == "1,000" and ticks[10] == "10"
    assert max(ticks) >= 30_000_000


def test_compact_numbers_follow_the_language():
    from django.utils import translation

    assert [charts.compact_number(v) for v in (950, 10_000, 2_500_000, 30_000_000)] == ["950", "10K", "2.5M", "30M"]
    with translation.override("zh-hans"):
        assert [charts.compact_number(v) for v in (950, 10_000, 1_000_000, 300_000_000)] == [
            "950",
            "1万",
            "100万",
            "3亿",
        ]


def test_top_accounts_bar_is_horizontal_largest_first():
    rows = [
        queries.TopAccount(1, 1, "Big <Co>", "big", "wechat", "WeChat", 900, D(2024, 1, 1)),
        queries.TopAccount(2, 2, "Small", "small", "weibo", "Weibo", 10, D(2024, 1, 1)),
    ]
    fig = charts.top_accounts_bar(rows, META)
    assert fig["data"][0]["orientation"] == "h"
    assert list(fig["data"][0]["x"]) == [900, 10]
    assert fig["data"][0]["y"][0] == "Big &lt;Co&gt; · WeChat"
    assert fig["layout"]["yaxis"]["autorange"] == "reversed"


def test_follower_lines_one_trace_per_account():
    points = [
        queries.FollowerPoint(1, "CMCC <official>", "wechat", "WeChat", D(2020, 1, 1), 10),
        queries.FollowerPoint(1, "CMCC <official>", "wechat", "WeChat", D(2021, 1, 1), 20),
        queries.FollowerPoint(2, "cmcc", "weibo", "Weibo", D(2021, 1, 1), 5),
    ]
    fig = charts.follower_lines(points, META)
    assert [t["name"] for t in fig["data"]] == ["WeChat: CMCC &lt;official&gt;", "Weibo: cmcc"]
    assert list(fig["data"][0]["y"]) == [10, 20]
    assert "<official>" not in _text(fig)


def test_multi_platform_bar_hover_share():
    rows = [queries.PlatformCountBucket(0, 1), queries.PlatformCountBucket(1, 3)]
    fig = charts.multi_platform_bar(rows, META)
    assert list(fig["data"][0]["x"]) == ["0", "1"]
    assert list(fig["data"][0]["customdata"]) == [25.0, 75.0]


def test_long_subtitles_wrap_between_filters_and_make_room():
    subtitle = "; ".join(
        [
            "China Top 500 Enterprises 2020",
            "ownership: Central SOE (SASAC-supervised)",
            "platforms: WeChat, Weibo, Douyin, Kuaishou, Bilibili, Toutiao, Xiaohongshu",
            "as of 1 May 2024",
        ]
    )
    assert charts.wrap_subtitle(subtitle) == [
        "China Top 500 Enterprises 2020; ownership: Central SOE (SASAC-supervised)",
        "platforms: WeChat, Weibo, Douyin, Kuaishou, Bilibili, Toutiao, Xiaohongshu",
        "as of 1 May 2024",
    ]
    meta = charts.ChartMeta(title="T", subtitle=subtitle, source="S")
    fig = charts.multi_platform_bar([queries.PlatformCountBucket(0, 1)], meta)
    assert fig["layout"]["title"]["subtitle"]["text"].count("<br>") == 2
    assert fig["layout"]["margin"]["t"] == 96 + 2 * 16


def test_chinese_subtitles_wrap_by_display_width():
    """A Chinese character takes two columns: a line of filters in Chinese holds
    half as many characters as one in English, and a filter too wide for a line
    alone is broken between characters rather than cut off at the card's edge."""
    provinces = "、".join(["北京", "上海", "广东", "浙江", "江苏", "四川", "湖北", "山东", "河南", "福建"] * 3)
    with translation.override("zh-hans"):
        subtitle = "；".join(["中国企业500强（2024年）", "截至2024年6月30日", f"省份：{provinces}"])
        lines = charts.wrap_subtitle(subtitle)
    assert all(charts.display_width(line) <= charts.SUBTITLE_WIDTH for line in lines)
    assert lines[0] == "中国企业500强（2024年）；截至2024年6月30日"
    assert "".join(lines[1:]) == f"省份：{provinces}"
    assert all(line.endswith("、") for line in lines[1:-1])  # broken between provinces
