"""GIN expression indexes for full-text search on PostgreSQL (registry/search.py).

Each index expression is exactly the one the search filters on, so the planner
can use it: to_tsvector('english', quote || ' ' || role) for statements and
to_tsvector('english', title || ' ' || full_text) for sources, as Django's
SearchVector compiles them. No model field changes; nothing happens on other
databases (SQLite searches with a portable fallback).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "english"
INDEXES = (
    ("Statement", "statement_search_idx", ("quote", "role")),
    ("Source", "source_search_idx", ("title", "full_text")),
)


def _index(name, fields):
    return GinIndex(SearchVector(*fields, config=CONFIG), name=name)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, name, fields in INDEXES:
        schema_editor.add_index(apps.get_model("registry", model_name), _index(name, fields))


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, name, fields in INDEXES:
        schema_editor.remove_index(apps.get_model("registry", model_name), _index(name, fields))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_cohort_nominal_size"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
