"""The dashboard beside Apache Superset, on the same PostgreSQL data: chart data
and the overview, cold and warm. Not a test: it needs Superset, installed and
running separately (never in this project's .venv), and prints figures.

What is compared, for one benchmark database and two filters (the first visit:
the newest real Top 500 list, today; and "all companies", today):

* **chart data**: Superset's chart-data API (``POST /api/v1/chart/data`` with
  the chart's saved query context, as its front end sends it) for "adopters by
  platform" and "adoption over time", against the product's data export of the
  same chart (``/charts/<slug>.csv``) and its chart page (``/charts/<slug>/``:
  filter form, figure and table in one HTML answer).
* **overview**: Superset's dashboard load (the dashboard page, the three API
  calls its front end makes for the layout, charts and datasets, then every
  chart's data, four at a time as a browser does) against the product's
  overview (one HTML answer with its three figures and the cards).

Cold: Superset with ``force: true`` (the query runs; the result is written to
its cache), the product after a data-version bump (what every registry write
does, so every chart is rebuilt from the database). Warm: both from their
caches (Redis for both). Each figure is measured ``--repeat`` times, the two
servers alternately, the order swapped every round, so load from other work
on the machine falls on both alike. Printed: median wall time seen by the
client, median CPU time of each server's processes (all threads of gunicorn's
master and workers, from /proc/<pid>/task/*/schedstat), their ratios
(product / Superset), bytes received, and the load average. PostgreSQL's CPU is
in neither: Superset opens a new connection for each query by default
(NullPool), so its backends' CPU cannot be read after the fact; the wall times
include it.

Before measuring, the numbers are checked: the product's CSV rows and
Superset's chart data must agree (adopters and share per platform, the
organisations in scope, every point of the timeline). Both are printed; a
mismatch exits with status 1 before anything is timed.

Set-up (once; Superset 6.1 in its own virtualenv):

    python3.11 -m venv /work/superset-venv
    /work/superset-venv/bin/pip install 'apache-superset==6.1.0' psycopg2-binary
    # 6.1.0 imports rich and cachetools without declaring them, and its cache
    # manager fails with flask-caching 2.5 (an unexpected 'timeout' argument):
    /work/superset-venv/bin/pip install rich cachetools 'flask-caching==2.3.1'
    .venv/bin/python bench/superset_compare.py --print-config > /path/superset_config.py   # then edit SECRET_KEY
    createdb -h 127.0.0.1 -U postgres superset_meta
    export SUPERSET_CONFIG_PATH=/path/superset_config.py FLASK_APP=superset
    superset db upgrade && superset fab create-admin ... && superset init
    gunicorn -w 2 -k gthread --threads 4 -b 127.0.0.1:8088 'superset.app:create_app()'

The product's server is started by this script as ``make serve`` does
(bench/serve.py: gunicorn with config/gunicorn.conf.py, 2 workers x 4 threads,
DEBUG off, whitenoise) on ``--port``, against ``--db``, with Redis database
``--redis`` as its cache. The product writes a Viewer and its session into
``--db``, so give it a copy of a benchmark database
(``createdb -T bench_10pct <name>_bench_10pct``), not the original.

``--setup`` registers ``--db`` in Superset (read only, no DML) and creates or
updates, by name, three virtual datasets (open accounts, organisations,
adoption events), four charts per filter (organisations in scope, adopters by
platform, share by platform, adoption over time) and one dashboard per filter.
The datasets' SQL and the charts' filters are in ``superset_objects``.

    .venv/bin/python bench/superset_compare.py --db sset_bench_10pct --setup --repeat 15
"""

import argparse
import concurrent.futures
import datetime
import gzip
import http.cookiejar
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PG_URL, RESULTS  # noqa: E402

SUPERSET_CONFIG = '''"""Superset configuration for bench/superset_compare.py: metadata in
PostgreSQL, every cache in Redis (so a warm chart-data call is a cache read)."""

SECRET_KEY = "CHANGE ME: python -c 'import secrets; print(secrets.token_urlsafe(42))'"
SQLALCHEMY_DATABASE_URI = "postgresql+psycopg2://postgres@127.0.0.1:5432/superset_meta"
_REDIS = "redis://127.0.0.1:6379/5"


def _cache(prefix, timeout=86400):
    return {"CACHE_TYPE": "RedisCache", "CACHE_DEFAULT_TIMEOUT": timeout,
            "CACHE_KEY_PREFIX": prefix, "CACHE_REDIS_URL": _REDIS}


CACHE_CONFIG = _cache("superset_meta_")
DATA_CACHE_CONFIG = _cache("superset_data_")
FILTER_STATE_CACHE_CONFIG = _cache("superset_filter_")
EXPLORE_FORM_DATA_CACHE_CONFIG = _cache("superset_explore_")
RATELIMIT_STORAGE_URI = _REDIS
# The list filter and the share's denominator are sub-queries in ad-hoc SQL.
FEATURE_FLAGS = {"ALLOW_ADHOC_SUBQUERY": True}
TALISMAN_ENABLED = False  # plain HTTP on 127.0.0.1
SESSION_COOKIE_SECURE = False
'''

