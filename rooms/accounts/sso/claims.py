"""What Collab takes from a provider's claims about a person: the verified email an account
is matched by, the display name, and a username for a new account. No database here."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rooms.core.errors import Forbidden

DISPLAY_NAME_MAX = 80  # Profile.display_name
USERNAME_MAX = 140  # Django's 150, less room for a "-2" suffix
NOT_USERNAME_CHARACTERS = re.compile(r"[^\w.@+-]")

EMAIL_MISSING = (
    "Your identity provider did not tell us your email address, which your account is found "
    "by. Ask its administrator to release the email claim to this server."
)
EMAIL_UNVERIFIED = (
    "Your identity provider has not verified your email address, so it cannot sign you in "
    "here: verify the address with your provider, then sign in again."
)


def verified_email(claims: Mapping[str, Any]) -> str:
    """The email address the claims vouch for. Raises ``Forbidden`` (``email_missing``)
    without one, and (``email_unverified``) unless ``email_verified`` is true: an address the
    provider has not verified must never open an account that owns it here."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email.strip():
        raise Forbidden(EMAIL_MISSING, code="email_missing")
    verified = claims.get("email_verified")
    if verified is not True and str(verified).lower() != "true":
        raise Forbidden(EMAIL_UNVERIFIED, code="email_unverified")
    return email.strip()


def display_name(claims: Mapping[str, Any]) -> str:
    """The person's name as the provider has it (``name``, else given and family names),
    or ``""`` when it says none."""
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        parts = [claims.get("given_name"), claims.get("family_name")]
        name = " ".join(part.strip() for part in parts if isinstance(part, str) and part.strip())
    return " ".join(name.split())[:DISPLAY_NAME_MAX]


def username_base(claims: Mapping[str, Any], email: str) -> str:
    """A username for a new account: the provider's ``preferred_username``, else the email's
    local part, in the characters Django allows."""
    preferred = claims.get("preferred_username")
    raw = preferred if isinstance(preferred, str) and preferred.strip() else email.split("@")[0]
    return NOT_USERNAME_CHARACTERS.sub("", raw.strip())[:USERNAME_MAX] or "user"
