"""Factories for every model the tests build; no test builds rows by hand."""

from __future__ import annotations

import secrets

import factory
from django.contrib.auth import get_user_model

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
