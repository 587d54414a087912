"""Writes to accounts: sign-up, sign-in, profiles and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from rooms.accounts import sign_in_guard
from rooms.accounts.models import ApiToken, Profile
from rooms.accounts.request_throttle import throttle_hit
from rooms.accounts.verification import (
    EMAIL_NOT_VERIFIED,
    email_verification_start,
    unverified_account,
)
from rooms.core.errors import Conflict, Forbidden, Invalid, NotFound

# Distinct, readable cursor colours; a new user gets one picked from their id.
PALETTE = (
    "#e03131",
    "#2f9e44",
    "#1971c2",
    "#f08c00",
    "#9c36b5",
    "#0c8599",
    "#e8590c",
    "#5c940d",
    "#3b5bdb",
    "#c2255c",
)
TOKEN_PREFIX = "collab_"
SIGNUP_CLOSED = "Sign-up is closed on this server: ask its administrator for an account."
LAST_USED_RESOLUTION = timedelta(minutes=1)


def password_sign_in_off_message() -> str:
    """Why a password is refused while ``COLLAB_SSO_ONLY`` is on (pages and API alike)."""
    return (
        f"This server signs in through {settings.COLLAB_SSO_PROVIDER_NAME} only: passwords, "
        'sign-up and password resets are off. Use "Sign in with '
        f'{settings.COLLAB_SSO_PROVIDER_NAME}" on the sign-in page; scripts use an API token.'
    )


def profile_create(*, user: User) -> Profile:
    """Create the profile of a new user, with a colour from the palette."""
    return Profile.objects.create(user=user, color=palette_color(user))


def palette_color(user: User) -> str:
    """The palette's colour for a user: a new profile's."""
    return PALETTE[(user.pk or 0) % len(PALETTE)]


def profile_update(
    *,
    user: User,
    display_name: str | None = None,
    color: str | None = None,
    email_notifications: bool | None = None,
) -> Profile:
    """Change how the user appears. Raises ``Invalid`` for a colour that is not ``#rrggbb``."""
    profile: Profile = user.profile
    if display_name is not None:
        profile.display_name = display_name.strip()
    if color is not None:
        profile.color = color.lower()
    if email_notifications is not None:
        profile.email_notifications = email_notifications
    try:
        profile.full_clean(exclude=["user"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise Invalid(messages[0], code=f"invalid_{field}", field=field) from error
    profile.save()
    return profile


def user_sign_up(*, username: str, email: str, password: str, client_ip: str | None) -> User:
    """Create an account: active at once, or, with ``COLLAB_SIGNUP_VERIFY_EMAIL`` on, inactive
    until the link emailed to ``email`` is followed (``rooms.accounts.verification``).

    Raises ``Forbidden`` (``signup_closed``) while ``COLLAB_SIGNUP_OPEN`` is off,
    (``password_sign_in_off``) while ``COLLAB_SSO_ONLY`` is on,
    ``TooManyAttempts`` past ``COLLAB_SIGNUP_LIMIT`` tries from this address within
    ``COLLAB_SIGNUP_WINDOW_SECONDS``, ``Conflict`` for a taken username, ``Invalid`` for a
    weak password (the validators' first message).
    """
    if not settings.COLLAB_SIGNUP_OPEN:
        raise Forbidden(SIGNUP_CLOSED, code="signup_closed")
    if settings.COLLAB_SSO_ONLY:
        raise Forbidden(password_sign_in_off_message(), code="password_sign_in_off")
    throttle_hit(
        action="signup",
        client_ip=client_ip,
        limit=settings.COLLAB_SIGNUP_LIMIT,
        window_seconds=settings.COLLAB_SIGNUP_WINDOW_SECONDS,
        detail="Too many sign-ups from your address. Try again later.",
    )
    user_model = get_user_model()
    username = username.strip()
    if user_model.objects.filter(username__iexact=username).exists():
        raise Conflict("That username is taken.", code="username_taken", field="username")
    candidate = user_model(username=username, email=email)
    try:
        validate_password(password, candidate)
    except ValidationError as error:
        raise Invalid(error.messages[0], code="weak_password", field="password") from error
    with transaction.atomic():
        user = user_model.objects.create_user(username=username, email=email, password=password)
        if settings.COLLAB_SIGNUP_VERIFY_EMAIL:
            email_verification_start(user=user)
    return user


def password_reset_request_check(*, client_ip: str | None) -> None:
    """Count a request for a password-reset email from this address. Raises
    ``TooManyAttempts`` past ``COLLAB_PASSWORD_RESET_LIMIT`` within
    ``COLLAB_PASSWORD_RESET_WINDOW_SECONDS``, so nobody mails a mailbox full of links."""
    throttle_hit(
        action="password-reset",
        client_ip=client_ip,
        limit=settings.COLLAB_PASSWORD_RESET_LIMIT,
        window_seconds=settings.COLLAB_PASSWORD_RESET_WINDOW_SECONDS,
        detail="Too many password-reset requests from your address. Try again later.",
    )


def user_sign_in(*, request: HttpRequest, username: str, password: str) -> User | None:
    """Check a username and password without starting a session (a token sign-in): the
    user, or ``None`` for wrong credentials.

    It goes through the sign-in guard (``rooms.accounts.sign_in_guard``): while this account
    is locked out from this request's address, it is ``None`` too, and the request is marked
    so that the guard's middleware answers 429 instead of the view's response. A success
    forgets the failures of this account from this address.

    Raises ``Forbidden`` (``password_sign_in_off``) while ``COLLAB_SSO_ONLY`` is on, and
    (``email_not_verified``) for the right credentials of an account whose address is not yet
    confirmed.
    """
    if settings.COLLAB_SSO_ONLY:
        raise Forbidden(password_sign_in_off_message(), code="password_sign_in_off")
    user = authenticate(request, username=username, password=password)
    if user is not None:
        sign_in_guard.sign_in_succeeded(request=request, username=username)
        return user
    locked_out = getattr(request, "axes_locked_out", False)  # the guard answers 429 then
    if not locked_out and unverified_account(username=username, password=password) is not None:
        raise Forbidden(EMAIL_NOT_VERIFIED, code="email_not_verified")
    return None


def api_token_digest(raw: str) -> str:
    """What is stored of a token, and what a live connection keeps to re-check it."""
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns it with its secret, which is never stored and never shown again."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "API token", prefix=raw[:12], digest=api_token_digest(raw)
    )
    return token, raw


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens. Raises ``NotFound`` for any other id."""
    token = ApiToken.objects.filter(user=user, pk=token_id, revoked_at=None).first()
    if token is None:
        raise NotFound("No such token.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every live token of the user (after a new password); returns how many. Each is
    saved on its own so that open token sockets hear of it (the access epoch moves)."""
    now = timezone.now()
    revoked = 0
    with transaction.atomic():
        for token in ApiToken.objects.select_for_update().filter(user=user, revoked_at=None):
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            revoked += 1
    return revoked


def api_token_lookup(*, raw: str) -> ApiToken | None:
    """The live token ``raw`` is, of an active user (read with the user and profile), or
    ``None``. Records nothing: see ``api_token_authenticate``."""
    digest = api_token_digest(raw)
    return api_tokens_by_digest(digests={digest}).get(digest)


def api_tokens_by_digest(*, digests: set[str]) -> dict[str, ApiToken]:
    """``api_token_lookup`` for many tokens at once, by their digests: one query."""
    live = ApiToken.objects.select_related("user", "user__profile").filter(
        digest__in=digests, revoked_at=None, user__is_active=True
    )
    return {token.digest: token for token in live}


def api_token_use_due(token: ApiToken) -> bool:
    """Whether ``api_token_record_use`` would write: at most once a minute, so a busy client
    does not write on every request."""
    last = token.last_used_at
    return last is None or timezone.now() - last > LAST_USED_RESOLUTION


def api_token_record_use(token: ApiToken) -> None:
    """Record that the token was used now, if that is due."""
    if api_token_use_due(token):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())


def api_tokens_record_use(*, token_ids: Iterable[int]) -> None:
    """Record that each of these tokens was used now: one UPDATE for all of them (sockets
    gather the uses of a handshake storm and write them together)."""
    ids = sorted(set(token_ids))
    if ids:
        ApiToken.objects.filter(pk__in=ids).update(last_used_at=timezone.now())


def api_token_authenticate(*, raw: str) -> User | None:
    """The active user a live token belongs to, or ``None``; records the use."""
    token = api_token_lookup(raw=raw)
    if token is None:
        return None
    api_token_record_use(token)
    return token.user
