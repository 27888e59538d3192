"""Organisations imported a batch at a time (registry/imports/organisations.py):
the same outcome as the row-by-row resource, and a number of queries per batch
that does not grow with the batch."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from registry import models as m
from registry import names
from registry.imports import organisations, run
from registry.imports.run import import_file
from tests.factories import make_org, make_user

CODE_A = "91110000100017643K"
CODE_B = "91110000710925243K"

# Rows that exercise every rule: updates by normalised name, by credit code and
# by Chinese name in traditional characters; a Chinese-only row; identical and
# conflicting duplicates; a new organisation a later row updates; parents
# (saved and new in the same file, and unknown); invalid values; a credit code
# contradicting the matched record; a rename onto another record's name.
EDGE_CASES = (
    "Company Name,企业名称,Province,Credit code,Website,Parent,Short name,Aliases\n"
    "  CHINA  mobile ,,Beijing,,,,,\n"  # update by normalised name
    f"New Name Co,,,{CODE_A},,,,\n"  # rename by credit code
    ",中國石化,Shanghai,,,,,\n"  # traditional finds simplified
    "Fresh Co,新公司,Zhejiang,,https://fresh.example.cn,China Mobile,FC,Fresh;新鲜\n"
    ",新公司,Sichuan,,,,,\n"  # updates what the row above created
    "Child Co,,,,,Fresh Co,,\n"  # parent created earlier in the file
    "Orphan Co,,,,,Nobody Ltd,,\n"  # unknown parent
    "Bad Url Co,,,,javascript:alert(1),,,\n"
    "Bad Code Co,,,91110000100017643X,,,,\n"
    f"China Unicom,,,{CODE_B},,,,\n"  # contradicts the stored code
    "Same Co,,Beijing,,,,,\n"
    "Same Co,,Beijing,,,,,\n"  # identical: imported once
    "Other Co,,Beijing,,,,,\n"
    "other co,,Hubei,,,,,\n"  # conflicting duplicate
    f",,,{'9' * 18},,,,\n"  # no name
)


def _existing():
    make_org("China Mobile", province="Shanghai")
    make_org("Old Name Co", credit_code=CODE_A)
    m.Organisation.objects.create(name_zh="中国石化")
    make_org("China Unicom", short_name="Unicom", credit_code="91110000710939135R")


def _state():
    skipped = ("id", "created_at", "updated_at", "parent")  # parents compared by name below
    fields = [f.attname for f in m.Organisation._meta.concrete_fields if f.name not in skipped]
    rows = m.Organisation.objects.order_by("name_key").values_list(*fields)
    keys = m.OrganisationSearchKey.objects.values_list("organisation__name_key", "kind", "key")
    # Parents by name, not id: the two runs create them under different ids.
    parents = dict(m.Organisation.objects.filter(parent__isnull=False).values_list("name_key", "parent__name_key"))
    return sorted(map(str, rows)), sorted(keys), parents


def _outcome(report):
    return report.counts, sorted(report.errors, key=str), [(line, action) for line, action, _ in report.preview]


def _import(path, batched, batch_size=2000):
    if batched:
        return import_file("organisations", path, batch_size=batch_size)
    return run._import_with_resource(
        "organisations",
        path,
        encoding=None,
        dry_run=False,
        user=None,
        cohort=None,
        change_reason="",
        progress=None,
        file_name="",
        preview_limit=None,
        batch_size=batch_size,
    )


def _written_with_errors_kept(path, batched, batch_size=2000):
    """Import, keep what the import wrote even though the file has errors (it
    rolls back), so both paths' writes can be compared."""
    with transaction.atomic():
        _existing()
        report = _import(path, batched, batch_size)
        # An import with errors rolls back; run the valid rows alone to compare writes.
        state = _state()
        transaction.set_rollback(True)
    return report, state


@pytest.mark.django_db
@pytest.mark.parametrize("batch_size", [2000, 3])
def test_batches_give_what_the_row_by_row_resource_gives(tmp_path, batch_size):
    path = tmp_path / "orgs.csv"
    path.write_text(EDGE_CASES)
    by_row, _ = _written_with_errors_kept(path, batched=False)
    batched, _ = _written_with_errors_kept(path, batched=True, batch_size=batch_size)
    assert _outcome(batched) == _outcome(by_row)
    assert batched.counts == {"create": 4, "update": 4, "unchanged": 0, "error": 6}
    assert not batched.written and m.Organisation.objects.count() == 0

    # Without the bad rows the file is imported; both paths store the same rows,
    # search keys and parents.
    good = "\n".join(EDGE_CASES.splitlines()[:7] + EDGE_CASES.splitlines()[11:14]) + "\n"
    path.write_text(good)
    with transaction.atomic():
        _existing()
        by_row = _import(path, batched=False)
        by_row_state = _state()
        transaction.set_rollback(True)
    with transaction.atomic():
        _existing()
        batched = _import(path, batched=True, batch_size=batch_size)
        batched_state = _state()
        transaction.set_rollback(True)
    assert by_row.written and batched.written
    assert _outcome(batched) == _outcome(by_row)
    assert batched_state == by_row_state
    rows, keys, parents = batched_state
    assert parents == {"child co": "fresh co", "fresh co": "china mobile"}
    assert ("fresh co", "pinyin", "xingongsi") in keys and ("fresh co", "initials", "xgs") in keys


