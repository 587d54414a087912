"""REST endpoints of a document's images: an editor uploads one, the document's readers get
it back. An image is only ever served as the raster type Pillow decoded it as, with
``nosniff`` and a policy that lets it run nothing, so no upload is ever rendered as a page."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rooms.core.errors import NotFound
from rooms.core.serializers import validated
from rooms.core.uploads import declared_file_bytes
from rooms.documents.api import image_serializers as s
from rooms.documents.image_rendition import MEDIA_TYPES
from rooms.documents.selectors import document_access, document_image_for_reading
from rooms.documents.services import images
from rooms.documents.share_link_session import followed_share_links

if TYPE_CHECKING:
    from rest_framework.permissions import _SupportsHasPermission

logger = logging.getLogger(__name__)

EXTENSIONS = {media_type: name.lower() for name, media_type in MEDIA_TYPES.items()}


class DocumentImageUploadView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": s.DocumentImageUploadSerializer},
        responses={
            201: s.DocumentImageSerializer,
            413: OpenApiResponse(
                description="Past COLLAB_MAX_IMAGE_BYTES (image_too_large) or "
                "COLLAB_MAX_IMAGE_PIXELS (image_too_many_pixels)."
            ),
            415: OpenApiResponse(
                description="Not a PNG, JPEG, GIF or WebP that decodes (unsupported_media_type)."
            ),
        },
        summary="Upload an image into a document (its editors)",
        description="Stores the image as the room's file with a display rendition (at most "
        "COLLAB_IMAGE_DISPLAY_MAX_WIDTH wide, upright, without metadata); put `src` in the "
        "document's image node.",
    )
    def post(self, request: Request, document_id: str) -> Response:
        declared = declared_file_bytes(request)
        if declared > settings.COLLAB_MAX_IMAGE_BYTES:
            document_access(user=request.user, document_id=document_id)
            images.document_image_check_size(declared)
        data = validated(s.DocumentImageUploadSerializer, request)
        image = images.document_image_upload(
            actor=request.user,
            document_id=document_id,
            upload=data["file"],
            alt=data.get("alt", ""),
        )
        return Response(s.DocumentImageSerializer(image).data, status=status.HTTP_201_CREATED)


class DocumentImageView(APIView):
    def get_permissions(self) -> Sequence[_SupportsHasPermission]:
        # Signed out is let in for a guest: a share link followed in this session (its page
        # remembered it) reads that document's images, with no secret in the image's URL.
        return [p for p in super().get_permissions() if not isinstance(p, IsAuthenticated)]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "original",
                OpenApiTypes.BOOL,
                description="Present: the upload as it came, not the display rendition.",
            )
        ],
        responses={
            (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description="The image.")
            for media_type in MEDIA_TYPES.values()
        },
        summary="Get a document's image (the document's readers, and share-link guests)",
        description="Readers of the document, and a browser whose session followed a live "
        "share link to it (`/s/<secret>`): signed out otherwise, 401.",
    )
    def get(self, request: Request, document_id: str, image_id: str) -> FileResponse:
        share_link_ids = followed_share_links(request.session)
        if not request.user.is_authenticated and not share_link_ids:
            raise NotAuthenticated()
        image = document_image_for_reading(
            user=request.user,
            document_id=document_id,
            image_id=image_id,
            share_link_ids=share_link_ids,
        )
        original = "original" in request.query_params
        stored, content_type = (
            (image.original, image.content_type)
            if original
            else (image.display, image.display_content_type)
        )
        try:
            content = stored.open("rb")
        except FileNotFoundError as error:
            logger.error("The file %s of document image %s is missing", stored.name, image.pk)
            raise NotFound("No such image in this document.", code="image_not_found") from error
        name = f"{'original' if original else 'image'}-{image.pk}.{EXTENSIONS[content_type]}"
        response = FileResponse(content, filename=name, content_type=content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        # An image id never names other bytes; private: only this reader's browser keeps it.
        response["Cache-Control"] = "private, max-age=86400"
        return response
