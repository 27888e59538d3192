"""Briefings: adding charts, editing (owner only, POST only), and the PPTX,
PDF and XLSX downloads. Tests marked ``render`` need /usr/bin/chromium."""

import datetime
import io
import os
import shutil

import pytest
import time_machine
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from dashboard import rendering
from dashboard.catalogue import CATALOGUE, build_chart
from dashboard.filters import reference_rows, scope_from_request
from registry.models import Briefing, BriefingItem, Ownership
from tests.factories import (
    add_member,
    make_account,
    make_briefing,
    make_briefing_statement,
    make_cohort_with_adoption,
    make_org,
    make_user,
    viewer,
)

FROZEN = datetime.datetime(2026, 11, 25, 6, 30, tzinfo=datetime.UTC)


@pytest.fixture
def chromium():
    if os.path.exists(rendering.DEFAULT_BROWSER) or shutil.which("chromium"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is required in CI: apt-get install -y chromium")
    pytest.skip("needs Chromium at /usr/bin/chromium (apt-get install -y chromium)")


@pytest.fixture
def user(db):
    return viewer()


@pytest.fixture
def client_owner(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def cohort(db):
    cohort, _ = make_cohort_with_adoption(members=10, wechat=8, weibo=4)
    for membership in cohort.memberships.select_related("organisation").order_by("rank")[:3]:
        membership.organisation.ownership = Ownership.CENTRAL_SOE
        membership.organisation.save()
    return cohort


def detail(briefing):
    return reverse("dashboard:briefing_detail", args=[briefing.uuid])


def download(briefing, fmt):
    return reverse("dashboard:briefing_download", kwargs={"uuid": briefing.uuid, "fmt": fmt})


def page_chart(query: str, slug: str):
    cohorts, platforms = reference_rows()
    scope, _ = scope_from_request(QueryDict(query), cohorts=cohorts, platforms=platforms)
    return build_chart(slug, scope), scope


# --------------------------------------------------------------------------- adding


def test_add_to_briefing_starts_one_then_fills_it(client_owner, user, cohort):
    url = reverse("dashboard:briefing_add")
    page = f"/?cohort={cohort.slug}&ownership=central_soe"
    first = client_owner.post(url, {"chart": "adoption-by-platform", "query": page[2:], "next": page})
    assert first.status_code == 302 and first.url == page
    briefing = Briefing.objects.get(owner=user)
    client_owner.post(url, {"chart": "adoption-over-time", "query": f"cohort={cohort.slug}&as_of=2020-01-31"})
    items = list(briefing.items.all())
    assert [(i.chart, i.position) for i in items] == [("adoption-by-platform", 0), ("adoption-over-time", 1)]
    assert QueryDict(items[0].query).getlist("ownership") == ["central_soe"]
    assert QueryDict(items[1].query)["as_of"] == "2020-01-31"
    assert Briefing.objects.filter(owner=user).count() == 1


def test_add_pins_the_cohort_the_page_showed(client_owner, user, cohort):
    """A page without a cohort parameter shows the default cohort; the item keeps it."""
    client_owner.post(reverse("dashboard:briefing_add"), {"chart": "adoption-by-platform", "query": ""})
    item = BriefingItem.objects.get(briefing__owner=user)
    assert QueryDict(item.query)["cohort"] == cohort.slug


def test_add_goes_into_the_most_recently_changed_briefing(client_owner, user, cohort):
    older = make_briefing(owner=user, title="Older")
    newer = make_briefing(owner=user, title="Newer")
    client_owner.post(reverse("dashboard:briefing_title", args=[older.uuid]), {"title": "Older, edited"})
    client_owner.post(reverse("dashboard:briefing_add"), {"chart": "adoption-by-platform", "query": ""})
    assert older.items.count() == 1 and newer.items.count() == 0


def test_unsafe_next_goes_to_the_briefing(client_owner, user, cohort):
    response = client_owner.post(
        reverse("dashboard:briefing_add"),
        {"chart": "adoption-by-platform", "query": "", "next": "https://evil.example/"},
    )
    assert response.url == detail(Briefing.objects.get(owner=user))


@pytest.mark.parametrize(
    "data",
    [
        {"chart": "no-such-chart", "query": ""},
        {"chart": "adoption-by-platform", "query": "as_of=2021-13-45"},
        {"chart": "adoption-by-platform", "query": "x" * 2001},
    ],
)
def test_bad_add_is_400(client_owner, cohort, data):
    assert client_owner.post(reverse("dashboard:briefing_add"), data).status_code == 400
    assert not Briefing.objects.exists()


@pytest.mark.parametrize("name", ["briefing_add", "briefing_new"])
def test_changes_are_post_only(client_owner, name):
    assert client_owner.get(reverse(f"dashboard:{name}")).status_code == 405


def test_chart_tools_post_the_chart_and_filters(client_owner, cohort):
    response = client_owner.get(reverse("dashboard:overview"), {"cohort": cohort.slug, "ownership": "central_soe"})
    html = response.content.decode()
    assert f'action="{reverse("dashboard:briefing_add")}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'name="query" value="cohort={cohort.slug}&amp;ownership=central_soe"' in html
    assert f"/charts/adoption-by-platform.png?cohort={cohort.slug}&amp;ownership=central_soe" in html
    assert f"/charts/adoption-by-platform.xlsx?cohort={cohort.slug}&amp;ownership=central_soe" in html


# --------------------------------------------------------------------------- the briefing page


def test_detail_lists_items_with_filters_in_words(client_owner, user, cohort):
    query = f"cohort={cohort.slug}&ownership=central_soe"
    briefing = make_briefing(owner=user, title="SOEs", charts=[("adoption-by-platform", query), ("gone-chart", "")])
    response = client_owner.get(detail(briefing))
    html = response.content.decode()
    assert response.status_code == 200
    assert CATALOGUE["adoption-by-platform"].title in html
    assert "ownership: Central SOE (SASAC-supervised)" in html
    assert "no longer on the dashboard" in html
    assert "Save title" in html and "↑ Up" in html


def test_briefing_pages_are_not_kept_by_browsers(client_owner, user):
    """Briefing rows do not move the registry's data version, so a kept copy could be
    revalidated as current after a change; the pages must not be stored at all."""
    briefing = make_briefing(owner=user)
    for url in (detail(briefing), reverse("dashboard:briefing_list"), download(briefing, "xlsx")):
        assert "no-store" in client_owner.get(url)["Cache-Control"]


def test_colleague_opens_read_only(client, user, cohort):
    briefing = make_briefing(owner=user, title="Shared", charts=[("adoption-by-platform", f"cohort={cohort.slug}")])
    statement = make_briefing_statement("Short video is where the public is.")
    briefing.statements.add(statement)
    colleague = viewer()
    client.force_login(colleague)
    response = client.get(detail(briefing))
    html = response.content.decode()
    assert response.status_code == 200
    assert "read-only" in html and "Save title" not in html and "↑ Up" not in html
    assert "Short video is where the public is." in html and "Li Wei, Spokesperson" in html
    item = briefing.items.get()
    for url, data in [
        (reverse("dashboard:briefing_title", args=[briefing.uuid]), {"title": "Mine now"}),
        (reverse("dashboard:briefing_item", args=[briefing.uuid, item.pk]), {"action": "remove"}),
        (reverse("dashboard:briefing_statements", args=[briefing.uuid]), {"shown": [statement.pk]}),
        (reverse("dashboard:briefing_delete", args=[briefing.uuid]), {}),
    ]:
        assert client.post(url, data).status_code == 403
    briefing.refresh_from_db()
    assert briefing.title == "Shared" and briefing.items.count() == 1 and briefing.statements.count() == 1
    assert client.get(download(briefing, "xlsx")).status_code == 200


def test_unknown_briefing_is_404(client_owner):
    import uuid

    assert client_owner.get(reverse("dashboard:briefing_detail", args=[uuid.uuid4()])).status_code == 404
    assert client_owner.get(f"/briefings/{uuid.uuid4()}.pptx").status_code == 404


def test_list_shows_only_my_briefings(client_owner, user):
    make_briefing(owner=user, title="Mine")
    make_briefing(title="Someone else's")
    html = client_owner.get(reverse("dashboard:briefing_list")).content.decode()
    assert "Mine" in html and "Someone else" not in html


def test_list_query_count(client_owner, user, django_assert_num_queries):
    for n in range(3):
        make_briefing(owner=user, title=f"B{n}", charts=[("adoption-by-platform", "")] * 3)
    client_owner.get(reverse("dashboard:briefing_list"))  # warm the session cache
    # user, user permissions, group permissions, briefings with counts, demo banner
    with django_assert_num_queries(5):
        assert client_owner.get(reverse("dashboard:briefing_list")).status_code == 200


def test_detail_query_count_does_not_grow(client_owner, user, cohort):
    briefing = make_briefing(owner=user, charts=[("adoption-by-platform", f"cohort={cohort.slug}")] * 3)
    briefing.statements.add(make_briefing_statement(), make_briefing_statement())
    client_owner.get(detail(briefing))  # warm the session cache

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client_owner.get(detail(briefing)).status_code == 200
        return len(ctx)

    small = count()
    for n in range(5):
        BriefingItem.objects.create(briefing=briefing, chart="adoption-over-time", query="", position=10 + n)
        briefing.statements.add(make_briefing_statement())
        make_briefing_statement()
    assert count() == small
    # user, user permissions, group permissions, briefing (+owner), items, cohorts, platforms,
    # chosen statements, statements offered, demo banner
    assert small == 10


def test_reorder_and_remove(client_owner, user, cohort):
    briefing = make_briefing(
        owner=user, charts=[("adoption-by-platform", ""), ("adoption-over-time", ""), ("adoption-share", "")]
    )
    a, b, c = briefing.items.all()
    url = lambda item: reverse("dashboard:briefing_item", args=[briefing.uuid, item.pk])  # noqa: E731

    assert client_owner.post(url(c), {"action": "up"}).status_code == 302
    assert list(briefing.items.values_list("chart", flat=True)) == [a.chart, c.chart, b.chart]
    client_owner.post(url(a), {"action": "down"})
    assert list(briefing.items.values_list("chart", flat=True)) == [c.chart, a.chart, b.chart]
    client_owner.post(url(c), {"action": "up"})  # already first: nothing moves
    assert list(briefing.items.values_list("chart", flat=True)) == [c.chart, a.chart, b.chart]
    client_owner.post(url(a), {"action": "remove"})
    assert list(briefing.items.values_list("chart", "position")) == [(c.chart, 0), (b.chart, 1)]
    assert client_owner.post(url(b), {"action": "sideways"}).status_code == 400
    assert client_owner.get(url(b)).status_code == 405
    other = make_briefing(owner=user, charts=[("adoption-by-platform", "")])
    stray = reverse("dashboard:briefing_item", args=[briefing.uuid, other.items.get().pk])
    assert client_owner.post(stray, {"action": "remove"}).status_code == 404


def test_title_and_delete(client_owner, user):
    briefing = make_briefing(owner=user)
    client_owner.post(reverse("dashboard:briefing_title", args=[briefing.uuid]), {"title": "  Weibo in 2021 "})
    briefing.refresh_from_db()
    assert briefing.title == "Weibo in 2021"
    client_owner.post(reverse("dashboard:briefing_title", args=[briefing.uuid]), {"title": " "})
    briefing.refresh_from_db()
    assert briefing.title == "Weibo in 2021"
    client_owner.post(reverse("dashboard:briefing_delete", args=[briefing.uuid]))
    assert not Briefing.objects.filter(pk=briefing.pk).exists()


def test_choose_statements_with_search(client_owner, user):
    briefing = make_briefing(owner=user)
    kept = make_briefing_statement("Livestreaming sells our products.")
    other = make_briefing_statement("Weibo is for announcements.", speaker="Zhang Min")
    briefing.statements.add(kept)
    html = client_owner.get(detail(briefing), {"q": "Zhang"}).content.decode()
    assert "Weibo is for announcements." in html
    assert "Livestreaming sells our products." in html  # chosen ones are always listed
    # The form showed both; tick only the new one.
    url = reverse("dashboard:briefing_statements", args=[briefing.uuid])
    client_owner.post(url, {"shown": [kept.pk, other.pk], "statement": [other.pk]})
    assert set(briefing.statements.all()) == {other}
    # A search that did not show `other` leaves it chosen.
    client_owner.post(url, {"shown": [kept.pk], "statement": [kept.pk]})
    assert set(briefing.statements.all()) == {kept, other}


# --------------------------------------------------------------------------- downloads


def six_chart_briefing(user, cohort):
    charts = []
    for query in (
        f"cohort={cohort.slug}",
        f"cohort={cohort.slug}&ownership=central_soe",
        f"cohort={cohort.slug}&as_of=2020-06-30",
    ):
        charts += [("adoption-by-platform", query), ("adoption-over-time", query)]
    return make_briefing(owner=user, title="Six charts: SOEs [draft]", charts=charts)


@time_machine.travel(FROZEN, tick=False)
def test_pptx_has_native_charts_with_the_page_values(client_owner, user, cohort):
    briefing = six_chart_briefing(user, cohort)
    statement = make_briefing_statement("We go where the audience is.", organisation=make_org("Sinopec"))
    briefing.statements.add(statement)
    response = client_owner.get(download(briefing, "pptx"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="briefing_six-charts-soes-draft_2026-11-25.pptx"'
    prs = Presentation(io.BytesIO(response.content))
    slides = list(prs.slides)
    assert len(slides) == 1 + 6 + 1
    assert slides[0].shapes.title.text == "Six charts: SOEs [draft]"
    for slide, item in zip(slides[1:7], briefing.items.all(), strict=True):
        expected, scope = page_chart(item.query, item.chart)
        assert slide.shapes.title.text == expected.meta.title
        charts = [shape.chart for shape in slide.shapes if shape.has_chart]
        assert len(charts) == 1
        plot = charts[0].plots[0]
        assert tuple(plot.categories) == tuple(str(c) for c in expected.native.categories)
        got = [(s.name, tuple(s.values)) for s in plot.series]
        assert got == [(s.name, tuple(float(v) for v in s.values)) for s in expected.native.series]
        notes = slide.notes_slide.notes_text_frame.text
        assert scope.describe() in notes and f"As of: {scope.as_of:%-d %B %Y}" in notes
        assert "Source: " + expected.meta.source in notes
    by_platform = [shape.chart for shape in slides[1].shapes if shape.has_chart][0]
    assert by_platform.chart_type == 51  # XL_CHART_TYPE.COLUMN_CLUSTERED
    soes = [shape.chart for shape in slides[3].shapes if shape.has_chart][0]
    assert tuple(soes.plots[0].series[0].values) == (3.0, 3.0)  # the three central SOEs
    text = " ".join(shape.text_frame.text for shape in slides[7].shapes if shape.has_text_frame)
    assert "We go where the audience is." in text
    assert "Li Wei, Spokesperson, Sinopec — Interview" in text and "2021-03-05" in text


def test_xlsx_pack_has_a_sheet_per_chart_and_sources(client_owner, user, cohort):
    briefing = six_chart_briefing(user, cohort)
    BriefingItem.objects.create(briefing=briefing, chart="retired-chart", position=9)
    response = client_owner.get(download(briefing, "xlsx"))
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[0] == "Sources" and len(wb.sheetnames) == 7
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in wb.sheetnames)
    assert len({n.casefold() for n in wb.sheetnames}) == 7
    first = wb[wb.sheetnames[1]]
    expected, scope = page_chart(f"cohort={cohort.slug}", "adoption-by-platform")
    rows = [tuple(c.value for c in row) for row in first.iter_rows()]
    start = rows.index(tuple(expected.columns))
    assert rows[start + 1 : start + 1 + len(expected.rows)] == [tuple(r) for r in expected.rows]
    sources = [tuple(c.value for c in row) for row in wb["Sources"].iter_rows()]
    listed = [r for r in sources if r[0] in wb.sheetnames[1:]]
    assert len(listed) == 6 and listed[0][2] == scope.describe()
    assert any(r[1] == "retired-chart" and "could not be built" in (r[2] or "") for r in sources)


def test_download_query_count_does_not_grow_with_data(client_owner, user, cohort):
    briefing = six_chart_briefing(user, cohort)
    client_owner.get(download(briefing, "xlsx"))  # warm the session cache

    def count():
        make_org()  # any write makes the chart cache miss, so every chart is built
        with CaptureQueriesContext(connection) as ctx:
            assert client_owner.get(download(briefing, "xlsx")).status_code == 200
        return len(ctx)

    small = count()
    wechat = cohort.memberships.first().organisation.accounts.first().platform
    for i in range(30):
        org = make_org()
        add_member(cohort, org, rank=100 + i)
        make_account(org, wechat)
    assert count() == small
    # user, user permissions, group permissions, briefing (+owner), items, statements, cohorts,
    # platforms; per filter set (3): the scope's facts, adoption by platform, timeline
    assert small == 8 + 3 * 3


# --------------------------------------------------------------------------- rendered downloads (Chromium)


@pytest.mark.usefixtures("chromium")
@pytest.mark.render
def test_six_chart_pack_downloads_in_every_format(client_owner, user, cohort):
    briefing = six_chart_briefing(user, cohort)
    briefing.statements.add(make_briefing_statement("我们要讲好中国故事。"), make_briefing_statement())
    pdf = client_owner.get(download(briefing, "pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1 + 6 + 1
    page_text = reader.pages[3].extract_text()  # the third chart: by platform, central SOEs
    assert "ownership: Central SOE" in page_text and "Source:" in page_text
    assert "Organisations with an official account" in page_text  # the chart's own vector text
    pptx = Presentation(io.BytesIO(client_owner.get(download(briefing, "pptx")).content))
    assert len(pptx.slides) == 8
    xlsx = load_workbook(io.BytesIO(client_owner.get(download(briefing, "xlsx")).content))
    assert len(xlsx.sheetnames) == 1 + 6 + 1 and xlsx.sheetnames[-1] == "Statements"


@pytest.mark.usefixtures("chromium")
@pytest.mark.render
def test_chart_without_native_series_becomes_a_picture(client_owner, user, cohort):
    slug = next(
        s for s in CATALOGUE if not CATALOGUE[s].params and page_chart(f"cohort={cohort.slug}", s)[0].native is None
    )
    briefing = make_briefing(owner=user, charts=[(slug, f"cohort={cohort.slug}")])
    prs = Presentation(io.BytesIO(client_owner.get(download(briefing, "pptx")).content))
    slide = list(prs.slides)[1]
    assert not any(shape.has_chart for shape in slide.shapes)
    pictures = [shape for shape in slide.shapes if shape.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert len(pictures) == 1 and pictures[0].image.content_type == "image/png"


def test_pdf_without_chromium_is_503(client_owner, user, cohort, settings):
    settings.CHART_RENDER_BROWSER = "/nonexistent/chromium"
    briefing = six_chart_briefing(user, cohort)
    response = client_owner.get(download(briefing, "pdf"))
    assert response.status_code == 503 and b"Chromium" in response.content
    # Native charts need no renderer, so the slides and the workbook still download.
    assert client_owner.get(download(briefing, "pptx")).status_code == 200
    assert client_owner.get(download(briefing, "xlsx")).status_code == 200


def test_anonymous_and_roleless_users_cannot_download(client, user, cohort):
    briefing = make_briefing(owner=user, charts=[("adoption-by-platform", "")])
    response = client.get(download(briefing, "xlsx"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(make_user(role=None))
    assert client.get(download(briefing, "xlsx")).status_code == 403


# --------------------------------------------------------------------------- end to end in headless Chromium


@pytest.mark.browser
@pytest.mark.render
@pytest.mark.django_db(transaction=True)
def test_download_and_collect_charts_in_a_browser(browser, live_server):
    from django.contrib.auth.models import Group, Permission
    from django.core.management.sql import emit_post_migrate_signal

    from registry.roles import sync_roles
    from tests.browser_support import log_in, wait_for_charts

    # An earlier transactional test may have flushed the database, taking the
    # migrated roles (and, depending on how it flushed, the permissions) with it.
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    sync_roles(Group, Permission)
    cohort, _ = make_cohort_with_adoption(members=6, wechat=5, weibo=2)
    for membership in cohort.memberships.select_related("organisation").order_by("rank")[:2]:
        membership.organisation.ownership = Ownership.CENTRAL_SOE
        membership.organisation.save()
    user = viewer()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        path = f"/?cohort={cohort.slug}&ownership=central_soe"
        log_in(page, live_server.url, user.username, next_path=path.replace("&", "%26"))
        wait_for_charts(page)
        panel = page.locator("#panel-adoption-by-platform")
        panel.get_by_text("Download").click()
        with page.expect_download() as csv_download:
            panel.get_by_role("link", name="Data as CSV").click()
        name = csv_download.value.suggested_filename
        assert name.startswith(f"adoption-by-platform_{cohort.slug}_") and name.endswith(".csv")
        text = open(csv_download.value.path(), encoding="utf-8-sig").read()
        assert "ownership: Central SOE (SASAC-supervised)" in text
        with page.expect_download() as png_download:
            panel.get_by_role("link", name="PNG image").click()
        assert open(png_download.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"

        for slug in ("adoption-by-platform", "adoption-over-time"):
            with page.expect_navigation():
                page.locator(f"#panel-{slug}").get_by_role("button", name="Add to briefing").click()
            assert page.url == live_server.url + path
        assert page.get_by_text("to “Briefing”").count() == 1  # the message after the second add

        page.goto(live_server.url + reverse("dashboard:briefing_list"))
        with page.expect_navigation():
            page.get_by_role("link", name="Briefing", exact=True).last.click()
        items = page.locator("ol.briefing-items > li")
        assert items.count() == 2
        assert "ownership: Central SOE" in items.first.inner_text()
        with page.expect_navigation():
            page.get_by_role("button", name=f"Move {CATALOGUE['adoption-over-time'].title} up").click()
        assert CATALOGUE["adoption-over-time"].title in page.locator("ol.briefing-items > li").first.inner_text()
        with page.expect_download() as pptx_download:
            page.get_by_role("link", name="Slides (PPTX)").click()
        slides = Presentation(pptx_download.value.path()).slides
        assert len(slides) == 3 and any(shape.has_chart for shape in list(slides)[1].shapes)
        assert not problems, problems
    finally:
        context.close()
