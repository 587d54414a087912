"""The share links a browser has followed, kept in its session (signed in or not): what lets a
guest's browser fetch the linked document's images with no secret in their URLs. The session
keeps link ids; whether a link still opens anything is checked at each use."""

from __future__ import annotations

from django.contrib.sessions.backends.base import SessionBase

from rooms.documents.models import ShareLink

SESSION_KEY = "share_links"
# The newest links kept: a session stays small however many links its browser follows.
MAX_REMEMBERED = 20


def share_link_remember(session: SessionBase, link: ShareLink) -> None:
    """Note that this browser followed the link (its page was shown)."""
    followed = [pk for pk in followed_share_links(session) if pk != link.pk]
    session[SESSION_KEY] = [*followed, link.pk][-MAX_REMEMBERED:]


def followed_share_links(session: SessionBase) -> list[int]:
    """The ids of the links this browser followed, live or not."""
    return list(session.get(SESSION_KEY, []))
