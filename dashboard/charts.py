"""Pure figure builders: rows in, a plotly figure out as plain data
(``{"data": [...], "layout": {...}}``). No ORM and no ``plotly.graph_objects``
in this module: plotly's object layer validates and deep-copies every property
it is given, which cost more CPU than the queries behind a cold page. The
dicts are checked against plotly's schema by the tests instead
(``tests/test_charts.py``).

Every figure carries a title, a subtitle giving the filters in words and the
as-of date, and a source note; text that came from users is HTML-escaped
because plotly renders a subset of HTML in labels and hover text.

What every figure shares (fonts, colours, margins, axis style) is one plotly
template, ``TEMPLATE``, sent once per page (``{% chart_template %}``) and
merged into each figure by ``static/dashboard/charts.js``; images get it from
``with_template``. Figures themselves hold only what is their own.

User-facing words are translated when a figure is built (``gettext``), in the
language active for the request; names and other data are never translated.
"""

import copy
import datetime
import html
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from dashboard.queries import AdoptionPoint, PlatformAdoption
from registry.formatting import (
    format_compact,
    format_date,
    format_number,
    is_chinese,
    join_parts,
    part_separator,
    plotly_date_formats,
)

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
DEMO_LABEL = gettext_lazy("Synthetic demo data")
WARN = "#9a3412"
# ColorBrewer "Blues" as plotly.py defines it (plotly.js has another scale by that name).
BLUES = [
    [0.0, "rgb(247,251,255)"],
    [0.125, "rgb(222,235,247)"],
    [0.25, "rgb(198,219,239)"],
    [0.375, "rgb(158,202,225)"],
    [0.5, "rgb(107,174,214)"],
    [0.625, "rgb(66,146,198)"],
    [0.75, "rgb(33,113,181)"],
    [0.875, "rgb(8,81,156)"],
    [1.0, "rgb(8,48,107)"],
]

# The colours plotly gives a trace that sets none (plotly's own default cycle).
_COLORWAY = (
    "#636efa",
    "#EF553B",
    "#00cc96",
    "#ab63fa",
    "#FFA15A",
    "#19d3f3",
    "#FF6692",
    "#B6E880",
    "#FF97FF",
    "#FECB52",
)
_AXIS = {
    "automargin": True,
    "title": {"standoff": 15},
    "zerolinecolor": "white",
    "zerolinewidth": 2,
}

# The house style, once for every figure: a lean plotly template (about 1 KB)
# in place of plotly's default one (7 KB), which plotly.py copied into every
# figure. It keeps what the default template did for the traces used here
# (bar outlines, colour bar style, axis margins and title spacing) and adds the
# house fonts, colours, title, legend and axis style. A figure's own values win.
TEMPLATE = {
    "layout": {
        "autotypenumbers": "strict",
        "colorway": list(_COLORWAY),
        "font": {"family": FONT, "size": 13, "color": INK},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hovermode": "closest",
        "hoverlabel": {"align": "left", "font": {"family": FONT}},
        "title": {
            "x": 0,
            "xanchor": "left",
            "y": 0.97,
            "yanchor": "top",
            "font": {"size": 17, "color": INK},
            "subtitle": {"font": {"size": 12, "color": MUTED}},
        },
        "margin": {"l": 64},
        "legend": {
            "orientation": "v",
            "x": 1.02,
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
            "font": {"size": 12},
        },
        "xaxis": {
            **_AXIS,
            "showgrid": False,
            "gridcolor": "white",
            # A line colour given by a template does not switch the line on by itself.
            "showline": True,
            "linecolor": GRID,
            "ticks": "outside",
            "tickcolor": GRID,
        },
        # Grid lines on category axes too (they are off there unless switched on).
        "yaxis": {**_AXIS, "showgrid": True, "gridcolor": GRID, "zeroline": False, "linecolor": "white", "ticks": ""},
    },
    "data": {
        "bar": [{"marker": {"line": {"color": "#E5ECF6", "width": 0.5}}}],
        "heatmap": [{"colorbar": {"outlinewidth": 0, "ticks": ""}}],
    },
}


def with_template(figure: dict) -> dict:
    """A deep copy of ``figure`` carrying the house template, for a renderer
    that does not get the page's shared copy (kaleido, for images)."""
    full = copy.deepcopy(figure)
    full.setdefault("layout", {}).setdefault("template", copy.deepcopy(TEMPLATE))
    return full


