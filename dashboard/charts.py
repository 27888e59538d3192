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

# Latin fonts first, so Latin text is not drawn with the CJK font (whose glyphs
# make exported PDF text unextractable); Chinese falls back to the CJK fonts.
FONT = (
    "Inter, 'Segoe UI', Arial, 'Liberation Sans', 'DejaVu Sans', 'Noto Sans', "
    "'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"
)
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


SUBTITLE_WIDTH = 90  # characters per subtitle line; plotly does not wrap text


def wrap_subtitle(text: str, width: int = SUBTITLE_WIDTH) -> list[str]:
    """Split a subtitle (filters in words, joined by "; ") into lines of at most
    about ``width`` characters, breaking between filters where possible."""
    lines: list[str] = []
    for part in str(text).split("; "):
        if lines and len(lines[-1]) + 2 + len(part) <= width:
            lines[-1] = f"{lines[-1]}; {part}"
        else:
            lines.append(part)
    return lines or [""]


def finish(fig: go.Figure, meta: ChartMeta, *, height: int = 420, legend: bool = True, bottom: int = 92) -> go.Figure:
    """Apply the house style, title, subtitle, source note and demo label.

    The source note and demo label are placed in pixels from the plot's edges,
    not in fractions of it, so they stay clear of the axis labels and the legend
    (which sits to the right) whatever the figure's height."""
    subtitle_lines = wrap_subtitle(meta.subtitle)
    top = 96 + 16 * (len(subtitle_lines) - 1)
    fig.update_layout(
        title={
            "text": f"<b>{esc(meta.title)}</b>",
            "subtitle": {
                "text": "<br>".join(esc(line) for line in subtitle_lines),
                "font": {"size": 12, "color": MUTED},
            },
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
        margin={"l": 64, "r": 170 if legend else 24, "t": top, "b": bottom},
        showlegend=legend,
        legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top", "font": {"size": 12}},
        hoverlabel={"font": {"family": FONT}},
    )
    fig.update_xaxes(showgrid=False, linecolor=GRID, ticks="outside", tickcolor=GRID)
    fig.update_yaxes(gridcolor=GRID, zeroline=False)
    note = f"Source: {esc(meta.source)}"
    fig.add_annotation(
        text=note,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-(bottom - 6),
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        font={"size": 11, "color": MUTED},
        align="left",
    )
    if meta.demo:
        fig.add_annotation(
            text=f"<b>{DEMO_LABEL}</b>",
            xref="paper",
            yref="paper",
            x=1,
            y=1,
            yshift=top - 34,
            showarrow=False,
            xanchor="right",
            yanchor="bottom",
            font={"size": 11, "color": "#9a3412"},
            bgcolor="#ffedd5",
            bordercolor="#fdba74",
            borderpad=3,
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
    fig.update_xaxes(tickangle=-30)
    return finish(fig, meta, legend=False, bottom=112)


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
                x=xs,
                y=ys,
                name=esc(name),
                mode="lines",
                line={"shape": "hv", "width": 2.5, "color": platform_colour(slug, index)},
                hovertemplate=f"{esc(name)}: %{{y:,}}<br>%{{x|%b %Y}}<extra></extra>",
            )
        )
    fig.update_yaxes(title_text="Organisations with an open account", rangemode="tozero")
    fig.update_xaxes(type="date")
    return finish(fig, meta)


def adoption_share_bar(rows: Sequence[PlatformAdoption], meta: ChartMeta) -> go.Figure:
    """Share of the organisations in scope with an open account, per platform (0-100%)."""
    fig = go.Figure(
        go.Bar(
            x=[esc(r.name) for r in rows],
            y=[round(r.share * 100, 1) for r in rows],
            marker_color=[platform_colour(r.slug, i) for i, r in enumerate(rows)],
            text=[f"{r.share:.0%}" for r in rows],
            textposition="outside",
            cliponaxis=False,
            customdata=[[r.adopters, r.cohort_size] for r in rows],
            hovertemplate="%{x}: %{y:.1f}% (%{customdata[0]:,} of %{customdata[1]:,})<extra></extra>",
        )
    )
    fig.update_yaxes(title_text="Share of organisations in scope (%)", range=[0, 105], ticksuffix="%")
    fig.update_xaxes(tickangle=-30)
    return finish(fig, meta, legend=False, bottom=112)


