"""Streaming metric snapshots (``record_metrics`` and ``import_data metrics``):
upserts on account + date in batches, all or nothing, in bounded memory."""

from django.utils.translation import gettext

from registry.imports.reports import ImportReport
from registry.imports.specs import spec_for
from registry.imports.tables import Record, read_table

# --------------------------------------------------------------------------- streaming metric snapshots
#
# A metrics feed can hold hundreds of thousands of rows, too many for
# import-export's one-row-at-a-time path. This path reads the same Spec with the
# same cleaning, but works in chunks: one query per chunk finds existing
# snapshots, and new and changed ones are written with simple-history's bulk
# helpers (so history is still recorded), all inside one transaction.

METRIC_VALUES = ("followers", "posts", "reads", "headline_reads", "max_reads", "likes", "wows", "shares", "comments")


def _platform_index():
    from registry.imports.cleaning import PLATFORM_ALIASES
    from registry.models import Platform

    index = {}
    for platform in Platform.objects.all():
        for name in (platform.slug, platform.name_en, platform.name_zh):
            if name:
                index[name.casefold()] = platform
    for alias, slug in PLATFORM_ALIASES.items():
        if slug in index:
            index.setdefault(alias.casefold(), index[slug])
    return index


def _update_metrics(metrics) -> None:
    """One parametrised UPDATE by primary key, run for every changed snapshot
    (executemany). Django's bulk_update builds a CASE expression per field whose
    cost grows with the batch; this stays linear."""
    from django.db import connection

    from registry.models import AccountMetric

    table = connection.ops.quote_name(AccountMetric._meta.db_table)
    columns = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in METRIC_VALUES)
    sql = f"UPDATE {table} SET {columns} WHERE id = %s"  # noqa: S608 - names from the model, values bound
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[getattr(m, name) for name in METRIC_VALUES] + [m.pk] for m in metrics])


def import_metrics(
    source,
    *,
    encoding=None,
    dry_run=False,
    user=None,
    change_reason="",
    batch_size=2000,
    progress=None,
    preview_limit=50,
    error_limit=1000,
) -> ImportReport:
    """Upsert account metric snapshots from a CSV/TSV/XLSX feed, all or nothing.

    Raises ImportFileError if the file cannot be read at all; row problems are
    collected in the report (and then nothing is written)."""
    from django.db import transaction
    from simple_history.utils import bulk_create_with_history

    from registry.models import Account, AccountMetric
    from registry.signals import bump_data_version

    report = ImportReport()
    table = read_table(source, spec_for("metrics"), encoding=encoding)
    report.warnings = table.warnings
    platforms = _platform_index()
    accounts: dict[tuple, int] = {}
    for pk, platform_id, account_id, handle in Account.objects.values_list(
        "pk", "platform_id", "account_id", "handle"
    ).iterator():
        if account_id:
            accounts[(platform_id, "id", account_id)] = pk
        if handle:
            accounts[(platform_id, "handle", handle)] = pk
    seen: dict[int, int] = {}  # (account, day) packed in one int -> line << 64 | fingerprint
    mask = (1 << 64) - 1

    def fail(line, message):
        report.counts["error"] += 1
        if len(report.errors) < error_limit:
            report.errors.append((line, message))

    def note(line, action, what):
        report.counts[action] += 1
        if len(report.preview) < preview_limit:
            report.preview.append((line, action, what))

    def resolve(record) -> int | None:
        values = record.values
        platform = platforms.get((values.get("platform") or "").casefold())
        if platform is None:
            record.errors.append(
                gettext("platform %(platform)r is not in the registry") % {"platform": values.get("platform")}
            )
            return None
        pk = None
        if values.get("account_id"):
            pk = accounts.get((platform.pk, "id", values["account_id"]))
        if pk is None and values.get("handle"):
            pk = accounts.get((platform.pk, "handle", values["handle"]))
        if pk is None:
            record.errors.append(
                f"no {platform.slug} account {values.get('account_id') or values.get('handle')!r} in the registry"
            )
        return pk

    def process(chunk):
        valid = []
        for record in chunk:
            pk = resolve(record) if not record.errors else None
            if record.errors:
                fail(record.line, "; ".join(record.errors))
                continue
            key = pk << 24 | record.values["date"].toordinal()
            fingerprint = hash(tuple(record.values.get(n) for n in METRIC_VALUES)) & mask
            earlier = seen.get(key)
            if earlier is not None:
                if earlier & mask == fingerprint:
                    report.warnings.append(f"Line {record.line} repeats line {earlier >> 64} exactly; imported once.")
                else:
                    fail(record.line, f"duplicates line {earlier >> 64} (same account and date) with different values")
                continue
            seen[key] = record.line << 64 | fingerprint
            valid.append((record, pk))
        if not valid:
            return
        existing = {
            (metric.account_id, metric.date): metric
            for metric in AccountMetric.objects.filter(
                account_id__in={pk for _, pk in valid}, date__in={r.values["date"] for r, _ in valid}
            )
        }
        creates, updates = [], []
        for record, pk in valid:
            values = {n: record.values.get(n) for n in METRIC_VALUES if record.values.get(n) is not None}
            who = record.values.get("account_id") or record.values.get("handle")
            what = f"account {who} on {record.values['date']}"
            metric = existing.get((pk, record.values["date"]))
            if metric is None:
                creates.append(AccountMetric(account_id=pk, date=record.values["date"], **values))
                note(record.line, "create", what)
                continue
            changed = {n: v for n, v in values.items() if getattr(metric, n) != v}
            if not changed:
                note(record.line, "unchanged", what)
                continue
            for name, new in changed.items():
                setattr(metric, name, new)
            updates.append(metric)
            note(record.line, "update", what + ": " + ", ".join(f"{n} {v:,}" for n, v in changed.items()))
        if report.counts["error"] or dry_run:
            return  # keep validating; nothing will be kept
        if creates:
            bulk_create_with_history(
                creates, AccountMetric, batch_size=batch_size, default_user=user, default_change_reason=change_reason
            )
        if updates:
            _update_metrics(updates)
            AccountMetric.history.bulk_history_create(
                updates, batch_size=batch_size, update=True, default_user=user, default_change_reason=change_reason
            )

    checkpoint = getattr(progress, "checkpoint", None)
    with transaction.atomic():
        chunk: list[Record] = []
        for record in table.records:
            report.rows += 1
            chunk.append(record)
            if len(chunk) >= batch_size:
                if checkpoint is not None:
                    checkpoint()  # may stop the import (cancelled): the transaction rolls back
                process(chunk)
                chunk = []
                if progress is not None:
                    progress.update(batch_size)
        process(chunk)
        if progress is not None:
            progress.update(len(chunk))
        if report.counts["error"] or dry_run:
            transaction.set_rollback(True)
        else:
            report.written = True
    if report.written:
        bump_data_version()
    return report
