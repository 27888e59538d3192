"""Tables for the list pages (django-tables2) and their CSV/XLSX export.

Every export goes through ``SafeTableExport``, which neutralises cells that a
spreadsheet would run as a formula (CSV/formula injection): a text cell that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading single quote, so it is shown as text."""

import functools
import inspect

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import format_html
from django.utils.translation import get_language, gettext, gettext_lazy
from django_tables2 import utils as tables_utils
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.export import TableExport

from dashboard.templatetags.links import web_url
from registry import names
from registry.formatting import format_number, format_readable
from registry.geo import province_label
from registry.models import Account, Organisation, Person, Platform, Source, Statement
from registry.synthetic import synthetic_mark

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMATS = (TableExport.CSV, TableExport.XLSX)


def neutralise(value):
    """A cell value that spreadsheets will not evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class SafeTableExport(TableExport):
    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        dataset.headers = [neutralise(h) for h in dataset.headers or []]
        rows = [tuple(neutralise(v) for v in row) for row in dataset]
        del dataset[:]  # tablib: remove every row, keep headers
        for row in rows:
            dataset.append(row)
        return dataset


def export_response(table, export_format: str, name: str):
    """The table's rows (all of them, not one page) as a file download."""
    return SafeTableExport(export_format, table).response(filename=f"{name}.{export_format}")


def _presence_class(bound_column, record) -> str:
    return "yes" if bound_column.accessor.resolve(record, quiet=True) else "no"


MAX_PER_PAGE = 200
# Tables under charts show this many rows first, with a control for the rest
# (templates/dashboard/_table_body.html; the same number is in site.css).
FOLD_ROWS = 20


def counted_paginator(count: int) -> type[Paginator]:
    """A Paginator that takes the row count the page has already read (e.g. with
    its real and synthetic split) instead of running its own COUNT query."""

    class CountedPaginator(Paginator):
        pass

    CountedPaginator.count = count
    return CountedPaginator


class DashboardTable(tables.Table):
    """Base for the dashboard's tables. ``?per_page=`` comes from the URL
    unchecked by django-tables2; a size outside 1..MAX_PER_PAGE falls back to
    the table's own, so no value makes a page fail or fetch without limit.

    ``fold_rows``: a table under a chart sets it to FOLD_ROWS, so the page shows
    that many rows first (the download always has them all)."""

    fold_rows: int | None = None

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        if per_page is not None and not (1 <= per_page <= MAX_PER_PAGE):
            per_page = None
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)


class NumberColumn(tables.Column):
    """A number in the one number format (registry.formatting), right-aligned;
    exports keep the plain number. ``decimals`` fixes the decimals shown."""

    def __init__(self, *args, decimals: int | None = None, readable: bool = False, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        kwargs.setdefault("default", "")
        self.decimals = decimals
        self.readable = readable  # a large count: 123.5万 in Chinese (the exact number on hover)
        super().__init__(*args, **kwargs)

    def render(self, value):
        if self.readable:
            shown = format_readable(value)
            exact = format_number(value)
            return shown if shown == exact else format_html('<span title="{}">{}</span>', exact, shown)
        return format_number(value, self.decimals)

    def value(self, value):
        return value


# Cells that hold registry data (names, quotes, titles), not interface words: translate="no"
# tells browsers' page translators to leave them alone, and the language test to skip them.
DATA = {"translate": "no"}


class SyntheticColumn(tables.Column):
    """Whether the row is synthetic demo data: in exports only (yes/no); on the
    page the row's name carries the mark instead."""

    def __init__(self, accessor: str = "is_demo", **kwargs):
        kwargs.setdefault("verbose_name", gettext_lazy("Synthetic demo data"))
        super().__init__(accessor=accessor, visible=False, orderable=False, default=False, **kwargs)

    def value(self, value):
        return gettext("yes") if value else gettext("no")


def name_with_mark(url: str | None, name, synthetic: bool) -> str:
    """A row's name, linked, followed by the synthetic mark when it is demo data."""
    link = format_html('<a href="{}">{}</a>', url, name) if url else format_html("{}", name)
    return format_html("{} {}", link, synthetic_mark()) if synthetic else link


class WebLinkColumn(tables.Column):
    """An "open" link to a stored address, only when it is http(s) (see
    dashboard.templatetags.links); exports carry the address as text."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def render(self, value):
        url = web_url(value)
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', url, gettext("open")) if url else ""

    def value(self, value):
        return value


@functools.lru_cache(maxsize=64)
def _presence_cell(present: bool, language: str | None) -> str:
    return format_html(
        '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>',
        "✓" if present else "✗",
        gettext("yes") if present else gettext("no"),
    )


class PresenceColumn(tables.Column):
    """✓/✗ for an annotated boolean; exported as yes/no."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": _presence_class}, "th": {"class": "presence"}})
        kwargs.setdefault("default", False)
        super().__init__(*args, **kwargs)

    def render(self, value):
        # Two possible cells per language, drawn once each (eight columns of 50 rows a page).
        return _presence_cell(bool(value), get_language())

    def value(self, value):
        return gettext("yes") if value else gettext("no")


