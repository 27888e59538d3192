"""Each account's latest snapshot in a table of its own (``AccountLatest``),
kept by triggers on the snapshot table (registry/snapshots.py) on PostgreSQL
and SQLite, and filled from the snapshots already stored."""

import django.db.models.deletion
from django.db import migrations, models


def create_triggers(apps, schema_editor):
    from registry.snapshots import create_triggers, rebuild_latest

    create_triggers(schema_editor)
    rebuild_latest(schema_editor.connection)


def drop_triggers(apps, schema_editor):
    from registry.snapshots import drop_triggers

    drop_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_account_open_covering_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="AccountLatest",
            fields=[
                (
                    "account",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="latest",
                        serialize=False,
                        to="registry.account",
                    ),
                ),
                ("snapshot_on", models.DateField(help_text="Date of the account's latest snapshot of any figure.")),
                (
                    "followers_on",
                    models.DateField(help_text="Date of its latest snapshot with a follower count.", null=True),
                ),
                ("followers", models.PositiveBigIntegerField(null=True)),
            ],
            options={"verbose_name": "latest snapshot of an account"},
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