ACCEPT = {"Accept-Encoding": "gzip", "Accept-Language": "en"}


# --------------------------------------------------------------------------- HTTP


class Http:
    """A small cookie-keeping client that reads whole (gzip) answers, as a browser would."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), urllib.request.HTTPRedirectHandler()
        )
        self.headers = dict(ACCEPT)

    def request(self, path: str, *, data=None, headers=None, method=None) -> tuple[int, bytes, int]:
        """(status, decoded body, bytes on the wire)."""
        body = None
        sent = {**self.headers, **(headers or {})}
        if data is not None:
            body = json.dumps(data).encode() if not isinstance(data, bytes) else data
            sent.setdefault("Content-Type", "application/json")
        request = urllib.request.Request(self.base + path, data=body, headers=sent, method=method)  # noqa: S310
        try:
            with self.opener.open(request, timeout=300) as response:
                raw, status, encoding = response.read(), response.status, response.headers.get("Content-Encoding")
        except urllib.error.HTTPError as error:
            raw, status, encoding = error.read(), error.code, error.headers.get("Content-Encoding")
        return status, gzip.decompress(raw) if encoding == "gzip" else raw, len(raw)

    def json(self, path: str, **kwargs) -> dict:
        status, body, _ = self.request(path, **kwargs)
        if status >= 400:
            raise SystemExit(f"{self.base}{path}: HTTP {status}: {body[:500]!r}")
        return json.loads(body)


# --------------------------------------------------------------------------- server CPU from /proc


def _listening_pids(port: int) -> set[int]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(parts[9])
    pids = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    pids.add(int(proc.name))
                    break
        except OSError:
            continue
    return pids


def _tree(roots: set[int]) -> set[int]:
    children: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(proc.name))
    found, todo = set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, []))
    return found


class ServerCpu:
    """CPU time (ns) of every thread of a server's processes: gunicorn's master
    and workers, found from the port they listen on."""

    def __init__(self, port: int):
        self.port = port
        self.pids = _tree(_listening_pids(port))
        if not self.pids:
            print(f"  no process found listening on port {port}: its CPU is not measured", file=sys.stderr)

    def now(self) -> int:
        total = 0
        for pid in self.pids:
            try:
                tasks = list(Path(f"/proc/{pid}/task").iterdir())
            except OSError:
                continue
            for task in tasks:
                try:
                    total += int((task / "schedstat").read_text().split()[0])
                except (OSError, IndexError, ValueError):
                    continue
        return total


# --------------------------------------------------------------------------- the product


def _setup_django(db: str, redis: str, secret: str) -> None:
    from bench.common import production_env

    env = production_env(db, REDIS_URL=redis, SECRET_KEY=secret)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def product_facts() -> dict:
    """The product's reference rows: the default cohort, today's date in the
    app's time zone, the main platforms and their names in both languages."""
    from django.utils import timezone

    from dashboard.filters import default_cohort, reference_rows

    cohorts, platforms = reference_rows()
    cohort = default_cohort(cohorts)
    main = [p for p in platforms if p.is_main] or list(platforms)
    return {
        "cohort": cohort.slug if cohort else "",
        "cohort_name": str(cohort) if cohort else "",
        "today": timezone.localdate(),
        "platforms": [{"slug": p.slug, "en": p.name_en, "zh": p.name_zh} for p in main],
    }


