"""Per-chart downloads: /charts/<slug>.<fmt> as PNG, SVG, PDF, CSV and XLSX.

Tests marked ``render`` draw with kaleido and /usr/bin/chromium; they are
skipped with a message where Chromium is missing, and fail in CI (CI=true)."""

import csv
import datetime
import io
import json
import os
import shutil
import struct
import time
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboard import catalogue, charts, exports, rendering
from dashboard.catalogue import CATALOGUE, ChartParamError, build_chart
from dashboard.charts import ChartMeta
from dashboard.filters import reference_rows, scope_from_request
from registry.models import Ownership, Platform
from tests.factories import add_member, make_account, make_cohort_with_adoption, make_org, make_user, viewer

FROZEN = datetime.datetime(2026, 11, 25, 6, 30, tzinfo=datetime.UTC)  # 14:30 in Asia/Shanghai


def export_url(slug="adoption-by-platform", fmt="csv"):
    return reverse("dashboard:chart_export", kwargs={"slug": slug, "fmt": fmt})


@pytest.fixture
def chromium():
    if os.path.exists(rendering.DEFAULT_BROWSER) or shutil.which("chromium"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is required in CI: apt-get install -y chromium")
    pytest.skip("needs Chromium at /usr/bin/chromium (apt-get install -y chromium)")


render = [pytest.mark.render, pytest.mark.usefixtures("chromium")]


@pytest.fixture
def client_viewer(client, db):
    client.force_login(viewer())
    return client


@pytest.fixture
def cohort(db):
    """10 members (4 of them central SOEs), 8 on WeChat, 4 on Weibo."""
    cohort, _ = make_cohort_with_adoption(members=10, wechat=8, weibo=4)
    for membership in cohort.memberships.select_related("organisation").order_by("rank")[:4]:
        membership.organisation.ownership = Ownership.CENTRAL_SOE
        membership.organisation.save()
    return cohort


def page_chart(params, slug="adoption-by-platform"):
    """The ChartData the page builds for these query parameters."""
    from django.http import QueryDict

    cohorts, platforms = reference_rows()
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    scope, _ = scope_from_request(query, cohorts=cohorts, platforms=platforms)
    return build_chart(slug, scope), scope


def csv_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def png_size(data: bytes) -> tuple[int, int, int]:
    """(width, height, colour type) from the PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height, _depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, colour


# --------------------------------------------------------------------------- access


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(export_url())
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_user_without_role_is_forbidden(client, db):
    client.force_login(make_user(role=None))
    assert client.get(export_url()).status_code == 403


def test_viewer_may_download(client_viewer, cohort):
    assert client_viewer.get(export_url(), {"cohort": cohort.slug}).status_code == 200


def test_post_is_not_allowed(client_viewer, cohort):
    assert client_viewer.post(export_url(), {"cohort": cohort.slug}).status_code == 405


@pytest.mark.parametrize(
    "path", ["/charts/no-such-chart.csv", "/charts/adoption-by-platform.docx", "/charts/adoption-by-platform.CSV"]
)
def test_unknown_chart_or_format_is_404(client_viewer, path):
    assert client_viewer.get(path).status_code == 404


# --------------------------------------------------------------------------- CSV and XLSX


@time_machine.travel(FROZEN, tick=False)
def test_csv_says_what_it_is_and_holds_the_page_rows(client_viewer, cohort):
    params = {"cohort": cohort.slug, "as_of": "2021-06-30", "ownership": "central_soe"}
    response = client_viewer.get(export_url(), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="adoption-by-platform_{cohort.slug}_2021-06-30.csv"'
    )
    rows = csv_rows(response)
    header = dict(r for r in rows[:6] if len(r) == 2)
    chart, scope = page_chart(params)
    assert header["Title"] == chart.meta.title
    assert header["Filters"] == scope.describe()
    assert "ownership: Central SOE (SASAC-supervised)" in header["Filters"]
    assert header["As of"] == "2021-06-30"
    assert header["Source"] == chart.meta.source
    assert header["Generated"] == "25 November 2026 14:30 (Asia/Shanghai, UTC+08:00)"
    assert "Data" not in header  # no demo rows
    start = rows.index(list(chart.columns))
    assert [tuple(r) for r in rows[start + 1 :]] == [tuple(str(v) for v in row) for row in chart.rows]
    # Only the 4 central SOEs are counted: 4 on WeChat, 4 on Weibo.
    assert rows[start + 1][:3] == ["WeChat", "4", "4"]


def test_filters_reach_the_file_exactly_as_on_the_page(client_viewer, cohort):
    """A different filter gives a different file: the export is not a fixed sample."""
    everyone = csv_rows(client_viewer.get(export_url(), {"cohort": cohort.slug}))
    soes = csv_rows(client_viewer.get(export_url(), {"cohort": cohort.slug, "ownership": "central_soe"}))
    assert ["WeChat", "8", "10", "80.0"] in everyone
    assert ["WeChat", "4", "4", "100.0"] in soes


@time_machine.travel(FROZEN, tick=False)
def test_xlsx_opens_with_header_block_and_numbers(client_viewer, cohort):
    params = {"cohort": cohort.slug, "as_of": "2021-06-30"}
    response = client_viewer.get(export_url(fmt="xlsx"), params)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'adoption-by-platform_{cohort.slug}_2021-06-30.xlsx"')
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [tuple(c.value for c in row) for row in ws.iter_rows()]
    header = {row[0]: row[1] for row in values[:6]}
    chart, scope = page_chart(params)
    assert header["Title"] == chart.meta.title and header["Filters"] == scope.describe()
    assert header["Generated"] == "25 November 2026 14:30 (Asia/Shanghai, UTC+08:00)"
    start = values.index(tuple(chart.columns))
    assert values[start + 1 : start + 1 + len(chart.rows)] == [tuple(r) for r in chart.rows]
    assert isinstance(values[start + 1][1], int)  # numbers stay numbers


def test_over_time_chart_exports_too(client_viewer, cohort):
    response = client_viewer.get(export_url("adoption-over-time", "csv"), {"cohort": cohort.slug})
    chart, _ = page_chart({"cohort": cohort.slug}, slug="adoption-over-time")
    rows = csv_rows(response)
    assert rows[rows.index(list(chart.columns)) + 1 :] == [[str(v) for v in row] for row in chart.rows]


@pytest.mark.parametrize("slug", [slug for slug, d in sorted(CATALOGUE.items()) if not d.params])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_registered_chart_exports_its_data(client_viewer, cohort, slug, fmt):
    response = client_viewer.get(export_url(slug, fmt), {"cohort": cohort.slug})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith(f'attachment; filename="{slug}_{cohort.slug}_')


def test_demo_members_put_the_demo_label_in_the_file(client_viewer, cohort):
    plain = dict(r for r in csv_rows(client_viewer.get(export_url(), {"cohort": cohort.slug}))[:7] if len(r) == 2)
    assert "Data" not in plain
    org = make_org(is_demo=True)
    add_member(cohort, org, rank=99)
    labelled = dict(r for r in csv_rows(client_viewer.get(export_url(), {"cohort": cohort.slug}))[:7] if len(r) == 2)
    # Real and synthetic are never counted together without saying how many of each.
    assert labelled["Data"] == "Synthetic demo data: 10 real and 1 synthetic organisation"


def test_formula_injection_is_neutralised_in_csv_and_xlsx(client_viewer, cohort):
    from tests.factories import make_platform

    evil = make_platform("evil", '=HYPERLINK("http://x","y")', display_order=30)
    org = cohort.memberships.first().organisation
    make_account(org, evil)
    params = {"cohort": cohort.slug, "platform": ["wechat", "evil"]}
    rows = csv_rows(client_viewer.get(export_url(), params))
    assert ['\'=HYPERLINK("http://x","y")', "1", "10", "10.0"] in rows
    ws = load_workbook(io.BytesIO(client_viewer.get(export_url(fmt="xlsx"), params).content)).active
    cells = [
        c
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.lstrip("'").startswith("=HYPERLINK")
    ]
    assert len(cells) == 1 and cells[0].data_type == "s" and cells[0].value.startswith("'=HYPERLINK")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("", ""),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert exports.safe_cell(value) == expected


def test_sheet_names_are_valid_and_unique():
    used = set()
    names = [
        exports.sheet_name(t, used)
        for t in ["Adoption: by platform [2021]?", "Adoption: by platform [2021]?", "x" * 40, "'quoted'", "a/b\\c*d"]
    ]
    assert names[0] == "Adoption by platform 2021"
    assert names[1] == "Adoption by platform 2021 (2)"
    assert names[2] == "x" * 31
    assert names[3] == "quoted"
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert len({n.casefold() for n in names}) == len(names)


def test_file_name_says_what_the_file_is():
    assert exports.file_name("adoption-by-platform", "china-top-500-2020_2021-06-30", "png") == (
        "adoption-by-platform_china-top-500-2020_2021-06-30.png"
    )
    assert exports.file_name("followers", "all-companies_2021-06-30", "csv", ["China Mobile"]) == (
        "followers_all-companies_2021-06-30_china-mobile.csv"
    )


# --------------------------------------------------------------------------- bad requests


@pytest.mark.parametrize(
    "params", [{"scale": "0"}, {"scale": "5"}, {"scale": "two"}, {"scale": "1.5"}, {"background": "pink"}]
)
def test_bad_image_options_are_400(client_viewer, cohort, params):
    response = client_viewer.get(export_url(fmt="png"), {"cohort": cohort.slug, **params})
    assert response.status_code == 400
    assert b"This download can" in response.content


def test_bad_filters_are_400(client_viewer, cohort):
    assert client_viewer.get(export_url(), {"as_of": "2021-13-45"}).status_code == 400
    assert client_viewer.get(export_url(), {"cohort": "no-such-cohort"}).status_code == 400


def test_chart_parameter_error_is_400(client_viewer, cohort, monkeypatch):
    calls = []

    def build(scope, *, title, company="", **_):
        calls.append(company)
        if company != "7":
            raise ChartParamError("Choose a company.")
        return build_chart("adoption-by-platform", scope)

    monkeypatch.setitem(CATALOGUE, "test-company", catalogue.ChartDef("test-company", "Test", build, ("company",)))
    missing = client_viewer.get(export_url("test-company"), {"cohort": cohort.slug})
    assert missing.status_code == 400 and b"Choose a company." in missing.content
    ok = client_viewer.get(export_url("test-company"), {"cohort": cohort.slug, "company": "7"})
    assert ok.status_code == 200
    assert calls == ["", "7"]
    today = timezone.localdate().isoformat()
    assert ok["Content-Disposition"] == f'attachment; filename="test-company_{cohort.slug}_{today}_7.csv"'


# --------------------------------------------------------------------------- query counts


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_query_count_is_small_and_does_not_grow(client_viewer, cohort, fmt):
    client_viewer.get(export_url(fmt=fmt), {"cohort": cohort.slug})  # warm the session cache

    def count():
        # Chart data is cached per data version; any write makes the next export cold.
        make_org()
        with CaptureQueriesContext(connection) as ctx:
            assert client_viewer.get(export_url(fmt=fmt), {"cohort": cohort.slug}).status_code == 200
        return len(ctx)

    small = count()
    wechat, weibo = Platform.objects.get(slug="wechat"), Platform.objects.get(slug="weibo")
    for i in range(40):
        org = make_org()
        add_member(cohort, org, rank=200 + i)
        make_account(org, wechat)
        make_account(org, weibo)
    assert count() == small
    # user, user permissions, group permissions, cohorts, platforms, the scope's facts
    # (real and synthetic members: also what the file says about synthetic data), adoption per
    # platform; the last two skipped when the chart is cached
    assert small == 7


# --------------------------------------------------------------------------- renderer failures (no Chromium needed)


def test_missing_chromium_gives_503_with_a_message(client_viewer, cohort, settings, caplog):
    settings.CHART_RENDER_BROWSER = "/nonexistent/chromium"
    with caplog.at_level("ERROR", logger="newmedia.exports"):
        response = client_viewer.get(export_url(fmt="png"), {"cohort": cohort.slug})
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    body = response.content.decode()
    assert "Chart images are unavailable" in body and "Chromium" in body and "CSV and XLSX" in body
    record = next(r for r in caplog.records if r.name == "newmedia.exports")
    assert record.chart == "adoption-by-platform" and record.format == "png"
    assert "/nonexistent/chromium" in record.detail
    # The data downloads still work.
    assert client_viewer.get(export_url(fmt="csv"), {"cohort": cohort.slug}).status_code == 200


@pytest.fixture
def hanging_browser(tmp_path, settings):
    """A "browser" that starts and never answers, like a wedged Chromium."""
    script = tmp_path / "chromium"
    script.write_text("#!/bin/sh\nexec sleep 120\n")
    script.chmod(0o755)
    settings.CHART_RENDER_BROWSER = str(script)
    settings.CHART_RENDER_TIMEOUT = 1
    yield script
    rendering.renderer.stop()


def test_render_timeout_gives_503_quickly_and_frees_the_worker(client_viewer, cohort, hanging_browser):
    started = time.monotonic()
    response = client_viewer.get(export_url(fmt="svg"), {"cohort": cohort.slug})
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert b"took too long" in response.content
    assert elapsed < 5
    assert not rendering.renderer.running
    # The worker is free: the next request is answered, again within the timeout.
    started = time.monotonic()
    assert client_viewer.get(export_url(fmt="png"), {"cohort": cohort.slug}).status_code == 503
    assert time.monotonic() - started < 5


# --------------------------------------------------------------------------- images (Chromium)


@pytest.mark.parametrize("scale", [1, 3])
@pytest.mark.usefixtures("chromium")
@pytest.mark.render
def test_png_pixel_size_is_width_times_scale(client_viewer, cohort, scale):
    response = client_viewer.get(export_url(fmt="png"), {"cohort": cohort.slug, "scale": scale})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    chart, _ = page_chart({"cohort": cohort.slug})
    height = (chart.figure["layout"].get("height") or 450) + exports.FOOTER_PX
    assert png_size(response.content)[:2] == (exports.IMAGE_WIDTH * scale, height * scale)


def _corner_alpha(data: bytes) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGBA")
    return image.getpixel((1, 1))[3]


@pytest.mark.usefixtures("chromium")
@pytest.mark.render
def test_png_background_white_or_transparent(client_viewer, cohort):
    white = client_viewer.get(export_url(fmt="png"), {"cohort": cohort.slug, "scale": 1})
    clear = client_viewer.get(export_url(fmt="png"), {"cohort": cohort.slug, "scale": 1, "background": "transparent"})
    assert png_size(clear.content)[2] == 6  # RGBA
    assert _corner_alpha(clear.content) == 0
    assert _corner_alpha(white.content) == 255


@time_machine.travel(FROZEN, tick=True)
@pytest.mark.usefixtures("chromium")
@pytest.mark.render
def test_svg_carries_title_filters_source_and_generation_time(client_viewer, cohort):
    response = client_viewer.get(export_url(fmt="svg"), {"cohort": cohort.slug, "ownership": "central_soe"})
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag.endswith("svg")
    text = " ".join(t for t in root.itertext())
    assert "Organisations with an official account, by platform" in text
    assert "ownership: Central SOE (SASAC-supervised)" in text
    assert "Source: New-media registry" in text
    assert "Generated 25 November 2026 14:30 (Asia/Shanghai, UTC+08:00)" in text
    assert "Synthetic demo data" not in text


@pytest.mark.usefixtures("chromium")
@pytest.mark.render
def test_svg_says_demo_when_members_are_demo(client_viewer, cohort):
    add_member(cohort, make_org(is_demo=True), rank=99)
    svg = client_viewer.get(export_url(fmt="svg"), {"cohort": cohort.slug}).content
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert "Synthetic demo data" in " ".join(root.itertext())


@pytest.mark.usefixtures("chromium")
@pytest.mark.render
def test_pdf_is_one_page(client_viewer, cohort):
    response = client_viewer.get(export_url("adoption-over-time", "pdf"), {"cohort": cohort.slug})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1
    assert response["Content-Disposition"].startswith('attachment; filename="adoption-over-time_')


@pytest.mark.usefixtures("chromium")
@pytest.mark.render
def test_hung_render_gives_503_and_the_next_export_works(client_viewer, cohort, settings, monkeypatch):
    assert client_viewer.get(export_url(fmt="svg"), {"cohort": cohort.slug}).status_code == 200  # warm
    starts = rendering.renderer.starts

    async def never(self, session, figure, opts):
        import asyncio

        await asyncio.sleep(3600)

    settings.CHART_RENDER_TIMEOUT = 1
    monkeypatch.setattr(rendering.Renderer, "_calc", never)
    started = time.monotonic()
    response = client_viewer.get(export_url(fmt="png"), {"cohort": cohort.slug})
    assert response.status_code == 503 and time.monotonic() - started < 4
    monkeypatch.undo()
    settings.CHART_RENDER_TIMEOUT = 30
    assert client_viewer.get(export_url(fmt="png"), {"cohort": cohort.slug}).status_code == 200
    assert rendering.renderer.starts == starts + 1  # a fresh browser replaced the stuck one


def test_export_figure_leaves_the_page_figure_alone(cohort):
    chart, scope = page_chart({"cohort": cohort.slug})
    before = json.dumps(chart.figure, cls=DjangoJSONEncoder)
    prov = exports.Provenance(filters=scope.describe(), as_of=scope.as_of, generated_at=FROZEN, demo=True)
    figure, width, height = exports.export_figure(chart, prov, background="transparent")
    assert json.dumps(chart.figure, cls=DjangoJSONEncoder) == before
    assert (width, height) == (exports.IMAGE_WIDTH, chart.figure["layout"]["height"] + exports.FOOTER_PX)
    assert figure["layout"]["template"] == charts.TEMPLATE  # images carry the house style themselves
    # The title and the axis title keep clear of the image's left edge.
    assert figure["layout"]["title"]["pad"]["l"] == exports.IMAGE_PADDING > 0
    assert figure["layout"]["margin"]["l"] == charts.TEMPLATE["layout"]["margin"]["l"] + exports.IMAGE_PADDING
    texts = [a["text"] for a in figure["layout"]["annotations"]]
    assert any("Generated 25 November 2026 06:30" in t and "Synthetic demo data" in t for t in texts)
    assert figure["layout"]["paper_bgcolor"] == "rgba(0,0,0,0)"


def test_meta_demo_alone_labels_the_file():
    chart = catalogue.ChartData(
        slug="x", meta=ChartMeta("T", "S", "Src", demo=True), figure=None, columns=("a",), rows=[(1,)]
    )
    prov = exports.Provenance(filters="f", as_of=datetime.date(2021, 1, 1), generated_at=FROZEN)
    assert ("Data", "Synthetic demo data") in exports.header_rows(chart, prov)
