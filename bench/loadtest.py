"""Load test against the production server on 127.0.0.1: ``make loadtest``.

Starts gunicorn as ``make serve`` does (on --port, 127.0.0.1 only), logs a
Viewer in (a real session in the session store), warms each page once, then
runs wrk (bench/loadtest.lua) with --connections concurrent users for
--duration seconds, each thread stopping after --max-requests; rotates through
the overview and a few pages; reports requests per second, p50/p90/p99 and
errors; stops the server it started.

Each run is made twice: without writes, then with --writes registry writes per
second (an editor saving an organisation, as the admin does: every save moves
the data version, so every cached chart is rebuilt once), and the cost of the
writes in throughput is printed.

By default it serves the national-scale benchmark database ``bench`` (build it
with ``make bench``); ``--db`` picks another PostgreSQL database on BENCH_PG.
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import RESULTS  # noqa: E402
from bench.serve import gunicorn_command, prepare, serving_env  # noqa: E402

DEFAULT_PATHS = "/,/companies/,/platforms/,/statements/,/charts/adoption-over-time/,/?as_of=2022-01-01"
LINE = re.compile(r"LOADTEST (.*)")

SESSION_SNIPPET = """
import django, json
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from registry.roles import VIEWER
user, created = get_user_model().objects.get_or_create(username="loadtest-viewer")
if created:
    user.set_unusable_password(); user.save(); user.groups.add(Group.objects.get(name=VIEWER))
