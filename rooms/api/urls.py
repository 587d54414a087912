"""Routes of the rooms API, each reachable with and without a trailing slash."""

from __future__ import annotations

from rooms.chat.api import room_views
from rooms.chat.api import views as chat_views
from rooms.comments.api import views as comment_views
from rooms.core.api_paths import api_path
from rooms.documents.api import content_views, image_views, share_link_views, transfer_views
from rooms.documents.api import views as document_views
from rooms.membership.api import views as membership_views
from rooms.notifications.api import views as notification_views
from rooms.search.api import views as search_views
from rooms.webhooks.api import views as webhook_views

urlpatterns = [
    *api_path("rooms", room_views.RoomListView, "api-room-list"),
    *api_path("rooms/<str:room_id>", room_views.RoomDetailView, "api-room-detail"),
    *api_path("rooms/<str:room_id>/join", membership_views.RoomJoinView, "room-join"),
    *api_path("rooms/<str:room_id>/members", membership_views.MemberListView, "member-list"),
    *api_path(
        "rooms/<str:room_id>/members/<id:user_id>",
        membership_views.MemberDetailView,
        "member-detail",
    ),
    *api_path("rooms/<str:room_id>/invites", membership_views.InviteListView, "invite-list"),
    *api_path(
        "rooms/<str:room_id>/invites/<id:invite_id>",
        membership_views.InviteDetailView,
        "invite-detail",
    ),
    *api_path("invites/<str:token>", membership_views.InvitePreviewView, "invite-preview"),
    *api_path("invites/<str:token>/accept", membership_views.InviteAcceptView, "invite-accept"),
    *api_path("rooms/<str:room_id>/documents", document_views.DocumentListView, "document-list"),
    *api_path("documents/<str:document_id>", document_views.DocumentDetailView, "document-detail"),
    *api_path("documents/<str:document_id>/lock", document_views.DocumentLockView, "document-lock"),
    *api_path(
        "documents/<str:document_id>/unlock", document_views.DocumentUnlockView, "document-unlock"
    ),
    *api_path(
        "documents/<str:document_id>/archive",
        document_views.DocumentArchiveView,
        "document-archive",
    ),
    *api_path(
        "documents/<str:document_id>/restore",
        document_views.DocumentRestoreView,
        "document-restore",
    ),
    *api_path(
        "documents/<str:document_id>/share-links",
        share_link_views.ShareLinkListView,
        "share-link-list",
    ),
    *api_path(
        "documents/<str:document_id>/share-links/<id:link_id>",
        share_link_views.ShareLinkDetailView,
        "share-link-detail",
    ),
    *api_path("rooms/<str:room_id>/messages", chat_views.MessageListView, "message-list"),
]

urlpatterns += [
    *api_path(
        "rooms/<str:room_id>/messages/search",
        chat_views.RoomMessageSearchView,
        "room-message-search",
    ),
    *api_path(
        "rooms/<str:room_id>/messages/<id:message_id>",
        chat_views.MessageDetailView,
        "message-detail",
    ),
    *api_path(
        "rooms/<str:room_id>/messages/<id:message_id>/edits",
        chat_views.MessageEditListView,
        "message-edit-list",
    ),
    *api_path(
        "rooms/<str:room_id>/messages/<id:message_id>/replies",
        chat_views.ThreadReplyListView,
        "message-reply-list",
    ),
    *api_path(
        "rooms/<str:room_id>/messages/<id:message_id>/reactions",
        chat_views.ReactionListView,
        "reaction-list",
    ),
    *api_path(
        "rooms/<str:room_id>/messages/<id:message_id>/reactions/<str:emoji>",
        chat_views.ReactionDetailView,
        "reaction-detail",
    ),
    *api_path("rooms/<str:room_id>/read", chat_views.ReadView, "room-read"),
    *api_path(
        "rooms/<str:room_id>/attachments", chat_views.AttachmentUploadView, "attachment-upload"
    ),
    *api_path(
        "attachments/<str:attachment_id>", chat_views.AttachmentDownloadView, "attachment-download"
    ),
    *api_path("messages/search", chat_views.MessageSearchView, "message-search"),
]

urlpatterns += [
    *api_path("rooms/<str:room_id>/search", search_views.RoomSearchView, "room-search"),
]

