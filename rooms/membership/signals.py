"""What happens to a room's members, announced for the concepts above membership (chat posts
system messages, notifications tells people, webhooks deliver events) so that membership calls
none of them. Each is sent synchronously inside the service's transaction, right after the
change, so what the receivers store commits or rolls back with it; anything they send outside
the database they send after commit. The receivers are connected in ``rooms.subscriptions``.
"""

from __future__ import annotations

from enum import StrEnum

from django.dispatch import Signal


class JoinedVia(StrEnum):
    """How a member came into a room."""

    ADDED = "added"  # an owner added them by username (``member_add``)
    INVITE = "invite"  # they accepted an invite link (``invite_accept``)
    PUBLIC = "public"  # they joined a public room on their own (``room_join``)


member_joined = Signal()
"""A user became a member of a room. Sent with ``sender=Membership`` and:

- ``membership``: the new ``Membership`` (its ``room``, ``user`` and ``role``);
- ``via``: a ``JoinedVia``;
- ``by``: who brought them in (the owner who added them, or the invite's creator), or ``None``
  when they joined on their own or the invite's creator is gone.

Not sent when sharing a document lets someone in (``rooms.documents.signals.document_shared``
says so with ``added_to_room``).
"""

member_left = Signal()
"""A member left a room or was removed from it. Sent with ``sender=Membership`` and:

- ``membership``: the deleted ``Membership`` (its ``room``, ``user`` and ``role`` still read);
- ``by``: who removed them (the member themselves when they left).
"""

member_role_changed = Signal()
"""A member's role changed. Sent with ``sender=Membership`` and ``membership`` (saved with
its new ``role``), ``old_role`` and ``by``, the owner who changed it."""

room_renamed = Signal()
"""A room's name changed. Sent with ``sender=Room`` and ``room`` (already saved with its new
name), ``old_name`` and ``by``, the owner who renamed it."""

room_created = Signal()
"""A room was created, with ``by`` as its first owner. Sent with ``sender=Room``, ``room`` and
``by``."""

room_changed = Signal()
"""A room's settings changed (name, description, visibility, archived or not). Sent with
``sender=Room``, ``room`` (saved) and ``by``, who changed it."""

room_deleted = Signal()
"""A room was deleted: it disappears for everyone at once. Sent with ``sender=Room``,
``room`` (its ``deleted_at`` set; its memberships still stored) and ``by``."""
