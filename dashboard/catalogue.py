"""The dashboard's charts, by slug. Each entry turns a ``Scope`` into a
``ChartData``: the rows (from ``queries``), the figure (from ``charts``), the
table of values for CSV/XLSX, and the series for native PowerPoint charts.

Pages, image exports, data exports and briefing packs all go through
``build_chart``, so they cannot disagree.
"""

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboard import charts, queries
from dashboard.caching import cached_chart, cached_result, peek_result, scope_key, store_result
from dashboard.filters import EARLIEST_DATE, Scope
from registry import indices
from registry.formatting import format_date, format_number, format_short_date, part_separator, shown_name
from registry.models import Organisation

SOURCE_NOTE = gettext_lazy("New-media registry; accounts open on the as-of date, counted once per organisation")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | int | None, ...]


@dataclass(frozen=True)
class NativeChart:
    """What a slide needs to draw an editable chart: 'bar', 'stacked_bar' or 'line'."""

    kind: str
    categories: tuple
    series: tuple[Series, ...]
    number_format: str = "#,##0"


@dataclass
class ChartData:
    slug: str
    meta: charts.ChartMeta
    figure: dict  # {"data": [...], "layout": {...}}, plain JSON-ready data (dashboard.charts)
    columns: tuple[str, ...]
    rows: list[tuple]
    native: NativeChart | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ChartDef:
    """``params`` names the extra query-string parameters the chart needs beyond
    the scope (e.g. ``("company",)`` for a company's follower chart); they are
    passed to ``build`` as keyword arguments (strings), and ``build`` validates
    them, raising ``ChartParamError`` for a bad or missing value."""

    slug: str
    label: str  # the title, lazily translated: read ``title`` for the active language
    build: Callable[..., ChartData]
    params: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return str(self.label)


class ChartParamError(ValueError):
    """A chart's extra parameter is missing or names nothing that exists."""


CATALOGUE: dict[str, ChartDef] = {}


def chart(slug: str, title: str, params: tuple[str, ...] = ()):
    def register(function):
        CATALOGUE[slug] = ChartDef(slug, title, function, params)
        return function

    return register


def build_chart(slug: str, scope: Scope, **context) -> ChartData:
    """Build one chart. Raises ``KeyError`` for an unknown slug."""
    definition = CATALOGUE[slug]
    # Cached per filter state and data version (dashboard/caching.py); a cache hit costs no query.
    return cached_chart(slug, scope, context, lambda: definition.build(scope, title=definition.title, **context))


FACTS = "scope-facts"


def scope_facts(scope: Scope) -> queries.ScopeFacts:
    """Real and synthetic organisations in scope and their newest snapshot:
    1 query, computed once per scope and data version for all its charts."""
    return cached_result(FACTS, (scope_key(scope),), lambda: queries.scope_facts(scope=scope), per_language=False)


def _meta(
    title: str,
    scope: Scope,
    source: str = SOURCE_NOTE,
    *,
    subtitle: str | None = None,
    facts: queries.ScopeFacts | None = None,
) -> charts.ChartMeta:
    """Title, subtitle (the filters in words, the data's newest snapshot when it
    is older than the as-of date, and how many real and synthetic organisations
    the chart counts when any is synthetic) and source note. Costs
    ``scope_facts`` (1 query unless cached or given)."""
    facts = facts or scope_facts(scope)
    demo = scope.is_demo or facts.synthetic > 0
    base = charts.ChartMeta(
        title=str(title),
        subtitle="",
        source=str(source),
        demo=demo,
        real=facts.real,
        synthetic=facts.synthetic,
        data_until=facts.data_until,
    )
    text = charts.data_notes(
        subtitle or scope.describe(), as_of=scope.as_of, data_until=facts.data_until, note=charts.synthetic_note(base)
    )
    return dataclasses.replace(base, subtitle=text)


# --------------------------------------------------------------------------- overview


