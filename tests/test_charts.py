import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder

from dashboard import charts
from dashboard.queries import AdoptionPoint, PlatformAdoption

META = charts.ChartMeta(title="Adoption", subtitle="Top 500; as of 30 June 2021", source="Registry")


def test_adoption_bar_holds_the_rows():
    rows = [PlatformAdoption("wechat", "WeChat", 412, 500), PlatformAdoption("weibo", "Weibo", 236, 500)]
    fig = charts.adoption_bar(rows, META)
    bar = fig["data"][0]
    assert list(bar["x"]) == ["WeChat", "Weibo"]
    assert list(bar["y"]) == [412, 236]
    assert bar["text"][0] == "412 (82%)"
    assert "Adoption" in fig["layout"]["title"]["text"]
    assert fig["layout"]["title"]["subtitle"]["text"] == "Top 500; as of 30 June 2021"
    assert any("Source: Registry" in a["text"] for a in fig["layout"]["annotations"])


def test_adoption_over_time_carries_last_value_to_as_of():
    points = [
        AdoptionPoint("wechat", datetime.date(2013, 3, 1), 1),
        AdoptionPoint("wechat", datetime.date(2018, 2, 1), 2),
        AdoptionPoint("weibo", datetime.date(2012, 1, 1), 1),
    ]
    fig = charts.adoption_over_time(
        points, [("wechat", "WeChat"), ("weibo", "Weibo")], META, as_of=datetime.date(2021, 6, 30)
    )
    wechat, weibo = fig["data"]
    assert wechat["name"] == "WeChat" and list(wechat["y"]) == [1, 2, 2]
    assert wechat["x"][-1] == datetime.date(2021, 6, 30)
    assert list(weibo["y"]) == [1, 1]


def test_user_text_is_escaped_in_labels_and_title():
    rows = [PlatformAdoption("x", "<img src=x onerror=alert(1)>", 1, 2)]
    meta = charts.ChartMeta(title="<script>t</script>", subtitle="<b>s</b>", source="<i>src</i>", demo=True)
    fig = charts.adoption_bar(rows, meta)
    text = json.dumps(fig, cls=DjangoJSONEncoder)
    assert "<img" not in text and "<script>" not in text and "<i>src" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in fig["data"][0]["x"][0]
    assert any(str(charts.DEMO_LABEL) in a["text"] for a in fig["layout"]["annotations"])


def test_headline_rounds_down_like_the_article():
    assert charts.headline(412) == "400+"
    assert charts.headline(236) == "200+"
    assert charts.headline(400) == "400"
    assert charts.headline(47) == "40+"
    assert charts.headline(7) == "7"
    assert charts.headline(1234) == "1,000+"


def _every_figure() -> dict[str, dict]:
    """One figure from every builder in ``dashboard.charts``."""
    from dashboard import queries
    from registry.indices import AccountIndex, IndexPoint, Totals

    d = datetime.date
    platforms = [("wechat", "WeChat"), ("weibo", "Weibo")]
    adoption = [PlatformAdoption("wechat", "WeChat", 412, 500), PlatformAdoption("weibo", "Weibo", 236, 500)]
    totals = Totals(days=30, posts=12)
    return {
        "adoption_bar": charts.adoption_bar(adoption, META),
        "adoption_share_bar": charts.adoption_share_bar(adoption, META),
        "adoption_over_time": charts.adoption_over_time(
            [AdoptionPoint("wechat", d(2013, 3, 1), 1)], platforms, META, as_of=d(2021, 6, 30)
        ),
        "group_heatmap": charts.group_heatmap(
            [queries.GroupAdoption("private", "Private", 4, {"wechat": 3, "weibo": 1})], platforms, META
        ),
        "presence_heatmap": charts.presence_heatmap(
            [queries.PresenceRow(1, "Sinopec", 1, {"wechat": True, "weibo": False})], platforms, META
        ),
        "follower_box": charts.follower_box(
            [queries.FollowerSummary("wechat", 2, 5, 5, 10, 100, 1000, 30_000_000)], platforms, META
        ),
        "top_accounts_bar": charts.top_accounts_bar(
            [queries.TopAccount(1, 1, "Big", "big", "wechat", "WeChat", 900, d(2024, 1, 1))], META
        ),
        "multi_platform_bar": charts.multi_platform_bar([queries.PlatformCountBucket(0, 1)], META),
        "follower_lines": charts.follower_lines(
            [queries.FollowerPoint(1, "cmcc", "wechat", "WeChat", d(2020, 1, 1), 10)], META
        ),
        "index_ranking_bar": charts.index_ranking_bar(
            [AccountIndex(1, 1, "acc", 1, "Org", 812.5, totals)], META, index_name="WCI"
        ),
        "index_over_time_line": charts.index_over_time_line(
            [IndexPoint(d(2024, 1, 1), 31, 700.0, totals)], META, index_name="WCI"
        ),
    }


def test_every_figure_is_plain_json_that_plotly_accepts():
    """Figures are built as dicts without plotly's validators; here plotly's
    object layer checks every property name and value of every builder's output
    with the house template, as the image renderer receives it."""
    import plotly.graph_objects as go

    for name, fig in _every_figure().items():
        assert set(fig) == {"data", "layout"}, name
        json.dumps(fig, cls=DjangoJSONEncoder)  # dates are the only non-JSON values
        assert "template" not in fig["layout"], name  # the page sends the template once
        go.Figure(charts.with_template(fig))  # raises ValueError on any invalid property


def test_the_house_template_is_lean_and_valid():
    import plotly.graph_objects as go
    import plotly.io as pio

    template = go.layout.Template(charts.TEMPLATE)  # validates
    lean = len(json.dumps(charts.TEMPLATE))
    default = len(json.dumps(pio.templates["plotly"].to_plotly_json()))
    assert template.layout.font.family == charts.FONT
    # Latin fonts first, so Latin text and punctuation (’) are not drawn with the CJK font.
    fonts = [name.strip(" '") for name in charts.FONT.split(",")]
    assert fonts.index("Liberation Sans") < fonts.index("Noto Sans CJK SC")
    assert lean < default / 3, (lean, default)


def test_with_template_leaves_the_figure_alone():
    fig = charts.adoption_bar([PlatformAdoption("wechat", "WeChat", 1, 2)], META)
    before = json.dumps(fig, cls=DjangoJSONEncoder)
    full = charts.with_template(fig)
    full["layout"]["template"]["layout"]["font"]["size"] = 99
    full["layout"]["height"] = 1
    assert json.dumps(fig, cls=DjangoJSONEncoder) == before
    assert charts.TEMPLATE["layout"]["font"]["size"] == 13


def test_a_page_sends_the_house_template_once(client, db):
    """Three figures on the overview, one copy of the template (plotly.py's own
    7 KB default was copied into each figure)."""
    import re

    from django.urls import reverse

    from tests.factories import make_cohort_with_adoption, viewer

    cohort, _ = make_cohort_with_adoption(members=3, wechat=2, weibo=1)
    client.force_login(viewer())
    body = client.get(reverse("dashboard:overview"), {"cohort": cohort.slug}).content.decode()
    scripts = dict(re.findall(r'<script id="([^"]+)" type="application/json">(.*?)</script>', body, flags=re.S))
    figures = {name: json.loads(text) for name, text in scripts.items() if name.startswith("fig-")}
    assert len(figures) == 3
    assert json.loads(scripts["chart-template"]) == json.loads(json.dumps(charts.TEMPLATE))
    assert body.count('id="chart-template"') == 1
    assert not any("template" in figure["layout"] for figure in figures.values())
