"""Import benchmark: a generated metrics feed through the streaming metrics path.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--accounts 1000] [--database-url URL]

Generates a CSV of ``--rows`` WeChat snapshots (``--accounts`` accounts x days)
in a temporary directory, in a fresh temporary SQLite database (or the
PostgreSQL database given, which must be empty: it is migrated and filled),
and prints rows/s and memory for:

1. the first import (every row a create),
2. re-importing the same file (every row unchanged),
3. a file with every value changed (every row an update),
4. the first import again on emptied tables, under tracemalloc, for the peak
   Python heap the import itself allocates.

A benchmark prints figures; it is not a test.
"""

import argparse
import csv
import datetime
import os
import resource
import secrets
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_feed(path: Path, *, accounts: int, days: int, bump: int = 0) -> int:
    start = datetime.date(2024, 1, 1)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Platform",
                "Account ID",
                "Date",
                "Followers",
                "Posts",
                "Reads",
                "Headline reads",
                "Max reads",
                "Likes",
                "在看",
                "Shares",
                "Comments",
            ]
        )
        for a in range(accounts):
            for d in range(days):
                day = start + datetime.timedelta(days=d)
                reads = 1000 + (a * 37 + d * 11) % 5000 + bump
                writer.writerow(
                    [
                        "wechat",
                        f"gh_{a:06d}",
                        day.isoformat(),
                        f"{10000 + a * 10 + d:,}",
                        1 + d % 3,
                        reads,
                        reads // 2,
                        reads // 3,
                        reads // 50,
                        reads // 200,
                        reads // 100,
                        reads // 300,
                    ]
                )
                rows += 1
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()
    days = max(1, args.rows // args.accounts)

    tmp = Path(tempfile.mkdtemp(prefix="bench-import-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    # DEBUG off, as in production: with DEBUG on Django keeps every query's SQL
    # (up to 9,000), which would be counted as the import's memory.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from registry import models as m
    from registry.imports.metrics import import_metrics

    call_command("migrate", verbosity=0)
    platform, _ = m.Platform.objects.get_or_create(slug="wechat", defaults={"name_en": "WeChat"})
    org = m.Organisation.objects.create(name_en="Benchmark Co")
    m.Account.objects.bulk_create(
        m.Account(
            organisation=org,
            platform=platform,
            display_name=f"Account {a}",
            account_id=f"gh_{a:06d}",
            handle=f"bench{a}",
        )
        for a in range(args.accounts)
    )
    feed, changed = tmp / "feed.csv", tmp / "feed-changed.csv"
    rows = write_feed(feed, accounts=args.accounts, days=days)
    write_feed(changed, accounts=args.accounts, days=days, bump=7)
    print(
        f"{rows:,} rows ({args.accounts:,} accounts x {days} days), {feed.stat().st_size / 1e6:.1f} MB, "
        f"database: {connection.vendor}, batch size {args.batch_size:,}"
    )

    def cpu():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def run(label, path):
        before, cpu_before = time.perf_counter(), cpu()
        report = import_metrics(path, batch_size=args.batch_size, change_reason="bench")
        seconds, cpu_seconds = time.perf_counter() - before, cpu() - cpu_before
        counts = ", ".join(f"{v:,} {k}" for k, v in report.counts.items() if v)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # Wall-clock time includes waiting for a busy machine and the database
        # server; CPU time is this process's own work.
        print(
            f"{label:<22} {seconds:7.1f} s wall {rows / seconds:9,.0f} rows/s | {cpu_seconds:6.1f} s CPU "
            f"{rows / cpu_seconds:9,.0f} rows/s  ({counts}; process peak RSS {rss:,.0f} MB)"
        )
        assert not report.errors, report.errors[:5]

    run("1. first import", feed)
    run("2. same file again", feed)
    run("3. every value changed", changed)

    # Empty the tables without per-row signals, then measure the import's own heap.
    m.AccountMetric.history.model.objects.all()._raw_delete(connection.alias)
    m.AccountMetric.objects.all()._raw_delete(connection.alias)
    tracemalloc.start()
    before = time.perf_counter()
    report = import_metrics(feed, batch_size=args.batch_size, change_reason="bench")
    seconds = time.perf_counter() - before
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"4. first import, traced: peak Python heap {peak / 1e6:.1f} MB for {report.counts['create']:,} creates "
        f"({seconds:.1f} s; tracemalloc slows it)"
    )


if __name__ == "__main__":
    main()
