"""Change history of registry records, read from django-simple-history."""

import datetime
import json
from dataclasses import dataclass, field

from django.db import models
from django.db.models import CharField, F, OuterRef, Subquery, Value, Window
from django.db.models.functions import Cast, Coalesce, Concat, JSONObject, Lag

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# Bookkeeping columns that change on every save and say nothing to a reader.
UNTRACKED = {"id", "created_at", "updated_at", "name_key", "quote_key", "sort_en", "sort_zh"}


@dataclass(frozen=True)
class HistoryRow:
    when: datetime.datetime
    who: str | None
    model: str
    record: str
    action: str  # "created", "changed" or "deleted"
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)
    reason: str = ""  # e.g. "Imported from top500.csv" or "import_data ... (by import)"


def _tracked_fields(model):
    return [f for f in model._meta.concrete_fields if f.attname not in UNTRACKED]


def _display(model_field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(model_field, models.BooleanField):
        return "yes" if value else "no"  # SQLite's JSON holds booleans as 0/1
    if model_field.choices:
        choices = dict(model_field.flatchoices)
        if value in choices:
            return str(choices[value])
    return str(value)


def _part(historical_qs, model, label):
    """One historical table as rows of a common shape: when, who, why, the model,
    a label, and the tracked fields of this version and of the previous one (a
    window LAG over the object's versions) as JSON objects."""
    values = JSONObject(**{f.attname: F(f.attname) for f in _tracked_fields(model)})
    window = {"partition_by": [F("id")], "order_by": [F("history_date").asc(), F("history_id").asc()]}
    return (
        historical_qs.order_by()
        .annotate(
            _model=Value(model._meta.model_name, output_field=CharField()),
            _label=label,
            _who=F("history_user__username"),
            _now=values,
            _before=Window(Lag(values), **window),
        )
        .values(
            "history_date",
            "history_id",
            "history_type",
            "history_change_reason",
            "_who",
            "_model",
            "_label",
            "_now",
            "_before",
        )
    )


def _decode(value):
    return json.loads(value) if isinstance(value, str) else value


def organisation_history(organisation, *, limit: int = 50) -> list[HistoryRow]:
    """Changes to an organisation and the records that belong to it (its
    accounts and cohort memberships, including deleted ones), newest first.

    One query: the three historical tables as a UNION ALL, each version beside
    its predecessor's values, ordered and limited in the database. (The first
    call in a SQLite process also runs Django's one-off JSON support check.)"""
    from registry.models import Account, Cohort, CohortMembership, Organisation, Platform

    platform = Subquery(Platform.objects.filter(pk=OuterRef("platform_id")).values("name_en")[:1])
    cohort = Subquery(Cohort.objects.filter(pk=OuterRef("cohort_id")).values("name")[:1])
    text = CharField()
    parts = [
        _part(Organisation.history.filter(id=organisation.pk), Organisation, Cast(F("name_en"), text)),
        _part(
            Account.history.filter(organisation_id=organisation.pk),
            Account,
            Concat(
                F("display_name"), Value(" on "), Coalesce(platform, Value("a deleted platform")), output_field=text
            ),
        ),
        _part(
            CohortMembership.history.filter(organisation_id=organisation.pk),
            CohortMembership,
            Concat(
                Coalesce(cohort, Value("a deleted cohort")),
                Value(" #"),
                Coalesce(Cast("rank", text), Value("–")),
                output_field=text,
            ),
        ),
    ]
    models_by_name = {m._meta.model_name: m for m in (Organisation, Account, CohortMembership)}
    query = parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id")[:limit]
    rows = []
    for record in query:
        model = models_by_name[record["_model"]]
        action = ACTIONS.get(record["history_type"], record["history_type"])
        now, before = _decode(record["_now"]) or {}, _decode(record["_before"])
        changes = []
        if action == "changed" and before is not None:
            for f in _tracked_fields(model):
                if before.get(f.attname) != now.get(f.attname):
                    changes.append(
                        (str(f.verbose_name), _display(f, before.get(f.attname)), _display(f, now.get(f.attname)))
                    )
        rows.append(
            HistoryRow(
                when=record["history_date"],
                who=record["_who"],
                model=str(model._meta.verbose_name),
                record=record["_label"],
                action=action,
                changes=changes,
                reason=record["history_change_reason"] or "",
            )
        )
    return rows
