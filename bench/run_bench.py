"""Measure every dashboard page and export against the benchmark databases.

    .venv/bin/python bench/run_bench.py                       # bench_1pct, bench_10pct, bench
    .venv/bin/python bench/run_bench.py --databases bench --repeat 25

For each database (one child process each, so settings are read afresh) and
each URL: the server time of requests through Django's test client (a Viewer
logged in, DEBUG off, production middleware), median and p95, with a cold
chart cache (the data version is bumped before every request, exactly as a
registry write does) and with a warm one; the number of SQL queries; the SQL
floor (the same captured queries re-executed directly on a psycopg cursor,
results fetched, summed); the ratio server/floor; and the 304 answer to a
reload. Budgets:

    queries <= 10 on every dashboard page, whatever the size
    cold server time <= 1.5 x floor + 15 ms
    overview cold median < 150 ms on the full dataset
    growth 10% -> 100% well under tenfold

URLs: every dashboard URL pattern without arguments, one detail page of each
kind (a real id), every chart page and its CSV/XLSX export. Image exports
(PNG/SVG/PDF) are rendered by chromium and are measured only with --images.

Writes var/bench/<db>.json and var/bench/report.md (tables and the
EXPLAIN (ANALYZE, BUFFERS) plans of the heaviest queries on the largest database).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import RESULTS, collectstatic, production_env  # noqa: E402

DEFAULT_DATABASES = "bench_1pct:1%,bench_10pct:10%,bench:100%"
QUERY_BUDGET = 10
OVERVIEW_BUDGET_MS = 150.0
FLOOR_BUDGET_MS = 150.0  # SQL floor of any page with any filter
CPU_ALLOWANCE_MS = 15.0  # cold CPU <= 0.5 x SQL floor + this
OVERVIEW_CPU_BUDGET_MS = 40.0
IMAGE_FORMATS = {"png", "svg", "pdf"}


# --------------------------------------------------------------------------- child: measure one database


def _setup_django(db: str, redis: str | None) -> None:
    env = production_env(db, LOG_LEVEL="WARNING")
    env.pop("REDIS_URL", None)
    if redis:
        env["REDIS_URL"] = redis
    os.environ.clear()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def _viewer():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from registry.roles import VIEWER

    user, created = get_user_model().objects.get_or_create(username="bench-viewer")
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=VIEWER))
    return user


def _patterns(resolver=None, namespace=None):
    from django.urls import URLPattern, URLResolver, get_resolver

    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and namespace == "dashboard" and entry.name:
            yield entry


# Filter mixes: what users choose on every page that takes the shared filters.
# "default" is a first visit (the newest real list, today). Each entry is a query
# string added to the page's own; {oldest} and {newest} are cohort slugs.
MIXES = (
    ("default", ""),
    ("all companies", "cohort="),
    ("oldest list", "cohort={oldest}"),
    ("sector", "cohort=&sector=energy"),
    ("province", "cohort=&province=Guangdong"),
    ("list + sector", "cohort={newest}&sector=energy"),
    ("past date", "cohort={newest}&as_of=2019-06-30"),
    ("all companies past date", "cohort=&as_of=2019-06-30"),
)
# Pages measured with every mix (the others take no shared filters).
MIXED_PAGES = ("overview", "chart", "platform_detail", "company_list", "indices")


def _join(url: str, query: str) -> str:
    if not query:
        return url
    return url + ("&" if "?" in url else "?") + query


def targets(images: bool, mixes: tuple = MIXES) -> tuple[list[tuple[str, str, str, str]], list[str]]:
    """(kind, label, mix, url) to measure, and the names of patterns not measured."""
    from django.urls import reverse

    from dashboard.catalogue import CATALOGUE
    from registry import models as m

    company = (
        m.CohortMembership.objects.order_by("-cohort__year", "rank").values_list("organisation_id", flat=True).first()
    )
    samples = {
        "pk": {
            "company": company,
            "person": m.Person.objects.order_by("pk").values_list("pk", flat=True).first(),
            "source": m.Source.objects.order_by("pk").values_list("pk", flat=True).first(),
        },
        "platform": m.Platform.objects.order_by("display_order").values_list("slug", flat=True).first(),
        "account": m.Account.objects.filter(organisation_id=company)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first(),
    }
    cohorts = list(m.Cohort.objects.filter(is_demo=False).order_by("year").values_list("slug", flat=True))
    slugs = {"oldest": cohorts[0] if cohorts else "", "newest": cohorts[-1] if cohorts else ""}
    found, skipped = [], []

    def add(kind, label, url, name):
        for mix, query in mixes if name in MIXED_PAGES else mixes[:1]:
            found.append((kind, label, mix, _join(url, query.format(**slugs))))

    for pattern in _patterns():
        name = pattern.name
        groups = set(pattern.pattern.regex.groupindex)
        if not groups:
            add("page", name, reverse(f"dashboard:{name}"), name)
            continue
        if groups == {"pk"} and name.endswith("_detail") and samples["pk"].get(name.removesuffix("_detail")):
            pk = samples["pk"][name.removesuffix("_detail")]
            add("detail", name, reverse(f"dashboard:{name}", kwargs={"pk": pk}), name)
        elif groups == {"slug"} and name.startswith("platform") and samples["platform"]:
            add("detail", name, reverse(f"dashboard:{name}", kwargs={"slug": samples["platform"]}), name)
        elif groups == {"account_id"} and samples["account"]:
            add("detail", name, reverse(f"dashboard:{name}", kwargs={"account_id": samples["account"]}), name)
        elif groups == {"slug"} and name == "chart":
            for slug, definition in CATALOGUE.items():
                query = f"?company={company}" if "company" in definition.params else ""
                url = reverse("dashboard:chart", kwargs={"slug": slug}) + query
                add("chart", f"chart {slug}", url, "chart" if not query else "chart-company")
        elif groups == {"slug", "fmt"} and name == "chart_export":
            formats = ["csv", "xlsx"] + (sorted(IMAGE_FORMATS) if images else [])
            for slug, definition in CATALOGUE.items():
                query = f"?company={company}" if "company" in definition.params else ""
                for fmt in formats:
                    url = reverse("dashboard:chart_export", kwargs={"slug": slug, "fmt": fmt}) + query
                    add("export", f"{slug}.{fmt}", url, name)
        else:
            skipped.append(name)
    return found, skipped


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _floor(raw, sqls: list[str], repeat: int) -> float:
    """Milliseconds to run ``sqls`` back to back on a raw psycopg cursor (median)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        with raw.cursor() as cursor:
            for text in sqls:
                cursor.execute(text)
                if cursor.description is not None:
                    cursor.fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(
    db: str, repeat: int, images: bool, redis: str | None, explain: int, only: str | None = None, mixes: str = ""
) -> dict:
    _setup_django(db, redis)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from registry.signals import bump_data_version

    client = Client()
    client.force_login(_viewer())
    chosen = tuple(m for m in MIXES if not mixes or m[0] in mixes.split(",") or m[0] == "default")
    urls, skipped = targets(images, chosen)
    if only:
        wanted = only.split(",")
        urls = [u for u in urls if any(u[3] == w[1:] if w.startswith("=") else w in u[3] for w in wanted)]

    cpu_times: list[float] = []

    def get(url, **headers):
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(url, secure=True, headers=headers)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        cpu_times.append((time.process_time() - cpu) * 1000)
        return (time.perf_counter() - started) * 1000, response, len(body)

    rows, heavy = [], {}
    connection.ensure_connection()
    raw = connection.connection
    for kind, label, mix, url in urls:
        try:
            get(url)  # compile templates, warm the session and the connection
        except Exception as error:  # noqa: BLE001 - report the page, measure the rest
            rows.append(
                {"kind": kind, "label": label, "mix": mix, "url": url, "status": f"error: {type(error).__name__}"}
            )
            print(f"  {label}: {type(error).__name__}: {error}", file=sys.stderr)
            continue
        bump_data_version()
        with CaptureQueriesContext(connection) as cold_ctx:
            _, response, size = get(url)
        status = response.status_code
        if status != 200:
            rows.append({"kind": kind, "label": label, "mix": mix, "url": url, "status": status})
            print(f"  {label} [{mix}]: HTTP {status}, not measured", file=sys.stderr)
            continue
        cold_sql = [q["sql"] for q in cold_ctx.captured_queries]
        cold = []
        cpu_times.clear()
        for _ in range(repeat):
            bump_data_version()
            cold.append(get(url)[0])
        cold_cpu = statistics.median(cpu_times)
        with CaptureQueriesContext(connection) as warm_ctx:
            _, response, _ = get(url)
        warm_sql = [q["sql"] for q in warm_ctx.captured_queries]
        cpu_times.clear()
        warm = [get(url)[0] for _ in range(repeat)]
        warm_cpu = statistics.median(cpu_times)
        etag = response.get("ETag")
        not_modified = []
        if etag:
            for _ in range(repeat):
                ms, conditional, _ = get(url, if_none_match=etag)
                if conditional.status_code == 304:
                    not_modified.append(ms)
        floor_cold = _floor(raw, cold_sql, repeat)
        floor_warm = _floor(raw, warm_sql, repeat) if warm_sql else 0.0
        for text in cold_sql:
            if text in heavy or not text.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            heavy[text] = (_floor(raw, [text], 3), f"{label} [{mix}]")
        cold_median = statistics.median(cold)
        row = {
            "kind": kind,
            "label": label,
            "mix": mix,
            "url": url,
            "status": status,
            "bytes": size,
            "queries_cold": len(cold_sql),
            "queries_warm": len(warm_sql),
            "cold_median": cold_median,
            "cold_p95": _percentile(cold, 0.95),
            "cold_cpu": cold_cpu,
            "warm_median": statistics.median(warm),
            "warm_cpu": warm_cpu,
            "warm_p95": _percentile(warm, 0.95),
            "not_modified_median": statistics.median(not_modified) if not_modified else None,
            "floor_cold": floor_cold,
            "floor_warm": floor_warm,
            "ratio": cold_median / floor_cold if floor_cold else None,
            "within_time_budget": cold_median <= 1.5 * floor_cold + 15,
            "within_cpu_budget": cold_cpu <= 0.5 * floor_cold + CPU_ALLOWANCE_MS,
            "within_floor_budget": floor_cold <= FLOOR_BUDGET_MS,
            "within_query_budget": len(cold_sql) <= QUERY_BUDGET,
        }
        rows.append(row)
        print(
            f"  {label} [{mix}]: {row['queries_cold']} q, cold {cold_median:.1f} ms (CPU {cold_cpu:.1f}), "
            f"warm {row['warm_median']:.1f} ms (CPU {warm_cpu:.1f}), floor {floor_cold:.1f} ms",
            file=sys.stderr,
        )

    plans = []
    for text, (elapsed, label) in sorted(heavy.items(), key=lambda kv: -kv[1][0])[:explain]:
        with raw.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + text)
            plan = "\n".join(r[0] for r in cursor.fetchall())
        plans.append({"label": label, "ms": elapsed, "sql": text, "plan": plan})
    with raw.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE relname IN "
            "('registry_organisation', 'registry_account', 'registry_accountmetric') ORDER BY relname"
        )
        tables = dict(cursor.fetchall())
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
    from django.conf import settings

    return {
        "db": db,
        "load": round(os.getloadavg()[1], 1),
        "rows": rows,
        "skipped": skipped,
        "plans": plans,
        "tables": tables,
        "postgres": version,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "repeat": repeat,
    }


