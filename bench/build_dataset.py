"""Build a synthetic national-scale registry on PostgreSQL for benchmarking.

    .venv/bin/python bench/build_dataset.py --db bench --scale 1

creates (drops first) the database, runs ``manage.py migrate`` on it, then
streams generated rows into every table the dashboard reads with COPY
(psycopg 3 ``cursor.copy()``), in bounded memory, and ANALYZEs. At scale 1:

    10,000 organisations, ten yearly Top 500 lists (2016-2025), 20 platforms,
    50,000 accounts, 5,000,000 follower/metric snapshots,
    plus people, positions, sources, statements, activities, published figures.

``--scale 0.1`` and ``--scale 0.01`` build the 10% and 1% registries (list
sizes are capped by the number of organisations). Every count can also be set
on its own (``--orgs``, ``--accounts``, ``--metrics``, ...). Data is
deterministic for a given ``--seed``.

The database is marked complete with a comment; ``--reuse`` skips the build
when a complete database with the same parameters already exists.
"""

import argparse
import datetime
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PROTECTED = {"postgres", "template0", "template1", "test"}
CHUNK_ROWS = 20_000
TODAY = datetime.date(2026, 11, 1)
STAMP = "2026-11-01 00:00:00+00"

PLATFORMS = [
    # slug, English, Chinese, kind, launched, main
    ("wechat", "WeChat", "微信公众号", "official_account", 2012, True),
    ("weibo", "Weibo", "微博", "microblog", 2009, True),
    ("douyin", "Douyin", "抖音", "short_video", 2016, True),
    ("kuaishou", "Kuaishou", "快手", "short_video", 2013, True),
    ("wechat-channels", "WeChat Channels", "视频号", "short_video", 2020, True),
    ("toutiao", "Toutiao", "今日头条", "news_feed", 2012, True),
    ("bilibili", "Bilibili", "哔哩哔哩", "long_video", 2009, True),
    ("xiaohongshu", "Xiaohongshu", "小红书", "lifestyle", 2013, True),
    ("zhihu", "Zhihu", "知乎", "qa", 2011, False),
    ("baijiahao", "Baijiahao", "百家号", "news_feed", 2016, False),
    ("netease-news", "NetEase News", "网易号", "news_feed", 2014, False),
    ("sohu-news", "Sohu News", "搜狐号", "news_feed", 2014, False),
    ("qq-news", "Tencent News", "企鹅号", "news_feed", 2016, False),
    ("xigua", "Xigua Video", "西瓜视频", "long_video", 2016, False),
    ("iqiyi", "iQiyi", "爱奇艺号", "long_video", 2015, False),
    ("douban", "Douban", "豆瓣", "social_network", 2012, False),
    ("linkedin", "LinkedIn", "领英", "social_network", 2014, False),
    ("x-twitter", "X (Twitter)", "推特", "microblog", 2012, False),
    ("facebook", "Facebook", "脸书", "social_network", 2012, False),
    ("youtube", "YouTube", "油管", "long_video", 2012, False),
]
OWNERSHIP = (
    ["central_soe"] * 2
    + ["local_soe"] * 25
    + ["private"] * 60
    + ["foreign"] * 5
    + ["public_institution"] * 4
    + ["other"] * 4
)
TOP_OWNERSHIP = ["central_soe"] * 20 + ["local_soe"] * 35 + ["private"] * 40 + ["foreign"] * 5
SECTORS = [
    "energy",
    "petrochemicals",
    "power",
    "metals",
    "telecoms",
    "internet",
    "finance",
    "insurance",
    "construction",
    "real_estate",
    "manufacturing",
    "automotive",
    "transport",
    "retail",
    "food",
    "pharma",
    "tourism",
    "media",
    "defence",
    "education",
    "other",
]


# --------------------------------------------------------------------------- sizes


def sizes(args) -> dict[str, int]:
    s = args.scale

    def pick(value, full):
        return value if value is not None else max(1, round(full * s))

    orgs = pick(args.orgs, 10_000)
    out = {
        "orgs": orgs,
        "lists": args.lists,
        "list_size": min(500, orgs),
        "platforms": min(args.platforms, len(PLATFORMS)),
        "accounts": pick(args.accounts, 50_000),
        "metrics": pick(args.metrics, 5_000_000),
        "people": pick(args.people, 5_000),
        "sources": pick(args.sources, 5_000),
        "statements": pick(args.statements, 20_000),
        "activities": pick(args.activities, 5_000),
        "figures": 50,
    }
    return out


