"""Fill the pinyin sort keys and the stored search keys of every organisation
and person already in the registry (new saves keep them in step), and give the
roles the search key models' permissions."""

from django.db import migrations

from registry import names


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def fill(apps, schema_editor):
    Organisation = apps.get_model("registry", "Organisation")
    OrganisationSearchKey = apps.get_model("registry", "OrganisationSearchKey")
    Person = apps.get_model("registry", "Person")
    PersonSearchKey = apps.get_model("registry", "PersonSearchKey")

    orgs = list(Organisation.objects.only("id", "name_en", "name_zh", "short_name", "aliases"))
    for org in orgs:
        names.fill_sort_keys(org)
    Organisation.objects.bulk_update(orgs, ["sort_en", "sort_zh"], batch_size=500)
    names.rebuild_keys(
        orgs,
        key_model=OrganisationSearchKey,
        owner="organisation",
        names_of=lambda o: [o.name_en, o.name_zh, o.short_name, *_lines(o.aliases)],
    )

    people = list(Person.objects.only("id", "name_en", "name_zh", "aliases"))
    for person in people:
        names.fill_sort_keys(person)
    Person.objects.bulk_update(people, ["sort_en", "sort_zh"], batch_size=500)
    names.rebuild_keys(
        people,
        key_model=PersonSearchKey,
        owner="person",
        names_of=lambda p: [p.name_en, p.name_zh, *_lines(p.aliases)],
    )


def sync_roles(apps, schema_editor):
    """The roles hold every registry model's permissions (registry/roles.py):
    create the search key models' permissions now (Django would only after all
    migrations) and give them to the groups."""
    from django.contrib.auth.management import create_permissions

    from registry.roles import sync_roles as sync

    config = apps.get_app_config("registry")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    sync(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_names_in_either_script")]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
