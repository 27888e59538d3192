"""Dashboard pages. Views stay thin: read the filters, call ``queries`` and the
chart catalogue, render."""

import json

from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboard import charts, queries
from dashboard.access import viewer_required
from dashboard.catalogue import build_chart
from dashboard.filters import ScopeError, reference_rows, scope_from_request


def _figure_json(chart_data) -> dict:
    # plotly's encoder handles dates and numbers; json_script then embeds it safely.
    return json.loads(chart_data.figure.to_json())


def _scope_or_400(request, template: str):
    """(scope, filterset, None) or (None, None, a 400 response listing the errors)."""
    cohorts, platforms = reference_rows()
    try:
        scope, filterset = scope_from_request(request.GET, cohorts=cohorts, platforms=platforms)
    except ScopeError as error:
        response = render(
            request, "dashboard/bad_filters.html", {"errors": error.errors, "reset_url": request.path}, status=400
        )
        return None, None, response
    return scope, filterset, None


@viewer_required
@require_GET
def overview(request):
    """Headline cards, adopters per platform and adoption over time.
    Queries: user, cohorts, platforms, cohort size, adoption, timeline (+ demo banner)."""
    scope, filterset, error = _scope_or_400(request, "dashboard/overview.html")
    if error:
        return error
    size = queries.cohort_size(scope=scope)
    adoption = queries.adoption_by_platform(scope=scope, size=size)
    panels = [
        build_chart("adoption-by-platform", scope, adoption=adoption),
        build_chart("adoption-over-time", scope),
    ]
    cards = [
        {"row": row, "headline": charts.headline(row.adopters)} for row in adoption
    ]
    return render(
        request,
        "dashboard/overview.html",
        {
            "scope": scope,
            "filter": filterset,
            "cohort_size": size,
            "cards": cards,
            "panels": [{"chart": p, "figure": _figure_json(p)} for p in panels],
        },
    )
