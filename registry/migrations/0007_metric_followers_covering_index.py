"""On PostgreSQL, a partial covering index for "an account's latest follower
count on or before a date": (account, date) of the snapshots that have a
follower count, carrying the count. Reading a past date's counts is then one
index-only probe per account (about 3 µs instead of 18 µs at national scale,
docs/PERFORMANCE.md). About 190 MB for 5 million snapshots.

Raw SQL on PostgreSQL only (SQLite cannot include non-key columns); the model
state is unchanged."""

from django.db import migrations

INDEX = "metric_followers_covering_idx"
CREATE = (
    f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "registry_accountmetric" ("account_id", "date") '
    'INCLUDE ("followers") WHERE "followers" IS NOT NULL'
)
DROP = f'DROP INDEX IF EXISTS "{INDEX}"'


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_account_latest_snapshot"),
    ]

    operations = [
        migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP)),
    ]
