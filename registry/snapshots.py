# ruff: noqa: S608 - the SQL here is built from constant table and trigger names only
"""Each account's latest snapshot (``AccountLatest``), kept by database
triggers on the snapshot table, so every way a snapshot is written (admin,
imports, ``bulk_create``, raw SQL, a history revert) keeps it right.

A trigger recomputes the account's row from its snapshots (two probes of the
``(account, date)`` index) after each insert, update or delete; an account
without snapshots has no row. ``rebuild_latest()`` recomputes every row, for
loads that bypass triggers (PostgreSQL ``COPY`` with
``session_replication_role = replica``, as the benchmark builder does).
"""

from django.db import connection as default_connection

METRIC = "registry_accountmetric"
LATEST = "registry_accountlatest"
TRIGGER = "registry_accountmetric_latest"

# PostgreSQL: one function recomputes an account's row; the trigger calls it
# for the old and the new account of the changed snapshot.
POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}_refresh(acc bigint) RETURNS void AS $$
DECLARE
    last_on date;
BEGIN
    SELECT max(date) INTO last_on FROM {METRIC} WHERE account_id = acc;
    IF last_on IS NULL THEN
        DELETE FROM {LATEST} WHERE account_id = acc;
        RETURN;
    END IF;
    INSERT INTO {LATEST} (account_id, snapshot_on, followers_on, followers)
    SELECT acc, last_on, f.date, f.followers
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (
        SELECT date, followers FROM {METRIC}
        WHERE account_id = acc AND followers IS NOT NULL
        ORDER BY date DESC LIMIT 1
    ) AS f ON true
    ON CONFLICT (account_id) DO UPDATE
        SET snapshot_on = EXCLUDED.snapshot_on, followers_on = EXCLUDED.followers_on, followers = EXCLUDED.followers;
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


def _sqlite_refresh(ref: str) -> str:
    """SQLite has no functions: the recomputation is written out per trigger.
    ``ref`` is NEW or OLD."""
    latest_followers = (
        f"FROM {METRIC} m WHERE m.account_id = {ref}.account_id AND m.followers IS NOT NULL "
        "ORDER BY m.date DESC LIMIT 1"
    )
    return f"""
    DELETE FROM {LATEST} WHERE account_id = {ref}.account_id;
    INSERT INTO {LATEST} (account_id, snapshot_on, followers_on, followers)
    SELECT {ref}.account_id, max(m.date),
           (SELECT m.date {latest_followers}),
           (SELECT m.followers {latest_followers})
    FROM {METRIC} m WHERE m.account_id = {ref}.account_id
    HAVING count(*) > 0;"""


SQLITE_CREATE = [
    f"CREATE TRIGGER {TRIGGER}_insert AFTER INSERT ON {METRIC} BEGIN {_sqlite_refresh('NEW')} END",
    f"CREATE TRIGGER {TRIGGER}_delete AFTER DELETE ON {METRIC} BEGIN {_sqlite_refresh('OLD')} END",
    f"CREATE TRIGGER {TRIGGER}_update AFTER UPDATE ON {METRIC} "
    f"BEGIN {_sqlite_refresh('OLD')} {_sqlite_refresh('NEW')} END",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {TRIGGER}_{event}" for event in ("insert", "delete", "update")]

_LAST = f"(SELECT account_id, max(date) AS snapshot_on FROM {METRIC} GROUP BY account_id)"
REBUILD = {
    "postgresql": f"""
        INSERT INTO {LATEST} (account_id, snapshot_on, followers_on, followers)
        SELECT last.account_id, last.snapshot_on, f.date, f.followers
        FROM {_LAST} AS last
        LEFT JOIN LATERAL (
            SELECT date, followers FROM {METRIC}
            WHERE account_id = last.account_id AND followers IS NOT NULL ORDER BY date DESC LIMIT 1
        ) AS f ON true
    """,
    "sqlite": f"""
        INSERT INTO {LATEST} (account_id, snapshot_on, followers_on, followers)
        SELECT last.account_id, last.snapshot_on,
               (SELECT m.date FROM {METRIC} m WHERE m.account_id = last.account_id AND m.followers IS NOT NULL
                ORDER BY m.date DESC LIMIT 1),
               (SELECT m.followers FROM {METRIC} m WHERE m.account_id = last.account_id AND m.followers IS NOT NULL
                ORDER BY m.date DESC LIMIT 1)
        FROM {_LAST} AS last
    """,
}


def create_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
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


def rebuild_latest(connection=None) -> int:
    """Recompute every account's latest snapshot; returns how many accounts have one."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LATEST}")  # noqa: S608 - constant table names
        cursor.execute(REBUILD[connection.vendor])
        cursor.execute(f"SELECT count(*) FROM {LATEST}")  # noqa: S608 - constant table names
        return cursor.fetchone()[0]
