"""Dashboard pages. Views stay thin: read the filters, call ``queries`` and the
chart catalogue, render."""

import dataclasses
from urllib.parse import urlencode

from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.export import ExportMixin

from dashboard import charts, queries
from dashboard.access import viewer_required
from dashboard.catalogue import CATALOGUE, ChartParamError, build_chart, scope_facts
from dashboard.filters import (
    CompanyFilter,
    PersonFilter,
    Scope,
    ScopeError,
    SourceFilter,
    StatementFilter,
    reference_rows,
    scope_from_request,
)
from dashboard.tables import (
    EXPORT_FORMATS,
    FOLD_ROWS,
    AdopterTable,
    CompanyTable,
    PersonTable,
    SafeTableExport,
    SourceTable,
    StatementTable,
    counted_paginator,
    export_response,
)
from dashboard.views.common import bad_filters
from registry.history import organisation_history
from registry.models import (
    Account,
    CohortMembership,
    Organisation,
    Person,
    Platform,
    Position,
    PublishedFigure,
    Source,
)


def _panel(chart_data, query: str | None = None, *, synthetic: bool = False) -> dict:
    """What templates/dashboard/_chart.html needs for one chart. ``query`` is the
    query string that rebuilds this chart (for its downloads and briefings) when
    the page drew it with other filters than the URL's own. ``synthetic``: the
    organisations it counts include synthetic demo ones (the panel is marked)."""
    # The figure is plain data; json_script embeds it (dates as ISO strings).
    panel = {
        "chart": chart_data,
        "figure": chart_data.figure,
        "fig_id": f"fig-{chart_data.slug}",
        "synthetic": synthetic or chart_data.meta.demo,
    }
    if query is not None:
        panel["query"] = query
    return panel


def _composition(chart_data) -> queries.Composition | None:
    """Real and synthetic organisations a chart counts (its meta carries them,
    from the scope's facts), or None for a chart that does not count a scope."""
    meta = chart_data.meta
    if meta.real is None:
        return None
    return queries.Composition(meta.real + meta.synthetic, meta.synthetic)


def _scope_or_400(request):
    """(scope, filterset, None) or (None, None, a 400 response listing the errors)."""
    cohorts, platforms = reference_rows()
    try:
        scope, filterset = scope_from_request(request.GET, cohorts=cohorts, platforms=platforms)
    except ScopeError as error:
        return None, None, bad_filters(request, error.errors)
    return scope, filterset, None


@viewer_required
@require_GET
def overview(request):
    """Headline cards, adopters per platform and adoption over time.
    Queries: user, cohorts, platforms, then for charts not cached since the last
    write: the scope's facts (real and synthetic organisations), adoption (real
    and synthetic), timeline (+ demo banner). The cards read the cached adopters
    chart, so a warm overview reads nothing from the registry."""
    scope, filterset, error = _scope_or_400(request)
    if error:
        return error
    by_platform = build_chart("adoption-by-platform", scope)
    adoption = by_platform.extra["adoption"]
    composition = _composition(by_platform) or queries.Composition(by_platform.extra["size"], 0)
    panels = [
        by_platform,
        build_chart("adoption-share", scope, adoption=adoption),
        build_chart("adoption-over-time", scope),
    ]
    cards = [{"row": row, "headline": charts.headline(row.adopters)} for row in adoption]
    # Cached with the chart above: no query of its own once the chart is built.
    facts = scope_facts(scope)
    return render(
        request,
        "dashboard/overview.html",
        {
            "scope": scope,
            "with_accounts": facts.with_accounts,
            "no_account_data": scope.cohort is not None and facts.members and facts.with_accounts == 0,
            "filter": filterset,
            "cohort_size": composition.total,
            "composition": composition,
            "cards": cards,
            "panels": [_panel(p, synthetic=bool(composition.synthetic)) for p in panels],
            "chart_links": _chart_links(scope),
        },
    )


# --------------------------------------------------------------------------- chart pages

