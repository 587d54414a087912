"""The webhook endpoints: owners manage a room's hooks, the secret is shown once, every bad
input is a 400 with its own code, deliveries are listed with their attempts; incoming hooks
post chat messages as their bot."""

from __future__ import annotations

import pytest

from rooms.chat.models import Message
from rooms.chat.services.messages import message_send
from rooms.membership.models import Membership, Role
from rooms.webhooks.delivery import Outcome, delivery_record
from rooms.webhooks.models import IncomingWebhook, Webhook, WebhookDelivery

PUBLIC_URL = "https://93.184.216.34/hooks/collab"  # an address literal: no DNS in the tests


def hooks_url(room) -> str:
    return f"/api/v1/rooms/{room.pk}/webhooks"


def create(client, room, **body):
    return client.post(
        hooks_url(room),
        {"url": PUBLIC_URL, "events": ["message.created"], **body},
        format="json",
    )


def test_an_owner_creates_a_hook_and_sees_its_secret_only_once(room_with_everyone):
    owner = room_with_everyone.client("owner")
    room = room_with_everyone.room

    response = create(owner, room, events=["message.created", "member.joined", "message.created"])

    assert response.status_code == 201
    created = response.json()
    assert created["url"] == PUBLIC_URL
    assert created["events"] == ["message.created", "member.joined"]
    assert created["is_active"] is True
    assert len(created["secret"]) == 64
    assert Webhook.objects.get(pk=created["id"]).secret == created["secret"]
    listed = owner.get(hooks_url(room)).json()["results"]
    detail = owner.get(f"{hooks_url(room)}/{created['id']}").json()
    assert [hook["id"] for hook in listed] == [created["id"]]
    assert "secret" not in listed[0]
    assert "secret" not in detail
    assert created["secret"] not in str(listed) + str(detail)


@pytest.mark.parametrize("who", ["editor", "commenter", "viewer"])
def test_only_owners_manage_hooks(room_with_everyone, who):
    client = room_with_everyone.client(who)
    room = room_with_everyone.room

    for response in (client.get(hooks_url(room)), create(client, room)):
        assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert not Webhook.objects.exists()


def test_outsiders_do_not_learn_the_room_exists(room_with_everyone):
    response = create(room_with_everyone.client("outsider"), room_with_everyone.room)

    assert (response.status_code, response.json()["code"]) == (404, "room_not_found")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"url": "ftp://93.184.216.34/x"}, "url_scheme_not_allowed"),
        ({"url": "javascript:alert(1)"}, "url_scheme_not_allowed"),
        ({"url": "not a url"}, "url_scheme_not_allowed"),
        ({"url": "http://"}, "invalid_url"),
        ({"url": "http://user:pw@93.184.216.34/"}, "invalid_url"),
        ({"url": "http://93.184.216.34:99999/"}, "invalid_url"),
        ({"url": "http://127.0.0.1:8000/hook"}, "url_private_address"),
        ({"url": "http://localhost/hook"}, "url_private_address"),
        ({"url": "http://10.1.2.3/hook"}, "url_private_address"),
        ({"url": "http://169.254.169.254/latest/meta-data"}, "url_private_address"),
        ({"url": "http://[::1]/hook"}, "url_private_address"),
        ({"url": "http://[::ffff:127.0.0.1]/hook"}, "url_private_address"),
        ({"url": "http://[64:ff9b::7f00:1]/"}, "url_private_address"),
        ({"url": "http://[64:ff9b:1::a9fe:a9fe]/"}, "url_private_address"),
        ({"url": "http://[::127.0.0.1]/"}, "url_private_address"),
        ({"url": "http://[2002:7f00:1::]/"}, "url_private_address"),
        ({"url": "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/"}, "url_private_address"),
        ({"url": "http://[fec0::1]/"}, "url_private_address"),
        ({"url": "http://no-such-host.invalid/hook"}, "url_unresolvable"),
        ({"events": ["message.sent"]}, "unknown_event"),
        ({"events": []}, "no_events"),
    ],
)
def test_a_bad_hook_is_refused_with_its_code(room_with_everyone, body, code):
    response = create(room_with_everyone.client("owner"), room_with_everyone.room, **body)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert list(response.json()["fields"]) == ["events" if "events" in body else "url"]
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://1.1.1.1/hook",
        "https://[2606:4700::1111]/hook",
        "https://[64:ff9b::1.1.1.1]/hook",
        "https://[2002:101:101::1]/hook",
    ],
)
def test_public_addresses_are_accepted_in_every_form(room_with_everyone, url):
    response = create(room_with_everyone.client("owner"), room_with_everyone.room, url=url)

    assert response.status_code == 201
    assert response.json()["url"] == url


