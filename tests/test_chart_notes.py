"""What charts and their files say about the data behind them: how many real
and how many synthetic organisations they count when any is synthetic, and the
date of the newest snapshot when it is older than the as-of date."""

import datetime
import io
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.urls import reverse

from dashboard.catalogue import build_chart
from dashboard.filters import reference_rows, scope_from_request
from tests.factories import add_member, make_cohort_with_adoption, make_metric, make_org, viewer
from tests.test_exports import chromium  # noqa: F401 - the fixture: skips without Chromium, fails in CI

D = datetime.date
TODAY = datetime.datetime(2026, 11, 30, 4, tzinfo=datetime.UTC)
REAL_AND_SYNTHETIC = "Synthetic demo data: 6 real and 2 synthetic organisations"


@pytest.fixture
def cohort(db):
    """Six real members with WeChat accounts whose newest snapshot is of 3 March
    2021, and two synthetic members."""
    cohort, platforms = make_cohort_with_adoption(members=6, wechat=6, weibo=2)
    for membership in cohort.memberships.select_related("organisation")[:6]:
        account = membership.organisation.accounts.get(platform=platforms["wechat"])
        make_metric(account, D(2021, 3, 3), followers=1000 + membership.rank)
    for rank in (7, 8):
        add_member(cohort, make_org(f"Demo {rank}", is_demo=True), rank=rank)
    return cohort


def chart(slug, **params):
    cohorts, platforms = reference_rows()
    scope, _ = scope_from_request(params, cohorts=cohorts, platforms=platforms)
    return build_chart(slug, scope)


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "slug",
    ["adoption-by-platform", "adoption-over-time", "adoption-by-sector", "follower-distribution", "top-accounts"],
)
def test_subtitles_count_real_and_synthetic_and_date_the_data(cohort, slug):
    built = chart(slug, cohort=cohort.slug)
    assert built.meta.demo and (built.meta.real, built.meta.synthetic) == (6, 2)
    assert REAL_AND_SYNTHETIC in built.meta.subtitle
    assert "latest data 3 March 2021" in built.meta.subtitle
    assert REAL_AND_SYNTHETIC.replace("&", "&amp;") in built.figure["layout"]["title"]["subtitle"]["text"]


@time_machine.travel(TODAY, tick=False)
def test_real_data_only_says_nothing_of_synthetic_rows(cohort):
    cohort.memberships.filter(organisation__is_demo=True).delete()
    built = chart("adoption-by-platform", cohort=cohort.slug, as_of="2021-03-01")
    assert not built.meta.demo and built.meta.synthetic == 0
    assert "ynthetic" not in built.meta.subtitle
    assert "latest data" not in built.meta.subtitle  # snapshots reach past the as-of date


@time_machine.travel(TODAY, tick=False)
def test_csv_and_xlsx_say_so(client, cohort):
    from openpyxl import load_workbook

    client.force_login(viewer())
    url = reverse("dashboard:chart_export", args=["adoption-by-platform", "csv"])
    text = client.get(url, {"cohort": cohort.slug}).content.decode("utf-8-sig")
    assert f"Data,{REAL_AND_SYNTHETIC}" in text.splitlines()
    assert "Latest data,2021-03-03" in text.splitlines()
    workbook = load_workbook(io.BytesIO(client.get(url.replace(".csv", ".xlsx"), {"cohort": cohort.slug}).content))
    cells = [(row[0], row[1]) for row in workbook.active.iter_rows(max_col=2, values_only=True)]
    assert ("Data", REAL_AND_SYNTHETIC) in cells and ("Latest data", "2021-03-03") in cells


@time_machine.travel(TODAY, tick=True)
@pytest.mark.render
@pytest.mark.usefixtures("chromium")
def test_svg_text_says_so(client, cohort):
    client.force_login(viewer())
    url = reverse("dashboard:chart_export", args=["top-accounts", "svg"])
    root = ET.fromstring(client.get(url, {"cohort": cohort.slug}).content)  # noqa: S314 - our own output
    text = " ".join(root.itertext())
    assert REAL_AND_SYNTHETIC in text and "latest data 3 March 2021" in text


@time_machine.travel(TODAY, tick=False)
def test_pptx_slides_say_so(client, cohort):
    from pptx import Presentation

    from tests.factories import make_briefing

    user = viewer()
    client.force_login(user)
    briefing = make_briefing(owner=user, title="Pack", charts=[("adoption-by-platform", f"cohort={cohort.slug}")])
    body = client.get(reverse("dashboard:briefing_download", args=[briefing.uuid, "pptx"])).content
    slides = Presentation(io.BytesIO(body)).slides
    chart_slide = " ".join(shape.text_frame.text for shape in slides[1].shapes if shape.has_text_frame)
    assert REAL_AND_SYNTHETIC in chart_slide and "latest data 3 March 2021" in chart_slide
    assert REAL_AND_SYNTHETIC in slides[1].notes_slide.notes_text_frame.text
