"""Reads for the dashboard. Each function returns plain rows (dataclasses)
computed by aggregate queries in the database; the docstring says what it costs.

The same rows feed the page, the chart images, the slide packs and the data
exports, so every export shows exactly what the page shows.
"""

import datetime
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from dashboard.filters import Scope
from registry import indices, names
from registry.models import (
    Account,
    AccountLatest,
    AccountMetric,
    Activity,
    CohortMembership,
    Organisation,
    OrganisationKind,
    Person,
    Platform,
    Position,
    PublishedFigure,
    Qualifier,
    Source,
    Statement,
)


@dataclass(frozen=True)
class PlatformAdoption:
    slug: str
    name: str
    adopters: int
    cohort_size: int
    synthetic: int = 0  # of the adopters, how many are synthetic demo organisations

    @property
    def share(self) -> float:
        return self.adopters / self.cohort_size if self.cohort_size else 0.0

    @property
    def real(self) -> int:
        return self.adopters - self.synthetic


@dataclass(frozen=True)
class AdoptionPoint:
    platform: str
    month: datetime.date
    adopters: int


def cohort_size(*, scope: Scope) -> int:
    """Organisations in scope. 1 query."""
    return scope.members().count()


@dataclass(frozen=True)
class ScopeFacts:
    """What every chart of a scope says about its data: how many of the
    organisations it counts are real and how many synthetic demo rows, and the
    date of the newest snapshot of their accounts."""

    real: int
    synthetic: int
    data_until: datetime.date | None
    with_accounts: int | None = None  # organisations in scope with any account recorded, open or not

    @property
    def members(self) -> int:
        return self.real + self.synthetic


def _facts_sql(scope: Scope) -> tuple[str, list]:
    """SQL for one row: real organisations in scope, synthetic ones, and the
    newest snapshot of their accounts (each account's maintained latest)."""
    members_sql, members_params = scope.members().order_by().values("id", "is_demo").query.sql_with_params()
    ids_sql, ids_params = scope.members().order_by().values("id").query.sql_with_params()
    # The newest snapshot walks the index on AccountLatest.snapshot_on from the
    # newest down to the first account in scope (for all companies, the first
    # row) instead of joining every account's row; "with accounts" probes the
    # (organisation, platform) index once per member instead of reading every
    # account in scope (docs/PERFORMANCE.md).
    sql = f"""
        SELECT COALESCE(SUM(CASE WHEN m.is_demo THEN 0 ELSE 1 END), 0) AS real_count,
               COALESCE(SUM(CASE WHEN m.is_demo THEN 1 ELSE 0 END), 0) AS synthetic_count,
               (SELECT l.snapshot_on FROM {AccountLatest._meta.db_table} l
                JOIN {Account._meta.db_table} a ON a.id = l.account_id
                WHERE a.organisation_id IN ({ids_sql})
                ORDER BY l.snapshot_on DESC LIMIT 1) AS data_until,
               COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM {Account._meta.db_table} a
                                             WHERE a.organisation_id = m.id) THEN 1 ELSE 0 END), 0)
                   AS with_accounts
        FROM ({members_sql}) AS m
    """  # noqa: S608 - table names from the models; values are parameters
    return sql, [*ids_params, *members_params]


def _facts(real, synthetic, until, with_accounts=None) -> ScopeFacts:
    return ScopeFacts(
        int(real or 0),
        int(synthetic or 0),
        _as_date(until) if until else None,
        None if with_accounts is None else int(with_accounts),
    )


def scope_facts(*, scope: Scope) -> ScopeFacts:
    """Real and synthetic organisations in scope and the newest snapshot of
    their accounts. 1 query."""
    sql, params = _facts_sql(scope)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _facts(*cursor.fetchone())


@dataclass(frozen=True)
class Composition:
    """How many organisations in a view are real and how many synthetic demo data."""

    total: int
    synthetic: int

    @property
    def real(self) -> int:
        return self.total - self.synthetic

    @property
    def mixed(self) -> bool:
        return bool(self.synthetic and self.real)


@dataclass(frozen=True)
class AdopterCounts:
    """Open accounts and the organisations that hold them, each with its synthetic part."""

    accounts: Composition
    organisations: Composition


