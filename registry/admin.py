"""Admin for the registry: the editors' workbench.

Every model has list columns, search, filters and autocomplete on foreign keys;
organisation, source and person pages carry the inlines editors expect. History
(who changed what, with revert) comes from django-simple-history.

Every model list has Import and Export (django-import-export). Import always
shows a preview first (create / update / unchanged / error per row, nothing
written) and writes only on confirmation, in one transaction. Models with a
resource in ``registry.imports.resources`` read messy CSV/TSV/XLSX files by header
aliases and natural keys; export is CSV or XLSX of the filtered list, with
spreadsheet formulae escaped (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT).
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from registry import models as m
from registry import names
from registry.imports import resources
from registry.imports.cleaning import ImportFileError
from registry.imports.errors import import_result_problems
from registry.imports.jobs import job_status, queue_import, request_cancel
from registry.roles import is_administrator


class ImportMixin(ImportExportMixin):
    """Import and export for every registry model: files validated like the
    admin form (``full_clean``), problems shown as line, column and message."""

    # Models without a registry resource import the plain column-per-field
    # format that their export writes.
    import_formats = [CSV, XLSX]
    export_formats = [resources.SafeCSV, resources.SafeXLSX]
    import_template_name = "admin/registry/import.html"

    def get_resource_classes(self, request):
        if not self.resource_classes and not self.resource_class:
            return [resources.validated_resource(self.model)]
        return super().get_resource_classes(request)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                _("The file could not be read as %(formats)s. Check its format and try again.")
                % {"formats": " / ".join(f().get_title() for f in self.get_import_formats())},
            )

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        result = context.get("result")
        if result is not None:
            registry_resources = all(
                issubclass(r, resources.RegistryResource) for r in self.get_import_resource_classes(request)
            )
            context["import_errors"] = import_result_problems(result, lines_in_rows=registry_resources)
        for warning in getattr(result, "import_warnings", ()):
            messages.warning(request, warning)
        return response


class RegistryAdmin(ImportMixin, SimpleHistoryAdmin):
    list_per_page = 50
    save_on_top = True


class SpreadsheetImportAdmin(RegistryAdmin):
    """Import through a registry resource: any encoding, header aliases, natural
    keys. A file larger than IMPORT_BACKGROUND_FROM_BYTES is not previewed in the
    page: it is stored as an import job for the background worker, and the page
    answers at once with the job's progress."""

    import_formats = [resources.SpreadsheetFormat]

    def import_action(self, request, **kwargs):
        upload = request.FILES.get("import_file") if request.method == "POST" else None
        if upload is not None and upload.size > settings.IMPORT_BACKGROUND_FROM_BYTES:
            if not self.has_import_permission(request):
                raise PermissionDenied
            job = queue_import(kind=self.resource_classes[0].import_kind, upload=upload, user=request.user)
            messages.info(
                request,
                _("The file is being imported in the background; this page shows its progress."),
            )
            return redirect("admin:registry_importjob_change", job.pk)
        return super().import_action(request, **kwargs)


# --------------------------------------------------------------------------- inlines


class AccountInline(admin.TabularInline):
    model = m.Account
    extra = 0
    fields = (
        "platform",
        "display_name",
        "handle",
        "url",
        "verified",
        "opened_on",
        "opened_precision",
        "closed_on",
        "status",
    )
    autocomplete_fields = ("platform",)
    show_change_link = True


class MembershipInline(admin.TabularInline):
    model = m.CohortMembership
    extra = 0
    fields = ("cohort", "rank", "revenue_rmb_m")
    autocomplete_fields = ("cohort",)


class MemberPageFormSet(BaseInlineFormSet):
    """One page of a cohort's members (by rank), chosen by ``?members_page=``:
    a list of 10,000 members is edited 50 at a time, so the change form stays
    far below DATA_UPLOAD_MAX_NUMBER_FIELDS. Saving touches only the page's
    rows; the form posts back to its own address, page included."""

    per_page = 50
    page_param = "members_page"
    request = None

    def get_queryset(self):
        if not hasattr(self, "_page_queryset"):
            members = (
                super().get_queryset().select_related("organisation").order_by(F("rank").asc(nulls_last=True), "pk")
            )
            paginator = Paginator(members, self.per_page)
            number = self.request.GET.get(self.page_param, 1) if self.request is not None else 1
            self.page = paginator.get_page(number)
            self._page_queryset = list(self.page.object_list)
            for membership in self._page_queryset:
                membership.cohort = self.instance  # its __str__ names the cohort: no query per row
            self._labels = {str(ms.organisation_id): str(ms.organisation) for ms in self._page_queryset}
        return self._page_queryset

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        widget = form.fields["organisation"].widget
        getattr(widget, "widget", widget).known_labels = getattr(self, "_labels", {})
        return form

    def _existing_object(self, pk):
        if not hasattr(self, "_object_dict"):
            self._object_dict = {str(o.pk): o for o in self.get_queryset()}
        return self._object_dict.get(str(pk))


