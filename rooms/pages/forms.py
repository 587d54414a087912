from __future__ import annotations

from django import forms
from django.conf import settings


class RoomForm(forms.Form):
    name = forms.CharField(max_length=settings.COLLAB_ROOM_NAME_MAX)
    description = forms.CharField(max_length=2000, required=False, widget=forms.Textarea)
    is_public = forms.BooleanField(required=False, label="Public (any signed-in user can read)")
