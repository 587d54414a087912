"""What happens to chat messages, announced for the concepts above chat (notifications tells
the people concerned, webhooks deliver events) so that chat calls neither. Each is sent
synchronously inside the service's transaction, so what the receivers store commits or rolls
back with the message; anything they send outside the database they send after commit. The
receivers are connected in ``rooms.subscriptions``. The room's own socket events are chat's and
are published by the services themselves (``rooms.chat.events``).
"""

from __future__ import annotations

from django.dispatch import Signal

message_posted = Signal()
"""A message was stored with its mentions (a user's, a file's or an incoming webhook's). Sent
with ``sender=Message`` and:

- ``message``: the new ``Message`` (``parent`` is its thread's root for a reply);
- ``mentioned_ids``: the ids of the members its body names, checked against the room;
- ``room_mention``: whether it mentions ``@room``.
"""

message_edited = Signal()
"""A message's body changed and its mentions were recorded again. Sent with ``sender=Message``
and ``message`` (with its new body), ``mentioned_ids`` and ``room_mention`` as for
``message_posted``, of the new body."""

message_deleted = Signal()
"""A message became a tombstone (body, attachment and reactions gone). Sent with
``sender=Message`` and ``message``."""
