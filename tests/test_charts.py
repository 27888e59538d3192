import datetime

from dashboard import charts
from dashboard.queries import AdoptionPoint, PlatformAdoption

META = charts.ChartMeta(title="Adoption", subtitle="Top 500; as of 30 June 2021", source="Registry")


def test_adoption_bar_holds_the_rows():
    rows = [PlatformAdoption("wechat", "WeChat", 412, 500), PlatformAdoption("weibo", "Weibo", 236, 500)]
    fig = charts.adoption_bar(rows, META)
    bar = fig.data[0]
    assert list(bar.x) == ["WeChat", "Weibo"]
    assert list(bar.y) == [412, 236]
    assert bar.text[0] == "412 (82%)"
    assert "Adoption" in fig.layout.title.text
    assert fig.layout.title.subtitle.text == "Top 500; as of 30 June 2021"
    assert any("Source: Registry" in a.text for a in fig.layout.annotations)


def test_adoption_over_time_carries_last_value_to_as_of():
    points = [
        AdoptionPoint("wechat", datetime.date(2013, 3, 1), 1),
        AdoptionPoint("wechat", datetime.date(2018, 2, 1), 2),
        AdoptionPoint("weibo", datetime.date(2012, 1, 1), 1),
    ]
    fig = charts.adoption_over_time(
        points, [("wechat", "WeChat"), ("weibo", "Weibo")], META, as_of=datetime.date(2021, 6, 30)
    )
    wechat, weibo = fig.data
    assert wechat.name == "WeChat" and list(wechat.y) == [1, 2, 2]
    assert wechat.x[-1] == datetime.date(2021, 6, 30)
    assert list(weibo.y) == [1, 1]


def test_user_text_is_escaped_in_labels_and_title():
    rows = [PlatformAdoption("x", "<img src=x onerror=alert(1)>", 1, 2)]
    meta = charts.ChartMeta(title="<script>t</script>", subtitle="<b>s</b>", source="<i>src</i>", demo=True)
    fig = charts.adoption_bar(rows, meta)
    text = fig.to_json()
    assert "<img" not in text and "<script>" not in text and "<i>src" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in fig.data[0].x[0]
    assert any(charts.DEMO_LABEL in a.text for a in fig.layout.annotations)


def test_headline_rounds_down_like_the_article():
    assert charts.headline(412) == "400+"
    assert charts.headline(236) == "200+"
    assert charts.headline(400) == "400"
    assert charts.headline(47) == "40+"
    assert charts.headline(7) == "7"
    assert charts.headline(1234) == "1,000+"
