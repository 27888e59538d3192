"""The admin site, opened to the Editor and Administrator roles.

Roles are groups, so instead of maintaining ``is_staff`` by hand the site admits
any active user whose role can edit the registry (or a superuser)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.db.models.base import ModelBase
from django.utils.translation import gettext_lazy

from registry.roles import EDIT_PERMISSION
from registry.synthetic import can_be_synthetic, is_synthetic, synthetic_mark


@admin.display(description=gettext_lazy("synthetic"))
def synthetic_column(record):
    """The synthetic mark in an admin list, on demo rows."""
    return synthetic_mark() if is_synthetic(record) else ""


class RegistryAdminSite(admin.AdminSite):
    site_header = gettext_lazy("New-media registry")
    site_title = gettext_lazy("New-media registry")
    index_title = gettext_lazy("Registry")

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or user.is_staff or user.has_perm(EDIT_PERMISSION))

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every list of a model that can hold synthetic demo rows marks them,
        whatever its ModelAdmin lists: the mark follows the first (linked)
        column and replaces a bare ``is_demo`` column."""
        super().register(model_or_iterable, admin_class, **options)
        models = [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        for model in models:
            if not can_be_synthetic(model):
                continue
            model_admin = self._registry[model]
            columns = [column for column in model_admin.list_display if column != "is_demo"]
            model_admin.list_display = (*columns[:1], synthetic_column, *columns[1:])


class RegistryAdminConfig(AdminConfig):
    default_site = "config.admin.RegistryAdminSite"
