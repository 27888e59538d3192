"""Dashboard URLs, grouped by the view module that serves them.

Every pattern here must also have a row in ``tests/test_access.py``'s matrix."""

from django.urls import path

from dashboard.views import pages

app_name = "dashboard"

urlpatterns = [
    # --- pages (dashboard/views/pages.py)
    path("", pages.overview, name="overview"),
    # --- end pages
    # --- exports and briefings (dashboard/views/exports.py, dashboard/views/briefings.py)
    # --- end exports
    # --- statements: extraction review (dashboard/views/review.py)
    # --- end statements
    # --- influence indices (dashboard/views/indices.py)
    # --- end indices
]