@dataclass(frozen=True)
class ChartMeta:
    """What a chart says about itself, on the page and in every export.
    ``real`` and ``synthetic`` count the organisations behind the figures when
    known; ``data_until`` is the newest snapshot among them."""

    title: str
    subtitle: str
    source: str
    demo: bool = False
    real: int | None = None
    synthetic: int = 0
    data_until: datetime.date | None = None


def synthetic_note(meta: ChartMeta) -> str:
    """E.g. "Synthetic demo data: 480 real and 20 synthetic organisations"; ""
    when the chart counts no synthetic rows. Real and synthetic are never
    counted together without saying how many of each."""
    if not meta.demo:
        return ""
    if meta.real is None:
        return str(DEMO_LABEL)
    text = ngettext(
        "%(label)s: %(real)s real and %(synthetic)s synthetic organisation",
        "%(label)s: %(real)s real and %(synthetic)s synthetic organisations",
        meta.synthetic,
    )
    return text % {
        "label": DEMO_LABEL,
        "real": format_number(meta.real),
        "synthetic": format_number(meta.synthetic),
    }


def data_notes(subtitle: str, *, as_of: datetime.date, data_until: datetime.date | None, note: str = "") -> str:
    """The subtitle with what a reader must know about the data: its newest
    snapshot when that is older than the as-of date, and the synthetic-data
    note, each as one more "; "-separated part."""
    parts = [subtitle]
    if data_until is not None and data_until < as_of:
        parts.append(_("latest data %(date)s") % {"date": format_date(data_until)})
    if note:
        parts.append(note)
    return join_parts(parts)


def esc(text: str) -> str:
    """Escape user-entered text for plotly's HTML-like labels."""
    return html.escape(str(text), quote=False)


def platform_colour(slug: str, index: int = 0) -> str:
    return PLATFORM_COLOURS.get(slug, FALLBACK_COLOURS[index % len(FALLBACK_COLOURS)])


SUBTITLE_WIDTH = 90  # display columns per subtitle line (a Chinese character takes two); plotly does not wrap text


def display_width(text: str) -> int:
    """Columns ``text`` takes in a proportional font, roughly: East Asian wide
    and full-width characters count two, the rest one."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _split_long(part: str, width: int) -> list[str]:
    """Break one filter's words that are wider than ``width`` at spaces or
    after an enumeration comma (、，,), or between characters where there are none."""
    pieces: list[str] = []
    current = ""
    for token in re.findall(r"[^\s、，,]+[、，,]?\s*|[、，,]\s*|\s+", part):
        if current and display_width(current + token.rstrip()) > width:
            pieces.append(current.rstrip())
            current = ""
        while display_width(token.rstrip()) > width:
            cut = 0
            while display_width(token[: cut + 1]) <= width:
                cut += 1
            pieces.append(token[:cut])
            token = token[cut:]
        current += token
    if current.strip():
        pieces.append(current.rstrip())
    return pieces or [part]


def wrap_subtitle(text: str, width: int = SUBTITLE_WIDTH) -> list[str]:
    """Split a subtitle (filters in words, joined by "; ") into lines of at most
    ``width`` display columns, breaking between filters where possible and
    inside a filter's words only when one alone is too wide."""
    lines: list[str] = []
    separator = part_separator()
    for part in str(text).split(separator):
        for piece in _split_long(part, width):
            if lines and display_width(f"{lines[-1]}{separator}{piece}") <= width:
                lines[-1] = f"{lines[-1]}{separator}{piece}"
            else:
                lines.append(piece)
    return lines or [""]


def _figure(traces: list[dict], **layout) -> dict:
    return {"data": traces, "layout": layout}


