"""Sharing a document with someone: announced as ``rooms.documents.signals.document_shared``,
on which notifications stores a ``document_shared`` notification that links to it.

The rule: a room's editors and owners share its documents. Whoever can already read the
document (a member, or anyone signed in for a public room) can be pointed at it by an editor.
Sharing with someone outside a private room also lets them in, so only an owner (who may add
members) can do that: they join as a viewer, and the share is their one notification.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from rooms.core.errors import Forbidden, Invalid
from rooms.documents.models import Document
from rooms.documents.selectors import document_access
from rooms.documents.signals import document_shared
from rooms.membership.models import Membership, Role
from rooms.membership.permissions import require_active_room, require_role


@dataclass(frozen=True)
class Shared:
    """The outcome of a share: with whom, whether they were notified (not when they muted
    the room or still have the same share unread), and whether they joined the room."""

    document: Document
    user: Any
    notified: bool
    added_to_room: bool


def document_share(*, actor: Any, document_id: Any, username: str) -> Shared:
    """Share a document with the user named ``username``.

    Raises ``NotFound`` (``document_not_found``) for a document the actor cannot see,
    ``Forbidden`` below editor or in an archived room, ``Invalid`` (``unknown_user``) for an
    unknown or inactive username, ``Invalid`` (``cannot_share_with_self``) for oneself, and
    ``Forbidden`` (``share_needs_owner``) when an editor shares with an outsider of a private
    room.
    """
    document, access = document_access(user=actor, document_id=document_id)
    require_role(access, Role.EDITOR, "share documents")
    require_active_room(access)
    user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
    if user is None:
        raise Invalid("No user has that username.", code="unknown_user", field="username")
    if user.pk == actor.pk:
        raise Invalid(
            "You cannot share a document with yourself.",
            code="cannot_share_with_self",
            field="username",
        )
    room = access.room
    is_member = Membership.objects.filter(room=room, user=user).exists()
    must_join = not is_member and not room.is_public
    if must_join and not access.at_least(Role.OWNER):
        raise Forbidden(
            "Only the room's owners may share with someone outside this private room.",
            code="share_needs_owner",
        )
    with transaction.atomic():
        added = False
        if must_join:
            try:
                with transaction.atomic():
                    Membership.objects.create(
                        room=room, user=user, role=Role.VIEWER, invited_by=actor
                    )
                added = True
            except IntegrityError:
                pass  # they joined meanwhile: already a member
        responses = document_shared.send(
            sender=Document, document=document, user=user, by=actor, added_to_room=added
        )
    notified = any(response for _, response in responses)
    return Shared(document=document, user=user, notified=notified, added_to_room=added)
