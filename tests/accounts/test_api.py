"""Token sign-in, bearer authentication, the current user and personal tokens."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from rooms.accounts.models import ApiToken
from tests.factories import PASSWORD, UserFactory


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_auth_token_exchanges_credentials_for_a_working_token(db):
    user = UserFactory(username="ada")
    response = APIClient().post(
        "/api/v1/auth/token", {"username": "ada", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 201
    raw = response.json()["token"]
    me = bearer(raw).get("/api/v1/users/me")
    assert (me.status_code, me.json()["username"]) == (200, "ada")
    stored = ApiToken.objects.get(user=user)
    assert raw not in (stored.digest, stored.prefix) and raw.startswith(stored.prefix)
    assert stored.last_used_at is not None


def test_wrong_password_is_400_invalid_credentials(db):
    UserFactory(username="ada")
    response = APIClient().post(
        "/api/v1/auth/token", {"username": "ada", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert not ApiToken.objects.exists()


def test_repeated_failures_lock_the_username_out_with_429(db, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(username="ada")
    client = APIClient()
    for _ in range(3):
        client.post("/api/v1/auth/token", {"username": "ada", "password": "x"}, format="json")
    response = client.post(
        "/api/v1/auth/token", {"username": "ADA", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_attempts"
    assert response["Retry-After"] == str(settings.LOGIN_FAILURE_WINDOW_SECONDS)


def test_a_success_clears_earlier_failures(db, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(username="ada")
    client = APIClient()
    for _ in range(2):
        client.post("/api/v1/auth/token", {"username": "ada", "password": "x"}, format="json")
    ok = client.post("/api/v1/auth/token", {"username": "ada", "password": PASSWORD}, format="json")
    assert ok.status_code == 201
    for _ in range(2):
        client.post("/api/v1/auth/token", {"username": "ada", "password": "x"}, format="json")
    again = client.post(
        "/api/v1/auth/token", {"username": "ada", "password": PASSWORD}, format="json"
    )
    assert again.status_code == 201


def test_revoked_token_is_refused_with_401(db):
    user = UserFactory()
    created = bearer_client_with_new_token(user)
    client, token_id = created
    assert client.delete(f"/api/v1/tokens/{token_id}").status_code == 204
    response = client.get("/api/v1/users/me")
    assert (response.status_code, response.json()["code"]) == (401, "bad_token")


def bearer_client_with_new_token(user):
    session = APIClient()
    session.force_authenticate(user)
    created = session.post("/api/v1/tokens", {"name": "laptop"}, format="json").json()
    return bearer(created["token"]), created["id"]


def test_token_list_never_shows_secrets(db):
    user = UserFactory()
    client, _ = bearer_client_with_new_token(user)
    listed = client.get("/api/v1/tokens").json()["results"]
    assert [sorted(token) for token in listed] == [
        ["created_at", "expires_at", "id", "last_used_at", "name", "prefix", "rooms", "scope"]
    ]


def test_malformed_bearer_header_is_401(db):
    response = bearer("two words").get("/api/v1/users/me")
    assert (response.status_code, response.json()["code"]) == (401, "bad_token")


def test_token_of_a_deactivated_user_is_refused(db):
    user = UserFactory()
    client, _ = bearer_client_with_new_token(user)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/users/me").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(db):
    user = UserFactory()
    client, token_id = bearer_client_with_new_token(user)
    client.get("/api/v1/users/me")
    first = ApiToken.objects.get(pk=token_id).last_used_at
    client.get("/api/v1/users/me")
    assert ApiToken.objects.get(pk=token_id).last_used_at == first
    ApiToken.objects.filter(pk=token_id).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/v1/users/me")
    assert ApiToken.objects.get(pk=token_id).last_used_at > first - timedelta(minutes=1)
    assert ApiToken.objects.get(pk=token_id).last_used_at <= timezone.now()


def test_profile_update_changes_name_and_colour(db):
    client = APIClient()
    client.force_authenticate(UserFactory(username="ada"))
    response = client.patch(
        "/api/v1/users/me", {"display_name": "Ada L.", "color": "#123abc"}, format="json"
    )
    assert response.json()["display_name"] == "Ada L."
    assert response.json()["color"] == "#123abc"


def test_invalid_colour_is_400(db):
    client = APIClient()
    client.force_authenticate(UserFactory())
    response = client.patch("/api/v1/users/me", {"color": "red"}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["color"][0]["code"] == "invalid"


def test_every_new_user_gets_a_profile_with_a_colour(db):
    user = UserFactory()
    assert user.profile.color.startswith("#") and len(user.profile.color) == 7


def test_a_new_password_revokes_every_api_token_of_the_account(db):
    # set_password and save: what the admin's form and manage.py changepassword do.
    user = UserFactory()
    laptop, _ = bearer_client_with_new_token(user)
    script, _ = bearer_client_with_new_token(user)
    someone_else, _ = bearer_client_with_new_token(UserFactory())

    user.set_password("another-long-passphrase")
    user.save()

    for client in (laptop, script):
        response = client.get("/api/v1/users/me")
        assert (response.status_code, response.json()["code"]) == (401, "bad_token")
    assert someone_else.get("/api/v1/users/me").status_code == 200
    assert not ApiToken.objects.filter(user=user, revoked_at=None).exists()
    fresh = APIClient().post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "another-long-passphrase"},
        format="json",
    )
    assert bearer(fresh.json()["token"]).get("/api/v1/users/me").status_code == 200
