"""End to end in headless Chromium: an editor pastes an article, reviews the
statements found, rejects some, saves, and sees the rest on the source's page."""

import datetime
import os

import pytest
from django.contrib.auth.models import Group, Permission

from registry import models as m
from registry.roles import sync_roles
from registry.seed import article_text
from tests.browser_support import log_in
from tests.factories import editor

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_paste_review_save_and_see_the_statements_on_the_source_page(page, live_server):
    # A transactional test database is flushed between tests, and with it the
    # roles the migration created; put them back.
    sync_roles(Group, Permission)
    user = editor()
    log_in(page, live_server.url, user.username, next_path="/statements/extract/")
    assert page.get_by_role("heading", name="Extract statements from an article").is_visible()

    page.get_by_label("Article text").fill(article_text())
    page.get_by_label("Title").fill("Major SOEs make new attempts in external communications")
    page.get_by_label("URL").fill("https://news.example.com/soe-new-media")
    page.get_by_label("Publication date").fill("2021-01-15")
    with page.expect_navigation():
        page.get_by_role("button", name="Find statements").click()

    # The review screen: six quotes, paraphrases apart; nothing saved yet.
    quotes = page.locator("section[aria-labelledby=quotes-heading] fieldset.candidate")
    paraphrases = page.locator("section[aria-labelledby=paraphrases-heading] fieldset.candidate")
    assert quotes.count() == 6
    assert paraphrases.count() >= 1
    assert m.Source.objects.count() == 0 and m.Statement.objects.count() == 0
    assert "Lyu Dapeng" in quotes.nth(0).get_by_label("Speaker").input_value()

    for index in range(paraphrases.count()):
        paraphrases.nth(index).get_by_label("Reject").check()
    quotes.nth(2).get_by_label("Reject").check()  # Li Zhengmao's second quote
    quotes.nth(5).get_by_label("Topics").fill("Livestreaming, SOE communication")
    quotes.nth(0).get_by_label("Text").fill(
        "The integrated development of traditional media and new media helps build a more efficient "
        "communication system"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save accepted statements and figures").click()

    source = m.Source.objects.get()
    assert page.url.endswith(source.get_absolute_url())
    assert page.locator(".message.success").inner_text().startswith("Saved 5 statements")
    statements = page.locator("ul.statements li")
    assert statements.count() == 5
    body = page.locator("main").inner_text()
    assert "helps build a more efficient communication system”" in body
    assert "Kuaishou will continue to make innovations" in body
    assert "By then, millions of people" not in body
    assert m.Statement.objects.filter(topics__name="SOE communication").count() == 1
    assert page.console_problems == []


CHINESE_ARTICLE = (
    "中国石化新媒体矩阵初具规模\n\n"
    "在11日举行的发布会上，中国石化新闻发言人吕大鹏表示：“我们将继续推进新媒体建设，讲好央企故事。”\n\n"
    "“今年我们在抖音和快手上开展了多场直播。”他说。\n\n"
    "截至2023年底，超过400家中国企业500强已开通微信公众号，逾两百家开通了微博账号。"
)


def test_a_chinese_article_end_to_end_statements_and_a_published_figure(page, live_server):
    sync_roles(Group, Permission)
    wechat = m.Platform.objects.create(slug="wechat", name_en="WeChat", display_order=10)
    m.Platform.objects.create(slug="weibo", name_en="Weibo", display_order=20)
    cohort = m.Cohort.objects.create(
        name="China Top 500 Enterprises 2023", slug="top-500-2023", year=2023, nominal_size=500
    )
    user = editor()
    log_in(page, live_server.url, user.username, next_path="/statements/extract/")

    page.get_by_label("Article text").fill(CHINESE_ARTICLE)
    page.get_by_label("Title").fill("中国石化新媒体矩阵初具规模")
    page.get_by_label("Publication date").fill("2024-01-12")
    with page.expect_navigation():
        page.get_by_role("button", name="Find statements").click()

    quotes = page.locator("section[aria-labelledby=quotes-heading] fieldset.candidate")
    figures = page.locator("section[aria-labelledby=figures-heading] fieldset.figure-candidate")
    assert quotes.count() == 2 and figures.count() == 2
    assert quotes.nth(1).get_by_label("Speaker").input_value() == "吕大鹏"
    assert quotes.nth(1).get_by_label("Organisation").input_value() == "中国石化"
    assert figures.nth(0).get_by_label("Number").input_value() == "400"
    assert figures.nth(0).get_by_label("Platform").input_value() == "wechat"
    assert figures.nth(0).get_by_label("List (cohort)").input_value() == str(cohort.pk)
    figures.nth(1).get_by_label("Reject").check()
    quotes.nth(1).get_by_label("Reject").check()
    assert m.Source.objects.count() == 0
    with page.expect_navigation():
        page.get_by_role("button", name="Save accepted statements and figures").click()

    source = m.Source.objects.get()
    assert page.url.endswith(source.get_absolute_url())
    assert source.language == "zh"
    assert "Saved 1 statement" in page.locator(".message.success").inner_text()
    assert "我们将继续推进新媒体建设" in page.locator("main").inner_text()
    figure = m.PublishedFigure.objects.get()
    assert (figure.platform, figure.cohort, figure.value, figure.as_of) == (
        wechat,
        cohort,
        400,
        datetime.date(2023, 1, 1),
    )
    page.goto(f"{live_server.url}/figures/")
    assert page.locator(f"#figure-{figure.pk}").is_visible()
    assert page.console_problems == []