class PageAutocompleteSelect(AutocompleteSelect):
    """The autocomplete widget, labelling the organisations the page already
    loaded (``known_labels``) instead of one query per row to name them."""

    known_labels: dict = {}

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if not selected or not all(v in self.known_labels for v in selected):
            return super().optgroups(name, value, attr)
        options = [self.create_option(name, v, self.known_labels[v], True, i) for i, v in enumerate(selected)]
        return [(None, options, 0)]


class CohortMemberInline(admin.TabularInline):
    model = m.CohortMembership
    formset = MemberPageFormSet
    extra = 0
    fields = ("organisation", "rank", "revenue_rmb_m")
    autocomplete_fields = ("organisation",)
    show_change_link = True
    template = "admin/registry/cohort/members_inline.html"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["widget"] = PageAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StatementInline(admin.StackedInline):
    model = m.Statement
    extra = 0
    fields = (
        "quote",
        "kind",
        ("speaker", "role", "organisation"),
        ("stated_on", "stated_precision"),
        "platforms",
        "topics",
    )
    autocomplete_fields = ("speaker", "organisation", "platforms", "topics")
    show_change_link = True


class PositionInline(admin.TabularInline):
    model = m.Position
    extra = 0
    fields = ("organisation", "title", "start_date", "end_date", "source")
    autocomplete_fields = ("organisation", "source")


class MetricInline(admin.TabularInline):
    model = m.AccountMetric
    extra = 0
    fields = ("date", "followers", "posts", "reads", "likes", "shares", "comments")
    ordering = ("-date",)
    max_num = 1000

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-date")


class FactInline(admin.TabularInline):
    model = m.OrganisationFact
    extra = 0
    fields = ("kind", "year", "value", "currency", "published_unit", "cohort", "source")
    autocomplete_fields = ("cohort", "source")


# --------------------------------------------------------------------------- model admins


@admin.display(description=_("name"), ordering="sort_en")
def shown_name(obj):
    """The name shown first in the admin's language (a Chinese-only record is never blank)."""
    return names.shown_name(obj)