client = Client()
client.force_login(user)
print(json.dumps({"cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}))
"""


def viewer_cookie(env) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SESSION_SNIPPET],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])["cookie"]


def wait_until_up(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310 - our own server
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server at {base} did not come up within {timeout:.0f} s")


def warm(base: str, paths: list[str], cookie: str) -> list[str]:
    usable = []
    for path in paths:
        request = urllib.request.Request(base + path, headers={"Cookie": cookie})  # noqa: S310 - http to 127.0.0.1
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own server
                ok = response.status == 200 and response.url.endswith(path)
        except urllib.error.HTTPError as error:
            ok = False
            print(f"  {path}: HTTP {error.code}, left out of the run")
        if ok:
            usable.append(path)
        elif path not in usable:
            print(f"  {path}: not a 200 page for a Viewer, left out of the run")
    return usable


def run_wrk(base, paths, cookie, *, connections, threads, duration, max_requests) -> dict:
    env = {
        **os.environ,
        "LOADTEST_COOKIE": cookie,
        "LOADTEST_PATHS": ",".join(paths),
        "LOADTEST_MAX_REQUESTS": str(max_requests),
    }
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "loadtest.lua"),
        base + "/",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    match = LINE.search(done.stdout)
    if not match:
        raise SystemExit("wrk printed no summary:\n" + done.stdout + done.stderr)
    figures = dict(part.split("=") for part in match.group(1).split())
    return {key: float(value) for key, value in figures.items()}


# --------------------------------------------------------------------------- CPU per request
#
# On a shared machine requests per second fall with whatever else runs; the CPU
# time the server's processes and the database's backends spend per request
# does not, so it is reported beside them (Linux: /proc).

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _cpu_seconds(pids) -> dict[int, float]:
    """User + system CPU seconds of each live process in ``pids``."""
    times = {}
    for pid in pids:
        fields = _stat(pid)
        if fields is not None:
            times[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return times


def server_pids(server_pid: int) -> list[int]:
    """gunicorn's master and its workers."""
    pids = [server_pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and fields[1] == str(server_pid):
                pids.append(int(entry.name))
    return pids


def database_pids(env, db: str) -> list[int]:
    """The PostgreSQL backends connected to ``db`` (on this machine)."""
    snippet = (
        "import django, json; django.setup(); from django.db import connection; c = connection.cursor(); "
        f"c.execute('SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()', [{db!r}]); "
        "print(json.dumps([r[0] for r in c.fetchall()]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", snippet],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return []


def measured_run(server, env, db, run) -> dict:
    """``run()``'s wrk figures plus the CPU milliseconds per request spent by
    the app server (master and workers) and by the database's backends."""
    app_before = _cpu_seconds(server_pids(server.pid))
    db_before = _cpu_seconds(database_pids(env, db))
    result = run()
    app_after = _cpu_seconds(server_pids(server.pid))
    db_after = _cpu_seconds(database_pids(env, db))
    requests = result["requests"] or 1.0
    app = sum(cpu - app_before.get(pid, 0.0) for pid, cpu in app_after.items())
    # A backend that is gone by the end (a closed connection) is not counted: CONN_MAX_AGE keeps them.
    database = sum(cpu - db_before.get(pid, 0.0) for pid, cpu in db_after.items())
    return {**result, "app_cpu_ms": app * 1000, "db_cpu_ms": database * 1000, "cpu_requests": requests}


def combine(parts: list[dict]) -> dict:
    """One result from several wrk runs: totals summed, percentiles the median
    of the runs' percentiles (wrk reports no histogram to merge)."""
    if len(parts) == 1:
        return parts[0]
    keys = ("requests", "duration_s", "non200", "socket_errors", "app_cpu_ms", "db_cpu_ms", "cpu_requests")
    total = {key: sum(p.get(key, 0.0) for p in parts) for key in keys}
    total["rps"] = total["requests"] / total["duration_s"] if total["duration_s"] else 0.0
    for key in ("p50_ms", "p90_ms", "p99_ms", "max_ms"):
        total[key] = statistics.median(p[key] for p in parts)
    return total


WRITER_SNIPPET = """
import django, os, sys, time
django.setup()
from registry.models import Organisation
per_second, seconds = float(sys.argv[1]), float(sys.argv[2])
org = Organisation.objects.order_by("pk").first()
writes, start = 0, time.monotonic()
while time.monotonic() - start < seconds:
    writes += 1
    org.description = f"Load test write {writes}"
    org.save()  # a registry write: post_save moves the data version
    time.sleep(max(0.0, start + writes / per_second - time.monotonic()))
print(writes)
"""


def start_writer(env, per_second: float, seconds: float) -> subprocess.Popen:
    """A process that saves an organisation ``per_second`` times a second."""
    return subprocess.Popen(
        [sys.executable, "-c", WRITER_SNIPPET, str(per_second), str(seconds)],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="bench")
    parser.add_argument("--port", type=int, default=8010)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=16, help="concurrent users")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--max-requests", type=int, default=50_000, help="per wrk thread")
    parser.add_argument("--paths", default=DEFAULT_PATHS)
    parser.add_argument("--writes", type=float, default=1.0, help="registry writes per second in the runs with writes")
    parser.add_argument("--rounds", type=int, default=1, help="alternate runs without and with writes this many times")
    parser.add_argument(
        "--no-collectstatic",
        action="store_true",
        help="serve the static files already collected in staticfiles/ (collecting compresses plotly.js again, "
        "minutes on a busy machine)",
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (make loadtest does this)")

    from bench.page_weight import database_exists

    if not database_exists(args.db):
        raise SystemExit(f"The benchmark database {args.db!r} does not exist. Build it first with `make bench`.")
    env = serving_env(args.db)
    if args.no_collectstatic and (ROOT / "staticfiles" / "staticfiles.json").exists():
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT
        )
    else:
        prepare(env)
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(gunicorn_command(f"127.0.0.1:{args.port}"), env=env, cwd=ROOT)
    try:
        wait_until_up(base)
        cookie = viewer_cookie(env)
        paths = warm(base, args.paths.split(","), cookie)
        if not paths:
            raise SystemExit("no page answered 200; nothing to load")
        print(
            f"wrk: {args.connections} users, {args.threads} threads, {args.duration} s, "
            f"at most {args.max_requests:,} requests per thread, over {', '.join(paths)}"
        )
        options = {
            "connections": args.connections,
            "threads": args.threads,
            "duration": args.duration,
            "max_requests": args.max_requests,
        }
        # Runs alternate (without writes, with writes, ...) --rounds times and are
        # summed, so load from other work on the machine falls on both alike.
        runs: dict[str, list[dict]] = {"no writes": []}
        written = f"{args.writes:g} write/s"
        writes = 0
        for _ in range(args.rounds):
            runs["no writes"].append(
                measured_run(server, env, args.db, lambda: run_wrk(base, paths, cookie, **options))
            )
            if args.writes > 0:
                writer = start_writer(env, args.writes, args.duration + 5)
                try:
                    runs.setdefault(written, []).append(
                        measured_run(server, env, args.db, lambda: run_wrk(base, paths, cookie, **options))
                    )
                finally:
                    writes += int((writer.communicate(timeout=args.duration + 60)[0] or "0").strip() or 0)
        results = {label: combine(parts) for label, parts in runs.items()}
        if args.writes > 0:
            print(f"writes made during the runs with writes: {writes}")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    workers = env.get("WEB_CONCURRENCY") or str(os.cpu_count())
    header = (
        "| when | database | workers | users | writes | duration | requests | req/s | p50 ms | p90 ms | p99 ms "
        "| errors | app CPU ms/req | DB CPU ms/req | load | paths |"
    )
    lines = []
    for label, result in results.items():
        lines.append(
            f"| {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} | {args.db} | {workers} × "
            f"{env.get('GUNICORN_THREADS', '4')} threads | {args.connections} | {label} | "
            f"{result['duration_s']:.0f} s | "
            f"{result['requests']:,.0f} | {result['rps']:.1f} | {result['p50_ms']:.0f} | {result['p90_ms']:.0f} | "
            f"{result['p99_ms']:.0f} | {result['non200'] + result['socket_errors']:.0f} | "
            f"{result['app_cpu_ms'] / (result['cpu_requests'] or 1):.1f} | "
            f"{result['db_cpu_ms'] / (result['cpu_requests'] or 1):.1f} | {os.getloadavg()[0]:.1f} | {args.paths} |"
        )
    print("\n" + header)
    print("|---" * (header.count("|") - 1) + "|")
    print("\n".join(lines))
    if len(results) == 2:
        plain, written = results.values()
        cost = 1 - written["rps"] / plain["rps"] if plain["rps"] else 0.0
        print(
            f"\nthroughput with writes: {written['rps']:.1f} req/s vs {plain['rps']:.1f} without "
            f"({cost:+.0%} cost); p99 {written['p99_ms']:.0f} ms vs {plain['p99_ms']:.0f} ms"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / "loadtest.md", "a") as log:
        log.write("\n".join(lines) + "\n")
    failed = any(r["non200"] or r["socket_errors"] for r in results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
