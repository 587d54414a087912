"""REST endpoints of comments: a document's threads, one thread, replies, edits, deletions,
reactions, resolve and reopen. Each view parses, calls one service or selector and renders
the thread as the room socket's events do; the rules live in the services. Each passes the
share links this browser followed (``share_link_session``), which open one document's
comments to a link's holder (``rooms.comments.services.access``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rooms.comments.api import serializers as s
from rooms.comments.models import AnchorKind, CommentThread
from rooms.comments.selectors import document_threads, thread_in_document
from rooms.comments.services import comments, reactions, threads
from rooms.comments.services.access import comments_readable
from rooms.core.pagination import paginated, paginated_schema
from rooms.core.serializers import validated
from rooms.documents.models import Document
from rooms.documents.share_link_session import followed_share_links

if TYPE_CHECKING:
    from rest_framework.permissions import _SupportsHasPermission

ERRORS = (
    "404 `document_not_found`, `thread_not_found`, `comment_not_found`; 403 "
    "`permission_denied` for viewers and visitors (and `room_archived`), "
    "`share_link_revoked` / `share_link_expired` when the share link this browser came "
    "through is dead; 400 in the API's error shape for bad input (`max_length` past "
    "`COLLAB_COMMENT_MAX_LENGTH`, `blank`)."
)


def _links(request: Request) -> list[int]:
    return followed_share_links(request.session)


class _GuestsReadView(APIView):
    """Reading is open to a signed-out browser that followed a share link (the guest page;
    ``_readable`` checks it); writing still needs an account."""

    def get_permissions(self) -> Sequence[_SupportsHasPermission]:
        permissions = list(super().get_permissions())
        if self.request.method != "GET":
            return permissions
        return [p for p in permissions if not isinstance(p, IsAuthenticated)]


def _readable(request: Request, document_id: str) -> Document:
    links = _links(request)
    if not request.user.is_authenticated and not links:
        raise NotAuthenticated()
    return comments_readable(user=request.user, document_id=document_id, share_link_ids=links)


def _thread_response(thread: CommentThread, *, created: bool = False) -> Response:
    return Response(
        s.ThreadSerializer(thread).data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


def _fresh(request: Request, document_id: str, thread_id: int) -> Response:
    document = _readable(request, document_id)
    return _thread_response(thread_in_document(document=document, thread_id=thread_id))


class ThreadListView(_GuestsReadView):
    @paginated_schema(
        s.ThreadSerializer,
        operation_id="documents_comments_list",
        summary="The document's comment threads, open and resolved, oldest first",
    )
    def get(self, request: Request, document_id: str) -> Response:
        document = _readable(request, document_id)
        listed = document_threads(document=document)
        return paginated(
            request, listed, ordering=("created_at", "id"), serializer=s.ThreadSerializer
        )

    @extend_schema(
        request=s.ThreadCreateSerializer,
        responses={201: s.ThreadSerializer},
        summary="Open a thread on a text range or a whiteboard shape",
        description="Commenters, editors and owners; a locked document takes comments too. "
        "400 `invalid_anchor` for an anchor that is not a Yjs relative position or not of "
        "the document's kind, `anchor_outside_document` for one the document does not hold. "
        + ERRORS,
    )
    def post(self, request: Request, document_id: str) -> Response:
        data = validated(s.ThreadCreateSerializer, request)
        anchor = data["anchor"]
        thread = threads.thread_create(
            actor=request.user,
            document_id=document_id,
            share_link_ids=_links(request),
            anchor=threads.Anchor(
                kind=AnchorKind(anchor["kind"]),
                start=anchor["start"],
                end=anchor["end"],
                quote=anchor["quote"],
                shape_id=anchor["shape_id"],
            ),
            body=data["body"],
        )
        return _thread_response(thread, created=True)


class ThreadDetailView(_GuestsReadView):
    @extend_schema(responses=s.ThreadSerializer, summary="One comment thread")
    def get(self, request: Request, document_id: str, thread_id: int) -> Response:
        return _fresh(request, document_id, thread_id)

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Delete a thread with its comments (its author or a room owner)",
    )
    def delete(self, request: Request, document_id: str, thread_id: int) -> Response:
        threads.thread_delete(
            actor=request.user,
            document_id=document_id,
            share_link_ids=_links(request),
            thread_id=thread_id,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ThreadResolveView(APIView):
    resolved = True

    @extend_schema(
        request=None,
        responses=s.ThreadSerializer,
        description="The thread's author, editors and owners. " + ERRORS,
    )
    def post(self, request: Request, document_id: str, thread_id: int) -> Response:
        thread = threads.thread_set_resolved(
            actor=request.user,
            document_id=document_id,
            share_link_ids=_links(request),
            thread_id=thread_id,
            resolved=self.resolved,
        )
        return _thread_response(thread)


class ThreadReopenView(ThreadResolveView):
    resolved = False


class ReplyListView(APIView):
    @extend_schema(
        request=s.CommentBodySerializer,
        responses={201: s.ThreadSerializer},
        summary="Reply in a thread",
        description=ERRORS,
    )
    def post(self, request: Request, document_id: str, thread_id: int) -> Response:
        data = validated(s.CommentBodySerializer, request)
        comments.comment_reply(
            actor=request.user,
            document_id=document_id,
            share_link_ids=_links(request),
            thread_id=thread_id,
            body=data["body"],
        )
        response = _fresh(request, document_id, thread_id)
        response.status_code = status.HTTP_201_CREATED
        return response


class CommentDetailView(APIView):
    @extend_schema(
        request=s.CommentBodySerializer,
        responses=s.ThreadSerializer,
        summary="Edit one's own comment",
        description="403 `not_author` for someone else's. " + ERRORS,
    )
    def patch(
        self, request: Request, document_id: str, thread_id: int, comment_id: int
    ) -> Response:
        data = validated(s.CommentBodySerializer, request)
        comments.comment_edit(
            actor=request.user,
            document_id=document_id,
            share_link_ids=_links(request),
            thread_id=thread_id,
            comment_id=comment_id,
            body=data["body"],
        )
        return _fresh(request, document_id, thread_id)

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Delete a comment (its author or a room owner); the first deletes the thread",
    )
    def delete(
        self, request: Request, document_id: str, thread_id: int, comment_id: int
    ) -> Response:
        comments.comment_delete(
            actor=request.user,
            document_id=document_id,
            share_link_ids=_links(request),
            thread_id=thread_id,
            comment_id=comment_id,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentReactionListView(APIView):
    @extend_schema(
        request=s.CommentReactionSerializer,
        responses=s.ThreadSerializer,
        summary="React to a comment (again with the same emoji changes nothing)",
        description="400 `invalid_emoji`; 409 `too_many_reactions`. " + ERRORS,
    )
    def post(self, request: Request, document_id: str, thread_id: int, comment_id: int) -> Response:
        data = validated(s.CommentReactionSerializer, request)
        reactions.comment_reaction_set(
            actor=request.user,
            document_id=document_id,
            share_link_ids=_links(request),
            thread_id=thread_id,
            comment_id=comment_id,
            emoji=data["emoji"],
            on=True,
        )
        return _fresh(request, document_id, thread_id)


class CommentReactionDetailView(APIView):
    @extend_schema(
        request=None, responses={204: None}, summary="Take back one's reaction to a comment"
    )
    def delete(
        self, request: Request, document_id: str, thread_id: int, comment_id: int, emoji: str
    ) -> Response:
        reactions.comment_reaction_set(
            actor=request.user,
            document_id=document_id,
            share_link_ids=_links(request),
            thread_id=thread_id,
            comment_id=comment_id,
            emoji=emoji,
            on=False,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
