"""Every write to the registry bumps a data version, so cached dashboard data
and HTTP validators (ETag / Last-Modified) change on the very next request."""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

DATA_VERSION_KEY = "registry:data-version"


def data_version() -> str:
    """The current data version; created on first use."""
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        version = bump_data_version()
    return version


def _set_new_version() -> str:
    version = f"{time.time_ns():x}"
    cache.set(DATA_VERSION_KEY, version, timeout=None)
    return version


def bump_data_version() -> str:
    """Start a new data version now, and again when the surrounding transaction
    commits: a request that read the old rows while the write was still
    uncommitted may have cached them under the first new version."""
    version = _set_new_version()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_set_new_version, robust=True)
    return version


def _is_registry_model(sender) -> bool:
    return getattr(sender._meta, "app_label", None) == "registry" and sender.__name__ not in NOT_REGISTRY_DATA


# Rows of the registry app that are not registry data: writing them leaves cached charts valid.
NOT_REGISTRY_DATA = frozenset(
    {
        "Briefing",
        "BriefingItem",
        "ApiToken",
        "AllowedEmailDomain",
        "BriefingSchedule",
        "BriefingSend",
        "WorkerHeartbeat",
        "AlertSubscription",
        "Alert",
        "ImportJob",  # a job's own progress is not registry data; its import's rows are
    }
)


@receiver(post_save)
@receiver(post_delete)
def _registry_changed(sender, **kwargs):
    if _is_registry_model(sender):
        bump_data_version()


@receiver(m2m_changed)
def _registry_relation_changed(sender, action, **kwargs):
    if action.startswith("post_") and _is_registry_model(kwargs["model"]):
        bump_data_version()
