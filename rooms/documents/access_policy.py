"""The sync runtime's access policy (``rooms.sync.access.AccessPolicy``), from the rooms'
memberships, documents' locks and share links, and accounts' credentials."""

from __future__ import annotations

import uuid

from rooms.accounts.selectors import live_credentials
from rooms.documents.selectors import documents_live_grants, share_links_live
from rooms.membership.services.access_epoch import access_epoch
from rooms.sync.access import AccessReading


class DocumentAccessPolicy:
    """Who may still read and write the open documents; see ``AccessPolicy``."""

    def epoch(self) -> int:
        return access_epoch()

    def read(
        self,
        users_by_document: dict[uuid.UUID, set[int]],
        session_keys: set[str],
        token_digests: set[str],
        link_digests: set[str],
    ) -> AccessReading:
        sessions, tokens = live_credentials(session_keys=session_keys, token_digests=token_digests)
        return AccessReading(
            grants=documents_live_grants(users_by_document),
            sessions=sessions,
            tokens=tokens,
            links=share_links_live(link_digests),
        )