@chart("adoption-by-platform", gettext_lazy("Organisations with an official account, by platform"))
def _adoption_by_platform(scope: Scope, *, title: str, **_unused) -> ChartData:
    """2 queries: the scope's facts (organisations in scope), adopters per
    platform (both kept in ``extra`` for the overview's cards)."""
    size = scope_facts(scope).members
    rows = queries.adoption_by_platform(scope=scope, size=size)
    meta = _meta(title, scope)
    return ChartData(
        slug="adoption-by-platform",
        meta=meta,
        figure=charts.adoption_bar(rows, meta),
        columns=(_("Platform"), _("Organisations with an open account"), _("Organisations in scope"), _("Share (%)")),
        rows=[(r.name, r.adopters, r.cohort_size, round(r.share * 100, 1)) for r in rows],
        native=NativeChart(
            kind="bar",
            categories=tuple(r.name for r in rows),
            series=(Series(_("Organisations"), tuple(r.adopters for r in rows)),),
        ),
        extra={"adoption": rows, "size": size},
    )


@chart("adoption-over-time", gettext_lazy("Cumulative adoption over time, by platform"))
def _adoption_over_time(scope: Scope, *, title: str, **_unused) -> ChartData:
    """1 query: the timeline, with the scope's facts when they are not cached yet."""
    facts = peek_result(FACTS, (scope_key(scope),), per_language=False)
    if facts is None:
        points, facts = queries.cumulative_adoption(scope=scope, with_facts=True)
        store_result(FACTS, (scope_key(scope),), facts, per_language=False)
    else:
        points = queries.cumulative_adoption(scope=scope)
    meta = _meta(title, scope, facts=facts)
    platforms = [(p.slug, shown_name(p.name_en, p.name_zh)) for p in scope.platforms]
    names = dict(platforms)
    figure = charts.adoption_over_time(points, platforms, meta, as_of=scope.as_of)
    months = sorted({p.month for p in points})
    # A month-by-platform grid, carrying each platform's last value forward.
    grid: list[Series] = []
    for slug, name in platforms:
        by_month = {p.month: p.adopters for p in points if p.platform == slug}
        running, values = 0, []
        for month in months:
            running = by_month.get(month, running)
            values.append(running)
        grid.append(Series(name, tuple(values)))
    return ChartData(
        slug="adoption-over-time",
        meta=meta,
        figure=figure,
        columns=(_("Platform"), _("Month"), _("Organisations with an open account")),
        rows=[(names[p.platform], p.month.isoformat(), p.adopters) for p in points],
        native=NativeChart(
            kind="line",
            categories=tuple(m.strftime("%Y-%m") for m in months),
            series=tuple(s for s in grid if any(s.values)),
        ),
    )


# --------------------------------------------------------------------------- chart pages

PRESENCE_LIMIT = 50
TOP_ACCOUNTS_LIMIT = 15
FOLLOWER_SOURCE = gettext_lazy(
    "New-media registry; each open account's latest follower count on or before the as-of date"
)


def _platform_pairs(scope: Scope) -> list[tuple[str, str]]:
    return [(p.slug, shown_name(p.name_en, p.name_zh)) for p in scope.platforms]


@chart("adoption-share", gettext_lazy("Share of organisations with an official account, by platform"))
def _adoption_share(scope: Scope, *, title: str, adoption=None, **_unused) -> ChartData:
    rows = adoption if adoption is not None else queries.adoption_by_platform(scope=scope)
    meta = _meta(title, scope)
    return ChartData(
        slug="adoption-share",
        meta=meta,
        figure=charts.adoption_share_bar(rows, meta),
        columns=(_("Platform"), _("Share (%)"), _("Organisations with an open account"), _("Organisations in scope")),
        rows=[(r.name, round(r.share * 100, 1), r.adopters, r.cohort_size) for r in rows],
        native=NativeChart(
            kind="bar",
            categories=tuple(r.name for r in rows),
            series=(Series(_("Share (%)"), tuple(round(r.share * 100, 1) for r in rows)),),
            number_format="0.0",
        ),
    )


