"""DRF authentication by ``Authorization: Bearer <API token>``."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.http import HttpRequest
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from rooms.accounts.services import api_token_authenticate


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        raw = raw.strip()
        if not raw or " " in raw:
            raise exceptions.AuthenticationFailed("Malformed bearer token.", code="bad_token")
        user = api_token_authenticate(raw=raw)
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.", code="bad_token")
        return user, None

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class AuthenticatedRequest(HttpRequest):
    """A page request behind ``login_required``: its user is a real, signed-in user."""

    user: User


def signed_in_user(request: Request) -> User:
    """The API caller, for views whose permission class already refused anonymous callers."""
    return cast(User, request.user)
