"""Fill the pinyin sort keys and the stored search keys of every organisation
and person already in the registry (new saves keep them in step)."""

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


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_names_in_either_script")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
