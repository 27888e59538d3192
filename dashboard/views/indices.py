"""Influence indices: a cohort's WeChat (WCI) or Weibo (BCI) accounts ranked
for a period, and one account's index over time. Formulas: registry.indices
and docs/INDICES.md."""

import datetime

import django_tables2 as tables
from django import forms
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from dashboard import charts, queries
from dashboard.access import viewer_required
from dashboard.catalogue import build_chart
from dashboard.filters import EARLIEST_DATE, ScopeError, default_cohort, reference_rows, scope_from_request
from dashboard.queries import Composition
from dashboard.tables import (
    DATA,
    EXPORT_FORMATS,
    FOLD_ROWS,
    DashboardTable,
    NumberColumn,
    SyntheticColumn,
    export_response,
    name_with_mark,
)
from dashboard.views.common import bad_filters
from dashboard.widgets import LeanForm
from registry import indices
from registry.models import Account
from registry.names import shown_name

PLATFORMS = (("wechat", gettext_lazy("WeChat (WCI)")), ("weibo", gettext_lazy("Weibo (BCI)")))
DEFAULT_DAYS = queries.INDEX_DEFAULT_DAYS
MAX_DAYS = queries.INDEX_MAX_DAYS
SOURCE = gettext_lazy("New-media registry metric snapshots; formula after Qingbo %(name)s (see docs/INDICES.md)")


class IndexForm(LeanForm):
    platform = forms.ChoiceField(choices=PLATFORMS, required=False)
    cohort = forms.ChoiceField(required=False)
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, cohorts):
        super().__init__(data)
        self.fields["cohort"].choices = [("", gettext("All companies")), *((c.slug, str(c)) for c in cohorts)]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        for name in ("start", "end"):
            value = data.get(name)
            if value and not EARLIEST_DATE <= value <= datetime.date(2100, 12, 31):
                self.add_error(name, gettext("Choose a date after %(year)s.") % {"year": EARLIEST_DATE.year})
        if start and end:
            if start > end:
                self.add_error("end", gettext("The end comes before the start."))
            elif (end - start).days + 1 > MAX_DAYS:
                self.add_error("end", gettext("Choose a period of at most %(days)s days.") % {"days": MAX_DAYS})
        return data


class RankingTable(DashboardTable):
    rank = NumberColumn(verbose_name=gettext_lazy("Rank"))
    account = tables.Column(
        verbose_name=gettext_lazy("Account"),
        linkify=lambda record: reverse("dashboard:index_account", args=[record["account_id"]]),
        attrs={"td": DATA},
    )
    organisation = tables.Column(verbose_name=gettext_lazy("Organisation"), attrs={"td": DATA})
    index = NumberColumn(verbose_name=gettext_lazy("Index"), decimals=2)
    synthetic = SyntheticColumn(accessor="synthetic")

    fold_rows = FOLD_ROWS

    class Meta:
        orderable = True
        attrs = {"class": "table ranking"}

    def render_organisation(self, value, record):
        url = reverse("dashboard:company_detail", args=[record["organisation_id"]])
        return name_with_mark(url, value, record["synthetic"])

    def value_organisation(self, value):
        return value

    def value_index(self, value):
        return round(value, 2)


def _input_columns(platform: str) -> list[tuple[str, tables.Column]]:
    names = (
        ["days", "posts", "reads", "wows", "likes", "shares", "headline_reads", "max_reads"]
        if platform == "wechat"
        else ["days", "posts", "shares", "comments", "likes"]
    )
    labels = {
        "days": gettext_lazy("days"),
        "posts": gettext_lazy("posts"),
        "reads": gettext_lazy("reads"),
        "likes": gettext_lazy("likes"),
        "comments": gettext_lazy("comments"),
        "shares": gettext_lazy("reposts") if platform == "weibo" else gettext_lazy("shares"),
        "wows": gettext_lazy("wows (在看)"),
        "headline_reads": gettext_lazy("headline reads"),
        "max_reads": gettext_lazy("peak reads"),
    }
    return [(n, NumberColumn(verbose_name=labels[n])) for n in names]


def _rows(ranked, platform):
    names = [name for name, _column in _input_columns(platform)]  # once, not per row
    rows = []
    for item in ranked:
        row = {
            "rank": item.rank,
            "account": item.account,
            "account_id": item.account_id,
            "organisation": item.organisation,
            "organisation_id": item.organisation_id,
            "index": item.index,
            "synthetic": item.synthetic,
        }
        for name in names:
            row[name] = getattr(item.totals, name)
        rows.append(row)
    return rows


