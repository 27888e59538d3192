"""The filter state every chart page shares, read from the URL.

``ScopeFilter`` (django-filter) validates the query string; ``Scope`` is the
clean result that queries, charts and exports take. The whole state lives in
the URL, so a link reproduces the exact view.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext

from dashboard.widgets import LeanForm
from registry.formatting import format_date, join_parts
from registry.geo import PROVINCE_LABELS, PROVINCES, province_label
from registry.models import (
    Cohort,
    CohortMembership,
    Language,
    Organisation,
    Ownership,
    Person,
    Platform,
    Sector,
    Source,
    SourceKind,
    Statement,
    StatementKind,
    Topic,
)
from registry.names import ordered_names, shown_name
from registry.statements.search import search_sources, search_statements

EARLIEST_DATE = datetime.date(2000, 1, 1)


def _join(values) -> str:
    """Filter values in a list: "A, B" in English, "A、B" in Chinese."""
    return pgettext("separator between filter values", ", ").join(str(v) for v in values)


@dataclass(frozen=True)
class Scope:
    """What a chart covers: a cohort's members (optionally narrowed), a set of
    platforms and the date adoption is measured on."""

    cohort: Cohort | None
    as_of: datetime.date
    platforms: tuple[Platform, ...]
    ownership: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    is_default_as_of: bool = True
    platform_param: tuple[str, ...] = ()
    cohorts: tuple[Cohort, ...] = field(default=(), compare=False, repr=False)

    def members(self) -> QuerySet[Organisation]:
        """Organisations in scope, as a lazy queryset (used as a subquery)."""
        qs = Organisation.objects.all()
        if self.cohort is not None:
            qs = qs.filter(id__in=CohortMembership.objects.filter(cohort=self.cohort).values("organisation_id"))
        else:
            qs = qs.companies()
        if self.ownership:
            qs = qs.filter(ownership__in=self.ownership)
        if self.sectors:
            qs = qs.filter(sector__in=self.sectors)
        if self.provinces:
            qs = qs.filter(province__in=self.provinces)
        return qs

    @property
    def cohort_label(self) -> str:
        return str(self.cohort) if self.cohort else gettext("all companies in the registry")

    @property
    def is_demo(self) -> bool:
        return bool(self.cohort and self.cohort.is_demo)

    def describe(self) -> str:
        """The filters in words, for subtitles and exported files, in the active language."""
        parts = [self.cohort_label]
        if self.ownership:
            parts.append(
                gettext("ownership: %(values)s") % {"values": _join(Ownership(o).label for o in self.ownership)}
            )
        if self.sectors:
            parts.append(gettext("sector: %(values)s") % {"values": _join(Sector(s).label for s in self.sectors)})
        if self.provinces:
            parts.append(gettext("province: %(values)s") % {"values": _join(province_label(p) for p in self.provinces)})
        if self.platforms:
            names = _join(shown_name(p) for p in self.platforms)
            parts.append(gettext("platforms: %(values)s") % {"values": names})
        else:
            parts.append(gettext("no platforms"))
        parts.append(gettext("as of %(date)s") % {"date": format_date(self.as_of)})
        return join_parts(parts)

    def query_params(self) -> dict[str, list[str] | str]:
        params: dict[str, list[str] | str] = {}
        params["cohort"] = self.cohort.slug if self.cohort is not None else ""
        if not self.is_default_as_of:
            params["as_of"] = self.as_of.isoformat()
        if self.ownership:
            params["ownership"] = list(self.ownership)
        if self.sectors:
            params["sector"] = list(self.sectors)
        if self.provinces:
            params["province"] = list(self.provinces)
        if self.platform_param:
            params["platform"] = list(self.platform_param)
        return params

    def querystring(self, **extra) -> str:
        params = {**self.query_params(), **extra}
        return urlencode(params, doseq=True)

    def file_stem(self) -> str:
        """The part of export file names that says what the file covers."""
        cohort = self.cohort.slug if self.cohort else "all-companies"
        return f"{cohort}_{self.as_of.isoformat()}"


class ScopeFilter(django_filters.FilterSet):
    """Validates the dashboard's query string. Choices come from reference rows
    loaded once per request (``cohorts`` and ``platforms``), not per field."""

    cohort = django_filters.ChoiceFilter(
        label=gettext_lazy("Cohort"), empty_label=gettext_lazy("All companies"), method="_noop"
    )
    as_of = django_filters.DateFilter(
        label=gettext_lazy("As of"),
        method="_noop",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ownership = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Ownership"), choices=Ownership.choices, widget=forms.CheckboxSelectMultiple, method="_noop"
    )
    sector = django_filters.MultipleChoiceFilter(label=gettext_lazy("Sector"), choices=Sector.choices, method="_noop")
    province = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Province"), choices=[(p, PROVINCE_LABELS[p]) for p in PROVINCES], method="_noop"
    )
    platform = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Platforms"), widget=forms.CheckboxSelectMultiple, method="_noop"
    )

    class Meta:
        model = Organisation
        fields: list[str] = []
        form = LeanForm

    def __init__(self, data=None, *, cohorts, platforms, **kwargs):
        super().__init__(data, queryset=Organisation.objects.none(), **kwargs)
        self.cohort_rows, self.platform_rows = tuple(cohorts), tuple(platforms)
        self.filters["cohort"].extra["choices"] = [(c.slug, str(c)) for c in cohorts]
        self.filters["platform"].extra["choices"] = [(p.slug, shown_name(p)) for p in platforms]

    def _noop(self, queryset, name, value):
        return queryset

    def clean_as_of(self, value):
        return value


def default_cohort(cohorts: tuple[Cohort, ...]) -> Cohort | None:
    """The cohort a first visit shows: the newest real list, else the newest."""
    real = [c for c in cohorts if not c.is_demo]
    return (real or list(cohorts) or [None])[0]


def reference_rows() -> tuple[tuple[Cohort, ...], tuple[Platform, ...]]:
    """Cohorts and platforms for filter choices. Costs 2 queries."""
    cohorts = tuple(Cohort.objects.order_by("-year", "name"))
    platforms = tuple(Platform.objects.order_by("display_order", "name_en"))
    return cohorts, platforms


class ScopeError(ValueError):
    """The query string cannot be turned into a scope; carries form errors."""

    def __init__(self, errors):
        super().__init__("invalid filters")
        self.errors = errors


def _mutable_query(params) -> QueryDict:
    """A mutable copy of a query string given as a QueryDict or a plain dict."""
    if isinstance(params, QueryDict):
        return params.copy()
    query = QueryDict(mutable=True)
    for name, value in (params or {}).items():
        query.setlist(name, list(value) if isinstance(value, (list, tuple)) else [value])
    return query


def scope_from_request(params, *, cohorts, platforms, today: datetime.date | None = None) -> tuple[Scope, ScopeFilter]:
    """Build the scope from a query string. Raises ``ScopeError`` on bad input."""
    today = today or timezone.localdate()
    # Without a "cohort" parameter the page shows the default cohort, so the
    # form is bound to it too: the select then shows what the page shows.
    params = _mutable_query(params)
    if "cohort" not in params:
        fallback = default_cohort(cohorts)
        params["cohort"] = fallback.slug if fallback is not None else ""
    filterset = ScopeFilter(params, cohorts=cohorts, platforms=platforms)
    form = filterset.form
    if not form.is_valid():
        raise ScopeError(form.errors)
    data = form.cleaned_data
    by_slug = {c.slug: c for c in cohorts}
    cohort = by_slug.get(data.get("cohort") or "")
    as_of = data.get("as_of") or today
    if as_of < EARLIEST_DATE or as_of > datetime.date(today.year + 1, 12, 31):
        form.add_error(
            "as_of",
            gettext("Choose a date between %(first)s and %(last)s.")
            % {"first": EARLIEST_DATE.year, "last": today.year + 1},
        )
        raise ScopeError(form.errors)
    chosen = set(data.get("platform") or [])
    main = [p for p in platforms if p.is_main]
    selected = tuple(p for p in platforms if p.slug in chosen) if chosen else tuple(main or platforms)
    scope = Scope(
        cohort=cohort,
        as_of=as_of,
        platforms=selected,
        ownership=tuple(data.get("ownership") or ()),
        sectors=tuple(data.get("sector") or ()),
        provinces=tuple(data.get("province") or ()),
        is_default_as_of=not data.get("as_of"),
        platform_param=tuple(p.slug for p in selected) if chosen else (),
        cohorts=cohorts,
    )
    # The controls show what the page used, also where it chose a default: today's
    # date, and the main platforms ticked when none were.
    if not data.get("as_of"):
        params["as_of"] = as_of.isoformat()
    if not chosen:
        params.setlist("platform", [p.slug for p in selected])
    return scope, filterset


# --------------------------------------------------------------------------- list pages
#
# FilterSets for the list pages. Choices that come from the database are read
# once per request in ``__init__`` (one query per list, noted on each), so
# validating a value costs no further query and a bad value is a form error
# the page answers with a 400.


def _date_input(label: str, field_name: str, lookup: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        label=label, field_name=field_name, lookup_expr=lookup, widget=forms.DateInput(attrs={"type": "date"})
    )


class CompanyFilter(django_filters.FilterSet):
    """Companies: search in every name, cohort, ownership, sector, province and
    the date the platform columns are measured on. Cohorts: 1 query."""

    q = django_filters.CharFilter(
        label=gettext_lazy("Search names"),
        method="search_names",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": gettext_lazy("中文, English or pinyin (zgsh)")}),
    )
    cohort = django_filters.ChoiceFilter(
        label=gettext_lazy("Cohort"), empty_label=gettext_lazy("All companies"), method="in_cohort"
    )
    ownership = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Ownership"), choices=Ownership.choices, widget=forms.CheckboxSelectMultiple
    )
    sector = django_filters.MultipleChoiceFilter(label=gettext_lazy("Sector"), choices=Sector.choices)
    province = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Province"), choices=[(p, PROVINCE_LABELS[p]) for p in PROVINCES]
    )
    as_of = django_filters.DateFilter(
        label=gettext_lazy("Accounts open on"), method="_noop", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Organisation
        fields: list[str] = []
        form = LeanForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.cohorts = tuple(Cohort.objects.order_by("-year", "name"))
        self.filters["cohort"].extra["choices"] = [(c.slug, str(c)) for c in self.cohorts]

    def search_names(self, queryset, name, value):
        # Names, aliases, traditional characters, pinyin and initials: still one query.
        return queryset.searching(value)

    def in_cohort(self, queryset, name, value: str):
        return queryset.filter(memberships__cohort__slug=value)

    def _noop(self, queryset, name, value):
        return queryset

    @property
    def chosen_cohort(self) -> Cohort | None:
        slug = self.form.cleaned_data.get("cohort") if hasattr(self.form, "cleaned_data") else None
        return next((c for c in self.cohorts if c.slug == slug), None) if slug else None

    def as_of_date(self) -> datetime.date:
        value = self.form.cleaned_data.get("as_of") if hasattr(self.form, "cleaned_data") else None
        return value or timezone.localdate()

    def clean_dates(self):
        value = self.form.cleaned_data.get("as_of")
        if value and value < EARLIEST_DATE:
            self.form.add_error("as_of", gettext("Choose a date from %(first)s on.") % {"first": EARLIEST_DATE.year})

    def is_valid(self):
        valid = super().is_valid()
        if valid:
            self.clean_dates()
        return valid and not self.form.errors


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Search names"), method="search_names", widget=forms.TextInput(attrs={"type": "search"})
    )

    class Meta:
        model = Person
        fields: list[str] = []
        form = LeanForm

    def search_names(self, queryset, name, value):
        return queryset.searching(value)


def _chosen_record(model, value) -> list[tuple[str, str]]:
    """The one choice a by-id filter offers: the record ``value`` names, if it
    exists. Anything else leaves no choices, so the form reports it as invalid.
    1 query when ``value`` is a whole number, none otherwise."""
    value = (value or "").strip() if isinstance(value, str) else ""
    if not value.isdigit() or len(value) > 18:
        return []
    rows = model.objects.filter(pk=int(value)).values_list("pk", "name_en", "name_zh")
    return [(str(pk), ordered_names(zh, en)[0]) for pk, en, zh in rows]


class StatementFilter(django_filters.FilterSet):
    """Statements: text search, speaker, organisation, platform mentioned, topic,
    kind and a date range.

    Speaker and organisation are chosen by id (from a person's or company's page;
    names are found with the text search, which matches speakers and
    organisations too). Their choice lists hold only the chosen record, so the
    form stays small however many people the registry holds: 1 query for each
    one given, none otherwise. Platforms: 1 query; topics: 1."""

    q = django_filters.CharFilter(
        label=gettext_lazy("Search the text"), method="search_text", widget=forms.TextInput(attrs={"type": "search"})
    )
    speaker = django_filters.ChoiceFilter(
        label=gettext_lazy("Speaker"),
        empty_label=gettext_lazy("Anyone (search names in the text box)"),
        method="by_speaker",
    )
    organisation = django_filters.ChoiceFilter(
        label=gettext_lazy("Organisation"), empty_label=gettext_lazy("Any organisation"), method="by_organisation"
    )
    platform = django_filters.ChoiceFilter(
        label=gettext_lazy("Platform mentioned"), empty_label=gettext_lazy("Any platform"), field_name="platforms__slug"
    )
    topic = django_filters.ChoiceFilter(
        label=gettext_lazy("Topic"), empty_label=gettext_lazy("Any topic"), field_name="topics__slug"
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"), empty_label=gettext_lazy("Quotes and paraphrases"), choices=StatementKind.choices
    )
    stated_after = _date_input(gettext_lazy("Said on or after"), "stated_on", "gte")
    stated_before = _date_input(gettext_lazy("Said on or before"), "stated_on", "lte")

    class Meta:
        model = Statement
        fields: list[str] = []
        form = LeanForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        data = data or {}
        self.filters["speaker"].extra["choices"] = _chosen_record(Person, data.get("speaker"))
        self.filters["organisation"].extra["choices"] = _chosen_record(Organisation, data.get("organisation"))
        self.filters["platform"].extra["choices"] = [
            (p.slug, shown_name(p))
            for p in Platform.objects.order_by("display_order", "name_en").only("slug", "name_en", "name_zh")
        ]
        self.filters["topic"].extra["choices"] = list(Topic.objects.order_by("name").values_list("slug", "name"))

    def search_text(self, queryset, name, value):
        return search_statements(queryset, value)

    def by_speaker(self, queryset, name, value):
        return queryset.filter(speaker_id=int(value))

    def by_organisation(self, queryset, name, value):
        return queryset.filter(organisation_id=int(value))

    @property
    def has_text_search(self) -> bool:
        return bool(getattr(self.form, "cleaned_data", {}).get("q"))


class SourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Search title and text"),
        method="search_text",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"), empty_label=gettext_lazy("Any kind"), choices=SourceKind.choices
    )
    language = django_filters.ChoiceFilter(
        label=gettext_lazy("Language"), empty_label=gettext_lazy("Any language"), choices=Language.choices
    )
    published_after = _date_input(gettext_lazy("Published on or after"), "published_on", "gte")
    published_before = _date_input(gettext_lazy("Published on or before"), "published_on", "lte")

    class Meta:
        model = Source
        fields: list[str] = []
        form = LeanForm

    def search_text(self, queryset, name, value):
        return search_sources(queryset, value)
