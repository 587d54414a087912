"""What the sync runtime needs to know about access, as an interface the Django side
implements (``rooms.documents.access_policy``): the runtime re-checks its open connections
with it, and imports nothing that decides access itself."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class AccessReading:
    """The access of many open connections, read in one trip for all open documents."""

    # Per document: each asked user who may still read it, and whether they may write; None
    # when the document (or its room) is gone.
    grants: dict[uuid.UUID, dict[int, bool] | None]
    sessions: set[str]  # the asked session keys still signed in
    tokens: set[str]  # the asked API token digests still valid
    # The asked share links' digests still live, mapped to whether they may write.
    links: dict[str, bool] = field(default_factory=dict)


class AccessPolicy(Protocol):
    """Called on the runtime's sweep thread, which may query the database."""

    def epoch(self) -> int:
        """A number that moves whenever access may have changed anywhere (a membership, a
        role, a lock, a logout, a revoked token or share link): the runtime re-reads access
        when it does."""
        ...

    def read(
        self,
        users_by_document: dict[uuid.UUID, set[int]],
        session_keys: set[str],
        token_digests: set[str],
        link_digests: set[str],
    ) -> AccessReading:
        """The access of these users to these documents, and which credentials (sessions, API
        tokens, share links) still hold."""
        ...