def finish(fig: dict, meta: ChartMeta, *, height: int = 420, legend: bool = True, bottom: int = 92) -> dict:
    """Add the title, subtitle, source note and demo label, the figure's size
    and margins; the rest of the style comes from ``TEMPLATE``.

    The source note and demo label are placed in pixels from the plot's edges,
    not in fractions of it, so they stay clear of the axis labels and the legend
    (which sits to the right) whatever the figure's height."""
    subtitle_lines = wrap_subtitle(meta.subtitle)
    top = 96 + 16 * (len(subtitle_lines) - 1)
    layout = fig["layout"]
    layout.update(
        title={
            "text": f"<b>{esc(meta.title)}</b>",
            "subtitle": {"text": "<br>".join(esc(line) for line in subtitle_lines)},
        },
        height=height,
        margin={"r": 170 if legend else 24, "t": top, "b": bottom},
        showlegend=legend,
    )
    for name in ("xaxis", "yaxis"):
        _localise_axis(layout.setdefault(name, {}))
    annotations = [
        {
            "text": _("Source: %(source)s") % {"source": esc(meta.source)},
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "yshift": -(bottom - 6),
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "bottom",
            "font": {"size": 11, "color": MUTED},
            "align": "left",
        }
    ]
    if meta.demo:
        annotations.append(
            {
                "text": f"<b>{esc(DEMO_LABEL)}</b>",
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 1,
                "yshift": top - 34,
                "showarrow": False,
                "xanchor": "right",
                "yanchor": "bottom",
                "font": {"size": 11, "color": WARN},
                "bgcolor": "#ffedd5",
                "bordercolor": "#fdba74",
                "borderpad": 3,
            }
        )
    layout["annotations"] = layout.get("annotations", []) + annotations
    return fig


# Date ticks in Chinese by the distance between ticks: days, months, years.
ZH_DATE_TICKS = (
    {"dtickrange": [None, "M1"], "value": "%Y年%-m月%-d日"},
    {"dtickrange": ["M1", "M12"], "value": "%Y年%-m月"},
    {"dtickrange": ["M12", None], "value": "%Y年"},
)


def _localise_axis(axis: dict) -> None:
    """Tick labels in the reader's language: in Chinese, dates as 2021年6月
    (plotly's own labels are English month names) and numbers written out with
    commas (plotly's own 10k / 1M are English abbreviations). A figure's own
    tick format wins."""
    if not is_chinese():
        return
    if axis.get("type") == "date":
        if "tickformat" not in axis:
            axis.setdefault("tickformatstops", [dict(stop) for stop in ZH_DATE_TICKS])
    elif axis.get("type") not in ("log", "category") and "ticktext" not in axis:
        axis.setdefault("exponentformat", "none")
        axis.setdefault("separatethousands", True)


def adoption_bar(rows: Sequence[PlatformAdoption], meta: ChartMeta) -> dict:
    """Adopters per platform, with the share of the cohort in the hover and label."""
    fig = _figure(
        [
            {
                "type": "bar",
                "x": [esc(r.name) for r in rows],
                "y": [r.adopters for r in rows],
                "marker": {"color": [platform_colour(r.slug, i) for i, r in enumerate(rows)]},
                "text": [f"{r.adopters:,} ({r.share:.0%})" if r.cohort_size else f"{r.adopters:,}" for r in rows],
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": [[r.cohort_size, r.share * 100] for r in rows],
                "hovertemplate": _("%{x}: %{y:,} of %{customdata[0]:,} (%{customdata[1]:.1f}%)") + "<extra></extra>",
            }
        ],
        xaxis={"tickangle": -30},
        yaxis={"title": {"text": _("Organisations with an open account")}, "rangemode": "tozero"},
    )
    return finish(fig, meta, legend=False, bottom=112)


def adoption_over_time(
    points: Sequence[AdoptionPoint], platforms: Sequence[tuple[str, str]], meta: ChartMeta, *, as_of: datetime.date
) -> dict:
    """Cumulative adopters per platform, as a step line carried to ``as_of``.
    ``platforms`` is (slug, name) in display order."""
    by_platform: dict[str, list[AdoptionPoint]] = {}
    for p in points:
        by_platform.setdefault(p.platform, []).append(p)
    month = plotly_date_formats()["month"]
    traces = []
    for index, (slug, name) in enumerate(platforms):
        series = by_platform.get(slug)
        if not series:
            continue
        xs = [p.month for p in series]
        ys = [p.adopters for p in series]
        if xs[-1] < as_of:
            xs.append(as_of)
            ys.append(ys[-1])
        traces.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "name": esc(name),
                "mode": "lines",
                "line": {"shape": "hv", "width": 2.5, "color": platform_colour(slug, index)},
                "hovertemplate": f"{esc(name)}: %{{y:,}}<br>%{{x|{month}}}<extra></extra>",
            }
        )
    fig = _figure(
        traces,
        xaxis={"type": "date"},
        yaxis={"title": {"text": _("Organisations with an open account")}, "rangemode": "tozero"},
    )
    return finish(fig, meta)


