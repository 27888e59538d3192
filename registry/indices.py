"""Influence indices for official accounts: a WCI-style index for WeChat and a
BCI-style index for Weibo, after the published Qingbo (清博) formulas.

The snapshots of each account over a period are aggregated in the database
(one query; for a 30-day period ending on an account's latest snapshot, the
sums maintained on its ``AccountLatest`` row are read instead); the formula (a
few logarithms per account) is applied in Python to those aggregated rows. Formulas, weights, sources and the
substitutions made where the registry lacks an input: docs/INDICES.md.
"""

import datetime
import math
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Max, Min, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek

from registry.models import Account, AccountMetric
from registry.snapshots import RECENT_DAYS

PLATFORM_INDEX = {"wechat": "WCI", "weibo": "BCI"}

# WCI V14.2: first-level weights (overall, per article, headline, peak) and the
# second-level weights shared by each (reads, wows 在看, likes, shares).
WCI_LEVEL_WEIGHTS = {"overall": 0.60, "per_article": 0.20, "headline": 0.10, "peak": 0.10}
WCI_READS, WCI_WOWS, WCI_LIKES, WCI_SHARES = 0.70, 0.09, 0.06, 0.15
WCI_SCALE = 1.2 * 10  # WCI = (weighted sum)^2 x 1.2 x 10

# BCI: (20% activity + 80% spread) x 160.
BCI_ACTIVITY, BCI_SPREAD, BCI_SCALE = 0.20, 0.80, 160
BCI_REPOSTS, BCI_COMMENTS, BCI_LIKES = 0.40, 0.40, 0.20


# --------------------------------------------------------------------------- formulas (pure)


@dataclass(frozen=True)
class Totals:
    """One account's snapshots summed over a period of ``days`` calendar days.
    ``headline_reads`` and ``max_reads`` are None when no snapshot gave them."""

    days: int
    posts: int = 0
    reads: int = 0
    likes: int = 0
    wows: int = 0
    shares: int = 0
    comments: int = 0
    headline_reads: int | None = None
    max_reads: int | None = None
    snapshots: int = 0


def _wci_part(reads: float, wows: float, likes: float, shares: float) -> float:
    """0.70 ln(R+1) + 0.09 ln(10Z+1) + 0.06 ln(10L+1) + 0.15 ln(10RE+1)."""
    return (
        WCI_READS * math.log(reads + 1)
        + WCI_WOWS * math.log(wows * 10 + 1)
        + WCI_LIKES * math.log(likes * 10 + 1)
        + WCI_SHARES * math.log(shares * 10 + 1)
    )


@dataclass(frozen=True)
class WciResult:
    overall: float
    per_article: float
    headline: float
    peak: float
    index: float


def wci(t: Totals) -> WciResult:
    """WCI V14.2 from period totals.

    O uses per-day figures (R/d, Z/d, L/d, RE/d); A per-article (R/n, ...); H the
    headline articles' per-day figures; P the period's peak article. The
    registry holds headline and peak *reads* only, so the headline and peak
    wows/likes/shares are estimated at the account's own engagement rate
    (Zt = Z x Rt/R, Zmax = Z x Rmax/R, ...). With no headline figure, H takes
    O's value; with no peak figure, Rmax is taken as R/n."""
    d = max(t.days, 1)
    R, Z, L, RE, n = t.reads, t.wows, t.likes, t.shares, t.posts  # noqa: N806 - the published symbols
    overall = _wci_part(R / d, Z / d, L / d, RE / d)
    per_article = _wci_part(R / n, Z / n, L / n, RE / n) if n else 0.0
    rate = (lambda x: x / R) if R else (lambda x: 0.0)
    if t.headline_reads is None:
        headline = overall
    else:
        Rt = t.headline_reads  # noqa: N806
        headline = _wci_part(Rt / d, Z * rate(Rt) / d, L * rate(Rt) / d, RE * rate(Rt) / d)
    Rmax = t.max_reads if t.max_reads is not None else (R / n if n else 0)  # noqa: N806
    peak = _wci_part(Rmax, Z * rate(Rmax), L * rate(Rmax), RE * rate(Rmax))
    w = WCI_LEVEL_WEIGHTS
    total = w["overall"] * overall + w["per_article"] * per_article + w["headline"] * headline + w["peak"] * peak
    return WciResult(overall, per_article, headline, peak, total**2 * WCI_SCALE)


