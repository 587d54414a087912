"""Who is in each room right now, per connection: the presence registry's interface, which
both implementations and every caller share.

A connection (its id chosen by the caller) belongs to one user in one room and has a status
(``online`` or ``away``), the document it is viewing (or none) and an expiry that heartbeats
renew. The registry answers per user: a user with three tabs is one member, shown online if
any tab is online, viewing what they most recently chose to view, with three connections.

Two implementations, picked by settings in ``presence.registry``: ``MemoryPresenceRegistry`` (no
``REDIS_URL``: one process) and ``RedisPresenceRegistry`` (shared by every process and machine
using the same Redis). Every operation returns a ``Change``: the user's state before and after,
from which the services derive the ``presence.*`` events. The registry knows no database and no
events.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

Status = Literal["online", "away"]
STATUSES: tuple[Status, ...] = ("online", "away")
Clock = Callable[[], float]


class RoomAtCapacity(Exception):
    """The room already has as many distinct users as it may have."""


class UnknownConnection(Exception):
    """The connection is not registered: it never joined, left, or expired and was swept."""


@dataclass(frozen=True)
class MemberState:
    """One user's presence in one room, over all of their connections."""

    status: Status
    viewing: str | None
    connections: int


@dataclass(frozen=True)
class Change:
    """What an operation did to one user's presence in one room.

    ``at`` is when it took effect (wall-clock seconds): for an expiry, the last renewal of the
    connection that expired, which is when the user was last known to be there.
    """

    room_id: str
    user_id: int
    before: MemberState | None
    after: MemberState | None
    at: float

    @property
    def joined(self) -> bool:
        """This was the user's first connection in the room."""
        return self.before is None and self.after is not None

    @property
    def left(self) -> bool:
        """The user's last connection in the room is gone."""
        return self.after is None

    @property
    def updated(self) -> bool:
        """The user stays, and what others see of them (status, viewing) changed."""
        if self.before is None or self.after is None:
            return False
        return (self.before.status, self.before.viewing) != (self.after.status, self.after.viewing)


class PresenceRegistry(Protocol):
    """The operations every registry offers. Room ids are strings without spaces (UUIDs)."""

    ttl: float  # seconds a connection lives without a heartbeat
    sweep_interval: float  # seconds between sweeps of one process
    shared: bool  # True if other processes see the same registry

    async def join(
        self,
        *,
        room_id: str,
        user_id: int,
        connection_id: str,
        status: Status,
        viewing: str | None,
        max_users: int | None,
    ) -> Change:
        """Register a connection (or re-register it, replacing its state). With ``max_users``,
        raises ``RoomAtCapacity`` if the user is not in the room yet and that many users are."""
        ...

    async def set_status(
        self, *, room_id: str, user_id: int, connection_id: str, status: Status
    ) -> Change:
        """Set one connection's status. Raises ``UnknownConnection``."""
        ...

    async def set_viewing(
        self, *, room_id: str, user_id: int, connection_id: str, viewing: str | None
    ) -> Change:
        """Set what one connection views (``None``: no document); the user's most recently
        set one is what others see. Raises ``UnknownConnection``."""
        ...

    async def heartbeat(self, *, room_id: str, user_id: int, connection_id: str) -> bool:
        """Renew a connection for another ``ttl``; ``False`` if it is not registered."""
        ...

    async def leave(self, *, room_id: str, user_id: int, connection_id: str) -> Change | None:
        """Remove a connection; ``None`` if it was not registered."""
        ...

    async def members(self, *, room_id: str) -> dict[int, MemberState]:
        """Everyone in the room, by user id."""
        ...

    async def sweep(self) -> list[Change]:
        """Remove every connection not renewed within ``ttl``: one ``Change`` per user whose
        state changed (``left`` for those whose last connection expired)."""
        ...

    def sweep_due(self) -> bool:
        """Whether this process should sweep now (at most once per sweep interval); claims
        the turn when it answers ``True``."""
        ...

    async def aclose(self) -> None:
        """Release connections to the backing store (nothing for the in-memory registry)."""
        ...


class SweepTurn:
    """Grants one sweep per ``interval`` seconds of the monotonic clock to this process."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._next = 0.0

    def claim(self) -> bool:
        now = time.monotonic()
        if now < self._next:
            return False
        self._next = now + self.interval
        return True


def merge_changes(changes: list[Change]) -> list[Change]:
    """One ``Change`` per room and user from several in order: the first ``before``, the last
    ``after`` and the latest ``at``. Users back where they started are dropped."""
    merged: dict[tuple[str, int], Change] = {}
    for change in changes:
        key = (change.room_id, change.user_id)
        first = merged.get(key)
        merged[key] = (
            change
            if first is None
            else Change(
                room_id=change.room_id,
                user_id=change.user_id,
                before=first.before,
                after=change.after,
                at=max(first.at, change.at),
            )
        )
    return [change for change in merged.values() if change.left or change.before != change.after]