def group_heatmap(groups: Sequence, platforms: Sequence[tuple[str, str]], meta: ChartMeta) -> go.Figure:
    """Share of each group (rows: ownership types or sectors, as ``GroupAdoption``)
    with an open account on each platform (columns), counts in the cells."""
    labels = [esc(g.label) for g in groups]
    z, text, custom = [], [], []
    for g in groups:
        z.append([round(g.adopters.get(slug, 0) / g.members * 100, 1) if g.members else None for slug, _ in platforms])
        text.append([f"{g.adopters.get(slug, 0):,}/{g.members:,}" for slug, _ in platforms])
        custom.append([[g.adopters.get(slug, 0), g.members] for slug, _ in platforms])
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[esc(name) for _, name in platforms],
            y=labels,
            text=text,
            texttemplate="%{text}",
            customdata=custom,
            zmin=0,
            zmax=100,
            colorscale="Blues",
            colorbar={"title": {"text": "%"}, "ticksuffix": "%"},
            hovertemplate="%{y} on %{x}: %{customdata[0]:,} of %{customdata[1]:,} (%{z:.1f}%)<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.update_yaxes(autorange="reversed", gridcolor="rgba(0,0,0,0)", automargin=True)
    fig.update_xaxes(tickangle=-30)
    return finish(fig, meta, height=max(360, 210 + 34 * len(groups)), legend=False, bottom=112)


def presence_heatmap(rows: Sequence, platforms: Sequence[tuple[str, str]], meta: ChartMeta) -> go.Figure:
    """Company x platform: which organisations (``PresenceRow``) have an open account."""
    labels = [esc(f"{r.rank}. {r.name}" if r.rank else r.name) for r in rows]
    z = [[1 if r.present.get(slug) else 0 for slug, _ in platforms] for r in rows]
    text = [["✓" if v else "✗" for v in line] for line in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[esc(name) for _, name in platforms],
            y=labels,
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=1,
            colorscale=[[0, "#f0f4f8"], [1, "#0b5cab"]],
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y} on %{x}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", gridcolor="rgba(0,0,0,0)", tickfont={"size": 11})
    fig.update_xaxes(tickangle=-30)
    return finish(fig, meta, height=max(380, 210 + 20 * len(rows)), legend=False, bottom=112)


def follower_box(values: Sequence, platforms: Sequence[tuple[str, str]], meta: ChartMeta) -> go.Figure:
    """Followers per account (``FollowerCount`` rows), one box per platform, log scale."""
    fig = go.Figure()
    for index, (slug, name) in enumerate(platforms):
        ys = [v.followers for v in values if v.platform == slug and v.followers > 0]
        if not ys:
            continue
        fig.add_trace(
            go.Box(
                y=ys,
                name=esc(name),
                boxpoints="outliers",
                marker_color=platform_colour(slug, index),
                hovertemplate=f"{esc(name)}: %{{y:,}} followers<extra></extra>",
            )
        )
    fig.update_yaxes(type="log", title_text="Followers per account (log scale)")
    fig.update_xaxes(tickangle=-30)
    return finish(fig, meta, legend=False, bottom=112)


