from __future__ import annotations

from django import forms
from django.conf import settings

from rooms.membership.models import JOIN_ROLES, Role


class RoomForm(forms.Form):
    name = forms.CharField(max_length=settings.COLLAB_ROOM_NAME_MAX)
    description = forms.CharField(max_length=2000, required=False, widget=forms.Textarea)
    is_public = forms.BooleanField(required=False, label="Public (any signed-in user can read)")


class RoomAccessForm(forms.Form):
    """Who joins a public room as what, and who may invite: owners change it on the room's
    settings page."""

    join_role = forms.ChoiceField(
        choices=[(role.value, role.label) for role in JOIN_ROLES],
        label="Whoever joins this room while it is public becomes",
    )
    invite_min_role = forms.ChoiceField(
        choices=[(Role.OWNER.value, "Owners only"), (Role.EDITOR.value, "Owners and editors")],
        label="Invite links are created by",
    )