urlpatterns += [
    *api_path(
        "documents/<str:document_id>/authors", content_views.DocumentAuthorsView, "document-authors"
    ),
    *api_path(
        "documents/<str:document_id>/images", image_views.DocumentImageUploadView, "document-images"
    ),
    *api_path(
        "documents/<str:document_id>/images/<str:image_id>",
        image_views.DocumentImageView,
        "document-image",
    ),
    *api_path(
        "documents/<str:document_id>/content", content_views.DocumentContentView, "document-content"
    ),
    *api_path(
        "documents/<str:document_id>/export", transfer_views.DocumentExportView, "document-export"
    ),
    *api_path(
        "documents/<str:document_id>/import",
        transfer_views.DocumentImportIntoView,
        "document-import-into",
    ),
    *api_path(
        "rooms/<str:room_id>/documents/import",
        transfer_views.DocumentImportView,
        "document-import",
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
    *api_path(
        "documents/<str:document_id>/versions/<str:version_id>/diff",
        content_views.DocumentVersionDiffView,
        "document-version-diff",
    ),
]

urlpatterns += [
    *api_path("notifications", notification_views.NotificationListView, "notification-list"),
    *api_path(
        "notifications/unread-count",
        notification_views.NotificationUnreadCountView,
        "notification-unread-count",
    ),
    *api_path(
        "notifications/read-all",
        notification_views.NotificationReadAllView,
        "notification-read-all",
    ),
    *api_path(
        "notifications/<str:notification_id>",
        notification_views.NotificationDetailView,
        "notification-detail",
    ),
    *api_path(
        "rooms/<str:room_id>/membership",
        notification_views.MembershipPreferencesView,
        "room-membership",
    ),
    *api_path(
        "documents/<str:document_id>/share", notification_views.DocumentShareView, "document-share"
    ),
]

urlpatterns += [
    *api_path("rooms/<str:room_id>/webhooks", webhook_views.WebhookListView, "webhook-list"),
    *api_path(
        "rooms/<str:room_id>/webhooks/<str:webhook_id>",
        webhook_views.WebhookDetailView,
        "webhook-detail",
    ),
    *api_path(
        "rooms/<str:room_id>/webhooks/<str:webhook_id>/enable",
        webhook_views.WebhookEnableView,
        "webhook-enable",
    ),
    *api_path(
        "rooms/<str:room_id>/webhooks/<str:webhook_id>/deliveries",
        webhook_views.WebhookDeliveryListView,
        "webhook-delivery-list",
    ),
    *api_path(
        "rooms/<str:room_id>/incoming-webhooks",
        webhook_views.IncomingWebhookListView,
        "incoming-webhook-list",
    ),
    *api_path(
        "rooms/<str:room_id>/incoming-webhooks/<str:incoming_id>",
        webhook_views.IncomingWebhookDetailView,
        "incoming-webhook-detail",
    ),
    *api_path(
        "hooks/incoming/<str:incoming_token>",
        webhook_views.IncomingWebhookPostView,
        "incoming-webhook-post",
    ),
]

_THREAD = "documents/<str:document_id>/comments/<int:thread_id>"
urlpatterns += [
    *api_path(
        "documents/<str:document_id>/comments", comment_views.ThreadListView, "comment-thread-list"
    ),
    *api_path(_THREAD, comment_views.ThreadDetailView, "comment-thread-detail"),
    *api_path(f"{_THREAD}/resolve", comment_views.ThreadResolveView, "comment-thread-resolve"),
    *api_path(f"{_THREAD}/reopen", comment_views.ThreadReopenView, "comment-thread-reopen"),
    *api_path(f"{_THREAD}/replies", comment_views.ReplyListView, "comment-reply-list"),
    *api_path(
        f"{_THREAD}/comments/<int:comment_id>", comment_views.CommentDetailView, "comment-detail"
    ),
    *api_path(
        f"{_THREAD}/comments/<int:comment_id>/reactions",
        comment_views.CommentReactionListView,
        "comment-reaction-list",
    ),
    *api_path(
        f"{_THREAD}/comments/<int:comment_id>/reactions/<str:emoji>",
        comment_views.CommentReactionDetailView,
        "comment-reaction-detail",
    ),
]
