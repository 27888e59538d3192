"""Check what a make target needs before it runs, and say plainly what is
missing and how to get it, instead of a traceback from deep inside.

    scripts/preflight.py bench-db [NAME]   the benchmark database (default "bench")
                                           exists on BENCH_PG and holds a built registry
    scripts/preflight.py chromium          a Chromium for screenshots and browser tests

Exit status 0 when everything is there, 2 (with a message on stderr) when not.
"""

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PG_URL  # noqa: E402 - after the path is set


class Missing(Exception):
    """A prerequisite is missing; the message says what to do."""


def check_bench_db(name: str) -> str:
    import psycopg

    where = f"{PG_URL}/{name}"
    try:
        with psycopg.connect(f"{PG_URL}/postgres", connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    except psycopg.OperationalError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise Missing(
            f"PostgreSQL does not answer at {PG_URL} ({first_line}).\n"
            "Start it (e.g. `pg_ctlcluster 15 main start`) or point BENCH_PG at a running server."
        ) from None
    if not exists:
        raise Missing(
            f"The benchmark database {where} does not exist.\n"
            "Build it with `make bench` (a national-scale registry; see docs/PERFORMANCE.md), "
            "or name another with BENCH_DB=..."
        )
    with psycopg.connect(where, connect_timeout=5) as conn:
        table = conn.execute("SELECT to_regclass('registry_organisation')").fetchone()[0]
        built = table is not None and conn.execute("SELECT EXISTS (SELECT 1 FROM registry_organisation)").fetchone()[0]
    if not built:
        raise Missing(
            f"The benchmark database {where} exists but holds no registry (its build did not finish).\n"
            "Rebuild it with `make bench BENCH_BUILD_FLAGS=`."
        )
    return f"benchmark database {where}: ready"


def check_chromium() -> str:
    path = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise Missing(
            f"Chromium not found at {path}.\n"
            "Install it with `apt-get install -y chromium`, or set BROWSER_PATH to a Chromium or Chrome."
        )
    return f"chromium: {path}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="check", required=True)
    bench_db = sub.add_parser("bench-db", help="the benchmark database")
    bench_db.add_argument("name", nargs="?", default="bench")
    sub.add_parser("chromium", help="a Chromium for screenshots and browser tests")
    args = parser.parse_args(argv)
    try:
        message = check_bench_db(args.name) if args.check == "bench-db" else check_chromium()
    except Missing as missing:
        print(f"Cannot start: {missing}", file=sys.stderr)
        return 2
    print(message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
