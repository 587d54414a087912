from __future__ import annotations

from django.urls import path

from rooms.notifications import pages as notification_pages
from rooms.pages import share_links, views

urlpatterns = [
    path("", views.room_list, name="room-list"),
    path("rooms/<uuid:room_id>/", views.room_detail, name="room-detail"),
    path(
        "rooms/<uuid:room_id>/documents/<uuid:document_id>/",
        views.room_document,
        name="room-document",
    ),
    path(
        "rooms/<uuid:room_id>/documents/<uuid:document_id>/access",
        views.room_document_access,
        name="room-document-access",
    ),
    path("rooms/<uuid:room_id>/settings/", views.room_settings, name="room-settings"),
    path("rooms/<uuid:room_id>/join/", views.room_join_page, name="room-join-page"),
    path("invite/<str:token>/", views.invite_page, name="invite"),
    path("s/<str:token>", share_links.share_link_page, name="share-link-open"),
    path("notifications/", notification_pages.notifications_page, name="notifications"),
]