# Charts that get a page of their own from the overview, in this order.
CHART_PAGES = (
    "adoption-by-ownership",
    "adoption-by-sector",
    "presence-matrix",
    "multi-platform",
    "follower-distribution",
    "top-accounts",
    "adoption-share",
    "adoption-by-platform",
    "adoption-over-time",
)


def _chart_links(scope: Scope) -> list[dict]:
    query = scope.querystring()
    return [{"slug": slug, "title": CATALOGUE[slug].title, "query": query} for slug in CHART_PAGES if slug in CATALOGUE]


def _has_data(rows) -> bool:
    """Whether a chart's table says anything: a row with a value other than 0 or blank."""
    return any(cell not in (0, None, "") for row in rows for cell in row[1:])


@viewer_required
@require_GET
def chart_page(request, slug: str):
    """One chart from the catalogue with the shared filters and its data table.
    Queries: user, user permissions, group permissions, cohorts, platforms,
    the chart's own (1-2, see catalogue; none once cached; its meta carries the
    real and synthetic organisations the page shows), demo banner."""
    definition = CATALOGUE.get(slug)
    if definition is None:
        raise Http404("No such chart.")
    scope, filterset, error = _scope_or_400(request)
    if error:
        return error
    params = {name: request.GET.get(name, "") for name in definition.params}
    try:
        chart_data = build_chart(slug, scope, **params)
    except ChartParamError as problem:
        return bad_filters(request, {", ".join(definition.params) or "chart": [str(problem)]})
    # A chart of one company (extra parameters) counts no one else; the others count the scope.
    composition = None if definition.params else _composition(chart_data)
    return render(
        request,
        "dashboard/chart_page.html",
        {
            "scope": scope,
            "filter": filterset,
            "composition": composition,
            "panel": _panel(chart_data, synthetic=bool(composition and composition.synthetic)),
            "chart": chart_data,
            "fold_rows": FOLD_ROWS,
            "has_data": _has_data(chart_data.rows),
            "extra_params": params,
            "chart_links": _chart_links(scope),
        },
    )


@viewer_required
@require_GET
def platform_detail(request, slug: str):
    """One platform: adopters in scope (table), adoption over time, top accounts.
    Queries: user, user permissions, group permissions, cohorts, platforms,
    timeline, top accounts, accounts and organisations (each real and synthetic;
    also the table's row count), table page, demo banner (10)."""
    scope, filterset, error = _scope_or_400(request)
    if error:
        return error
    platform = next((p for p in filterset.platform_rows if p.slug == slug), None)
    if platform is None:
        raise Http404("No such platform.")
    scope = dataclasses.replace(scope, platforms=(platform,), platform_param=())
    accounts = queries.platform_adopters(scope=scope, platform=platform)
    table = AdopterTable(accounts)
    export_format = request.GET.get("_export")
    if SafeTableExport.is_valid_format(export_format) and export_format in EXPORT_FORMATS:
        RequestConfig(request, paginate=False).configure(table)
        return export_response(table, export_format, f"{platform.slug}-accounts_{scope.file_stem()}")
    timeline = build_chart("adoption-over-time", scope)
    top = build_chart("top-accounts", scope)
    counts = queries.adopter_counts(accounts)
    RequestConfig(
        request, paginate={"per_page": 50, "paginator_class": counted_paginator(counts.accounts.total)}
    ).configure(table)
    synthetic = bool(counts.accounts.synthetic)
    # The charts show one platform; their downloads must ask for the same one.
    query = scope.querystring(platform=[platform.slug])
    return render(
        request,
        "dashboard/platform_detail.html",
        {
            "platform": platform,
            "scope": scope,
            "filter": filterset,
            "hide_platforms": True,
            "adopters": counts.organisations.total,
            "adopter_split": counts.organisations,
            "table": table,
            "table_split": counts.accounts,
            "panels": [_panel(timeline, query, synthetic=synthetic), _panel(top, query, synthetic=synthetic)],
            "export_formats": EXPORT_FORMATS,
        },
    )


@viewer_required
@require_GET
def platform_list(request):
    """Every platform with a link to its page. Queries: user, permissions (2),
    platforms with their account counts, demo banner."""
    platforms = queries.platform_summaries()
    synthetic = any(row.synthetic_organisations for row in platforms)
    return render(
        request,
        "dashboard/platform_list.html",
        {"platforms": platforms, "synthetic": synthetic, "today": timezone.localdate()},
    )


