"""Each account's maintained latest-snapshot row also carries the sums of its
snapshots over the 30 days up to its latest one (registry/snapshots.py), so an
influence index over those days reads one row per account instead of its
snapshots (docs/PERFORMANCE.md). The triggers are replaced by the version that
keeps the sums, and every row is recomputed from the snapshots stored."""

from django.db import migrations, models


PLATFORM_INDEX = "account_platform_opened_idx"
PLATFORM_PLAIN = f'CREATE INDEX "{PLATFORM_INDEX}" ON "registry_account" ("platform_id", "opened_on")'
PLATFORM_COVERING = PLATFORM_PLAIN + ' INCLUDE ("organisation_id", "closed_on")'


def _platform_index(create_sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f'DROP INDEX IF EXISTS "{PLATFORM_INDEX}"')
        schema_editor.execute(create_sql)

    return run


def drop_triggers(apps, schema_editor):
    # First: SQLite rebuilds the table to add the columns, which the old triggers would break on.
    from registry.snapshots import drop_triggers

    drop_triggers(schema_editor)


def with_recent_sums(apps, schema_editor):
    from registry.snapshots import create_triggers, rebuild_latest

    create_triggers(schema_editor)
    rebuild_latest(schema_editor.connection)


def without_recent_sums(apps, schema_editor):
    from registry.snapshots import create_triggers, rebuild_latest

    create_triggers(schema_editor, recent=False)
    rebuild_latest(schema_editor.connection, recent=False)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0016_organisation_name_zh_index"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, without_recent_sums),
        migrations.AddField(
            model_name="accountlatest",
            name="recent_comments",
            field=models.PositiveBigIntegerField(default=0, verbose_name="comments"),
        ),
        migrations.AddField(
            model_name="accountlatest",
            name="recent_headline_reads",
            field=models.PositiveBigIntegerField(null=True, verbose_name="headline reads"),
        ),
        migrations.AddField(
            model_name="accountlatest",
            name="recent_likes",
            field=models.PositiveBigIntegerField(default=0, verbose_name="likes"),
        ),
        migrations.AddField(
            model_name="accountlatest",
            name="recent_max_reads",
            field=models.PositiveBigIntegerField(null=True, verbose_name="peak reads"),
        ),
        migrations.AddField(
            model_name="accountlatest",
            name="recent_posts",
            field=models.PositiveBigIntegerField(default=0, verbose_name="posts"),
        ),
        migrations.AddField(
            model_name="accountlatest",
            name="recent_reads",
            field=models.PositiveBigIntegerField(default=0, verbose_name="reads"),
        ),
        migrations.AddField(
            model_name="accountlatest",
            name="recent_shares",
            field=models.PositiveBigIntegerField(default=0, verbose_name="shares"),
        ),
        migrations.AddField(
            model_name="accountlatest",
            name="recent_snapshots",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Snapshots in the 30 days up to the latest one.",
                verbose_name="snapshots in the latest 30 days",
            ),
        ),
        migrations.AddField(
            model_name="accountlatest",
            name="recent_wows",
            field=models.PositiveBigIntegerField(default=0, verbose_name="wows (在看)"),
        ),
        migrations.AddIndex(
            model_name="accountlatest",
            index=models.Index(fields=["snapshot_on"], name="latest_snapshot_on_idx"),
        ),
        migrations.RunPython(with_recent_sums, drop_triggers),
        migrations.RunPython(_platform_index(PLATFORM_COVERING), _platform_index(PLATFORM_PLAIN)),
    ]
