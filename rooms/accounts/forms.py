from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from rooms.accounts.models import COLOR_PATTERN, TokenScope


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