def adoption_share_bar(rows: Sequence[PlatformAdoption], meta: ChartMeta) -> dict:
    """Share of the organisations in scope with an open account, per platform (0-100%)."""
    fig = _figure(
        [
            {
                "type": "bar",
                "x": [esc(r.name) for r in rows],
                "y": [round(r.share * 100, 1) for r in rows],
                "marker": {"color": [platform_colour(r.slug, i) for i, r in enumerate(rows)]},
                "text": [f"{r.share:.0%}" for r in rows],
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": [[r.adopters, r.cohort_size] for r in rows],
                "hovertemplate": _("%{x}: %{y:.1f}% (%{customdata[0]:,} of %{customdata[1]:,})") + "<extra></extra>",
            }
        ],
        xaxis={"tickangle": -30},
        yaxis={"title": {"text": _("Share of organisations in scope (%)")}, "range": [0, 105], "ticksuffix": "%"},
    )
    return finish(fig, meta, legend=False, bottom=112)


def group_heatmap(groups: Sequence, platforms: Sequence[tuple[str, str]], meta: ChartMeta) -> dict:
    """Share of each group (rows: ownership types or sectors, as ``GroupAdoption``)
    with an open account on each platform (columns), counts in the cells."""
    z, text, custom = [], [], []
    for g in groups:
        z.append([round(g.adopters.get(slug, 0) / g.members * 100, 1) if g.members else None for slug, _n in platforms])
        text.append([f"{g.adopters.get(slug, 0):,}/{g.members:,}" for slug, _n in platforms])
        custom.append([[g.adopters.get(slug, 0), g.members] for slug, _n in platforms])
    fig = _figure(
        [
            {
                "type": "heatmap",
                "z": z,
                "x": [esc(name) for _s, name in platforms],
                "y": [esc(g.label) for g in groups],
                "text": text,
                "texttemplate": "%{text}",
                "customdata": custom,
                "zmin": 0,
                "zmax": 100,
                "colorscale": BLUES,
                "colorbar": {"title": {"text": "%"}, "ticksuffix": "%"},
                "hovertemplate": _("%{y} on %{x}: %{customdata[0]:,} of %{customdata[1]:,} (%{z:.1f}%)")
                + "<extra></extra>",
                "xgap": 2,
                "ygap": 2,
            }
        ],
        xaxis={"tickangle": -30},
        yaxis={"autorange": "reversed"},
    )
    return finish(fig, meta, height=max(360, 210 + 34 * len(groups)), legend=False, bottom=112)


def presence_heatmap(rows: Sequence, platforms: Sequence[tuple[str, str]], meta: ChartMeta) -> dict:
    """Company x platform: which organisations (``PresenceRow``) have an open account."""
    z = [[1 if r.present.get(slug) else 0 for slug, _n in platforms] for r in rows]
    fig = _figure(
        [
            {
                "type": "heatmap",
                "z": z,
                "x": [esc(name) for _s, name in platforms],
                "y": [esc(f"{r.rank}. {r.name}" if r.rank else r.name) for r in rows],
                "text": [["✓" if v else "✗" for v in line] for line in z],
                "texttemplate": "%{text}",
                "zmin": 0,
                "zmax": 1,
                "colorscale": [[0, "#f0f4f8"], [1, "#0b5cab"]],
                "showscale": False,
                "xgap": 2,
                "ygap": 2,
                "hovertemplate": _("%{y} on %{x}: %{text}") + "<extra></extra>",
            }
        ],
        xaxis={"tickangle": -30},
        yaxis={"autorange": "reversed", "tickfont": {"size": 11}},
    )
    return finish(fig, meta, height=max(380, 210 + 20 * len(rows)), legend=False, bottom=112)


def compact_number(value: float) -> str:
    """A tick label: 950, 1,000, 10K, 2.5M; in Chinese 1万, 100万, 1亿 (the units
    Chinese readers count in). Chosen by the active language."""
    return format_compact(value)


