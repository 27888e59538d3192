"""/api/v1/: the resources (a DRF router), the aggregates, the OpenAPI
document and its browsable documentation (Swagger UI and Redoc, their assets
served by this app from drf-spectacular-sidecar)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import aggregates, views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("cohorts", views.CohortViewSet, basename="cohort")
router.register("platforms", views.PlatformViewSet, basename="platform")
router.register("accounts", views.AccountViewSet, basename="account")
router.register("metrics", views.MetricViewSet, basename="metric")
router.register("people", views.PersonViewSet, basename="person")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("sources", views.SourceViewSet, basename="source")
router.register("figures", views.PublishedFigureViewSet, basename="figure")

urlpatterns = [
    *router.urls,
    path("aggregates/adoption-by-platform/", aggregates.AdoptionByPlatform.as_view(), name="adoption-by-platform"),
    path("aggregates/adoption-over-time/", aggregates.AdoptionOverTime.as_view(), name="adoption-over-time"),
    path("aggregates/adoption-by-ownership/", aggregates.AdoptionByOwnership.as_view(), name="adoption-by-ownership"),
    path("aggregates/adoption-by-sector/", aggregates.AdoptionBySector.as_view(), name="adoption-by-sector"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]

# The API authenticates by token as well as by session, so the project's
# LoginRequiredMiddleware (which redirects to the login page) steps aside; DRF's
# permission classes answer 401/403 instead. The docs and schema are public.
for pattern in urlpatterns:
    pattern.callback = login_not_required(pattern.callback)
