"""What an API token's scope and rooms allow a REST request: the API's default permission
beside ``IsAuthenticated`` (``REST_FRAMEWORK`` in ``collab/settings.py``).

A read-only token gets 403 ``token_scope`` for any method that is not safe. A token limited
to some rooms reaches only routes about one of them (a room, or a document, attachment or
invite of one) and ``users/me`` (its view has ``token_rooms_exempt``): a route about another
room answers 404 as if it did not exist (``room_not_found``, ``document_not_found``...), and
a route about no one room (the room list, search across rooms, notifications, tokens) 403
``token_rooms``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from rooms.accounts.models import ApiToken
from rooms.chat.models import Attachment
from rooms.core.errors import Forbidden, NotFound
from rooms.documents.models import Document
from rooms.membership.models import Invite
from rooms.membership.selectors import as_uuid

if TYPE_CHECKING:  # DRF imports this module while it defines APIView
    from rest_framework.views import APIView

READ_ONLY = "This token is read-only."
OTHER_ROOMS = "This token is limited to some rooms, and this request is not about one room."


def _ids(text: str) -> list[Any]:
    key = as_uuid(text)
    return [] if key is None else [key]


def _room_of(view: APIView) -> tuple[str, Any] | None:
    """``(what the route names, its room's id)`` (the id ``None`` when no such thing exists,
    which the view answers itself), or ``None`` for a route about no one room."""
    kwargs = view.kwargs
    if "room_id" in kwargs:
        return "room", as_uuid(kwargs["room_id"])
    rows: Any = None
    if "document_id" in kwargs:
        kind, rows = "document", Document.objects.filter(pk__in=_ids(kwargs["document_id"]))
    elif "attachment_id" in kwargs:
        kind, rows = "attachment", Attachment.objects.filter(pk__in=_ids(kwargs["attachment_id"]))
    elif "token" in kwargs:
        kind, rows = "invite", Invite.objects.filter(token=kwargs["token"])
    if rows is None:
        return None
    return kind, rows.values_list("room_id", flat=True).first()


class TokenLimits(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True  # a session, or no one (IsAuthenticated answers that)
        if token.read_only and request.method not in SAFE_METHODS:
            raise Forbidden(READ_ONLY, code="token_scope")
        if token.room_ids is None:
            return True
        named = _room_of(view)
        if named is None:
            if getattr(view, "token_rooms_exempt", False):  # the caller's own profile
                return True
            raise Forbidden(OTHER_ROOMS, code="token_rooms")
        kind, room_id = named
        if room_id is not None and not token.allows_room(room_id):
            raise NotFound(f"No such {kind}.", code=f"{kind}_not_found")
        return True
