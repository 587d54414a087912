"""Incoming webhooks: a secret URL through which another system (CI, monitoring) posts chat
messages into a room.

Each incoming hook posts as its own bot: a user named ``hook-<hook id in hex>`` with no usable
password, shown under the hook's name, and a member of the room with the commenter role. So a
bot's message is an ordinary message, sent through ``message_send`` like any other: it is
stored, rendered, rate limited (``COLLAB_MESSAGE_RATE_PER_SECOND`` per bot), published live
on the room socket and to outgoing webhooks. The token is shown once; only its SHA-256 is
stored. Deleting the hook removes the bot from the room and deactivates it; its messages stay.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet

from rooms.chat.models import Message
from rooms.chat.services.messages import message_send
from rooms.core.errors import NotFound
from rooms.membership.models import Membership, Role
from rooms.membership.selectors import as_uuid
from rooms.webhooks.models import IncomingWebhook
from rooms.webhooks.services.webhooks import webhook_access


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def bot_username(hook: IncomingWebhook) -> str:
    return f"hook-{hook.pk.hex}"


def incoming_webhook_create(*, actor: Any, room_id: Any, name: str) -> tuple[IncomingWebhook, str]:
    """Create an incoming hook and its bot member (room owners only); returns the hook and its
    token, which is never shown again. Raises what ``webhook_access`` raises."""
    access = webhook_access(actor=actor, room_id=room_id)
    token = secrets.token_urlsafe(32)
    name = name.strip() or "Webhook"
    with transaction.atomic():
        hook = IncomingWebhook.objects.create(
            room=access.room, name=name, digest=token_digest(token), created_by=actor
        )
        bot = get_user_model().objects.create_user(username=bot_username(hook), password=None)
        bot.profile.display_name = name[:80]
        bot.profile.save(update_fields=["display_name"])
        Membership.objects.create(room=access.room, user=bot, role=Role.COMMENTER)
    return hook, token


def incoming_webhook_list(*, actor: Any, room_id: Any) -> QuerySet[IncomingWebhook]:
    access = webhook_access(actor=actor, room_id=room_id)
    return IncomingWebhook.objects.filter(room=access.room, is_active=True)


def incoming_webhook_delete(*, actor: Any, room_id: Any, incoming_id: Any) -> None:
    """Delete an incoming hook: its URL stops working, its bot leaves the room and can no
    longer act; its messages stay. Raises ``NotFound`` (``incoming_webhook_not_found``)."""
    access = webhook_access(actor=actor, room_id=room_id)
    key = as_uuid(incoming_id)
    hook = IncomingWebhook.objects.filter(room=access.room, pk=key).first() if key else None
    if hook is None:
        raise NotFound("No such incoming webhook in this room.", code="incoming_webhook_not_found")
    incoming_webhook_retire(hook)


def incoming_webhook_retire(hook: IncomingWebhook) -> None:
    """``incoming_webhook_delete`` without the permission check: for the admin."""
    with transaction.atomic():
        bot = get_user_model().objects.filter(username=bot_username(hook)).first()
        if bot is not None:
            Membership.objects.filter(room_id=hook.room_id, user=bot).delete()
            bot.is_active = False
            bot.save(update_fields=["is_active"])
        hook.delete()


def incoming_webhook_post(*, token: str, body: str, client_id: str = "") -> tuple[Message, bool]:
    """Post ``body`` to the room of the hook whose token this is, as its bot; returns the
    message and whether it is new (a repeated ``client_id`` returns the first one).

    Raises ``NotFound`` (``incoming_webhook_not_found``) for an unknown or deleted token (or
    a deleted room), and what ``message_send`` raises: ``Invalid`` (``blank``,
    ``max_length``), ``Forbidden`` (``room_archived``), ``ChatRateLimited`` (429).
    """
    hook = (
        IncomingWebhook.objects.filter(
            digest=token_digest(token), is_active=True, room__deleted_at=None
        )
        .select_related("room")
        .first()
    )
    bot = (
        get_user_model().objects.filter(username=bot_username(hook), is_active=True).first()
        if hook is not None
        else None
    )
    if hook is None or bot is None:
        raise NotFound("No incoming webhook has this token.", code="incoming_webhook_not_found")
    return message_send(actor=bot, room_id=hook.room_id, body=body, client_id=client_id)
