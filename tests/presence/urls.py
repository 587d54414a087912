"""The project's routes plus presence's, as collab/urls.py will have them once wired."""

from __future__ import annotations

from django.urls import include, path

from collab.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("api/v1/", include("presence.urls")), *project_urlpatterns]
