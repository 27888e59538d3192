"""Pure figure builders: rows in, plotly figure out. No ORM in this module.

Every figure carries a title, a subtitle giving the filters in words and the
as-of date, and a source note; text that came from users is HTML-escaped
because plotly renders a subset of HTML in labels and hover text.
"""

import datetime
import html
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard.queries import AdoptionPoint, PlatformAdoption

FONT = "Inter, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"
INK = "#1f2933"
MUTED = "#52606d"
GRID = "#e4e7eb"
PLATFORM_COLOURS = {
    "wechat": "#07a35a",
    "weibo": "#d62839",
    "douyin": "#1f2933",
    "kuaishou": "#f26b1d",
    "bilibili": "#e85d9b",
    "toutiao": "#2f6fde",
    "xiaohongshu": "#a4133c",
    "wechat-channels": "#e0a100",
}
FALLBACK_COLOURS = ("#6c5ce7", "#00a8a8", "#8d6e63", "#546e7a", "#c0ca33", "#7cb342")
DEMO_LABEL = "Synthetic demo data"


@dataclass(frozen=True)
class ChartMeta:
    """What a chart says about itself, on the page and in every export."""

    title: str
    subtitle: str
    source: str
    demo: bool = False


def esc(text: str) -> str:
    """Escape user-entered text for plotly's HTML-like labels."""
    return html.escape(str(text), quote=False)


def platform_colour(slug: str, index: int = 0) -> str:
    return PLATFORM_COLOURS.get(slug, FALLBACK_COLOURS[index % len(FALLBACK_COLOURS)])


def finish(fig: go.Figure, meta: ChartMeta, *, height: int = 420, legend: bool = True) -> go.Figure:
    """Apply the house style, title, subtitle, source note and demo label."""
    fig.update_layout(
        title={
            "text": f"<b>{esc(meta.title)}</b>",
            "subtitle": {"text": esc(meta.subtitle), "font": {"size": 12, "color": MUTED}},
            "x": 0,
            "xanchor": "left",
            "y": 0.97,
            "yanchor": "top",
            "font": {"size": 17, "color": INK},
        },
        font={"family": FONT, "size": 13, "color": INK},
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        margin={"l": 64, "r": 24, "t": 96, "b": 92},
        showlegend=legend,
        legend={"orientation": "h", "y": -0.16, "x": 0, "font": {"size": 12}},
        hoverlabel={"font": {"family": FONT}},
    )
    fig.update_xaxes(showgrid=False, linecolor=GRID, ticks="outside", tickcolor=GRID)
    fig.update_yaxes(gridcolor=GRID, zeroline=False)
    note = f"Source: {esc(meta.source)}"
    fig.add_annotation(
        text=note, xref="paper", yref="paper", x=0, y=-0.3 if legend else -0.2, showarrow=False,
        xanchor="left", yanchor="top", font={"size": 11, "color": MUTED}, align="left",
    )
    if meta.demo:
        fig.add_annotation(
            text=f"<b>{DEMO_LABEL}</b>", xref="paper", yref="paper", x=1, y=1.2, showarrow=False,
            xanchor="right", yanchor="bottom", font={"size": 11, "color": "#9a3412"},
            bgcolor="#ffedd5", bordercolor="#fdba74", borderpad=3,
        )
    return fig


def adoption_bar(rows: Sequence[PlatformAdoption], meta: ChartMeta) -> go.Figure:
    """Adopters per platform, with the share of the cohort in the hover and label."""
    names = [esc(r.name) for r in rows]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=[r.adopters for r in rows],
            marker_color=[platform_colour(r.slug, i) for i, r in enumerate(rows)],
            text=[f"{r.adopters:,} ({r.share:.0%})" if r.cohort_size else f"{r.adopters:,}" for r in rows],
            textposition="outside",
            cliponaxis=False,
            customdata=[[r.cohort_size, r.share * 100] for r in rows],
            hovertemplate="%{x}: %{y:,} of %{customdata[0]:,} (%{customdata[1]:.1f}%)<extra></extra>",
        )
    )
    fig.update_yaxes(title_text="Organisations with an open account", rangemode="tozero")
    return finish(fig, meta, legend=False)


def adoption_over_time(
    points: Sequence[AdoptionPoint], platforms: Sequence[tuple[str, str]], meta: ChartMeta, *, as_of: datetime.date
) -> go.Figure:
    """Cumulative adopters per platform, as a step line carried to ``as_of``.
    ``platforms`` is (slug, name) in display order."""
    fig = go.Figure()
    for index, (slug, name) in enumerate(platforms):
        series = [p for p in points if p.platform == slug]
        if not series:
            continue
        xs = [p.month for p in series]
        ys = [p.adopters for p in series]
        if xs[-1] < as_of:
            xs.append(as_of)
            ys.append(ys[-1])
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, name=esc(name), mode="lines", line={"shape": "hv", "width": 2.5,
                                                                "color": platform_colour(slug, index)},
                hovertemplate=f"{esc(name)}: %{{y:,}}<br>%{{x|%b %Y}}<extra></extra>",
            )
        )
    fig.update_yaxes(title_text="Organisations with an open account", rangemode="tozero")
    fig.update_xaxes(type="date")
    return finish(fig, meta)


def headline(count: int) -> str:
    """Round down the way the article does: 412 -> '400+', 236 -> '200+',
    47 -> '40+'; an exact round number or a count under ten is shown as it is."""
    if count < 10:
        return str(count)
    step = 100 if count >= 100 else 10
    if count >= 1000:
        step = 10 ** (len(str(count)) - 1)
    floor = count // step * step
    return str(floor) if floor == count else f"{floor:,}+"
