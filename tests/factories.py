"""Factories for every model the tests build; no test builds rows by hand."""

from __future__ import annotations

import secrets

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from presence.models import LastSeen
from rooms import models as m

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Room

    name = factory.Sequence(lambda n: f"Room {n}")
    slug = factory.Sequence(lambda n: f"room-{n}")
    created_by = factory.SubFactory(UserFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Membership

    room = factory.SubFactory(RoomFactory)
    user = factory.SubFactory(UserFactory)
    role = m.Role.EDITOR


class InviteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Invite

    room = factory.SubFactory(RoomFactory)
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(24))
    role = m.Role.EDITOR


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Document

    room = factory.SubFactory(RoomFactory)
    title = factory.Sequence(lambda n: f"Document {n}")
    kind = m.DocumentKind.TEXT


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Message

    room = factory.SubFactory(RoomFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Message {n}")
    body_html = factory.LazyAttribute(lambda message: f"<p>{message.body}</p>")


class DocumentStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.DocumentState

    document = factory.SubFactory(DocumentFactory)
    data = b"\x00\x00"
    seq = 0


class DocumentUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.DocumentUpdate

    document = factory.SubFactory(DocumentFactory)
    seq = factory.Sequence(lambda n: n + 1)
    data = b"\x00\x00"


class DocumentVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.DocumentVersion

    document = factory.SubFactory(DocumentFactory)
    seq = 0
    data = b"\x00\x00"


class ReactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Reaction

    message = factory.SubFactory(MessageFactory)
    user = factory.SubFactory(UserFactory)
    emoji = "👍"


class MentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Mention

    message = factory.SubFactory(MessageFactory)
    user = factory.SubFactory(UserFactory)


class MessageEditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.MessageEdit

    message = factory.SubFactory(MessageFactory)
    body = "an earlier body"


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Attachment

    room = factory.SubFactory(RoomFactory)
    file = "attachments/example"
    filename = "notes.txt"
    content_type = "text/plain"
    size = 12


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Notification

    user = factory.SubFactory(UserFactory)
    kind = m.NotificationKind.MENTION


class WebhookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Webhook

    room = factory.SubFactory(RoomFactory)
    url = "https://hooks.example.com/collab"
    events = factory.LazyFunction(lambda: ["message.created"])
    secret = factory.LazyFunction(lambda: secrets.token_hex(32))


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.WebhookDelivery

    webhook = factory.SubFactory(WebhookFactory)
    event = m.WebhookEvent.MESSAGE_CREATED
    payload = factory.LazyFunction(dict)


class WebhookAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.WebhookAttempt

    delivery = factory.SubFactory(WebhookDeliveryFactory)
    number = factory.Sequence(lambda n: n + 1)


class IncomingWebhookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.IncomingWebhook

    room = factory.SubFactory(RoomFactory)
    name = "CI bot"
    digest = factory.LazyFunction(lambda: secrets.token_hex(32))


class LastSeenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LastSeen

    room = factory.SubFactory(RoomFactory)
    user = factory.SubFactory(UserFactory)
    seen_at = factory.LazyFunction(timezone.now)