class BilingualNameTable(DashboardTable):
    """A table whose ``name_en`` column shows the record's names in the reader's
    language (Chinese first in zh-hans), links to its page, marks synthetic rows,
    and sorts by the name shown first (pinyin order in Chinese, stored sort keys)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Sorted by the name shown first: pinyin order in Chinese (stored sort keys).
        self.columns["name_en"].column.order_by = (names.sort_field(),)

    def render_name_en(self, value, record):
        name = names.bilingual_html(record.name_zh, record.name_en, url=record.get_absolute_url())
        return format_html("{} {}", name, synthetic_mark()) if record.is_demo else name

    def value_name_en(self, value, record):
        return record.name_en or record.name_zh


class CompanyTable(BilingualNameTable):
    name_en = tables.Column(gettext_lazy("Name"), attrs={"td": {"class": "name", **DATA}}, empty_values=())
    name_zh = tables.Column(gettext_lazy("Chinese name"), attrs={"td": {"lang": "zh", **DATA}})
    rank = NumberColumn(gettext_lazy("Rank"), accessor="cohort_rank")
    ownership = tables.Column(gettext_lazy("Ownership"))
    sector = tables.Column(gettext_lazy("Sector"))
    province = tables.Column(gettext_lazy("Province"))
    platform_count = NumberColumn(gettext_lazy("Platforms"))
    synthetic = SyntheticColumn()

    class Meta:
        model = Organisation
        fields = ("name_en", "name_zh", "rank", "ownership", "sector", "province", "platform_count", "synthetic")
        order_by = ("name_en",)
        per_page = 50
        empty_text = gettext_lazy("No companies match these filters.")
        attrs = {"class": "table"}

    def render_platform_count(self, value, record):
        # A member with no account at all is "no account recorded", not a 0 that reads as a fact.
        if not value and not getattr(record, "has_accounts", True):
            return format_html('<span class="muted no-account">{}</span>', gettext("No account recorded"))
        return format_number(value)

    def render_province(self, value):
        return province_label(value)

    def value_province(self, value):
        return province_label(value)

    @staticmethod
    def platform_columns(platforms: list[Platform]) -> list[tuple[str, tables.Column]]:
        """One ✓/✗ column per main platform, reading the ``on_<slug>`` annotation."""
        return [
            (
                f"on_{p.slug.replace('-', '_')}",
                PresenceColumn(
                    p.name_en,
                    orderable=True,
                    attrs={"td": {"class": _presence_class}, "th": {"class": "presence", **DATA}},
                ),
            )
            for p in platforms
        ]


class AdopterTable(DashboardTable):
    """Open accounts on one platform, for the platform page."""

    organisation = tables.Column(
        gettext_lazy("Organisation"), accessor="organisation__sort_en", attrs={"td": DATA}, empty_values=()
    )
    rank = NumberColumn(gettext_lazy("Rank"), accessor="cohort_rank")
    display_name = tables.Column(gettext_lazy("Account"), attrs={"td": DATA})
    handle = tables.Column(gettext_lazy("Handle"), attrs={"td": DATA})
    opened = tables.Column(gettext_lazy("Opened"), accessor="opened_display", order_by=("opened_on",))
    followers = NumberColumn(gettext_lazy("Latest followers"), accessor="latest_followers", readable=True)
    url = WebLinkColumn(gettext_lazy("Link"))
    synthetic = SyntheticColumn(accessor="organisation__is_demo")

    fold_rows = FOLD_ROWS

    class Meta:
        model = Account
        fields = ("organisation", "rank", "display_name", "handle", "opened", "followers", "url", "synthetic")
        order_by = ("rank",)
        per_page = 50
        empty_text = gettext_lazy("No organisation in this view has an open account on this platform.")
        attrs = {"class": "table"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns["organisation"].column.order_by = (f"organisation__{names.sort_field()}",)

    def render_organisation(self, value, record):
        url = reverse("dashboard:company_detail", args=[record.organisation_id])
        org = record.organisation
        name = names.bilingual_html(org.name_zh, org.name_en, url=url)
        return format_html("{} {}", name, synthetic_mark()) if org.is_demo else name

    def value_organisation(self, value, record):
        return record.organisation.name_en or record.organisation.name_zh


class PersonTable(BilingualNameTable):
    name_en = tables.Column(gettext_lazy("Name"), attrs={"td": DATA}, empty_values=())
    name_zh = tables.Column(gettext_lazy("Chinese name"), attrs={"td": {"lang": "zh", **DATA}})
    current = tables.Column(
        gettext_lazy("Latest position"), accessor="latest_title", default="", orderable=False, attrs={"td": DATA}
    )
    statement_count = NumberColumn(gettext_lazy("Statements"))

    class Meta:
        model = Person
        fields = ("name_en", "name_zh", "current", "statement_count")
        order_by = ("name_en",)
        per_page = 50
        empty_text = gettext_lazy("No people match these filters.")
        attrs = {"class": "table"}


class StatementTable(DashboardTable):
    stated = tables.Column(gettext_lazy("Date"), accessor="stated_display", order_by=("stated_on",))
    speaker = tables.Column(
        gettext_lazy("Speaker"),
        linkify=lambda record: (
            reverse("dashboard:person_detail", args=[record.speaker_id]) if record.speaker_id else None
        ),
        order_by=("speaker__name_en",),
        attrs={"td": DATA},
    )
    organisation = tables.Column(
        gettext_lazy("Organisation"),
        accessor="organisation__name_en",
        linkify=lambda record: (
            reverse("dashboard:company_detail", args=[record.organisation_id]) if record.organisation_id else None
        ),
        attrs={"td": DATA},
    )
    quote = tables.Column(gettext_lazy("Statement"), orderable=False, attrs={"td": {"class": "quote", **DATA}})
    kind = tables.Column(gettext_lazy("Kind"))
    source = tables.Column(
        gettext_lazy("Source"),
        accessor="source__title",
        linkify=lambda record: reverse("dashboard:source_detail", args=[record.source_id]),
        attrs={"td": DATA},
    )

    class Meta:
        model = Statement
        fields = ("stated", "speaker", "organisation", "quote", "kind", "source")
        order_by = ("-stated",)
        per_page = 25
        empty_text = gettext_lazy("No statements match these filters.")
        attrs = {"class": "table"}


class SourceTable(DashboardTable):
    title = tables.Column(gettext_lazy("Title"), linkify=True, attrs={"td": DATA})
    publisher = tables.Column(gettext_lazy("Publisher"), attrs={"td": DATA})
    published = tables.Column(gettext_lazy("Published"), accessor="published_display", order_by=("published_on",))
    kind = tables.Column(gettext_lazy("Kind"))
    language = tables.Column(gettext_lazy("Language"))
    statement_count = NumberColumn(gettext_lazy("Statements"))
    url = WebLinkColumn(gettext_lazy("Link"))

    class Meta:
        model = Source
        fields = ("title", "publisher", "published", "kind", "language", "statement_count", "url")
        order_by = ("-published",)
        per_page = 50
        empty_text = gettext_lazy("No sources match these filters.")
        attrs = {"class": "table"}


# --------------------------------------------------------------------------- lean body rows
#
# django-tables2 draws each cell through ``BoundRow.get_cell`` and
# ``BoundColumn.attrs``: per cell it looks up the model field again for a
# choices display, re-reads the render method's arguments, and rebuilds the
# column's th/td/tf attributes. On a 50-row page with 15 columns that was most
# of the company list's CPU time (docs/PERFORMANCE.md). ``cell_plan`` does the
# per-column part once per table (the render callable and the arguments it
# takes, the field's choices display, the td attributes when they are
# constant) and ``draw_cell`` only the per-cell part, with django-tables2's
# semantics: the same value, empty check, default, render call, link and td
# attributes (compared with the stock template in tests/test_table_rendering.py).


CELL_ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")


class _CellPlan:
    __slots__ = (
        "bound_column",
        "column",
        "accessor",
        "render",
        "wanted",
        "uncallable",
        "td_raw",
        "td_html",
        "td_seen",
        "displays",
        "slow",
    )

    def __init__(self, table, bound_column):
        self.bound_column = bound_column
        self.column = column = bound_column.column
        self.accessor = tables.A(bound_column.accessor)
        self.render = bound_column.render
        wanted, catch_all = tables_utils.signature(self.render)
        # As call_with_appropriate: every argument to a **kwargs catch-all; None
        # for a callable that wants an argument no cell has.
        self.wanted = None if catch_all else wanted
        self.uncallable = not catch_all and any(name not in CELL_ARGUMENTS for name in wanted)
        # Columns whose cells depend on more than a value (links with a fixed
        # text, many-to-many sets) keep django-tables2's own path.
        self.slow = isinstance(column, (ManyToManyColumn, BaseLinkColumn))
        self.td_seen: dict[tuple, str] = {}
        merged = {**table.attrs, **column.attrs}
        self.td_raw = merged.get("td", merged.get("cell", {}))
        constant = all(not callable(v) and not isinstance(v, dict) for v in self.td_raw.values())
        self.td_html = self._td_html({"table": table, "bound_column": bound_column}) if constant else None
        self.displays: dict[type, str | None] = {}  # model class -> name of its get_FOO_display, if choices

    def _td_html(self, kwargs) -> str:
        computed = tables_utils.computed_values(self.td_raw, kwargs=kwargs)
        try:  # the same computed attributes (class "yes" or "no") give the same HTML
            key = tuple(computed.items())
            return self.td_seen[key]
        except (KeyError, TypeError):
            pass
        td = tables_utils.AttributeDict(computed)
        td["class"] = self.bound_column.get_td_class(td)
        html = td.as_html()
        try:
            self.td_seen[key] = html
        except TypeError:
            pass
        return html

    def _display(self, record, penultimate, remainder):
        """``get_FOO_display()``'s answer when the field has choices, else None.
        Django's own method rebuilds the field's choices dict on every call,
        hashing each lazy label (one translation lookup each: 27 per company
        row); here the dict is built once per table and model class."""
        model = type(penultimate)
        if model not in self.displays:
            self.displays[model] = self._display_plan(record, penultimate, remainder)
        plan = self.displays[model]
        if plan is None:
            return None
        if isinstance(plan, str):  # a get_FOO_display of the model's own
            return getattr(penultimate, plan)()
        attname, choices = plan
        value = getattr(penultimate, attname)
        return force_str(choices.get(make_hashable(value), value), strings_only=True)

    def _display_plan(self, record, penultimate, remainder):
        try:
            field = self.accessor.get_field(record)
        except FieldDoesNotExist:
            return None
        name = f"get_{remainder}_display"
        if not getattr(field, "choices", ()) or not getattr(penultimate, name, None):
            return None
        method = inspect.getattr_static(type(penultimate), name, None)
        if isinstance(method, functools.partialmethod) and method.func is models.Model._get_FIELD_display:
            field = method.keywords.get("field", field)
            return field.attname, dict(make_hashable(field.flatchoices))
        return name

    def cell(self, row):
        """(content, td attributes as HTML) of this column's cell in ``row``."""
        bound_column = self.bound_column
        if self.slow:
            content = row.get_cell(bound_column.name)
            return content, self.td(row, content)
        record = row.record
        value = None
        if self.accessor.SEPARATOR in self.accessor:
            penultimate, remainder = self.accessor.penultimate(record)
        else:
            penultimate, remainder = record, self.accessor
        if isinstance(penultimate, models.Model):
            display = self._display(record, penultimate, remainder)
            if display is not None:
                value, remainder = display, None
        if remainder:
            try:
                value = self.accessor.resolve(record)
            except Exception:  # noqa: BLE001 - as django-tables2: a non-field column renders its default
                value = None
        if value in self.column.empty_values:
            content = bound_column.default
        else:
            arguments = {
                "value": value,
                "record": record,
                "column": self.column,
                "bound_column": bound_column,
                "bound_row": row,
                "table": row.table,
            }
            if self.uncallable:
                content = None
            elif self.wanted is None:
                content = self.render(**arguments)
            else:
                content = self.render(**{name: arguments[name] for name in self.wanted})
            if bound_column.link:
                content = bound_column.link(content, **arguments)
        return content, self.td(row, content)

    def td(self, row, content) -> str:
        if self.td_html is not None:
            return self.td_html
        kwargs = {"table": row.table, "bound_column": self.bound_column}
        if content is not None:  # as BoundColumn.attrs: record and value only once a cell has a value
            kwargs.update(record=row.record, value=content)
        return self._td_html(kwargs)


def cell_plans(table) -> list[_CellPlan]:
    """One plan per visible column, made once per table instance (columns are
    fixed once the table is configured for the request)."""
    plans = getattr(table, "_lean_cell_plans", None)
    if plans is None:
        plans = [_CellPlan(table, bound_column) for bound_column in table.columns]
        table._lean_cell_plans = plans
    return plans
