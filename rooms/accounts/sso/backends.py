"""The authentication backends of single sign-on (``AUTHENTICATION_BACKENDS``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from rooms.accounts.sso import provider
from rooms.accounts.sso.services import sso_user_sign_in
from rooms.core.errors import Forbidden

# The attribute of the callback's request that carries why the provider's person was refused.
REFUSAL_ATTRIBUTE = "sso_refusal"


class SsoOnlyPasswordGuard:
    """Placed before ``ModelBackend``: while ``COLLAB_SSO_ONLY`` is on, a password sign-in
    stops here (``PermissionDenied`` ends Django's ``authenticate``), whatever path it came
    by, except a superuser's while ``COLLAB_SSO_ONLY_ADMIN_PASSWORD`` is on. The site's form
    and the token endpoint refuse earlier, with their own message; this holds the admin's.
    No ``get_user``: it signs no one in, so no session names it (nor does ``force_login``)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if password is None or not settings.COLLAB_SSO_ONLY:
            return None
        exempt = settings.COLLAB_SSO_ONLY_ADMIN_PASSWORD and username is not None
        if exempt and password_sign_in_exempt(str(username)):
            return None
        raise PermissionDenied("password sign-in is off: single sign-on only")


def password_sign_in_exempt(username: str) -> bool:
    """Whether this account keeps password sign-in under ``COLLAB_SSO_ONLY``: a superuser's."""
    user_model = get_user_model()
    return user_model.objects.filter(
        **{user_model.USERNAME_FIELD: username}, is_superuser=True, is_active=True
    ).exists()


class SsoBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """mozilla-django-oidc's code flow, with Collab's matching of the person
    (``sso_user_sign_in``) and the provider's endpoints read when a sign-in needs them."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or kwargs.get("password") is not None:
            return None
        if "code" not in request.GET or "state" not in request.GET:
            return None  # not the provider's callback: no network for other sign-ins
        found = provider.endpoints()
        self.OIDC_OP_TOKEN_ENDPOINT = found.token
        self.OIDC_OP_USER_ENDPOINT = found.userinfo
        self.OIDC_OP_JWKS_ENDPOINT = found.jwks
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature and nonce; the audience must be this client."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued to another client.")
        return payload

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo is about someone else than the ID token.")
        try:
            return sso_user_sign_in(claims=claims)
        except Forbidden as error:
            setattr(self.request, REFUSAL_ATTRIBUTE, error)
            return None

    def get_user(self, user_id: Any) -> User | None:
        """As ``ModelBackend``: a deactivated account's sessions sign no one in (the
        library's own would still return it)."""
        user: User | None = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
