"""Dashboard URLs, grouped by the view module that serves them.

Every pattern here must also have a row in ``tests/test_access.py``'s matrix."""

from django.urls import path, re_path

from dashboard.views import automation, briefings, exports, indices, pages, review, tokens

app_name = "dashboard"

urlpatterns = [
    # --- pages (dashboard/views/pages.py)
    path("", pages.overview, name="overview"),
    path("charts/<slug:slug>/", pages.chart_page, name="chart"),
    path("platforms/", pages.platform_list, name="platform_list"),
    path("platforms/<slug:slug>/", pages.platform_detail, name="platform_detail"),
    path("companies/", pages.company_list, name="company_list"),
    path("companies/<int:pk>/", pages.company_detail, name="company_detail"),
    path("people/", pages.person_list, name="person_list"),
    path("people/<int:pk>/", pages.person_detail, name="person_detail"),
    path("statements/", pages.statement_list, name="statement_list"),
    path("sources/", pages.source_list, name="source_list"),
    path("sources/<int:pk>/", pages.source_detail, name="source_detail"),
    path("figures/", pages.figure_list, name="figure_list"),
    # --- end pages
    # --- exports and briefings (dashboard/views/exports.py, dashboard/views/briefings.py)
    re_path(r"^charts/(?P<slug>[-\w]+)\.(?P<fmt>png|svg|pdf|csv|xlsx)$", exports.chart_export, name="chart_export"),
    path("briefings/", briefings.briefing_list, name="briefing_list"),
    path("briefings/new/", briefings.briefing_new, name="briefing_new"),
    path("briefings/add/", briefings.briefing_add, name="briefing_add"),
    path("briefings/<uuid:uuid>/", briefings.briefing_detail, name="briefing_detail"),
    path("briefings/<uuid:uuid>/title/", briefings.briefing_title, name="briefing_title"),
    path("briefings/<uuid:uuid>/items/<int:pk>/", briefings.briefing_item, name="briefing_item"),
    path("briefings/<uuid:uuid>/statements/", briefings.briefing_statements, name="briefing_statements"),
    path("briefings/<uuid:uuid>/delete/", briefings.briefing_delete, name="briefing_delete"),
    re_path(
        r"^briefings/(?P<uuid>[0-9a-f-]{36})\.(?P<fmt>pptx|pdf|xlsx)$",
        briefings.briefing_download,
        name="briefing_download",
    ),
    # --- end exports
    # --- statements: extraction review (dashboard/views/review.py)
    path("statements/extract/", review.extract_statements, name="statement_extract"),
    # --- end statements
    # --- influence indices (dashboard/views/indices.py)
    path("indices/", indices.ranking, name="indices"),
    path("indices/<int:account_id>/", indices.account_index, name="index_account"),
    # --- end indices
    # --- personal API tokens (dashboard/views/tokens.py)
    path("tokens/", tokens.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    # --- end tokens
    # --- scheduled briefings and alerts (dashboard/views/automation.py)
    path("schedules/", automation.schedule_list, name="schedule_list"),
    path("schedules/<int:pk>/delete/", automation.schedule_delete, name="schedule_delete"),
    path("alerts/", automation.alert_list, name="alert_list"),
    path("alerts/read/", automation.alerts_read, name="alerts_read"),
    path("alerts/subscriptions/<int:pk>/delete/", automation.subscription_delete, name="subscription_delete"),
    # --- end automation
]
