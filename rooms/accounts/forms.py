from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from rooms.accounts.client_address import client_ip
from rooms.accounts.models import COLOR_PATTERN
from rooms.accounts.services import user_sign_in
from rooms.core.errors import TooManyAttempts


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, refusing while too many recent attempts have failed."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked_out": "Too many failed sign-ins. Wait a few minutes and try again.",
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = user_sign_in(
                    request=self.request,
                    username=username,
                    password=password,
                    client_ip=client_ip(self.request) if self.request else "unknown",
                )
            except TooManyAttempts as error:
                raise forms.ValidationError(
                    self.error_messages["locked_out"], code="locked_out"
                ) from error
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


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