def _group_chart(slug: str, field: str, label: str, scope: Scope, title: str) -> ChartData:
    groups = queries.adoption_by_group(scope=scope, field=field)
    platforms = _platform_pairs(scope)
    meta = _meta(title, scope)
    return ChartData(
        slug=slug,
        meta=meta,
        figure=charts.group_heatmap(groups, platforms, meta),
        columns=(
            label,
            _("Organisations"),
            *(_("%(platform)s (adopters)") % {"platform": name} for _s, name in platforms),
        ),
        rows=[(g.label, g.members, *(g.adopters.get(s, 0) for s, _n in platforms)) for g in groups],
        native=NativeChart(
            kind="bar",
            categories=tuple(g.label for g in groups),
            series=tuple(Series(name, tuple(g.adopters.get(s, 0) for g in groups)) for s, name in platforms),
        ),
    )


@chart("adoption-by-ownership", gettext_lazy("Adoption by ownership"))
def _adoption_by_ownership(scope: Scope, *, title: str, **_unused) -> ChartData:
    return _group_chart("adoption-by-ownership", "ownership", _("Ownership"), scope, title)


@chart("adoption-by-sector", gettext_lazy("Adoption by sector"))
def _adoption_by_sector(scope: Scope, *, title: str, **_unused) -> ChartData:
    return _group_chart("adoption-by-sector", "sector", _("Sector"), scope, title)


@chart("presence-matrix", gettext_lazy("Which companies are on which platform"))
def _presence_matrix(scope: Scope, *, title: str, size: int | None = None, **_unused) -> ChartData:
    rows = queries.presence_matrix(scope=scope, limit=PRESENCE_LIMIT)
    size = scope_facts(scope).members if size is None else size
    platforms = _platform_pairs(scope)
    words = {"shown": len(rows), "size": format_number(size), "limit": PRESENCE_LIMIT}
    if size > len(rows):
        if scope.cohort:
            shown = _("first %(shown)s of %(size)s by rank in the list, at most %(limit)s") % words
        else:
            shown = _("first %(shown)s of %(size)s by name, at most %(limit)s") % words
    elif scope.cohort:
        shown = _("all %(size)s by rank in the list, at most %(limit)s") % words
    else:
        shown = _("all %(size)s by name, at most %(limit)s") % words
    meta = _meta(
        title,
        scope,
        _("New-media registry; ✓ an account open on the as-of date"),
        subtitle=f"{scope.describe()} ({shown})",
    )
    yes, no = _("yes"), _("no")
    return ChartData(
        slug="presence-matrix",
        meta=meta,
        figure=charts.presence_heatmap(rows, platforms, meta),
        columns=(_("Rank"), _("Organisation"), *(name for _s, name in platforms)),
        rows=[(r.rank, r.name, *(yes if r.present.get(s) else no for s, _n in platforms)) for r in rows],
        native=None,
        extra={"shown": len(rows), "size": size},
    )


@chart("follower-distribution", gettext_lazy("Followers per account, by platform"))
def _follower_distribution(scope: Scope, *, title: str, **_unused) -> ChartData:
    summaries = queries.follower_distribution(scope=scope)
    names = dict(_platform_pairs(scope))
    meta = _meta(title, scope, FOLLOWER_SOURCE)
    # Whole followers: a median between two counts is rounded, not shown as "28540.5".
    summary = [
        (names[s.platform], s.accounts, s.minimum, None if s.median is None else round(s.median), s.maximum)
        for s in summaries
    ]
    return ChartData(
        slug="follower-distribution",
        meta=meta,
        figure=charts.follower_box(summaries, _platform_pairs(scope), meta),
        columns=(
            _("Platform"),
            _("Accounts with a follower count"),
            _("Fewest followers"),
            _("Median"),
            _("Most followers"),
        ),
        rows=summary,
        native=NativeChart(
            kind="bar",
            categories=tuple(row[0] for row in summary),
            series=(Series(_("Median followers"), tuple(row[3] for row in summary)),),
        ),
    )