# --------------------------------------------------------------------------- COPY


def _text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


class Loader:
    """COPY rows into a model's table. Columns the generator does not give are
    filled with the model field's default, so a new field with a default does
    not break the bench."""

    def __init__(self, conn):
        self.conn = conn
        self.counts: dict[str, int] = {}

    def copy(self, model, columns: list[str], rows, *, total: int | None = None, label: str | None = None):
        table = model._meta.db_table if hasattr(model, "_meta") else model
        extra_cols, extra_vals = [], []
        if hasattr(model, "_meta"):
            for field in model._meta.concrete_fields:
                if field.column in columns:
                    continue
                if field.primary_key:
                    continue
                if field.null:
                    continue
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    extra_cols.append(field.column)
                    extra_vals.append(STAMP)
                    continue
                if not field.has_default() and not isinstance(field.get_default(), str | bool | int):
                    raise SystemExit(f"{table}.{field.column} needs a value: the bench generator must be extended")
                extra_cols.append(field.column)
                extra_vals.append(_text(field.get_db_prep_value(field.get_default(), self.conn_wrapper)))
        suffix = ("\t" + "\t".join(extra_vals)) if extra_cols else ""
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in [*columns, *extra_cols])
        )
        written = 0
        with (
            self.conn.cursor() as cursor,
            cursor.copy(statement) as copy,
            tqdm(total=total, desc=label or table, unit=" rows", unit_scale=True, leave=True, mininterval=1) as bar,
        ):
            buffer = io.StringIO()
            pending = 0
            for row in rows:
                buffer.write("\t".join(map(_text, row)))
                buffer.write(suffix)
                buffer.write("\n")
                pending += 1
                if pending == CHUNK_ROWS:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
                    written += pending
                    bar.update(pending)
                    pending = 0
            if pending:
                copy.write(buffer.getvalue())
                written += pending
                bar.update(pending)
        self.counts[table] = written
        return written

    @property
    def conn_wrapper(self):
        from django.db import connection

        return connection


# --------------------------------------------------------------------------- generators


def _date_between(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(max(1, (end - start).days)))


