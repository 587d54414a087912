from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from rooms.accounts.models import COLOR_PATTERN, TokenScope
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
    expires_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="It works through this day. Leave empty for a token that does not expire.",
    )
    scope = forms.ChoiceField(
        choices=TokenScope.choices, initial=TokenScope.READ_WRITE, required=False
    )
    rooms = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only these rooms. None ticked: every room.",
    )

    def __init__(self, *args: Any, rooms: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rooms"].choices = rooms  # type: ignore[attr-defined]

    def expires_at(self) -> datetime | None:
        """The end of the chosen day, in the server's time zone."""
        day: date | None = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class EmailVerificationResendForm(forms.Form):
    email = forms.EmailField(label="Email address")
