"""Bytes a browser transfers for the overview: ``make page-weight``.

Starts the production server (as ``make serve``) on 127.0.0.1, logs a Viewer
in and fetches the overview the way a browser does (Accept-Encoding: br,
gzip), then every stylesheet, script and icon the page links. Reports, per
resource, the size on disk, the bytes transferred with gzip and with brotli,
the Content-Encoding and Cache-Control served, for:

    first visit   the HTML and every asset, compressed as served
    repeat visit  the HTML revalidated with If-None-Match (304, no body) and the
                  assets taken from the browser cache (hashed names, ``immutable``)
"""

import argparse
import gzip
import http.client
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PG_URL, RESULTS  # noqa: E402
from bench.loadtest import viewer_cookie, wait_until_up  # noqa: E402
from bench.serve import gunicorn_command, prepare, serving_env  # noqa: E402

ASSET = re.compile(r"""<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)\"""")


def fetch(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    result = response.status, {k.lower(): v for k, v in response.getheaders()}, body
    connection.close()
    return result


def measure(port: int, cookie: str, path: str) -> dict:
    browser = {"Cookie": cookie, "Accept-Encoding": "br, gzip"}
    status, headers, html = fetch(port, path, browser)
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    served = len(html)
    encoding = headers.get("content-encoding")
    if encoding == "gzip":
        html = gzip.decompress(html)
    elif encoding is not None:
        raise SystemExit(f"the HTML came as {encoding}; only gzip is decoded here")
    text = html.decode()
    rows = [
        {
            "resource": f"{path} (HTML)",
            "raw": len(html),
            "gzip": len(gzip.compress(html, 6)),
            "br": None,
            "served": served,
            "encoding": headers.get("content-encoding", "none"),
            "cache": headers.get("cache-control", ""),
            "repeat": None,
        }
    ]
    again = fetch(port, path, {**browser, "If-None-Match": headers.get("etag", "")})
    rows[0]["repeat"] = f"{again[0]}, {len(again[2])} B"
    for url in dict.fromkeys(ASSET.findall(text)):
        if not url.startswith("/"):
            continue
        _, plain_headers, plain = fetch(port, url, {"Accept-Encoding": "identity"})
        _, gz_headers, gz = fetch(port, url, {"Accept-Encoding": "gzip"})
        _, br_headers, br = fetch(port, url, browser)
        immutable = "immutable" in br_headers.get("cache-control", "")
        rows.append(
            {
                "resource": url,
                "raw": len(plain),
                "gzip": len(gz) if gz_headers.get("content-encoding") == "gzip" else None,
                "br": len(br) if br_headers.get("content-encoding") == "br" else None,
                "served": len(br),
                "encoding": br_headers.get("content-encoding", "none"),
                "cache": br_headers.get("cache-control", ""),
                "repeat": "from cache, 0 B" if immutable else "revalidated",
            }
        )
    return {"rows": rows}


def database_exists(name: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{PG_URL}/postgres", connect_timeout=5) as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
    except psycopg.OperationalError as error:
        raise SystemExit(f"PostgreSQL at {PG_URL} cannot be reached: {error}".strip()) from None


def _kb(value) -> str:
    return "–" if value is None else f"{value / 1024:,.1f}"


def report(result: dict) -> str:
    rows = result["rows"]
    first = sum(r["served"] for r in rows)
    repeat = sum(0 for r in rows)  # 304 without body; immutable assets not requested
    html = rows[0]
    lines = [
        f"Page weight of the overview, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} (KiB; bodies only)",
        "",
        "| resource | on disk | gzip | brotli | served (br, gzip) | Content-Encoding | Cache-Control | repeat visit |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| `{r['resource']}` | {_kb(r['raw'])} | {_kb(r['gzip'])} | {_kb(r['br'])} | "
            f"{_kb(r['served'])} | {r['encoding']} | {r['cache']} | {r['repeat']} |"
        )
    lines += [
        "",
        f"First visit: {_kb(first)} KiB transferred. Repeat visit: {_kb(repeat)} KiB of bodies "
        f"(the HTML answers 304; hashed assets are `immutable` and not requested).",
    ]
    if html["encoding"] == "none":
        lines.append(
            f"The HTML is served uncompressed ({_kb(html['raw'])} KiB); gzip at a proxy would make it "
            f"{_kb(html['gzip'])} KiB."
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="bench")
    parser.add_argument("--port", type=int, default=8011)
    parser.add_argument("--path", default="/")
    args = parser.parse_args(argv)
    if not database_exists(args.db):
        raise SystemExit(
            f"The benchmark database {args.db!r} does not exist on {PG_URL}. Build it first with `make bench` "
            f"(or `.venv/bin/python bench/build_dataset.py --db {args.db}`), or pass --db."
        )
    env = serving_env(args.db)
    prepare(env)
    server = subprocess.Popen(gunicorn_command(f"127.0.0.1:{args.port}"), env=env, cwd=ROOT)
    try:
        wait_until_up(f"http://127.0.0.1:{args.port}")
        result = measure(args.port, viewer_cookie(env), args.path)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    text = report(result)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "page_weight.md").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
