"""Routes of the presence API, each reachable with and without a trailing slash."""

from __future__ import annotations

from collab.urls_api import api_path
from presence import api

urlpatterns = [
    *api_path("rooms/<str:room_id>/presence", api.RoomPresenceView, "room-presence"),
]
