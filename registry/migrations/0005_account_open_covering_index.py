"""On PostgreSQL, the (organisation, platform) index on accounts also carries
opened_on and closed_on, so "which of these organisations have an account open
on platform P on date D" is an index-only scan. Measured on the national-scale
benchmark (docs/PERFORMANCE.md): adopters per platform for a Top 500 list read
~10,800 heap buffers without it and none with it.

The model declares the plain index (SQLite cannot include non-key columns and
would warn); this migration rebuilds it with INCLUDE on PostgreSQL only, under
the same name, so the migration state is unchanged."""

from django.db import migrations

INDEX = "account_org_platform_idx"
PLAIN = f'CREATE INDEX "{INDEX}" ON "registry_account" ("organisation_id", "platform_id")'
COVERING = PLAIN + ' INCLUDE ("opened_on", "closed_on")'


def _rebuild(create_sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')
        schema_editor.execute(create_sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_search_indexes"),
    ]

    operations = [
        migrations.RunPython(_rebuild(COVERING), _rebuild(PLAIN)),
    ]