@viewer_required
@require_GET
def ranking(request):
    """Accounts ranked by index for a period, with the chart of the top ones
    (downloads and "add to briefing" as for every chart). Queries: user,
    permissions (2), cohorts, platforms, latest snapshot date (only when the
    period is defaulted), the grouped ranking, the scope's facts (unless cached)
    (+ demo banner)."""
    cohorts, platform_rows = reference_rows()
    # Without a "cohort" parameter the page ranks the default cohort, so the form
    # is bound to it too: the select shows what the page shows, and Apply keeps it.
    form_data = request.GET.copy()
    if "cohort" not in form_data:
        fallback = default_cohort(cohorts)
        form_data["cohort"] = fallback.slug if fallback is not None else ""
    form = IndexForm(form_data, cohorts=cohorts)
    if not form.is_valid():
        return bad_filters(request, form.errors)
    data = form.cleaned_data
    platform = data["platform"] or "wechat"
    params = QueryDict(mutable=True)
    params["cohort"] = data["cohort"]
    if any(p.slug == platform for p in platform_rows):
        params.setlist("platform", [platform])
    try:
        scope, _filters = scope_from_request(params, cohorts=cohorts, platforms=platform_rows)
    except ScopeError as error:
        return bad_filters(request, error.errors)
    cohort = scope.cohort
    members = scope.members()
    start, end = queries.index_period(platform=platform, members=members, start=data["start"], end=data["end"])
    ranked = indices.ranked_accounts(platform_slug=platform, start=start, end=end, organisations=members) if end else []
    # The date fields show the period the page used, also when it chose it.
    form.data = form.data.copy()
    form.data["platform"] = platform
    form.data["start"] = start.isoformat() if start else ""
    form.data["end"] = end.isoformat() if end else ""
    synthetic = sum(1 for item in ranked if item.synthetic)
    name = indices.PLATFORM_INDEX[platform]
    table = RankingTable(_rows(ranked, platform), extra_columns=_input_columns(platform))
    cohort_label = str(cohort) if cohort else "all companies"
    file_stem = f"{name.lower()}_{cohort.slug if cohort else 'all-companies'}_{start}_{end}"
    export_format = request.GET.get("_export")
    if export_format in EXPORT_FORMATS and ranked:
        RequestConfig(request, paginate=False).configure(table)
        return export_response(table, export_format, file_stem)
    RequestConfig(request, paginate={"per_page": 100}).configure(table)
    panel = None
    if ranked:
        period = {"start": start.isoformat(), "end": end.isoformat()}
        chart = build_chart("index-ranking", scope, platform=platform, **period, ranked=ranked)
        # Downloads and briefings rebuild exactly this ranking: the period is spelled out.
        panel = {
            "chart": chart,
            "figure": chart.figure,
            "fig_id": "fig-index-ranking",
            "query": scope.querystring(platform=platform, **period),
        }
    return render(
        request,
        "dashboard/indices.html",
        {
            "form": form,
            "platform": platform,
            "index_name": name,
            "cohort": cohort,
            "cohort_label": cohort_label,
            "start": start,
            "end": end,
            "table": table,
            "panel": panel,
            "figure": panel["figure"] if panel else None,
            "count": len(ranked),
            "synthetic": synthetic,
            "real": len(ranked) - synthetic,
            "table_split": Composition(len(ranked), synthetic),
            "export_formats": EXPORT_FORMATS,
            "table_label": gettext("%(index)s ranking") % {"index": name},
        },
    )


BUCKETS = ("month", "week")


@viewer_required
@require_GET
def account_index(request, account_id: int):
    """One account's index per month (or ?bucket=week) over all its snapshots.
    Queries: user, permissions (2), the account with organisation and platform,
    the first/last snapshot dates, the grouped series (+ demo banner)."""
    account = get_object_or_404(Account.objects.select_related("organisation", "platform"), pk=account_id)
    bucket = request.GET.get("bucket", "month")
    if bucket not in BUCKETS:
        return bad_filters(
            request, {"bucket": [gettext("Choose one of: %(options)s.") % {"options": ", ".join(BUCKETS)}]}
        )
    platform = account.platform.slug
    name = indices.PLATFORM_INDEX.get(platform)
    points = indices.index_over_time(account=account, platform_slug=platform, bucket=bucket) if name else []
    figure = None
    if points:
        meta = charts.ChartMeta(
            title=(
                gettext("%(index)s of %(account)s, by month")
                if bucket == "month"
                else gettext("%(index)s of %(account)s, by week")
            )
            % {"index": name, "account": account.display_name},
            subtitle=gettext("%(organisation)s on %(platform)s")
            % {"organisation": shown_name(account.organisation), "platform": shown_name(account.platform)},
            source=SOURCE % {"name": name},
            demo=account.is_demo,
        )
        figure = charts.index_over_time_line(points, meta, index_name=name, bucket=bucket)
    return render(
        request,
        "dashboard/indices_account.html",
        {
            "account": account,
            "index_name": name,
            "points": points,
            "figure": figure,
            "bucket": bucket,
            "buckets": BUCKETS,
        },
    )
