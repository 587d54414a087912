"""REST endpoints that export a document as a file and import files as documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rooms.core.serializers import validated
from rooms.documents.api import transfer_serializers as s
from rooms.documents.api.content_serializers import ContentWrittenSerializer
from rooms.documents.api.content_views import IF_MATCH, STALE, ContentFormatView, _written
from rooms.documents.api.serializers import DocumentSerializer
from rooms.documents.selectors import document_access
from rooms.documents.services import transfer
from rooms.documents.services.content import WriteMode
from rooms.membership.selectors import room_access

# What a multipart body adds around the file itself (boundaries, headers, the other fields).
UPLOAD_OVERHEAD_BYTES = 64 * 1024

EXPORT_FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=True,
    enum=[f.value for f in transfer.ExportFormat],
    description="A text document: markdown, html, pdf or docx. A whiteboard: png, svg or pdf.",
)
FILE_ERRORS = {
    400: OpenApiResponse(description="Not a readable file of its kind (code corrupt_file)."),
    413: OpenApiResponse(description="Larger than COLLAB_IMPORT_MAX_BYTES (import_too_large)."),
    415: OpenApiResponse(description="Not .md, .html or .docx (code unsupported_format)."),
}


def _uploaded(
    request: Request, serializer: type[s.FileImportSerializer], *, find: Callable[[], object]
) -> tuple[dict[str, Any], bytes]:
    """The validated form and the uploaded file's bytes. A body too large is refused (413)
    from its declared length, before it is read, once ``find`` found what it goes into (so
    someone who may not see it gets its 404 first)."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    limit = settings.COLLAB_IMPORT_MAX_BYTES + UPLOAD_OVERHEAD_BYTES
    if declared.isdigit() and int(declared) > limit:
        find()
        transfer.import_check_size(int(declared) - UPLOAD_OVERHEAD_BYTES)
    data = validated(serializer, request)
    transfer.import_check_size(data["file"].size)
    return data, data["file"].read()


class DocumentExportView(ContentFormatView):
    @extend_schema(
        parameters=[EXPORT_FORMAT],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The file, as an attachment named after the document.",
            )
        },
        summary="Download a document as a file: Markdown, HTML, PDF, DOCX; a whiteboard as "
        "PNG, SVG or PDF",
    )
    def get(self, request: Request, document_id: str) -> HttpResponse:
        exported = transfer.document_export(
            actor=request.user, document_id=document_id, format=request.query_params.get("format")
        )
        response = HttpResponse(exported.body, content_type=exported.content_type)
        response["Content-Disposition"] = _attachment(exported.filename)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


def _attachment(filename: str) -> str:
    return content_disposition_header(as_attachment=True, filename=filename) or "attachment"


class DocumentImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": s.ImportSerializer},
        responses={201: DocumentSerializer, **FILE_ERRORS},
        summary="Import a Markdown, HTML or Word file as a new text document (editors)",
    )
    def post(self, request: Request, room_id: str) -> Response:
        data, content = _uploaded(
            request,
            s.ImportSerializer,
            find=lambda: room_access(user=request.user, room_id=room_id),
        )
        document = transfer.document_import(
            actor=request.user,
            room_id=room_id,
            data=content,
            filename=data["file"].name,
            title=data.get("title"),
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentImportIntoView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        parameters=[IF_MATCH],
        request={"multipart/form-data": s.ImportIntoSerializer},
        responses={200: ContentWrittenSerializer, 412: STALE, **FILE_ERRORS},
        summary="Append a Markdown, HTML or Word file to a text document, or replace its "
        "content with it; editors see it at once",
    )
    def post(self, request: Request, document_id: str) -> Response:
        data, content = _uploaded(
            request,
            s.ImportIntoSerializer,
            find=lambda: document_access(user=request.user, document_id=document_id),
        )
        seq = transfer.document_import_into(
            actor=request.user,
            document_id=document_id,
            data=content,
            filename=data["file"].name,
            mode=WriteMode(data["mode"]),
            if_match=request.headers.get("If-Match"),
        )
        return _written(seq)
