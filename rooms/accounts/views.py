"""Account pages: sign-up and its email confirmation, the password-reset request and the
profile page with API tokens. Sign-in and sign-out are in ``rooms.accounts.sso.views``
(Django's, with single sign-on); the other password pages are Django's own views with our
templates (sign-in is guarded by ``rooms.accounts.sign_in_guard``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rooms.accounts.authentication import AuthenticatedRequest
from rooms.accounts.client_address import client_ip
from rooms.accounts.forms import (
    EmailVerificationResendForm,
    ProfileForm,
    SignUpForm,
    TokenForm,
)
from rooms.accounts.services import (
    SIGNUP_CLOSED,
    api_token_create,
    api_token_revoke,
    password_reset_request_check,
    password_sign_in_off_message,
    profile_update,
    user_sign_up,
)
from rooms.accounts.verification import (
    email_verification_check,
    email_verification_resend,
    email_verify,
    link_lifetime,
)
from rooms.core.errors import DomainError, Forbidden, NotFound, TooManyAttempts


def _refused(response: HttpResponse, error: DomainError) -> HttpResponse:
    """The page re-rendered with the error, under the error's status."""
    response.status_code = error.status
    if isinstance(error, TooManyAttempts):
        response["Retry-After"] = str(error.retry_after)
    return response


def sign_up(request: HttpRequest) -> HttpResponse:
    if settings.COLLAB_SSO_ONLY or not settings.COLLAB_SIGNUP_OPEN:
        detail = password_sign_in_off_message() if settings.COLLAB_SSO_ONLY else SIGNUP_CLOSED
        return render(request, "accounts/sign_up_closed.html", {"detail": detail}, status=403)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_sign_up(**form.cleaned_data, client_ip=client_ip(request))
        except (TooManyAttempts, Forbidden) as error:
            form.add_error(None, error.detail)
            return _refused(render(request, "accounts/sign_up.html", {"form": form}), error)
        except DomainError as error:
            form.add_error(error.field, error.detail)
        else:
            if not user.is_active:  # waits for its email address to be confirmed
                return redirect("verify-email-sent")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("room-list")
    return render(
        request,
        "accounts/sign_up.html",
        {"form": form, "verify_email": settings.COLLAB_SIGNUP_VERIFY_EMAIL},
    )


def email_verification_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/verify_email_sent.html", {"lifetime": link_lifetime()})


def email_verify_page(request: HttpRequest, token: str) -> HttpResponse:
    """The link's page: it names the account and asks for a click (mail scanners that open
    links do not confirm anything); the click activates the account and signs its owner in.
    A link that does not work says why, 400, and offers a new one."""
    try:
        if request.method == "POST":
            user = email_verify(token=token)
        else:
            user = email_verification_check(token=token)
    except DomainError as error:
        page = render(request, "accounts/verify_email_failed.html", {"detail": error.detail})
        return _refused(page, error)
    if request.method == "POST":
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Your email address is confirmed. Welcome to Collab.")
        return redirect("room-list")
    return render(request, "accounts/verify_email.html", {"account": user, "form": forms.Form()})


def email_verification_resend_page(request: HttpRequest) -> HttpResponse:
    form = EmailVerificationResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            email_verification_resend(
                email=form.cleaned_data["email"], client_ip=client_ip(request)
            )
        except TooManyAttempts as error:
            form.add_error(None, error.detail)
            page = render(request, "accounts/verify_email_resend.html", {"form": form})
            return _refused(page, error)
        return redirect("verify-email-sent")
    return render(request, "accounts/verify_email_resend.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with the emails it sends counted per address; refused (403) while
    ``COLLAB_SSO_ONLY`` is on."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if settings.COLLAB_SSO_ONLY:
            return render(
                request,
                "accounts/password_sign_in_off.html",
                {"detail": password_sign_in_off_message()},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        try:
            password_reset_request_check(client_ip=client_ip(self.request))
        except TooManyAttempts as error:
            form.add_error(None, error.detail)
            return _refused(self.form_invalid(form), error)
        return super().form_valid(form)


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    current = request.user.profile
    form = ProfileForm(
        request.POST or None,
        initial={
            "display_name": current.display_name,
            "color": current.color,
            "email_notifications": current.email_notifications,
        },
    )
    if request.method == "POST" and form.is_valid():
        profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Profile saved.")
        return redirect("profile")
    tokens = request.user.api_tokens.filter(revoked_at=None)
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "tokens": tokens, "token_form": TokenForm()},
    )


@login_required
@require_POST
def token_create(request: AuthenticatedRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "A token needs a name.")
        return redirect("profile")
    _, raw = api_token_create(user=request.user, name=form.cleaned_data["name"])
    messages.success(request, f"New token (copy it now, it is not shown again): {raw}")
    return redirect("profile")


@login_required
@require_POST
def token_revoke(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    try:
        api_token_revoke(user=request.user, token_id=token_id)
    except NotFound:
        messages.error(request, "No such token.")
    else:
        messages.success(request, "Token revoked.")
    return redirect("profile")
