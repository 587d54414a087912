"""Server-rendered pages of rooms: the room list, a room (with the browser app mounted on it,
and a document or whiteboard open), the room's settings, and an invite link; plus the small
JSON answer the open document polls to learn when its access changed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from rooms.accounts.authentication import AuthenticatedRequest
from rooms.chat.selectors import unread_counts
from rooms.core.errors import DomainError, NotFound
from rooms.documents.models import Document, DocumentKind
from rooms.documents.permissions import can_edit_document, can_manage_document
from rooms.documents.selectors import document_access, room_documents
from rooms.membership.models import Role
from rooms.membership.permissions import Access, can_post
from rooms.membership.selectors import invite_by_token, room_access, room_members, rooms_visible_to
from rooms.membership.services.invites import invite_accept
from rooms.membership.services.rooms import room_create, room_join, room_update
from rooms.pages.forms import RoomAccessForm, RoomForm


def _socket_base(request: HttpRequest) -> str:
    return f"{'wss' if request.is_secure() else 'ws'}://{request.get_host()}"


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
    visible = list(rooms_visible_to(user=request.user))
    roles = {
        room_id: Role(role)
        for room_id, role in request.user.memberships.values_list("room_id", "role")
    }
    unread = unread_counts(user=request.user)
    for room in visible:
        room.my_role = roles.get(room.pk)  # type: ignore[attr-defined]
        room.unread = unread.get(room.pk, 0)  # type: ignore[attr-defined]
    active = [room for room in visible if not room.is_archived]
    return render(
        request,
        "rooms/room_list.html",
        {
            "form": form,
            "my_rooms": [room for room in active if room.pk in roles],
            "public_rooms": [room for room in active if room.pk not in roles],
            "archived_rooms": [room for room in visible if room.is_archived and room.pk in roles],
            # How the page's script keeps the lists current (frontend/src/rooms.ts).
            "list_context": {
                "urls": {
                    "rooms": reverse("api-room-list"),
                    "unreadCount": reverse("notification-unread-count"),
                    "userSocket": f"{_socket_base(request)}/ws/me",
                    "roomPage": reverse("room-detail", args=[_PLACEHOLDER_ID]),
                    "joinPage": reverse("room-join-page", args=[_PLACEHOLDER_ID]),
                },
                "csrfToken": get_token(request),
            },
        },
    )


@login_required
def room_detail(request: AuthenticatedRequest, room_id: str) -> HttpResponse:
    try:
        access = room_access(user=request.user, room_id=room_id)
    except NotFound as error:
        raise Http404(error.detail) from error
    return _room_page(request, access, current=None)


@login_required
def room_document(request: AuthenticatedRequest, room_id: str, document_id: str) -> HttpResponse:
    """The room with one of its documents or whiteboards open."""
    try:
        document, access = document_access(user=request.user, document_id=document_id)
    except NotFound as error:
        raise Http404(error.detail) from error
    if document.room_id != access.room.pk or str(access.room.pk) != str(room_id):
        raise Http404("No such document in this room.")
    return _room_page(request, access, current=document)


def _room_page(
    request: AuthenticatedRequest, access: Access, current: Document | None
) -> HttpResponse:
    documents = list(room_documents(room=access.room))
    active = [d for d in documents if d.archived_at is None]
    return render(
        request,
        "rooms/room_detail.html",
        {
            "room": access.room,
            "role": access.role,
            "documents": [d for d in active if d.kind == DocumentKind.TEXT],
            "whiteboards": [d for d in active if d.kind == DocumentKind.WHITEBOARD],
            # Listed apart, under a heading hidden while there are none (the script shows it).
            "archived_documents": [d for d in documents if d.archived_at is not None],
            "current": current,
            "can_write_current": current is not None and can_edit_document(access, current),
            "members": room_members(room=access.room),
            "app_context": _app_context(request, access, documents, current),
        },
    )


def _document_summary(document: Document) -> dict[str, Any]:
    return {
        "id": str(document.pk),
        "title": document.title,
        "kind": document.kind,
        "isLocked": document.is_locked,
        "isArchived": document.archived_at is not None,
        "url": reverse("room-document", args=[document.room_id, document.pk]),
    }


def _app_context(
    request: AuthenticatedRequest,
    access: Access,
    documents: list[Document],
    current: Document | None,
) -> dict[str, Any]:
    """What the browser app needs to mount on the room page (rendered with ``json_script``)."""
    room = access.room
    profile = request.user.profile
    socket_base = _socket_base(request)
    return {
        "room": {
            "id": str(room.pk),
            "name": room.name,
            "isArchived": room.is_archived,
            "url": reverse("room-detail", args=[room.pk]),
        },
        "documents": [_document_summary(d) for d in documents if d.kind == DocumentKind.TEXT],
        "whiteboards": [
            _document_summary(d) for d in documents if d.kind == DocumentKind.WHITEBOARD
        ],
        "current": None
        if current is None
        else {**_document_summary(current), "canWrite": can_edit_document(access, current)},
        "user": {
            "id": request.user.pk,
            "name": profile.name,
            "color": profile.color,
            "role": access.role.value if access.role else None,
        },
        "permissions": {
            "createDocuments": access.at_least(Role.EDITOR) and not room.is_archived,
            "keepVersions": access.at_least(Role.EDITOR) and not room.is_archived,
            "manageRoom": access.at_least(Role.OWNER),
            "postMessages": can_post(access),
        },
        "urls": {
            "docsSocket": f"{socket_base}/ws/docs",
            "roomSocket": f"{socket_base}/ws/rooms/{room.pk}",
            "messages": f"/api/v1/rooms/{room.pk}/messages",
            "documents": f"/api/v1/rooms/{room.pk}/documents",
            "search": f"/api/v1/rooms/{room.pk}/search",
            "members": f"/api/v1/rooms/{room.pk}/members",
            "attachments": f"/api/v1/rooms/{room.pk}/attachments",
            "documentPage": reverse("room-document", args=[room.pk, _PLACEHOLDER_ID]),
            "versions": None if current is None else f"/api/v1/documents/{current.pk}/versions",
            "access": None
            if current is None
            else reverse("room-document-access", args=[room.pk, current.pk]),
            "serviceWorker": reverse("service-worker"),
            "appManifest": static("app/manifest.json"),
        },
        "limits": {
            "attachmentMaxBytes": settings.COLLAB_ATTACHMENT_MAX_BYTES,
            "attachmentContentTypes": list(settings.COLLAB_ATTACHMENT_CONTENT_TYPES),
            "imageMaxBytes": settings.COLLAB_MAX_IMAGE_BYTES,
        },
        "csrfToken": get_token(request),
    }


_PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


def _access_state(access: Access, document: Document) -> dict[str, Any]:
    return {
        "canWrite": can_edit_document(access, document),
        "role": access.role.value if access.role else None,
        "isLocked": document.is_locked,
        "isArchived": access.room.is_archived,
    }


@never_cache
@require_GET
def room_document_access(request: HttpRequest, room_id: str, document_id: str) -> HttpResponse:
    """What the signed-in person may do with a document now, for its open page to poll: the
    document socket applies a changed role, lock or archive within seconds but tells the
    client only when it refuses an edit. 401 signed out, 404 no access (or no such
    document in this room)."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Sign in again.", "code": "not_authenticated"}, status=401)
    try:
        document, access = document_access(user=request.user, document_id=document_id)
    except NotFound as error:
        return JsonResponse({"detail": error.detail, "code": error.code}, status=404)
    if str(access.room.pk) != str(room_id):
        return JsonResponse({"detail": "No such document.", "code": "not_found"}, status=404)
    return JsonResponse(_access_state(access, document))


