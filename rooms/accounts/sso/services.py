"""Writes of single sign-on: the account a provider's claims sign in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from rooms.accounts.services import profile_update
from rooms.accounts.sso.claims import display_name, username_base, verified_email
from rooms.accounts.verification import email_verification_confirm
from rooms.core.errors import Forbidden

EMAIL_AMBIGUOUS = (
    "More than one account here has your email address, so single sign-on cannot tell which "
    "is yours. Ask the administrator to merge them."
)
ACCOUNT_INACTIVE = "Your account here is deactivated. Ask the administrator."


def sso_user_sign_in(*, claims: Mapping[str, Any]) -> User:
    """The account these claims (the provider's userinfo) sign in: the one account whose
    email is the claims' verified email (case aside), or a new one with no password. Its
    display name follows the provider's at every sign-in. An account waiting only for its
    sign-up address to be confirmed (``COLLAB_SIGNUP_VERIFY_EMAIL``) is confirmed by it: the
    provider verified that address. One an administrator deactivated stays refused.

    Raises ``Forbidden``: ``email_missing``, ``email_unverified`` (``claims.verified_email``),
    ``email_ambiguous`` when two accounts share the address, ``account_inactive``.
    """
    email = verified_email(claims)
    name = display_name(claims)
    users = get_user_model().objects
    with transaction.atomic():
        matches = list(users.filter(email__iexact=email).order_by("pk")[:2])
        if len(matches) > 1:
            raise Forbidden(EMAIL_AMBIGUOUS, code="email_ambiguous")
        if matches:
            user = matches[0]
            if not user.is_active and user.profile.email_verification_pending:
                # The provider verified this address: that confirms it as the emailed link would.
                email_verification_confirm(user=user)
            elif not user.is_active:
                raise Forbidden(ACCOUNT_INACTIVE, code="account_inactive")
        else:
            username = _free_username(username_base(claims, email))
            user = users.create_user(username=username, email=email)
        if name and user.profile.display_name != name:
            profile_update(user=user, display_name=name)
    return user


def _free_username(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… : the first no account has (case aside)."""
    users = get_user_model().objects
    taken = {
        name.lower()
        for name in users.filter(username__istartswith=base).values_list("username", flat=True)
    }
    candidate, suffix = base, 1
    while candidate.lower() in taken:
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate
