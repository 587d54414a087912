"""The page a share link opens, ``/s/<secret>``: the live document for whoever holds the link,
signed in or not. Someone whose own access already gives them as much is sent to the document
in the app; everyone else gets the link's role on that one document (never the room). A link
that is unknown is 404, one revoked or expired 410: a page that says so, nothing changes."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rooms.core.errors import NotFound
from rooms.documents.models import ShareLink
from rooms.documents.permissions import can_edit_document
from rooms.documents.selectors import (
    GUEST_IDENTITY,
    document_access,
    share_link_by_digest,
    share_link_can_write,
)
from rooms.documents.services.share_links import share_link_digest
from rooms.documents.share_link_session import share_link_remember
from rooms.membership.models import Role


@never_cache
@require_GET
def share_link_page(request: HttpRequest, token: str) -> HttpResponse:
    link = share_link_by_digest(share_link_digest(token))
    if link is None:
        return _gone(request, "This link does not exist.", status=404)
    if link.revoked_at is not None:
        return _gone(request, "This link was revoked.", status=410)
    if not link.is_live(timezone.now()):
        return _gone(request, "This link has expired.", status=410)
    if _has_as_much(request, link):
        return redirect(
            "room-document", room_id=link.document.room_id, document_id=link.document.pk
        )
    share_link_remember(request.session, link)  # lets its images load (image_views)
    return render(
        request,
        "rooms/share_link.html",
        {"link": link, "share_context": _context(request, token, link)},
    )


def _has_as_much(request: HttpRequest, link: ShareLink) -> bool:
    """Whether the person's own access to the document gives them the link's role or more."""
    if not request.user.is_authenticated:
        return False
    try:
        document, access = document_access(user=request.user, document_id=link.document.pk)
    except NotFound:
        return False
    if not access.is_member:
        return link.role == Role.VIEWER and link.document.room.is_public
    return access.at_least(Role(link.role)) and (
        not share_link_can_write(link) or can_edit_document(access, document)
    )


def _context(request: HttpRequest, token: str, link: ShareLink) -> dict[str, object]:
    """What the guest page's script needs (rendered with ``json_script``)."""
    scheme = "wss" if request.is_secure() else "ws"
    user = request.user
    back = reverse("share-link-open", args=[token])
    return {
        "document": {
            "id": str(link.document.pk),
            "title": link.document.title,
            "kind": link.document.kind,
        },
        "role": link.role,
        "canWrite": share_link_can_write(link),
        "link": token,
        "docsSocket": f"{scheme}://{request.get_host()}/ws/docs",
        # The comment events of a comment or edit link (rooms.room_socket.share_comments_consumer).
        "commentsSocket": f"{scheme}://{request.get_host()}/ws/share-comments",
        "user": {"id": user.pk, "name": user.get_username(), "color": GUEST_IDENTITY["color"]}
        if user.is_authenticated
        else {"id": None, **GUEST_IDENTITY},
        "signedIn": user.is_authenticated,
        "csrfToken": get_token(request),
        # Sign-in comes back to this page (Django's LoginView follows ``next`` on this host).
        "signInUrl": f"{reverse('login')}?{urlencode({'next': back})}",
    }


def _gone(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(request, "rooms/share_link_gone.html", {"message": message}, status=status)
