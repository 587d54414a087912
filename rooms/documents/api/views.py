"""REST endpoints of documents' metadata: list, create, rename, delete, lock and unlock,
archive and restore.

Each view parses its input with a serializer, calls one service or selector, and renders the
result; permission rules live in the services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rooms.core.pagination import paginated, paginated_schema
from rooms.core.serializers import validated
from rooms.documents.api import serializers as s
from rooms.documents.models import DocumentKind
from rooms.documents.selectors import document_access, room_documents
from rooms.documents.services import documents
from rooms.membership.selectors import room_access


class DocumentListView(APIView):
    @paginated_schema(s.DocumentSerializer, summary="The room's documents, oldest first")
    def get(self, request: Request, room_id: str) -> Response:
        access = room_access(user=request.user, room_id=room_id)
        return paginated(
            request,
            room_documents(room=access.room),
            ordering=("created_at", "id"),
            serializer=s.DocumentSerializer,
        )

    @extend_schema(request=s.DocumentCreateSerializer, responses={201: s.DocumentSerializer})
    def post(self, request: Request, room_id: str) -> Response:
        data = validated(s.DocumentCreateSerializer, request)
        document = documents.document_create(
            actor=request.user,
            room_id=room_id,
            title=data["title"],
            kind=DocumentKind(data["kind"]),
        )
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDetailView(APIView):
    @extend_schema(responses=s.DocumentSerializer)
    def get(self, request: Request, document_id: str) -> Response:
        document, _ = document_access(user=request.user, document_id=document_id)
        return Response(s.DocumentSerializer(document).data)

    @extend_schema(request=s.DocumentUpdateSerializer, responses=s.DocumentSerializer)
    def patch(self, request: Request, document_id: str) -> Response:
        data = validated(s.DocumentUpdateSerializer, request)
        document = documents.document_rename(
            actor=request.user, document_id=document_id, title=data["title"]
        )
        return Response(s.DocumentSerializer(document).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, document_id: str) -> Response:
        documents.document_delete(actor=request.user, document_id=document_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentLockView(APIView):
    locked = True

    @extend_schema(request=None, responses=s.DocumentSerializer)
    def post(self, request: Request, document_id: str) -> Response:
        document = documents.document_set_locked(
            actor=request.user, document_id=document_id, locked=self.locked
        )
        return Response(s.DocumentSerializer(document).data)


class DocumentUnlockView(DocumentLockView):
    locked = False


class DocumentArchiveView(APIView):
    archived = True

    @extend_schema(request=None, responses=s.DocumentSerializer)
    def post(self, request: Request, document_id: str) -> Response:
        document = documents.document_set_archived(
            actor=request.user, document_id=document_id, archived=self.archived
        )
        return Response(s.DocumentSerializer(document).data)


class DocumentRestoreView(DocumentArchiveView):
    archived = False
