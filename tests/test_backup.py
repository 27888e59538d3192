"""Backup and restore round trips: every row of every registry table (with the
many-to-many and history tables) and the users, groups and their permissions
are the same after a restore as before the backup."""

import datetime
import io
import shutil

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from registry import models as m
from tests import factories as f

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _tables() -> list[tuple[str, list[str]]]:
    """(table, columns) for every registry table and the user and group tables.
    Many-to-many link tables are compared without their own id: a JSON restore
    re-creates the links, which is what they hold, under new ids."""
    from django.contrib.auth.models import User

    tables = {}
    for model in [
        *apps.get_app_config("registry").get_models(include_auto_created=True),
        User,
        Group,
        User.groups.through,
    ]:
        columns = [field.column for field in model._meta.local_concrete_fields]
        if model._meta.auto_created:
            columns = [column for column in columns if column != model._meta.pk.column]
        tables[model._meta.db_table] = columns
    return sorted(tables.items())


def snapshot() -> dict:
    """Every row of every table, ordered by all its columns, plus group
    permissions by natural key (permission ids are recreated by a restore)."""
    rows = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, columns in _tables():
            names = ", ".join(quote(column) for column in columns)
            cursor.execute(f"SELECT {names} FROM {quote(table)} ORDER BY {names}")  # noqa: S608 - names come from the models
            rows[table] = [tuple(row) for row in cursor.fetchall()]
    rows["group permissions"] = sorted(
        (group.name, p.content_type.app_label, p.codename)
        for group in Group.objects.prefetch_related("permissions__content_type")
        for p in group.permissions.all()
    )
    return rows


def make_registry() -> None:
    cohort, platforms = f.make_cohort_with_adoption(members=4, wechat=3, weibo=2)
    org = cohort.memberships.first().organisation
    org.name_zh = "中国石油天然气集团有限公司 📈"
    org.short_name = "שלום"
    org.description = "Line one\nLine two\t“quoted”"
    org.save()
    person = f.make_person(name="Li Wei")
    source = f.make_source(title="Article 新闻", url="https://example.org/news", published_on=datetime.date(2021, 3, 1))
    statement = f.make_statement(source=source, speaker=person, organisation=org, role="Spokesperson")
    topic = m.Topic.objects.create(name="Livestreaming", slug="livestreaming")
    statement.platforms.add(platforms["wechat"], platforms["weibo"])
    statement.topics.add(topic)
    f.make_metric(org.accounts.first(), datetime.date(2021, 1, 1), followers=12345, reads=10**12)
    f.make_figure(cohort=cohort, platform=platforms["wechat"], source=source)
    briefing = f.make_briefing(owner=f.editor(), charts=[("adoption-by-platform", f"cohort={cohort.slug}")])
    briefing.statements.add(statement)
    f.administrator()
    f.make_user(role=None, is_active=False)


def mutate() -> None:
    """Changes a restore must undo: an edit, a deletion, new rows."""
    org = m.Organisation.objects.first()
    org.name_en = "Renamed after the backup"
    org.save()
    m.Briefing.objects.all().delete()
    m.AccountMetric.objects.all().delete()
    f.make_org(name="Created after the backup")
    f.viewer()
    Group.objects.get(name="Viewer").permissions.clear()


@pytest.mark.django_db
def test_json_backup_round_trip_restores_every_row(tmp_path):
    make_registry()
    before = snapshot()
    assert len(before["registry_statement_platforms"]) == 2 and before["registry_historicalorganisation"]
    file = tmp_path / "registry.json.gz"
    out = io.StringIO()
    call_command("backup_registry", "--format", "json", "--output", str(file), stdout=out)
    assert "Backed up" in out.getvalue() and file.stat().st_size > 0

    mutate()
    assert snapshot() != before
    call_command("restore_registry", str(file), "--no-input", stdout=io.StringIO())

    after = snapshot()
    for table in before:
        assert after[table] == before[table], table


@pytest.mark.django_db
def test_a_failed_json_restore_leaves_the_database_as_it_was(tmp_path):
    make_registry()
    before = snapshot()
    broken = tmp_path / "broken.json"
    broken.write_text('[{"model": "registry.organisation", "pk": 1, "fields": {"name_en": null}}]')
    with pytest.raises(Exception):  # noqa: B017 - any loaddata error
        call_command("restore_registry", str(broken), "--no-input", stdout=io.StringIO())
    assert snapshot() == before


@pytest.mark.django_db
def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore_registry", str(tmp_path / "nope.json"), "--no-input")


@pytest.mark.skipif(
    not ON_POSTGRESQL, reason="the pg_dump path needs PostgreSQL (run with DATABASE_URL=postgres://...)"
)
@pytest.mark.django_db(transaction=True)
def test_pg_dump_round_trip_restores_every_row(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the pg_dump path needs PostgreSQL (run with DATABASE_URL=postgres://...)")
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("pg_dump/pg_restore are not installed")
    make_registry()
    before = snapshot()
    file = tmp_path / "registry.dump"
    call_command("backup_registry", "--output", str(file), stdout=io.StringIO())
    assert file.read_bytes()[:5] == b"PGDMP"

    mutate()
    call_command("restore_registry", str(file), "--no-input", stdout=io.StringIO())

    after = snapshot()
    for table in before:
        assert after[table] == before[table], table
    # Sequences came back too: a new row does not collide with a restored one.
    f.make_org(name="After the restore")


@pytest.mark.django_db
def test_pg_dump_format_needs_postgresql(tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("checks the SQLite refusal")
    with pytest.raises(CommandError, match="needs a PostgreSQL database"):
        call_command("backup_registry", "--format", "pg_dump", "--output", str(tmp_path / "x.dump"))
