from __future__ import annotations

from django.urls import re_path

from rooms.consumers import DocumentConsumer

# No trailing slash: the y-websocket client appends "/{room}" to its server URL.
websocket_urlpatterns = [
    re_path(r"^ws/docs/(?P<document_id>[^/]+)$", DocumentConsumer.as_asgi()),
]
