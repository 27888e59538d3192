"""The three roles' effective permissions, and ``manage.py sync_roles``."""

import io

import pytest
from django.apps import apps
from django.contrib.admin.sites import AdminSite
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import RequestFactory
from import_export.admin import ImportExportModelAdmin

from registry import models as m
from registry.roles import ADMINISTRATOR, ADMINISTRATOR_ONLY_MODELS, EDITOR, ROLES, VIEWER, permissions_for
from tests.factories import administrator, editor, make_user, viewer

pytestmark = pytest.mark.django_db

ALL_REGISTRY_MODELS = list(apps.get_app_config("registry").get_models())
# Allowed e-mail domains are an administrator's alone (registry.roles.ADMINISTRATOR_ONLY_MODELS).
REGISTRY_MODELS = [m for m in ALL_REGISTRY_MODELS if m._meta.model_name not in ADMINISTRATOR_ONLY_MODELS]
ACTIONS = ("view", "add", "change", "delete")


def _perm(action, model):
    return f"registry.{action}_{model._meta.model_name}"


def test_the_three_groups_exist_after_migrating():
    assert set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True)) == set(ROLES)


def test_viewer_sees_every_registry_model_and_changes_nothing():
    user = viewer()
    for model in REGISTRY_MODELS:
        assert user.has_perm(_perm("view", model)), model
        for action in ("add", "change", "delete"):
            assert not user.has_perm(_perm(action, model)), f"viewer can {action} {model.__name__}"
    assert not user.has_perm("auth.view_user")
    assert not user.has_perm("auth.change_user")


def test_editor_changes_the_registry_but_not_users():
    user = editor()
    for model in REGISTRY_MODELS:
        for action in ACTIONS:
            assert user.has_perm(_perm(action, model)), f"editor cannot {action} {model.__name__}"
    for codename in ("add_user", "change_user", "delete_user", "change_group", "view_user"):
        assert not user.has_perm(f"auth.{codename}"), codename
    assert not user.has_perm("axes.delete_accessattempt")


def test_administrator_manages_users_and_lockouts():
    user = administrator()
    for codename in ("add_user", "change_user", "delete_user", "view_user", "add_group", "change_group"):
        assert user.has_perm(f"auth.{codename}"), codename
    assert user.has_perm("axes.delete_accessattempt")
    assert user.has_perm("axes.view_accesslog")
    for model in ALL_REGISTRY_MODELS:
        assert user.has_perm(_perm("change", model))
    assert not user.is_superuser and not user.is_staff


def test_roles_nest():
    perms = {role: set(Group.objects.get(name=role).permissions.values_list("pk", flat=True)) for role in ROLES}
    assert perms[VIEWER] < perms[EDITOR] < perms[ADMINISTRATOR]


def test_a_user_without_a_role_has_no_permissions():
    assert make_user(role=None).get_all_permissions() == set()


@pytest.mark.parametrize(
    "role, can_import, can_export",
    [(VIEWER, False, True), (EDITOR, True, True), (ADMINISTRATOR, True, True), (None, False, False)],
)
def test_importing_statements_needs_the_editor_role(role, can_import, can_export):
    """django-import-export checks the model's add permission for imports and
    view for exports (``IMPORT_EXPORT_*_PERMISSION_CODE``); without those settings
    it would let anyone who reaches the admin import into any model."""

    class StatementImportAdmin(ImportExportModelAdmin):
        pass

    model_admin = StatementImportAdmin(m.Statement, AdminSite())
    request = RequestFactory().get("/")
    request.user = make_user(role=role)
    assert model_admin.has_import_permission(request) is can_import
    assert model_admin.has_export_permission(request) is can_export


def test_editors_can_review_statements():
    """Reviewing extracted statements edits them and their sources and speakers."""
    user = editor()
    for perm in (
        "add_statement",
        "change_statement",
        "delete_statement",
        "add_source",
        "change_source",
        "add_person",
        "change_person",
        "add_topic",
        "change_topic",
    ):
        assert user.has_perm(f"registry.{perm}"), perm


def test_permissions_for_rejects_an_unknown_role():
    with pytest.raises(ValueError, match="unknown role"):
        permissions_for("Owner", [])


def test_sync_roles_restores_the_definitions():
    editors = Group.objects.get(name=EDITOR)
    viewers = Group.objects.get(name=VIEWER)
    expected_editor = set(editors.permissions.values_list("pk", flat=True))
    editors.permissions.remove(Permission.objects.get(codename="change_statement"))
    viewers.permissions.add(Permission.objects.get(codename="change_user"))

    out = io.StringIO()
    call_command("sync_roles", stdout=out)

    assert set(editors.permissions.values_list("pk", flat=True)) == expected_editor
    assert not viewers.permissions.filter(codename="change_user").exists()
    assert "Editor:" in out.getvalue() and "(1 added, 0 removed)" in out.getvalue()
    assert "Viewer:" in out.getvalue() and "(0 added, 1 removed)" in out.getvalue()


def test_sync_roles_picks_up_new_permissions_and_recreates_a_deleted_group():
    content_type = ContentType.objects.get_for_model(m.Organisation)
    Permission.objects.create(content_type=content_type, codename="view_new_report", name="Can view new report")
    Group.objects.filter(name=ADMINISTRATOR).delete()

    call_command("sync_roles", stdout=io.StringIO())

    assert Group.objects.get(name=VIEWER).permissions.filter(codename="view_new_report").exists()
    assert Group.objects.get(name=EDITOR).permissions.filter(codename="view_new_report").exists()
    assert Group.objects.get(name=ADMINISTRATOR).permissions.filter(codename="change_user").exists()


def test_sync_roles_is_idempotent():
    call_command("sync_roles", stdout=io.StringIO())
    out = io.StringIO()
    call_command("sync_roles", stdout=out)
    assert out.getvalue().count("(0 added, 0 removed)") == len(ROLES)


@pytest.mark.django_db
def test_only_administrators_manage_allowed_email_domains():
    from registry.automation import AllowedEmailDomain

    assert not viewer().has_perm(_perm("view", AllowedEmailDomain))
    assert not editor().has_perm(_perm("add", AllowedEmailDomain))
    assert administrator().has_perm(_perm("add", AllowedEmailDomain))
