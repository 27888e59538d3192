"""Background import benchmark: a generated organisations file (the admin's
largest kind of upload) through an import job, as ``run_import_jobs`` runs it.

    .venv/bin/python bench/bench_background_import.py [--rows 200000] [--batch-size 2000] [--database-url URL]

Generates a CSV of ``--rows`` organisations (English and Chinese names,
province, credit code), in a fresh temporary SQLite database (or the
PostgreSQL database given, which must be empty: it is migrated and filled),
queues it as an ``ImportJob`` and runs the job, printing the file's size, wall
and CPU time, rows/s and the process's peak resident memory (ru_maxrss), which
includes Python, Django and the libraries (~100 MB before the import starts).

BENCH_PROFILE=tottime (or cumulative) profiles the import and prints the profile.

A benchmark prints figures; it is not a test.
"""

import argparse
import csv
import os
import resource
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROVINCES = ["北京", "Shanghai", "广东", "Zhejiang", "江苏", "Sichuan", "湖北", "Shandong"]


def write_organisations(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Company Name", "企业名称", "Short name", "Province", "City", "Website", "Description"])
        for i in range(rows):
            writer.writerow(
                [
                    f"Benchmark Holdings {i:06d} Company Limited",
                    f"基准控股{i:06d}有限公司",
                    f"BH{i:06d}",
                    PROVINCES[i % len(PROVINCES)],
                    "Beijing",
                    f"https://www.bh{i:06d}.example.cn",
                    "A generated company for the import benchmark; the description is there to give the row "
                    "the width of a real one.",
                ]
            )


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-background-import-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DEBUG"] = "false"  # DEBUG keeps every query's SQL, which would count as the import's memory
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["IMPORT_JOBS_DIR"] = str(tmp / "jobs")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files import File
    from django.core.management import call_command
    from django.db import connection
    from tqdm import tqdm

    from registry import models as m
    from registry.imports.jobs import claim_next, queue_import, run_job

    call_command("migrate", verbosity=0)
    path = tmp / "organisations.csv"
    write_organisations(path, args.rows)
    print(
        f"{args.rows:,} organisations, {path.stat().st_size / 1e6:.1f} MB, database: {connection.vendor}, "
        f"batch size {args.batch_size:,}; peak RSS before the import {rss_mb():,.0f} MB"
    )
    with path.open("rb") as handle:
        queue_import(kind="organisations", upload=File(handle, name=path.name))
    job = claim_next()

    def cpu():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    started, cpu_started = time.perf_counter(), cpu()
    profiler = None
    if os.environ.get("BENCH_PROFILE"):  # the import alone, not the migrations
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    with tqdm(total=job.rows_total, unit="row", file=sys.stderr) as bar:
        job = run_job(job, bar=bar, batch_size=args.batch_size)
    if profiler is not None:
        profiler.disable()
        profiler.print_stats(os.environ["BENCH_PROFILE"])
    seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_started
    assert job.status == "succeeded", (job.status, job.message, job.problems[:3])
    assert m.Organisation.objects.count() == args.rows
    print(
        f"job {job.status}: {job.counts.get('create', 0):,} created in {seconds:,.1f} s wall "
        f"({args.rows / seconds:,.0f} rows/s), {cpu_seconds:,.1f} s CPU ({args.rows / cpu_seconds:,.0f} rows/s); "
        f"process peak RSS {rss_mb():,.0f} MB"
    )


if __name__ == "__main__":
    main()
