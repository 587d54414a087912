"""What happens to documents, announced for the concepts above documents (chat posts system
messages, notifications tells people, webhooks deliver events) so that documents calls none of
them. Each is sent synchronously inside the service's transaction, right after the change, so
what the receivers store commits or rolls back with it; anything they send outside the
database they send after commit. The receivers are connected in ``rooms.subscriptions``.
"""

from __future__ import annotations

from django.dispatch import Signal

document_created = Signal()
"""A document or whiteboard was created. Sent with ``sender=Document`` and ``document`` (its
``room``, ``title`` and ``kind``) and ``by``, the user who created it."""

document_changed = Signal()
"""A document's metadata changed: renamed, locked, unlocked, archived or restored. Sent with
``sender=Document``, ``document`` (saved) and ``by``, who changed it."""

document_deleted = Signal()
"""A document was deleted with its history. Sent with ``sender=Document``, ``document_id``,
``room_id``, ``kind`` and ``by``, who deleted it."""

version_created = Signal()
"""A version of a document was kept, named or automatic. Sent with ``sender=DocumentVersion``
and ``version`` (its ``document`` loaded); ``version.created_by`` is ``None`` for an automatic
one."""

document_shared = Signal()
"""``by`` pointed ``user`` at ``document``. Sent with ``sender=Document`` and:

- ``document``, ``user`` and ``by``;
- ``added_to_room``: whether the share made ``user`` a viewer of the document's private room
  (``rooms.membership.signals.member_joined`` is not sent for that).

A receiver that tells ``user`` about the share returns ``True`` when it did (not when they
muted the room or still have the same share unread); ``document_share`` reports whether any
did.
"""

document_mentioned = Signal()
"""A person was mentioned in a text document for the first time (``DocumentMention``). Sent
with ``sender=Document``, ``document`` (its ``room`` loaded), ``user`` (who may read the
document) and ``by``, the author of the update that brought the mention in, or ``None``."""
