"""REST endpoints of a room's webhooks (owners only) and the public endpoint incoming hooks
post to. Each view parses, calls one service and renders; the rules live in
``rooms.webhooks.services.webhooks`` and ``rooms.webhooks.services.incoming``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rooms.chat.api.serializers import MessageSerializer
from rooms.core.pagination import paginated, paginated_schema
from rooms.core.serializers import validated
from rooms.webhooks.api import serializers as s
from rooms.webhooks.services import incoming as incoming_webhooks
from rooms.webhooks.services import webhooks


class WebhookListView(APIView):
    @paginated_schema(s.WebhookSerializer, summary="The room's webhooks, oldest first")
    def get(self, request: Request, room_id: str) -> Response:
        hooks = webhooks.webhook_list(actor=request.user, room_id=room_id)
        return paginated(
            request,
            hooks.select_related("created_by"),
            ordering=("created_at", "id"),
            serializer=s.WebhookSerializer,
        )

    @extend_schema(
        request=s.WebhookCreateSerializer,
        responses={201: s.WebhookCreatedSerializer},
        summary="Add a webhook; the answer shows its secret, once",
    )
    def post(self, request: Request, room_id: str) -> Response:
        data = validated(s.WebhookCreateSerializer, request)
        hook = webhooks.webhook_create(
            actor=request.user, room_id=room_id, url=data["url"], events=data["events"]
        )
        return Response(s.WebhookCreatedSerializer(hook).data, status=status.HTTP_201_CREATED)


class WebhookDetailView(APIView):
    @extend_schema(responses=s.WebhookSerializer)
    def get(self, request: Request, room_id: str, webhook_id: str) -> Response:
        hook = webhooks.webhook_get(actor=request.user, room_id=room_id, webhook_id=webhook_id)
        return Response(s.WebhookSerializer(hook).data)

    @extend_schema(
        request=s.WebhookUpdateSerializer,
        responses=s.WebhookSerializer,
        summary="Change a webhook's URL or events, or turn it off or on",
    )
    def patch(self, request: Request, room_id: str, webhook_id: str) -> Response:
        data = validated(s.WebhookUpdateSerializer, request)
        hook = webhooks.webhook_update(
            actor=request.user, room_id=room_id, webhook_id=webhook_id, **data
        )
        return Response(s.WebhookSerializer(hook).data)

    @extend_schema(request=None, responses={204: None}, summary="Delete a webhook")
    def delete(self, request: Request, room_id: str, webhook_id: str) -> Response:
        webhooks.webhook_delete(actor=request.user, room_id=room_id, webhook_id=webhook_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookEnableView(APIView):
    @extend_schema(
        request=None,
        responses=s.WebhookSerializer,
        summary="Re-enable a webhook; what it still owes is sent again now",
    )
    def post(self, request: Request, room_id: str, webhook_id: str) -> Response:
        hook = webhooks.webhook_enable(actor=request.user, room_id=room_id, webhook_id=webhook_id)
        return Response(s.WebhookSerializer(hook).data)


class WebhookDeliveryListView(APIView):
    @paginated_schema(
        s.WebhookDeliverySerializer,
        summary="A webhook's deliveries, newest first, with every attempt",
    )
    def get(self, request: Request, room_id: str, webhook_id: str) -> Response:
        deliveries = webhooks.webhook_deliveries(
            actor=request.user, room_id=room_id, webhook_id=webhook_id
        )
        return paginated(
            request,
            deliveries,
            ordering=("-created_at", "-id"),
            serializer=s.WebhookDeliverySerializer,
        )


class IncomingWebhookListView(APIView):
    @paginated_schema(s.IncomingWebhookSerializer, summary="The room's incoming webhooks")
    def get(self, request: Request, room_id: str) -> Response:
        hooks = incoming_webhooks.incoming_webhook_list(actor=request.user, room_id=room_id)
        return paginated(
            request, hooks, ordering=("created_at", "id"), serializer=s.IncomingWebhookSerializer
        )

    @extend_schema(
        request=s.IncomingWebhookCreateSerializer,
        responses={201: s.IncomingWebhookCreatedSerializer},
        summary="Add an incoming webhook; the answer shows its URL and token, once",
    )
    def post(self, request: Request, room_id: str) -> Response:
        data = validated(s.IncomingWebhookCreateSerializer, request)
        hook, token = incoming_webhooks.incoming_webhook_create(
            actor=request.user, room_id=room_id, name=data["name"]
        )
        context: dict[str, Any] = {"token": token, "request": request}
        body = s.IncomingWebhookCreatedSerializer(hook, context=context).data
        return Response(body, status=status.HTTP_201_CREATED)


class IncomingWebhookDetailView(APIView):
    @extend_schema(request=None, responses={204: None}, summary="Delete an incoming webhook")
    def delete(self, request: Request, room_id: str, incoming_id: str) -> Response:
        incoming_webhooks.incoming_webhook_delete(
            actor=request.user, room_id=room_id, incoming_id=incoming_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class IncomingWebhookPostView(APIView):
    """The public URL of an incoming hook: the token in the path is the credential."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=s.IncomingMessageSerializer,
        responses={201: MessageSerializer, 200: MessageSerializer},
        auth=[],
        summary="Post a chat message as an incoming webhook's bot",
        description="404 for an unknown token. Re-sending with the same client_id returns "
        "the first message (200).",
    )
    def post(self, request: Request, incoming_token: str) -> Response:
        data = validated(s.IncomingMessageSerializer, request)
        message, created = incoming_webhooks.incoming_webhook_post(
            token=incoming_token,
            body=data["body"] if "body" in data else data["text"],
            client_id=data.get("client_id", ""),
        )
        return Response(
            MessageSerializer(message).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
