"""Organisations imported a batch at a time: the command line's and the
background job's path (``registry.imports.run``), for files of any size.

It keeps what ``OrganisationResource`` (the admin's in-page import, row by
row) does — the same natural keys, the same rules for blank cells, the same
validation and messages — but looks rows up and writes them per batch:

- one query finds every organisation a batch may match or collide with (by
  credit code, natural key or Chinese name); rows are then matched in file
  order against those and the batch's own new organisations, so a later row
  updates what an earlier row created, as a row-by-row import would;
- parents named in the batch: one more query (only when the batch names any);
- each row is validated like the admin form (``full_clean`` on the fields the
  file sets, the model's ``clean``) and against the unique rules (credit code,
  natural key) and check constraints in Python, so no validation query runs;
- changed organisations: one UPDATE statement run for all of them
  (executemany); new ones: ``bulk_create``; history and search keys (pinyin,
  initials) in bulk. An organisation that several rows of one batch change
  gets one history record for the batch, with its final values.

Queries per batch do not grow with the batch (``tests/test_import_bulk.py``).
"""

import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext

from registry import models as m
from registry import names
from registry.imports.bulk import bulk_history, bulk_insert, bulk_update_rows, insert_rows
from registry.imports.cleaning import organisation_names
from registry.imports.resources import OrganisationResource

# The columns an organisations file sets: those OrganisationResource imports.
FIELDS = tuple(OrganisationResource._meta.fields)
NAME_FIELDS = ("name_en", "name_zh", "short_name", "aliases")
DERIVED = ("name_key", "sort_en", "sort_zh")
WRITTEN = [*FIELDS, *DERIVED]
# Model fields the file never sets are not validated (as in the admin import).
NOT_VALIDATED = [f.name for f in m.Organisation._meta.concrete_fields if f.name not in FIELDS] + ["parent"]
_LINE_PREFIX = re.compile(r"^line \d+: ")


def _check_constraints(org) -> list[str]:
    """The model's check constraints, evaluated in Python. Names must match
    ``Organisation.Meta.constraints`` (a test fails when one is added)."""
    problems = []
    if org.pk is not None and org.parent_id == org.pk:
        problems.append(gettext("An organisation cannot be its own parent."))
    return problems


# Check constraints the Python checks above (or full_clean) cover.
CHECKS_IN_PYTHON = {
    "organisation_has_name": "Organisation.clean",
    "organisation_not_own_parent": "_check_constraints",
    "organisation_credit_code_length": "validate_credit_code (the field's validator)",
}
UNIQUE_IN_PYTHON = {"organisation_unique_name": "name_key", "credit_code": "credit_code"}


class _Index:
    """The organisations a batch can see, by credit code, natural key and
    Chinese name, kept current as rows change and create them."""

    def __init__(self, organisations):
        self.by_code: dict[str, m.Organisation] = {}
        self.by_key: dict[str, m.Organisation] = {}
        self.by_zh: dict[str, list[m.Organisation]] = defaultdict(list)
        self.created: list[m.Organisation] = []
        for org in organisations:
            self.add(org)

    def add(self, org):
        if org.credit_code:
            self.by_code[org.credit_code] = org
        self.by_key[org.name_key] = org
        if org.name_zh:
            self.by_zh[org.name_zh].append(org)

    def remove(self, org, keys):
        code, key, zh = keys
        if code and self.by_code.get(code) is org:
            del self.by_code[code]
        if self.by_key.get(key) is org:
            del self.by_key[key]
        if zh and org in self.by_zh.get(zh, ()):
            self.by_zh[zh].remove(org)

    def by_chinese_name(self, name_zh):
        """As ``filter(Q(name_zh=x) | Q(name_zh=simplified(x))).first()``: the
        first in the model's order (sort_en, id); new ones after saved ones."""
        found = {id(o): o for zh in {name_zh, names.to_simplified(name_zh)} for o in self.by_zh.get(zh, ())}
        if not found:
            return None
        return min(found.values(), key=lambda o: (o.sort_en, o.pk is None, o.pk or 0))


def _keys(org):
    return (org.credit_code, org.name_key, org.name_zh)


def _snapshot(org) -> dict:
    return {f: getattr(org, f if f != "parent" else "parent_id") for f in (*FIELDS, *DERIVED)}


def _restore(org, snapshot):
    for name, value in snapshot.items():
        setattr(org, name if name != "parent" else "parent_id", value)