# --------------------------------------------------------------------------- parent: run and report


def _fmt(value, digits=1):
    return "–" if value is None else f"{value:.{digits}f}"


def _default(rows):
    return [r for r in rows if r.get("mix", "default") == "default"]


def _budgets(row) -> list[str]:
    missed = []
    if row["kind"] in ("page", "detail", "chart") and not row["within_query_budget"]:
        missed.append(f"> {QUERY_BUDGET} queries")
    if not row.get("within_floor_budget", True):
        missed.append(f"SQL > {FLOOR_BUDGET_MS:.0f} ms")
    if not row.get("within_cpu_budget", True):
        missed.append("CPU > 0.5×floor+15")
    return missed


def table(result: dict, label: str) -> str:
    sizes = ", ".join(f"{name.removeprefix('registry_')} {count:,}" for name, count in result["tables"].items())
    lines = [
        f"### {label}: `{result['db']}` ({sizes} rows), first visit (newest list, today)",
        "",
        "| page | queries cold / warm | cold median | cold p95 | cold CPU | warm median | warm CPU | 304 "
        "| SQL floor | budgets |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in _default(result["rows"]):
        if row["status"] != 200:
            lines.append(f"| {row['label']} | HTTP {row['status']} | | | | | | | | not measured |")
            continue
        lines.append(
            f"| {row['label']} | {row['queries_cold']} / {row['queries_warm']} | {_fmt(row['cold_median'])} | "
            f"{_fmt(row['cold_p95'])} | {_fmt(row.get('cold_cpu'))} | {_fmt(row['warm_median'])} | "
            f"{_fmt(row.get('warm_cpu'))} | {_fmt(row['not_modified_median'])} | "
            f"{_fmt(row['floor_cold'])} | {'; '.join(_budgets(row)) or 'met'} |"
        )
    if result["skipped"]:
        lines.append("")
        lines.append("Not measured (need arguments no sample provides): " + ", ".join(result["skipped"]))
    lines.append("")
    return "\n".join(lines)


def mixes_table(result: dict, label: str) -> str:
    """SQL floor / cold CPU (ms) and queries of each page under each filter mix."""
    mixes = list(dict.fromkeys(r.get("mix", "default") for r in result["rows"]))
    if len(mixes) < 2:
        return ""
    pages: dict[str, dict[str, dict]] = {}
    for row in result["rows"]:
        pages.setdefault(row["label"], {})[row.get("mix", "default")] = row
    lines = [
        f"### {label}: every filter — SQL floor / cold CPU in ms (queries)",
        "",
        "| page | " + " | ".join(mixes) + " |",
        "|---|" + "---|" * len(mixes),
    ]
    worst = []
    for page, by_mix in pages.items():
        if len(by_mix) < 2:
            continue
        cells = []
        for mix in mixes:
            row = by_mix.get(mix)
            if row is None or row["status"] != 200:
                cells.append("–" if row is None else f"HTTP {row['status']}")
                continue
            mark = " **>150**" if not row.get("within_floor_budget", True) else ""
            cells.append(f"{_fmt(row['floor_cold'])} / {_fmt(row.get('cold_cpu'))} ({row['queries_cold']}){mark}")
            worst.append((row["floor_cold"], page, mix))
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    if worst:
        floor, page, mix = max(worst)
        lines.append("")
        lines.append(f"Highest SQL floor: {floor:.1f} ms ({page}, {mix}); budget {FLOOR_BUDGET_MS:.0f} ms.")
    lines.append("")
    return "\n".join(lines)


def growth(results: list[tuple[str, dict]]) -> str:
    if len(results) < 2:
        return ""
    (small_label, small), (large_label, large) = results[-2], results[-1]
    by_key = {(r["label"], r.get("mix", "default")): r for r in small["rows"] if r["status"] == 200}
    lines = [
        f"### Growth {small_label} → {large_label} (SQL floor and cold CPU)",
        "",
        f"| page | filters | {small_label} floor | {large_label} floor | × "
        f"| {small_label} CPU | {large_label} CPU | × |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in large["rows"]:
        before = by_key.get((row["label"], row.get("mix", "default")))
        if row["status"] != 200 or before is None:
            continue
        floor = row["floor_cold"] / before["floor_cold"] if before["floor_cold"] else None
        cpu = row["cold_cpu"] / before["cold_cpu"] if before.get("cold_cpu") else None
        lines.append(
            f"| {row['label']} | {row.get('mix', 'default')} | {_fmt(before['floor_cold'])} | "
            f"{_fmt(row['floor_cold'])} | {_fmt(floor, 2)} | {_fmt(before.get('cold_cpu'))} | "
            f"{_fmt(row.get('cold_cpu'))} | {_fmt(cpu, 2)} |"
        )
    return "\n".join(lines) + "\n"


def report(results: list[tuple[str, dict]]) -> str:
    parts = [
        f"# Benchmark run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"Machine: {os.cpu_count()} cores; {results[0][1]['postgres'].split(' on ')[0]}; "
        f"cache backend {results[0][1]['cache']}; {results[0][1]['repeat']} requests per figure; "
        f"load average during the run {', '.join(str(r[1].get('load', '?')) for r in results)} (other work on the "
        "machine inflates wall time; CPU is process time of the request, the SQL floor the page's queries "
        "re-run on a raw connection). Times in milliseconds. Budgets: SQL floor ≤ 150 ms with any filter; "
        "cold CPU ≤ 0.5 × SQL floor + 15 ms; overview cold CPU ≤ 40 ms.",
        "",
    ]
    for label, result in results:
        parts.append(table(result, label))
        parts.append(mixes_table(result, label))
    parts.append(growth(results))
    overview = next(
        (r for r in _default(results[-1][1]["rows"]) if r["label"] == "overview" and r["status"] == 200), None
    )
    if overview:
        verdict = "met" if overview["cold_cpu"] <= OVERVIEW_CPU_BUDGET_MS else "MISSED"
        parts.append(
            f"Overview cold on {results[-1][0]}: {overview['cold_median']:.1f} ms wall, "
            f"{overview['cold_cpu']:.1f} ms CPU (budget {OVERVIEW_CPU_BUDGET_MS:.0f} ms CPU): {verdict}.\n"
        )
    plans = results[-1][1]["plans"]
    if plans:
        parts.append(f"## Heaviest queries on {results[-1][0]}\n")
        for plan in plans:
            parts.append(
                f"### {plan['label']} ({plan['ms']:.1f} ms)\n\n```sql\n{plan['sql']}\n```\n\n```\n{plan['plan']}\n```\n"
            )
    return "\n".join(parts)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--databases",
        default=DEFAULT_DATABASES,
        help="comma-separated db[:label], smallest first (default: %(default)s)",
    )
    parser.add_argument("--repeat", type=int, default=15, help="requests per figure")
    parser.add_argument("--images", action="store_true", help="also measure PNG/SVG/PDF exports (chromium)")
    parser.add_argument("--redis", help="measure with this REDIS_URL as the cache (e.g. redis://127.0.0.1:6379/14)")
    parser.add_argument("--explain", type=int, default=5, help="EXPLAIN ANALYZE this many heaviest queries")
    parser.add_argument("--only", help="comma-separated substrings (=path: exact path); measure only those URLs")
    parser.add_argument(
        "--mixes",
        default=",".join(name for name, _ in MIXES),
        help="comma-separated filter mixes for pages with the shared filters (default: all; 'default' only: "
        "a first visit)",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rebuild the report from the saved var/bench/<db>.json files, measuring nothing",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure:
        result = measure(args.measure, args.repeat, args.images, args.redis, args.explain, args.only, args.mixes)
        print(json.dumps(result))
        return 0

    RESULTS.mkdir(parents=True, exist_ok=True)
    if not args.report_only:
        collectstatic(production_env())
    results = []
    for item in args.databases.split(","):
        db, _, label = item.partition(":")
        label = label or db
        if args.report_only:
            results.append((label, json.loads((RESULTS / f"{db}.json").read_text())))
            continue
        print(f"measuring {db} ({label})", file=sys.stderr)
        command = [
            sys.executable,
            __file__,
            "--measure",
            db,
            "--repeat",
            str(args.repeat),
            "--explain",
            str(args.explain),
        ]
        if args.images:
            command.append("--images")
        if args.redis:
            command += ["--redis", args.redis]
        if args.only:
            command += ["--only", args.only]
        command += ["--mixes", args.mixes]
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)  # progress on stderr
        if done.returncode != 0:
            return done.returncode
        result = json.loads(done.stdout.strip().splitlines()[-1])
        (RESULTS / f"{db}.json").write_text(json.dumps(result, indent=1))
        results.append((label, result))
    text = report(results)
    (RESULTS / "report.md").write_text(text)
    print(text)
    print(f"\nwritten: {RESULTS / 'report.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
