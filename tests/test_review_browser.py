"""End to end in headless Chromium: an editor pastes an article, reviews the
statements found, rejects some, saves, and sees the rest on the source's page."""

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
        page.get_by_role("button", name="Save accepted statements").click()

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
