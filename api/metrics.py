"""Bulk upsert of metric snapshots keyed by (account, date).

Queries, whatever the batch size (up to 500 rows): the accounts named (1), the
snapshots already held for those accounts and dates (1), then only when there is
something to write: the inserts and their history rows (2) and the updates and
their history rows (2), in one transaction. Rows equal to what is stored are
left alone, so sending a batch twice writes nothing the second time.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from api.serializers import METRIC_FIELDS
from registry.models import Account, AccountMetric


@dataclass(frozen=True)
class UpsertResult:
    created: int
    updated: int
    unchanged: int


def _row_errors(rows: list[dict]) -> dict[int, dict]:
    errors: dict[int, dict] = {}
    known = set(Account.objects.filter(pk__in={r["account"] for r in rows}).values_list("pk", flat=True))
    seen: dict[tuple, int] = {}
    for index, row in enumerate(rows):
        key = (row["account"], row["date"])
        if row["account"] not in known:
            errors[index] = {"account": [_("No account with id %(id)s.") % {"id": row["account"]}]}
        elif key in seen:
            errors[index] = {"date": [_("Row %(row)s already gives this account and date.") % {"row": seen[key]}]}
        seen.setdefault(key, index)
    return errors


def upsert_metrics(rows: list[dict]) -> UpsertResult:
    """Write ``rows`` (validated dicts) or raise ``ValidationError`` with
    ``{"rows": [{}, {"account": [...]}, ...]}``, one entry per row, and write nothing."""
    errors = _row_errors(rows)
    if errors:
        raise ValidationError({"rows": [errors.get(i, {}) for i in range(len(rows))]})
    accounts = {r["account"] for r in rows}
    dates = {r["date"] for r in rows}
    existing = {
        (m.account_id, m.date): m for m in AccountMetric.objects.filter(account_id__in=accounts, date__in=dates)
    }
    to_create, to_update, changed_fields = [], [], set()
    for row in rows:
        given = {name: row[name] for name in METRIC_FIELDS if name in row}
        current = existing.get((row["account"], row["date"]))
        if current is None:
            to_create.append(AccountMetric(account_id=row["account"], date=row["date"], **given))
            continue
        changes = {name: value for name, value in given.items() if getattr(current, name) != value}
        if changes:
            for name, value in changes.items():
                setattr(current, name, value)
            changed_fields.update(changes)
            to_update.append(current)
    with transaction.atomic():
        if to_create:
            bulk_create_with_history(to_create, AccountMetric, batch_size=500)
        if to_update:
            bulk_update_with_history(to_update, AccountMetric, sorted(changed_fields), batch_size=500)
    return UpsertResult(
        created=len(to_create), updated=len(to_update), unchanged=len(rows) - len(to_create) - len(to_update)
    )
