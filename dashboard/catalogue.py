"""The dashboard's charts, by slug. Each entry turns a ``Scope`` into a
``ChartData``: the rows (from ``queries``), the figure (from ``charts``), the
table of values for CSV/XLSX, and the series for native PowerPoint charts.

Pages, image exports, data exports and briefing packs all go through
``build_chart``, so they cannot disagree.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import plotly.graph_objects as go

from dashboard import charts, queries
from dashboard.filters import Scope

SOURCE_NOTE = "New-media registry; accounts open on the as-of date, counted once per organisation"


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
    figure: go.Figure
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
    title: str
    build: Callable[..., ChartData]
    params: tuple[str, ...] = ()


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
    return definition.build(scope, title=definition.title, **context)


def _meta(title: str, scope: Scope, source: str = SOURCE_NOTE) -> charts.ChartMeta:
    return charts.ChartMeta(title=title, subtitle=scope.describe(), source=source, demo=scope.is_demo)


# --------------------------------------------------------------------------- overview


@chart("adoption-by-platform", "Organisations with an official account, by platform")
def _adoption_by_platform(scope: Scope, *, title: str, adoption=None, **_) -> ChartData:
    rows = adoption if adoption is not None else queries.adoption_by_platform(scope=scope)
    meta = _meta(title, scope)
    return ChartData(
        slug="adoption-by-platform",
        meta=meta,
        figure=charts.adoption_bar(rows, meta),
        columns=("Platform", "Organisations with an open account", "Organisations in scope", "Share (%)"),
        rows=[(r.name, r.adopters, r.cohort_size, round(r.share * 100, 1)) for r in rows],
        native=NativeChart(
            kind="bar",
            categories=tuple(r.name for r in rows),
            series=(Series("Organisations", tuple(r.adopters for r in rows)),),
        ),
    )


@chart("adoption-over-time", "Cumulative adoption over time, by platform")
def _adoption_over_time(scope: Scope, *, title: str, **_) -> ChartData:
    points = queries.cumulative_adoption(scope=scope)
    meta = _meta(title, scope)
    platforms = [(p.slug, p.name_en) for p in scope.platforms]
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
        columns=("Platform", "Month", "Organisations with an open account"),
        rows=[(names[p.platform], p.month.isoformat(), p.adopters) for p in points],
        native=NativeChart(
            kind="line",
            categories=tuple(m.strftime("%Y-%m") for m in months),
            series=tuple(s for s in grid if any(s.values)),
        ),
    )
