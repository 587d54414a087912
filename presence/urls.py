"""Routes of the presence API, each reachable with and without a trailing slash."""

from __future__ import annotations

from presence import api
from rooms.core.api_paths import api_path

urlpatterns = [
    *api_path("rooms/<str:room_id>/presence", api.RoomPresenceView, "room-presence"),
]
