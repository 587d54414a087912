"""Share links: a link that opens one document or whiteboard to anyone holding it, as a viewer,
commenter or editor of that document alone (never a member of its room), until it expires or
is revoked.

The secret is made here and only its SHA-256 is stored, as for API tokens: the link is shown
once, in the answer that made it; lists show its first characters. Revoking (or deleting) a
link moves the access epoch (``rooms.documents.access_epoch_hooks``), so every socket opened
through it closes with 4401 when the request answers; an expired link's sockets close at the
next full re-check (``COLLAB_ACCESS_RECHECK_SECONDS``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.utils import timezone

from rooms.core.errors import Forbidden, Invalid, NotFound
from rooms.documents.models import ShareLink, ShareLinkRole
from rooms.documents.permissions import can_edit_document
from rooms.documents.selectors import document_access
from rooms.membership.models import Role
from rooms.membership.permissions import require_active_room, require_role

LINK_PREFIX = "csl_"


def share_link_digest(raw: str) -> str:
    """What is stored of a link's secret, and what a socket opened through it keeps."""
    return hashlib.sha256(raw.encode()).hexdigest()


def share_link_create(
    *, actor: Any, document_id: Any, role: ShareLinkRole, expires_in: timedelta | None = None
) -> tuple[ShareLink, str]:
    """Make a link to a document; returns it with its secret, never stored nor shown again.

    Owners and editors of the document's room make links, never granting more than they may
    do themselves: an edit link needs the maker to be able to edit the document now (a locked
    one only its room's owners). Raises ``NotFound``, ``Forbidden`` (``role_too_high``,
    ``room_archived``) and ``Invalid`` for an expiry not in the future."""
    document, access = document_access(user=actor, document_id=document_id)
    require_role(access, Role.EDITOR, "make share links")
    require_active_room(access)
    if role == ShareLinkRole.EDITOR and not can_edit_document(access, document):
        raise Forbidden(
            "You cannot make a link that edits a document you may not edit.",
            code="role_too_high",
        )
    if expires_in is not None and expires_in <= timedelta(0):
        raise Invalid("A link must expire in the future.", code="invalid", field="expires_in")
    raw = LINK_PREFIX + secrets.token_urlsafe(32)
    link = ShareLink.objects.create(
        document=document,
        role=role,
        prefix=raw[:12],
        digest=share_link_digest(raw),
        created_by=actor,
        expires_at=timezone.now() + expires_in if expires_in is not None else None,
    )
    return link, raw


def share_link_revoke(
    *, actor: Any, document_id: Any, link_id: int, as_operator: bool = False
) -> ShareLink:
    """Revoke a link (owners any, editors their own; staff from the admin). Its open sockets
    close at once with 4401. Raises ``NotFound`` (``share_link_not_found``) for a link not on
    this document or already revoked, ``Forbidden`` for an editor's revoking another's."""
    document, access = document_access(user=actor, document_id=document_id, as_operator=as_operator)
    require_role(access, Role.EDITOR, "revoke share links")
    link = ShareLink.objects.filter(document=document, pk=link_id, revoked_at=None).first()
    if link is None:
        raise NotFound("No such share link.", code="share_link_not_found")
    if not access.at_least(Role.OWNER) and link.created_by_id != actor.pk:
        raise Forbidden("Only the room's owners may revoke others' share links.")
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])  # moves the access epoch: its sockets close
    return link