# --------------------------------------------------------------------------- list pages


class ListPage(ExportMixin, SingleTableMixin, FilterView):
    """A filtered, sortable, paginated table with CSV/XLSX export of exactly the
    filtered rows. A filter value that does not validate gets a 400 page."""

    export_class = SafeTableExport
    export_formats = EXPORT_FORMATS
    export_name = "table"
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        if self.filterset.is_bound and not self.filterset.is_valid():
            return bad_filters(request, self.filterset.form.errors)
        self.object_list = self.filterset.qs
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    def get_export_filename(self, export_format):
        return f"{self.export_name}_{timezone.localdate().isoformat()}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_formats"] = self.export_formats
        context["filtered"] = bool(
            self.filterset.is_bound and any(v for k, v in self.request.GET.items() if k in self.filterset.filters)
        )
        return context


@method_decorator([viewer_required, require_GET], name="dispatch")
class CompanyList(ListPage):
    """Companies with a ✓/✗ column per main platform.
    Queries: user, user permissions, group permissions, cohorts (filter
    choices), main platforms, row count (real and synthetic), page of rows with
    every column annotated, demo banner (8)."""

    filterset_class = CompanyFilter
    table_class = CompanyTable
    template_name = "dashboard/company_list.html"
    export_name = "companies"

    def get_queryset(self):
        return Organisation.objects.companies()

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        self.main_platforms = list(Platform.objects.filter(is_main=True).order_by("display_order", "name_en"))
        return filterset

    def get_table_data(self):
        filterset = self.filterset
        return queries.company_rows(
            self.object_list,
            platforms=self.main_platforms,
            as_of=filterset.as_of_date(),
            cohort=filterset.chosen_cohort,
        )

    def get_table_pagination(self, table):
        # One query counts the rows and the synthetic ones; the paginator reuses it.
        self.split = queries.synthetic_split(self.object_list, "is_demo")
        pagination = super().get_table_pagination(table)
        if pagination is not False:
            pagination["paginator_class"] = counted_paginator(self.split.total)
        return pagination

    def get_table_kwargs(self):
        kwargs = {"extra_columns": CompanyTable.platform_columns(self.main_platforms)}
        if self.filterset.chosen_cohort is None:
            kwargs["exclude"] = ("rank",)  # a rank belongs to a list; without one the column would be empty
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_of = self.filterset.as_of_date()
        context["as_of"] = as_of
        context["cohort"] = self.filterset.chosen_cohort
        context["table_split"] = self.split
        # The date field shows the date the ticks are measured on, also today's default.
        form = self.filterset.form
        if form.is_bound:
            form.data = form.data.copy()
            form.data["as_of"] = as_of.isoformat()
        else:
            form.initial["as_of"] = as_of.isoformat()
        return context


@method_decorator([viewer_required, require_GET], name="dispatch")
class PersonList(ListPage):
    """People with their latest position and statement count.
    Queries: user, user permissions, group permissions, count, page, demo banner (6)."""

    filterset_class = PersonFilter
    table_class = PersonTable
    template_name = "dashboard/person_list.html"
    export_name = "people"

    def get_queryset(self):
        return queries.person_rows(Person.objects.all())


@method_decorator([viewer_required, require_GET], name="dispatch")
class StatementList(ListPage):
    """Statements, searchable and filterable.
    Queries: user, user permissions, group permissions, platforms, topics,
    count, page, demo banner (8); plus one for each chosen speaker or organisation."""

    filterset_class = StatementFilter
    table_class = StatementTable
    template_name = "dashboard/statement_list.html"
    export_name = "statements"

    def get_queryset(self):
        return queries.statements_for()

    def get_table_kwargs(self):
        # With a text search, keep the search's own best-first order unless the user sorts.
        if self.filterset.has_text_search and "sort" not in self.request.GET:
            return {"order_by": ()}
        return {}


