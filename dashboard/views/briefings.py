"""Briefings: charts (with their filters) and chosen statements collected by a
user and downloaded as a slide pack (PPTX), a PDF or a workbook (XLSX).

Anyone with the Viewer role can open a colleague's briefing by its link; only
its owner changes it. Every change is a POST.

The briefing pages are ``never_cache`` (``no-store``): they change with briefing
rows, which do not move the registry's data version, so the dashboard's
conditional-GET validators (``dashboard.caching``) would otherwise let a
browser show a stale copy after a change. Downloads are ``no-store`` too.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dashboard import exports
from dashboard.access import viewer_required
from dashboard.caching import cached_result
from dashboard.catalogue import CATALOGUE, ChartParamError
from dashboard.filters import ScopeError, reference_rows, scope_from_request
from dashboard.rendering import RenderError
from dashboard.views.exports import (
    attachment,
    build_from_query,
    chart_params,
    error_page,
    provenance_for,
    render_unavailable,
)
from registry.models import Briefing, BriefingItem, Statement
from registry.names import shown_name

STATEMENT_CHOICES = 30  # statements offered per search
TITLE_MAX = Briefing._meta.get_field("title").max_length
QUERY_MAX = BriefingItem._meta.get_field("query").max_length
CAPTION_MAX = BriefingItem._meta.get_field("caption").max_length


def _briefing_or_404(uuid) -> Briefing:
    return get_object_or_404(Briefing.objects.select_related("owner"), uuid=uuid)


def _owned(request, uuid) -> Briefing:
    briefing = _briefing_or_404(uuid)
    if briefing.owner_id != request.user.pk:
        raise PermissionDenied(gettext("Only the owner can change this briefing."))
    return briefing


def _touch(briefing: Briefing) -> None:
    """Mark the briefing as the user's current one. 1 query."""
    Briefing.objects.filter(pk=briefing.pk).update(updated_at=timezone.now())


def _back(request, briefing: Briefing):
    return redirect(reverse("dashboard:briefing_detail", args=[briefing.uuid]))


def _describe_items(items, *, cohorts, platforms) -> list[dict]:
    """Each item with its chart title and filters in words. No queries: the
    scope is read from the stored query string against the reference rows."""
    described = []
    for item in items:
        definition = CATALOGUE.get(item.chart)
        entry = {
            "item": item,
            "title": definition.title if definition else item.chart,
            "problem": "",
            "filters": "",
            "query": item.query,
        }
        if definition is None:
            entry["problem"] = gettext("This chart is no longer on the dashboard.")
        else:
            try:
                scope, _ = scope_from_request(QueryDict(item.query), cohorts=cohorts, platforms=platforms)
            except ScopeError:
                entry["problem"] = gettext(
                    "Its filters no longer match the registry (a cohort or platform was removed)."
                )
            else:
                entry["filters"] = scope.describe()
        described.append(entry)
    return described


def _statement_rows(queryset):
    return queryset.select_related("speaker", "organisation", "source")


@viewer_required
@require_GET
@never_cache
def briefing_list(request):
    """The user's briefings. Queries: user, user permissions, group permissions, briefings."""
    briefings = (
        Briefing.objects.filter(owner=request.user)
        .annotate(item_count=Count("items", distinct=True), statement_count=Count("statements", distinct=True))
        .order_by("-updated_at")
    )
    return render(request, "dashboard/briefing_list.html", {"briefings": briefings})


@viewer_required
@require_POST
def briefing_new(request):
    """Start an empty briefing; it becomes the current one."""
    title = (request.POST.get("title") or "").strip()[:TITLE_MAX] or gettext("Briefing")
    briefing = Briefing.objects.create(owner=request.user, title=title)
    messages.success(
        request, gettext("Started “%(title)s”. Charts you add now go into it.") % {"title": briefing.title}
    )
    return _back(request, briefing)


