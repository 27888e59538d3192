"""Synthetic demo data: which records are synthetic, and the one mark that pages,
tables and the admin put on them.

Demo rows carry ``is_demo`` (organisations, cohorts, list memberships, accounts,
people); a metric snapshot is synthetic when its account is.
"""

from django.utils.html import format_html
from django.utils.translation import gettext

# Models are looked up by label, so this module can be imported before the app
# registry is ready (the admin site imports it).
_METRIC = "registry.AccountMetric"


def is_synthetic(record) -> bool:
    """Whether a registry record is synthetic demo data. Reads only the record
    and, for a metric snapshot, its account (select it with the snapshot)."""
    if getattr(record, "is_demo", False):
        return True
    if getattr(getattr(record, "_meta", None), "label", None) == _METRIC:
        return bool(record.account.is_demo)
    return False


def can_be_synthetic(model) -> bool:
    """Whether rows of ``model`` can be synthetic demo data (see ``is_synthetic``)."""
    return model._meta.label == _METRIC or any(f.name == "is_demo" for f in model._meta.concrete_fields)


def synthetic_mark() -> str:
    """The mark beside anything that is or counts synthetic demo data."""
    return format_html(
        '<span class="badge synthetic" title="{}">{}</span>',
        gettext("Synthetic demo data, not a real record"),
        gettext("synthetic"),
    )
