"""Routes of the rooms API, each reachable with and without a trailing slash."""

from __future__ import annotations

from collab.urls_api import api_path
from rooms.api import content_views, views

urlpatterns = [
    *api_path("rooms", views.RoomListView, "room-list"),
    *api_path("rooms/<str:room_id>", views.RoomDetailView, "room-detail"),
    *api_path("rooms/<str:room_id>/join", views.RoomJoinView, "room-join"),
    *api_path("rooms/<str:room_id>/members", views.MemberListView, "member-list"),
    *api_path("rooms/<str:room_id>/members/<int:user_id>", views.MemberDetailView, "member-detail"),
    *api_path("rooms/<str:room_id>/invites", views.InviteListView, "invite-list"),
    *api_path(
        "rooms/<str:room_id>/invites/<int:invite_id>", views.InviteDetailView, "invite-detail"
    ),
    *api_path("invites/<str:token>", views.InvitePreviewView, "invite-preview"),
    *api_path("invites/<str:token>/accept", views.InviteAcceptView, "invite-accept"),
    *api_path("rooms/<str:room_id>/documents", views.DocumentListView, "document-list"),
    *api_path("documents/<str:document_id>", views.DocumentDetailView, "document-detail"),
    *api_path("documents/<str:document_id>/lock", views.DocumentLockView, "document-lock"),
    *api_path("documents/<str:document_id>/unlock", views.DocumentUnlockView, "document-unlock"),
    *api_path("rooms/<str:room_id>/messages", views.MessageListView, "message-list"),
]

urlpatterns += [
    *api_path(
        "documents/<str:document_id>/content", content_views.DocumentContentView, "document-content"
    ),
    *api_path(
        "documents/<str:document_id>/versions",
        content_views.DocumentVersionListView,
        "document-version-list",
    ),
    *api_path(
        "documents/<str:document_id>/versions/<str:version_id>",
        content_views.DocumentVersionDetailView,
        "document-version-detail",
    ),
    *api_path(
        "documents/<str:document_id>/versions/<str:version_id>/restore",
        content_views.DocumentVersionRestoreView,
        "document-version-restore",
    ),
]
