"""REST endpoints of a document's share links: list (paginated), make, revoke. The rules live
in ``rooms.documents.services.share_links``."""

from __future__ import annotations

from datetime import timedelta

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rooms.core.pagination import paginated, paginated_schema
from rooms.core.serializers import validated
from rooms.documents.api import serializers as s
from rooms.documents.models import ShareLinkRole
from rooms.documents.selectors import share_links_of
from rooms.documents.services import share_links


class ShareLinkListView(APIView):
    @paginated_schema(
        s.ShareLinkSerializer,
        summary="The document's share links (not revoked; expired ones marked)",
    )
    def get(self, request: Request, document_id: str) -> Response:
        links = share_links_of(user=request.user, document_id=document_id)
        return paginated(
            request, links, ordering=("-created_at", "-id"), serializer=s.ShareLinkSerializer
        )

    @extend_schema(
        request=s.ShareLinkCreateSerializer,
        responses={201: s.ShareLinkCreatedSerializer},
        summary="Make a share link; the answer shows its secret, once",
    )
    def post(self, request: Request, document_id: str) -> Response:
        data = validated(s.ShareLinkCreateSerializer, request)
        ttl = data.get("expires_in_seconds")
        link, token = share_links.share_link_create(
            actor=request.user,
            document_id=document_id,
            role=ShareLinkRole(data["role"]),
            expires_in=timedelta(seconds=ttl) if ttl is not None else None,
        )
        created = s.ShareLinkCreatedSerializer(link, context={"request": request, "token": token})
        return Response(created.data, status=status.HTTP_201_CREATED)


class ShareLinkDetailView(APIView):
    @extend_schema(request=None, responses={204: None}, summary="Revoke a share link")
    def delete(self, request: Request, document_id: str, link_id: int) -> Response:
        share_links.share_link_revoke(actor=request.user, document_id=document_id, link_id=link_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
