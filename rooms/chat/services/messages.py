"""Chat messages: send, edit and delete.

Every change publishes its room event (``rooms.chat.events``) once committed, so a
message written over REST reaches the room's sockets too. Reactions, read state,
attachments and system messages have their own modules beside this one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from rooms.chat import events as chat_events
from rooms.chat.models import Attachment, Mention, Message, MessageEdit, MessageKind, Reaction
from rooms.chat.selectors import message_in_room
from rooms.chat.services.mentions import mentions_record, render_with_mentions
from rooms.chat.services.rate import chat_rate_take
from rooms.chat.signals import message_deleted, message_edited, message_posted
from rooms.core import metrics
from rooms.core.errors import Conflict, Forbidden, Invalid
from rooms.core.stored_files import remove_files_on_commit
from rooms.membership.models import Role, Room
from rooms.membership.permissions import Access, can_post, require_active_room
from rooms.membership.selectors import room_access


def require_can_post(access: Access) -> None:
    """Raise ``Forbidden`` unless the user may post in the room: ``room_archived`` for an
    archived room, ``permission_denied`` below commenter."""
    if not can_post(access):
        require_active_room(access)
        raise Forbidden("Only commenters and above may post.")


def clean_body(body: str, *, allow_blank: bool = False) -> str:
    """``body`` without surrounding whitespace. Raises ``Invalid`` (``blank``, ``max_length``)."""
    body = body.strip()
    if not body and not allow_blank:
        raise Invalid("A message needs a body.", code="blank", field="body")
    if len(body) > settings.COLLAB_MESSAGE_MAX_LENGTH:
        raise Invalid(
            f"Messages are at most {settings.COLLAB_MESSAGE_MAX_LENGTH} characters.",
            code="max_length",
            field="body",
        )
    return body


def thread_root(*, room: Room, parent_id: int | None) -> Message | None:
    """The root of the thread a reply to ``parent_id`` joins (a reply to a reply joins its
    root). Raises ``Invalid`` (``unknown_parent``) for a message outside the room and
    ``Conflict`` (``message_deleted``) for a deleted root."""
    if parent_id is None:
        return None
    parent = Message.objects.filter(room=room, pk=parent_id).select_related("parent").first()
    if parent is None:
        raise Invalid("No such message in this room.", code="unknown_parent", field="parent")
    root = parent.parent or parent
    if root.deleted_at is not None:
        raise Conflict("That thread's message was deleted.", code="message_deleted")
    return root


def existing_send(*, access: Access, actor: Any, client_id: str) -> Message | None:
    """The message ``actor`` already sent with ``client_id`` in the room, if any."""
    if not client_id:
        return None
    return (
        Message.objects.filter(room=access.room, author=actor, client_id=client_id)
        .select_related("author", "author__profile", "attachment")
        .first()
    )


def message_create(
    *,
    room: Room,
    author: Any,
    body: str,
    kind: MessageKind,
    parent: Message | None,
    client_id: str,
    attachment: Attachment | None = None,
) -> Message:
    """Store a message with its mentions, count it in its thread, and publish
    ``message.new`` after commit. No checks: callers have made them. Raises
    ``IntegrityError`` when ``client_id`` was taken meanwhile."""
    rendered = render_with_mentions(room=room, body=body, author_id=author.pk)
    with transaction.atomic():
        message = Message.objects.create(
            room=room,
            author=author,
            kind=kind,
            body=body,
            body_html=rendered.html,
            parent=parent,
            client_id=client_id,
            attachment=attachment,
            mentions_room=rendered.room,
        )
        if rendered.user_ids:
            mentions_record(message=message, user_ids=rendered.user_ids)
        message_posted.send(
            sender=Message,
            message=message,
            mentioned_ids=rendered.user_ids,
            room_mention=rendered.room,
        )
        parent_reply_count = None
        if parent is not None:
            Message.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
            parent_reply_count = Message.objects.values_list("reply_count", flat=True).get(
                pk=parent.pk
            )
        chat_events.publish_message_new(message, parent_reply_count=parent_reply_count)
        transaction.on_commit(metrics.chat_message_committed)
    return message


def message_send(
    *, actor: Any, room_id: Any, body: str, parent_id: int | None = None, client_id: str = ""
) -> tuple[Message, bool]:
    """Post a message (commenters and above). Returns it and whether it is new.

    Sending again with the same ``client_id`` returns the first message, creates nothing,
    publishes nothing and is not rate limited. A reply to a reply joins the thread of its
    root. ``@username`` of members and ``@room`` are recorded as mentions. Raises
    ``Invalid`` for an empty or over-long body or a parent outside the room, ``Conflict``
    (``message_deleted``) for a reply to a deleted thread, ``Forbidden`` for viewers and
    outsiders, ``ChatRateLimited`` (429) past the user's rate.
    """
    access = room_access(user=actor, room_id=room_id)
    require_can_post(access)
    if (message := existing_send(access=access, actor=actor, client_id=client_id)) is not None:
        return message, False
    body = clean_body(body)
    parent = thread_root(room=access.room, parent_id=parent_id)
    chat_rate_take(user_id=actor.pk)
    try:
        message = message_create(
            room=access.room,
            author=actor,
            body=body,
            kind=MessageKind.TEXT,
            parent=parent,
            client_id=client_id,
        )
    except IntegrityError:
        # A concurrent send with the same client_id won the race: return its message.
        message = Message.objects.get(room=access.room, author=actor, client_id=client_id)
        return message, False
    return message, True


def message_edit(*, actor: Any, room_id: Any, message_id: Any, body: str) -> Message:
    """Change the body of one's own message; the previous body is kept as a ``MessageEdit``.

    The body is rendered again and its mentions recorded again; ``message.edited`` is
    published. An unchanged body changes nothing. Raises ``NotFound``
    (``message_not_found``) for a message outside the room, ``Forbidden`` (``not_author``)
    for someone else's message, ``Conflict`` (``message_deleted``) for a deleted one,
    ``Forbidden`` when the author may no longer post, ``Invalid`` for a bad body and
    ``ChatRateLimited`` past the rate.
    """
    access = room_access(user=actor, room_id=room_id)
    message = message_in_room(room=access.room, message_id=message_id)
    if message.author_id is None or message.author_id != actor.pk:
        raise Forbidden("Only its author may edit a message.", code="not_author")
    if message.deleted_at is not None:
        raise Conflict("The message was deleted.", code="message_deleted")
    require_can_post(access)
    body = clean_body(body, allow_blank=message.kind == MessageKind.FILE)
    if body == message.body:
        return message
    chat_rate_take(user_id=actor.pk)
    rendered = render_with_mentions(room=access.room, body=body, author_id=actor.pk)
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
        if locked.deleted_at is not None:
            raise Conflict("The message was deleted.", code="message_deleted")
        MessageEdit.objects.create(message=message, body=locked.body, edited_by=actor)
        message.body = body
        message.body_html = rendered.html
        message.mentions_room = rendered.room
        message.edited_at = timezone.now()
        message.save(update_fields=["body", "body_html", "mentions_room", "edited_at"])
        mentions_record(message=message, user_ids=rendered.user_ids)
        message_edited.send(
            sender=Message,
            message=message,
            mentioned_ids=rendered.user_ids,
            room_mention=rendered.room,
        )
        chat_events.publish_message_edited(message)
    return message


def message_delete(
    *, actor: Any, room_id: Any, message_id: Any, as_operator: bool = False
) -> Message:
    """Delete a message: its author or a room owner (or staff from the admin).

    The row stays as a tombstone, so its thread keeps its shape: body and rendering
    cleared, ``deleted_at`` set, its reactions, mentions, edit history and attachment
    (file included) removed; ``message.deleted`` is published. Deleting a deleted message
    changes nothing. Raises ``NotFound`` (``message_not_found``), ``Forbidden`` for anyone
    else, and ``Forbidden`` (``room_archived``) in an archived room.
    """
    access = room_access(user=actor, room_id=room_id, as_operator=as_operator)
    message = message_in_room(room=access.room, message_id=message_id)
    is_author = message.author_id is not None and message.author_id == actor.pk
    if not is_author and not access.at_least(Role.OWNER):
        raise Forbidden("Only its author or a room owner may delete a message.")
    require_active_room(access)
    if message.deleted_at is not None:
        return message
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
        if locked.deleted_at is not None:
            return locked
        attachment = message.attachment
        message.body = ""
        message.body_html = ""
        message.mentions_room = False
        message.attachment = None
        message.deleted_at = timezone.now()
        message.save(
            update_fields=["body", "body_html", "mentions_room", "attachment", "deleted_at"]
        )
        Reaction.objects.filter(message=message).delete()
        Mention.objects.filter(message=message).delete()
        MessageEdit.objects.filter(message=message).delete()
        if attachment is not None:
            _attachment_discard(attachment)
        chat_events.publish_message_deleted(message)
        message_deleted.send(sender=Message, message=message)
    return message


def _attachment_discard(attachment: Attachment) -> None:
    """Delete the attachment's row now and its file once the deletion commits."""
    file = attachment.file
    attachment.delete()
    remove_files_on_commit([file])