@pytest.mark.django_db
def test_the_preview_names_each_change(tmp_path):
    make_org("China Mobile", province="Shanghai")
    path = tmp_path / "orgs.csv"
    path.write_text("Company,Province\n  CHINA  mobile ,Beijing\nNew Co,Hubei\n")
    report = import_file("organisations", path, dry_run=True)
    assert report.preview == [
        (2, "update", "China Mobile (province: Shanghai → Beijing)"),
        (3, "create", "New Co"),
    ]
    assert not report.written and m.Organisation.objects.count() == 1


@pytest.mark.django_db
def test_history_records_the_user_and_the_reason(tmp_path):
    alice = make_user(username="alice")
    make_org("China Mobile", province="Shanghai")
    path = tmp_path / "orgs.csv"
    path.write_text("Company,Province\nChina Mobile,Beijing\nNew Co,Hubei\n")
    import_file("organisations", path, user=alice, change_reason="monthly list")
    new = m.Organisation.objects.get(name_en="New Co").history.get()
    changed = m.Organisation.objects.get(name_en="China Mobile").history.first()
    assert (new.history_type, new.history_user, new.history_change_reason) == ("+", alice, "monthly list")
    assert (changed.history_type, changed.province) == ("~", "Beijing")


def _file(path, rows, *, province="Beijing", parent=False):
    lines = ["Company Name,企业名称,Province,Credit code,Parent"]
    lines += [f"Company {i:05d},公司{i:05d},{province},,{'Parent Co' if parent else ''}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _queries(path, rows):
    with CaptureQueriesContext(connection) as queries:
        report = import_file("organisations", path, batch_size=rows)
    assert report.written and report.rows == rows, report.errors[:3]
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("parent", [False, True])
def test_queries_per_batch_do_not_grow_with_the_batch(tmp_path, parent):
    """One batch of 50 rows and one of 500 cost the same queries: creates, then
    updates of every row. Creates: the savepoint (2), the candidates (1), the
    parents (1 when any row names one), the organisations (1 INSERT), their
    history (1), their search keys (1). Updates: the candidates, one UPDATE
    run for every row (executemany), the history, and (with a parent, which
    the rows change) the parents' query."""
    if parent:
        make_org("Parent Co")
    counts = {}
    for rows in (50, 500):
        m.Organisation.objects.exclude(name_en="Parent Co").delete()
        created = _queries(_file(tmp_path / f"new-{rows}.csv", rows, parent=parent), rows)
        updated = _queries(_file(tmp_path / f"changed-{rows}.csv", rows, province="Hubei", parent=parent), rows)
        unchanged = _queries(_file(tmp_path / f"same-{rows}.csv", rows, province="Hubei", parent=parent), rows)
        counts[rows] = (created, updated, unchanged)
    assert counts[50] == counts[500]
    assert m.Organisation.objects.filter(province="Hubei").count() == 500


@pytest.mark.django_db
def test_renamed_organisations_get_new_search_keys(tmp_path):
    make_org("Old Co", name_zh="旧公司", credit_code=CODE_A)
    path = tmp_path / "orgs.csv"
    path.write_text(f"Company,企业名称,Credit code\nNew Co,新公司,{CODE_A}\n")
    import_file("organisations", path)
    org = m.Organisation.objects.get()
    stored = set(org.search_keys.values_list("kind", "key"))
    assert stored == names.keys_for_names(names.organisation_names(org))
    assert ("pinyin", "xingongsi") in stored and not any("jiu" in key for _, key in stored)


def test_every_check_constraint_is_checked_in_python():
    constraints = {c.name for c in m.Organisation._meta.constraints}
    unique = {c.name for c in m.Organisation._meta.constraints if hasattr(c, "fields") and c.fields}
    unique |= {f.name for f in m.Organisation._meta.concrete_fields if f.unique and not f.primary_key}
    assert constraints - unique == set(organisations.CHECKS_IN_PYTHON)
    assert unique == set(organisations.UNIQUE_IN_PYTHON)
