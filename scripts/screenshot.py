"""Screenshot the overview with demo data at a desktop and a phone width, in
English and in Simplified Chinese, into docs/img/overview-1440.png,
docs/img/overview-390.png, docs/img/overview-zh-1440.png and
docs/img/overview-zh-390.png (the README's). The browser asks for each
language through its own locale (Accept-Language), as a visitor's would.

Builds a throwaway SQLite database (migrate, seed article, synthetic demo
companies, a Viewer account), serves it with ``runserver`` and photographs the
whole page in headless Chromium with the same setup as the browser tests.

    make screenshot            # or: .venv/bin/python scripts/screenshot.py [--widths 1440,390] [--out-dir DIR]
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import (  # noqa: E402 - after the path is set
    READY,
    chromium_missing_message,
    launch,
    wait_for_charts,
)

USERNAME = "screenshot-viewer"
PASSWORD = secrets.token_urlsafe(18)  # a throwaway account in a throwaway database


# Interface language -> (the browser's locale, the file name's suffix).
LOCALES = {"en": ("en-GB", ""), "zh-hans": ("zh-CN", "-zh")}


def _log_in(page, base: str, next_path: str) -> None:
    """The login form by its field ids, so it works in either language."""
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/accounts/login/'] button[type=submit]")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def _prepare_database(env: dict, companies: int) -> None:
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "load_seed")
    _manage(env, "generate_demo", "--companies", str(companies))
    script = (
        "from django.contrib.auth.models import Group, User\n"
        f"u, _ = User.objects.get_or_create(username={USERNAME!r})\n"
        f"u.set_password({PASSWORD!r}); u.save()\n"
        "u.groups.add(Group.objects.get(name='Viewer'))\n"
    )
    _manage(env, "shell", "-c", script)


def _wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server at {url} did not start within {timeout:.0f} s.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--name", default="overview", help="File name stem (default overview: overview-1440.png, ...).")
    parser.add_argument("--widths", default="1440,390", help="Viewport widths in CSS pixels, comma-separated.")
    parser.add_argument("--companies", type=int, default=500, help="Demo companies to generate (default 500).")
    parser.add_argument("--path", default="/", help="Page to photograph (default the overview).")
    parser.add_argument(
        "--languages", default="en,zh-hans", help="Interface languages, comma-separated (default en,zh-hans)."
    )
    args = parser.parse_args()
    try:
        widths = [int(w) for w in args.widths.split(",") if w.strip()]
    except ValueError:
        parser.error("--widths must be whole numbers separated by commas, e.g. 1440,390")

    problem = chromium_missing_message()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/screenshot.sqlite3",
            "DEBUG": "true",
            "REDIS_URL": "",
            "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
        }
        _prepare_database(env, args.companies)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_until_up(f"{base}/healthz")
            written = []
            with sync_playwright() as playwright:
                browser = launch(playwright)
                for language in [code.strip() for code in args.languages.split(",") if code.strip()]:
                    locale, suffix = LOCALES[language]
                    for width in widths:
                        page = browser.new_page(
                            viewport={"width": width, "height": 900}, device_scale_factor=1, locale=locale
                        )
                        _log_in(page, base, next_path=args.path)
                        page.wait_for_selector(READY, timeout=30_000)
                        wait_for_charts(page, timeout=30_000)
                        out = args.out_dir / f"{args.name}{suffix}-{width}.png"
                        out.parent.mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(out), full_page=True)
                        page.close()
                        written.append(out)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    for out in written:
        print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
