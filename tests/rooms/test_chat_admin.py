"""The admin's message action deletes through the service: tombstones, not removed rows."""

from __future__ import annotations

from django.urls import reverse

from rooms.chat.models import Message, Reaction
from tests.factories import MessageFactory, ReactionFactory, UserFactory


def test_admin_delete_action_leaves_tombstones_through_the_service(client, db):
    operator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(operator)
    chosen = MessageFactory(body="spam")
    ReactionFactory(message=chosen)
    kept = MessageFactory(room=chosen.room, body="fine")
    response = client.post(
        reverse("admin:rooms_message_changelist"),
        {"action": "delete_as_tombstones", "_selected_action": [str(chosen.pk)], "index": 0},
    )
    assert response.status_code == 302
    chosen.refresh_from_db()
    kept.refresh_from_db()
    assert (chosen.body, chosen.deleted_at is not None) == ("", True)
    assert not Reaction.objects.filter(message=chosen).exists()
    assert (kept.body, kept.deleted_at) == ("fine", None)
    assert Message.objects.count() == 2