@viewer_required
@require_POST
def briefing_add(request):
    """Add a chart, with the filters it was shown with, to the user's current
    (most recently changed) briefing, starting one if there is none."""
    slug = request.POST.get("chart", "")
    query = request.POST.get("query", "")
    if slug not in CATALOGUE:
        return error_page(
            request, 400, gettext("This chart can't be added"), gettext("There is no such chart on the dashboard.")
        )
    if len(query) > QUERY_MAX:
        return error_page(
            request, 400, gettext("This chart can't be added"), gettext("Its filters are too long to save.")
        )
    cohorts, platforms = reference_rows()
    params = QueryDict(query)
    try:
        scope, _ = scope_from_request(params, cohorts=cohorts, platforms=platforms)
    except ScopeError:
        return error_page(request, 400, gettext("This chart can't be added"), gettext("Its filters can't be used."))
    # Saved in normal form with the cohort spelled out, so the item keeps showing
    # the same cohort even if the default cohort changes.
    extra = {k: v for k, v in chart_params(CATALOGUE[slug], params).items() if v}
    stored = scope.querystring(**extra)[:QUERY_MAX]
    briefing = Briefing.objects.filter(owner=request.user).order_by("-updated_at").first()
    if briefing is None:
        briefing = Briefing.objects.create(owner=request.user)
    last = briefing.items.aggregate(last=Max("position"))["last"]
    caption = (request.POST.get("caption") or "").strip()[:CAPTION_MAX]
    BriefingItem.objects.create(
        briefing=briefing, chart=slug, query=stored, caption=caption, position=0 if last is None else last + 1
    )
    _touch(briefing)
    messages.success(
        request,
        gettext("Added “%(chart)s” to “%(briefing)s”.") % {"chart": CATALOGUE[slug].title, "briefing": briefing.title},
    )
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return _back(request, briefing)


@viewer_required
@require_GET
@never_cache
def briefing_detail(request, uuid):
    """A briefing's charts and statements; the owner also gets the editing forms.
    Queries: user, user permissions, group permissions, briefing (+owner),
    items, chosen statements, cohorts, platforms; for the owner, statement choices."""
    briefing = _briefing_or_404(uuid)
    is_owner = briefing.owner_id == request.user.pk
    items = list(briefing.items.all())
    cohorts, platforms = reference_rows()
    chosen = list(_statement_rows(briefing.statements.all()).order_by("-stated_on", "id"))
    search = (request.GET.get("q") or "").strip()[:200]
    choices = []
    if is_owner:
        candidates = Statement.objects.exclude(briefings=briefing)
        if search:
            candidates = candidates.filter(
                Q(quote__icontains=search)
                | Q(speaker__name_en__icontains=search)
                | Q(speaker__name_zh__icontains=search)
                | Q(organisation__name_en__icontains=search)
                | Q(organisation__name_zh__icontains=search)
                | Q(role__icontains=search)
                | Q(source__title__icontains=search)
            )
        choices = list(_statement_rows(candidates).order_by("-stated_on", "id")[:STATEMENT_CHOICES])
    for statement in (*chosen, *choices):
        statement.attribution_text = _quote(statement).attribution
    return render(
        request,
        "dashboard/briefing_detail.html",
        {
            "briefing": briefing,
            "is_owner": is_owner,
            "items": _describe_items(items, cohorts=cohorts, platforms=platforms),
            "chosen": chosen,
            "choices": choices,
            "search": search,
            "formats": exports.PACK_FORMATS,
        },
    )


@viewer_required
@require_POST
def briefing_title(request, uuid):
    briefing = _owned(request, uuid)
    title = (request.POST.get("title") or "").strip()[:TITLE_MAX]
    if not title:
        messages.error(request, gettext("A briefing needs a title."))
        return _back(request, briefing)
    briefing.title = title
    briefing.save(update_fields=["title", "updated_at"])
    messages.success(request, gettext("Title saved."))
    return _back(request, briefing)


@viewer_required
@require_POST
def briefing_item(request, uuid, pk):
    """Move an item up or down, or remove it (``action`` = up, down or remove)."""
    briefing = _owned(request, uuid)
    action = request.POST.get("action", "")
    if action not in ("up", "down", "remove"):
        return HttpResponseBadRequest("action must be up, down or remove")
    items = list(briefing.items.all())
    index = next((i for i, item in enumerate(items) if item.pk == pk), None)
    if index is None:
        raise Http404("No such item in this briefing")
    if action == "remove":
        items.pop(index).delete()
    else:
        target = index - 1 if action == "up" else index + 1
        if 0 <= target < len(items):
            items[index], items[target] = items[target], items[index]
    # Renumber, so positions stay 0..n-1 whatever they were before. 1 query.
    for position, item in enumerate(items):
        item.position = position
    BriefingItem.objects.bulk_update(items, ["position"])
    _touch(briefing)
    return _back(request, briefing)


