"""Each payload function and the REST serializer that returns it agree: the serializer's
declared fields (what the OpenAPI schema shows) are exactly the payload's keys, in order, and
rendering those fields the way DRF would gives the payload's values. The room socket's event
schemas describe the same payloads, key for key."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from rest_framework import serializers

from rooms.chat.api.serializers import AttachmentSerializer, MessageSerializer
from rooms.chat.payloads import attachment_payload, message_payload
from rooms.documents.api.content_serializers import VersionSerializer
from rooms.documents.api.serializers import DocumentSerializer
from rooms.documents.payloads import document_payload, version_payload
from rooms.membership.api.serializers import MemberSerializer
from rooms.membership.payloads import member_payload
from rooms.notifications.events import notification_payload
from rooms.room_socket.schemas import MESSAGE, NOTIFICATION
from tests.factories import (
    AttachmentFactory,
    DocumentFactory,
    DocumentVersionFactory,
    MembershipFactory,
    MessageFactory,
    NotificationFactory,
    ReactionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _as_json(data: Any) -> Any:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _declared_rendering(serializer: serializers.ModelSerializer, instance: Any) -> Any:  # type: ignore[type-arg]
    """What DRF renders from the serializer's declared fields, bypassing its
    ``to_representation`` (which returns the payload)."""
    return _as_json(serializers.ModelSerializer.to_representation(serializer, instance))


def test_message_serializer_fields_are_the_message_payload():
    author = UserFactory()
    root = MessageFactory()
    attachment = AttachmentFactory(room=root.room)
    message = MessageFactory(
        room=root.room, author=author, parent=root, attachment=attachment, edited_at=timezone.now()
    )
    ReactionFactory(message=message, user=author, emoji="🎉")
    ReactionFactory(message=message, emoji="🎉")
    serializer = MessageSerializer(message)

    assert list(serializer.fields) == list(message_payload(message))
    assert _declared_rendering(serializer, message) == _as_json(message_payload(message))
    assert serializer.data == message_payload(message)


def test_a_deleted_message_keeps_the_payload_keys_without_its_content():
    message = MessageFactory(attachment=AttachmentFactory(), deleted_at=timezone.now())
    ReactionFactory(message=message)

    payload = message_payload(message)

    assert list(MessageSerializer(message).fields) == list(payload)
    assert (payload["body"], payload["body_html"], payload["attachment"], payload["reactions"]) == (
        "",
        "",
        None,
        [],
    )


def test_attachment_serializer_fields_are_the_attachment_payload():
    attachment = AttachmentFactory()
    serializer = AttachmentSerializer(attachment)

    assert list(serializer.fields) == list(attachment_payload(attachment))
    assert _declared_rendering(serializer, attachment) == _as_json(attachment_payload(attachment))


@pytest.mark.parametrize("locked", [False, True])
def test_document_serializer_fields_are_the_document_payload(locked):
    creator = UserFactory()
    document = DocumentFactory(
        created_by=creator,
        is_locked=locked,
        locked_by=creator if locked else None,
        locked_at=timezone.now() if locked else None,
        archived_at=timezone.now() if locked else None,
    )
    serializer = DocumentSerializer(document)

    assert list(serializer.fields) == list(document_payload(document))
    assert _declared_rendering(serializer, document) == _as_json(document_payload(document))


def test_version_serializer_fields_are_the_version_payload():
    version = DocumentVersionFactory(name="Draft", created_by=UserFactory())
    serializer = VersionSerializer(version)

    assert list(serializer.fields) == list(version_payload(version))
    assert _declared_rendering(serializer, version) == _as_json(version_payload(version))


def test_member_serializer_fields_are_the_member_payload():
    membership = MembershipFactory()
    serializer = MemberSerializer(membership)

    assert list(serializer.fields) == list(member_payload(membership))
    assert _declared_rendering(serializer, membership) == _as_json(member_payload(membership))


def test_the_room_socket_schema_of_a_message_is_the_message_payload():
    """The ``message.*`` events carry ``message_payload``; their schema lists its keys."""
    message = MessageFactory(author=UserFactory(), attachment=AttachmentFactory())
    ReactionFactory(message=message, emoji="👍")
    payload = _as_json(message_payload(message))

    assert MESSAGE["required"] == list(payload) == list(MESSAGE["properties"])
    jsonschema.validate(payload, MESSAGE, format_checker=jsonschema.FormatChecker())


def test_the_room_socket_schema_of_a_notification_is_the_notification_payload():
    notification = NotificationFactory(actor=UserFactory())
    payload = _as_json(notification_payload(notification))

    assert NOTIFICATION["required"] == list(payload) == list(NOTIFICATION["properties"])
    jsonschema.validate(payload, NOTIFICATION, format_checker=jsonschema.FormatChecker())
