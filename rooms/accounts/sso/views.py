"""The sign-in and sign-out pages, and single sign-on's start and callback.

Sign-in is Django's form with a "Sign in with <provider>" button beside it (alone while
``COLLAB_SSO_ONLY`` is on). Starting and finishing the provider's code flow is
mozilla-django-oidc's, given the endpoints when they are needed and a page that says why a
sign-in was refused. Sign-out is Django's, followed, for a session that came from the
provider, by the provider's own sign-out (RP-initiated logout)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from rooms.accounts.forms import SignInForm
from rooms.accounts.services import password_sign_in_off_message
from rooms.accounts.sso import provider
from rooms.accounts.sso.backends import REFUSAL_ATTRIBUTE
from rooms.core.errors import DomainError

logger = logging.getLogger(__name__)

ID_TOKEN_SESSION_KEY = "oidc_id_token"  # where mozilla-django-oidc keeps it (OIDC_STORE_ID_TOKEN)
PROVIDER_UNREACHABLE = "The identity provider could not be reached. Try again in a moment."
NOT_COMPLETED = "Single sign-on did not complete. Try again."


def _refused(request: HttpRequest, detail: str, status: int) -> HttpResponse:
    return render(request, "accounts/sso_refused.html", {"detail": detail}, status=status)


def sso_offer(request: HttpRequest) -> dict[str, str] | None:
    """The sign-in page's button: the provider's name and where it starts, keeping ``next``."""
    if not provider.enabled():
        return None
    url = reverse("sso-start")
    next_url = request.GET.get("next") or request.POST.get("next")
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return {"name": settings.COLLAB_SSO_PROVIDER_NAME, "url": url}


class SignInView(auth_views.LoginView):
    """Django's sign-in, offering single sign-on; the password form is refused (403) while
    ``COLLAB_SSO_ONLY`` is on."""

    redirect_authenticated_user = True
    authentication_form = SignInForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso"] = sso_offer(self.request)
        if settings.COLLAB_SSO_ONLY:
            context["form"] = None
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.COLLAB_SSO_ONLY:
            response = self.render_to_response(
                {**self.get_context_data(), "refusal": password_sign_in_off_message()}
            )
            response.status_code = 403
            return response
        return super().post(request, *args, **kwargs)


class SsoStartView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Sends the browser to the provider's authorization endpoint (state, nonce, PKCE)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not provider.enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.endpoints().authorization
        except (requests.RequestException, ImproperlyConfigured):
            logger.warning("single sign-on: the provider's endpoints are unknown", exc_info=True)
            return _refused(request, PROVIDER_UNREACHABLE, 502)
        response: HttpResponse = super().get(request)
        return response


class SsoCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """Where the provider sends the browser back: signs the person in, or says why not."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not provider.enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            response: HttpResponse = super().get(request)
        except requests.RequestException:
            logger.warning("single sign-on: the provider did not answer", exc_info=True)
            return _refused(request, PROVIDER_UNREACHABLE, 502)
        return response

    def login_failure(self) -> HttpResponse:
        refusal: DomainError | None = getattr(self.request, REFUSAL_ATTRIBUTE, None)
        if refusal is not None:
            logger.info("single sign-on refused: %s", refusal.code)
            return _refused(self.request, refusal.detail, refusal.status)
        provider_error = self.request.GET.get("error_description") or self.request.GET.get("error")
        if provider_error:
            return _refused(self.request, f"The identity provider said: {provider_error}", 400)
        return _refused(self.request, NOT_COMPLETED, 400)


class SignOutView(auth_views.LogoutView):
    """Django's sign-out; a session that came from the provider then goes on to the
    provider's end-session endpoint (when it has one) with ``id_token_hint`` and
    ``post_logout_redirect_uri`` (this site's sign-in page), so the provider's session ends
    too and the next single sign-on asks who you are again."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = request.session.get(ID_TOKEN_SESSION_KEY)
        response: HttpResponse = super().post(request, *args, **kwargs)
        end_session = _end_session_endpoint() if id_token else ""
        if not end_session:
            return response
        query = urlencode(
            {
                "id_token_hint": id_token,
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
                "client_id": settings.OIDC_RP_CLIENT_ID,
            }
        )
        return HttpResponseRedirect(f"{end_session}?{query}")


def _end_session_endpoint() -> str:
    if not provider.enabled():
        return ""
    try:
        return provider.endpoints().end_session
    except (requests.RequestException, ImproperlyConfigured):
        logger.warning("single sign-on: signed out here only, the provider is unknown")
        return ""
