"""WebSocket URL routes of every app, gathered in one list for ``asgi.py``."""

from __future__ import annotations

from typing import Any

from rooms.routing import websocket_urlpatterns as rooms_routes

websocket_urlpatterns: list[Any] = [*rooms_routes]