@viewer_required
@require_POST
def briefing_statements(request, uuid):
    """Set the chosen statements. ``shown`` lists the statements the form
    offered; those not ticked are dropped, others already chosen are kept."""
    briefing = _owned(request, uuid)

    def ids(name):
        return {int(v) for v in request.POST.getlist(name) if v.isdigit()}

    shown, ticked = ids("shown"), ids("statement")
    current = set(briefing.statements.values_list("id", flat=True))
    wanted = (current - shown) | (ticked & shown)
    existing = set(Statement.objects.filter(id__in=wanted).values_list("id", flat=True))
    briefing.statements.set(existing)
    _touch(briefing)
    messages.success(request, f"{len(existing)} statement{'s' if len(existing) != 1 else ''} chosen.")
    return _back(request, briefing)


@viewer_required
@require_POST
def briefing_delete(request, uuid):
    briefing = _owned(request, uuid)
    title = briefing.title
    briefing.delete()
    messages.success(request, gettext("Deleted “%(title)s”.") % {"title": title})
    return redirect("dashboard:briefing_list")


def _quote(statement: Statement) -> exports.Quote:
    source = statement.source
    return exports.Quote(
        text=statement.quote,
        speaker=statement.speaker.display_name if statement.speaker_id else "",
        role=statement.role,
        organisation=shown_name(statement.organisation) if statement.organisation_id else "",
        source_title=source.title,
        source_date=source.published_display if source.published_on else statement.stated_display,
        url=source.url,
        paraphrase=statement.kind == "paraphrase",
    )


def build_pack(briefing: Briefing, *, now=None, items=None, statements=None) -> exports.Pack:
    """Everything a briefing file holds. Queries: items, cohorts, platforms,
    statements (items and statements only when not given), then per item the
    chart's own queries (none for a chart cached since the last write)."""
    now = now or timezone.localtime()
    cohorts, platforms = reference_rows()
    if items is None:
        items = list(briefing.items.all())
    if statements is None:
        statements = list(_statement_rows(briefing.statements.all()).order_by("-stated_on", "id"))
    pack_items, omitted = [], []
    for item in items:
        title = CATALOGUE[item.chart].title if item.chart in CATALOGUE else item.chart
        try:
            chart, scope, _ = build_from_query(item.chart, QueryDict(item.query), cohorts=cohorts, platforms=platforms)
        except (KeyError, ScopeError, ChartParamError):
            omitted.append(title)
            continue
        pack_items.append(
            exports.PackItem(chart=chart, provenance=provenance_for(scope, chart=chart, now=now), caption=item.caption)
        )
    quotes = [_quote(s) for s in statements]
    return exports.Pack(
        title=briefing.title,
        author=briefing.owner.get_full_name() or briefing.owner.get_username(),
        generated_at=now,
        generated=exports.format_generated(now, settings.TIME_ZONE),
        items=pack_items,
        quotes=quotes,
        omitted=omitted,
    )


BUILDERS = {"pptx": exports.briefing_pptx, "pdf": exports.briefing_pdf, "xlsx": exports.briefing_xlsx}


@viewer_required
@require_GET
def briefing_download(request, uuid, fmt: str) -> HttpResponse:
    """The briefing as PPTX, PDF or XLSX; anyone who may open it may download it.
    Queries: user, user permissions, group permissions, briefing (+owner), its
    items, its statements, then, unless the same file is cached since the last
    registry write, ``build_pack``'s others."""
    if fmt not in BUILDERS:
        raise Http404("No such format")
    briefing = _briefing_or_404(uuid)
    items = list(briefing.items.all())
    statements = list(_statement_rows(briefing.statements.all()).order_by("-stated_on", "id"))
    contents = (
        str(briefing.uuid),
        briefing.title,
        briefing.owner.get_full_name() or briefing.owner.get_username(),
        tuple((i.chart, i.query, i.caption, i.position) for i in items),
        tuple(s.pk for s in statements),
        fmt,
    )

    def make() -> tuple[bytes, str]:
        pack = build_pack(briefing, items=items, statements=statements)
        return BUILDERS[fmt](pack), f"{pack.generated_at:%Y-%m-%d}"

    try:
        body, day = cached_result("briefing-pack", contents, make)
    except RenderError as error:
        return render_unavailable(request, error, briefing=str(briefing.uuid), format=fmt)
    stem = slugify(briefing.title)[:60] or "briefing"
    return attachment(body, fmt, f"briefing_{stem}_{day}.{fmt}")