def test_malformed_bodies_are_400_with_field_codes(room_with_everyone):
    owner = room_with_everyone.client("owner")
    room = room_with_everyone.room

    missing = owner.post(hooks_url(room), {"url": PUBLIC_URL}, format="json")
    unknown = create(owner, room, secret="mine")
    not_a_list = create(owner, room, events="message.created")

    assert missing.json()["fields"]["events"][0]["code"] == "required"
    assert unknown.json()["fields"]["secret"][0]["code"] == "unknown_field"
    assert not_a_list.json()["fields"]["events"][0]["code"] == "not_a_list"
    assert {missing.status_code, unknown.status_code, not_a_list.status_code} == {400}


def test_private_addresses_are_allowed_when_the_setting_says_so(room_with_everyone, settings):
    settings.COLLAB_WEBHOOKS_ALLOW_PRIVATE = True

    response = create(
        room_with_everyone.client("owner"), room_with_everyone.room, url="http://127.0.0.1:9/x"
    )

    assert response.status_code == 201


def test_update_checks_like_create_and_delete_removes_the_hook(room_with_everyone):
    owner = room_with_everyone.client("owner")
    room = room_with_everyone.room
    hook = create(owner, room).json()
    url = f"{hooks_url(room)}/{hook['id']}"

    bad = owner.patch(url, {"events": ["nope"]}, format="json")
    good = owner.patch(url, {"events": ["document.updated"], "is_active": False}, format="json")

    assert (bad.status_code, bad.json()["code"]) == (400, "unknown_event")
    assert good.status_code == 200
    assert (good.json()["events"], good.json()["is_active"]) == (["document.updated"], False)
    assert good.json()["disabled_at"] is not None
    assert owner.delete(url).status_code == 204
    assert owner.get(url).json()["code"] == "webhook_not_found"
    assert owner.get(f"{hooks_url(room)}/not-a-uuid").status_code == 404


def test_deliveries_are_listed_with_their_attempts(room_with_everyone):
    owner = room_with_everyone.client("owner")
    room = room_with_everyone.room
    hook = create(owner, room).json()
    message, _ = message_send(actor=room_with_everyone.users["owner"], room_id=room.pk, body="x")
    delivery = WebhookDelivery.objects.get(webhook_id=hook["id"])
    delivery_record(delivery, Outcome(status_code=500, error="HTTP 500", duration_ms=7))

    page = owner.get(f"{hooks_url(room)}/{hook['id']}/deliveries").json()

    (listed,) = page["results"]
    assert listed["id"] == str(delivery.pk)
    assert listed["event"] == "message.created"
    assert listed["payload"]["data"]["message"]["id"] == message.pk
    assert listed["attempts"] == [
        {
            "number": 1,
            "status_code": 500,
            "error": "HTTP 500",
            "duration_ms": 7,
            "created_at": listed["attempts"][0]["created_at"],
        }
    ]


def test_enabling_a_disabled_hook_clears_its_failures(room_with_everyone):
    owner = room_with_everyone.client("owner")
    room = room_with_everyone.room
    hook_id = create(owner, room).json()["id"]
    Webhook.objects.filter(pk=hook_id).update(is_active=False, consecutive_failures=25)

    response = owner.post(f"{hooks_url(room)}/{hook_id}/enable")

    assert response.status_code == 200
    assert (response.json()["is_active"], response.json()["consecutive_failures"]) == (True, 0)
    assert response.json()["disabled_at"] is None


# --- incoming webhooks -------------------------------------------------------------------------


def incoming(room) -> str:
    return f"/api/v1/rooms/{room.pk}/incoming-webhooks"


def test_an_incoming_hook_posts_as_its_bot_member(room_with_everyone, api):
    owner = room_with_everyone.client("owner")
    room = room_with_everyone.room

    created = owner.post(incoming(room), {"name": "CI"}, format="json")

    assert created.status_code == 201
    body = created.json()
    assert body["url"] == f"http://testserver/api/v1/hooks/incoming/{body['token']}"
    assert "token" not in owner.get(incoming(room)).json()["results"][0]
    posted = api.post(body["url"], {"text": "Build **green**"}, format="json")
    assert posted.status_code == 201
    message = Message.objects.get(pk=posted.json()["id"])
    assert message.body == "Build **green**"
    assert message.author.profile.name == "CI"
    assert posted.json()["author"]["display_name"] == "CI"
    assert Membership.objects.get(room=room, user=message.author).role == Role.COMMENTER
    assert not message.author.has_usable_password()


