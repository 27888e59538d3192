"""Create the local administrator once, with a generated password printed once.

There is never a fixed default password: if the user already exists, nothing is
printed and nothing changes (use `manage.py changepassword` to set a new one).
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from registry.roles import ADMINISTRATOR


class Command(BaseCommand):
    help = "Create a local administrator with a generated password, if none exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"User {username!r} already exists; its password is unchanged.")
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser(username=username, email="", password=password)
        group = Group.objects.filter(name=ADMINISTRATOR).first()
        if group:
            user.groups.add(group)
        self.stdout.write(self.style.SUCCESS("Created the local administrator. This password is shown only once:"))
        self.stdout.write(f"  username: {username}\n  password: {password}")
