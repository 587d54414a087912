"""Top-level routes: pages, the admin, the REST API and its documentation."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from collab import health
from collab.service_worker import service_worker
from rooms.core import metrics

api_v1 = [
    path("", include("rooms.accounts.api.urls")),
    path("", include("rooms.api.urls")),
    path("", include("presence.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("sw.js", service_worker, name="service-worker"),
    path("accounts/", include("rooms.accounts.urls")),
    path("", include("rooms.pages.urls")),
]
