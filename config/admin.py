"""The admin site, opened to the Editor and Administrator roles.

Roles are groups, so instead of maintaining ``is_staff`` by hand the site admits
any active user whose role can edit the registry (or a superuser)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from registry.roles import EDIT_PERMISSION


class RegistryAdminSite(admin.AdminSite):
    site_header = "New-media registry"
    site_title = "New-media registry"
    index_title = "Registry"

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or user.is_staff or user.has_perm(EDIT_PERMISSION))


class RegistryAdminConfig(AdminConfig):
    default_site = "config.admin.RegistryAdminSite"
