# ruff: noqa: S608 - the SQL here is built from constant table, column and trigger names only
"""Each account's latest snapshot (``AccountLatest``), kept by database
triggers on the snapshot table, so every way a snapshot is written (admin,
imports, ``bulk_create``, raw SQL, a history revert) keeps it right.

A trigger recomputes the account's row from its snapshots after each insert,
update or delete: the latest snapshot date, the latest follower count, and the
sums of the snapshots of the ``RECENT_DAYS`` days up to and including the
latest snapshot (what an influence index over those days reads, so the
ranking reads one row per account instead of its snapshots). That is two
probes and one short range scan of the ``(account, date)`` index. An account
without snapshots has no row. ``rebuild_latest()`` recomputes every row, for
loads that bypass triggers (PostgreSQL ``COPY`` with
``session_replication_role = replica``, as the benchmark builder does).

Migration 0006 created the first version (without the recent sums); the
functions take ``recent=False`` to build that version.
"""

from django.db import connection as default_connection

METRIC = "registry_accountmetric"
LATEST = "registry_accountlatest"
TRIGGER = "registry_accountmetric_latest"

# The period the maintained sums cover: the latest snapshot's day and the 29 before it.
RECENT_DAYS = 30

# (column of AccountLatest, aggregate over the snapshots ``m`` of the period), as
# ``registry.indices`` sums them: counts and sums are 0 without snapshots, the
# headline and peak reads NULL when no snapshot gave them.
RECENT_COLUMNS = (
    ("recent_snapshots", "count(m.id)"),
    ("recent_posts", "COALESCE(sum(m.posts), 0)"),
    ("recent_reads", "COALESCE(sum(m.reads), 0)"),
    ("recent_likes", "COALESCE(sum(m.likes), 0)"),
    ("recent_wows", "COALESCE(sum(m.wows), 0)"),
    ("recent_shares", "COALESCE(sum(m.shares), 0)"),
    ("recent_comments", "COALESCE(sum(m.comments), 0)"),
    ("recent_headline_reads", "sum(m.headline_reads)"),
    ("recent_max_reads", "max(m.max_reads)"),
)


def _period_start(vendor: str, last: str) -> str:
    """SQL for the first day of the recent period ending on the date ``last``."""
    if vendor == "postgresql":
        return f"({last} - {RECENT_DAYS - 1})"
    return f"date({last}, '-{RECENT_DAYS - 1} days')"


def _columns(recent: bool) -> str:
    names = ["account_id", "snapshot_on", "followers_on", "followers"]
    if recent:
        names += [name for name, _sum in RECENT_COLUMNS]
    return ", ".join(names)


def _row_parts(vendor: str, account: str, recent: bool) -> tuple[str, str, str]:
    """The pieces both row queries share, for the account ``account`` (an SQL
    expression): the latest follower probe's FROM clause, the recent sums'
    select list and the join of the recent period's snapshots."""
    latest_followers = (
        f"FROM {METRIC} f WHERE f.account_id = {account} AND f.followers IS NOT NULL ORDER BY f.date DESC LIMIT 1"
    )
    sums = "".join(f", {aggregate}" for _name, aggregate in RECENT_COLUMNS) if recent else ""
    window = (
        f"LEFT JOIN {METRIC} m ON m.account_id = {account} "
        f"AND m.date BETWEEN {_period_start(vendor, 'last.snapshot_on')} AND last.snapshot_on"
        if recent
        else ""
    )
    return latest_followers, sums, window


def _row_select(vendor: str, account: str, recent: bool) -> str:
    """SELECT of the ``AccountLatest`` row of the account ``account`` (an SQL
    expression), no row when the account has no snapshot: its latest date, the
    latest follower count and its date, and the recent period's sums."""
    latest_followers, sums, window = _row_parts(vendor, account, recent)
    return f"""
        SELECT {account}, last.snapshot_on,
               (SELECT f.date {latest_followers}), (SELECT f.followers {latest_followers}){sums}
        FROM (SELECT max(date) AS snapshot_on FROM {METRIC} WHERE account_id = {account}) AS last
        {window}
        WHERE last.snapshot_on IS NOT NULL
        GROUP BY last.snapshot_on"""


