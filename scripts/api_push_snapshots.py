"""Push a week of follower snapshots for 1,000 accounts through the JSON API,
then read the adoption aggregate back and check it equals the overview's.

    DEBUG=true .venv/bin/python scripts/api_push_snapshots.py [--accounts 1000] [--days 7]
        [--batch 500] [--base-url http://127.0.0.1:8000]

Steps: create an Editor and a personal API token for it (in the database the
settings point at); take the first ``--accounts`` open WeChat accounts (creating
synthetic demo companies with one account each when there are not enough);
POST the snapshots to /api/v1/metrics/bulk/ in requests of ``--batch`` rows;
GET /api/v1/aggregates/adoption-by-platform/ for the default cohort; render the
overview in process for the same user and compare its cards. Without
``--base-url`` it starts ``manage.py runserver`` on a free port for the run.
Prints the figures and exits 1 when the numbers differ.
"""

import argparse
import datetime
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def ensure_accounts(count: int) -> list[int]:
    """Ids of ``count`` open WeChat accounts, creating demo ones when short."""
    from registry.models import Account, Organisation, Platform

    wechat, _ = Platform.objects.get_or_create(slug="wechat", defaults={"name_en": "WeChat", "name_zh": "微信"})
    ids = list(
        Account.objects.filter(platform=wechat, closed_on__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:count]
    )
    for n in range(count - len(ids)):
        org = Organisation.objects.create(name_en=f"API bench company {time.time_ns()}-{n}", is_demo=True)
        account = Account.objects.create(
            organisation=org,
            platform=wechat,
            display_name=f"{org.name_en} on WeChat",
            opened_on=datetime.date(2015, 1, 1),
            is_demo=True,
        )
        ids.append(account.pk)
    return ids


def make_token() -> tuple[object, str]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from registry.automation import ApiToken
    from registry.roles import EDITOR

    user, _ = get_user_model().objects.get_or_create(username="api-bench")
    user.groups.add(Group.objects.get(name=EDITOR))
    return user, ApiToken.issue(user=user, name=f"bench {datetime.datetime.now():%Y-%m-%d %H:%M}")[1]


def call(base_url: str, path: str, token: str, body=None) -> tuple[int, dict]:
    if not base_url.startswith(("http://", "https://")):
        raise SystemExit("--base-url must be an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        base_url.rstrip("/") + path,
        data=json.dumps(body).encode() if body is not None else None,
        method="POST" if body is not None else "GET",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310 - a URL the caller gives
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def push(base_url: str, token: str, account_ids: list[int], *, days: int, batch: int, end: datetime.date) -> dict:
    rows = [
        {"account": pk, "date": (end - datetime.timedelta(days=d)).isoformat(), "followers": 10_000 + pk * 7 + d}
        for pk in account_ids
        for d in range(days)
    ]
    totals = {"created": 0, "updated": 0, "unchanged": 0, "requests": 0, "seconds": []}
    for start in range(0, len(rows), batch):
        began = time.perf_counter()
        status, body = call(base_url, "/api/v1/metrics/bulk/", token, {"rows": rows[start : start + batch]})
        totals["seconds"].append(time.perf_counter() - began)
        if status != 200:
            raise SystemExit(f"bulk request {totals['requests'] + 1} failed: {status} {body}")
        for key in ("created", "updated", "unchanged"):
            totals[key] += body[key]
        totals["requests"] += 1
    totals["rows"] = len(rows)
    return totals


def overview_cards(user) -> dict[str, tuple[int, int]]:
    """The overview's cards for the default cohort, rendered in process."""
    from django.test import Client
    from django.test.utils import setup_test_environment

    # Records the template context of the response (what the cards were drawn
    # from), as the test client does under the test runner.
    try:
        setup_test_environment()
    except RuntimeError:
        pass  # already set up (under pytest)
    client = Client()
    client.force_login(user)
    response = client.get("/", HTTP_HOST="localhost")
    return {c["row"].slug: (c["row"].adopters, c["row"].cohort_size) for c in response.context["cards"]}


def api_adoption(base_url: str, token: str) -> dict[str, tuple[int, int]]:
    status, body = call(base_url, "/api/v1/aggregates/adoption-by-platform/", token)
    if status != 200:
        raise SystemExit(f"aggregate failed: {status} {body}")
    return {r["platform"]: (r["adopters"], r["organisations"]) for r in body["rows"]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "true")}
    server = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310
            return server, base
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--base-url", default="")
    parser.add_argument("--end", type=datetime.date.fromisoformat, default=None, help="last day pushed (default today)")
    args = parser.parse_args(argv)
    _setup_django()
    from django.utils import timezone

    user, token = make_token()
    account_ids = ensure_accounts(args.accounts)
    server = None
    base = args.base_url
    if not base:
        server, base = _start_server()
    try:
        end = args.end or timezone.localdate()
        first = push(base, token, account_ids, days=args.days, batch=args.batch, end=end)
        again = push(base, token, account_ids, days=args.days, batch=args.batch, end=end)
        api = api_adoption(base, token)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    page = overview_cards(user)
    per_request = sorted(first["seconds"])
    again_seconds = sorted(again["seconds"])
    print(f"rows pushed: {first['rows']} in {first['requests']} requests of up to {args.batch}")
    print(f"first push: created {first['created']}, updated {first['updated']}, unchanged {first['unchanged']}")
    print(
        f"second push (same rows): created {again['created']}, updated {again['updated']}, "
        f"unchanged {again['unchanged']}"
    )
    print(
        f"seconds per request, first push: median {per_request[len(per_request) // 2]:.2f}, max {per_request[-1]:.2f}; "
        f"second: median {again_seconds[len(again_seconds) // 2]:.2f}"
    )
    print(f"API adoption-by-platform: {api}")
    print(f"overview cards:           {page}")
    same = api == page and again["created"] == again["updated"] == 0
    print("equal to the overview and idempotent" if same else "MISMATCH")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
