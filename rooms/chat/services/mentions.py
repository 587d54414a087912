"""Mentions of chat messages: whom a body names, checked against the room's members, and
the ``Mention`` rows kept for notifications (their delivery is Celery's business)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models.functions import Lower

from rooms.chat import markdown as chat_markdown
from rooms.chat.models import Mention, Message
from rooms.membership.models import Membership, Room


@dataclass(frozen=True)
class RenderedBody:
    """A body's sanitized HTML and the mentions found in it."""

    html: str
    user_ids: frozenset[int]
    room: bool


def render_with_mentions(*, room: Room, body: str, author_id: int | None) -> RenderedBody:
    """Render ``body``, resolving ``@username`` against the room's members (case-insensitive).

    Names of non-members stay plain text and are not recorded; the author is never recorded
    as mentioning themselves. ``@room`` sets ``room``.
    """
    found = chat_markdown.find_mentions(body)
    members: dict[str, int] = {}
    if found.usernames:
        members = {
            username: user_id
            for username, user_id in Membership.objects.filter(room=room)
            .annotate(username=Lower("user__username"))
            .filter(username__in=found.usernames)
            .values_list("username", "user_id")
        }
    return RenderedBody(
        html=chat_markdown.render(body, members=members),
        user_ids=frozenset(user_id for user_id in members.values() if user_id != author_id),
        room=found.room,
    )


def mentions_record(*, message: Message, user_ids: frozenset[int]) -> None:
    """Make the message's ``Mention`` rows exactly ``user_ids`` (keeps the rows that stay)."""
    Mention.objects.filter(message=message).exclude(user_id__in=user_ids).delete()
    Mention.objects.bulk_create(
        [Mention(message=message, user_id=user_id) for user_id in sorted(user_ids)],
        ignore_conflicts=True,
    )