def build(conn, n: dict[str, int], seed: int) -> dict:
    from registry import models as m
    from registry.geo import PROVINCES
    from registry.models import normalise_name, quote_key

    rng = random.Random(seed)
    load = Loader(conn)
    orgs, top_pool = n["orgs"], min(n["orgs"], 1_500)

    # Organisations: the first ``top_pool`` are the large companies the Top 500 lists draw from.
    org_ownership = [rng.choice(TOP_OWNERSHIP if i < top_pool else OWNERSHIP) for i in range(orgs)]

    def organisations():
        for i in range(orgs):
            oid = i + 1
            name = f"Synthetic Enterprise {oid:05d} Group"
            yield (
                oid,
                STAMP,
                STAMP,
                name,
                f"合成企业{oid:05d}集团",
                f"SE{oid:05d}",
                "",
                normalise_name(name),
                "company" if i < top_pool or i % 10 else "government",
                org_ownership[i],
                SECTORS[i % len(SECTORS)],
                PROVINCES[(i * 7) % len(PROVINCES)],
                "",
                "",
                None,
                None,
                "",
                False,
            )

    load.copy(
        m.Organisation,
        [
            "id",
            "created_at",
            "updated_at",
            "name_en",
            "name_zh",
            "short_name",
            "aliases",
            "name_key",
            "kind",
            "ownership",
            "sector",
            "province",
            "city",
            "website",
            "parent_id",
            "credit_code",
            "description",
            "is_demo",
        ],
        organisations(),
        total=orgs,
        label="organisations",
    )

    def sources():
        for i in range(n["sources"]):
            sid = i + 1
            yield (
                sid,
                STAMP,
                STAMP,
                f"Synthetic report {sid}",
                f"https://example.org/bench/{sid}",
                "Bench Daily",
                _date_between(rng, datetime.date(2014, 1, 1), TODAY),
                "day",
                "en",
                "news",
                "",
                "",
            )

    load.copy(
        m.Source,
        [
            "id",
            "created_at",
            "updated_at",
            "title",
            "url",
            "publisher",
            "published_on",
            "published_precision",
            "language",
            "kind",
            "full_text",
            "notes",
        ],
        sources(),
        total=n["sources"],
        label="sources",
    )

    years = list(range(2025 - n["lists"] + 1, 2026))
    load.copy(
        m.Cohort,
        [
            "id",
            "created_at",
            "updated_at",
            "name",
            "slug",
            "publisher",
            "year",
            "nominal_size",
            "description",
            "source_id",
            "is_demo",
        ],
        (
            (
                k + 1,
                STAMP,
                STAMP,
                f"China Top 500 Enterprises {y}",
                f"china-top-500-{y}",
                "CEC/CEA",
                y,
                500,
                "",
                1,
                False,
            )
            for k, y in enumerate(years)
        ),
        total=len(years),
        label="cohorts",
    )

    def memberships():
        mid = 0
        pool = list(range(1, top_pool + 1))
        for k, _year in enumerate(years):
            members = rng.sample(pool, n["list_size"])
            for rank, oid in enumerate(members, start=1):
                mid += 1
                yield (mid, STAMP, STAMP, k + 1, oid, rank, f"{(600 - rank) * 1000 + rng.randrange(999)}.00", False)

    load.copy(
        m.CohortMembership,
        ["id", "created_at", "updated_at", "cohort_id", "organisation_id", "rank", "revenue_rmb_m", "is_demo"],
        memberships(),
        total=len(years) * n["list_size"],
        label="memberships",
    )

    platforms = PLATFORMS[: n["platforms"]]
    load.copy(
        m.Platform,
        [
            "id",
            "created_at",
            "updated_at",
            "name_en",
            "name_zh",
            "slug",
            "region",
            "kind",
            "operator_id",
            "launched_year",
            "display_order",
            "is_main",
        ],
        (
            (
                k + 1,
                STAMP,
                STAMP,
                name,
                zh,
                slug,
                "overseas" if slug in {"linkedin", "x-twitter", "facebook", "youtube"} else "domestic",
                kind,
                None,
                year,
                (k + 1) * 10,
                main,
            )
            for k, (slug, name, zh, kind, year, main) in enumerate(platforms)
        ),
        total=len(platforms),
        label="platforms",
    )

    # Accounts: large companies hold most of them, mostly on the main platforms.
    weights = [8 if i < top_pool else 1 for i in range(orgs)]
    main_ids = [k + 1 for k, p in enumerate(platforms) if p[5]] or [1]
    other_ids = [k + 1 for k, p in enumerate(platforms) if not p[5]] or main_ids
    account_orgs = rng.choices(range(1, orgs + 1), weights=weights, k=n["accounts"])
    launched = {k + 1: p[4] for k, p in enumerate(platforms)}

    def accounts():
        for i, oid in enumerate(account_orgs):
            aid = i + 1
            pid = rng.choice(main_ids) if rng.random() < 0.75 else rng.choice(other_ids)
            opened = _date_between(rng, datetime.date(max(2011, launched[pid]), 1, 1), TODAY)
            closed = _date_between(rng, opened, TODAY) if rng.random() < 0.08 else None
            yield (
                aid,
                STAMP,
                STAMP,
                oid,
                pid,
                f"Enterprise {oid:05d} on platform {pid}",
                f"bench{aid}",
                "",
                "",
                aid % 3 == 0,
                opened,
                "day",
                closed,
                "closed" if closed else "active",
                None,
                False,
            )

    load.copy(
        m.Account,
        [
            "id",
            "created_at",
            "updated_at",
            "organisation_id",
            "platform_id",
            "display_name",
            "handle",
            "account_id",
            "url",
            "verified",
            "opened_on",
            "opened_precision",
            "closed_on",
            "status",
            "source_id",
            "is_demo",
        ],
        accounts(),
        total=n["accounts"],
        label="accounts",
    )

    # Metric snapshots: weekly, the latest on TODAY, spread evenly over accounts.
    per_account, remainder = divmod(n["metrics"], n["accounts"])
    week = datetime.timedelta(days=7)
    dates = [(TODAY - week * k).isoformat() for k in range(per_account + 1)]

    def metrics():
        mid = 0
        for aid in range(1, n["accounts"] + 1):
            count = per_account + (1 if aid <= remainder else 0)
            base = (aid * 2_654_435_761) % 2_000_000 + 100
            growth = 1 + aid % 997
            for k in range(count):
                mid += 1
                followers = base + growth * (count - k)
                yield (
                    mid,
                    aid,
                    dates[k],
                    followers,
                    (aid + k) % 9,
                    followers // 40 + k,
                    None,
                    None,
                    followers // 400,
                    None,
                    followers // 900,
                    followers // 2000,
                    None,
                )

    load.copy(
        m.AccountMetric,
        [
            "id",
            "account_id",
            "date",
            "followers",
            "posts",
            "reads",
            "headline_reads",
            "max_reads",
            "likes",
            "wows",
            "shares",
            "comments",
            "source_id",
        ],
        metrics(),
        total=n["metrics"],
        label="metric snapshots",
    )

    def people():
        for i in range(n["people"]):
            yield (i + 1, STAMP, STAMP, f"Spokesperson {i + 1:05d}", f"发言人{i + 1:05d}", "", "", False)

    load.copy(
        m.Person,
        ["id", "created_at", "updated_at", "name_en", "name_zh", "aliases", "description", "is_demo"],
        people(),
        total=n["people"],
        label="people",
    )

    def positions():
        for i in range(n["people"]):
            yield (
                i + 1,
                STAMP,
                STAMP,
                i + 1,
                1 + (i * 3) % orgs,
                "Head of communications",
                _date_between(rng, datetime.date(2012, 1, 1), TODAY),
                None,
                1 + i % n["sources"],
            )

    load.copy(
        m.Position,
        [
            "id",
            "created_at",
            "updated_at",
            "person_id",
            "organisation_id",
            "title",
            "start_date",
            "end_date",
            "source_id",
        ],
        positions(),
        total=n["people"],
        label="positions",
    )

    def statements():
        for i in range(n["statements"]):
            person = 1 + i % n["people"]
            org = 1 + ((person - 1) * 3) % orgs
            quote = (
                f"Statement {i + 1}: we will tell our company's story well on every new-media platform "
                f"and answer the public's questions directly."
            )
            yield (
                i + 1,
                STAMP,
                STAMP,
                quote,
                quote_key(quote),
                "quote" if i % 4 else "paraphrase",
                person,
                org,
                "Spokesperson",
                _date_between(rng, datetime.date(2014, 1, 1), TODAY),
                "day",
                1 + i % n["sources"],
                i % 5 == 0,
            )

    load.copy(
        m.Statement,
        [
            "id",
            "created_at",
            "updated_at",
            "quote",
            "quote_key",
            "kind",
            "speaker_id",
            "organisation_id",
            "role",
            "stated_on",
            "stated_precision",
            "source_id",
            "mentions_livestreaming",
        ],
        statements(),
        total=n["statements"],
        label="statements",
    )

    through = m.Statement.platforms.through
    load.copy(
        through,
        ["id", "statement_id", "platform_id"],
        ((i + 1, i + 1, main_ids[i % len(main_ids)]) for i in range(n["statements"])),
        total=n["statements"],
        label="statement platforms",
    )

    def activities():
        for i in range(n["activities"]):
            person = 1 + i % n["people"]
            yield (
                i + 1,
                STAMP,
                STAMP,
                "livestreaming" if i % 2 else "short_video",
                person,
                1 + ((person - 1) * 3) % orgs,
                1 + i % 40,
                "exactly",
                _date_between(rng, datetime.date(2018, 1, 1), TODAY),
                None,
                "",
                "",
                f"Activity {i + 1}: livestreams on the company's accounts",
                1 + i % n["sources"],
            )

    load.copy(
        m.Activity,
        [
            "id",
            "created_at",
            "updated_at",
            "kind",
            "person_id",
            "organisation_id",
            "count",
            "count_qualifier",
            "start_date",
            "end_date",
            "period_text",
            "place",
            "description",
            "source_id",
        ],
        activities(),
        total=n["activities"],
        label="activities",
    )

    def figures():
        for i in range(n["figures"]):
            yield (
                i + 1,
                STAMP,
                STAMP,
                f"More than {300 + i} of the top 500 are on this platform.",
                1 + i % len(years),
                main_ids[i % len(main_ids)],
                "more_than",
                300 + i,
                datetime.date(2016 + i % len(years), 6, 1),
                "day",
                None,
                1 + i % n["sources"],
            )

    load.copy(
        m.PublishedFigure,
        [
            "id",
            "created_at",
            "updated_at",
            "claim",
            "cohort_id",
            "platform_id",
            "comparator",
            "value",
            "as_of",
            "as_of_precision",
            "attributed_to_id",
            "source_id",
        ],
        figures(),
        total=n["figures"],
        label="published figures",
    )
    return load.counts