def viewer_cookie(http: Http) -> None:
    """A Viewer's session, made in this process (same SECRET_KEY, database and Redis as the server)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from registry.roles import VIEWER

    user, created = get_user_model().objects.get_or_create(username="superset-compare-viewer")
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=VIEWER))
    client = Client()
    client.force_login(user)
    http.headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def bump() -> None:
    from registry.signals import bump_data_version

    bump_data_version()


def start_product(db: str, port: int, redis: str, secret: str) -> subprocess.Popen:
    from bench.serve import gunicorn_command, prepare, serving_env

    env = serving_env(db, quiet=True)
    env.update(REDIS_URL=redis, SECRET_KEY=secret, LOG_LEVEL="WARNING")
    env.setdefault("WEB_CONCURRENCY", "2")
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        prepare(env)  # collectstatic (minutes: brotli of plotly.js) and migrate, as `make serve`
    process = subprocess.Popen(  # noqa: S603 - a fixed command, no shell
        gunicorn_command(f"127.0.0.1:{port}"), env=env, cwd=ROOT, start_new_session=True
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"the product did not come up on port {port}")


def stop_product(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


# --------------------------------------------------------------------------- Superset objects


def superset_objects(db: str, as_of: datetime.date, cohort: str) -> dict:
    """The datasets and, for one filter (``cohort``: a slug, or "" for all
    companies), the charts that compute what the product's overview shows.
    Dates are SQL literals; nothing else comes from outside."""
    day = as_of.isoformat()
    datasets = {
        "accounts": """
SELECT a.id AS account_id, a.organisation_id, a.opened_on, a.closed_on,
       p.slug AS platform_slug, p.name_en AS platform, p.display_order, p.is_main,
       o.kind, o.is_demo, o.sector, o.province, o.ownership
FROM registry_account a
JOIN registry_platform p ON p.id = a.platform_id
JOIN registry_organisation o ON o.id = a.organisation_id""",
        "organisations": """
SELECT o.id AS organisation_id, o.kind, o.is_demo, o.sector, o.province, o.ownership
FROM registry_organisation o""",
        # One row per platform, organisation and change: +1 in the month its first
        # account there opened, -1 in the month its last one closed (if all are
        # closed as of the date). One reference to the grouped accounts, so a
        # filter on organisation_id reaches the accounts' index.
        f"adoption events as of {day}": f"""
SELECT s.organisation_id, o.kind, p.slug AS platform_slug, p.name_en AS platform, p.display_order, p.is_main,
       e.month, e.delta
FROM (
    SELECT a.platform_id, a.organisation_id, MIN(a.opened_on) AS first_open,
           CASE WHEN SUM(CASE WHEN a.closed_on IS NULL OR a.closed_on > DATE '{day}' THEN 1 ELSE 0 END) > 0
                THEN NULL ELSE MAX(a.closed_on) END AS last_close
    FROM registry_account a
    WHERE a.opened_on IS NOT NULL AND a.opened_on <= DATE '{day}'
    GROUP BY a.platform_id, a.organisation_id
) s
JOIN registry_platform p ON p.id = s.platform_id
JOIN registry_organisation o ON o.id = s.organisation_id
CROSS JOIN LATERAL (VALUES (date_trunc('month', s.first_open)::date, 1),
                           (date_trunc('month', s.last_close)::date, -1)) AS e(month, delta)
