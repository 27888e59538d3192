from django.db import migrations


def sync_roles(apps, schema_editor):
    """Give the roles the permissions of the automation models (tokens,
    schedules, alerts; allowed e-mail domains to administrators only), as
    0006 did for its model."""
    from django.contrib.auth.management import create_permissions

    from registry.roles import sync_roles as sync

    config = apps.get_app_config("registry")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    sync(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0012_automation_tokens_schedules_alerts"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
