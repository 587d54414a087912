"""Who may comment, resolve, edit and delete: the rules, over a room ``Access``.

Commenters, editors and owners comment (a locked document still takes comments); viewers and
visitors of a public room read. A thread is resolved and reopened by its author, editors and
owners; a comment is edited by its author alone and deleted by its author or a room owner.

A share link to comment or edit (``rooms.documents.services.share_links``) that the person's
browser followed (``share_link_ids``, kept in its session) lets them read that one document's
comments, signed in or not, and comment there when signed in, with the link's role as their
role: never the room's chat nor any other document. The link is checked on every request: a
revoked or expired one is 403 ``share_link_revoked`` / ``share_link_expired``. A view link
gives no comments at all.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.utils import timezone

from rooms.comments.models import Comment, CommentThread
from rooms.core.errors import Forbidden, Invalid, NotFound
from rooms.documents.models import Document, ShareLink, ShareLinkRole
from rooms.documents.selectors import document_access
from rooms.membership.models import Role
from rooms.membership.permissions import Access, can_post, require_active_room
from rooms.membership.selectors import as_uuid

# The link roles that open a document's comments; a view link opens none.
COMMENTING_LINK_ROLES = (ShareLinkRole.COMMENTER, ShareLinkRole.EDITOR)


def commentable(
    *, actor: Any, document_id: Any, share_link_ids: Collection[int] = ()
) -> tuple[Document, Access]:
    """The document and the actor's access, if they may comment on it: as a member, or
    signed in through a followed comment or edit link to it. Raises ``NotFound``
    (``document_not_found``) and ``Forbidden`` (``room_archived``, ``permission_denied``,
    ``share_link_revoked``, ``share_link_expired``)."""
    try:
        document, access = document_access(user=actor, document_id=document_id)
    except NotFound:
        if not getattr(actor, "is_authenticated", False):
            raise
        linked = link_access(user=actor, document_id=document_id, share_link_ids=share_link_ids)
        if linked is None:
            raise
        document, access = linked
    if not can_post(access) and getattr(actor, "is_authenticated", False):
        linked = link_access(user=actor, document_id=document_id, share_link_ids=share_link_ids)
        if linked is not None:
            document, access = linked
    if not can_post(access):
        require_active_room(access)
        raise Forbidden("Only commenters, editors and owners may comment.")
    return document, access


def comments_readable(
    *, user: Any, document_id: Any, share_link_ids: Collection[int] = ()
) -> Document:
    """The document, if the user may read its comments: its readers, and anyone (signed in
    or not) whose browser followed a live comment or edit link to it. Raises ``NotFound``
    (``document_not_found``) and ``Forbidden`` (``share_link_revoked``, ...)."""
    try:
        document, _ = document_access(user=user, document_id=document_id)
    except NotFound:
        linked = link_access(user=user, document_id=document_id, share_link_ids=share_link_ids)
        if linked is None:
            raise
        document, _ = linked
    return document


def link_access(
    *, user: Any, document_id: Any, share_link_ids: Collection[int]
) -> tuple[Document, Access] | None:
    """The document and an access with the best role among the followed comment and edit
    links to it, or ``None`` when none was followed. Raises ``Forbidden``
    (``share_link_revoked``, ``share_link_expired``) when every such link is dead: the
    person had a way in, and is told why it went."""
    key = as_uuid(document_id)
    if key is None or not share_link_ids:
        return None
    links = list(
        ShareLink.objects.select_related("document", "document__room").filter(
            pk__in=list(share_link_ids),
            document_id=key,
            document__room__deleted_at=None,
            role__in=COMMENTING_LINK_ROLES,
        )
    )
    if not links:
        return None
    now = timezone.now()
    live = [link for link in links if link.is_live(now)]
    if not live:
        if any(link.revoked_at is None for link in links):
            raise Forbidden("The share link you opened has expired.", code="share_link_expired")
        raise Forbidden("The share link you opened was revoked.", code="share_link_revoked")
    best = max(live, key=lambda link: Role(link.role).rank)
    document = best.document
    return document, Access(user=user, room=document.room, role=Role(best.role))


def require_can_resolve(access: Access, thread: CommentThread) -> None:
    is_author = thread.author_id is not None and thread.author_id == access.user.pk
    if not (is_author or access.at_least(Role.EDITOR)):
        raise Forbidden("Only the thread's author, editors and owners may resolve it.")


def require_author(access: Access, comment: Comment) -> None:
    if comment.author_id is None or comment.author_id != access.user.pk:
        raise Forbidden("Only its author may edit a comment.", code="not_author")


def require_can_delete(access: Access, comment: Comment) -> None:
    is_author = comment.author_id is not None and comment.author_id == access.user.pk
    if not (is_author or access.at_least(Role.OWNER)):
        raise Forbidden("Only its author or a room owner may delete a comment.")


def clean_body(body: str) -> str:
    """``body`` without surrounding whitespace. Raises ``Invalid`` (``blank``, ``max_length``
    past ``COLLAB_COMMENT_MAX_LENGTH``)."""
    body = body.strip()
    if not body:
        raise Invalid("A comment needs a body.", code="blank", field="body")
    limit = settings.COLLAB_COMMENT_MAX_LENGTH
    if len(body) > limit:
        raise Invalid(f"Comments are at most {limit} characters.", code="max_length", field="body")
    return body


def commenting_links(digests: set[str]) -> dict[str, tuple[str, str]]:
    """Each live comment or edit link among ``digests`` (its room not deleted), mapped to its
    document's and room's ids: what a share page's comment socket may follow. One query."""
    now = timezone.now()
    links = ShareLink.objects.select_related("document").filter(
        digest__in=digests,
        revoked_at=None,
        document__room__deleted_at=None,
        role__in=COMMENTING_LINK_ROLES,
    )
    return {
        link.digest: (str(link.document_id), str(link.document.room_id))
        for link in links
        if link.is_live(now)
    }
