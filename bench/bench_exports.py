"""Export benchmark: chart downloads and briefing packs, through the views.

    DEBUG=true .venv/bin/python bench/bench_exports.py [--companies 500] [--repeat 10] [--database-url URL]

Builds a cohort of ``--companies`` companies with accounts on six platforms in
a fresh temporary SQLite database (or the PostgreSQL database given, which must
be empty: it is migrated and filled), signs a viewer in with Django's test
client and prints wall-clock times for:

1. the first image export after the process starts (starts Chromium: "cold"),
2. each format, warm (median and worst of ``--repeat``, ``--pause`` seconds apart:
   the renderer reloads a used browser tab in the background between images),
3. a 6-chart briefing pack as PPTX, PDF and XLSX (median of 3),
4. the same image and pack downloaded again (served from the cache).

Rows 1-3 are made with a fresh data version, so chart data is rebuilt from the
database and the file made again each time instead of coming from the cache:
the figures are for a download nobody asked for since the last write. Row 4
repeats a download: the file comes from the cache. Each row gives wall time
and the CPU time of the app process (``time.process_time``: the render itself
runs in Chromium). A benchmark prints figures; it is not a test.
"""

import argparse
import datetime
import os
import platform as host
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = [
    ("wechat", "WeChat"),
    ("weibo", "Weibo"),
    ("douyin", "Douyin"),
    ("kuaishou", "Kuaishou"),
    ("bilibili", "Bilibili"),
    ("toutiao", "Toutiao"),
]


def build(companies: int):
    from registry import models as m

    platforms = [
        m.Platform.objects.create(slug=slug, name_en=name, display_order=10 * i)
        for i, (slug, name) in enumerate(PLATFORMS, start=1)
    ]
    cohort = m.Cohort.objects.create(
        name="China Top 500 Enterprises 2020", year=2020, slug="china-top-500-2020", nominal_size=500
    )
    ownerships = ["central_soe", "local_soe", "private", "foreign"]
    orgs = m.Organisation.objects.bulk_create(
        m.Organisation(name_en=f"Company {i}", name_key=f"company {i}", ownership=ownerships[i % 4])
        for i in range(companies)
    )
    m.CohortMembership.objects.bulk_create(
        m.CohortMembership(cohort=cohort, organisation=org, rank=i + 1) for i, org in enumerate(orgs)
    )
    accounts = []
    for i, org in enumerate(orgs):
        for j, platform in enumerate(platforms):
            if (i * 7 + j * 3) % 10 < 8 - j:
                opened = datetime.date(2012 + (i + j) % 10, 1 + (i * j) % 12, 1)
                accounts.append(
                    m.Account(
                        organisation=org,
                        platform=platform,
                        display_name=f"{org.name_en} {j}",
                        handle=f"h{i}-{j}",
                        opened_on=opened,
                    )
                )
    m.Account.objects.bulk_create(accounts)
    return cohort, len(accounts)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--companies", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument(
        "--pause", type=float, default=0.5, help="seconds between requests (the renderer reloads a used tab in between)"
    )
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-exports-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("AXES_ENABLED", "false")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from dashboard import rendering
    from registry import models as m
    from registry.roles import VIEWER
    from registry.signals import bump_data_version

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    cohort, accounts = build(args.companies)
    user = get_user_model().objects.create_user("bench")
    user.groups.add(Group.objects.get(name=VIEWER))
    client = Client()
    client.force_login(user)
    query = {"cohort": cohort.slug}

    cpu_times: list[float] = []

    def timed(url, params=None, *, fresh=True) -> float:
        time.sleep(args.pause if fresh else 0)
        if fresh:
            bump_data_version()  # rebuild the chart data and the file, do not serve them from the cache
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(url, params or {})
        seconds = time.perf_counter() - started
        cpu_times.append(time.process_time() - cpu)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        return seconds

    def row(label, runs):
        cpu = statistics.median(cpu_times[-len(runs) :]) * 1000
        print(f"{label:<44} {statistics.median(runs) * 1000:8.0f}ms {max(runs) * 1000:8.0f}ms {cpu:8.1f}ms")

    def export(slug, fmt):
        return reverse("dashboard:chart_export", kwargs={"slug": slug, "fmt": fmt})

    cpu = next(
        (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
        host.processor(),
    )
    print(
        f"{args.companies:,} companies, {accounts:,} accounts on {len(PLATFORMS)} platforms; "
        f"database: {connection.vendor}; {os.cpu_count()} cores ({cpu}); browser: {rendering.browser_path()}; "
        f"load average {os.getloadavg()[0]:.1f}; {args.pause:g} s between requests"
    )
    print(f"{'what':<44} {'median':>9} {'worst':>9} {'CPU':>9}")

    cold = timed(export("adoption-by-platform", "png"), {**query, "scale": 2})
    print(f"{'1. first PNG after start (cold: Chromium)':<44} {cold * 1000:8.0f}ms")

    for slug, fmt, extra in [
        ("adoption-by-platform", "png", {"scale": 2}),
        ("adoption-by-platform", "png", {"scale": 4}),
        ("adoption-by-platform", "svg", {}),
        ("adoption-by-platform", "pdf", {}),
        ("adoption-over-time", "png", {"scale": 2}),
        ("adoption-by-platform", "csv", {}),
        ("adoption-by-platform", "xlsx", {}),
        ("adoption-over-time", "xlsx", {}),
    ]:
        runs = [timed(export(slug, fmt), {**query, **extra}) for _ in range(args.repeat)]
        row(f"2. {slug}.{fmt}" + (f" scale {extra['scale']}" if "scale" in extra else ""), runs)

    briefing = m.Briefing.objects.create(owner=user, title="Benchmark pack")
    for position, (slug, params) in enumerate(
        [
            ("adoption-by-platform", f"cohort={cohort.slug}"),
            ("adoption-over-time", f"cohort={cohort.slug}"),
            ("adoption-by-platform", f"cohort={cohort.slug}&ownership=central_soe"),
            ("adoption-over-time", f"cohort={cohort.slug}&ownership=central_soe"),
            ("adoption-by-platform", f"cohort={cohort.slug}&as_of=2018-12-31"),
            ("adoption-over-time", f"cohort={cohort.slug}&as_of=2018-12-31"),
        ]
    ):
        m.BriefingItem.objects.create(briefing=briefing, chart=slug, query=params, position=position)
    for fmt in ("pptx", "pdf", "xlsx"):
        url = reverse("dashboard:briefing_download", kwargs={"uuid": briefing.uuid, "fmt": fmt})
        runs = [timed(url) for _ in range(3)]
        row(f"3. 6-chart briefing .{fmt}", runs)
    # A repeated download: the same file for the same filters, language and data version.
    png = export("adoption-by-platform", "png")
    timed(png, {**query, "scale": 2})
    row(
        "4. adoption-by-platform.png again (cached)",
        [timed(png, {**query, "scale": 2}, fresh=False) for _ in range(args.repeat)],
    )
    pdf = reverse("dashboard:briefing_download", kwargs={"uuid": briefing.uuid, "fmt": "pdf"})
    timed(pdf)
    row("4. 6-chart briefing .pdf again (cached)", [timed(pdf, fresh=False) for _ in range(args.repeat)])
    print(f"Chromium started {rendering.renderer.starts} time(s).")
    rendering.renderer.stop()


if __name__ == "__main__":
    main()