def adopter_counts(accounts: QuerySet[Account]) -> AdopterCounts:
    """How many ``accounts`` there are and how many organisations hold them, and
    how many of each are synthetic demo data. 1 query."""
    synthetic = Q(organisation__is_demo=True)
    counts = accounts.order_by().aggregate(
        accounts=Count("pk"),
        synthetic_accounts=Count("pk", filter=synthetic),
        organisations=Count("organisation_id", distinct=True),
        synthetic_organisations=Count("organisation_id", distinct=True, filter=synthetic),
    )
    return AdopterCounts(
        accounts=Composition(counts["accounts"], counts["synthetic_accounts"]),
        organisations=Composition(counts["organisations"], counts["synthetic_organisations"]),
    )


def synthetic_split(queryset: QuerySet, flag: str) -> Composition:
    """How many rows ``queryset`` has and how many of them are synthetic demo
    data, read from the boolean ``flag`` (e.g. "organisation__is_demo"). 1 query."""
    counts = queryset.order_by().aggregate(total=Count("pk"), synthetic=Count("pk", filter=Q(**{flag: True})))
    return Composition(counts["total"], counts["synthetic"])


def _active_accounts_q(as_of: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}opened_on__lte": as_of}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": as_of})
    )


def adoption_by_platform(*, scope: Scope, size: int | None = None) -> list[PlatformAdoption]:
    """Distinct organisations in scope with an account open on ``scope.as_of``,
    per selected platform, in display order. A company with two accounts on one
    platform counts once. 1 query (2 when ``size`` is not given)."""
    if not scope.platforms:
        return []
    size = cohort_size(scope=scope) if size is None else size
    # The scope is a WHERE condition on accounts (not a FILTER on a join of
    # platforms to all their accounts), so the planner starts from the members and
    # probes the covering (organisation, platform) index (docs/PERFORMANCE.md).
    # Synthetic adopters are counted against an uncorrelated IN (the databases
    # evaluate it once, as a hashed set), so the accounts need no join.
    synthetic = Q(organisation__in=scope.members().filter(is_demo=True))
    rows = (
        Account.objects.filter(
            _active_accounts_q(scope.as_of),
            platform_id__in=[p.id for p in scope.platforms],
            organisation__in=scope.members(),
        )
        .order_by()
        .values("platform_id")
        .annotate(
            adopters=Count("organisation_id", distinct=True),
            synthetic=Count("organisation_id", distinct=True, filter=synthetic),
        )
        .values_list("platform_id", "adopters", "synthetic")
    )
    counts = {platform_id: (adopters, fake) for platform_id, adopters, fake in rows}
    result = []
    for p in scope.platforms:
        adopters, fake = counts.get(p.id, (0, 0))
        result.append(PlatformAdoption(p.slug, names.shown_name(p), adopters, size, synthetic=fake))
    return result


def _month_sql(column: str) -> str:
    """SQL for the first day of ``column``'s month, as text 'YYYY-MM-01'."""
    if connection.vendor == "postgresql":
        return f"to_char({column}, 'YYYY-MM-01')"
    return f"strftime('%%Y-%%m-01', {column})"


