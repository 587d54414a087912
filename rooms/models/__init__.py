"""The domain of rooms: who is in them, what they hold, and what they send out."""

from __future__ import annotations

from rooms.models.access import AccessEpoch
from rooms.models.chat import Attachment, Mention, Message, MessageEdit, MessageKind, Reaction
from rooms.models.documents import (
    Document,
    DocumentKind,
    DocumentState,
    DocumentUpdate,
    DocumentVersion,
)
from rooms.models.notifications import Notification, NotificationKind
from rooms.models.rooms import Invite, Membership, Role, Room
from rooms.models.search import DocumentText
from rooms.models.webhooks import (
    IncomingWebhook,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
)

__all__ = [
    "AccessEpoch",
    "Attachment",
    "Document",
    "DocumentKind",
    "DocumentState",
    "DocumentText",
    "DocumentUpdate",
    "DocumentVersion",
    "IncomingWebhook",
    "Invite",
    "Membership",
    "Mention",
    "Message",
    "MessageEdit",
    "MessageKind",
    "Notification",
    "NotificationKind",
    "Reaction",
    "Role",
    "Room",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEvent",
]
