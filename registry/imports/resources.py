"""django-import-export resources for every registry model.

Import: ``SpreadsheetFormat`` hands the resource the file's raw rows (any
encoding, CSV/TSV/XLSX); ``before_import`` maps the header through the aliases
in ``registry.imports.tables``, cleans every value, collapses identical duplicate
rows and marks conflicting ones, then each row is matched on its natural key
(``get_instance``), so re-importing a file changes nothing. Rows are saved one
by one with ``save()``, so django-simple-history records each change with the
importing user and a change reason.

Export: the same column names (foreign keys by natural key), so an export can
be edited and imported again.
"""

import datetime

import tablib
from django.db.models import Q
from django.utils.translation import gettext
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from registry import models as m
from registry import names
from registry.imports.cleaning import PLATFORM_ALIASES, ImportFileError, organisation_names
from registry.imports.specs import spec_for
from registry.imports.tables import Deduplicator, Record, Spec, iter_text_rows, open_rows, table_from_rows
from registry.signals import bump_data_version

LINE = "_line"
ERRORS = "_errors"
SYSTEM_USER = "import"

# --------------------------------------------------------------------------- the file format


class SpreadsheetFormat(base_formats.Format):
    """CSV, TSV or XLSX in any common encoding: the type is sniffed from the
    bytes, so a PDF renamed .csv is refused with a clear message. The dataset
    carries raw rows with their line numbers; the resource maps the header."""

    def __init__(self, encoding=None):
        # The admin passes its default text encoding; ignored, as the encoding is
        # detected from the bytes.
        self.encoding = None

    def get_title(self):
        return "Spreadsheet (CSV, TSV or XLSX; any encoding)"

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def get_extension(self):
        return "csv"

    def can_import(self):
        return True

    def can_export(self):
        return False

    def create_dataset(self, in_stream, encoding=None):
        return raw_dataset(in_stream if isinstance(in_stream, bytes) else in_stream.encode(), encoding=encoding)


def raw_dataset(source, *, encoding=None) -> tablib.Dataset:
    """A dataset of the file's non-blank rows as read, with their line numbers
    in the first column; the header is found and mapped by the resource."""
    raw = open_rows(source, encoding=encoding)
    rows = [(line, cells) for line, cells in raw.rows if any(str(c).strip() for c in cells if c is not None)]
    if not rows:
        raise ImportFileError(gettext("The file has no rows."))
    width = max(len(cells) for _, cells in rows)
    dataset = tablib.Dataset(headers=[LINE, *(f"_c{i}" for i in range(width))])
    for line, cells in rows:
        dataset.append([line, *cells, *([None] * (width - len(cells)))])
    dataset.encoding = raw.encoding
    return dataset


# --------------------------------------------------------------------------- export formats

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = __import__("re").compile(r"^[+-]?\d+(\.\d+)?$")