@method_decorator([viewer_required, require_GET], name="dispatch")
class SourceList(ListPage):
    """Sources with how many statements cite them.
    Queries: user, user permissions, group permissions, count, page, demo banner (6)."""

    filterset_class = SourceFilter
    table_class = SourceTable
    template_name = "dashboard/source_list.html"
    export_name = "sources"

    def get_queryset(self):
        return queries.source_rows(Source.objects.all())


company_list = CompanyList.as_view()
person_list = PersonList.as_view()
statement_list = StatementList.as_view()
source_list = SourceList.as_view()


# --------------------------------------------------------------------------- detail pages


def _cited_sources(*groups) -> list[Source]:
    """Distinct sources of already-read records (each read with its source
    joined), in the order first met: no further query."""
    seen: dict[int, Source] = {}
    for records in groups:
        for record in records:
            source = getattr(record, "source", None)
            if source is not None and source.pk not in seen:
                seen[source.pk] = source
    return list(seen.values())


@viewer_required
@require_GET
def company_detail(request, pk: int):
    """One organisation: facts, accounts, follower chart, statements, activities,
    cohort ranks, sources and change history.
    Queries: user, user permissions, group permissions, organisation, accounts
    with their follower snapshots, statements, activities, memberships, change
    history, demo banner (10)."""
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), pk=pk)
    today = timezone.localdate()
    accounts, points = queries.accounts_with_follower_history(organisation_id=organisation.pk, until=today)
    statements = list(queries.statements_for(organisation=organisation))
    activities = list(queries.activities_for(organisation=organisation))
    memberships = list(
        CohortMembership.objects.filter(organisation=organisation).select_related("cohort").order_by("-cohort__year")
    )
    panel = None
    if points:
        scope = Scope(cohort=None, as_of=today, platforms=())
        panel = _panel(
            build_chart("company-followers", scope, company=organisation, points=points),
            urlencode({"company": organisation.pk}),
        )
    return render(
        request,
        "dashboard/company_detail.html",
        {
            "organisation": organisation,
            "accounts": accounts,
            "panel": panel,
            "statements": statements,
            "activities": activities,
            "memberships": memberships,
            "sources": _cited_sources(accounts, statements, activities),
            "history": organisation_history(organisation),
        },
    )


@viewer_required
@require_GET
def person_detail(request, pk: int):
    """One person: positions, statements, activities.
    Queries: user, user permissions, group permissions, person, positions,
    statements, activities, demo banner (8)."""
    person = get_object_or_404(Person, pk=pk)
    positions = list(
        Position.objects.filter(person=person)
        .select_related("organisation", "source")
        .order_by(F("start_date").desc(nulls_last=True))
    )
    statements = list(queries.statements_for(speaker=person))
    activities = list(queries.activities_for(person=person))
    return render(
        request,
        "dashboard/person_detail.html",
        {
            "person": person,
            "positions": positions,
            "statements": statements,
            "activities": activities,
            "sources": _cited_sources(positions, statements, activities),
        },
    )


@viewer_required
@require_GET
def source_detail(request, pk: int):
    """One source and everything that cites it.
    Queries: user, user permissions, group permissions, source (with its metric
    count), statements, activities, figures, positions, accounts, demo banner (10)."""
    source = queries.source_with_counts(pk)
    if source is None:
        raise Http404("No such source.")
    return render(
        request,
        "dashboard/source_detail.html",
        {
            "source": source,
            "statements": list(queries.statements_for(source=source)),
            "activities": list(queries.activities_for(source=source)),
            "figures": list(PublishedFigure.objects.filter(source=source).select_related("cohort", "platform")),
            "positions": list(Position.objects.filter(source=source).select_related("person", "organisation")),
            "accounts": list(Account.objects.filter(source=source).select_related("organisation", "platform")),
        },
    )


@viewer_required
@require_GET
def figure_list(request):
    """Published figures beside the live value for the same cohort, platform and
    date, with coverage and a verdict.
    Queries: user, user permissions, group permissions, figures with their live
    counts (one query for all), demo banner (5)."""
    checks = queries.published_figure_checks()
    return render(request, "dashboard/figure_list.html", {"checks": checks})
