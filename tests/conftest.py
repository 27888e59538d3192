import pytest


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """The product's default language is Simplified Chinese; the suite's assertions
    on page text are written in English, so tests run in English unless they ask
    for Chinese (Accept-Language: zh-hans, or translation.override("zh-hans")).
    tests/test_i18n.py checks the Chinese default itself."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test starts with an empty cache so cached chart data never leaks."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _role_groups_in_transactional_tests(request):
    """A transactional test (live server, threads, pg_dump) starts after earlier
    ones flushed every table, including the role groups that the data migration
    made (flush recreates only content types and permissions); put them back so
    role users can be made in any order. Costs nothing for other tests."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    if not (transactional or {"transactional_db", "live_server"} & set(request.fixturenames)):
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group, Permission

    from registry.roles import ROLES, sync_roles

    if Group.objects.filter(name__in=ROLES).count() < len(ROLES):
        sync_roles(Group, Permission)


# --------------------------------------------------------------------------- headless Chromium


@pytest.fixture(scope="module")
def browser():
    """The system's Chromium through Playwright, one per test module. Missing
    Chromium skips the module with a message, or fails it when CI=true."""
    import os

    from tests.browser_support import chromium_missing_message, launch

    problem = chromium_missing_message()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context and page that records console errors and
    uncaught page errors in ``page.console_problems``."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.console_problems = []
    page.on("console", lambda msg: page.console_problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: page.console_problems.append(str(error)))
    yield page
    context.close()
