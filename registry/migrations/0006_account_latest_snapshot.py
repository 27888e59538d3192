"""Each account's latest snapshot in a table of its own (``AccountLatest``),
kept by triggers on the snapshot table (registry/snapshots.py) on PostgreSQL
and SQLite, and filled from the snapshots already stored."""

import django.db.models.deletion
from django.db import migrations, models


def create_triggers(apps, schema_editor):
    from registry.snapshots import create_triggers, rebuild_latest

    # The first version of the row, without the recent sums (added by migration 0017).
    create_triggers(schema_editor, recent=False)
    rebuild_latest(schema_editor.connection, recent=False)


def drop_triggers(apps, schema_editor):
    from registry.snapshots import drop_triggers

    drop_triggers(schema_editor)


def sync_roles(apps, schema_editor):
    """The roles hold every registry model's permissions (registry/roles.py):
    create the new model's permissions now (Django would only after all
    migrations) and give them to the groups."""
    from django.contrib.auth.management import create_permissions

    from registry.roles import sync_roles as sync

    config = apps.get_app_config("registry")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    sync(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_account_open_covering_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
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
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
