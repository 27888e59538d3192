"""Dashboard URLs, grouped by the view module that serves them.

Every pattern here must also have a row in ``tests/test_access.py``'s matrix."""

from django.urls import path

from dashboard.views import pages

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
    # --- end exports
    # --- statements: extraction review (dashboard/views/review.py)
    # --- end statements
    # --- influence indices (dashboard/views/indices.py)
    # --- end indices
]