def _name_matches(org, name: str, folded: str) -> bool:
    """What ``Organisation.objects.matching_name(name)`` finds, in Python."""
    stripped = name.strip()
    return (
        org.name_key == m.normalise_name(name)
        or org.name_zh == stripped
        or (org.short_name or "").casefold() == stripped.casefold()
        or folded in {names.fold(n) for n in names.organisation_names(org) if n}
    )


class OrganisationBatches:
    """Imports organisations batch by batch into ``report`` (an ImportReport).
    Rows with errors are reported and not written; the caller decides, at the
    end, whether the transaction is kept."""

    def __init__(self, report, *, user=None, change_reason="", preview_limit=None):
        self.report = report
        self.user = user
        self.change_reason = change_reason
        self.preview_limit = preview_limit

    # ----- reporting

    def _error(self, line, message):
        self.report.rows += 1
        self.report.counts["error"] = self.report.counts.get("error", 0) + 1
        self.report.errors.append((line, _LINE_PREFIX.sub("", str(message))))

    def _done(self, line, action, what):
        self.report.rows += 1
        self.report.counts[action] = self.report.counts.get(action, 0) + 1
        if self.preview_limit is None or len(self.report.preview) < self.preview_limit:
            self.report.preview.append((line, action, what))

    # ----- one batch

    def import_batch(self, records) -> None:
        rows = []
        for record in records:
            if record.errors:
                self._error(record.line, "; ".join(record.errors))
                continue
            values = dict(record.values)
            values["name_en"], values["name_zh"] = organisation_names(values)
            rows.append((record.line, values))
        if not rows:
            return
        index = _Index(self._candidates(rows))
        parents = self._parents(rows)
        changed: dict[int, m.Organisation] = {}  # id(org) -> org, saved ones to update
        renamed: set[int] = set()
        for line, values in rows:
            self._import_row(line, values, index, parents, changed, renamed)
        self._write(index.created, list(changed.values()), renamed)

    def _candidates(self, rows):
        """Every organisation the batch's rows may match or collide with: one query."""
        codes, keys, chinese = set(), set(), set()
        for _, values in rows:
            name_en, name_zh = values["name_en"], values["name_zh"]
            if values.get("credit_code"):
                codes.add(values["credit_code"].strip().upper())
                codes.add(values["credit_code"])
            if name_en:
                keys.add(m.normalise_name(name_en))
            if name_zh:
                simplified = names.to_simplified(name_zh)
                chinese.update((name_zh, simplified))
                keys.add(names.natural_key("", name_zh))
        query = Q(name_key__in=keys) | Q(name_zh__in=chinese)
        if codes:
            query |= Q(credit_code__in=codes)
        # The parent comes along (a join) to name it when a row changes it.
        return m.Organisation.objects.filter(query).select_related("parent").order_by("sort_en", "pk")

    def _parents(self, rows) -> dict[str, list]:
        """Parent name -> the saved organisations ``matching_name`` finds: one
        query for the batch, none when it names no parent."""
        wanted = {values["parent"] for _, values in rows if values.get("parent")}
        if not wanted:
            return {}
        folded = {name: names.fold(name) for name in wanted}
        by_key = m.OrganisationSearchKey.objects.filter(kind=names.KeyKind.NAME, key__in=set(folded.values()))
        query = (
            Q(name_key__in={m.normalise_name(n) for n in wanted})
            | Q(name_zh__in={n.strip() for n in wanted})
            | Q(pk__in=by_key.values("organisation"))
        )
        found = list(m.Organisation.objects.filter(query).order_by("pk"))
        return {name: [o for o in found if _name_matches(o, name, folded[name])] for name in wanted}

    def _find_parent(self, name, parents, index):
        candidates = {o.pk: o for o in parents.get(name, ())}
        if not candidates:  # created earlier in this batch
            folded = names.fold(name)
            candidates = {id(o): o for o in index.created if _name_matches(o, name, folded)}
        if len(candidates) == 1:
            return next(iter(candidates.values()))
        if candidates:
            raise ValueError(
                gettext("organisation %(name)r matches several: %(found)s")
                % {"name": name, "found": "; ".join(str(o) for o in list(candidates.values())[:3])}
            )
        raise ValueError(
            gettext("no organisation %(what)s in the registry; import organisations first") % {"what": repr(name)}
        )

    def _match(self, line, values, index):
        """``OrganisationResource.find``, against the batch's index."""
        code = values.get("credit_code")
        if code:
            found = index.by_code.get(code.strip().upper())
            if found is not None:
                return found
        if not values["name_en"] and not values["name_zh"]:
            raise ValueError(gettext("line %(line)s: give a Chinese name or an English name") % {"line": line})
        found = None
        if values["name_en"]:
            found = index.by_key.get(m.normalise_name(values["name_en"]))
            if found is not None:
                values["name_en"] = found.name_en  # matched on the name: keep its stored spelling
        if found is None and values["name_zh"]:
            found = index.by_chinese_name(values["name_zh"])
        if found is not None and not values["name_en"]:
            values["name_en"] = found.name_en  # a Chinese-only row keeps the English name on record
        if found is not None and code and found.credit_code and found.credit_code != code:
            raise ValueError(
                f"{values['name_en'] or values['name_zh']!r} is already in the registry with credit code "
                f"{found.credit_code}, not {code}"
            )
        return found

    def _import_row(self, line, values, index, parents, changed, renamed):
        try:
            parent = self._find_parent(values["parent"], parents, index) if values.get("parent") else None
            found = self._match(line, values, index)
        except ValueError as error:
            self._error(line, error)
            return
        org = found if found is not None else m.Organisation()
        before = _snapshot(org)
        old_parent = org.parent if org.parent_id is not None else None
        old_keys = _keys(org)
        for name in FIELDS:
            new = parent if name == "parent" else values.get(name)
            if new in (None, ""):
                continue  # a blank cell leaves a stored value alone; a new record takes the default
            if name == "parent":
                org.parent = new
            else:
                setattr(org, name, new)
        try:
            org.full_clean(exclude=NOT_VALIDATED, validate_unique=False, validate_constraints=False)
            org.fill_derived_fields()
            problems = _check_constraints(org)
            if problems:
                raise ValidationError(" ".join(problems))
            self._check_unique(org, index)
        except ValidationError as error:
            _restore(org, before)
            self._error(line, _validation_message(error))
            return
        after = _snapshot(org)
        if found is None:
            index.created.append(org)
            index.add(org)
            self._done(line, "create", str(org))
            return
        differences = [name for name in FIELDS if before[name] != after[name]]
        if not differences:
            self._done(line, "unchanged", str(org))
            return
        index.remove(org, old_keys)
        index.add(org)
        if org.pk is not None:
            changed[id(org)] = org
            if set(differences) & set(NAME_FIELDS):
                renamed.add(id(org))
        self._done(line, "update", _describe(org, before, after, differences, old_parent))

    def _check_unique(self, org, index):
        errors = {}
        if org.credit_code and index.by_code.get(org.credit_code) not in (None, org):
            errors["credit_code"] = [org.unique_error_message(m.Organisation, ("credit_code",))]
        if index.by_key.get(org.name_key) not in (None, org):
            errors["name_key"] = [org.unique_error_message(m.Organisation, ("name_key",))]
        if errors:
            raise ValidationError(errors)

    # ----- writing

    def _write(self, created, updated, renamed):
        """Changed ones first (a rename may free a key a new one takes), then
        new ones, parents that were new in this batch, history, search keys."""
        bulk_update_rows(m.Organisation, updated, WRITTEN)
        late_parents = [o for o in created if o.parent is not None and o.parent.pk is None]
        for org in late_parents:
            org._late_parent, org.parent = org.parent, None
        bulk_insert(m.Organisation, created)
        for org in late_parents:
            org.parent = org._late_parent
        bulk_update_rows(m.Organisation, late_parents, ["parent"])
        bulk_history(m.Organisation, created, update=False, user=self.user, change_reason=self.change_reason)
        bulk_history(m.Organisation, updated, update=True, user=self.user, change_reason=self.change_reason)
        rekeyed = created + [o for o in updated if id(o) in renamed]
        if renamed:
            m.OrganisationSearchKey.objects.filter(
                organisation_id__in=[o.pk for o in updated if id(o) in renamed]
            ).delete()
        keys = [
            (o.pk, kind, key)
            for o in rekeyed
            for kind, key in sorted(names.keys_for_names(names.organisation_names(o)))
        ]
        insert_rows(m.OrganisationSearchKey, ["organisation", "kind", "key"], keys)


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _describe(org, before, after, differences, old_parent) -> str:
    changes = []
    for name in differences:
        old, new = (old_parent, org.parent) if name == "parent" else (before[name], after[name])
        changes.append(f"{name}: {_short(old)} → {_short(new)}")
    return f"{org} (" + "; ".join(changes) + ")"


def _short(value) -> str:
    text = "∅" if value in (None, "") else str(value)
    return text if len(text) <= 40 else text[:37] + "..."
