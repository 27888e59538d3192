"""Pages fit any screen: every page reachable from the navigation, and the
detail pages those lead to, opened in headless Chromium at a desktop (1440 px),
a laptop (1280 px) and a phone (390 px) width, with the seed article and
synthetic demo data loaded. A page fails on any sideways scroll of the
document, a navigation that wraps or hides links, a select that cuts its text,
or pagination drawn as a box inside a box. Also: long tables under charts fold,
and Latin punctuation is drawn with a Latin font."""

import os
import re

import pytest

from registry.demo import generate_demo
from registry.seed import load_seed
from tests.browser_support import log_in, wait_for_charts
from tests.factories import editor, make_briefing

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1440, 1280, 390)
PHONE = 390

# One page per kind of detail link found on the navigation's pages (every chart page).
DETAIL_PATTERNS = (
    r"^/platforms/[-\w]+/$",
    r"^/companies/\d+/$",
    r"^/people/\d+/$",
    r"^/sources/\d+/$",
    r"^/briefings/[0-9a-f-]{36}/$",
    r"^/indices/\d+/$",
)
CHART_PAGE = re.compile(r"^/charts/[-\w]+/")

# Everything a page can get wrong about its width, measured in the page.
MEASURE = """phone => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth) {
    const wide = [...document.querySelectorAll("body *")]
      .filter(e => e.getBoundingClientRect().right > doc.clientWidth + 1)
      .slice(-3).map(e => `${e.tagName.toLowerCase()}.${e.className}`);
    problems.push(`the page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth} px (${wide.join(", ")})`);
  }
  const nav = document.querySelector(".main-nav");
  const compact = document.querySelector(".nav-compact");
  const navShown = nav && nav.offsetParent !== null;
  const compactShown = compact && compact.offsetParent !== null;
  if (navShown === compactShown) problems.push("exactly one of the navigation and the compact menu must show");
  if (navShown) {
    const tops = new Set([...nav.querySelectorAll("a")].map(a => Math.round(a.getBoundingClientRect().top)));
    if (tops.size > 1) problems.push(`the navigation wraps onto ${tops.size} rows`);
    if (nav.scrollWidth > nav.clientWidth) problems.push("the navigation hides links behind a scrollbar");
  }
  const canvas = document.createElement("canvas").getContext("2d");
  for (const select of document.querySelectorAll("select:not([multiple])")) {
    if (select.offsetParent === null || !select.options.length) continue;
    const style = getComputedStyle(select);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    // On a phone the chosen option must show whole; wider screens show every option whole.
    const options = phone ? [select.options[Math.max(select.selectedIndex, 0)]] : [...select.options];
    const text = Math.max(...options.map(o => canvas.measureText(o.text).width));
    const needed = text + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + 24;  // + the arrow
    const width = select.getBoundingClientRect().width;
    if (width + 0.5 < needed) {
      problems.push(`select ${select.name} is ${Math.round(width)} px, its text needs ${Math.round(needed)}`);
    }
  }
  for (const inner of document.querySelectorAll(".pagination .page-link *")) {
    if (parseFloat(getComputedStyle(inner).borderTopWidth) > 0) problems.push("pagination draws a box inside a box");
  }
  if (document.querySelectorAll(".pagination").length > document.querySelectorAll("table").length) {
    problems.push("more pagination bars than tables");
  }
  return problems;
}"""


@pytest.fixture
def registry_with_demo(db):
    """The seed article (real organisations, people, statements, a source) and
    60 synthetic demo companies with accounts and metrics; an Editor (who sees
    every navigation entry) with a briefing."""
    load_seed()
    generate_demo(companies=60, seed=5)
    user = editor()
    make_briefing(owner=user, title="Board pack", charts=[("adoption-by-platform", "")])
    return user


def _links(page) -> list[str]:
    return page.eval_on_selector_all("main a[href^='/']", "links => links.map(a => a.getAttribute('href'))")


