"""The admin's large import, for real: a ~20 MB, 177,000-row organisations CSV
uploaded through the admin of a running server (gunicorn, as ``make serve``
runs it), imported by ``manage.py run_import_jobs`` in another process, while
the dashboard's home page is requested now and then.

    .venv/bin/python bench/bench_admin_import.py [--rows 177000] [--db NAME] [--port 8031]

``--db`` names a PostgreSQL database on BENCH_PG (it must exist and be empty:
it is migrated and filled); without it a temporary SQLite file is used.
REDIS_URL is used when set (the workers share the cache), else as bench/serve.py.

Prints: the upload's answer and time; the job's progress as the admin's status
endpoint reports it; the times of ``/`` before and during the import; the
import's wall time, rows/s, and the worker's CPU time and peak resident memory
(VmHWM); then an upload over IMPORT_MAX_UPLOAD_BYTES, of which only the headers
and the first 64 KB are sent, to show it is refused before its body is read.

A benchmark prints figures; it is not a test.
"""

import argparse
import csv
import http.client
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serve import gunicorn_command, prepare, serving_env  # noqa: E402

PROVINCES = ["北京", "上海", "广东", "浙江", "江苏", "四川", "湖北", "山东"]


def write_organisations(path: Path, rows: int) -> None:
    """About 115 bytes a row, as a real registry export: 177,000 rows ≈ 20 MB."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Company Name", "企业名称", "Province", "City", "Website"])
        for i in range(rows):
            writer.writerow(
                [
                    f"Example Holdings {i:06d} Co., Ltd.",
                    f"示例控股{i:06d}有限公司",
                    PROVINCES[i % len(PROVINCES)],
                    "Beijing",
                    f"https://www.eh{i:06d}.example.cn",
                ]
            )


def proc_status(pid: int) -> dict[str, str]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return fields


def proc_cpu_seconds(pid: int) -> float:
    parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def wait_until_up(base: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", timeout=10).status_code in (200, 503):
                return
        except requests.RequestException:  # not listening yet, or still starting
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not start")


def timed_get(session, url) -> tuple[int, float]:
    started = time.perf_counter()
    response = session.get(url, timeout=60)
    return response.status_code, time.perf_counter() - started


def log_in(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    login = session.get(base + "/admin/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)[1]
    response = session.post(
        base + "/admin/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"},
        timeout=30,
    )
    assert response.url.rstrip("/").endswith("/admin"), response.url
    return session


def csrf_token(session, url) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', session.get(url, timeout=30).text)[1]


def over_the_limit(port: int, session, path: str, limit: int) -> tuple[int, float]:
    """Declare a body one MB over the limit, send its first 64 KB, and wait for
    the answer: it comes without the rest of the body being sent."""
    boundary = "benchboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="import_file"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(limit + 1024 * 1024))
    connection.putheader("Cookie", "; ".join(f"{k}={v}" for k, v in session.cookies.items()))
    connection.endheaders()
    connection.send(head + b"x" * (64 * 1024 - len(head)))
    response = connection.getresponse()
    response.read()
    seconds = time.perf_counter() - started
    connection.close()
    return response.status, seconds


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=177_000)
    parser.add_argument("--db", help="an empty PostgreSQL database on BENCH_PG; default: a temporary SQLite file")
    parser.add_argument("--port", type=int, default=8031)
    parser.add_argument("--every", type=float, default=5.0, help="seconds between requests to / during the import")
    parser.add_argument(
        "--watch", type=float, help="seconds to watch the import before cancelling it (default: until it ends)"
    )
    parser.add_argument("--skip-static", action="store_true", help="static files are already collected: only migrate")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-admin-import-"))
    env = serving_env(args.db, quiet=True)
    if not args.db:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    env["IMPORT_JOBS_DIR"] = str(tmp / "jobs")
    env.setdefault("WEB_CONCURRENCY", "2")
    base = f"http://127.0.0.1:{args.port}"
    if args.skip_static:
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"], env=env, check=True
        )
    else:
        prepare(env)
    username, password = f"bench-{secrets.token_hex(3)}", secrets.token_urlsafe(16)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(
        [*manage, "createsuperuser", "--no-input", "--username", username, "--email", "bench@example.org"],
        env={**env, "DJANGO_SUPERUSER_PASSWORD": password},
        check=True,
        cwd=ROOT,
    )
    csv_path = tmp / "organisations.csv"
    write_organisations(csv_path, args.rows)
    size = csv_path.stat().st_size
    database = "postgresql " + args.db if args.db else "sqlite"
    print(f"{args.rows:,} organisations, {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB); database: {database}")
    print(f"before: {load()}")

    server = subprocess.Popen(gunicorn_command(f"127.0.0.1:{args.port}"), env=env, cwd=ROOT)  # noqa: S603
    worker = None
    try:
        wait_until_up(base)
        session = log_in(base, username, password)
        home = [timed_get(session, base + "/") for _ in range(5)]
        print(
            "GET / before the import: " + ", ".join(f"{status} in {seconds * 1000:.0f} ms" for status, seconds in home)
        )

        import_url = base + "/admin/registry/organisation/import/"
        token = csrf_token(session, import_url)
        started = time.perf_counter()
        with csv_path.open("rb") as handle:
            response = session.post(
                import_url,
                data={"csrfmiddlewaretoken": token, "format": "0", "resource": "0"},
                files={"import_file": ("organisations.csv", handle, "text/csv")},
                allow_redirects=False,
                timeout=120,
            )
        upload_seconds = time.perf_counter() - started
        job_id = int(re.search(r"/importjob/(\d+)/", response.headers.get("Location", ""))[1])
        print(
            f"upload: {response.status_code} -> {response.headers['Location']} in {upload_seconds:.2f} s "
            f"(the file is stored and queued as job {job_id})"
        )
        status_url = f"{base}/admin/registry/importjob/{job_id}/status/"
        print(f"job status right after the upload: {session.get(status_url, timeout=30).json()['status']}")

        worker = subprocess.Popen(  # noqa: S603
            [*manage, "run_import_jobs", "--no-progress", "--poll", "0.5"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        import_started = time.perf_counter()
        during, peak_rss = [], "?"
        while True:
            status = session.get(status_url, timeout=30).json()
            code, seconds = timed_get(session, base + "/")
            during.append((code, seconds))
            peak_rss = proc_status(worker.pid).get("VmHWM", peak_rss)
            elapsed = time.perf_counter() - import_started
            print(
                f"{elapsed:7.1f} s  job {status['status']:<9} {status['rows_done']:>8,} / "
                f"{status['rows_total']:,} rows ({status['percent']} %)   GET / {code} in {seconds * 1000:.0f} ms"
            )
            if status["finished"]:
                break
            if args.watch and elapsed > args.watch and not status["cancelling"]:
                job_page = f"{base}/admin/registry/importjob/{job_id}/change/"
                cancel = session.post(
                    f"{base}/admin/registry/importjob/{job_id}/cancel/",
                    data={"csrfmiddlewaretoken": csrf_token(session, job_page)},
                    allow_redirects=False,
                    timeout=30,
                )
                print(f"{elapsed:7.1f} s  cancel requested: {cancel.status_code}")
            time.sleep(args.every)
        import_seconds = time.perf_counter() - import_started
        worker_cpu = proc_cpu_seconds(worker.pid)
        peak_rss = proc_status(worker.pid).get("VmHWM", peak_rss)
        print(f"after: {load()}")
        print(
            f"job {status['status']}: {status['counts']}; {status['rows_done']:,} rows processed in "
            f"{import_seconds:.0f} s from the worker's start ({status['rows_done'] / import_seconds:,.0f} rows/s); "
            f"worker CPU {worker_cpu:.0f} s; worker peak RSS {peak_rss}"
        )
        codes = sorted({code for code, _ in during})
        times = [seconds for _, seconds in during]
        print(
            f"GET / during the import: {len(during)} requests, status codes {codes}: "
            f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
        )

        from_settings = subprocess.run(
            [*manage, "shell", "-c", "from django.conf import settings; print(settings.IMPORT_MAX_UPLOAD_BYTES)"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        limit = int(from_settings.stdout.strip().splitlines()[-1])
        code, seconds = over_the_limit(args.port, session, "/admin/registry/organisation/import/", limit)
        print(
            f"upload declared at {(limit + 2**20) / 2**20:.0f} MiB (limit {limit / 2**20:.0f} MiB), 64 KB of it sent: "
            f"{code} in {seconds * 1000:.0f} ms"
        )
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
