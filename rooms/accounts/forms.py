from __future__ import annotations

from django import forms

from rooms.accounts.models import COLOR_PATTERN


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