WHERE e.month IS NOT NULL""",
    }
    if cohort:
        members = (
            "organisation_id IN (SELECT m.organisation_id FROM registry_cohortmembership m "
            f"JOIN registry_cohort c ON c.id = m.cohort_id WHERE c.slug = '{cohort}')"
        )
        size_sql = (
            "(SELECT COUNT(*) FROM registry_cohortmembership m JOIN registry_cohort c ON c.id = m.cohort_id "
            f"WHERE c.slug = '{cohort}')"
        )
        label = cohort
    else:
        members, size_sql, label = (
            "kind = 'company'",
            "(SELECT COUNT(*) FROM registry_organisation WHERE kind = 'company')",
            "all companies",
        )
    open_on = f"opened_on <= DATE '{day}' AND (closed_on IS NULL OR closed_on > DATE '{day}')"
    organisations = {"expressionType": "SQL", "sqlExpression": "COUNT(*)", "label": "organisations"}
    adopters = {"expressionType": "SQL", "sqlExpression": "COUNT(DISTINCT organisation_id)", "label": "adopters"}
    share = {
        "expressionType": "SQL",
        "sqlExpression": f"ROUND(100.0 * COUNT(DISTINCT organisation_id) / NULLIF({size_sql}, 0), 1)",
        "label": "share",
    }

    def where(*clauses):
        return [
            {"expressionType": "SQL", "clause": "WHERE", "sqlExpression": clause, "subject": None, "operator": None}
            for clause in clauses
        ]

    charts = {
        "size": {
            "name": f"{db}: organisations in scope ({label})",
            "dataset": "organisations",
            "viz_type": "big_number_total",
            "form": {"metric": organisations},
            "query": {"columns": [], "metrics": [organisations], "filters_sql": where(members), "orderby": []},
        },
        "adopters": {
            "name": f"{db}: adopters by platform ({label}, {day})",
            "dataset": "accounts",
            "viz_type": "echarts_timeseries_bar",
            "form": {"x_axis": "platform", "metrics": [adopters]},
            "query": {
                "columns": ["platform_slug", "platform", "display_order"],
                "metrics": [adopters],
                "filters_sql": where(members, open_on, "is_main"),
                "orderby": [["display_order", True]],
            },
        },
        "share": {
            "name": f"{db}: share by platform ({label}, {day})",
            "dataset": "accounts",
            "viz_type": "echarts_timeseries_bar",
            "form": {"x_axis": "platform", "metrics": [share]},
            "query": {
                "columns": ["platform_slug", "platform", "display_order"],
                "metrics": [share],
                "filters_sql": where(members, open_on, "is_main"),
                "orderby": [["display_order", True]],
            },
        },
        "timeline": {
            "name": f"{db}: adoption over time ({label}, {day})",
            "dataset": f"adoption events as of {day}",
            "viz_type": "echarts_timeseries_line",
            "form": {"x_axis": "month", "time_grain_sqla": "P1M", "groupby": ["platform"], "rolling_type": "cumsum"},
            "query": {
                "columns": [
                    {
                        "timeGrain": "P1M",
                        "columnType": "BASE_AXIS",
                        "sqlExpression": "month",
                        "label": "month",
                        "expressionType": "SQL",
                    },
                    "platform",
                ],
                "metrics": [{"expressionType": "SQL", "sqlExpression": "SUM(delta)", "label": "change"}],
                "filters_sql": where(members, "is_main"),
                "orderby": [],
                "series_columns": ["platform"],
                "post_processing": [
                    {
                        "operation": "pivot",
                        "options": {
                            "index": ["month"],
                            "columns": ["platform"],
                            "aggregates": {"change": {"operator": "mean"}},
                            "drop_missing_columns": False,
                        },
                    },
                    {"operation": "cum", "options": {"operator": "sum", "columns": {"change": "change"}}},
                    {"operation": "rename", "options": {"columns": {"change": None}, "level": 0, "inplace": True}},
                    {"operation": "flatten"},
                ],
            },
        },
    }
    return {"datasets": datasets, "charts": charts, "dashboard": f"{db}: overview ({label}, {day})"}


class Superset:
    def __init__(self, url: str, user: str, password: str):
        self.http = Http(url)
        status, page, _ = self.http.request("/login/")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
            rb'id="csrf_token"[^>]*value="([^"]+)"', page
        )
        form = {"username": user, "password": password}
        if token:
            form["csrf_token"] = token.group(1).decode()
        self.http.request(
            "/login/",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        csrf = self.http.json("/api/v1/security/csrf_token/")["result"]
        self.http.headers.update({"X-CSRFToken": csrf, "Referer": self.http.base + "/"})
        found = re.search(rb"version_string&#34;: &#34;([^&]+)&#34;", page)
        self.version = found.group(1).decode() if found else ""

    def _find(self, kind: str, column: str, value: str) -> dict | None:
        query = urllib.parse.quote(
            json.dumps({"filters": [{"col": column, "opr": "eq", "value": value}], "page_size": 100})
        )
        rows = self.http.json(f"/api/v1/{kind}/?q={query}")["result"]
        return rows[0] if rows else None

    def _upsert(self, kind: str, column: str, value: str, body: dict) -> int:
        found = self._find(kind, column, value)
        if found:
            self.http.json(f"/api/v1/{kind}/{found['id']}", data=body, method="PUT")
            return found["id"]
        return self.http.json(f"/api/v1/{kind}/", data=body, method="POST")["id"]

    def database(self, db: str) -> int:
        found = self._find("database", "database_name", db)
        if found:
            return found["id"]
        body = {"database_name": db, "sqlalchemy_uri": f"postgresql+psycopg2://postgres@127.0.0.1:5432/{db}"}
        body.update(expose_in_sqllab=True, allow_dml=False, allow_run_async=False)
        return self.http.json("/api/v1/database/", data=body, method="POST")["id"]

    def dataset(self, database_id: int, name: str, sql: str) -> int:
        query = urllib.parse.quote(
            json.dumps({"filters": [{"col": "table_name", "opr": "eq", "value": name}], "page_size": 100})
        )
        rows = self.http.json(f"/api/v1/dataset/?q={query}")["result"]
        found = next((r for r in rows if r.get("database", {}).get("id") == database_id), None)
        body = {"database": database_id, "schema": "public", "table_name": name, "sql": sql.strip()}
        if found:
            self.http.json(
                f"/api/v1/dataset/{found['id']}?override_columns=true", data={"sql": sql.strip()}, method="PUT"
            )
            self.http.json(f"/api/v1/dataset/{found['id']}/refresh", method="PUT")
            return found["id"]
        return self.http.json("/api/v1/dataset/", data=body, method="POST")["id"]

    def query_context(self, dataset_id: int, spec: dict, *, force: bool = False) -> dict:
        query = dict(spec["query"])
        filters = query.pop("filters_sql")
        query.update(
            filters=[],
            extras={"where": " AND ".join(f"({f['sqlExpression']})" for f in filters), "having": ""},
            row_limit=10000,
            url_params={},
            custom_params={},
            custom_form_data={},
            annotation_layers=[],
            applied_time_extras={},
            time_offsets=[],
        )
        query.setdefault("post_processing", [])
        form = {"datasource": f"{dataset_id}__table", "viz_type": spec["viz_type"], **spec["form"]}
        form["adhoc_filters"] = filters
        return {
            "datasource": {"id": dataset_id, "type": "table"},
            "force": force,
            "queries": [query],
            "form_data": form,
            "result_format": "json",
            "result_type": "full",
        }

    def chart(self, dataset_id: int, spec: dict) -> int:
        context = self.query_context(dataset_id, spec)
        body = {
            "slice_name": spec["name"],
            "viz_type": spec["viz_type"],
            "datasource_id": dataset_id,
            "datasource_type": "table",
            "params": json.dumps(context["form_data"]),
            "query_context": json.dumps(context),
        }
        return self._upsert("chart", "slice_name", spec["name"], body)

    def dashboard(self, title: str, chart_ids: list[int]) -> int:
        position = {
            "DASHBOARD_VERSION_KEY": "v2",
            "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
            "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": ["ROW-1", "ROW-2"], "parents": ["ROOT_ID"]},
            "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": title}},
        }
        rows = {"ROW-1": chart_ids[:2], "ROW-2": chart_ids[2:]}
        for row, ids in rows.items():
            position[row] = {
                "type": "ROW",
                "id": row,
                "children": [f"CHART-{i}" for i in ids],
                "parents": ["ROOT_ID", "GRID_ID"],
                "meta": {"background": "BACKGROUND_TRANSPARENT"},
            }
            for chart_id in ids:
                position[f"CHART-{chart_id}"] = {
                    "type": "CHART",
                    "id": f"CHART-{chart_id}",
                    "children": [],
                    "parents": ["ROOT_ID", "GRID_ID", row],
                    "meta": {"chartId": chart_id, "width": 6, "height": 50},
                }
        body = {"dashboard_title": title, "published": True, "position_json": json.dumps(position)}
        dashboard_id = self._upsert("dashboard", "dashboard_title", title, body)
        for chart_id in chart_ids:
            self.http.json(f"/api/v1/chart/{chart_id}", data={"dashboards": [dashboard_id]}, method="PUT")
        return dashboard_id

    def chart_context(self, chart_id: int, *, force: bool) -> dict:
        chart = self.http.json(f"/api/v1/chart/{chart_id}")["result"]
        context = json.loads(chart["query_context"])
        context["force"] = force
        return context

    def chart_data(self, context: dict, chart_id: int) -> tuple[int, bytes, int]:
        return self.http.request(f"/api/v1/chart/data?form_data=%7B%22slice_id%22%3A{chart_id}%7D", data=context)


def set_up_superset(superset: Superset, db: str, as_of: datetime.date, cohort: str) -> dict:
    objects = superset_objects(db, as_of, cohort)
    database_id = superset.database(db)
    datasets = {name: superset.dataset(database_id, name, sql) for name, sql in objects["datasets"].items()}
    charts = {key: superset.chart(datasets[spec["dataset"]], spec) for key, spec in objects["charts"].items()}
    dashboard = superset.dashboard(
        objects["dashboard"], [charts["size"], charts["adopters"], charts["share"], charts["timeline"]]
    )
    return {"database": database_id, "datasets": datasets, "charts": charts, "dashboard": dashboard}


def find_superset(superset: Superset, db: str, as_of: datetime.date, cohort: str) -> dict:
    objects = superset_objects(db, as_of, cohort)
    charts = {}
    for key, spec in objects["charts"].items():
        found = superset._find("chart", "slice_name", spec["name"])
        if not found:
            raise SystemExit(f"Superset has no chart {spec['name']!r}: run with --setup")
        charts[key] = found["id"]
    found = superset._find("dashboard", "dashboard_title", objects["dashboard"])
    if not found:
        raise SystemExit(f"Superset has no dashboard {objects['dashboard']!r}: run with --setup")
    return {"charts": charts, "dashboard": found["id"]}


# --------------------------------------------------------------------------- the same numbers?


def _csv_rows(body: bytes) -> list[list[str]]:
    import csv
    import io

    text = body.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    # The export starts with a few lines saying what it covers; the table follows its header.
    return rows


def compare_numbers(product: Http, superset: Superset, ids: dict, query: str, facts: dict) -> bool:
    """Print the product's and Superset's numbers side by side; True when all agree."""
    by_name = {}
    for p in facts["platforms"]:
        by_name[p["en"]] = p["slug"]
        by_name[p["zh"]] = p["slug"]
    ok = True

    def results(chart: str):
        status, body, _ = superset.chart_data(
            superset.chart_context(ids["charts"][chart], force=True), ids["charts"][chart]
        )
        if status != 200:
            raise SystemExit(f"Superset chart {chart}: HTTP {status}: {body[:400]!r}")
        return json.loads(body)["result"][0]["data"]

    size = results("size")[0]["organisations"]
    adopters = {row["platform_slug"]: row["adopters"] for row in results("adopters")}
    share = {row["platform_slug"]: float(row["share"]) for row in results("share")}
    status, body, _ = product.request(f"/charts/adoption-by-platform.csv?{query}")
    rows = [r for r in _csv_rows(body) if r and r[0] in by_name]
    print(f"    {'platform':<14} {'adopters P / S':>16} {'in scope P / S':>18} {'share % P / S':>16}")
    for name, count, scope_size, pct in rows:
        slug = by_name[name]
        same = int(count) == adopters.get(slug, 0) and int(scope_size) == size and float(pct) == share.get(slug, 0.0)
        ok &= same
        print(
            f"    {slug:<14} {count:>7} / {adopters.get(slug, 0):<7} {scope_size:>8} / {size:<8} "
            f"{pct:>7} / {share.get(slug, 0.0):<7}{'' if same else '  MISMATCH'}"
        )
    if len(rows) != len(facts["platforms"]):
        print(f"    MISMATCH: the product's CSV has {len(rows)} platform rows, {len(facts['platforms'])} expected")
        ok = False
    timeline = results("timeline")
    status, body, _ = product.request(f"/charts/adoption-over-time.csv?{query}")
    points = [r for r in _csv_rows(body) if len(r) == 3 and r[0] in by_name]
    names = {p["slug"]: p["en"] for p in facts["platforms"]}
    cumulative = {}
    for row in timeline:
        month = datetime.datetime.fromtimestamp(row["month"] / 1000, tz=datetime.UTC).date().isoformat()
        for slug, name in names.items():
            if row.get(name) is not None:
                cumulative[(slug, month)] = int(row[name])
    wrong = [
        (r, cumulative.get((by_name[r[0]], r[1]))) for r in points if cumulative.get((by_name[r[0]], r[1])) != int(r[2])
    ]
    ok &= not wrong and bool(points)
    last = {}
    for name, month, count in points:
        last[by_name[name]] = (month, count)
    print(
        f"    timeline: {len(points)} points from the product, {len(cumulative)} from Superset; "
        f"{len(points) - len(wrong)} of the product's equal to Superset's running total"
    )
    for slug, (month, count) in sorted(last.items()):
        print(f"      {slug:<14} last change {month}: product {count}, Superset {cumulative.get((slug, month))}")
    for row, theirs in wrong[:5]:
        print(f"      MISMATCH {row} Superset {theirs}")
    return ok


# --------------------------------------------------------------------------- measuring


def timed(cpu: ServerCpu, action) -> dict:
    started_cpu, started = cpu.now(), time.perf_counter()
    received = action()
    wall = (time.perf_counter() - started) * 1000
    return {"wall": wall, "cpu": (cpu.now() - started_cpu) / 1e6, "bytes": received}


def superset_dashboard_load(superset: Superset, dashboard_id: int, chart_ids: list[int], contexts: dict) -> int:
    """The dashboard page, the layout/charts/datasets calls, then the charts' data four at a time."""
    received = 0
    for path in (
        f"/superset/dashboard/{dashboard_id}/",
        f"/api/v1/dashboard/{dashboard_id}",
        f"/api/v1/dashboard/{dashboard_id}/charts",
        f"/api/v1/dashboard/{dashboard_id}/datasets",
    ):
        status, _, size = superset.http.request(path)
        if status != 200:
            raise SystemExit(f"Superset {path}: HTTP {status}")
        received += size
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda i: superset.chart_data(contexts[i], i), chart_ids))
    for status, body, size in answers:
        if status != 200:
            raise SystemExit(f"Superset chart data: HTTP {status}: {body[:300]!r}")
        received += size
    return received


