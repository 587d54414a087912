"""Chat message services: send (mentions, threads, idempotence), edit, delete, and the
system messages other services post; each with the room event it publishes."""

from __future__ import annotations

import pytest

from rooms.chat.models import Mention, Message, MessageEdit, MessageKind, Reaction
from rooms.chat.services.messages import message_delete, message_edit, message_send
from rooms.core.errors import Conflict, Forbidden, Invalid, NotFound
from rooms.documents.models import DocumentKind
from rooms.documents.services.documents import document_create
from rooms.membership.models import Role
from rooms.membership.services.invites import invite_accept
from rooms.membership.services.members import member_add, member_change_role, member_remove
from rooms.membership.services.rooms import room_join, room_update
from tests.factories import (
    InviteFactory,
    MembershipFactory,
    MessageEditFactory,
    MessageFactory,
    ReactionFactory,
    RoomFactory,
    UserFactory,
)
from tests.rooms.chat_capture import RoomEvents


@pytest.fixture
def chat(room_with_everyone):
    """The room with everyone, and its events."""
    room_with_everyone.events = RoomEvents(room_with_everyone.room.pk)
    return room_with_everyone


def send(chat, who="editor", body="hello", **kwargs):
    message, _ = message_send(actor=chat.users[who], room_id=chat.room.pk, body=body, **kwargs)
    return message


# --- send ----------------------------------------------------------------------------------


