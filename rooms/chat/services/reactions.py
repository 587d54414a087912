"""Emoji reactions on chat messages.

What counts as an emoji (``emoji_clean``): either exactly one Unicode emoji (a pictograph
with its skin-tone modifier and variation selector, a ZWJ sequence such as 👩‍💻, a flag
such as 🇫🇷 or 🏴󠁧󠁢󠁳󠁣󠁴󠁿, a keycap such as 1️⃣), or a short name between colons of 1 to 30
lower-case letters, digits, ``_``, ``+`` or ``-`` (``:tada:``, ``:+1:``) that clients map to
an image. Nothing else: no text, no spaces, no two emoji in one reaction.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction

from rooms.chat import events as chat_events
from rooms.chat.models import Message, Reaction
from rooms.chat.selectors import message_in_room
from rooms.chat.services.messages import require_can_post
from rooms.chat.services.rate import chat_rate_take
from rooms.core.errors import Conflict, Invalid
from rooms.membership.models import Room
from rooms.membership.selectors import room_access

# A message shows at most this many different emoji (each with any number of people).
MAX_DISTINCT_EMOJI = 50
MAX_CODE_POINTS = 16

_SHORT_NAME = re.compile(r"^:[a-z0-9_+-]{1,30}:$")
_ZWJ = 0x200D
_KEYCAP = 0x20E3
_REGIONAL_INDICATORS = range(0x1F1E6, 0x1F200)
_SKIN_TONES = range(0x1F3FB, 0x1F400)
_TAGS = range(0xE0020, 0xE0080)
_VARIATION_SELECTORS = {0xFE0E, 0xFE0F}
_KEYCAP_BASES = set(map(ord, "0123456789#*"))
_PICTOGRAPH_RANGES = (
    range(0x1F000, 0x1FB00),
    range(0x2600, 0x27C0),
    range(0x2300, 0x2400),
    range(0x2B00, 0x2C00),
    range(0x2190, 0x2200),
    range(0x2900, 0x2980),
    range(0x25A0, 0x2600),
)
_PICTOGRAPHS = {
    0x00A9,
    0x00AE,
    0x203C,
    0x2049,
    0x2122,
    0x2139,
    0x24C2,
    0x3030,
    0x303D,
    0x3297,
    0x3299,
}


def _is_pictograph(point: int) -> bool:
    if point in _REGIONAL_INDICATORS or point in _SKIN_TONES:
        return False
    return point in _PICTOGRAPHS or any(point in block for block in _PICTOGRAPH_RANGES)


def _is_single_emoji(text: str) -> bool:
    """Whether ``text`` is exactly one emoji: one base (a pictograph, a pair of regional
    indicators, or a keycap base followed by U+20E3) and only the joiners and modifiers
    that belong to it."""
    points = [ord(char) for char in text]
    if not points or len(points) > MAX_CODE_POINTS:
        return False
    if points[0] in _KEYCAP_BASES:
        return points[1:] in ([_KEYCAP], [0xFE0F, _KEYCAP])
    if all(point in _REGIONAL_INDICATORS for point in points):
        return len(points) == 2
    bases = 0
    after_zwj = False
    for index, point in enumerate(points):
        if _is_pictograph(point):
            if bases and not after_zwj:
                return False
            bases += 1
            after_zwj = False
        elif point == _ZWJ:
            if index == 0 or after_zwj:
                return False
            after_zwj = True
        elif point in _SKIN_TONES or point in _VARIATION_SELECTORS or point in _TAGS:
            if index == 0 or after_zwj:
                return False
        else:
            return False
    return bases >= 1 and not after_zwj


def emoji_clean(emoji: str) -> str:
    """``emoji`` if it is one emoji or a ``:short_name:`` (the module's rule). Raises
    ``Invalid`` (``invalid_emoji``)."""
    if not (_SHORT_NAME.match(emoji) or _is_single_emoji(emoji)):
        raise Invalid(
            "A reaction is one emoji or a :short_name:.", code="invalid_emoji", field="emoji"
        )
    return emoji


def _reactable(*, actor: Any, room_id: Any, message_id: Any) -> tuple[Room, Message]:
    access = room_access(user=actor, room_id=room_id)
    message = message_in_room(room=access.room, message_id=message_id)
    require_can_post(access)
    if message.deleted_at is not None:
        raise Conflict("The message was deleted.", code="message_deleted")
    return access.room, message


def reaction_add(*, actor: Any, room_id: Any, message_id: Any, emoji: str) -> tuple[Message, bool]:
    """React to a message of the room (commenters and above). Returns the message (with its
    reactions as they now are) and whether the reaction is new; reacting again with the
    same emoji changes nothing.

    Publishes ``reaction.added``. Raises ``NotFound`` (``message_not_found``) for a message
    outside the room, ``Conflict`` (``message_deleted``, ``too_many_reactions``),
    ``Invalid`` (``invalid_emoji``), ``Forbidden`` for viewers and ``ChatRateLimited``.
    """
    room, message = _reactable(actor=actor, room_id=room_id, message_id=message_id)
    emoji = emoji_clean(emoji)
    if Reaction.objects.filter(message=message, user=actor, emoji=emoji).exists():
        return message, False
    chat_rate_take(user_id=actor.pk)
    emojis = set(Reaction.objects.filter(message=message).values_list("emoji", flat=True))
    if emoji not in emojis and len(emojis) >= MAX_DISTINCT_EMOJI:
        raise Conflict(
            f"A message takes at most {MAX_DISTINCT_EMOJI} different emoji.",
            code="too_many_reactions",
        )
    try:
        with transaction.atomic():
            Reaction.objects.create(message=message, user=actor, emoji=emoji)
            chat_events.publish_reaction(
                "reaction.added", message=message, emoji=emoji, user_id=actor.pk
            )
    except IntegrityError:  # the same reaction, sent twice at once: the other one won
        return message_in_room(room=room, message_id=message.pk), False
    return message_in_room(room=room, message_id=message.pk), True


def reaction_remove(*, actor: Any, room_id: Any, message_id: Any, emoji: str) -> bool:
    """Take back one's reaction. Returns whether there was one to remove; removing a
    reaction that is not there changes nothing. Publishes ``reaction.removed``. Raises like
    ``reaction_add``."""
    _, message = _reactable(actor=actor, room_id=room_id, message_id=message_id)
    emoji = emoji_clean(emoji)
    chat_rate_take(user_id=actor.pk)
    with transaction.atomic():
        removed, _ = Reaction.objects.filter(message=message, user=actor, emoji=emoji).delete()
        if not removed:
            return False
        chat_events.publish_reaction(
            "reaction.removed", message=message, emoji=emoji, user_id=actor.pk
        )
    return True
