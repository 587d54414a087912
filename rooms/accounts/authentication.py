"""DRF authentication by ``Authorization: Bearer <API token>``."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.http import HttpRequest
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from rooms.accounts.models import ApiToken
from rooms.accounts.services import TokenExpired, api_token_authenticate


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        """The token's user, with the token as ``request.auth`` (its scope and rooms are
        enforced by ``rooms.api.token_limits``)."""
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        raw = raw.strip()
        if not raw or " " in raw:
            raise exceptions.AuthenticationFailed("Malformed bearer token.", code="bad_token")
        try:
            token = api_token_authenticate(raw=raw)
        except TokenExpired as expired:
            raise exceptions.AuthenticationFailed(str(expired), code="token_expired") from expired
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.", code="bad_token")
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class AuthenticatedRequest(HttpRequest):
    """A page request behind ``login_required``: its user is a real, signed-in user."""

    user: User


def signed_in_user(request: Request) -> User:
    """The API caller, for views whose permission class already refused anonymous callers."""
    return cast(User, request.user)
