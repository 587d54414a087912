"""REST endpoints of a document's content and versions.

``?format=`` here names the content's format, not the response's: DRF would otherwise read
it as a renderer override (and answer 404 to ``?format=markdown``), so these views negotiate
the renderer from ``Accept`` alone.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rooms.core.pagination import paginated, paginated_schema
from rooms.core.serializers import validated
from rooms.documents.api import content_serializers as s
from rooms.documents.api.shape_schema_views import shapes_body_schema
from rooms.documents.services import authorship, board_content, content, versions

FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=[f.value for f in content.ContentFormat],
    description="text, markdown, html or json (the default); whiteboards have only json.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag the change was based on; a stale one is refused with 412.",
)
STALE = OpenApiResponse(description="If-Match named an older state (code precondition_failed).")


class _NoFormatOverride:
    URL_FORMAT_OVERRIDE = None


class AcceptOnlyNegotiation(DefaultContentNegotiation):
    """Chooses the renderer from ``Accept`` and never from ``?format=``."""

    settings = _NoFormatOverride()  # type: ignore[assignment]  # the one setting it reads


class ContentFormatView(APIView):
    content_negotiation_class = AcceptOnlyNegotiation


class DocumentContentView(ContentFormatView):
    @extend_schema(
        parameters=[FORMAT],
        responses=s.ContentSerializer,
        summary="A document's content; its ETag is in the ETag header",
    )
    def get(self, request: Request, document_id: str) -> Response:
        current = content.document_content_read(
            actor=request.user, document_id=document_id, format=request.query_params.get("format")
        )
        return Response(s.ContentSerializer(current).data, headers={"ETag": current.etag})

    @extend_schema(
        parameters=[IF_MATCH],
        request=s.ContentWriteSerializer,
        responses={200: s.ContentWrittenSerializer, 412: STALE},
        summary="Append to a text document or replace its content; editors see it at once",
    )
    def post(self, request: Request, document_id: str) -> Response:
        data = validated(s.ContentWriteSerializer, request)
        seq = content.document_content_write(
            actor=request.user,
            document_id=document_id,
            mode=content.WriteMode(data["mode"]),
            text=data.get("text"),
            markdown=data.get("markdown"),
            if_match=request.headers.get("If-Match"),
        )
        return _written(seq)

    @extend_schema(
        parameters=[IF_MATCH],
        request={"application/json": shapes_body_schema(patch=False)},
        responses={200: s.ContentWrittenSerializer, 412: STALE},
        summary="Replace a whiteboard's shapes (each checked against the shape schema); "
        "whoever has it open sees it at once",
    )
    def put(self, request: Request, document_id: str) -> Response:
        data = validated(s.ShapesWriteSerializer, request)
        seq = board_content.whiteboard_shapes_put(
            actor=request.user,
            document_id=document_id,
            shapes=data["shapes"],
            if_match=request.headers.get("If-Match"),
        )
        return _written(seq)

    @extend_schema(
        parameters=[IF_MATCH],
        request={"application/json": shapes_body_schema(patch=True)},
        responses={200: s.ContentWrittenSerializer, 412: STALE},
        summary="Add, change or remove a whiteboard's shapes by id; whoever has it open "
        "sees it at once",
    )
    def patch(self, request: Request, document_id: str) -> Response:
        data = validated(s.ShapesWriteSerializer, request)
        seq = board_content.whiteboard_shapes_patch(
            actor=request.user,
            document_id=document_id,
            shapes=data["shapes"],
            if_match=request.headers.get("If-Match"),
        )
        return _written(seq)


def _written(seq: int) -> Response:
    etag = content.etag_for(seq)
    return Response(
        s.ContentWrittenSerializer({"seq": seq, "etag": etag}).data, headers={"ETag": etag}
    )


class DocumentVersionListView(APIView):
    @paginated_schema(s.VersionSerializer, summary="Versions, newest first")
    def get(self, request: Request, document_id: str) -> Response:
        listed = versions.document_versions(actor=request.user, document_id=document_id)
        return paginated(
            request, listed, ordering=("-created_at", "-seq", "-id"), serializer=s.VersionSerializer
        )

    @extend_schema(
        request=s.VersionCreateSerializer,
        responses={201: s.VersionSerializer},
        summary="Keep a named version of the current content",
    )
    def post(self, request: Request, document_id: str) -> Response:
        data = validated(s.VersionCreateSerializer, request)
        version = versions.version_create(
            actor=request.user, document_id=document_id, name=data["name"]
        )
        return Response(s.VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class DocumentVersionDetailView(ContentFormatView):
    @extend_schema(
        parameters=[FORMAT],
        responses=s.VersionDetailSerializer,
        summary="A version with its content",
    )
    def get(self, request: Request, document_id: str, version_id: str) -> Response:
        version = versions.version_get(
            actor=request.user, document_id=document_id, version_id=version_id
        )
        chosen = content.parse_format(request.query_params.get("format"), version.document.kind)
        body = versions.version_render(version, chosen)
        context = {"format": chosen.value, "content": body}
        return Response(s.VersionDetailSerializer(version, context=context).data)


class DocumentVersionRestoreView(APIView):
    @extend_schema(
        parameters=[IF_MATCH],
        request=None,
        responses={200: s.ContentWrittenSerializer, 412: STALE},
        summary="Make the content equal this version's, as a new edit",
    )
    def post(self, request: Request, document_id: str, version_id: str) -> Response:
        seq = versions.version_restore(
            actor=request.user,
            document_id=document_id,
            version_id=version_id,
            if_match=request.headers.get("If-Match"),
        )
        return _written(seq)


AGAINST = OpenApiParameter(
    "against",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description="current (the default): the document now; or the id of another version.",
)


class DocumentVersionDiffView(APIView):
    @extend_schema(
        parameters=[AGAINST],
        responses=s.VersionDiffSerializer,
        summary="What changed from this version to the current document or another version",
    )
    def get(self, request: Request, document_id: str, version_id: str) -> Response:
        compared = versions.version_compare(
            actor=request.user,
            document_id=document_id,
            version_id=version_id,
            against=request.query_params.get("against"),
        )
        return Response(compared)


class DocumentAuthorsView(APIView):
    @paginated_schema(
        s.DocumentAuthorSerializer,
        summary="Who wrote with each Yjs client id of a document (to colour its text by author)",
    )
    def get(self, request: Request, document_id: str) -> Response:
        authors = authorship.document_authors(actor=request.user, document_id=document_id)
        return paginated(
            request, authors, ordering=("client_id",), serializer=s.DocumentAuthorSerializer
        )