@chart("top-accounts", gettext_lazy("Accounts with the most followers"))
def _top_accounts(scope: Scope, *, title: str, **_unused) -> ChartData:
    rows = queries.top_accounts(scope=scope, limit=TOP_ACCOUNTS_LIMIT)
    meta = _meta(title, scope, FOLLOWER_SOURCE)
    return ChartData(
        slug="top-accounts",
        meta=meta,
        figure=charts.top_accounts_bar(rows, meta),
        columns=(_("Organisation"), _("Account"), _("Platform"), _("Followers"), _("Snapshot date")),
        rows=[(r.organisation, r.account, r.platform_name, r.followers, r.date.isoformat()) for r in rows],
        native=NativeChart(
            kind="bar",
            categories=tuple(f"{r.organisation} ({r.platform_name})" for r in rows),
            series=(Series(_("Followers"), tuple(r.followers for r in rows)),),
        ),
        extra={"accounts": rows},
    )


@chart("multi-platform", gettext_lazy("How many platforms each organisation is on"))
def _multi_platform(scope: Scope, *, title: str, **_unused) -> ChartData:
    rows = queries.multi_platform_presence(scope=scope)
    meta = _meta(title, scope)
    return ChartData(
        slug="multi-platform",
        meta=meta,
        figure=charts.multi_platform_bar(rows, meta),
        columns=(_("Platforms with an open account"), _("Organisations")),
        rows=[(r.platforms, r.organisations) for r in rows],
        native=NativeChart(
            kind="bar",
            categories=tuple(str(r.platforms) for r in rows),
            series=(Series(_("Organisations"), tuple(r.organisations for r in rows)),),
        ),
    )


def _company_param(company) -> Organisation:
    if isinstance(company, Organisation):
        return company
    try:
        company_id = int(str(company or "").strip())
    except ValueError:
        raise ChartParamError(_("company must be an organisation id (a whole number).")) from None
    found = Organisation.objects.filter(pk=company_id).only("id", "name_en", "name_zh", "short_name", "is_demo").first()
    if found is None:
        raise ChartParamError(_("No organisation has the id %(id)s.") % {"id": company_id})
    return found


@chart("company-followers", gettext_lazy("Followers over time"), params=("company",))
def _company_followers(scope: Scope, *, title: str, company=None, points=None, **_unused) -> ChartData:
    """``company`` is an organisation id (from the query string) or an
    Organisation; ``points`` may pass rows the page already read."""
    organisation = _company_param(company)
    if points is None:
        points = queries.follower_history(organisation_id=organisation.pk, until=scope.as_of)
    base = charts.ChartMeta(
        title=_("%(chart)s: %(organisation)s")
        % {"chart": title, "organisation": shown_name(organisation.display_name, organisation.name_zh)},
        subtitle="",
        source=_("New-media registry; account metrics"),
        demo=organisation.is_demo,
        real=0 if organisation.is_demo else 1,
        synthetic=1 if organisation.is_demo else 0,
        data_until=max((p.date for p in points), default=None),
    )
    meta = dataclasses.replace(
        base,
        subtitle=charts.data_notes(
            _("Every follower snapshot in the registry up to %(date)s") % {"date": format_date(scope.as_of)},
            as_of=scope.as_of,
            data_until=base.data_until,
            note=charts.synthetic_note(base),
        ),
    )
    dates = sorted({p.date for p in points})
    accounts: dict[int, str] = {}
    for p in points:
        accounts.setdefault(p.account_id, f"{p.platform_name}: {p.account}")
    by_key = {(p.account_id, p.date): p.followers for p in points}
    return ChartData(
        slug="company-followers",
        meta=meta,
        figure=charts.follower_lines(points, meta),
        columns=(_("Account"), _("Platform"), _("Date"), _("Followers")),
        rows=[(p.account, p.platform_name, p.date.isoformat(), p.followers) for p in points],
        native=NativeChart(
            kind="line",
            categories=tuple(d.isoformat() for d in dates),
            series=tuple(Series(name, tuple(by_key.get((aid, d)) for d in dates)) for aid, name in accounts.items()),
        ),
        extra={"organisation": organisation},
    )