def cumulative_adoption(*, scope: Scope, with_facts: bool = False):
    """Adopters per platform at the end of each month in which the number
    changed, up to ``scope.as_of``.

    A company adopts a platform when its first account there opens and leaves it
    when its last account there closes; two accounts count once. The running
    total is a window function, so everything is aggregated in the database.
    With ``with_facts`` the same query also returns the scope's facts (see
    ``scope_facts``) and the result is ``(points, facts)``. 1 query."""
    if not scope.platforms and not with_facts:
        return []
    members_sql, members_params = scope.members().order_by().values("id").query.sql_with_params()
    platform_ids = [p.id for p in scope.platforms] or [0]
    placeholders = ", ".join(["%s"] * len(platform_ids))
    account = Account._meta.db_table
    facts_sql, facts_params = _facts_sql(scope) if with_facts else ("SELECT 0, 0, NULL, NULL", [])
    sql = f"""
        WITH spans AS (
            SELECT a.platform_id AS platform_id,
                   MIN(a.opened_on) AS first_open,
                   CASE WHEN SUM(CASE WHEN a.closed_on IS NULL OR a.closed_on > %s THEN 1 ELSE 0 END) > 0
                        THEN NULL ELSE MAX(a.closed_on) END AS last_close
            FROM {account} a
            WHERE a.opened_on IS NOT NULL AND a.opened_on <= %s
              AND a.platform_id IN ({placeholders})
              AND a.organisation_id IN ({members_sql})
            GROUP BY a.platform_id, a.organisation_id
        ),
        events AS (
            SELECT platform_id, {_month_sql("first_open")} AS month, 1 AS delta FROM spans
            UNION ALL
            SELECT platform_id, {_month_sql("last_close")} AS month, -1 AS delta
            FROM spans WHERE last_close IS NOT NULL
        ),
        monthly AS (
            SELECT platform_id, month, SUM(delta) AS change FROM events GROUP BY platform_id, month
        ),
        timeline AS (
            SELECT platform_id, month,
                   SUM(change) OVER (PARTITION BY platform_id ORDER BY month ROWS UNBOUNDED PRECEDING) AS adopters
            FROM monthly
        )
        SELECT t.platform_id, t.month, t.adopters, f.*
        FROM ({facts_sql}) AS f LEFT JOIN timeline t ON 1 = 1
        ORDER BY t.platform_id, t.month
    """  # noqa: S608 - table name and placeholders are built here, values are parameters
    params = [scope.as_of, scope.as_of, *platform_ids, *members_params, *facts_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    slug = {p.id: p.slug for p in scope.platforms}
    points = [
        AdoptionPoint(slug[row[0]], datetime.date.fromisoformat(row[1]), int(row[2]))
        for row in rows
        if row[0] is not None
    ]
    if not with_facts:
        return points
    return points, _facts(*rows[0][3:7])


# --------------------------------------------------------------------------- groups, presence, followers


@dataclass(frozen=True)
class GroupAdoption:
    """Adopters per platform within one group (an ownership type or a sector)."""

    group: str
    label: str
    members: int
    adopters: dict[str, int]  # platform slug -> organisations with an open account


def _platform_alias(platform: Platform) -> str:
    return f"on_{platform.id}"


def adoption_by_group(*, scope: Scope, field: str) -> list[GroupAdoption]:
    """Organisations in scope grouped by ``field`` ("ownership" or "sector"):
    how many there are and how many have an open account on each selected
    platform. One GROUP BY with a distinct count per platform. 1 query."""
    if field not in ("ownership", "sector"):
        raise ValueError(f"cannot group by {field!r}")
    choices = dict(Organisation._meta.get_field(field).choices)
    active = _active_accounts_q(scope.as_of, "accounts__")
    counts = {
        _platform_alias(p): Count("accounts__organisation", filter=active & Q(accounts__platform=p), distinct=True)
        for p in scope.platforms
    }
    rows = (
        scope.members()
        .order_by()
        .values(field)
        .annotate(members_count=Count("id", distinct=True), **counts)
        .order_by(field)
    )
    result = [
        GroupAdoption(
            group=row[field],
            label=str(choices.get(row[field], row[field])),
            members=row["members_count"],
            adopters={p.slug: row[_platform_alias(p)] for p in scope.platforms},
        )
        for row in rows
    ]
    return sorted(result, key=lambda g: (-g.members, g.label))


@dataclass(frozen=True)
class PresenceRow:
    organisation_id: int
    name: str
    rank: int | None
    present: dict[str, bool]  # platform slug -> has an open account


def _open_account_exists(platform: Platform, as_of: datetime.date) -> Exists:
    return Exists(
        Account.objects.filter(organisation=OuterRef("pk"), platform=platform).filter(_active_accounts_q(as_of))
    )


def presence_matrix(*, scope: Scope, limit: int = 50) -> list[PresenceRow]:
    """The first ``limit`` organisations in scope (by rank in the cohort, then
    name) and whether each has an open account on each selected platform.
    One EXISTS per platform in a single query. 1 query."""
    qs = scope.members().annotate(**{_platform_alias(p): _open_account_exists(p, scope.as_of) for p in scope.platforms})
    if scope.cohort is not None:
        rank = CohortMembership.objects.filter(cohort=scope.cohort, organisation=OuterRef("pk")).values("rank")[:1]
        qs = qs.annotate(cohort_rank=Subquery(rank)).order_by(
            F("cohort_rank").asc(nulls_last=True), names.sort_field(), "pk"
        )
    else:
        qs = qs.annotate(cohort_rank=Value(None, output_field=IntegerField())).order_by(names.sort_field(), "pk")
    fields = ["id", "name_en", "name_zh", "short_name", "cohort_rank", *(_platform_alias(p) for p in scope.platforms)]
    return [
        PresenceRow(
            organisation_id=row["id"],
            name=row["short_name"] or names.ordered_names(row["name_zh"], row["name_en"])[0],
            rank=row["cohort_rank"],
            present={p.slug: bool(row[_platform_alias(p)]) for p in scope.platforms},
        )
        for row in qs.values(*fields)[:limit]
    ]


def latest_follower_count(as_of: datetime.date) -> tuple[Case, Case]:
    """(followers, date) expressions, for an ``Account`` queryset, of each
    account's latest follower count on or before ``as_of``.

    They read the account's maintained latest snapshot (``AccountLatest``, kept
    by triggers) when it is not newer than ``as_of`` -- always, for today -- and
    otherwise probe the account's snapshots backwards along the
    ``(account, date)`` index, once per account (docs/PERFORMANCE.md)."""
    probe = AccountMetric.objects.filter(account=OuterRef("pk"), date__lte=as_of, followers__isnull=False).order_by(
        "-date"
    )
    current = Q(latest__followers_on__lte=as_of)
    return (
        Case(When(current, then=F("latest__followers")), default=Subquery(probe.values("followers")[:1])),
        Case(When(current, then=F("latest__followers_on")), default=Subquery(probe.values("date")[:1])),
    )


def open_accounts_in_scope(*, scope: Scope) -> QuerySet[Account]:
    """Accounts open on the as-of date, on the selected platforms, of
    organisations in scope. Lazy."""
    return Account.objects.active_on(scope.as_of).filter(
        platform__in=[p.id for p in scope.platforms], organisation__in=scope.members()
    )


@dataclass(frozen=True)
class FollowerSummary:
    """Followers of one platform's open accounts in scope, at each account's
    latest count on or before the as-of date (quartiles interpolated, as
    PostgreSQL's ``percentile_cont``)."""

    platform: str
    accounts: int
    minimum: int | None
    smallest_positive: int | None  # the lowest count a log scale can show
    q1: float | None
    median: float | None
    q3: float | None
    maximum: int | None


def _quantiles(values: list[int]) -> tuple[float | None, float | None, float | None]:
    if not values:
        return None, None, None
    if len(values) == 1:
        return (float(values[0]),) * 3
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


def follower_distribution(*, scope: Scope) -> list[FollowerSummary]:
    """Per selected platform, the spread of followers over the open accounts in
    scope (accounts without any follower count left out), in display order.

    PostgreSQL computes the quartiles in the query (``percentile_cont`` over a
    derived table, so each account's count is read once); other databases
    return one row per account and the quartiles are computed here. 1 query."""
    if not scope.platforms:
        return []
    # Only the count: a past date's probe is not repeated for its date (the data's
    # age is in the scope's facts).
    followers, _on = latest_follower_count(scope.as_of)
    per_account = open_accounts_in_scope(scope=scope).annotate(f=followers).values("platform_id", "f")
    found: dict[int, FollowerSummary] = {}
    if connection.vendor == "postgresql":
        inner, params = per_account.order_by().query.sql_with_params()
        sql = f"""
            SELECT platform_id, count(f), min(f), min(f) FILTER (WHERE f > 0),
                   percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY f), max(f)
            FROM ({inner} OFFSET 0) AS per_account
            WHERE f IS NOT NULL
            GROUP BY platform_id
        """  # noqa: S608 - the inner query is Django's, its values are parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for platform_id, count, low, positive, quartiles, high in cursor.fetchall():
                found[platform_id] = (count, low, positive, *quartiles, high)
    else:
        values: dict[int, list[int]] = {}
        for row in per_account:
            if row["f"] is not None:
                values.setdefault(row["platform_id"], []).append(row["f"])
        for platform_id, xs in values.items():
            xs.sort()
            positive = next((x for x in xs if x > 0), None)
            found[platform_id] = (len(xs), xs[0], positive, *_quantiles(xs), xs[-1])
    empty = (0, None, None, None, None, None, None)
    return [FollowerSummary(p.slug, *found.get(p.id, empty)) for p in scope.platforms]


@dataclass(frozen=True)
class TopAccount:
    account_id: int
    organisation_id: int
    organisation: str
    account: str
    platform: str
    platform_name: str
    followers: int
    date: datetime.date


def top_accounts(*, scope: Scope, limit: int = 15) -> list[TopAccount]:
    """The ``limit`` open accounts in scope with the most followers at their
    latest count on or before the as-of date. The date of that count is read
    for the rows kept only (PostgreSQL evaluates the expression after the
    LIMIT). 1 query."""
    if not scope.platforms:
        return []
    followers, on = latest_follower_count(scope.as_of)
    rows = (
        open_accounts_in_scope(scope=scope)
        .annotate(f=followers, d=on)
        # Accounts without a count sort last and are dropped below: a WHERE on
        # the count would compute it twice for a past date.
        .order_by(F("f").desc(nulls_last=True), "pk")
        .values_list(
            "pk",
            "organisation_id",
            "organisation__name_en",
            "organisation__name_zh",
            "organisation__short_name",
            "display_name",
            "platform__slug",
            "platform__name_en",
            "platform__name_zh",
            "f",
            "d",
        )[:limit]
    )
    return [
        TopAccount(
            account_id,
            org_id,
            short or names.ordered_names(name_zh, name)[0],
            display,
            slug,
            names.ordered_names(platform_zh, platform)[0],
            count,
            _as_date(date),
        )
        for account_id, org_id, name, name_zh, short, display, slug, platform, platform_zh, count, date in rows
        if count is not None
    ]


def _as_date(value) -> datetime.date:
    # A CASE over date columns comes back from SQLite as text.
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class PlatformCountBucket:
    platforms: int
    organisations: int


def multi_platform_presence(*, scope: Scope) -> list[PlatformCountBucket]:
    """How many organisations in scope have open accounts on 0, 1, 2, ... of the
    selected platforms. The per-organisation count is a correlated subquery and
    the buckets a GROUP BY over it, both in the database. 1 query."""
    per_org = (
        Account.objects.active_on(scope.as_of)
        .filter(organisation=OuterRef("pk"), platform__in=[p.id for p in scope.platforms])
        .order_by()
        .values("organisation")
        .annotate(n=Count("platform", distinct=True))
        .values("n")
    )
    rows = (
        scope.members()
        .order_by()
        .annotate(platform_count=Coalesce(Subquery(per_org, output_field=IntegerField()), 0))
        .values("platform_count")
        .annotate(organisations=Count("id"))
        .order_by("platform_count")
    )
    counts = {row["platform_count"]: row["organisations"] for row in rows}
    return [PlatformCountBucket(n, counts.get(n, 0)) for n in range(0, len(scope.platforms) + 1)]


@dataclass(frozen=True)
class FollowerPoint:
    account_id: int
    account: str
    platform: str
    platform_name: str
    date: datetime.date
    followers: int


def follower_history(*, organisation_id: int, until: datetime.date | None = None) -> list[FollowerPoint]:
    """Every follower snapshot of an organisation's accounts, oldest first. 1 query."""
    qs = AccountMetric.objects.filter(account__organisation_id=organisation_id, followers__isnull=False)
    if until is not None:
        qs = qs.filter(date__lte=until)
    rows = qs.order_by("account__platform__display_order", "account_id", "date").values_list(
        "account_id",
        "account__display_name",
        "account__platform__slug",
        "account__platform__name_en",
        "account__platform__name_zh",
        "date",
        "followers",
    )
    return [
        FollowerPoint(pk, account, slug, names.ordered_names(platform_zh, platform)[0], date, followers)
        for pk, account, slug, platform, platform_zh, date, followers in rows
    ]


# --------------------------------------------------------------------------- influence indices

INDEX_DEFAULT_DAYS = 30  # a ranking without dates covers the latest 30 days with data
INDEX_MAX_DAYS = 3 * 366


def index_period(
    *, platform: str, members: QuerySet, start: datetime.date | None, end: datetime.date | None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The period an index ranking covers: the dates chosen, a 30-day period
    from or to the one chosen, or the 30 days up to the newest snapshot of the
    members' accounts on the platform (1 query, only when neither is chosen);
    (None, None) when there is no snapshot at all."""
    if end is None:
        if start is None:
            end = indices.latest_metric_date(platform_slug=platform, organisations=members)
        else:
            end = start + datetime.timedelta(days=INDEX_DEFAULT_DAYS - 1)
    if end is not None and start is None:
        start = end - datetime.timedelta(days=INDEX_DEFAULT_DAYS - 1)
    return start, end


# --------------------------------------------------------------------------- published figures


class Verdict:
    CONSISTENT = "consistent"
    CONTRADICTED = "contradicted"
    INCOMPLETE = "too incomplete to judge"
    # The organisations the registry counted include synthetic demo ones, so the
    # count says nothing about the real claim.
    SYNTHETIC = "not checkable: synthetic data"


ABOUT_TOLERANCE = 0.10


def _claim_holds(comparator: str, claimed: int | None, value: float) -> bool:
    if comparator == Qualifier.SOME:
        return value > 0
    if comparator == Qualifier.MORE_THAN:
        return value > claimed
    if comparator == Qualifier.AT_LEAST:
        return value >= claimed
    if comparator == Qualifier.FEWER_THAN:
        return value < claimed
    if comparator == Qualifier.ABOUT:
        return abs(value - claimed) <= ABOUT_TOLERANCE * claimed
    return value == claimed


def judge_claim(comparator: str, claimed: int | None, *, live: int, missing: int | None) -> str:
    """Compare a published figure with the live count.

    ``missing`` is how many list members the registry does not hold (``None``
    when the list's size is unknown): any of them could be an adopter, so the
    true count lies between ``live`` and ``live + missing``. The claim is
    contradicted when it fails everywhere in that range, consistent when it
    holds everywhere, and too incomplete to judge otherwise."""
    low = live
    high = float("inf") if missing is None else live + missing
    if comparator in (Qualifier.SOME, Qualifier.MORE_THAN, Qualifier.AT_LEAST):
        holds_low, holds_high = _claim_holds(comparator, claimed, low), _claim_holds(comparator, claimed, high)
        if holds_low:
            return Verdict.CONSISTENT
        return Verdict.INCOMPLETE if holds_high else Verdict.CONTRADICTED
    if comparator == Qualifier.FEWER_THAN:
        if _claim_holds(comparator, claimed, high):
            return Verdict.CONSISTENT
        return Verdict.INCOMPLETE if _claim_holds(comparator, claimed, low) else Verdict.CONTRADICTED
    # exactly / about: the claim allows a band [lowest, highest].
    spread = ABOUT_TOLERANCE * claimed if comparator == Qualifier.ABOUT else 0
    lowest, highest = claimed - spread, claimed + spread
    if lowest <= low and high <= highest:
        return Verdict.CONSISTENT
    if high < lowest or low > highest:
        return Verdict.CONTRADICTED
    return Verdict.INCOMPLETE


@dataclass(frozen=True)
class FigureCheck:
    figure: PublishedFigure
    live: int
    held: int | None  # members of the cohort the registry holds; None without a cohort
    nominal: int | None
    live_synthetic: int = 0  # of ``live``, synthetic demo organisations
    synthetic_members: int = 0  # synthetic organisations among those counted (cohort members or companies)

    @property
    def live_real(self) -> int:
        return self.live - self.live_synthetic

    @property
    def missing(self) -> int | None:
        if self.figure.cohort_id is None or self.nominal is None:
            return None
        return max(self.nominal - (self.held or 0), 0)

    @property
    def coverage(self) -> float | None:
        if self.nominal and self.held is not None:
            return min(self.held / self.nominal, 1.0)
        return None

    @property
    def verdict(self) -> str:
        if self.synthetic_members:
            return Verdict.SYNTHETIC
        return judge_claim(self.figure.comparator, self.figure.value, live=self.live, missing=self.missing)


def _count_distinct(column: str) -> Func:
    """COUNT(DISTINCT column) as a plain function, so a correlated subquery
    returns one row without a GROUP BY (it may have no column to group on)."""
    return Func(F(column), function="COUNT", template="COUNT(DISTINCT %(expressions)s)", output_field=IntegerField())


def published_figure_checks(*, figures: QuerySet[PublishedFigure] | None = None) -> list[FigureCheck]:
    """Every published figure beside the live count for its own cohort, platform
    and as-of date, and how much of the cohort the registry holds.

    The live count is a correlated subquery per row, so all figures cost one
    query together. A figure without a cohort counts all companies; without a
    platform, organisations with an open account on any platform. 1 query."""
    figures = PublishedFigure.objects.all() if figures is None else figures
    as_of = OuterRef("as_of")
    active = Account.objects.filter(Q(opened_on__lte=as_of) & (Q(closed_on__isnull=True) | Q(closed_on__gt=as_of)))
    on_platform = Q(platform=OuterRef("platform"))
    in_cohort = Q(
        organisation__in=CohortMembership.objects.filter(cohort=OuterRef(OuterRef("cohort"))).values("organisation_id")
    )
    companies = Q(organisation__kind=OrganisationKind.COMPANY)

    def adopters(accounts):
        return Subquery(
            accounts.order_by().annotate(n=_count_distinct("organisation_id")).values("n"), output_field=IntegerField()
        )

    def live_count(*only: Q) -> Case:
        # One branch per shape of figure: PostgreSQL runs only the branch a row takes,
        # and each starts from the cohort's members (an OR of the shapes could not).
        counted = active.filter(*only)
        return Case(
            When(cohort__isnull=False, platform__isnull=False, then=adopters(counted.filter(on_platform, in_cohort))),
            When(cohort__isnull=False, then=adopters(counted.filter(in_cohort))),
            When(platform__isnull=False, then=adopters(counted.filter(on_platform, companies))),
            default=adopters(counted.filter(companies)),
            output_field=IntegerField(),
        )

    def members(*only: Q) -> Subquery:
        return Subquery(
            CohortMembership.objects.filter(*only, cohort=OuterRef("cohort"))
            .order_by()
            .annotate(n=_count_distinct("organisation_id"))
            .values("n"),
            output_field=IntegerField(),
        )

    synthetic_companies = Subquery(
        Organisation.objects.companies().filter(is_demo=True).order_by().annotate(n=_count_distinct("id")).values("n"),
        output_field=IntegerField(),
    )
    rows = figures.select_related("cohort", "platform", "source", "attributed_to").annotate(
        live_count=Coalesce(live_count(), 0),
        live_synthetic=Coalesce(live_count(Q(organisation__is_demo=True)), 0),
        held_count=Coalesce(members(), 0),
        synthetic_members=Coalesce(
            Case(
                When(cohort__isnull=False, then=members(Q(organisation__is_demo=True))),
                default=synthetic_companies,
                output_field=IntegerField(),
            ),
            0,
        ),
    )
    return [
        FigureCheck(
            figure=f,
            live=f.live_count,
            held=f.held_count if f.cohort_id else None,
            nominal=f.cohort.nominal_size if f.cohort_id else None,
            live_synthetic=f.live_synthetic,
            synthetic_members=f.synthetic_members,
        )
        for f in rows
    ]


# --------------------------------------------------------------------------- list and detail pages


def presence_alias(platform: Platform) -> str:
    """The annotation (and table column) name for "has an open account on platform"."""
    return "on_" + platform.slug.replace("-", "_")


def _count_subquery(queryset: QuerySet, column: str) -> Coalesce:
    return Coalesce(Subquery(queryset.order_by().annotate(n=_count_distinct(column)).values("n")), 0)


def company_rows(
    queryset: QuerySet[Organisation], *, platforms: Sequence[Platform], as_of: datetime.date, cohort=None
) -> QuerySet[Organisation]:
    """Companies annotated for the company table: one EXISTS per platform (open
    on ``as_of``), how many platforms they are on, and their rank in ``cohort``.
    Everything is computed in the one query that reads the page. Lazy."""
    open_accounts = Account.objects.active_on(as_of).filter(organisation=OuterRef("pk"))
    annotations = {presence_alias(p): Exists(open_accounts.filter(platform=p)) for p in platforms}
    annotations["platform_count"] = _count_subquery(open_accounts, "platform_id")
    annotations["has_accounts"] = Exists(Account.objects.filter(organisation=OuterRef("pk")))
    if cohort is not None:
        rank = CohortMembership.objects.filter(cohort=cohort, organisation=OuterRef("pk")).values("rank")[:1]
        annotations["cohort_rank"] = Subquery(rank)
    else:
        annotations["cohort_rank"] = Value(None, output_field=IntegerField())
    return queryset.annotate(**annotations)


def platform_adopters(*, scope: Scope, platform: Platform) -> QuerySet[Account]:
    """Open accounts on ``platform`` of organisations in scope, with the
    latest follower count on or before the as-of date and the rank in the
    cohort, as subqueries of the one query that reads the page. Lazy."""
    followers, _on = latest_follower_count(scope.as_of)
    qs = (
        Account.objects.active_on(scope.as_of)
        .filter(platform=platform, organisation__in=scope.members())
        .select_related("organisation")
        .annotate(latest_followers=followers)
    )
    if scope.cohort is not None:
        rank = CohortMembership.objects.filter(cohort=scope.cohort, organisation=OuterRef("organisation")).values(
            "rank"
        )[:1]
        return qs.annotate(cohort_rank=Subquery(rank))
    return qs.annotate(cohort_rank=Value(None, output_field=IntegerField()))


def person_rows(queryset: QuerySet[Person]) -> QuerySet[Person]:
    """People with their latest position title and statement count. Lazy."""
    latest = (
        Position.objects.filter(person=OuterRef("pk"))
        .order_by(F("end_date").desc(nulls_first=True), F("start_date").desc(nulls_last=True))
        .values("title")[:1]
    )
    return queryset.annotate(
        latest_title=Subquery(latest),
        statement_count=_count_subquery(Statement.objects.filter(speaker=OuterRef("pk")), "id"),
    )


def source_rows(queryset: QuerySet[Source]) -> QuerySet[Source]:
    """Sources with how many statements cite them. Lazy."""
    return queryset.annotate(
        statement_count=_count_subquery(Statement.objects.filter(source=OuterRef("pk")), "id"),
    )


def source_with_counts(source_id: int) -> Source | None:
    """One source with the number of metric snapshots it backs. 1 query."""
    return (
        Source.objects.filter(pk=source_id)
        .annotate(metric_count=_count_subquery(AccountMetric.objects.filter(source=OuterRef("pk")), "id"))
        .first()
    )


def statements_for(**filters) -> QuerySet[Statement]:
    """Statements with speaker, organisation and source joined. Lazy; 1 query."""
    return Statement.objects.filter(**filters).select_related("speaker", "organisation", "source")


def activities_for(**filters) -> QuerySet[Activity]:
    """Activities with person, organisation and source joined. Lazy; 1 query."""
    return Activity.objects.filter(**filters).select_related("person", "organisation", "source")


@dataclass(frozen=True)
class PlatformSummary:
    platform: Platform
    open_accounts: int
    organisations: int
    synthetic_organisations: int = 0
    synthetic_accounts: int = 0  # accounts of synthetic organisations

    @property
    def real_organisations(self) -> int:
        return self.organisations - self.synthetic_organisations

    @property
    def real_accounts(self) -> int:
        return self.open_accounts - self.synthetic_accounts


def platform_summaries(*, as_of: datetime.date | None = None) -> list[PlatformSummary]:
    """Every platform with its open accounts and the distinct organisations (of
    any kind, on any list or none) that hold them on ``as_of`` (today by
    default), and how many of those are synthetic. 1 query."""
    active = _active_accounts_q(as_of or timezone.localdate(), "accounts__")
    synthetic = active & Q(accounts__organisation__is_demo=True)
    rows = Platform.objects.order_by("display_order", "name_en").annotate(
        open_accounts=Count("accounts", filter=active, distinct=True),
        organisations=Count("accounts__organisation", filter=active, distinct=True),
        synthetic_organisations=Count("accounts__organisation", filter=synthetic, distinct=True),
        synthetic_accounts=Count("accounts", filter=synthetic, distinct=True),
    )
    return [
        PlatformSummary(p, p.open_accounts, p.organisations, p.synthetic_organisations, p.synthetic_accounts)
        for p in rows
    ]


def accounts_with_follower_history(
    *, organisation_id: int, until: datetime.date
) -> tuple[list[Account], list[FollowerPoint]]:
    """An organisation's accounts (platform and source joined) and every
    follower snapshot of theirs up to ``until``, oldest first, in one query: the
    snapshots are LEFT JOINed (a FilteredRelation), so an account without any
    still comes back once. 1 query."""
    rows = (
        Account.objects.filter(organisation_id=organisation_id)
        .select_related("platform", "source")
        .annotate(
            snapshot=FilteredRelation(
                "metrics", condition=Q(metrics__followers__isnull=False, metrics__date__lte=until)
            ),
            snapshot_date=F("snapshot__date"),
            snapshot_followers=F("snapshot__followers"),
        )
        .order_by("platform__display_order", "platform__name_en", "opened_on", "id", "snapshot_date")
    )
    accounts: dict[int, Account] = {}
    points: list[FollowerPoint] = []
    for account in rows:
        accounts.setdefault(account.pk, account)
        if account.snapshot_date is not None:
            points.append(
                FollowerPoint(
                    account.pk,
                    account.display_name,
                    account.platform.slug,
                    names.shown_name(account.platform),
                    account.snapshot_date,
                    account.snapshot_followers,
                )
            )
    return list(accounts.values()), points