def product_get(product: Http, path: str) -> int:
    status, _, size = product.request(path)
    if status != 200:
        raise SystemExit(f"product {path}: HTTP {status}")
    return size


def measure_filter(args, product, superset, product_cpu, superset_cpu, ids: dict, query: str) -> list[dict]:
    charts = ids["charts"]
    cold_ctx = {i: superset.chart_context(i, force=True) for i in charts.values()}
    warm_ctx = {i: superset.chart_context(i, force=False) for i in charts.values()}
    order = [charts[k] for k in ("size", "adopters", "share", "timeline")]

    def sset_chart(chart: str, ctx: dict):
        def run():
            status, body, size = superset.chart_data(ctx[charts[chart]], charts[chart])
            if status != 200:
                raise SystemExit(f"Superset chart data: HTTP {status}: {body[:300]!r}")
            return size

        return run

    def product_cold(path: str):
        def run():
            bump()
            return product_get(product, path)

        return run

    def product_warm(path: str):
        return lambda: product_get(product, path)

    cases = [
        # (figure, Superset action, product action, kind)
        (
            "adopters by platform, cold",
            sset_chart("adopters", cold_ctx),
            product_cold(f"/charts/adoption-by-platform.csv?{query}"),
            "chart data (CSV)",
        ),
        (
            "adopters by platform, warm",
            sset_chart("adopters", warm_ctx),
            product_warm(f"/charts/adoption-by-platform.csv?{query}"),
            "chart data (CSV)",
        ),
        (
            "adopters by platform, cold",
            sset_chart("adopters", cold_ctx),
            product_cold(f"/charts/adoption-by-platform/?{query}"),
            "chart page (HTML)",
        ),
        (
            "adopters by platform, warm",
            sset_chart("adopters", warm_ctx),
            product_warm(f"/charts/adoption-by-platform/?{query}"),
            "chart page (HTML)",
        ),
        (
            "adoption over time, cold",
            sset_chart("timeline", cold_ctx),
            product_cold(f"/charts/adoption-over-time.csv?{query}"),
            "chart data (CSV)",
        ),
        (
            "adoption over time, warm",
            sset_chart("timeline", warm_ctx),
            product_warm(f"/charts/adoption-over-time.csv?{query}"),
            "chart data (CSV)",
        ),
        (
            "adoption over time, cold",
            sset_chart("timeline", cold_ctx),
            product_cold(f"/charts/adoption-over-time/?{query}"),
            "chart page (HTML)",
        ),
        (
            "adoption over time, warm",
            sset_chart("timeline", warm_ctx),
            product_warm(f"/charts/adoption-over-time/?{query}"),
            "chart page (HTML)",
        ),
        (
            "overview, cold",
            lambda: superset_dashboard_load(superset, ids["dashboard"], order, cold_ctx),
            product_cold(f"/?{query}" if query else "/"),
            "dashboard vs overview",
        ),
        (
            "overview, warm",
            lambda: superset_dashboard_load(superset, ids["dashboard"], order, warm_ctx),
            product_warm(f"/?{query}" if query else "/"),
            "dashboard vs overview",
        ),
    ]
    results = []
    for figure, sset_action, product_action, kind in cases:
        sset_action()  # compile, connect, fill caches
        product_action()
        samples = {"superset": [], "product": []}
        for round_ in range(args.repeat):
            pair = [("superset", superset_cpu, sset_action), ("product", product_cpu, product_action)]
            for side, cpu, action in pair if round_ % 2 == 0 else reversed(pair):
                samples[side].append(timed(cpu, action))
        row = {"figure": figure, "kind": kind, "load": os.getloadavg()}
        for side, values in samples.items():
            for key in ("wall", "cpu", "bytes"):
                row[f"{side}_{key}"] = statistics.median(v[key] for v in values)
        row["wall_ratio"] = row["product_wall"] / row["superset_wall"] if row["superset_wall"] else float("nan")
        row["cpu_ratio"] = row["product_cpu"] / row["superset_cpu"] if row["superset_cpu"] else float("nan")
        results.append(row)
        print(
            f"  {figure:<28} {kind:<22} Superset {row['superset_wall']:7.1f} ms (CPU {row['superset_cpu']:6.1f}) "
            f"product {row['product_wall']:7.1f} ms (CPU {row['product_cpu']:6.1f})  "
            f"wall {row['wall_ratio']:.2f}  CPU {row['cpu_ratio']:.2f}  "
            f"load {row['load'][0]:.1f}",
            flush=True,
        )
    return results