@dataclass(frozen=True)
class BciResult:
    activity: float
    spread: float
    index: float


def bci(t: Totals) -> BciResult:
    """BCI = (0.2 W1 + 0.8 W2) x 160, W1 = ln(posts+1),
    W2 = 0.4 ln(reposts+1) + 0.4 ln(comments+1) + 0.2 ln(likes+1), from period totals."""
    activity = math.log(t.posts + 1)
    spread = (
        BCI_REPOSTS * math.log(t.shares + 1)
        + BCI_COMMENTS * math.log(t.comments + 1)
        + BCI_LIKES * math.log(t.likes + 1)
    )
    return BciResult(activity, spread, (BCI_ACTIVITY * activity + BCI_SPREAD * spread) * BCI_SCALE)


def index_value(platform_slug: str, totals: Totals) -> float:
    if platform_slug == "wechat":
        return wci(totals).index
    if platform_slug == "weibo":
        return bci(totals).index
    raise ValueError(f"no index for platform {platform_slug!r}")


# --------------------------------------------------------------------------- aggregation in the database

_SUMS = {
    "posts": Sum("posts"),
    "reads": Sum("reads"),
    "likes": Sum("likes"),
    "wows": Sum("wows"),
    "shares": Sum("shares"),
    "comments": Sum("comments"),
    "headline_reads": Sum("headline_reads"),
    "max_reads": Max("max_reads"),
    "snapshots": Count("id"),
}


def _totals(row: dict, days: int) -> Totals:
    return Totals(
        days=days,
        **{k: row[k] or 0 for k in ("posts", "reads", "likes", "wows", "shares", "comments", "snapshots")},
        headline_reads=row["headline_reads"],
        max_reads=row["max_reads"],
    )


@dataclass(frozen=True)
class AccountIndex:
    rank: int
    account_id: int
    account: str
    organisation_id: int
    organisation: str
    index: float
    totals: Totals
    synthetic: bool = False  # the organisation is synthetic demo data


def metrics_in(*, platform_slug: str, organisations: QuerySet | None = None) -> QuerySet:
    qs = AccountMetric.objects.filter(account__platform__slug=platform_slug)
    if organisations is not None:
        qs = qs.filter(account__organisation__in=organisations)
    return qs


def latest_metric_date(*, platform_slug: str, organisations: QuerySet | None = None) -> datetime.date | None:
    """The newest snapshot date for the platform (and organisations), from each
    account's maintained latest snapshot (``AccountLatest``): one row per
    account instead of every snapshot. One query."""
    accounts = Account.objects.filter(platform__slug=platform_slug)
    if organisations is not None:
        accounts = accounts.filter(organisation__in=organisations)
    return accounts.aggregate(latest=Max("latest__snapshot_on"))["latest"]


_COLUMNS = (
    "account_id",
    "account",
    "organisation_id",
    "organisation",
    "synthetic",
    "posts",
    "reads",
    "likes",
    "wows",
    "shares",
    "comments",
    "headline_reads",
    "max_reads",
    "snapshots",
)


