from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from rooms.accounts.models import COLOR_PATTERN
from rooms.accounts.verification import EMAIL_NOT_VERIFIED, unverified_account


class SignInForm(AuthenticationForm):
    """Django's sign-in form, which also says when the right credentials belong to an account
    waiting for its email address to be confirmed (``email_not_verified`` is then true)."""

    email_not_verified = False

    def get_invalid_login_error(self) -> ValidationError:
        locked_out = getattr(self.request, "axes_locked_out", False)  # the guard answers then
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        if not locked_out and unverified_account(username=username, password=password):
            self.email_not_verified = True
            return ValidationError(EMAIL_NOT_VERIFIED, code="email_not_verified")
        return super().get_invalid_login_error()


class SignUpForm(forms.Form):
    username = forms.CharField(max_length=150)
    email = forms.EmailField()
    password = forms.CharField(widget=forms.PasswordInput, strip=False)


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=80, required=False)
    color = forms.RegexField(COLOR_PATTERN, widget=forms.TextInput(attrs={"type": "color"}))
    email_notifications = forms.BooleanField(required=False)


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100)


class EmailVerificationResendForm(forms.Form):
    email = forms.EmailField(label="Email address")
