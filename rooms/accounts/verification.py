"""Sign-up email verification (``COLLAB_SIGNUP_VERIFY_EMAIL``): the accounts concept's writes
and reads for it.

While it is on, an account made by sign-up is inactive, with its profile's
``email_verification_pending`` set, until its owner follows the link emailed to them. Being
inactive is what keeps it out everywhere at once (the sign-in form, token sign-in, API tokens,
sockets); the pending flag tells it apart from an account an administrator deactivated, which
no link can reactivate and whose sign-in stays a plain "wrong username or password".

The link carries a token made with Django's signing (the account's id and address, signed with
``SECRET_KEY`` and timestamped): it expires after ``COLLAB_SIGNUP_VERIFY_EMAIL_TTL_SECONDS``,
stops working if the address changes, and confirms nothing once the account is confirmed.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.timesince import timesince

from rooms.accounts.request_throttle import throttle_hit
from rooms.core.errors import Invalid

logger = logging.getLogger(__name__)

_SALT = "collab.accounts.email-verification"
EMAIL_NOT_VERIFIED = (
    "Confirm your email address first: follow the link we sent to it, or ask for a new one."
)
LINK_EXPIRED = "This confirmation link has expired."
LINK_INVALID = "This confirmation link is not valid, or its account is confirmed already."


def link_lifetime() -> str:
    """How long a confirmation link works, in words ("3 days", "1 hour"), for the pages and
    the email."""
    start = datetime(2000, 1, 1, tzinfo=UTC)  # any moment: only the span is read
    end = start + timedelta(seconds=settings.COLLAB_SIGNUP_VERIFY_EMAIL_TTL_SECONDS)
    return timesince(start, end).replace("\xa0", " ")


def verification_token(user: User) -> str:
    """The token of the user's confirmation link, valid for the configured time."""
    return signing.dumps({"user": user.pk, "email": user.email}, salt=_SALT)


def verification_url(user: User) -> str:
    """The link the email carries, on the server's public address."""
    path = reverse("verify-email", kwargs={"token": verification_token(user)})
    return settings.COLLAB_PUBLIC_URL.rstrip("/") + path


def email_verification_send(*, user: User) -> None:
    """Email the user a confirmation link now. A mail server that refuses is logged, not
    raised: the account exists, and its owner can ask for the link again."""
    body = render_to_string(
        "accounts/email/verify_email.txt",
        {
            "user": user,
            "url": verification_url(user),
            "lifetime": link_lifetime(),
        },
    )
    try:
        send_mail("Confirm your email address for Collab", body, None, [user.email])
    except Exception:
        logger.exception("could not send the confirmation email to user %s", user.pk)


def email_verification_start(*, user: User) -> None:
    """Hold a just-created account until its address is confirmed: inactive, pending, and the
    link emailed once the transaction commits."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.profile.email_verification_pending = True
    user.profile.save(update_fields=["email_verification_pending"])
    transaction.on_commit(lambda: email_verification_send(user=user))


def _pending_user(token: str) -> User:
    try:
        claims = signing.loads(
            token, salt=_SALT, max_age=settings.COLLAB_SIGNUP_VERIFY_EMAIL_TTL_SECONDS
        )
    except signing.SignatureExpired as error:
        raise Invalid(LINK_EXPIRED, code="verification_link_expired") from error
    except signing.BadSignature as error:
        raise Invalid(LINK_INVALID, code="verification_link_invalid") from error
    user = (
        get_user_model()
        .objects.select_related("profile")
        .filter(pk=claims.get("user"), email=claims.get("email"))
        .first()
    )
    if user is None or not user.profile.email_verification_pending:
        raise Invalid(LINK_INVALID, code="verification_link_invalid")
    return user


def email_verification_check(*, token: str) -> User:
    """The account a confirmation link would activate. Raises ``Invalid``
    (``verification_link_expired``, ``verification_link_invalid``: tampered, for another
    address, or for an account no longer waiting)."""
    return _pending_user(token)


def email_verify(*, token: str) -> User:
    """Activate the account the link was made for; returns it. Raises what
    ``email_verification_check`` raises."""
    with transaction.atomic():
        user = _pending_user(token)
        email_verification_confirm(user=user)
    return user


def email_verification_confirm(*, user: User) -> None:
    """Activate an account waiting only for its address to be confirmed, and clear the flag.
    Its caller has proof of the address: the emailed link, or a provider's verified email."""
    user.is_active = True
    user.save(update_fields=["is_active"])
    user.profile.email_verification_pending = False
    user.profile.save(update_fields=["email_verification_pending"])


def email_verification_resend(*, email: str, client_ip: str | None) -> None:
    """Email a new link to each account at this address that still waits for one. Says
    nothing of whether there is any (no guessing who has an account). Raises
    ``TooManyAttempts`` past ``COLLAB_PASSWORD_RESET_LIMIT`` within
    ``COLLAB_PASSWORD_RESET_WINDOW_SECONDS`` from this client address."""
    throttle_hit(
        action="verify-email",
        client_ip=client_ip,
        limit=settings.COLLAB_PASSWORD_RESET_LIMIT,
        window_seconds=settings.COLLAB_PASSWORD_RESET_WINDOW_SECONDS,
        detail="Too many confirmation emails asked for from your address. Try again later.",
    )
    waiting = get_user_model().objects.filter(
        email__iexact=email.strip(), is_active=False, profile__email_verification_pending=True
    )
    for user in waiting:
        email_verification_send(user=user)


def unverified_account(*, username: str, password: str) -> User | None:
    """The account these credentials are right for, when it is held only for its unconfirmed
    address (so a sign-in can say so); ``None`` otherwise. Call it after ``authenticate``
    refused the same credentials, so the sign-in guard has counted the attempt."""
    user = get_user_model().objects.select_related("profile").filter(username=username).first()
    if user is None or user.is_active or not user.profile.email_verification_pending:
        return None
    return user if user.check_password(password) else None
