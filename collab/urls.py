"""Top-level routes: pages, the admin, the REST API and its documentation."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from collab import health
from collab.csp_reports import csp_report
from collab.favicon import favicon
from collab.service_worker import service_worker
from collab.web_manifest import web_manifest
from rooms.core import metrics
from rooms.documents.api.shape_schema_views import shape_schema

api_v1 = [
    path("", include("rooms.accounts.api.urls")),
    path("", include("rooms.api.urls")),
    path("", include("presence.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/schemas/shape.json", shape_schema, name="shape-schema"),
    # The split view serves the page's script from a URL (?script), not inline, for the
    # Content-Security-Policy; its template moves the inline styles to a file.
    path(
        "api/docs",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("sw.js", service_worker, name="service-worker"),
    path("manifest.webmanifest", web_manifest, name="web-manifest"),
    path("favicon.ico", favicon, name="favicon"),
    path("csp-report", csp_report, name="csp-report"),
    path("accounts/", include("rooms.accounts.urls")),
    path("", include("rooms.pages.urls")),
]
