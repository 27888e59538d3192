"""Change history of registry records, read from django-simple-history."""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Subquery, Window
from django.db.models.functions import Lag

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# Bookkeeping columns that change on every save and say nothing to a reader.
UNTRACKED = {"id", "created_at", "updated_at", "name_key", "quote_key"}


@dataclass(frozen=True)
class HistoryRow:
    when: datetime.datetime
    who: str | None
    model: str
    record: str
    action: str  # "created", "changed" or "deleted"
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)
    reason: str = ""  # e.g. "Imported from top500.csv" or "import_data ... (by import)"


def _display(model_field, value) -> str:
    if value is None or value == "":
        return "—"
    choices = dict(model_field.flatchoices) if model_field.choices else None
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _tracked_fields(model):
    return [f for f in model._meta.concrete_fields if f.attname not in UNTRACKED]


def _rows(historical_qs, model, *, label, limit: int) -> list[HistoryRow]:
    """The newest ``limit`` records of one historical table, each with its
    previous version's values beside it (window LAG over the object's records),
    so the field-level difference costs no further query. One query."""
    fields = _tracked_fields(model)
    previous = {
        f"_prev_{f.attname}": Window(Lag(f.attname), partition_by=[F("id")],
                                     order_by=[F("history_date").asc(), F("history_id").asc()])
        for f in fields
    }
    previous["_prev_exists"] = Window(Lag("history_id"), partition_by=[F("id")],
                                      order_by=[F("history_date").asc(), F("history_id").asc()])
    records = historical_qs.select_related("history_user").annotate(**previous).order_by(
        "-history_date", "-history_id")[:limit]
    rows = []
    for record in records:
        action = ACTIONS.get(record.history_type, record.history_type)
        changes = []
        if action == "changed" and record._prev_exists is not None:
            for f in fields:
                old, new = getattr(record, f"_prev_{f.attname}"), getattr(record, f.attname)
                if old != new:
                    changes.append((str(f.verbose_name), _display(f, old), _display(f, new)))
        user = record.history_user
        rows.append(HistoryRow(
            when=record.history_date,
            who=user.get_username() if user is not None else None,
            model=str(model._meta.verbose_name),
            record=label(record),
            action=action,
            changes=changes,
            reason=record.history_change_reason or "",
        ))
    return rows


def organisation_history(organisation, *, limit: int = 50) -> list[HistoryRow]:
    """Changes to an organisation and the records that belong to it (its
    accounts and cohort memberships, including deleted ones), newest first.

    Three queries whatever the number of changes: one per historical table."""
    from registry.models import Account, Cohort, CohortMembership, Organisation, Platform

    org_rows = _rows(Organisation.history.filter(id=organisation.pk), Organisation,
                     label=lambda r: r.name_en, limit=limit)
    platform_name = Subquery(Platform.objects.filter(pk=OuterRef("platform_id")).values("name_en")[:1])
    account_rows = _rows(
        Account.history.filter(organisation_id=organisation.pk).annotate(_platform=platform_name), Account,
        label=lambda r: f"{r.display_name} on {r._platform}" if r._platform else r.display_name, limit=limit,
    )
    cohort_name = Subquery(Cohort.objects.filter(pk=OuterRef("cohort_id")).values("name")[:1])
    membership_rows = _rows(
        CohortMembership.history.filter(organisation_id=organisation.pk).annotate(_cohort=cohort_name),
        CohortMembership, label=lambda r: f"{r._cohort or 'a deleted cohort'}" + (f" #{r.rank}" if r.rank else ""),
        limit=limit,
    )
    rows = org_rows + account_rows + membership_rows
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows[:limit]