def log_ticks(low: float, high: float) -> dict:
    """Tick values and labels for a log axis spanning ``low``..``high`` (both > 0):
    every power of ten from below the smallest value to above the largest, with
    2 and 5 between them when the range is short, so the top of a range that
    reaches tens of millions is labelled as clearly as the bottom."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    steps = (1, 2, 5) if last - first <= 3 else (1,)
    values = [step * 10**power for power in range(first, last + 1) for step in steps]
    values = [v for v in values if v <= 10**last]
    return {"tickmode": "array", "tickvals": values, "ticktext": [compact_number(v) for v in values]}


def count_ticks(high: float, *, ticks: int = 6) -> dict:
    """Tick values and labels for a linear axis of counts from 0 to ``high`` in
    Chinese, where plotly would write 45,000,000 and a reader says 4,500万:
    about ``ticks`` ticks at a round step (1, 2, 2.5 or 5 times a power of ten),
    labelled with ``compact_number``. Empty in English, where plotly's own
    labels (45,000,000 or 45M) read well."""
    if not is_chinese() or high < 10_000:
        return {}
    raw = high / (ticks - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    values = [i * step for i in range(int(high // step) + 2)]
    values = [int(v) if v == int(v) else v for v in values]
    return {"tickmode": "array", "tickvals": values, "ticktext": [compact_number(v) for v in values]}


def follower_box(summaries: Sequence, platforms: Sequence[tuple[str, str]], meta: ChartMeta) -> dict:
    """Followers per account, one box per platform (``FollowerSummary`` rows), log
    scale: the box spans the middle half of the accounts with the median across
    it; the whiskers reach the fewest (above zero, which a log scale cannot
    show) and the most followers. Quartiles come computed, so the page carries
    a few numbers per platform, not every account's count."""
    names = dict(platforms)
    traces = []
    for index, s in enumerate(summaries):
        if not s.accounts or not s.smallest_positive:
            continue
        name = esc(names.get(s.platform, s.platform))
        traces.append(
            {
                "type": "box",
                "name": name,
                "x": [name],
                "q1": [max(s.q1, s.smallest_positive)],
                "median": [max(s.median, s.smallest_positive)],
                "q3": [max(s.q3, s.smallest_positive)],
                "lowerfence": [s.smallest_positive],
                "upperfence": [s.maximum],
                "marker": {"color": platform_colour(s.platform, index)},
                "customdata": [[s.accounts]],
                "hovertemplate": _(
                    "%(platform)s: %%{customdata[0]:,} accounts<br>median %%{median:,.0f} followers<br>"
                    "middle half %%{q1:,.0f} to %%{q3:,.0f}<br>from %%{lowerfence:,.0f} to %%{upperfence:,.0f}"
                )
                % {"platform": name}
                + "<extra></extra>",
            }
        )
    ticks = (
        log_ticks(min(t["lowerfence"][0] for t in traces), max(t["upperfence"][0] for t in traces)) if traces else {}
    )
    fig = _figure(
        traces,
        xaxis={"tickangle": -30},
        yaxis={"type": "log", "title": {"text": _("Followers per account (log scale)")}, **ticks},
    )
    return finish(fig, meta, legend=False, bottom=112)


def top_accounts_bar(rows: Sequence, meta: ChartMeta) -> dict:
    """Accounts (``TopAccount``) with the most followers, largest at the top."""
    rows = list(rows)
    fig = _figure(
        [
            {
                "type": "bar",
                "x": [r.followers for r in rows],
                "y": [esc(f"{r.organisation} · {r.platform_name}") for r in rows],
                "orientation": "h",
                "marker": {"color": [platform_colour(r.platform, i) for i, r in enumerate(rows)]},
                "customdata": [[esc(r.account), r.date.isoformat()] for r in rows],
                "hovertemplate": _("%{y}<br>%{customdata[0]}: %{x:,} followers on %{customdata[1]}")
                + "<extra></extra>",
            }
        ],
        # The x grid stays off (the house axis style): the bars carry the values.
        xaxis={
            "title": {"text": _("Followers")},
            "gridcolor": GRID,
            **count_ticks(max((r.followers for r in rows), default=0)),
        },
        yaxis={"autorange": "reversed"},
    )
    return finish(fig, meta, height=max(360, 160 + 28 * len(rows)), legend=False)


