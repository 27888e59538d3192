"""Charts and exports in the page's language: a chart downloaded from the
Chinese page is Chinese in every format (SVG, PNG, PDF, CSV, XLSX, the PPTX
and PDF briefing packs), with the text drawn in a CJK font; from the English
page it is English. Tests marked ``render`` need Chromium (see test_exports)."""

import csv
import datetime
import io
import os
import re
import shutil
import unicodedata
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pptx import Presentation
from pptx.oxml.ns import qn
from pypdf import PdfReader

from dashboard import exports, rendering
from registry.models import Ownership, Platform, Sector
from tests.factories import make_briefing, make_briefing_statement, make_cohort_with_adoption, make_org, viewer

FROZEN = datetime.datetime(2026, 11, 25, 6, 30, tzinfo=datetime.UTC)  # 14:30 in Asia/Shanghai
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CJK = re.compile(r"[\u3400-\u9fff]")
# Words that may stay Latin in a Chinese file: the time zone's name and the UTC offset.
LATIN_ALLOWED = {"Asia", "Shanghai", "UTC"}


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """The locale middleware leaves the request's language active in this thread
    after a test-client request; later tests expect the default."""
    yield
    translation.deactivate()


@pytest.fixture
def chromium():
    if os.path.exists(rendering.DEFAULT_BROWSER) or shutil.which("chromium"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is required in CI: apt-get install -y chromium")
    pytest.skip("needs Chromium at /usr/bin/chromium (apt-get install -y chromium)")


@pytest.fixture
def client_viewer(client, db):
    client.force_login(viewer())
    return client


@pytest.fixture
def cohort(db):
    """10 members (3 central SOEs), 8 on WeChat, 4 on Weibo; platforms and the
    list have Chinese names, as the seed's do."""
    cohort, platforms = make_cohort_with_adoption(members=10, wechat=8, weibo=4)
    Platform.objects.filter(pk=platforms["wechat"].pk).update(name_zh="微信公众号")
    Platform.objects.filter(pk=platforms["weibo"].pk).update(name_zh="微博")
    cohort.name = "中国企业500强"
    cohort.save()
    for membership in cohort.memberships.select_related("organisation").order_by("rank")[:3]:
        membership.organisation.ownership = Ownership.CENTRAL_SOE
        membership.organisation.save()
    return cohort


def export_url(slug="adoption-by-platform", fmt="csv"):
    return reverse("dashboard:chart_export", kwargs={"slug": slug, "fmt": fmt})


def svg_text(content: bytes) -> str:
    root = ET.fromstring(content)  # noqa: S314 - our own output
    return " ".join(t for t in root.itertext() if t.strip())


def pdf_text(page) -> str:
    """A PDF page's text without spaces. NFKC because Chromium maps the glyphs
    Noto CJK shares with the Kangxi radicals (方 and ⽅) to the radical."""
    text = "".join(unicodedata.normalize("NFKC", c) if 0x2E80 <= ord(c) <= 0x2FDF else c for c in page.extract_text())
    return text.replace(" ", "").replace("\n", "")


def latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", text)) - LATIN_ALLOWED


# --------------------------------------------------------------------------- images


@time_machine.travel(FROZEN, tick=True)
@pytest.mark.usefixtures("chromium")
@pytest.mark.render
def test_chinese_svg_has_chinese_title_axes_legend_filters_and_source(client_viewer, cohort):
    # (Ownership and sector names are the registry's choice labels, translated with the models.)
    response = client_viewer.get(export_url("adoption-over-time", "svg"), {"cohort": cohort.slug}, **ZH)
    assert response.status_code == 200
    text = svg_text(response.content)
    assert "各平台开通账号机构数累计变化" in text  # title
    assert "中国企业500强" in text and "平台：微信公众号、微博" in text  # subtitle: the filters in words
    assert "截至2026年11月25日" in text
    assert "已开通账号的机构数" in text  # the y axis title
    assert "微信公众号" in text and "微博" in text  # the legend
    assert "年" in text and "月" in text  # date ticks
    assert "数据来源：企业新媒体名录" in text
    assert "生成时间：2026年11月25日 14:30（Asia/Shanghai，UTC+08:00）" in text
    assert latin_words(text) == set()  # nothing English left


@time_machine.travel(FROZEN, tick=True)
@pytest.mark.usefixtures("chromium")
@pytest.mark.render
def test_the_same_svg_from_the_english_page_is_english(client_viewer, cohort):
    text = svg_text(client_viewer.get(export_url("adoption-over-time", "svg"), {"cohort": cohort.slug}, **EN).content)
    assert "Cumulative adoption over time, by platform" in text
    assert "platforms: WeChat, Weibo" in text and "Source: New-media registry" in text
    assert "Generated 25 November 2026 14:30 (Asia/Shanghai, UTC+08:00)" in text
    # The list's name is data, shown as entered; nothing else is Chinese.
    assert not CJK.search(text.replace("中国企业500强", ""))


@time_machine.travel(FROZEN, tick=True)
@pytest.mark.usefixtures("chromium")
@pytest.mark.render
def test_chinese_pdf_and_png(client_viewer, cohort):
    pdf = client_viewer.get(export_url("adoption-by-platform", "pdf"), {"cohort": cohort.slug}, **ZH)
    assert pdf.status_code == 200
    text = pdf_text(PdfReader(io.BytesIO(pdf.content)).pages[0])
    # The text is drawn in a CJK font and extractable as Chinese, not boxes.
    for words in ("各平台开通官方账号的机构数", "已开通账号的机构数", "微信公众号", "数据来源", "生成时间"):
        assert words in text
    png = client_viewer.get(export_url("adoption-by-platform", "png"), {"cohort": cohort.slug}, **ZH)
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert (
        png.content
        != client_viewer.get(export_url("adoption-by-platform", "png"), {"cohort": cohort.slug}, **EN).content
    )


# --------------------------------------------------------------------------- data files


@time_machine.travel(FROZEN, tick=False)
def test_chinese_csv_and_xlsx_have_chinese_headers(client_viewer, cohort):
    params = {"cohort": cohort.slug}
    rows = list(
        csv.reader(io.StringIO(client_viewer.get(export_url(fmt="csv"), params, **ZH).content.decode("utf-8-sig")))
    )
    header = dict(row for row in rows if len(row) == 2)
    assert header["标题"] == "各平台开通官方账号的机构数"
    assert header["筛选条件"] == "中国企业500强 2020；平台：微信公众号、微博；截至2026年11月25日"
    assert "筛选条件：" not in header["筛选条件"]
    assert header["数据来源"].startswith("企业新媒体名录")
    assert header["生成时间"] == "2026年11月25日 14:30（Asia/Shanghai，UTC+08:00）"
    assert ["平台", "已开通账号的机构数", "统计范围内机构数", "占比（%）"] in rows
    assert ["微信公众号", "8", "10", "80.0"] in rows
    wb = load_workbook(io.BytesIO(client_viewer.get(export_url(fmt="xlsx"), params, **ZH).content))
    ws = wb.active
    assert ws.title == "各平台开通官方账号的机构数"
    values = [tuple(c.value for c in row) for row in ws.iter_rows()]
    assert ("标题", "各平台开通官方账号的机构数") in [v[:2] for v in values]
    assert ("平台", "已开通账号的机构数", "统计范围内机构数", "占比（%）") in values
    assert ("微信公众号", 8, 10, 80.0) in values


@time_machine.travel(FROZEN, tick=False)
def test_english_csv_stays_english(client_viewer, cohort):
    text = client_viewer.get(export_url(fmt="csv"), {"cohort": cohort.slug}, **EN).content.decode("utf-8-sig")
    assert 'Title,"Organisations with an official account, by platform"' in text
    assert "Platform,Organisations with an open account,Organisations in scope,Share (%)" in text
    assert not CJK.search(text.replace("中国企业500强", ""))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_chinese_downloads_make_the_same_queries(client_viewer, cohort, fmt):
    counts = {}
    for name, language in (("en", EN), ("zh", ZH)):
        client_viewer.get(export_url(fmt=fmt), {"cohort": cohort.slug}, **language)  # warm the session cache
        make_org()  # a write: the chart is built again
        with CaptureQueriesContext(connection) as ctx:
            assert client_viewer.get(export_url(fmt=fmt), {"cohort": cohort.slug}, **language).status_code == 200
        counts[name] = len(ctx)
    # user, user permissions, group permissions, cohorts, platforms, the scope's facts, adoption per platform
    assert counts == {"en": 7, "zh": 7}


# --------------------------------------------------------------------------- briefing packs


def pack(user, cohort):
    query = f"cohort={cohort.slug}"
    briefing = make_briefing(
        owner=user, title="新媒体简报", charts=[("adoption-by-platform", query), ("adoption-over-time", query)]
    )
    briefing.statements.add(make_briefing_statement("我们要讲好中国故事。"))
    return briefing


def pack_url(briefing, fmt):
    return reverse("dashboard:briefing_download", kwargs={"uuid": briefing.uuid, "fmt": fmt})


def slide_text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


@time_machine.travel(FROZEN, tick=False)
def test_chinese_pptx_has_chinese_titles_charts_notes_and_east_asian_fonts(client, db, cohort):
    user = viewer()
    client.force_login(user)
    briefing = pack(user, cohort)
    response = client.get(pack_url(briefing, "pptx"), **ZH)
    assert response.status_code == 200
    slides = list(Presentation(io.BytesIO(response.content)).slides)
    assert "图表2张 · 发言1条" in slide_text(slides[0])
    by_platform, over_time = slides[1], slides[2]
    assert by_platform.shapes.title.text == "各平台开通官方账号的机构数"
    assert over_time.shapes.title.text == "各平台开通账号机构数累计变化"
    text = slide_text(by_platform)
    assert "平台：微信公众号、微博" in text and "数据来源：企业新媒体名录" in text and "生成于2026年11月25日" in text
    chart = next(shape.chart for shape in by_platform.shapes if shape.has_chart)
    assert tuple(chart.plots[0].categories) == ("微信公众号", "微博")
    assert [s.name for s in chart.plots[0].series] == ["机构数"]
    legend = next(shape.chart for shape in over_time.shapes if shape.has_chart)
    assert [s.name for s in legend.plots[0].series] == ["微信公众号", "微博"]
    notes = by_platform.notes_slide.notes_text_frame.text
    assert "截至：2026年11月25日" in notes and "数据来源：" in notes
    assert slides[3].shapes.title.text == "发言摘录"
    # Every run, and every chart's text, names an East Asian typeface.
    for slide in slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for run in (r for p in shape.text_frame.paragraphs for r in p.runs):
                    assert run._r.rPr.find(qn("a:ea")).get("typeface") == exports.PPTX_EAST_ASIAN_FONT
            if shape.has_chart:
                assert shape.chart.font._rPr.find(qn("a:ea")).get("typeface") == exports.PPTX_EAST_ASIAN_FONT
    everything = " ".join(slide_text(s) + s.notes_slide.notes_text_frame.text for s in slides)
    # Only data is Latin: the author's user name and the statement's speaker, role and source.
    assert latin_words(everything) <= {"viewer", "Li", "Wei", "Spokesperson", "Interview"}


@time_machine.travel(FROZEN, tick=False)
def test_packs_are_kept_per_language(client, db, cohort):
    user = viewer()
    client.force_login(user)
    briefing = pack(user, cohort)
    chinese = Presentation(io.BytesIO(client.get(pack_url(briefing, "pptx"), **ZH).content))
    english = Presentation(io.BytesIO(client.get(pack_url(briefing, "pptx"), **EN).content))
    assert list(chinese.slides)[1].shapes.title.text == "各平台开通官方账号的机构数"
    assert list(english.slides)[1].shapes.title.text == "Organisations with an official account, by platform"
    assert "Source: New-media registry" in slide_text(list(english.slides)[1])
    xlsx = load_workbook(io.BytesIO(client.get(pack_url(briefing, "xlsx"), **ZH).content))
    assert xlsx.sheetnames == ["来源说明", "各平台开通官方账号的机构数", "各平台开通账号机构数累计变化", "发言"]


@time_machine.travel(FROZEN, tick=False)
@pytest.mark.usefixtures("chromium")
@pytest.mark.render
def test_chinese_briefing_pdf_has_chinese_text(client, db, cohort):
    user = viewer()
    client.force_login(user)
    briefing = pack(user, cohort)
    response = client.get(pack_url(briefing, "pdf"), **ZH)
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    cover = pdf_text(reader.pages[0])
    assert "新媒体简报" in cover and "共收录图表2张、发言1条" in cover
    chart_page = pdf_text(reader.pages[1])
    assert "各平台开通官方账号的机构数" in chart_page  # the chart's own vector text
    assert "筛选条件：中国企业500强" in chart_page and "数据来源：" in chart_page
    assert "发言摘录" in reader.pages[-1].extract_text()


# --------------------------------------------------------------------------- every chart


def figure_words(figure: dict) -> list[str]:
    """Every string a reader sees in a figure: titles, axis titles, tick labels,
    legend names, annotations, bar labels and hover text (without plotly's
    %{...} placeholders and its HTML-like tags)."""
    found = []

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in {"text", "name", "hovertemplate", "ticktext", "x", "y", "texttemplate"}:
            found.append(re.sub(r"%\{[^}]*\}|<[^>]*>", " ", value))

    walk(figure)
    return found


@time_machine.travel(FROZEN, tick=False)
def test_every_chart_built_for_the_chinese_page_is_chinese(cohort):
    import plotly.graph_objects as go
    from django.http import QueryDict

    from dashboard import charts
    from dashboard.catalogue import CATALOGUE, build_chart
    from dashboard.filters import reference_rows, scope_from_request
    from registry.models import Account

    # Chinese names for the data, as the seed's organisations and accounts have.
    for n, membership in enumerate(cohort.memberships.select_related("organisation"), start=1):
        membership.organisation.name_zh = f"示例企业{n}"
        membership.organisation.save()
    for n, account in enumerate(Account.objects.order_by("pk"), start=1):
        account.display_name = f"示例账号{n}"
        account.save()
        for day, followers in ((datetime.date(2025, 1, 1), 12_000 * n), (datetime.date(2026, 6, 1), 2_500_000 * n)):
            account.metrics.create(date=day, followers=followers)
    company = Account.objects.first().organisation_id
    cohorts, platforms = reference_rows()
    with translation.override("zh-hans"):
        scope, _ = scope_from_request(QueryDict(f"cohort={cohort.slug}"), cohorts=cohorts, platforms=platforms)
        for slug, chart_def in CATALOGUE.items():
            params = {"company": str(company)} if "company" in chart_def.params else {}
            if set(chart_def.params) - {"company"}:
                continue  # the influence indices: acronyms WCI/BCI, tested with the indices
            chart = build_chart(slug, scope, **params)
            go.Figure(charts.with_template(chart.figure))  # still valid for plotly in Chinese
            words = figure_words(chart.figure) + [chart.meta.title, chart.meta.subtitle, chart.meta.source]
            words += [str(c) for c in chart.columns]
            text = " ".join(words)
            # Ownership and sector names are the registry's choice labels, translated with the models.
            for label in (*Ownership.labels, *Sector.labels):
                text = text.replace(str(label), "")
            assert latin_words(text) == set(), slug
            assert CJK.search(chart.meta.title), slug
    follower_box = build_chart("follower-distribution", scope).figure
    assert "ticktext" in follower_box["layout"]["yaxis"]