def _postgres_create(recent: bool) -> str:
    # One function recomputes an account's row; the trigger calls it for the old
    # and the new account of the changed snapshot.
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in _columns(recent).split(", ") if name != "account_id")
    return f"""
CREATE OR REPLACE FUNCTION {TRIGGER}_refresh(acc bigint) RETURNS void AS $$
BEGIN
    INSERT INTO {LATEST} ({_columns(recent)}) {_row_select("postgresql", "acc", recent)}
    ON CONFLICT (account_id) DO UPDATE SET {updates};
    IF NOT FOUND THEN
        DELETE FROM {LATEST} WHERE account_id = acc;
    END IF;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM {TRIGGER}_refresh(OLD.account_id);
    END IF;
    IF TG_OP = 'INSERT' OR NEW.account_id <> OLD.account_id THEN
        PERFORM {TRIGGER}_refresh(NEW.account_id);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS {TRIGGER} ON {METRIC};
CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {METRIC}
    FOR EACH ROW EXECUTE FUNCTION {TRIGGER}();
"""


POSTGRES_DROP = f"""
DROP TRIGGER IF EXISTS {TRIGGER} ON {METRIC};
DROP FUNCTION IF EXISTS {TRIGGER}();
DROP FUNCTION IF EXISTS {TRIGGER}_refresh(bigint);
"""


def _sqlite_refresh(ref: str, recent: bool) -> str:
    """SQLite has no functions: the recomputation is written out per trigger.
    ``ref`` is NEW or OLD."""
    return f"""
    DELETE FROM {LATEST} WHERE account_id = {ref}.account_id;
    INSERT INTO {LATEST} ({_columns(recent)}) {_row_select("sqlite", f"{ref}.account_id", recent)};"""


def _sqlite_create(recent: bool) -> list[str]:
    return [
        f"CREATE TRIGGER {TRIGGER}_insert AFTER INSERT ON {METRIC} BEGIN {_sqlite_refresh('NEW', recent)} END",
        f"CREATE TRIGGER {TRIGGER}_delete AFTER DELETE ON {METRIC} BEGIN {_sqlite_refresh('OLD', recent)} END",
        f"CREATE TRIGGER {TRIGGER}_update AFTER UPDATE ON {METRIC} "
        f"BEGIN {_sqlite_refresh('OLD', recent)} {_sqlite_refresh('NEW', recent)} END",
    ]


SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {TRIGGER}_{event}" for event in ("insert", "delete", "update")]


def _rebuild_sql(vendor: str, recent: bool) -> str:
    """Every account's row in one statement: the latest date per account, the
    follower probes, and the recent period's snapshots joined and summed."""
    latest_followers, sums, window = _row_parts(vendor, "last.account_id", recent)
    return f"""
        INSERT INTO {LATEST} ({_columns(recent)})
        SELECT last.account_id, last.snapshot_on,
               (SELECT f.date {latest_followers}), (SELECT f.followers {latest_followers}){sums}
        FROM (SELECT account_id, max(date) AS snapshot_on FROM {METRIC} GROUP BY account_id) AS last
        {window}
        GROUP BY last.account_id, last.snapshot_on
    """


def create_triggers(schema_editor, *, recent: bool = True) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_postgres_create(recent))
    elif vendor == "sqlite":
        for statement in SQLITE_DROP + _sqlite_create(recent):
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"no latest-snapshot triggers for {vendor}")


def drop_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


def rebuild_latest(connection=None, *, recent: bool = True) -> int:
    """Recompute every account's latest snapshot; returns how many accounts have one."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LATEST}")
        cursor.execute(_rebuild_sql(connection.vendor, recent))
        cursor.execute(f"SELECT count(*) FROM {LATEST}")
        return cursor.fetchone()[0]