def report(rows: list[dict], label: str) -> str:
    lines = [
        f"| {label} | figure | Superset wall / CPU | product wall / CPU | ratio wall / CPU | KB S / P | load |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['filter']} | {r['figure']} — {r['kind']} | {r['superset_wall']:.0f} / {r['superset_cpu']:.0f} ms "
            f"| {r['product_wall']:.0f} / {r['product_cpu']:.0f} ms | {r['wall_ratio']:.2f} / "
            f"{r['cpu_ratio']:.2f} | {r['superset_bytes'] / 1024:.1f} / {r['product_bytes'] / 1024:.1f} "
            f"| {r['load'][0]:.1f} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--print-config", action="store_true", help="print a superset_config.py and stop")
    parser.add_argument("--superset", default=os.environ.get("SUPERSET_URL", "http://127.0.0.1:8088"))
    parser.add_argument("--superset-user", default=os.environ.get("SUPERSET_USER", "admin"))
    parser.add_argument("--superset-password", default=os.environ.get("SUPERSET_PASSWORD", ""))
    parser.add_argument("--db", default="bench_10pct", help="PostgreSQL database on BENCH_PG, read by both servers")
    parser.add_argument("--label", default="", help="what the database is, for the report (e.g. 10%%)")
    parser.add_argument("--port", type=int, default=8012, help="port for the product's server")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5"))
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--setup", action="store_true", help="create or update Superset's datasets, charts, dashboards")
    parser.add_argument("--filters", default="default,all", help="default (newest list, today), all (all companies)")
    args = parser.parse_args(argv)
    if args.print_config:
        print(SUPERSET_CONFIG)
        return 0
    if not args.superset_password:
        raise SystemExit("give --superset-password (or SUPERSET_PASSWORD)")

    secret = secrets.token_urlsafe(50)
    _setup_django(args.db, args.redis, secret)
    # The cache may hold charts of another database under the same data version
    # (same Redis database, same key prefix): start a version of this run's own.
    bump()
    facts = product_facts()
    as_of = facts["today"]
    superset = Superset(args.superset, args.superset_user, args.superset_password)
    print(
        f"Superset {superset.version or '(version not reported)'} at {args.superset}; product on 127.0.0.1:{args.port}"
    )
    print(f"database {args.db} on {PG_URL}; as of {as_of}; newest list {facts['cohort']}; load {os.getloadavg()}")
    filters = []
    for name in args.filters.split(","):
        if name == "default":
            filters.append(("newest list", facts["cohort"], ""))
        elif name == "all":
            filters.append(("all companies", "", "cohort="))
    ids = {}
    for label, cohort, _ in filters:
        finder = set_up_superset if args.setup else find_superset
        ids[label] = finder(superset, args.db, as_of, cohort)
        print(f"  Superset objects for {label}: {ids[label]}")

    server = start_product(args.db, args.port, args.redis, secret)
    try:
        product = Http(f"http://127.0.0.1:{args.port}")
        viewer_cookie(product)
        product_cpu = ServerCpu(args.port)
        superset_cpu = ServerCpu(urllib.parse.urlsplit(args.superset).port or 80)
        agree = True
        for label, _cohort, query in filters:
            print(f"\nSame numbers? {label} (P = product, S = Superset):")
            agree &= compare_numbers(product, superset, ids[label], query, facts)
        if not agree:
            print("\nThe numbers differ: nothing measured.")
            return 1
        rows = []
        for label, _cohort, query in filters:
            print(f"\n{label}: median of {args.repeat}, alternating (ms; CPU = server processes)")
            for row in measure_filter(args, product, superset, product_cpu, superset_cpu, ids[label], query):
                rows.append({**row, "filter": label})
    finally:
        stop_product(server)
    table = report(rows, args.label or args.db)
    print("\n" + table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"superset_{args.db}.json"
    out.write_text(
        json.dumps(
            {
                "db": args.db,
                "as_of": as_of.isoformat(),
                "superset": superset.version,
                "repeat": args.repeat,
                "rows": rows,
            },
            indent=1,
        )
    )
    print(f"\nWritten: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
