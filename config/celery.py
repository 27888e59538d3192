"""The Celery application: `celery -A config worker` and `celery -A config beat`.

Settings come from Django's (the ``CELERY_`` names in config/settings.py);
tasks are found in each app's ``tasks.py`` (automation/tasks.py)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
