"""The room socket's comment frames, each one call to a comments service, for documents of
the socket's own room only (another room's document is ``document_not_found`` here, as it
is to someone who may not see it)."""

from __future__ import annotations

import uuid
from typing import Any

from rooms.comments.models import AnchorKind
from rooms.comments.services import comments, reactions, threads
from rooms.core.errors import NotFound
from rooms.documents.selectors import document_access
from rooms.room_socket import frames as f


def comment_perform(*, user: Any, room_id: uuid.UUID, command: f.CommentCommand) -> None:
    """Carry out one comment command; raises the service's ``DomainError``."""
    document, _ = document_access(user=user, document_id=command.document)
    if document.room_id != room_id:
        raise NotFound("No such document.", code="document_not_found")
    on = {"actor": user, "document_id": document.pk}
    if isinstance(command, f.ThreadCreate):
        anchor = command.anchor
        threads.thread_create(
            **on,
            anchor=threads.Anchor(
                kind=AnchorKind(anchor["kind"]),
                start=anchor.get("start", ""),
                end=anchor.get("end", ""),
                quote=anchor.get("quote", ""),
                shape_id=anchor.get("shape_id", ""),
            ),
            body=command.body,
        )
    elif isinstance(command, f.ThreadResolve):
        threads.thread_set_resolved(**on, thread_id=command.thread, resolved=command.resolved)
    elif isinstance(command, f.CommentReply):
        comments.comment_reply(**on, thread_id=command.thread, body=command.body)
    elif isinstance(command, f.CommentEdit):
        comments.comment_edit(
            **on, thread_id=command.thread, comment_id=command.comment, body=command.body
        )
    elif isinstance(command, f.CommentDelete):
        comments.comment_delete(**on, thread_id=command.thread, comment_id=command.comment)
    else:
        reactions.comment_reaction_set(
            **on,
            thread_id=command.thread,
            comment_id=command.comment,
            emoji=command.emoji,
            on=command.on,
        )
