"""Writing a batch of rows at once: the helpers every bulk import shares.

Django's ``bulk_create`` splits its INSERTs by the database's limit on bound
parameters. For SQLite Django 5.2 assumes 999 (the compile-time default of old
SQLite builds), which cuts a batch of 2,000 organisations into 40 statements;
the SQLite library in use reports its real limit (32,766 since 3.32), and
``statement_limits`` lets Django use it for the length of an import. PostgreSQL
accepts 65,535 parameters per statement, which Django does not enforce, so
``bulk_insert`` cuts there itself.
"""

import sqlite3
from contextlib import contextmanager

from django.db import connection

POSTGRESQL_MAX_PARAMETERS = 65_535


def _parameter_limit() -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or POSTGRESQL_MAX_PARAMETERS


@contextmanager
def statement_limits():
    """For the length of the block, Django sizes bulk statements by the
    database's real limit on parameters (see the module's docstring)."""
    if connection.vendor != "sqlite":
        yield
        return
    features = connection.features
    had_own = "max_query_params" in vars(features)
    previous = vars(features).get("max_query_params")
    features.max_query_params = _parameter_limit()
    try:
        yield
    finally:
        if had_own:
            features.max_query_params = previous
        else:
            del features.max_query_params


def rows_per_statement(model, *, extra_columns: int = 0) -> int:
    """How many rows of ``model`` one INSERT may carry."""
    columns = len(model._meta.concrete_fields) + extra_columns
    return max(1, (_parameter_limit() - 1) // max(columns, 1))


def bulk_insert(model, objs: list) -> list:
    """``bulk_create`` in as few statements as the database allows (one per
    2,000 organisations on PostgreSQL, two on SQLite); primary keys are set."""
    if not objs:
        return objs
    return model.objects.bulk_create(objs, batch_size=rows_per_statement(model))


def insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Rows of plain values into ``model``'s table: one parametrised INSERT
    run for every row (executemany), for rows whose ids nobody needs back
    (search keys). Cheaper than ``bulk_create``, which compiles every value
    of every row through the ORM."""
    if not rows:
        return
    opts = model._meta
    quote = connection.ops.quote_name
    names = ", ".join(quote(opts.get_field(name).column) for name in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(opts.db_table)} ({names}) VALUES ({marks})"  # noqa: S608 - names from the model, values bound
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def bulk_update_rows(model, objs: list, fields: list[str]) -> None:
    """One parametrised UPDATE by primary key, run for every object
    (executemany: one round of the driver, counted as one query). Django's
    ``bulk_update`` builds a CASE expression per field whose cost grows with
    the batch; this stays linear. ``auto_now`` fields are set here."""
    if not objs:
        return
    from django.utils import timezone

    opts = model._meta
    now = timezone.now()
    columns = [opts.get_field(name) for name in fields]
    for field in opts.concrete_fields:
        if getattr(field, "auto_now", False) and field not in columns:
            columns.append(field)
            for obj in objs:
                setattr(obj, field.attname, now)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = f"UPDATE {quote(opts.db_table)} SET {assignments} WHERE {quote(opts.pk.column)} = %s"  # noqa: S608 - names from the model, values bound
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns] + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def bulk_history(model, objs: list, *, update: bool, user, change_reason: str) -> None:
    """django-simple-history's records for ``objs`` (created or changed), in as
    few INSERTs as the database allows."""
    if not objs:
        return
    history = model.history
    history.bulk_history_create(
        objs,
        batch_size=rows_per_statement(history.model),
        update=update,
        default_user=user if getattr(user, "pk", None) else None,
        default_change_reason=change_reason,
    )
