"""Server-rendered pages of rooms: the room list, a room, and an invite link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from collab.accounts.authentication import AuthenticatedRequest
from collab.errors import DomainError, NotFound
from rooms.forms import RoomForm
from rooms.selectors import (
    invite_by_token,
    room_access,
    room_documents,
    room_members,
    rooms_visible_to,
)
from rooms.services.invites import invite_accept
from rooms.services.rooms import room_create, room_join


@login_required
def room_list(request: AuthenticatedRequest) -> HttpResponse:
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            room = room_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.detail)
        else:
            return redirect("room-detail", room_id=room.pk)
    visible = list(rooms_visible_to(user=request.user).filter(is_archived=False))
    mine = set(request.user.memberships.values_list("room_id", flat=True))
    return render(
        request,
        "rooms/room_list.html",
        {
            "form": form,
            "my_rooms": [room for room in visible if room.pk in mine],
            "public_rooms": [room for room in visible if room.pk not in mine],
        },
    )


@login_required
def room_detail(request: HttpRequest, room_id: str) -> HttpResponse:
    try:
        access = room_access(user=request.user, room_id=room_id)
    except NotFound as error:
        raise Http404(error.detail) from error
    return render(
        request,
        "rooms/room_detail.html",
        {
            "room": access.room,
            "role": access.role,
            "documents": room_documents(room=access.room),
            "members": room_members(room=access.room),
        },
    )


@login_required
@require_POST
def room_join_page(request: HttpRequest, room_id: str) -> HttpResponse:
    try:
        room_join(actor=request.user, room_id=room_id)
    except NotFound as error:
        raise Http404(error.detail) from error
    except DomainError as error:
        messages.error(request, error.detail)
    return redirect("room-detail", room_id=room_id)


@login_required
def invite_page(request: HttpRequest, token: str) -> HttpResponse:
    invite = invite_by_token(token=token)
    if invite is None:
        raise Http404("This invite does not exist or was revoked.")
    if request.method == "POST":
        try:
            membership = invite_accept(actor=request.user, token=token)
        except DomainError as error:
            messages.error(request, error.detail)
        else:
            return redirect("room-detail", room_id=membership.room_id)
    return render(request, "rooms/invite.html", {"invite": invite})
