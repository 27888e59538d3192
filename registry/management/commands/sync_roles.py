"""Re-apply the role definitions in ``registry.roles`` to the three groups.

Run it after a release that adds models: their permissions are created first
(as ``migrate`` would), then each group is set to exactly its role's permissions,
so a permission given to a group by hand is removed again.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from registry.roles import sync_roles


class Command(BaseCommand):
    help = "Create or update the Viewer, Editor and Administrator groups from registry.roles."

    def handle(self, *args, **options):
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                create_permissions(app_config, verbosity=0)
            changes = sync_roles(Group, Permission)
        for role, (added, removed) in changes.items():
            total = Group.objects.get(name=role).permissions.count()
            self.stdout.write(f"{role}: {total} permissions ({added} added, {removed} removed)")
        self.stdout.write(self.style.SUCCESS("Roles are in sync."))