def test_send_publishes_message_new_only_after_commit(chat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = send(chat, body="**hi**")
        assert chat.events.published() == []
    [event] = chat.events.published()
    assert event["type"] == "message.new"
    assert event["parent_reply_count"] is None
    assert event["message"]["id"] == message.pk
    assert event["message"]["body"] == "**hi**"
    assert event["message"]["body_html"] == "<p><strong>hi</strong></p>"
    assert event["message"]["author"]["username"] == "the-editor"


def test_resending_a_client_id_returns_the_first_message_and_publishes_nothing(
    chat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, created = message_send(
            actor=chat.users["editor"], room_id=chat.room.pk, body="once", client_id="c-1"
        )
    chat.events.published()
    with django_capture_on_commit_callbacks(execute=True):
        again, created_again = message_send(
            actor=chat.users["editor"], room_id=chat.room.pk, body="once", client_id="c-1"
        )
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert Message.objects.filter(room=chat.room).count() == 1
    assert chat.events.published() == []


def test_same_client_id_from_two_authors_makes_two_messages(chat):
    a, _ = message_send(actor=chat.users["editor"], room_id=chat.room.pk, body="x", client_id="k")
    b, _ = message_send(actor=chat.users["owner"], room_id=chat.room.pk, body="x", client_id="k")
    assert a.pk != b.pk


def test_reply_event_carries_the_roots_new_reply_count(chat, django_capture_on_commit_callbacks):
    root = send(chat, body="root")
    first = send(chat, body="r1", parent_id=root.pk)
    with django_capture_on_commit_callbacks(execute=True):
        nested = send(chat, body="r2", parent_id=first.pk)
    [event] = chat.events.published()
    assert (event["message"]["parent"], event["parent_reply_count"]) == (root.pk, 2)
    assert nested.parent_id == root.pk


def test_reply_to_a_deleted_thread_is_refused_and_not_stored(chat):
    root = MessageFactory(room=chat.room, deleted_at="2030-01-01T00:00:00Z", body="")
    with pytest.raises(Conflict) as caught:
        send(chat, body="late", parent_id=root.pk)
    assert caught.value.code == "message_deleted"
    assert not Message.objects.filter(parent=root).exists()


def test_viewer_may_not_send(chat):
    with pytest.raises(Forbidden):
        send(chat, who="viewer")
    assert not Message.objects.filter(room=chat.room).exists()


def test_whitespace_only_body_is_blank(chat):
    with pytest.raises(Invalid) as caught:
        send(chat, body="  \n ")
    assert (caught.value.code, caught.value.field) == ("blank", "body")


# --- mentions ------------------------------------------------------------------------------


def test_mentions_record_members_only_and_never_the_author(chat):
    UserFactory(username="stranger")
    message = send(
        chat, who="editor", body="@The-Owner @the-viewer @stranger @the-editor `@the-commenter`"
    )
    mentioned = set(Mention.objects.filter(message=message).values_list("user_id", flat=True))
    assert mentioned == {chat.users["owner"].pk, chat.users["viewer"].pk}
    assert message.mentions_room is False
    owner, viewer, editor = (chat.users[who].pk for who in ("owner", "viewer", "editor"))
    assert message.body_html == (
        f'<p><span class="mention" data-user-id="{owner}">@The-Owner</span> '
        f'<span class="mention" data-user-id="{viewer}">@the-viewer</span> @stranger '
        f'<span class="mention" data-user-id="{editor}">@the-editor</span> '
        "<code>@the-commenter</code></p>"
    )


def test_room_mention_sets_the_flag(chat):
    assert send(chat, body="@room standup in 5").mentions_room is True


# --- edit ----------------------------------------------------------------------------------


def test_edit_keeps_the_previous_body_rerenders_and_publishes(
    chat, django_capture_on_commit_callbacks
):
    message = send(chat, body="first @the-owner")
    with django_capture_on_commit_callbacks(execute=True):
        edited = message_edit(
            actor=chat.users["editor"],
            room_id=chat.room.pk,
            message_id=message.pk,
            body="second @the-viewer @room",
        )
    chat.events.published()  # drop the send's event; the edit's is checked below
    message.refresh_from_db()
    assert (message.body, message.mentions_room) == ("second @the-viewer @room", True)
    assert message.edited_at is not None
    assert list(MessageEdit.objects.filter(message=message).values_list("body", flat=True)) == [
        "first @the-owner"
    ]
    assert set(Mention.objects.filter(message=message).values_list("user_id", flat=True)) == {
        chat.users["viewer"].pk
    }
    assert edited.body_html.count('class="mention"') == 1


def test_edit_event_carries_the_new_body(chat, django_capture_on_commit_callbacks):
    message = send(chat, body="before")
    with django_capture_on_commit_callbacks(execute=True):
        message_edit(
            actor=chat.users["editor"], room_id=chat.room.pk, message_id=message.pk, body="after"
        )
    [event] = chat.events.published()
    assert event["type"] == "message.edited"
    assert (event["message"]["body"], event["message"]["edited_at"] is not None) == (
        "after",
        True,
    )


def test_edit_with_an_unchanged_body_records_and_publishes_nothing(
    chat, django_capture_on_commit_callbacks
):
    message = send(chat, body="same")
    with django_capture_on_commit_callbacks(execute=True):
        message_edit(
            actor=chat.users["editor"], room_id=chat.room.pk, message_id=message.pk, body="same "
        )
    assert chat.events.published() == []
    assert not MessageEdit.objects.filter(message=message).exists()


@pytest.mark.parametrize("who", ["owner", "commenter"])
def test_only_the_author_may_edit(chat, who):
    message = send(chat, body="mine")
    with pytest.raises(Forbidden) as caught:
        message_edit(actor=chat.users[who], room_id=chat.room.pk, message_id=message.pk, body="x")
    assert caught.value.code == "not_author"
    message.refresh_from_db()
    assert message.body == "mine"


def test_an_author_demoted_to_viewer_may_no_longer_edit(chat):
    message = send(chat, who="commenter", body="mine")
    member_change_role(
        actor=chat.users["owner"],
        room_id=chat.room.pk,
        user_id=chat.users["commenter"].pk,
        role=Role.VIEWER,
    )
    with pytest.raises(Forbidden):
        message_edit(
            actor=chat.users["commenter"], room_id=chat.room.pk, message_id=message.pk, body="x"
        )


def test_a_deleted_message_cannot_be_edited(chat):
    message = send(chat)
    message_delete(actor=chat.users["editor"], room_id=chat.room.pk, message_id=message.pk)
    with pytest.raises(Conflict) as caught:
        message_edit(
            actor=chat.users["editor"], room_id=chat.room.pk, message_id=message.pk, body="x"
        )
    assert caught.value.code == "message_deleted"


def test_editing_a_message_of_another_room_is_not_found(chat):
    elsewhere = MessageFactory(author=chat.users["editor"])
    with pytest.raises(NotFound) as caught:
        message_edit(
            actor=chat.users["editor"], room_id=chat.room.pk, message_id=elsewhere.pk, body="x"
        )
    assert caught.value.code == "message_not_found"


# --- delete --------------------------------------------------------------------------------


def test_delete_leaves_a_tombstone_that_keeps_the_thread(chat, django_capture_on_commit_callbacks):
    root = send(chat, body="root @the-owner")
    reply = send(chat, who="commenter", body="reply", parent_id=root.pk)
    ReactionFactory(message=root, user=chat.users["viewer"])
    MessageEditFactory(message=root, body="older")
    with django_capture_on_commit_callbacks(execute=True):
        message_delete(actor=chat.users["editor"], room_id=chat.room.pk, message_id=root.pk)
    root.refresh_from_db()
    reply.refresh_from_db()
    assert (root.body, root.body_html, root.deleted_at is not None) == ("", "", True)
    assert (root.reply_count, reply.parent_id, reply.body) == (1, root.pk, "reply")
    assert not Reaction.objects.filter(message=root).exists()
    assert not Mention.objects.filter(message=root).exists()
    assert not MessageEdit.objects.filter(message=root).exists()
    event = chat.events.published()[-1]
    assert event["type"] == "message.deleted"
    assert event["message"]["id"] == root.pk
    assert (event["message"]["body"], event["message"]["reactions"]) == ("", [])
    assert event["message"]["deleted_at"] is not None


def test_a_room_owner_may_delete_anyones_message(chat):
    message = send(chat, who="commenter")
    message_delete(actor=chat.users["owner"], room_id=chat.room.pk, message_id=message.pk)
    message.refresh_from_db()
    assert message.deleted_at is not None


def test_an_editor_may_not_delete_someone_elses_message(chat):
    message = send(chat, who="commenter", body="keep")
    with pytest.raises(Forbidden):
        message_delete(actor=chat.users["editor"], room_id=chat.room.pk, message_id=message.pk)
    message.refresh_from_db()
    assert (message.body, message.deleted_at) == ("keep", None)


def test_deleting_twice_publishes_once(chat, django_capture_on_commit_callbacks):
    message = send(chat)
    chat.events.published()
    with django_capture_on_commit_callbacks(execute=True):
        message_delete(actor=chat.users["editor"], room_id=chat.room.pk, message_id=message.pk)
        message_delete(actor=chat.users["editor"], room_id=chat.room.pk, message_id=message.pk)
    assert chat.events.types() == ["message.deleted"]


# --- system messages -----------------------------------------------------------------------


def system_bodies(room):
    return list(
        Message.objects.filter(room=room, kind=MessageKind.SYSTEM)
        .order_by("id")
        .values_list("body", flat=True)
    )


def test_adding_and_removing_members_posts_system_messages(
    chat, django_capture_on_commit_callbacks
):
    UserFactory(username="newcomer")
    owner = chat.users["owner"]
    with django_capture_on_commit_callbacks(execute=True):
        member = member_add(
            actor=owner, room_id=chat.room.pk, username="newcomer", role=Role.VIEWER
        )
        member_remove(actor=owner, room_id=chat.room.pk, user_id=member.user_id)
        member_remove(
            actor=chat.users["viewer"], room_id=chat.room.pk, user_id=chat.users["viewer"].pk
        )
    assert system_bodies(chat.room) == [
        "the-owner added newcomer.",
        "the-owner removed newcomer.",
        "the-viewer left the room.",
    ]
    # The members list's own events (member.joined, member.left) go alongside.
    events = [e for e in chat.events.published() if e["type"].startswith("message.")]
    assert [(e["type"], e["message"]["kind"], e["message"]["author"]) for e in events] == [
        ("message.new", "system", None)
    ] * 3


def test_joining_a_public_room_posts_a_system_message(db):
    room = RoomFactory(is_public=True)
    joiner = UserFactory(username="joiner")
    room_join(actor=joiner, room_id=room.pk)
    assert system_bodies(room) == ["joiner joined the room."]


def test_joining_through_an_invite_link_says_so_rather_than_who_made_the_link(chat):
    invite = InviteFactory(room=chat.room, role=Role.EDITOR, created_by=chat.users["owner"])
    invite_accept(actor=UserFactory(username="bob"), token=invite.token)
    assert system_bodies(chat.room) == ["bob joined through an invite link."]


def test_creating_a_document_and_renaming_the_room_post_system_messages(chat):
    document_create(
        actor=chat.users["editor"], room_id=chat.room.pk, title="Plan", kind=DocumentKind.TEXT
    )
    old_name = chat.room.name
    room_update(actor=chat.users["owner"], room_id=chat.room.pk, name="Renamed")
    room_update(actor=chat.users["owner"], room_id=chat.room.pk, description="no rename")
    assert system_bodies(chat.room) == [
        "the-editor created a document: Plan",
        f"the-owner renamed the room from {old_name} to Renamed.",
    ]


def test_system_message_text_is_never_markdown(db):
    room = RoomFactory(is_public=True)
    joiner = UserFactory(username="a_b_")
    room_join(actor=joiner, room_id=room.pk)
    message = Message.objects.get(room=room, kind=MessageKind.SYSTEM)
    assert message.body_html == "<p>a_b_ joined the room.</p>"


def test_system_messages_never_come_from_a_user(db):
    room = RoomFactory()
    owner = UserFactory()
    MembershipFactory(room=room, user=owner, role=Role.OWNER)
    room_update(actor=owner, room_id=room.pk, name="New name")
    assert Message.objects.get(room=room).author_id is None


def test_an_archived_room_refuses_edits_deletes_and_reactions_but_not_reading(chat):
    from rooms.chat.services.reactions import reaction_add
    from rooms.chat.services.read_state import read_state_mark

    message = send(chat, body="before archiving")
    chat.room.is_archived = True
    chat.room.save()
    editor, room_id = chat.users["editor"], chat.room.pk
    attempts = [
        lambda: message_edit(actor=editor, room_id=room_id, message_id=message.pk, body="x"),
        lambda: message_delete(actor=editor, room_id=room_id, message_id=message.pk),
        lambda: reaction_add(actor=editor, room_id=room_id, message_id=message.pk, emoji="👍"),
    ]
    for attempt in attempts:
        with pytest.raises(Forbidden) as caught:
            attempt()
        assert caught.value.code == "room_archived"
    message.refresh_from_db()
    assert (message.body, message.deleted_at) == ("before archiving", None)
    assert not Reaction.objects.exists()
    assert read_state_mark(actor=editor, room_id=room_id).unread_count == 0
