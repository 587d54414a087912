"""Server-rendered pages: accounts, the profile with API tokens, rooms and invites."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from rooms.accounts.models import ApiToken, TokenScope
from rooms.accounts.services import api_token_authenticate, api_token_create
from rooms.membership.models import Membership, Role, Room
from rooms.membership.services.invites import invite_create
from rooms.membership.services.rooms import room_create
from tests.factories import PASSWORD, MembershipFactory, RoomFactory, UserFactory

NEW_PASSWORD = "a-brand-new-long-passphrase"
RESET_LINK = re.compile(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)")
WRONG_LOGIN = (
    "Please enter a correct username and password. Note that both fields may be case-sensitive."
)


def sign_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in_user_id(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", email="alice@example.com")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def test_sign_up_creates_the_user_signs_them_in_and_redirects_to_the_room_list(client, db):
    response = client.post(
        reverse("signup"),
        {"username": "newcomer", "email": "newcomer@example.com", "password": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("room-list")
    user = get_user_model().objects.get(username="newcomer")
    assert user.email == "newcomer@example.com"
    assert user.check_password(NEW_PASSWORD) is True
    assert signed_in_user_id(client) == user.pk


def test_sign_up_with_a_taken_username_shows_the_error_and_creates_no_user(client, alice):
    response = client.post(
        reverse("signup"),
        {"username": "Alice", "email": "other@example.com", "password": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"username": ["That username is taken."]}
    assert "That username is taken." in response.content.decode()
    assert get_user_model().objects.filter(username__iexact="alice").count() == 1
    assert signed_in_user_id(client) is None


def sign_up(address: str, username: str):
    return Client(REMOTE_ADDR=address).post(
        reverse("signup"),
        {"username": username, "email": f"{username}@example.com", "password": NEW_PASSWORD},
    )


def test_sign_ups_are_counted_per_address_with_a_429_past_the_limit(db, settings):
    settings.COLLAB_SIGNUP_LIMIT = 2
    settings.COLLAB_SIGNUP_WINDOW_SECONDS = 600

    answers = [sign_up("10.0.0.66", f"bot{n}") for n in range(3)]

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert answers[2]["Retry-After"] == "600"
    assert "Too many sign-ups from your address. Try again later." in answers[2].content.decode()
    assert not get_user_model().objects.filter(username="bot2").exists()
    assert sign_up("10.0.0.7", "neighbour").status_code == 302


def test_closed_sign_up_says_so_on_the_page_and_creates_no_user(client, db, settings):
    settings.COLLAB_SIGNUP_OPEN = False

    page = client.get(reverse("signup"))
    posted = sign_up("10.0.0.7", "newcomer")

    for response in (page, posted):
        assert response.status_code == 403
        assert "Sign-up is closed on this server" in response.content.decode()
    assert not get_user_model().objects.filter(username="newcomer").exists()
    sign_in_page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("signup")}"' not in sign_in_page
    settings.COLLAB_SIGNUP_OPEN = True
    assert f'href="{reverse("signup")}"' in client.get(reverse("login")).content.decode()


def test_sign_in_with_the_right_password_redirects_to_the_room_list(client, alice):
    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("room-list")
    assert signed_in_user_id(client) == alice.pk


def test_sign_in_with_a_wrong_password_shows_an_error(client, alice):
    response = sign_in(client, "alice", "not-the-password")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [WRONG_LOGIN]
    assert signed_in_user_id(client) is None


def test_after_the_failure_limit_even_the_right_password_is_refused(client, alice):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert sign_in(client, "alice", "not-the-password").status_code == 200
    assert sign_in(client, "alice", "not-the-password").status_code == 429

    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.LOGIN_FAILURE_WINDOW_SECONDS)
    assert (
        "Too many failed sign-ins for this account from your address. Try again in 15 minutes."
        in response.content.decode()
    )
    assert signed_in_user_id(client) is None


def test_one_failure_fewer_than_the_limit_still_lets_the_right_password_in(client, alice):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        sign_in(client, "alice", "not-the-password")

    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(client) == alice.pk


def test_sign_out_is_a_post_that_ends_the_session(alice_client):
    assert alice_client.get(reverse("logout")).status_code == 405
    assert signed_in_user_id(alice_client) is not None

    response = alice_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert signed_in_user_id(alice_client) is None
    assert alice_client.get(reverse("profile")).status_code == 302


def test_password_change_replaces_the_password(alice_client, alice):
    response = alice_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD) is True
    assert alice.check_password(PASSWORD) is False
    assert signed_in_user_id(alice_client) == alice.pk


def test_changing_the_password_on_its_page_revokes_the_api_tokens_and_says_so(alice_client, alice):
    _, raw = api_token_create(user=alice, name="laptop")
    form = alice_client.get(reverse("password_change")).content.decode()
    assert "revokes your API tokens" in form

    done = alice_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert api_token_authenticate(raw=raw) is None
    assert "your API tokens revoked" in done.content.decode()
    rest = APIClient(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/users/me")
    assert rest.status_code == 401


def test_a_password_reset_revokes_the_api_tokens_and_says_so(client, alice, mailoutbox):
    _, raw = api_token_create(user=alice, name="laptop")
    client.post(reverse("password_reset"), {"email": "alice@example.com"})
    form_page = client.get(RESET_LINK.findall(mailoutbox[0].body)[0], follow=True)

    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert api_token_authenticate(raw=raw) is None
    assert "its API tokens revoked" in done.content.decode()
    rest = APIClient(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/users/me")
    assert rest.status_code == 401


def test_password_reset_emails_one_link_that_sets_a_new_password(client, alice, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.com"]
    links = RESET_LINK.findall(mailoutbox[0].body)
    assert len(links) == 1

    form_page = client.get(links[0], follow=True)
    assert form_page.context["validlink"] is True
    set_password = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert set_password.status_code == 302
    assert set_password["Location"] == reverse("password_reset_complete")
    assert sign_in(client, "alice", NEW_PASSWORD).status_code == 302
    assert signed_in_user_id(client) == alice.pk


def test_password_reset_requests_are_counted_per_address_with_a_429_past_the_limit(
    alice, mailoutbox, settings
):
    settings.COLLAB_PASSWORD_RESET_LIMIT = 2
    settings.COLLAB_PASSWORD_RESET_WINDOW_SECONDS = 600
    stranger = Client(REMOTE_ADDR="10.0.0.66")

    answers = [
        stranger.post(reverse("password_reset"), {"email": "alice@example.com"}) for _ in range(3)
    ]

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert answers[2]["Retry-After"] == "600"
    assert "Too many password-reset requests from your address" in answers[2].content.decode()
    assert len(mailoutbox) == 2
    owner = Client(REMOTE_ADDR="10.0.0.7")
    assert owner.post(reverse("password_reset"), {"email": "alice@example.com"}).status_code == 302
    assert len(mailoutbox) == 3


def test_password_reset_link_works_only_once(client, alice, mailoutbox):
    client.post(reverse("password_reset"), {"email": "alice@example.com"})
    link = RESET_LINK.findall(mailoutbox[0].body)[0]
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    again = client.get(link, follow=True)

    assert again.context["validlink"] is False


def test_profile_page_saves_display_name_and_colour(alice_client, alice):
    response = alice_client.post(
        reverse("profile"), {"display_name": "  Alice Liddell ", "color": "#1a2b3c"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    alice.profile.refresh_from_db()
    assert (alice.profile.display_name, alice.profile.color) == ("Alice Liddell", "#1a2b3c")
    page = alice_client.get(reverse("profile")).content.decode()
    assert '<strong class="person-name" data-color="#1a2b3c">Alice Liddell</strong>' in page


def test_profile_page_refuses_a_colour_that_is_not_hex(alice_client, alice):
    before = alice.profile.color

    response = alice_client.post(reverse("profile"), {"display_name": "A", "color": "red"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["color"]
    alice.profile.refresh_from_db()
    assert (alice.profile.display_name, alice.profile.color) == ("", before)


def test_created_api_token_is_shown_once_and_works(alice_client, alice):
    response = alice_client.post(reverse("token-create"), {"name": "laptop"}, follow=True)

    page = response.content.decode()
    shown = re.findall(r"it is not shown again\): (collab_[\w-]+)", page)
    assert len(shown) == 1
    assert api_token_authenticate(raw=shown[0]).user == alice
    assert list(alice.api_tokens.values_list("name", flat=True)) == ["laptop"]
    assert shown[0] not in alice_client.get(reverse("profile")).content.decode()


def test_revoke_button_revokes_the_token(alice_client, alice):
    token, raw = api_token_create(user=alice, name="laptop")
    page = alice_client.get(reverse("profile")).content.decode()
    revoke_url = reverse("token-revoke", args=[token.pk])
    assert f'action="{revoke_url}"' in page

    response = alice_client.post(revoke_url, follow=True)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_authenticate(raw=raw) is None
    assert "Token revoked." in response.content.decode()
    assert f'action="{revoke_url}"' not in response.content.decode()


def test_revoking_someone_elses_token_changes_nothing(alice_client):
    token, _ = api_token_create(user=UserFactory(), name="theirs")

    response = alice_client.post(reverse("token-revoke", args=[token.pk]), follow=True)

    assert "No such token." in response.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_room_list_shows_my_rooms_and_public_rooms_but_not_others_private_rooms(
    alice_client, alice
):
    stranger = UserFactory()
    room_create(actor=alice, name="Alice's private room")
    room_create(actor=stranger, name="Open lobby", is_public=True)
    room_create(actor=stranger, name="Stranger's secret room")

    response = alice_client.get(reverse("room-list"))

    assert response.status_code == 200
    assert [room.name for room in response.context["my_rooms"]] == ["Alice's private room"]
    assert [room.name for room in response.context["public_rooms"]] == ["Open lobby"]
    assert "Stranger&#x27;s secret room" not in response.content.decode()


def test_creating_a_room_on_the_room_list_redirects_to_its_page(alice_client, alice):
    response = alice_client.post(
        reverse("room-list"), {"name": "Book club", "description": "Monthly", "is_public": "on"}
    )

    room = Room.objects.get(name="Book club")
    assert response.status_code == 302
    assert response["Location"] == reverse("room-detail", args=[room.pk])
    assert (room.description, room.is_public) == ("Monthly", True)
    assert Membership.objects.get(room=room).role == Role.OWNER
    assert Membership.objects.get(room=room).user == alice
    page = alice_client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["role"] == Role.OWNER


def test_private_room_page_is_not_found_for_an_outsider(alice_client):
    room = room_create(actor=UserFactory(), name="Board meeting")

    response = alice_client.get(reverse("room-detail", args=[room.pk]))

    assert response.status_code == 404


def test_public_room_page_offers_an_outsider_to_join(alice_client):
    room = room_create(actor=UserFactory(), name="Open lobby", is_public=True)

    response = alice_client.get(reverse("room-detail", args=[room.pk]))

    assert response.status_code == 200
    assert response.context["role"] is None
    assert reverse("room-join-page", args=[room.pk]) in response.content.decode()


def test_accepting_an_invite_page_makes_the_user_a_member(alice_client, alice):
    owner = UserFactory()
    room = room_create(actor=owner, name="Board meeting")
    invite = invite_create(actor=owner, room_id=room.pk, role=Role.COMMENTER)
    url = reverse("invite", args=[invite.token])
    assert "Join Board meeting" in alice_client.get(url).content.decode()

    response = alice_client.post(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("room-detail", args=[room.pk])
    assert Membership.objects.get(room=room, user=alice).role == Role.COMMENTER
    invite.refresh_from_db()
    assert invite.use_count == 1
    assert alice_client.get(response["Location"]).status_code == 200


def test_pages_redirect_an_anonymous_visitor_to_sign_in(client, db):
    response = client.get(reverse("room-list"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_a_token_made_on_the_profile_page_keeps_its_expiry_scope_and_rooms(alice_client, alice):
    kept, other = RoomFactory(name="Kept"), RoomFactory(name="Other")
    MembershipFactory(room=kept, user=alice)
    MembershipFactory(room=other, user=alice)
    form = {"name": "ci", "expires_on": "2099-03-04", "scope": "read_only", "rooms": [kept.pk]}

    alice_client.post(reverse("token-create"), form, follow=True)

    token = alice.api_tokens.get(name="ci")
    assert (token.scope, token.room_ids) == ("read_only", [str(kept.pk)])
    assert timezone.localtime(token.expires_at).isoformat().startswith("2099-03-05T00:00:00")
    page = alice_client.get(reverse("profile")).content.decode()
    row = page[page.index("<td>ci</td>") :].split("</tr>")[0]
    assert ["2099-03-05 00:00", "Read only", "Kept", "never"] == re.findall(
        r"<td>([^<]+)</td>", row
    )[2:]


def test_a_room_that_is_not_yours_cannot_limit_a_token(alice_client, alice):
    stranger = RoomFactory()

    alice_client.post(reverse("token-create"), {"name": "x", "rooms": [stranger.pk]})

    assert not alice.api_tokens.exists()


def test_the_admin_shows_a_tokens_expiry_scope_rooms_and_last_use(client, alice):
    room = RoomFactory()
    token, _ = api_token_create(
        user=alice,
        name="bot",
        expires_at=timezone.now() + timedelta(days=2),
        scope=TokenScope.READ_ONLY,
        room_ids=[room.pk],
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
    detail = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))

    for column in ("column-scope", "column-expires_at", "column-last_used_at"):
        assert column in listing
    shown = detail.content.decode()
    assert "Read only" in shown
    assert str(room.pk) in shown
