"""Sign-up email verification (``COLLAB_SIGNUP_VERIFY_EMAIL``): off, sign-up signs people in
at once; on, the account stays inactive until the emailed link is followed, and every way in
says so clearly. Mail goes through Django's in-process locmem backend (``mail.outbox``)."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from rooms.accounts.verification import EMAIL_NOT_VERIFIED, verification_token
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-long-passphrase"
LINK = re.compile(r"http://localhost:8000(/accounts/verify-email/[^/\s]+/)")
TTL = 3600


@pytest.fixture
def verify_email(settings):
    settings.COLLAB_SIGNUP_VERIFY_EMAIL = True
    settings.COLLAB_SIGNUP_VERIFY_EMAIL_TTL_SECONDS = TTL
    settings.COLLAB_PUBLIC_URL = "http://localhost:8000"


def sign_up(client: Client, captured, username: str = "newcomer"):
    with captured(execute=True):
        return client.post(
            reverse("signup"),
            {"username": username, "email": f"{username}@example.com", "password": NEW_PASSWORD},
        )


def link_in(message: mail.EmailMessage) -> str:
    [path] = LINK.findall(message.body)
    return path


def token_sign_in(username: str, password: str = NEW_PASSWORD):
    return APIClient().post(
        "/api/v1/auth/token", {"username": username, "password": password}, format="json"
    )


def test_off_by_default_sign_up_signs_in_at_once_and_sends_no_email(
    client, django_capture_on_commit_callbacks
) -> None:
    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response["Location"] == reverse("room-list")
    assert get_user_model().objects.get(username="newcomer").is_active
    assert SESSION_KEY in client.session
    assert mail.outbox == []


def test_sign_up_holds_the_account_and_emails_one_confirmation_link(
    client, verify_email, django_capture_on_commit_callbacks
) -> None:
    page = client.get(reverse("signup"))
    assert "We email you a link to confirm your address" in page.content.decode()

    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("verify-email-sent")
    user = get_user_model().objects.get(username="newcomer")
    assert user.is_active is False
    assert user.profile.email_verification_pending is True
    assert SESSION_KEY not in client.session
    [message] = mail.outbox
    assert message.to == ["newcomer@example.com"]
    assert message.subject == "Confirm your email address for Collab"
    assert "open this link within 1 hour:" in message.body
    link_in(message)
    sent = client.get(response["Location"])
    assert sent.status_code == 200
    assert "We sent a link to confirm your email address. Follow it within 1 hour" in (
        sent.content.decode()
    )


def test_an_unconfirmed_account_cannot_sign_in_and_is_told_why(
    client, verify_email, django_capture_on_commit_callbacks
) -> None:
    sign_up(client, django_capture_on_commit_callbacks)

    page = client.post(reverse("login"), {"username": "newcomer", "password": NEW_PASSWORD})
    wrong = client.post(reverse("login"), {"username": "newcomer", "password": "not-it-at-all"})

    assert page.status_code == 200
    assert page.context["form"].non_field_errors() == [EMAIL_NOT_VERIFIED]
    assert reverse("verify-email-resend") in page.content.decode()
    assert SESSION_KEY not in client.session
    assert EMAIL_NOT_VERIFIED not in wrong.content.decode()  # says nothing without the password
    assert reverse("verify-email-resend") not in wrong.content.decode()


def test_the_token_endpoint_refuses_an_unconfirmed_account_with_a_clear_error(
    client, verify_email, django_capture_on_commit_callbacks
) -> None:
    sign_up(client, django_capture_on_commit_callbacks)

    refused = token_sign_in("newcomer")
    wrong = token_sign_in("newcomer", "not-it-at-all")

    assert refused.status_code == 403
    assert refused.json() == {"detail": EMAIL_NOT_VERIFIED, "code": "email_not_verified"}
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "invalid_credentials"


def test_following_the_link_asks_for_a_click_then_activates_and_signs_in(
    client, verify_email, django_capture_on_commit_callbacks
) -> None:
    sign_up(client, django_capture_on_commit_callbacks)
    path = link_in(mail.outbox[0])

    page = client.get(path)  # what a mail scanner opening the link does: nothing changes
    assert page.status_code == 200
    assert "newcomer@example.com" in page.content.decode()
    assert get_user_model().objects.get(username="newcomer").is_active is False

    confirmed = client.post(path)

    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("room-list")
    user = get_user_model().objects.get(username="newcomer")
    assert user.is_active is True
    assert user.profile.email_verification_pending is False
    assert int(client.session[SESSION_KEY]) == user.pk
    assert token_sign_in("newcomer").status_code == 201
    again = Client().post(path)
    assert again.status_code == 400
    assert "or its account is confirmed already" in again.content.decode()


def test_an_expired_or_tampered_link_says_so_with_400_and_activates_nothing(
    client, verify_email, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    sign_up(client, django_capture_on_commit_callbacks)
    user = get_user_model().objects.get(username="newcomer")
    with monkeypatch.context() as past:
        made_at = int(time.time()) - TTL - 60
        past.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(made_at))
        expired = verification_token(user)
    valid = verification_token(user)
    user.email = "someone-else@example.com"
    user.save(update_fields=["email"])

    for token, words in [
        (expired, "This confirmation link has expired."),
        (valid[:-2] + ("AA" if not valid.endswith("AA") else "BB"), "is not valid"),
        (valid, "is not valid"),  # made for the address the account no longer has
    ]:
        for method in (client.get, client.post):
            response = method(reverse("verify-email", kwargs={"token": token}))
            assert response.status_code == 400
            assert words in response.content.decode()
            assert reverse("verify-email-resend") in response.content.decode()
    assert get_user_model().objects.get(username="newcomer").is_active is False


def test_a_new_link_is_sent_only_to_an_account_waiting_and_the_page_says_the_same(
    client, verify_email, django_capture_on_commit_callbacks
) -> None:
    sign_up(client, django_capture_on_commit_callbacks)
    UserFactory(username="active", email="active@example.com")
    mail.outbox.clear()

    for email in ("NEWCOMER@example.com", "active@example.com", "nobody@example.com"):
        response = client.post(reverse("verify-email-resend"), {"email": email})
        assert response["Location"] == reverse("verify-email-sent")

    [message] = mail.outbox
    assert message.to == ["newcomer@example.com"]
    assert client.post(link_in(message)).status_code == 302


def test_asking_for_links_too_often_from_one_address_is_429(settings, verify_email) -> None:
    settings.COLLAB_PASSWORD_RESET_LIMIT = 1
    client = Client(REMOTE_ADDR="203.0.113.7")

    client.post(reverse("verify-email-resend"), {"email": "a@example.com"})
    refused = client.post(reverse("verify-email-resend"), {"email": "b@example.com"})

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(settings.COLLAB_PASSWORD_RESET_WINDOW_SECONDS)
    assert "Too many confirmation emails" in refused.content.decode()


def test_a_deactivated_account_is_not_told_about_confirmation(client, verify_email) -> None:
    UserFactory(username="gone", is_active=False)

    page = client.post(reverse("login"), {"username": "gone", "password": PASSWORD})
    token = token_sign_in("gone", PASSWORD)

    assert EMAIL_NOT_VERIFIED not in page.content.decode()
    assert token.status_code == 400
    assert token.json()["code"] == "invalid_credentials"