def escape_formula(cell):
    """Text a spreadsheet would run as a formula gets a leading apostrophe
    (OWASP's advice for CSV injection); numbers, dates and plain text are kept.
    import-export's own escaping only drops one leading '=', which leaves
    '==1+1', '+…', '-…' and '@…' live."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START) and not _NUMBER.match(cell):
        return "'" + cell
    return cell


class _EscapingExport:
    def _escape_formulae(self, dataset):
        rows = [[escape_formula(cell) for cell in row] for row in dataset]
        del dataset[:]
        for row in rows:
            dataset.append(row)


class SafeCSV(_EscapingExport, base_formats.CSV):
    pass


class SafeXLSX(_EscapingExport, base_formats.XLSX):
    pass


# --------------------------------------------------------------------------- widgets


class Value(widgets.Widget):
    """Values arrive already cleaned by ``registry.imports.tables``; pass them through.
    ``blank`` replaces None for text fields; ``show`` renders a related object."""

    def __init__(self, *, blank=None, show=None):
        super().__init__()
        self.blank, self.show = blank, show

    def clean(self, value, row=None, **kwargs):
        return self.blank if value is None and self.blank is not None else value

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if self.show is not None:
            return self.show(value)
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value


def text(name, **extra):
    return fields.Field(attribute=name, column_name=name, widget=Value(blank=""), **extra)


def value(name, column=None, **extra):
    return fields.Field(attribute=name, column_name=column or name, widget=Value(), **extra)


def related(name, show, column=None):
    return fields.Field(attribute=name, column_name=column or name, widget=Value(show=show))


def readonly(attribute, column):
    return fields.Field(attribute=attribute, column_name=column, widget=Value(), readonly=True)


# --------------------------------------------------------------------------- lookups


class RowError(ValueError):
    """A row that cannot be imported; the message names the line and the reason."""


class Lookups:
    """Natural-key lookups, cached for one import (one query per distinct key)."""

    def __init__(self):
        self._cache = {}

    def _cached(self, key, fetch):
        if key not in self._cache:
            self._cache[key] = fetch()
        return self._cache[key]

    def platform(self, name):
        def fetch():
            slug = PLATFORM_ALIASES.get(name.casefold(), name)
            found = list(
                m.Platform.objects.filter(Q(slug__iexact=slug) | Q(name_en__iexact=name) | Q(name_zh=name))[:2]
            )
            if len(found) != 1:
                raise RowError(
                    f"platform {name!r} is not in the registry" if not found else f"platform {name!r} is ambiguous"
                )
            return found[0]

        return self._cached(("platform", name), fetch)

    def cohort(self, name):
        def fetch():
            found = list(m.Cohort.objects.filter(Q(slug=name) | Q(name__iexact=name))[:2])
            if len(found) != 1:
                raise RowError(
                    f"cohort {name!r} is not in the registry (give its slug)"
                    if not found
                    else f"cohort {name!r} is ambiguous; give its slug"
                )
            return found[0]

        return self._cached(("cohort", name), fetch)

    def organisation(self, name=None, credit_code=None, *, required=True):
        def fetch():
            if credit_code:
                found = m.Organisation.objects.filter(credit_code=credit_code).first()
                if found:
                    return found
            if name:
                # Any name or alias, in either script (中國石化 finds 中国石化): one query.
                found = list(m.Organisation.objects.matching_name(name).distinct()[:3])
                if len({o.pk for o in found}) == 1:
                    return found[0]
                if found:
                    raise RowError(
                        gettext("organisation %(name)r matches several: %(found)s")
                        % {"name": name, "found": "; ".join(str(o) for o in found)}
                    )
            if required:
                what = repr(name) if name else gettext("with credit code %(code)s") % {"code": credit_code}
                raise RowError(
                    gettext("no organisation %(what)s in the registry; import organisations first") % {"what": what}
                )
            return None

        if not name and not credit_code:
            if required:
                raise RowError(gettext("no organisation given"))
            return None
        return self._cached(("organisation", name, credit_code), fetch)

    def person(self, name, *, required=True):
        def fetch():
            found = list(m.Person.objects.filter(Q(name_en__iexact=name) | Q(name_zh=name))[:3])
            if len(found) == 1:
                return found[0]
            if found:
                raise RowError(gettext("person %(name)r matches several people") % {"name": name})
            if required:
                raise RowError(gettext("no person %(name)r in the registry; import people first") % {"name": name})
            return None

        return self._cached(("person", name), fetch) if name else None

    def account(self, platform, account_id=None, handle=None):
        def fetch():
            if account_id:
                found = m.Account.objects.filter(platform=platform, account_id=account_id).first()
                if found:
                    return found
            if handle:
                found = m.Account.objects.filter(platform=platform, handle=handle).first()
                if found:
                    return found
            return None

        return self._cached(("account", platform.pk, account_id, handle), fetch)

    def source(self, url=None, title=None):
        def fetch():
            if url:
                found = m.Source.objects.filter(url=url).first()
                if found:
                    return found
            if title:
                found = list(m.Source.objects.filter(title=title)[:2])
                if len(found) == 1:
                    return found[0]
                if found:
                    raise RowError(
                        gettext("several sources are titled %(title)r; give the source URL") % {"title": title}
                    )
            raise RowError(
                gettext("no source %(source)r in the registry; add the source first") % {"source": url or title}
            )

        return self._cached(("source", url, title), fetch)


# --------------------------------------------------------------------------- plain resources


class ValidatedModelResource(resources.ModelResource):
    """The column-per-field import of models without a registry resource (its
    export's format), validated with ``full_clean`` like the admin form."""

    class Meta:
        clean_model_instances = True


def validated_resource(model) -> type[resources.ModelResource]:
    return resources.modelresource_factory(model, resource_class=ValidatedModelResource)


# --------------------------------------------------------------------------- the base resource


class RegistryResource(resources.ModelResource):
    """Shared import behaviour; subclasses name their ``kind`` and implement
    ``resolve`` (row -> model values) and ``find`` (natural-key lookup)."""

    import_kind = ""

    def __init__(self, *, user=None, cohort=None, change_reason=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.cohort = cohort
        self.change_reason = change_reason
        self.warnings: list[str] = []
        self.lookups = Lookups()

    @property
    def spec(self) -> Spec:
        return spec_for(self.import_kind)

    # ----- export

    def get_export_fields(self, selected_fields=None):
        return [f for f in super().get_export_fields(selected_fields) if not f.column_name.startswith("_")]

    # ----- import

    def before_import(self, dataset, **kwargs):
        self.user = self.user or kwargs.get("user")
        if self.change_reason is None:
            name = kwargs.get("file_name")
            self.change_reason = f"Imported from {name}" if name else "Imported"
        self.lookups = Lookups()
        if dataset.headers and list(dataset.headers[:2]) == [LINE, ERRORS]:
            return  # a batch already read, cleaned and deduplicated (registry.imports.run)
        fixed = {"cohort": self.cohort} if self.cohort else {}
        if dataset.headers and dataset.headers[0] == LINE:
            rows = ((row[0], list(row[1:])) for row in dataset)
        else:  # a dataset from another format: its header row is already split off
            rows = iter([(1, list(dataset.headers or [])), *((n, list(r)) for n, r in enumerate(dataset, 2))])
        table = table_from_rows(rows, self.spec, fixed=fixed)
        self.warnings = table.warnings
        dedupe = Deduplicator(self.spec, self.warnings)
        records: list[Record] = [r for r in table.records if dedupe.check(r)]
        names = [c.name for c in self.spec.columns]
        dataset.wipe()
        dataset.headers = [LINE, ERRORS, *names]
        for record in records:
            dataset.append([record.line, "; ".join(record.errors), *(record.values.get(n) for n in names)])

    def before_import_row(self, row, **kwargs):
        if row.get(ERRORS):
            raise RowError(f"line {row[LINE]}: {row[ERRORS]}")
        try:
            self.resolve(row)
        except RowError as error:
            raise RowError(f"line {row[LINE]}: {error}") from None

    def get_instance(self, instance_loader, row):
        return self.find(row)

    def resolve(self, row):
        """Turn cleaned values into model values (look up foreign keys), in place."""

    def find(self, row):
        raise NotImplementedError

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # A blank cell leaves an existing record's value alone (so a partial file
        # cannot wipe what other columns hold) and gives a new one the default.
        if row.get(field.column_name) in (None, ""):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def after_import_row(self, row, row_result, **kwargs):
        progress = getattr(self, "progress", None)
        if progress is not None:
            progress.update(1)

    def before_save_instance(self, instance, row, **kwargs):
        if self.user is not None and getattr(self.user, "pk", None):
            instance._history_user = self.user
        instance._change_reason = self.change_reason

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.import_warnings = list(self.warnings)
        if (
            not kwargs.get("dry_run")
            and not getattr(self, "defer_version_bump", False)
            and not result.has_errors()
            and not result.has_validation_errors()
        ):
            bump_data_version()


# --------------------------------------------------------------------------- one resource per model


class OrganisationResource(RegistryResource):
    import_kind = "organisations"
    name_en = text("name_en")
    name_zh = text("name_zh")
    short_name = text("short_name")
    aliases = text("aliases")
    kind = value("kind")
    ownership = value("ownership")
    sector = value("sector")
    province = text("province")
    city = text("city")
    website = text("website")
    credit_code = value("credit_code")
    parent = related("parent", lambda o: o.name_en or o.name_zh)
    description = text("description")

    class Meta:
        model = m.Organisation
        fields = (
            "name_en",
            "name_zh",
            "short_name",
            "aliases",
            "kind",
            "ownership",
            "sector",
            "province",
            "city",
            "website",
            "credit_code",
            "parent",
            "description",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        store_row_values = True

    def resolve(self, row):
        row["name_en"], row["name_zh"] = organisation_names(row)
        if row.get("parent"):
            row["parent"] = self.lookups.organisation(row["parent"])

    def find(self, row):
        if row.get("credit_code"):
            found = m.Organisation.objects.filter(credit_code=row["credit_code"]).first()
            if found:
                return found
        if not row.get("name_en") and not row.get("name_zh"):
            raise RowError(gettext("line %(line)s: give a Chinese name or an English name") % {"line": row[LINE]})
        found = None
        if row.get("name_en"):
            found = m.Organisation.objects.filter(name_key=m.normalise_name(row["name_en"])).first()
            if found is not None:
                row["name_en"] = found.name_en  # matched on the name: keep its stored spelling
        if found is None and row.get("name_zh"):
            zh = names.to_simplified(row["name_zh"])
            found = m.Organisation.objects.filter(Q(name_zh=row["name_zh"]) | Q(name_zh=zh)).first()
        if found is not None and not row.get("name_en"):
            row["name_en"] = found.name_en  # a Chinese-only row keeps the English name on record
        if found and row.get("credit_code") and found.credit_code and found.credit_code != row["credit_code"]:
            raise RowError(
                f"line {row[LINE]}: {row['name_en'] or row['name_zh']!r} is already in the registry with credit code "
                f"{found.credit_code}, not {row['credit_code']}"
            )
        return found

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.name_key = names.natural_key(instance.name_en, instance.name_zh)


class MembershipResource(RegistryResource):
    import_kind = "memberships"
    cohort = related("cohort", lambda c: c.slug)
    organisation = related("organisation", lambda o: o.name_en or o.name_zh)
    credit_code = readonly("organisation__credit_code", "credit_code")
    rank = value("rank")
    revenue_rmb_m = value("revenue_rmb_m")

    class Meta:
        model = m.CohortMembership
        fields = ("cohort", "organisation", "credit_code", "rank", "revenue_rmb_m")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        store_row_values = True

    def resolve(self, row):
        row["cohort"] = self.lookups.cohort(row["cohort"])
        row["organisation"] = self.lookups.organisation(row.get("organisation"), row.get("credit_code"))

    def find(self, row):
        return m.CohortMembership.objects.filter(cohort=row["cohort"], organisation=row["organisation"]).first()


class AccountResource(RegistryResource):
    import_kind = "accounts"
    organisation = related("organisation", lambda o: o.name_en or o.name_zh)
    platform = related("platform", lambda p: p.slug)
    display_name = text("display_name")
    handle = text("handle")
    account_id = text("account_id")
    url = text("url")
    verified = value("verified")
    opened_on = value("opened_on")
    opened_precision = value("opened_precision", column="_opened_precision")
    closed_on = value("closed_on")
    status = value("status")

    class Meta:
        model = m.Account
        fields = (
            "organisation",
            "platform",
            "display_name",
            "handle",
            "account_id",
            "url",
            "verified",
            "opened_on",
            "opened_precision",
            "closed_on",
            "status",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        store_row_values = True

    def resolve(self, row):
        row["platform"] = self.lookups.platform(row["platform"])
        row["organisation"] = self.lookups.organisation(row.get("organisation"), row.get("credit_code"), required=False)
        if row.get("opened_on"):
            row["opened_on"], row["_opened_precision"] = row["opened_on"]

    def find(self, row):
        found = self.lookups.account(row["platform"], row.get("account_id"), row.get("handle"))
        if found is None:
            if row.get("organisation") is None:
                raise RowError(gettext("line %(line)s: a new account needs its organisation") % {"line": row[LINE]})
            row["display_name"] = row.get("display_name") or row.get("handle") or row.get("account_id")
        return found


class AccountMetricResource(RegistryResource):
    import_kind = "metrics"
    platform = readonly("account__platform__slug", "platform")
    account_id = readonly("account__account_id", "account_id")
    handle = readonly("account__handle", "handle")
    account = related("account", str, column="_account")
    date = value("date")
    followers = value("followers")
    posts = value("posts")
    reads = value("reads")
    headline_reads = value("headline_reads")
    max_reads = value("max_reads")
    likes = value("likes")
    wows = value("wows")
    shares = value("shares")
    comments = value("comments")

    class Meta:
        model = m.AccountMetric
        fields = (
            "platform",
            "account_id",
            "handle",
            "account",
            "date",
            "followers",
            "posts",
            "reads",
            "headline_reads",
            "max_reads",
            "likes",
            "wows",
            "shares",
            "comments",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        store_row_values = True

    def resolve(self, row):
        platform = self.lookups.platform(row["platform"])
        account = self.lookups.account(platform, row.get("account_id"), row.get("handle"))
        if account is None:
            raise RowError(
                f"no {platform.slug} account {row.get('account_id') or row.get('handle')!r} "
                "in the registry; import accounts first"
            )
        row["_account"] = account

    def find(self, row):
        return m.AccountMetric.objects.filter(account=row["_account"], date=row["date"]).first()


class PersonResource(RegistryResource):
    import_kind = "people"
    name_en = text("name_en")
    name_zh = text("name_zh")
    aliases = text("aliases")
    description = text("description")

    class Meta:
        model = m.Person
        fields = ("name_en", "name_zh", "aliases", "description")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        store_row_values = True

    def resolve(self, row):
        row["name_en"], row["name_zh"] = row.get("name_en") or "", row.get("name_zh") or ""

    def find(self, row):
        if not row["name_en"] and not row["name_zh"]:
            raise RowError(gettext("line %(line)s: give a Chinese name or an English name") % {"line": row[LINE]})
        found = m.Person.objects.filter(name_en__iexact=row["name_en"]).first() if row["name_en"] else None
        if found is None and row["name_zh"]:
            found = m.Person.objects.filter(name_zh=row["name_zh"]).first()
        if found is not None and not row["name_en"]:
            row["name_en"] = found.name_en  # a Chinese-only row keeps the English name on record
        return found


class PositionResource(RegistryResource):
    import_kind = "positions"
    person = related("person", lambda p: p.name_en or p.name_zh)
    organisation = related("organisation", lambda o: o.name_en or o.name_zh)
    credit_code = readonly("organisation__credit_code", "credit_code")
    title = text("title")
    start_date = value("start_date")
    end_date = value("end_date")

    class Meta:
        model = m.Position
        fields = ("person", "organisation", "credit_code", "title", "start_date", "end_date")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        store_row_values = True

    def resolve(self, row):
        row["person"] = self.lookups.person(row["person"])
        row["organisation"] = self.lookups.organisation(
            row.get("organisation"),
            row.get("credit_code"),
            required=bool(row.get("organisation") or row.get("credit_code")),
        )

    def find(self, row):
        return m.Position.objects.filter(
            person=row["person"], organisation=row["organisation"], title=row["title"]
        ).first()


class StatementResource(RegistryResource):
    import_kind = "statements"
    quote = text("quote")
    kind = value("kind")
    speaker = related("speaker", lambda p: p.name_en or p.name_zh)
    organisation = related("organisation", lambda o: o.name_en or o.name_zh)
    role = text("role")
    stated_on = value("stated_on")
    stated_precision = value("stated_precision", column="_stated_precision")
    source = related("source", str, column="_source")
    source_url = readonly("source__url", "source_url")
    source_title = readonly("source__title", "source_title")

    class Meta:
        model = m.Statement
        fields = (
            "quote",
            "kind",
            "speaker",
            "organisation",
            "role",
            "stated_on",
            "stated_precision",
            "source",
            "source_url",
            "source_title",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        store_row_values = True

    def resolve(self, row):
        row["kind"] = row.get("kind") or m.StatementKind.QUOTE
        row["speaker"] = self.lookups.person(row.get("speaker"))
        row["organisation"] = self.lookups.organisation(row.get("organisation"), required=bool(row.get("organisation")))
        row["_source"] = self.lookups.source(row.get("source_url"), row.get("source_title"))
        if row.get("stated_on"):
            row["stated_on"], row["_stated_precision"] = row["stated_on"]

    def find(self, row):
        return m.Statement.objects.filter(
            source=row["_source"], kind=row["kind"], quote_key=m.quote_key(row["quote"])
        ).first()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.quote = instance.quote.strip()
        instance.quote_key = m.quote_key(instance.quote)


RESOURCES: dict[str, type[RegistryResource]] = {
    r.import_kind: r
    for r in (
        OrganisationResource,
        MembershipResource,
        AccountResource,
        AccountMetricResource,
        PersonResource,
        PositionResource,
        StatementResource,
    )
}

__all__ = ["RESOURCES", "SYSTEM_USER", "SpreadsheetFormat", "raw_dataset", "iter_text_rows"]