def _reachable_pages(page, base: str) -> list[str]:
    """The navigation's pages, then one page per kind of detail link found on
    them (and every chart page), in the order found."""
    page.goto(base + "/")
    nav = page.eval_on_selector_all(".main-nav a", "links => links.map(a => a.getAttribute('href'))")
    pages = list(dict.fromkeys(nav))
    details: dict[str, str] = {}
    for path in list(pages):
        page.goto(base + path)
        for href in _links(page):
            path_only = href.split("?")[0].split("#")[0]
            if CHART_PAGE.match(path_only):
                details.setdefault(path_only, href)
                continue
            for pattern in DETAIL_PATTERNS:
                if re.match(pattern, path_only) and pattern not in details:
                    details[pattern] = href
    # The index page of one account is linked from the ranking.
    pages += list(details.values())
    return pages


def test_every_page_fits_at_desktop_laptop_and_phone_widths(browser, live_server, registry_with_demo):
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    log_in(page, live_server.url, registry_with_demo.username)
    pages = _reachable_pages(page, live_server.url)
    found = {p.split("?")[0] for p in pages}
    # The navigation and each kind of detail page were reached.
    for expected in ("/", "/platforms/", "/companies/", "/people/", "/statements/", "/sources/", "/figures/"):
        assert expected in found
    for expected in ("/briefings/", "/statements/extract/", "/indices/"):
        assert expected in found
    for pattern in DETAIL_PATTERNS:
        assert any(re.match(pattern, p) for p in found), pattern
    assert sum(1 for p in found if CHART_PAGE.match(p)) >= 9

    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in pages:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            if page.locator("[data-figure]").count():
                wait_for_charts(page, timeout=30_000)
            problems += [f"{width} px {path}: {problem}" for problem in page.evaluate(MEASURE, width == PHONE)]
    context.close()
    assert problems == []


def test_the_compact_menu_opens_on_a_phone(page, live_server, registry_with_demo):
    page.set_viewport_size({"width": PHONE, "height": 844})
    log_in(page, live_server.url, registry_with_demo.username, next_path="/figures/")
    menu = page.locator(".nav-compact")
    assert not page.locator(".main-nav").is_visible()
    assert not menu.get_by_role("link", name="Companies").is_visible()
    page.get_by_text("Menu", exact=True).click()
    link = menu.get_by_role("link", name="Companies")
    assert link.is_visible()
    box = page.locator(".nav-compact-links").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    with page.expect_navigation():
        link.click()
    assert page.url.endswith("/companies/")
    assert page.console_problems == []


def test_a_long_table_under_a_chart_shows_its_first_rows_and_folds_out(page, live_server, registry_with_demo):
    log_in(page, live_server.url, registry_with_demo.username, next_path="/charts/adoption-over-time/")
    rows = page.locator(".table-container tbody tr")
    total = rows.count()
    assert total > 20
    visible = page.locator(".table-container tbody tr:visible")
    assert visible.count() == 20
    page.get_by_text(f"Show all {total} rows").click()
    assert visible.count() == total
    page.get_by_text("Show the first 20 rows").click()
    assert visible.count() == 20
    # The page is no longer as long as its data.
    assert page.evaluate("document.documentElement.scrollHeight") < 5000


def test_latin_punctuation_is_drawn_with_a_latin_font(page, live_server, registry_with_demo):
    """A curly apostrophe in English text must not take the CJK font's
    full-width glyph ("China’ s"); in Chinese text the CJK font comes first."""
    log_in(page, live_server.url, registry_with_demo.username, next_path="/figures/")
    widths = page.evaluate(
        """() => {
        const measure = lang => {
          const span = document.createElement("span");
          span.textContent = "’";
          if (lang) span.lang = lang;
          document.querySelector("main").appendChild(span);
          const ratio = span.getBoundingClientRect().width / parseFloat(getComputedStyle(span).fontSize);
          span.remove();
          return ratio;
        };
        return {latin: measure(null), chinese: measure("zh")};
    }"""
    )
    assert widths["latin"] < 0.5, widths
    assert widths["chinese"] > 0.8, widths