def multi_platform_bar(rows: Sequence, meta: ChartMeta) -> dict:
    """Organisations by how many of the selected platforms they are on (``PlatformCountBucket``)."""
    total = sum(r.organisations for r in rows)
    fig = _figure(
        [
            {
                "type": "bar",
                "x": [str(r.platforms) for r in rows],
                "y": [r.organisations for r in rows],
                "marker": {"color": "#0b5cab"},
                "text": [f"{r.organisations:,}" for r in rows],
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": [(r.organisations / total * 100) if total else 0 for r in rows],
                "hovertemplate": _("On %{x} platform(s): %{y:,} organisations (%{customdata:.1f}%)")
                + "<extra></extra>",
            }
        ],
        xaxis={"title": {"text": _("Number of selected platforms with an open account")}, "type": "category"},
        yaxis={"title": {"text": _("Organisations")}, "rangemode": "tozero"},
    )
    return finish(fig, meta, legend=False)


def follower_lines(points: Sequence, meta: ChartMeta) -> dict:
    """Followers over time, one line per account (``FollowerPoint`` rows)."""
    accounts: dict[int, list] = {}
    for p in points:
        accounts.setdefault(p.account_id, []).append(p)
    traces = []
    for index, series in enumerate(accounts.values()):
        first = series[0]
        label = esc(f"{first.platform_name}: {first.account}")
        traces.append(
            {
                "type": "scatter",
                "x": [p.date for p in series],
                "y": [p.followers for p in series],
                "name": label,
                "mode": "lines+markers",
                "line": {"color": platform_colour(first.platform, index), "width": 2},
                "hovertemplate": _("%(account)s<br>%%{x|%%d %%b %%Y}: %%{y:,} followers") % {"account": label}
                + "<extra></extra>",
            }
        )
    fig = _figure(
        traces,
        xaxis={"type": "date"},
        yaxis={
            "title": {"text": _("Followers")},
            "rangemode": "tozero",
            **count_ticks(max((p.followers for p in points), default=0)),
        },
    )
    return finish(fig, meta)


def headline(count: int) -> str:
    """Round down the way the article does: 412 -> '400+', 236 -> '200+',
    47 -> '40+'; an exact round number or a count under ten is shown as it is.
    In Chinese the way Chinese reports write it: '400余家', or '400家' when exact."""
    if count < 10:
        floor = count
    else:
        step = 100 if count >= 100 else 10
        if count >= 1000:
            step = 10 ** (len(str(count)) - 1)
        floor = count // step * step
    number = format_number(floor)
    if floor == count:
        return pgettext("headline count of organisations, exact", "%(number)s") % {"number": number}
    return pgettext("headline count of organisations, rounded down", "%(number)s+") % {"number": number}


# --- influence indices


def index_ranking_bar(rows: Sequence, meta: ChartMeta, *, index_name: str) -> dict:
    """Accounts by index, highest at the top (``registry.indices.AccountIndex`` rows)."""
    ordered = list(rows)[::-1]
    fig = _figure(
        [
            {
                "type": "bar",
                "x": [round(r.index, 2) for r in ordered],
                "y": [esc(f"{r.rank}. {r.account}") for r in ordered],
                "orientation": "h",
                "marker": {"color": INK},
                "customdata": [[esc(r.organisation)] for r in ordered],
                "hovertemplate": f"%{{y}}<br>%{{customdata[0]}}<br>{esc(index_name)} %{{x:,.2f}}<extra></extra>",
            }
        ],
        xaxis={"title": {"text": esc(index_name)}, "rangemode": "tozero"},
        yaxis={},
    )
    return finish(fig, meta, height=max(320, 28 * len(ordered) + 160), legend=False)


def index_over_time_line(points: Sequence, meta: ChartMeta, *, index_name: str, bucket: str = "month") -> dict:
    """An account's index per month or week (``registry.indices.IndexPoint`` rows)."""
    formats = plotly_date_formats()
    tick = formats["month"] if bucket == "month" else _("week of %(date)s") % {"date": formats["day"]}
    fig = _figure(
        [
            {
                "type": "scatter",
                "x": [p.period for p in points],
                "y": [round(p.index, 2) for p in points],
                "mode": "lines+markers",
                "line": {"color": INK, "width": 2.5},
                "name": esc(index_name),
                "customdata": [[p.days, p.totals.posts] for p in points],
                "hovertemplate": (
                    f"%{{x|{tick}}}<br>{esc(index_name)} %{{y:,.2f}}<br>"
                    + _("%{customdata[0]} days, %{customdata[1]:,} posts")
                    + "<extra></extra>"
                ),
            }
        ],
        xaxis={"type": "date"},
        yaxis={"title": {"text": esc(index_name)}, "rangemode": "tozero"},
    )
    return finish(fig, meta, legend=False)