@admin.register(m.Organisation)
class OrganisationAdmin(SpreadsheetImportAdmin):
    resource_classes = [resources.OrganisationResource]
    list_display = (
        shown_name,
        "name_en",
        "name_zh",
        "kind",
        "ownership",
        "sector",
        "province",
        "credit_code",
        "is_demo",
    )
    list_filter = ("kind", "ownership", "sector", "is_demo", "province", "country")
    search_fields = ("name_en", "name_zh", "short_name", "aliases", "credit_code")

    def get_search_results(self, request, queryset, search_term):
        """Django's search, plus the stored keys: traditional characters, full
        pinyin with or without spaces or tones, pinyin initials."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        by_key = names.search_q(search_term, key_model=m.OrganisationSearchKey, owner="organisation")
        if by_key is not None:
            results = results | queryset.filter(by_key)
        return results, may_have_duplicates

    autocomplete_fields = ("parent",)
    inlines = (AccountInline, MembershipInline, FactInline)
    actions = ("merge_selected",)
    # Adds "Import a ranking" and "Duplicates" beside Import and Export (import-export
    # makes this the base of its own change list template).
    change_list_template = "admin/registry/organisation/change_list_rankings.html"
    fieldsets = (
        (None, {"fields": ("name_en", "name_zh", "short_name", "aliases")}),
        (_("Classification"), {"fields": ("kind", "ownership", "sector", "parent")}),
        (_("Location and identity"), {"fields": ("province", "city", "country", "website", "credit_code")}),
        (_("Notes"), {"fields": ("description", "is_demo")}),
    )

    def get_urls(self):
        from registry.imports import admin_views

        def view(function):
            return self.admin_site.admin_view(lambda request: function(self, request))

        return [
            path("import-ranking/", view(admin_views.import_ranking_view), name="registry_organisation_import_ranking"),
            path("duplicates/", view(admin_views.duplicates_view), name="registry_organisation_duplicates"),
            path("merge/", view(admin_views.merge_view), name="registry_organisation_merge"),
            *super().get_urls(),
        ]

    @admin.action(description=_("Merge the selected organisations…"), permissions=["change", "delete"])
    def merge_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return redirect(f"{reverse('admin:registry_organisation_merge')}?ids={ids}")


@admin.register(m.OrganisationFact)
class OrganisationFactAdmin(RegistryAdmin):
    list_display = ("organisation", "kind", "year", "value", "currency", "published_unit", "cohort")
    list_filter = ("kind", "year", "currency")
    search_fields = ("organisation__name_en", "organisation__name_zh")
    autocomplete_fields = ("organisation", "cohort", "source")
    list_select_related = ("organisation", "cohort")


@admin.register(m.VocabularyMapping)
class VocabularyMappingAdmin(RegistryAdmin):
    list_display = ("value", "sector", "source_key", "updated_at")
    list_filter = ("sector",)
    search_fields = ("value", "source_key")


@admin.register(m.Cohort)
class CohortAdmin(RegistryAdmin):
    list_display = ("name", "year", "publisher", "member_count", "is_demo")
    list_filter = ("year", "is_demo")
    search_fields = ("name", "name_zh", "publisher")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("source",)
    inlines = (CohortMemberInline,)

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_members=Count("memberships"))

    @admin.display(description=_("members"), ordering="_members")
    def member_count(self, obj):
        return obj._members


@admin.register(m.CohortMembership)
class CohortMembershipAdmin(SpreadsheetImportAdmin):
    resource_classes = [resources.MembershipResource]
    list_display = ("cohort", "rank", "organisation", "revenue_rmb_m")
    list_filter = ("cohort",)
    search_fields = ("organisation__name_en", "organisation__name_zh", "cohort__name")
    autocomplete_fields = ("cohort", "organisation")
    list_select_related = ("cohort", "organisation")


@admin.register(m.Platform)
class PlatformAdmin(RegistryAdmin):
    list_display = ("name_en", "name_zh", "slug", "kind", "region", "operator", "display_order", "is_main")
    list_filter = ("region", "kind", "is_main")
    list_editable = ("display_order", "is_main")
    search_fields = ("name_en", "name_zh", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    autocomplete_fields = ("operator",)
    list_select_related = ("operator",)


@admin.register(m.Account)
class AccountAdmin(SpreadsheetImportAdmin):
    resource_classes = [resources.AccountResource]
    list_display = (
        "display_name",
        "organisation",
        "platform",
        "handle",
        "verified",
        "opened_display",
        "closed_on",
        "status",
    )
    list_filter = ("platform", "status", "verified", "opened_precision", "is_demo")
    search_fields = ("display_name", "handle", "account_id", "organisation__name_en", "organisation__name_zh")
    autocomplete_fields = ("organisation", "platform", "source")
    list_select_related = ("organisation", "platform")
    date_hierarchy = "opened_on"
    inlines = (MetricInline,)

    @admin.display(description=_("opened"), ordering="opened_on")
    def opened_display(self, obj):
        return obj.opened_display


@admin.register(m.AccountMetric)
class AccountMetricAdmin(SpreadsheetImportAdmin):
    resource_classes = [resources.AccountMetricResource]
    list_display = ("account", "date", "followers", "posts", "reads", "likes", "shares", "comments")
    list_filter = ("account__platform",)
    search_fields = ("account__display_name", "account__organisation__name_en")
    autocomplete_fields = ("account", "source")
    list_select_related = ("account", "account__platform")
    date_hierarchy = "date"


@admin.register(m.Person)
class PersonAdmin(SpreadsheetImportAdmin):
    resource_classes = [resources.PersonResource]
    list_display = (shown_name, "name_en", "name_zh", "current_roles", "statement_count")
    search_fields = ("name_en", "name_zh", "aliases")
    list_filter = ("is_demo",)

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        by_key = names.search_q(search_term, key_model=m.PersonSearchKey, owner="person")
        if by_key is not None:
            results = results | queryset.filter(by_key)
        return results, may_have_duplicates

    inlines = (PositionInline,)

    def get_queryset(self, request):
        from django.db.models import Count, Prefetch

        return (
            super()
            .get_queryset(request)
            .annotate(_statements=Count("statements", distinct=True))
            .prefetch_related(Prefetch("positions", queryset=m.Position.objects.select_related("organisation")))
        )

    @admin.display(description=_("positions"))
    def current_roles(self, obj):
        return "; ".join(
            f"{p.title}, {p.organisation.display_name}" if p.organisation_id else p.title for p in obj.positions.all()
        )

    @admin.display(description=_("statements"), ordering="_statements")
    def statement_count(self, obj):
        return obj._statements


@admin.register(m.Position)
class PositionAdmin(SpreadsheetImportAdmin):
    resource_classes = [resources.PositionResource]
    list_display = ("person", "title", "organisation", "start_date", "end_date")
    search_fields = ("person__name_en", "person__name_zh", "title", "organisation__name_en")
    autocomplete_fields = ("person", "organisation", "source")
    list_select_related = ("person", "organisation")


@admin.register(m.Source)
class SourceAdmin(RegistryAdmin):
    list_display = ("title", "publisher", "published_display", "kind", "language", "url", "extract_link")
    list_filter = ("kind", "language", "publisher")
    search_fields = ("title", "publisher", "url", "full_text")
    readonly_fields = ("extract_link",)
    inlines = (StatementInline,)

    @admin.display(description=_("statements"))
    def extract_link(self, obj):
        # The dashboard's review screen, prefilled from this source (nothing saved until reviewed).
        url = reverse("dashboard:statement_extract")
        if obj is None or not obj.pk:
            return format_html('<a class="button" href="{}">Extract statements from a pasted article</a>', url)
        return format_html('<a class="button" href="{}?source={}">Extract statements</a>', url, obj.pk)

    @admin.display(description=_("published"), ordering="published_on")
    def published_display(self, obj):
        return obj.published_display


@admin.register(m.Topic)
class TopicAdmin(ImportMixin, admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(m.Statement)
class StatementAdmin(SpreadsheetImportAdmin):
    resource_classes = [resources.StatementResource]
    list_display = ("short_quote", "speaker", "role", "organisation", "kind", "stated_display", "source")
    list_filter = ("kind", "platforms", "topics", "organisation")
    search_fields = (
        "quote",
        "speaker__name_en",
        "speaker__name_zh",
        "speaker__aliases",
        "role",
        "organisation__name_en",
        "source__title",
    )
    autocomplete_fields = ("speaker", "organisation", "source", "platforms", "topics")
    list_select_related = ("speaker", "organisation", "source")

    @admin.display(description=_("quote"))
    def short_quote(self, obj):
        return obj.quote if len(obj.quote) <= 100 else obj.quote[:97] + "..."

    @admin.display(description=_("date"), ordering="stated_on")
    def stated_display(self, obj):
        return obj.stated_display


@admin.register(m.Activity)
class ActivityAdmin(RegistryAdmin):
    list_display = ("description", "kind", "person", "organisation", "count_display", "period_text", "source")
    list_filter = ("kind",)
    search_fields = ("description", "person__name_en", "organisation__name_en", "place")
    autocomplete_fields = ("person", "organisation", "source", "platforms")
    list_select_related = ("person", "organisation", "source")

    @admin.display(description=_("count"))
    def count_display(self, obj):
        return obj.count_display


@admin.register(m.PublishedFigure)
class PublishedFigureAdmin(RegistryAdmin):
    list_display = ("claim", "cohort", "platform", "value_display", "as_of_display", "attributed_to", "source")
    list_filter = ("platform", "cohort", "comparator")
    search_fields = ("claim", "source__title")
    autocomplete_fields = ("cohort", "platform", "source", "attributed_to")
    list_select_related = ("cohort", "platform", "source", "attributed_to")

    @admin.display(description=_("value"))
    def value_display(self, obj):
        return obj.value_display

    @admin.display(description=_("as of"), ordering="as_of")
    def as_of_display(self, obj):
        return obj.as_of_display


class BriefingItemInline(admin.TabularInline):
    model = m.BriefingItem
    extra = 0


@admin.register(m.Briefing)
class BriefingAdmin(ImportMixin, admin.ModelAdmin):
    """A briefing belongs to its owner, as on the dashboard: in the admin only
    the owner or an administrator may change or delete it, and only an
    administrator may give it to someone else. Importing briefings (which
    names their owners) is for administrators."""

    list_display = ("title", "owner", "updated_at")
    search_fields = ("title", "owner__username")
    autocomplete_fields = ("statements",)
    inlines = (BriefingItemInline,)

    def _may_manage(self, request, obj) -> bool:
        return obj is None or obj.owner_id == request.user.pk or is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_manage(request, obj)

    def has_import_permission(self, request):
        return super().has_import_permission(request) and is_administrator(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if is_administrator(request.user) else (*fields, "owner")

    def save_model(self, request, obj, form, change):
        if not change and not is_administrator(request.user):
            obj.owner = request.user  # an editor's new briefing is theirs
        super().save_model(request, obj, form, change)


@admin.register(m.ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Background imports: their progress (a bar that follows the worker), their
    outcome and problems, and a Cancel button. Jobs are created by uploading a
    large file on a list's Import page, never here."""

    list_display = ("original_name", "kind", "status", "rows_done", "created_by", "created_at", "finished_at")
    list_filter = ("status", "kind")
    list_select_related = ("created_by",)
    change_form_template = "admin/registry/importjob/change_form.html"
    readonly_fields = (
        "kind",
        "original_name",
        "size",
        "status",
        "rows_done",
        "rows_total",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "message",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("<int:pk>/status/", self.admin_site.admin_view(self.status_view), name="registry_importjob_status"),
            path("<int:pk>/cancel/", self.admin_site.admin_view(self.cancel_view), name="registry_importjob_cancel"),
            *super().get_urls(),
        ]

    def _job(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(m.ImportJob, pk=pk)

    def status_view(self, request, pk):
        """The progress bar's data: one query (the job), plus reading the
        worker's progress file while the job runs."""
        return JsonResponse(job_status(self._job(request, pk)))

    @method_decorator(require_POST)
    def cancel_view(self, request, pk):
        job = self._job(request, pk)
        if not (request.user.pk == job.created_by_id or is_administrator(request.user)):
            raise PermissionDenied
        if request_cancel(job):
            messages.info(request, _("Cancelling: nothing from this file will be imported."))
        else:
            messages.warning(request, _("This import has already ended."))
        return redirect("admin:registry_importjob_change", job.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self._job(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "job_status": job_status(job),
            "problems": job.problems,
            "job_warnings": job.warnings,
            "status_url": reverse("admin:registry_importjob_status", args=[job.pk]),
            "cancel_url": reverse("admin:registry_importjob_cancel", args=[job.pk]),
            "may_cancel": not job.finished and (request.user.pk == job.created_by_id or is_administrator(request.user)),
        }
        return super().change_view(request, object_id, form_url, extra_context)


# --------------------------------------------------------------------------- automation (registry/automation.py)


@admin.register(m.AllowedEmailDomain)
class AllowedEmailDomainAdmin(admin.ModelAdmin):
    """Domains whose addresses may receive scheduled briefings besides registry users."""

    list_display = ("domain",)
    search_fields = ("domain",)


@admin.register(m.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be seen and revoked here; they are made only on the user's own page
    (the raw token exists only there, once)."""

    list_display = ("name", "user", "prefix", "read_only", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("read_only",)
    search_fields = ("name", "user__username", "prefix")
    fields = ("user", "name", "prefix", "read_only", "expires_at", "last_used_at", "revoked_at", "created_at")
    readonly_fields = ("user", "name", "prefix", "last_used_at", "created_at")

    def has_add_permission(self, request):
        return False


class BriefingSendInline(admin.TabularInline):
    model = m.BriefingSend
    fields = ("slot", "status", "attempts", "sent_at", "last_error")
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0


@admin.register(m.BriefingSchedule)
class BriefingScheduleAdmin(admin.ModelAdmin):
    list_display = ("briefing", "frequency", "weekday", "day_of_month", "time", "formats", "active")
    list_filter = ("frequency", "active")
    search_fields = ("briefing__title",)
    autocomplete_fields = ("briefing",)
    filter_horizontal = ("recipients",)
    inlines = (BriefingSendInline,)


@admin.register(m.AlertSubscription)
class AlertSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "target", "cohort", "organisation", "platform", "query", "delivery")
    list_filter = ("target", "delivery")
    search_fields = ("user__username", "query")
    autocomplete_fields = ("cohort", "organisation", "platform")
