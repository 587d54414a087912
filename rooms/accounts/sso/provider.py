"""Where the OpenID Connect provider is: its endpoints, from its discovery document or the
settings, read when first needed (never at start-up, so a provider that is down stops only
single sign-on)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DISCOVERY_PATH = "/.well-known/openid-configuration"


@dataclass(frozen=True)
class Endpoints:
    authorization: str
    token: str
    userinfo: str
    jwks: str
    end_session: str  # empty when the provider offers no RP-initiated logout


def enabled() -> bool:
    return bool(settings.COLLAB_SSO_ENABLED)


def endpoints() -> Endpoints:
    """The provider's endpoints: each ``OIDC_OP_*`` setting that is set, else what the
    issuer's discovery document says. Raises ``ImproperlyConfigured`` when one of the four
    needed is known neither way, ``requests.RequestException`` when discovery fails."""
    discovered = _discovery(settings.OIDC_OP_ISSUER) if settings.OIDC_OP_ISSUER else {}
    found = Endpoints(
        authorization=settings.OIDC_OP_AUTHORIZATION_ENDPOINT
        or discovered.get("authorization_endpoint", ""),
        token=settings.OIDC_OP_TOKEN_ENDPOINT or discovered.get("token_endpoint", ""),
        userinfo=settings.OIDC_OP_USER_ENDPOINT or discovered.get("userinfo_endpoint", ""),
        jwks=settings.OIDC_OP_JWKS_ENDPOINT or discovered.get("jwks_uri", ""),
        end_session=settings.OIDC_OP_LOGOUT_ENDPOINT or discovered.get("end_session_endpoint", ""),
    )
    needed = ("authorization", "token", "userinfo", "jwks")
    missing = ", ".join(name for name in needed if not getattr(found, name))
    if missing:
        raise ImproperlyConfigured(f"The OpenID Connect provider's {missing} endpoint is unknown.")
    return found


def sign_out_origins() -> list[str]:
    """The origins sign-out may lead to (the issuer's, and the end-session endpoint's when
    set), read from the settings alone: the Content-Security-Policy's ``form-action`` must
    let the sign-out form's redirect go there."""
    if not enabled():
        return []
    urls = [settings.OIDC_OP_ISSUER, settings.OIDC_OP_LOGOUT_ENDPOINT]
    origins = {f"{part.scheme}://{part.netloc}" for part in map(urlsplit, urls) if part.netloc}
    return sorted(origins)


@functools.cache
def _discovery(issuer: str) -> dict[str, str]:
    """The issuer's discovery document, fetched once per process (only a success is kept)."""
    response = requests.get(issuer + DISCOVERY_PATH, timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    document = response.json()
    if document.get("issuer", "").rstrip("/") != issuer:
        raise ImproperlyConfigured(f"The discovery document at {issuer} names another issuer.")
    return {key: value for key, value in document.items() if isinstance(value, str)}