def test_an_incoming_post_with_a_client_id_is_stored_once(room_with_everyone, api):
    owner = room_with_everyone.client("owner")
    url = owner.post(incoming(room_with_everyone.room), {"name": "CI"}, format="json").json()["url"]

    first = api.post(url, {"body": "once", "client_id": "run-7"}, format="json")
    again = api.post(url, {"body": "once", "client_id": "run-7"}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({}, "body", "required"),
        ({"body": "a", "text": "b"}, "text", "body_and_text"),
        ({"body": "hi", "username": "root"}, "username", "unknown_field"),
        ({"body": 5}, None, None),
    ],
)
def test_bad_incoming_bodies_are_400(room_with_everyone, api, body, field, code):
    owner = room_with_everyone.client("owner")
    url = owner.post(incoming(room_with_everyone.room), {"name": "CI"}, format="json").json()["url"]

    response = api.post(url, body, format="json")

    if field is None:  # a number is taken as its text by DRF's CharField
        assert response.status_code == 201
        return
    assert response.status_code == 400
    assert response.json()["fields"][field][0]["code"] == code


def test_a_blank_or_overlong_incoming_message_is_refused(room_with_everyone, api, settings):
    settings.COLLAB_MESSAGE_MAX_LENGTH = 10
    owner = room_with_everyone.client("owner")
    url = owner.post(incoming(room_with_everyone.room), {"name": "CI"}, format="json").json()["url"]

    blank = api.post(url, {"body": "   "}, format="json")
    long = api.post(url, {"body": "x" * 11}, format="json")
    not_json = api.post(url, "body=hi", content_type="application/x-www-form-urlencoded")

    assert (blank.status_code, blank.json()["code"]) == (400, "blank")
    assert (long.status_code, long.json()["code"]) == (400, "max_length")
    assert not_json.status_code == 415


def test_unknown_or_deleted_tokens_are_404(room_with_everyone, api):
    owner = room_with_everyone.client("owner")
    room = room_with_everyone.room
    created = owner.post(incoming(room), {"name": "CI"}, format="json").json()

    unknown = api.post("/api/v1/hooks/incoming/nope", {"body": "hi"}, format="json")
    assert owner.delete(f"{incoming(room)}/{created['id']}").status_code == 204
    deleted = api.post(created["url"], {"body": "hi"}, format="json")

    for response in (unknown, deleted):
        assert (response.status_code, response.json()["code"]) == (
            404,
            "incoming_webhook_not_found",
        )
    assert not IncomingWebhook.objects.exists()
    assert not Membership.objects.filter(room=room, user__username__startswith="hook-").exists()


def test_incoming_posts_are_rate_limited_like_chat(room_with_everyone, api, settings):
    settings.COLLAB_MESSAGE_BURST = 2
    settings.COLLAB_MESSAGE_RATE_PER_SECOND = 1
    owner = room_with_everyone.client("owner")
    url = owner.post(incoming(room_with_everyone.room), {"name": "CI"}, format="json").json()["url"]

    statuses = [api.post(url, {"body": f"m{n}"}, format="json").status_code for n in range(3)]

    assert statuses == [201, 201, 429]


def test_only_owners_manage_incoming_hooks(room_with_everyone):
    editor = room_with_everyone.client("editor")

    response = editor.post(incoming(room_with_everyone.room), {"name": "CI"}, format="json")

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_patch_can_move_and_re_enable_a_hook_at_once(room_with_everyone):
    owner = room_with_everyone.client("owner")
    room = room_with_everyone.room
    hook_id = create(owner, room).json()["id"]
    Webhook.objects.filter(pk=hook_id).update(is_active=False, consecutive_failures=25)
    moved = "https://93.184.216.35/elsewhere"

    response = owner.patch(
        f"{hooks_url(room)}/{hook_id}", {"url": moved, "is_active": True}, format="json"
    )

    assert response.status_code == 200
    hook = Webhook.objects.get(pk=hook_id)
    assert (hook.url, hook.is_active, hook.consecutive_failures) == (moved, True, 0)
