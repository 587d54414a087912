"""REST endpoints for the signed-in user: profile, API tokens, and token sign-in."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rooms.accounts.api import serializers as s
from rooms.accounts.authentication import signed_in_user
from rooms.accounts.models import TokenScope
from rooms.accounts.services import (
    api_token_create,
    api_token_revoke,
    profile_update,
    user_sign_in,
)
from rooms.core.errors import Invalid
from rooms.core.pagination import paginated, paginated_schema
from rooms.core.serializers import validated


class AuthTokenView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=s.CredentialsSerializer,
        responses={201: s.IssuedTokenSerializer},
        summary="Exchange a username and password for a new API token",
    )
    def post(self, request: Request) -> Response:
        data = validated(s.CredentialsSerializer, request)
        user = user_sign_in(
            request=request._request,
            username=data["username"],
            password=data["password"],
        )
        if user is None:
            raise Invalid("Wrong username or password.", code="invalid_credentials")
        _, raw = api_token_create(user=user, name="Issued by /auth/token")
        return Response({"token": raw}, status=status.HTTP_201_CREATED)


class MeView(APIView):
    token_rooms_exempt = True  # a token limited to rooms still reads its owner's profile
    @extend_schema(responses=s.MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(s.MeSerializer(request.user).data)

    @extend_schema(request=s.MeUpdateSerializer, responses=s.MeSerializer)
    def patch(self, request: Request) -> Response:
        user = signed_in_user(request)
        profile_update(user=user, **validated(s.MeUpdateSerializer, request))
        user.refresh_from_db()
        return Response(s.MeSerializer(user).data)


class TokenListView(APIView):
    @paginated_schema(s.ApiTokenSerializer, summary="My live API tokens, newest first")
    def get(self, request: Request) -> Response:
        tokens = signed_in_user(request).api_tokens.filter(revoked_at=None)
        return paginated(
            request, tokens, ordering=("-created_at", "-id"), serializer=s.ApiTokenSerializer
        )

    @extend_schema(request=s.ApiTokenCreateSerializer, responses={201: s.ApiTokenCreatedSerializer})
    def post(self, request: Request) -> Response:
        data = validated(s.ApiTokenCreateSerializer, request)
        token, raw = api_token_create(
            user=signed_in_user(request),
            name=data["name"],
            expires_at=data.get("expires_at"),
            scope=TokenScope(data["scope"]),
            room_ids=data.get("rooms"),
        )
        token.token = raw  # type: ignore[attr-defined]
        return Response(s.ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)


class TokenDetailView(APIView):
    @extend_schema(request=None, responses={204: None}, summary="Revoke a token")
    def delete(self, request: Request, token_id: int) -> Response:
        api_token_revoke(user=signed_in_user(request), token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
