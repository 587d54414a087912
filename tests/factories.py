"""Factories for every model the tests build; no test builds rows by hand."""

from __future__ import annotations

import secrets

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from presence.models import LastSeen
from rooms.chat.models import Attachment, Mention, Message, MessageEdit, Reaction
from rooms.comments.models import AnchorKind, Comment, CommentReaction, CommentThread
from rooms.documents.models import Document, DocumentImage, DocumentKind, DocumentVersion
from rooms.membership.models import Invite, Membership, Role, Room
from rooms.notifications.models import Notification, NotificationKind
from rooms.sync.models import DocumentState, DocumentUpdate
from rooms.webhooks.models import (
    IncomingWebhook,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
)

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
        model = Room

    name = factory.Sequence(lambda n: f"Room {n}")
    slug = factory.Sequence(lambda n: f"room-{n}")
    created_by = factory.SubFactory(UserFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    room = factory.SubFactory(RoomFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.EDITOR


class InviteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invite

    room = factory.SubFactory(RoomFactory)
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(24))
    role = Role.EDITOR


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    room = factory.SubFactory(RoomFactory)
    title = factory.Sequence(lambda n: f"Document {n}")
    kind = DocumentKind.TEXT


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    room = factory.SubFactory(RoomFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Message {n}")
    body_html = factory.LazyAttribute(lambda message: f"<p>{message.body}</p>")


class CommentThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommentThread

    document = factory.SubFactory(DocumentFactory)
    author = factory.SubFactory(UserFactory)
    anchor_kind = AnchorKind.TEXT
    anchor_start = "AQdkZWZhdWx0AA=="  # the end of the text "default"
    anchor_end = "AQdkZWZhdWx0AA=="
    quote = "quoted"


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    thread = factory.SubFactory(CommentThreadFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment {n}")
    body_html = factory.LazyAttribute(lambda comment: f"<p>{comment.body}</p>")


class CommentReactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommentReaction

    comment = factory.SubFactory(CommentFactory)
    user = factory.SubFactory(UserFactory)
    emoji = "👍"


class DocumentStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentState

    document = factory.SubFactory(DocumentFactory)
    data = b"\x00\x00"
    seq = 0


class DocumentUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentUpdate

    document = factory.SubFactory(DocumentFactory)
    seq = factory.Sequence(lambda n: n + 1)
    data = b"\x00\x00"


class DocumentVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentVersion

    document = factory.SubFactory(DocumentFactory)
    seq = 0
    data = b"\x00\x00"


class ReactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reaction

    message = factory.SubFactory(MessageFactory)
    user = factory.SubFactory(UserFactory)
    emoji = "👍"


class MentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mention

    message = factory.SubFactory(MessageFactory)
    user = factory.SubFactory(UserFactory)


class MessageEditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessageEdit

    message = factory.SubFactory(MessageFactory)
    body = "an earlier body"


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    room = factory.SubFactory(RoomFactory)
    file = "attachments/example"
    filename = "notes.txt"
    content_type = "text/plain"
    size = 12


class DocumentImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentImage

    document = factory.SubFactory(DocumentFactory)
    room = factory.SelfAttribute("document.room")
    original = "document-images/example/original"
    display = "document-images/example/display"
    content_type = "image/png"
    display_content_type = "image/png"
    size = 1234
    width = 40
    height = 20
    display_width = 40
    display_height = 20


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = NotificationKind.MENTION


class WebhookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Webhook

    room = factory.SubFactory(RoomFactory)
    url = "https://hooks.example.com/collab"
    events = factory.LazyFunction(lambda: ["message.created"])
    secret = factory.LazyFunction(lambda: secrets.token_hex(32))


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    webhook = factory.SubFactory(WebhookFactory)
    event = WebhookEvent.MESSAGE_CREATED
    payload = factory.LazyFunction(dict)


class WebhookAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookAttempt

    delivery = factory.SubFactory(WebhookDeliveryFactory)
    number = factory.Sequence(lambda n: n + 1)


class IncomingWebhookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncomingWebhook

    room = factory.SubFactory(RoomFactory)
    name = "CI bot"
    digest = factory.LazyFunction(lambda: secrets.token_hex(32))


class LastSeenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LastSeen

    room = factory.SubFactory(RoomFactory)
    user = factory.SubFactory(UserFactory)
    seen_at = factory.LazyFunction(timezone.now)
