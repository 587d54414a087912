from __future__ import annotations

from django.urls import re_path

from rooms.documents.consumer import DocumentConsumer
from rooms.documents.hocuspocus_consumer import HocuspocusConsumer
from rooms.room_socket.consumer import RoomConsumer
from rooms.room_socket.share_comments_consumer import ShareCommentsConsumer
from rooms.room_socket.user_consumer import UserConsumer

# No trailing slash: the y-websocket client appends "/{room}" to its server URL.
websocket_urlpatterns = [
    re_path(r"^ws/docs/(?P<document_id>[^/]+)$", DocumentConsumer.as_asgi()),
    # The Hocuspocus provider names each document in its messages: one path for all of them.
    re_path(r"^ws/hocuspocus$", HocuspocusConsumer.as_asgi()),
    re_path(r"^ws/rooms/(?P<room_id>[^/]+)$", RoomConsumer.as_asgi()),
    re_path(r"^ws/me$", UserConsumer.as_asgi()),
    re_path(r"^ws/share-comments/(?P<document_id>[^/]+)$", ShareCommentsConsumer.as_asgi()),
]
