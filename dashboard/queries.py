"""Reads for the dashboard. Each function returns plain rows (dataclasses)
computed by aggregate queries in the database; the docstring says what it costs.

The same rows feed the page, the chart images, the slide packs and the data
exports, so every export shows exactly what the page shows.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q

from dashboard.filters import Scope
from registry.models import Account, Platform


@dataclass(frozen=True)
class PlatformAdoption:
    slug: str
    name: str
    adopters: int
    cohort_size: int

    @property
    def share(self) -> float:
        return self.adopters / self.cohort_size if self.cohort_size else 0.0


@dataclass(frozen=True)
class AdoptionPoint:
    platform: str
    month: datetime.date
    adopters: int


def cohort_size(*, scope: Scope) -> int:
    """Organisations in scope. 1 query."""
    return scope.members().count()


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
    active = _active_accounts_q(scope.as_of, "accounts__") & Q(accounts__organisation__in=scope.members())
    rows = (
        Platform.objects.filter(id__in=[p.id for p in scope.platforms])
        .annotate(adopters=Count("accounts__organisation", filter=active, distinct=True))
        .values_list("slug", "adopters")
    )
    counts = dict(rows)
    return [PlatformAdoption(p.slug, p.name_en, counts.get(p.slug, 0), size) for p in scope.platforms]


def _month_sql(column: str) -> str:
    """SQL for the first day of ``column``'s month, as text 'YYYY-MM-01'."""
    if connection.vendor == "postgresql":
        return f"to_char({column}, 'YYYY-MM-01')"
    return f"strftime('%%Y-%%m-01', {column})"


def cumulative_adoption(*, scope: Scope) -> list[AdoptionPoint]:
    """Adopters per platform at the end of each month in which the number
    changed, up to ``scope.as_of``.

    A company adopts a platform when its first account there opens and leaves it
    when its last account there closes; two accounts count once. The running
    total is a window function, so everything is aggregated in the database.
    1 query."""
    if not scope.platforms:
        return []
    members_sql, members_params = scope.members().values("id").query.sql_with_params()
    platform_ids = [p.id for p in scope.platforms]
    placeholders = ", ".join(["%s"] * len(platform_ids))
    account = Account._meta.db_table
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
        )
        SELECT platform_id, month,
               SUM(change) OVER (PARTITION BY platform_id ORDER BY month ROWS UNBOUNDED PRECEDING) AS adopters
        FROM monthly
        ORDER BY platform_id, month
    """  # noqa: S608 - table name and placeholders are built here, values are parameters
    params = [scope.as_of, scope.as_of, *platform_ids, *members_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    slug = {p.id: p.slug for p in scope.platforms}
    return [
        AdoptionPoint(slug[platform_id], datetime.date.fromisoformat(month), int(adopters))
        for platform_id, month, adopters in rows
    ]
