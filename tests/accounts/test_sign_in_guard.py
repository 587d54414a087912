"""The one guard on every sign-in path (the site's form, the token endpoint, the admin):
failures count per account and client address, so a stranger's guesses pause only the
stranger's address; 429 with Retry-After; the cool-off is a setting."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from rest_framework.test import APIClient

from collab.asgi import application
from tests.factories import PASSWORD, UserFactory

STRANGER = "10.0.0.66"
OWNER = "10.0.0.7"
TOKEN_URL = "/api/v1/auth/token"


def token_sign_in(password: str, address: str, **headers: str):
    return APIClient().post(
        TOKEN_URL,
        {"username": "ada", "password": password},
        format="json",
        REMOTE_ADDR=address,
        **headers,
    )


def page_sign_in(client, password: str, address: str, path: str = "/accounts/login/"):
    return client.post(path, {"username": "ada", "password": password}, REMOTE_ADDR=address)


def test_a_strangers_failures_refuse_the_stranger_429_but_not_the_owner_elsewhere(db):
    UserFactory(username="ada")
    answers = [token_sign_in("guess", STRANGER) for _ in range(settings.LOGIN_FAILURE_LIMIT)]

    assert [answer.status_code for answer in answers] == [400] * (
        settings.LOGIN_FAILURE_LIMIT - 1
    ) + [429]
    refused = token_sign_in(PASSWORD, STRANGER)
    assert refused.status_code == 429
    assert refused.json() == {
        "detail": "Too many failed sign-ins for this account from your address. "
        "Try again in 15 minutes.",
        "code": "too_many_attempts",
    }
    assert refused["Retry-After"] == str(settings.LOGIN_FAILURE_WINDOW_SECONDS)
    assert token_sign_in(PASSWORD, OWNER).status_code == 201


def test_the_sign_in_page_pauses_only_the_strangers_address_and_says_why(client, db):
    ada = UserFactory(username="ada")
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert page_sign_in(client, "guess", STRANGER).status_code == 200

    locked = page_sign_in(client, "guess", STRANGER)
    again = page_sign_in(client, PASSWORD, STRANGER)

    for response in (locked, again):
        assert response.status_code == 429
        assert response["Retry-After"] == str(settings.LOGIN_FAILURE_WINDOW_SECONDS)
        assert "Too many failed sign-ins for this account from your address" in (
            response.content.decode()
        )
    assert client.session.get(SESSION_KEY) is None
    owner = page_sign_in(client, PASSWORD, OWNER)
    assert owner.status_code == 302
    assert int(client.session[SESSION_KEY]) == ada.pk


def test_the_admin_login_is_guarded_too(client, db):
    UserFactory(username="ada", is_staff=True, is_superuser=True)
    for _ in range(8):
        page_sign_in(client, "guess", STRANGER, path="/admin/login/")

    response = page_sign_in(client, PASSWORD, STRANGER, path="/admin/login/")

    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.LOGIN_FAILURE_WINDOW_SECONDS)
    assert client.session.get(SESSION_KEY) is None
    assert page_sign_in(client, PASSWORD, OWNER, path="/admin/login/").status_code == 302


def test_a_forwarded_for_header_cannot_choose_the_address_failures_count_under(db):
    # Without --proxy-headers Daphne leaves X-Forwarded-For alone, and so does the guard: a
    # stranger claiming the owner's address still fails under their own.
    UserFactory(username="ada")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        token_sign_in("guess", STRANGER, HTTP_X_FORWARDED_FOR=OWNER)

    assert token_sign_in(PASSWORD, OWNER).status_code == 201
    assert token_sign_in(PASSWORD, STRANGER, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_the_cool_off_is_the_window_setting(db, settings):
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 60
    UserFactory(username="ada")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        token_sign_in("guess", STRANGER)
    refused = token_sign_in(PASSWORD, STRANGER)
    assert (refused.status_code, refused["Retry-After"]) == (429, "60")
    assert "Try again in 60 seconds." in refused.json()["detail"]

    # The failures as if made 61 seconds ago: the pause is over.
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - timedelta(seconds=61)
        )

    assert token_sign_in(PASSWORD, STRANGER).status_code == 201


async def asgi_token_sign_in(password: str, address: str) -> tuple[int, dict[str, str], dict]:
    """``POST /api/v1/auth/token`` through the project's ASGI application from ``address``."""
    body = json.dumps({"username": "ada", "password": password}).encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": TOKEN_URL,
        "raw_path": TOKEN_URL.encode(),
        "query_string": b"",
        "headers": [
            (b"host", b"localhost"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": (address, 40000),
        "server": ("localhost", 80),
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": body})
    start = await communicator.receive_output(5)
    content = await communicator.receive_output(5)
    await communicator.wait(5)
    headers = {key.decode(): value.decode() for key, value in start["headers"]}
    return start["status"], headers, json.loads(content["body"])


@pytest.mark.django_db(transaction=True)
async def test_the_token_endpoint_is_guarded_on_the_async_stack_too():
    # Daphne runs the middleware chain asynchronously, where axes calls the lockout answer
    # with its arguments in another order.
    await sync_to_async(UserFactory)(username="ada")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        await asgi_token_sign_in("guess", STRANGER)

    status, headers, body = await asgi_token_sign_in(PASSWORD, STRANGER)

    assert (status, body["code"]) == (429, "too_many_attempts")
    assert headers["Retry-After"] == str(settings.LOGIN_FAILURE_WINDOW_SECONDS)
    assert (await asgi_token_sign_in(PASSWORD, OWNER))[0] == 201
