"""Shared Playwright setup for the browser tests and scripts/screenshot.py:
the system's chromium, headless, with the flags a container needs."""

import os
import shutil
from pathlib import Path

# The same variable and order as the app's chart renderer (dashboard/rendering.py):
# $BROWSER_PATH, else chromium on the PATH, else Debian's /usr/bin/chromium.
CHROMIUM = Path(os.environ.get("BROWSER_PATH") or shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "a-long-test-password"
READY = "[data-figure][data-ready=true]"


def chromium_missing_message() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if CHROMIUM.exists():
        return None
    return (
        f"Chromium not found at {CHROMIUM}: install the system package (apt-get install chromium) or set BROWSER_PATH."
    )


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def log_in(page, base_url: str, username: str, password: str = PASSWORD, next_path: str = "/") -> None:
    """Sign in through the real login form and wait for the page it leads to."""
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def wait_for_charts(page, count: int | None = None, timeout: float = 20_000) -> None:
    """Wait until every chart on the page (or ``count`` of them) has been drawn."""
    expected = count if count is not None else page.locator("[data-figure]").count()
    page.wait_for_function(
        "n => document.querySelectorAll('[data-figure][data-ready=true]').length >= n", arg=expected, timeout=timeout
    )