# --------------------------------------------------------------------------- database


def _admin_conn():
    return psycopg.connect(f"{PG_URL}/postgres", autocommit=True)


def _fingerprint(n: dict, seed: int) -> str:
    head = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%H", "--", "registry/migrations"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return hashlib.sha256(json.dumps([n, seed, head], sort_keys=True).encode()).hexdigest()[:16]


def existing_fingerprint(db: str) -> str | None:
    with _admin_conn() as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [db]
        ).fetchone()
    if not row or not row[0] or not row[0].startswith("newmedia-bench complete "):
        return None
    return row[0].split()[-1]


def recreate(db: str) -> None:
    with _admin_conn() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))


def migrate(db: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"{PG_URL}/{db}", "DEBUG": "true", "LOG_LEVEL": "WARNING"}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="bench")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the national dataset (default 1)")
    parser.add_argument("--orgs", type=int)
    parser.add_argument("--accounts", type=int)
    parser.add_argument("--metrics", type=int)
    parser.add_argument("--people", type=int)
    parser.add_argument("--sources", type=int)
    parser.add_argument("--statements", type=int)
    parser.add_argument("--activities", type=int)
    parser.add_argument("--lists", type=int, default=10, help="yearly Top 500 lists")
    parser.add_argument("--platforms", type=int, default=20)
    parser.add_argument("--seed", type=int, default=500)
    parser.add_argument("--reuse", action="store_true", help="keep a complete database built with the same sizes")
    args = parser.parse_args(argv)
    if args.db in PROTECTED or args.db.startswith("test_"):
        parser.error(f"refusing to use the database {args.db!r}; pick a name of the bench's own")

    n = sizes(args)
    fingerprint = _fingerprint(n, args.seed)
    if args.reuse and existing_fingerprint(args.db) == fingerprint:
        print(f"{args.db}: complete database with the same sizes exists; reusing it ({fingerprint})")
        return 0

    started = time.perf_counter()
    print(f"{args.db}: building " + ", ".join(f"{k}={v:,}" for k, v in n.items()))
    recreate(args.db)
    migrate(args.db)
    migrated = time.perf_counter()

    os.environ["DATABASE_URL"] = f"{PG_URL}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()

    with psycopg.connect(f"{PG_URL}/{args.db}") as conn:
        # Generated rows are consistent by construction: skip per-row FK triggers
        # (they would queue millions of deferred checks); needs a superuser.
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET maintenance_work_mem = '256MB'")
        counts = build(conn, n, args.seed)
        conn.execute("SET session_replication_role = DEFAULT")
        for table in counts:
            conn.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence({t}, 'id'), GREATEST((SELECT MAX(id) FROM {i}), 1))"
                ).format(t=sql.Literal(table), i=sql.Identifier(table))
            )
        conn.commit()
    # COPY under session_replication_role = replica fired no triggers: fill each
    # account's latest snapshot and its 30-day sums (kept by triggers from now on)
    # in one pass.
    from registry.snapshots import rebuild_latest

    print(f"{args.db}: latest snapshot of {rebuild_latest():,} accounts")
    loaded = time.perf_counter()
    with psycopg.connect(f"{PG_URL}/{args.db}", autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(args.db), sql.Literal(f"newmedia-bench complete {fingerprint}")
            )
        )
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    done = time.perf_counter()
    print(
        f"{args.db}: migrate {migrated - started:.1f} s, COPY {loaded - migrated:.1f} s, "
        f"VACUUM ANALYZE {done - loaded:.1f} s, total {done - started:.1f} s, size {size}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