def _period_rows(
    *, platform_slug: str, start: datetime.date, end: datetime.date, organisations: QuerySet | None
) -> list[tuple]:
    """One row per account on the platform (of ``organisations``) with a
    snapshot in [start, end]: the account, its organisation, and its snapshots
    summed over the period, in the order of ``_COLUMNS``. One query.

    An account whose latest snapshot is older than ``start`` has none in the
    period and is not read at all. When the period is the ``RECENT_DAYS`` days
    up to an account's latest snapshot -- the ranking's default period, for
    every account whose latest snapshot is the newest -- its sums come from its
    maintained row (``AccountLatest``), one row instead of its snapshots; the
    other accounts' snapshots are summed (UNION ALL of the two)."""
    accounts = Account.objects.filter(platform__slug=platform_slug, latest__snapshot_on__gte=start)
    if organisations is not None:
        accounts = accounts.filter(organisation__in=organisations)
    names = {
        "account_id": F("id"),
        "account": F("display_name"),
        "organisation_id": F("organisation_id"),
        "organisation": F("organisation__name_en"),
        "synthetic": F("organisation__is_demo"),
    }
    parts = []
    maintained = (end - start).days + 1 == RECENT_DAYS
    if maintained:
        recent = accounts.filter(latest__snapshot_on=end).values(
            **{f"r_{k}": v for k, v in names.items()},
            **{f"r_{name}": F(f"latest__recent_{name}") for name in _COLUMNS[len(names) :]},
        )
        parts.append(recent.order_by().query.sql_with_params())
        accounts = accounts.exclude(latest__snapshot_on=end)
    summed = (
        AccountMetric.objects.filter(account__in=accounts.values("id"), date__range=(start, end))
        .values(**{f"r_{k}": F(f"account__{v.name}") for k, v in names.items()})
        .annotate(**{f"r_{k}": v for k, v in _SUMS.items()})
    )
    parts.append(summed.order_by().query.sql_with_params())
    columns = ", ".join(f"r_{name}" for name in _COLUMNS)
    # Django's own SQL; the values are parameters.
    selects = [f"SELECT {columns} FROM ({part}) AS p{i}" for i, (part, _params) in enumerate(parts)]  # noqa: S608
    sql = " UNION ALL ".join(selects)
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _part, params in parts for param in params])
        return cursor.fetchall()


def ranked_accounts(
    *, platform_slug: str, start: datetime.date, end: datetime.date, organisations: QuerySet | None = None
) -> list[AccountIndex]:
    """Accounts ranked by their index over [start, end] (both inclusive), highest
    first; equal indices share a rank. One query (``_period_rows``)."""
    days = (end - start).days + 1
    scored = []
    for row in _period_rows(platform_slug=platform_slug, start=start, end=end, organisations=organisations):
        values = dict(zip(_COLUMNS, row, strict=True))
        for name in _COLUMNS[5:]:  # PostgreSQL sums integers as numeric
            if values[name] is not None:
                values[name] = int(values[name])
        totals = _totals(values, days)
        scored.append((index_value(platform_slug, totals), values, totals))
    scored.sort(key=lambda item: (-item[0], item[1]["account"]))
    ranked, previous, rank = [], None, 0
    for position, (value, row, totals) in enumerate(scored, 1):
        rounded = round(value, 2)
        if rounded != previous:
            rank, previous = position, rounded
        ranked.append(
            AccountIndex(
                rank,
                row["account_id"],
                row["account"],
                row["organisation_id"],
                row["organisation"],
                value,
                totals,
                bool(row["synthetic"]),
            )
        )
    return ranked


@dataclass(frozen=True)
class IndexPoint:
    period: datetime.date  # first day of the month or week
    days: int
    index: float
    totals: Totals
    synthetic: bool = False  # the organisation is synthetic demo data


def _bucket_days(start: datetime.date, bucket: str, first: datetime.date, last: datetime.date) -> int:
    if bucket == "week":
        end = start + datetime.timedelta(days=6)
    else:
        following = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        end = following - datetime.timedelta(days=1)
    return (min(end, last) - max(start, first)).days + 1


def index_over_time(
    *,
    account,
    platform_slug: str,
    bucket: str = "month",
    first: datetime.date | None = None,
    last: datetime.date | None = None,
) -> list[IndexPoint]:
    """The account's index per calendar month (or ISO week). Each bucket's d is
    its calendar days within [first, last] (default: the account's first and
    last snapshot). One query (two when the range is defaulted)."""
    qs = AccountMetric.objects.filter(account=account)
    if first is None or last is None:
        span = qs.aggregate(first=Min("date"), last=Max("date"))
        first, last = first or span["first"], last or span["last"]
        if first is None:
            return []
    trunc = TruncWeek("date") if bucket == "week" else TruncMonth("date")
    rows = (
        qs.filter(date__range=(first, last))
        .annotate(period=trunc)
        .values("period")
        .annotate(**_SUMS)
        .order_by("period")
    )
    points = []
    for row in rows:
        period = row["period"]
        period = period.date() if isinstance(period, datetime.datetime) else period
        days = _bucket_days(period, bucket, first, last)
        totals = _totals(row, days)
        points.append(IndexPoint(period, days, index_value(platform_slug, totals), totals))
    return points