# --------------------------------------------------------------------------- influence indices

INDEX_CHART_LIMIT = 20
INDEX_LABELS = {"wechat": gettext_lazy("WeChat (WCI)"), "weibo": gettext_lazy("Weibo (BCI)")}
INDEX_SOURCE = gettext_lazy("New-media registry metric snapshots; formula after Qingbo %(index)s (see docs/INDICES.md)")


def _index_params(platform: str, start: str, end: str):
    """(platform slug, start, end) from the query string, validated as the
    indices page's form does; raises ``ChartParamError``."""
    platform = (platform or "wechat").strip()
    if platform not in indices.PLATFORM_INDEX:
        raise ChartParamError(_("platform must be one of: %(choices)s.") % {"choices": ", ".join(INDEX_LABELS)})
    dates = []
    for name, value in (("start", start), ("end", end)):
        value = (value or "").strip()
        if not value:
            dates.append(None)
            continue
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            raise ChartParamError(_("%(name)s must be a date (YYYY-MM-DD).") % {"name": name}) from None
        if not EARLIEST_DATE <= day <= datetime.date(2100, 12, 31):
            raise ChartParamError(_("Choose a date after %(year)s.") % {"year": EARLIEST_DATE.year})
        dates.append(day)
    first, last = dates
    if first and last and (first > last or (last - first).days + 1 > queries.INDEX_MAX_DAYS):
        raise ChartParamError(
            _("Choose an end after the start, at most %(days)s days later.") % {"days": queries.INDEX_MAX_DAYS}
        )
    return platform, first, last


@chart("index-ranking", gettext_lazy("Influence index: top accounts"), params=("platform", "start", "end"))
def _index_ranking(
    scope: Scope, *, title: str, platform: str = "", start: str = "", end: str = "", ranked=None, **_unused
) -> ChartData:
    """The accounts with the highest WCI (WeChat) or BCI (Weibo) over a period,
    for the organisations in scope. ``ranked`` may pass the ranking the page
    already computed. Queries: the scope's facts (unless cached), the newest
    snapshot date (only without dates), the grouped ranking (unless given)."""
    platform, first, last = _index_params(platform, start, end)
    members = scope.members()
    first, last = queries.index_period(platform=platform, members=members, start=first, end=last)
    if ranked is None:
        ranked = (
            indices.ranked_accounts(platform_slug=platform, start=first, end=last, organisations=members)
            if last
            else []
        )
    name = indices.PLATFORM_INDEX[platform]
    shown = list(ranked[:INDEX_CHART_LIMIT])
    words = {"label": INDEX_LABELS[platform], "who": scope.cohort_label, "shown": len(shown), "all": len(ranked)}
    subtitle = _("%(label)s accounts of %(who)s: the top %(shown)s of %(all)s") % words
    if last:
        subtitle += part_separator() + _("%(start)s – %(end)s") % {
            "start": format_short_date(first),
            "end": format_short_date(last),
        }
    meta = _meta(f"{name}: {title}", scope, INDEX_SOURCE % {"index": name}, subtitle=subtitle)
    return ChartData(
        slug="index-ranking",
        meta=meta,
        figure=charts.index_ranking_bar(shown, meta, index_name=name),
        columns=(_("Rank"), _("Account"), _("Organisation"), name, _("Days"), _("Posts")),
        rows=[(r.rank, r.account, r.organisation, round(r.index, 2), r.totals.days, r.totals.posts) for r in shown],
        native=NativeChart(
            kind="bar",
            categories=tuple(f"{r.rank}. {r.account}" for r in shown),
            series=(Series(name, tuple(round(r.index, 2) for r in shown)),),
            number_format="#,##0.00",
        ),
        extra={"start": first, "end": last, "platform": platform, "count": len(ranked)},
    )
