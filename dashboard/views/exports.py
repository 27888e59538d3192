"""Downloads of one chart: PNG, SVG, PDF (rendered by kaleido), CSV and XLSX.

``/charts/<slug>.<fmt>?<the page's filters>`` builds the scope exactly as the
page does (``scope_from_request``) and the chart through ``build_chart``, so
the file shows what the page shows.
"""

import logging

from django.conf import settings
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from dashboard import exports
from dashboard.access import viewer_required
from dashboard.caching import cached_result, scope_key
from dashboard.catalogue import CATALOGUE, ChartData, ChartDef, ChartParamError, build_chart
from dashboard.filters import Scope, ScopeError, reference_rows, scope_from_request
from dashboard.rendering import RenderError
from dashboard.views.common import bad_filters

log = logging.getLogger("newmedia.exports")

# Query parameters that shape the file, not the data; removed before the scope is read.
EXPORT_ONLY_PARAMS = ("scale", "background")


class ExportOptionError(ValueError):
    """A download option (scale, background) is out of range."""


def provenance_for(scope: Scope, *, chart: ChartData | None = None, now=None) -> exports.Provenance:
    """What every exported file says about its data. No query: whether synthetic
    rows are included comes from the chart (``ChartMeta.demo``, from the
    scope's facts) or, without a chart, from the cohort."""
    return exports.Provenance(
        filters=scope.describe(),
        as_of=scope.as_of,
        generated_at=now or timezone.localtime(),
        demo=bool(chart.meta.demo) if chart is not None else scope.is_demo,
        time_zone=settings.TIME_ZONE,
    )


def chart_params(definition: ChartDef, params) -> dict[str, str]:
    """The chart's extra parameters (``ChartDef.params``) from a query string; an
    absent one is passed as "" so the chart's own validation reports it."""
    return {name: params.get(name, "") for name in definition.params}


def build_from_query(slug: str, params: QueryDict, *, cohorts, platforms) -> tuple[ChartData, Scope, dict[str, str]]:
    """(chart, scope, extra parameters) for a chart and a page's query string.
    Raises ``KeyError`` (unknown chart), ``ScopeError`` or ``ChartParamError``.
    Costs the chart's own queries."""
    definition = CATALOGUE[slug]
    params = params.copy()
    for name in EXPORT_ONLY_PARAMS:
        params.pop(name, None)
    scope, _ = scope_from_request(params, cohorts=cohorts, platforms=platforms)
    extra = chart_params(definition, params)
    return build_chart(slug, scope, **extra), scope, extra


def image_options(params, fmt: str) -> tuple[int, str]:
    """(scale, background) for an image download; raises ``ExportOptionError``."""
    scale = exports.DEFAULT_SCALE
    if fmt == "png" and params.get("scale", "") != "":
        try:
            scale = int(params["scale"])
        except ValueError:
            raise ExportOptionError("scale must be a whole number from 1 to 4.") from None
        if not exports.MIN_SCALE <= scale <= exports.MAX_SCALE:
            raise ExportOptionError("scale must be a whole number from 1 to 4.")
    background = params.get("background", "") or "white"
    if background not in exports.BACKGROUNDS:
        raise ExportOptionError("background must be “white” or “transparent”.")
    return (scale if fmt == "png" else 1), background


def error_page(request, status: int, title: str, detail: str) -> HttpResponse:
    return render(request, "error.html", {"code": status, "title": title, "detail": detail}, status=status)


def render_unavailable(request, error: RenderError, **context) -> HttpResponse:
    """503 with a plain explanation; logged with what was being made."""
    log.error(
        "chart render failed",
        extra={
            "error_kind": type(error).__name__,
            "detail": str(error)[:500],
            "path": request.path,
            "query": request.META.get("QUERY_STRING", "")[:500],
            "user": request.user.get_username(),
            **context,
        },
    )
    response = error_page(request, 503, gettext("Chart images are unavailable"), error.reason)
    response["Retry-After"] = "60"
    return response


def attachment(body: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@viewer_required
@require_GET
def chart_export(request, slug: str, fmt: str):
    """One chart as a file.
    Queries: user, user permissions, group permissions, cohorts, platforms,
    the chart's own queries (see the catalogue; none when it is cached).
    Images (PNG, SVG, PDF) are kept in the cache per chart, filters, size,
    background, language and data version: a repeated download costs a cache
    read and none of the chart's queries, and a registry write makes new ones."""
    if slug not in CATALOGUE or fmt not in exports.FORMATS:
        raise Http404("No such chart or format")
    try:
        scale, background = image_options(request.GET, fmt)
    except ExportOptionError as error:
        return error_page(request, 400, gettext("This download can't be made"), str(error))
    cohorts, platforms = reference_rows()
    params = request.GET.copy()
    for name in EXPORT_ONLY_PARAMS:
        params.pop(name, None)
    try:
        scope, _ = scope_from_request(params, cohorts=cohorts, platforms=platforms)
    except ScopeError as error:
        return bad_filters(request, error.errors)
    extra = chart_params(CATALOGUE[slug], params)

    def make() -> bytes:
        chart = build_chart(slug, scope, **extra)
        provenance = provenance_for(scope, chart=chart)
        if fmt == "csv":
            return exports.chart_csv(chart, provenance)
        if fmt == "xlsx":
            return exports.chart_xlsx(chart, provenance)
        return exports.chart_image(chart, provenance, fmt=fmt, scale=scale, background=background)

    try:
        if fmt in exports.IMAGE_FORMATS:
            parts = (slug, scope_key(scope), tuple(sorted(extra.items())), fmt, scale, background)
            body = cached_result("chart-image", parts, make)
        else:
            body = make()
    except ChartParamError as error:
        return error_page(request, 400, gettext("This chart can't be made"), str(error))
    except RenderError as error:
        return render_unavailable(request, error, chart=slug, format=fmt)
    return attachment(body, fmt, exports.file_name(slug, scope.file_stem(), fmt, extra.values()))