def top_accounts_bar(rows: Sequence, meta: ChartMeta) -> go.Figure:
    """Accounts (``TopAccount``) with the most followers, largest at the top."""
    rows = list(rows)
    fig = go.Figure(
        go.Bar(
            x=[r.followers for r in rows],
            y=[esc(f"{r.organisation} · {r.platform_name}") for r in rows],
            orientation="h",
            marker_color=[platform_colour(r.platform, i) for i, r in enumerate(rows)],
            customdata=[[esc(r.account), r.date.isoformat()] for r in rows],
            hovertemplate="%{y}<br>%{customdata[0]}: %{x:,} followers on %{customdata[1]}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", gridcolor="rgba(0,0,0,0)", automargin=True)
    fig.update_xaxes(title_text="Followers", showgrid=True, gridcolor=GRID)
    return finish(fig, meta, height=max(360, 160 + 28 * len(rows)), legend=False)


def multi_platform_bar(rows: Sequence, meta: ChartMeta) -> go.Figure:
    """Organisations by how many of the selected platforms they are on (``PlatformCountBucket``)."""
    total = sum(r.organisations for r in rows)
    fig = go.Figure(
        go.Bar(
            x=[str(r.platforms) for r in rows],
            y=[r.organisations for r in rows],
            marker_color="#0b5cab",
            text=[f"{r.organisations:,}" for r in rows],
            textposition="outside",
            cliponaxis=False,
            customdata=[(r.organisations / total * 100) if total else 0 for r in rows],
            hovertemplate="On %{x} platform(s): %{y:,} organisations (%{customdata:.1f}%)<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="Number of selected platforms with an open account", type="category")
    fig.update_yaxes(title_text="Organisations", rangemode="tozero")
    return finish(fig, meta, legend=False)


def follower_lines(points: Sequence, meta: ChartMeta) -> go.Figure:
    """Followers over time, one line per account (``FollowerPoint`` rows)."""
    fig = go.Figure()
    accounts: dict[int, list] = {}
    for p in points:
        accounts.setdefault(p.account_id, []).append(p)
    for index, series in enumerate(accounts.values()):
        first = series[0]
        label = esc(f"{first.platform_name}: {first.account}")
        fig.add_trace(
            go.Scatter(
                x=[p.date for p in series],
                y=[p.followers for p in series],
                name=label,
                mode="lines+markers",
                line={"color": platform_colour(first.platform, index), "width": 2},
                hovertemplate=f"{label}<br>%{{x|%d %b %Y}}: %{{y:,}} followers<extra></extra>",
            )
        )
    fig.update_yaxes(title_text="Followers", rangemode="tozero")
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


# --- influence indices


def index_ranking_bar(rows: Sequence, meta: ChartMeta, *, index_name: str) -> go.Figure:
    """Accounts by index, highest at the top (``registry.indices.AccountIndex`` rows)."""
    ordered = list(rows)[::-1]
    labels = [esc(f"{r.rank}. {r.account}") for r in ordered]
    fig = go.Figure(
        go.Bar(
            x=[round(r.index, 2) for r in ordered],
            y=labels,
            orientation="h",
            marker_color=INK,
            customdata=[[esc(r.organisation)] for r in ordered],
            hovertemplate=f"%{{y}}<br>%{{customdata[0]}}<br>{esc(index_name)} %{{x:,.2f}}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text=esc(index_name), rangemode="tozero")
    fig.update_yaxes(automargin=True)
    return finish(fig, meta, height=max(320, 28 * len(ordered) + 160), legend=False)


def index_over_time_line(points: Sequence, meta: ChartMeta, *, index_name: str, bucket: str = "month") -> go.Figure:
    """An account's index per month or week (``registry.indices.IndexPoint`` rows)."""
    tick = "%b %Y" if bucket == "month" else "week of %d %b %Y"
    fig = go.Figure(
        go.Scatter(
            x=[p.period for p in points],
            y=[round(p.index, 2) for p in points],
            mode="lines+markers",
            line={"color": INK, "width": 2.5},
            name=esc(index_name),
            customdata=[[p.days, p.totals.posts] for p in points],
            hovertemplate=(
                f"%{{x|{tick}}}<br>{esc(index_name)} %{{y:,.2f}}"
                "<br>%{customdata[0]} days, %{customdata[1]:,} posts<extra></extra>"
            ),
        )
    )
    fig.update_yaxes(title_text=esc(index_name), rangemode="tozero")
    fig.update_xaxes(type="date")
    return finish(fig, meta, legend=False)
