"""The primary/replica router chosen by DATABASE_REPLICA_URL: reads go to the
replica, writes and migrations to the primary, relations across both are fine
(they are the same data)."""

import pytest
from django.contrib.auth import get_user_model

from config.routers import PrimaryReplicaRouter
from registry.models import Account, Organisation, Platform


@pytest.fixture
def router():
    return PrimaryReplicaRouter()


@pytest.mark.parametrize("model", [Organisation, Account, Platform, get_user_model()])
def test_reads_go_to_the_replica(router, model):
    assert router.db_for_read(model) == "replica"


@pytest.mark.parametrize("model", [Organisation, Account, Platform, get_user_model()])
def test_writes_go_to_the_primary(router, model):
    assert router.db_for_write(model) == "default"
    assert router.db_for_write(model, instance=Organisation(name_en="X")) == "default"


def test_a_row_read_from_the_primary_keeps_reading_there(router):
    """Following a relation from a row written (or read) on the primary stays
    on the primary, so a view never reads back a stale copy of what it wrote."""
    organisation = Organisation(name_en="Sinopec")
    organisation._state.db = "default"
    assert router.db_for_read(Account, instance=organisation) == "default"
    unsaved = Organisation(name_en="New")
    assert router.db_for_read(Account, instance=unsaved) == "replica"


def test_relations_are_allowed_across_databases(router):
    a, b = Organisation(name_en="A"), Organisation(name_en="B")
    a._state.db, b._state.db = "default", "replica"
    assert router.allow_relation(a, b) is True


@pytest.mark.parametrize("app_label", ["registry", "auth", "sessions", "contenttypes"])
def test_migrations_only_on_the_primary(router, app_label):
    assert router.allow_migrate("default", app_label) is True
    assert router.allow_migrate("replica", app_label) is False
    assert router.allow_migrate("replica", app_label, model_name="organisation") is False


def _settings_namespace() -> dict:
    """Run config/settings.py afresh (it reads the environment at import)."""
    import runpy

    import config.settings as live

    return runpy.run_path(live.__file__)


def test_settings_install_the_router_only_with_a_replica_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://app@primary.example:5432/registry")
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://app@replica.example:5432/registry")
    with_replica = _settings_namespace()
    assert with_replica["DATABASE_ROUTERS"] == ["config.routers.PrimaryReplicaRouter"]
    assert with_replica["DATABASES"]["replica"]["HOST"] == "replica.example"
    assert with_replica["DATABASES"]["replica"]["TEST"] == {"MIRROR": "default"}
    assert with_replica["DATABASES"]["default"]["HOST"] == "primary.example"

    monkeypatch.delenv("DATABASE_REPLICA_URL")
    without = _settings_namespace()
    assert "replica" not in without["DATABASES"]
    assert "DATABASE_ROUTERS" not in without
