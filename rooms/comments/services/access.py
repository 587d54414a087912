"""Who may comment, resolve, edit and delete: the rules, over a room ``Access``.

Commenters, editors and owners comment (a locked document still takes comments); viewers and
visitors of a public room read. A thread is resolved and reopened by its author, editors and
owners; a comment is edited by its author alone and deleted by its author or a room owner.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from rooms.comments.models import Comment, CommentThread
from rooms.core.errors import Forbidden, Invalid
from rooms.documents.models import Document
from rooms.documents.selectors import document_access
from rooms.membership.models import Role
from rooms.membership.permissions import Access, can_post, require_active_room


def commentable(*, actor: Any, document_id: Any) -> tuple[Document, Access]:
    """The document and the actor's access, if they may comment on it. Raises ``NotFound``
    (``document_not_found``) and ``Forbidden`` (``room_archived``, ``permission_denied``)."""
    document, access = document_access(user=actor, document_id=document_id)
    if not can_post(access):
        require_active_room(access)
        raise Forbidden("Only commenters, editors and owners may comment.")
    return document, access


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