@login_required
def room_settings(request: AuthenticatedRequest, room_id: str) -> HttpResponse:
    """The room's settings (owners): members and roles, invites, locks, archiving, filled by
    the browser app from the REST API and changed through it; and who joins as what and who
    may invite, a plain form posted here."""
    try:
        access = room_access(user=request.user, room_id=room_id)
    except NotFound as error:
        raise Http404(error.detail) from error
    if not access.at_least(Role.OWNER):
        messages.error(request, "Only the room's owners can change its settings.")
        return redirect("room-detail", room_id=access.room.pk)
    room = access.room
    access_form = RoomAccessForm(
        request.POST or None,
        initial={"join_role": room.join_role, "invite_min_role": room.invite_min_role},
    )
    if request.method == "POST" and access_form.is_valid():
        room_update(
            actor=request.user,
            room_id=room.pk,
            join_role=Role(access_form.cleaned_data["join_role"]),
            invite_min_role=Role(access_form.cleaned_data["invite_min_role"]),
        )
        messages.success(request, "Saved who joins as what and who may invite.")
        return redirect("room-settings", room_id=room.pk)
    documents = list(room_documents(room=room))
    return render(
        request,
        "rooms/room_settings.html",
        {
            "room": room,
            "role": access.role,
            "access_form": access_form,
            "settings_context": {
                "room": {
                    "id": str(room.pk),
                    "name": room.name,
                    "isArchived": room.is_archived,
                    "isPublic": room.is_public,
                    "url": reverse("room-detail", args=[room.pk]),
                },
                "user": {"id": request.user.pk},
                "documents": [
                    {**_document_summary(d), "canManage": can_manage_document(access, d)}
                    for d in documents
                ],
                "urls": {
                    "roomSocket": f"{_socket_base(request)}/ws/rooms/{room.pk}",
                    "documents": f"/api/v1/rooms/{room.pk}/documents",
                    "documentPage": reverse("room-document", args=[room.pk, _PLACEHOLDER_ID]),
                    "room": f"/api/v1/rooms/{room.pk}",
                    "members": f"/api/v1/rooms/{room.pk}/members",
                    "invites": f"/api/v1/rooms/{room.pk}/invites",
                    "document": "/api/v1/documents/",
                    "invitePage": reverse("invite", args=["TOKEN"]),
                },
                "csrfToken": get_token(request),
            },
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
