"""The presence registry of one process, in memory (the embedded default, no ``REDIS_URL``).

Every operation runs under one lock, so the event loop and a view's thread see each
operation whole. Nothing here expires by itself: the web process sweeps (see services).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from presence.registry_interface import (
    Change,
    Clock,
    MemberState,
    RoomAtCapacity,
    Status,
    SweepTurn,
    UnknownConnection,
    merge_changes,
)


@dataclass
class _Connection:
    status: Status
    viewing: str | None
    viewing_set: int  # when viewing was last set, in strictly increasing ms; 0: never
    expires_at: float
    renewed_at: float


def _aggregate(connections: dict[str, _Connection]) -> MemberState | None:
    if not connections:
        return None
    latest = max(connections.values(), key=lambda connection: connection.viewing_set)
    return MemberState(
        status="online" if any(c.status == "online" for c in connections.values()) else "away",
        viewing=latest.viewing if latest.viewing_set else None,
        connections=len(connections),
    )


def _next_viewing_set(connections: dict[str, _Connection], now: float) -> int:
    newest = max((c.viewing_set for c in connections.values()), default=0)
    return max(int(now * 1000), newest + 1)


class MemoryPresenceRegistry:
    """See ``presence.registry_interface.PresenceRegistry``."""

    shared = False

    def __init__(self, *, ttl: float, sweep_interval: float, clock: Clock = time.time) -> None:
        self.ttl = ttl
        self.sweep_interval = sweep_interval
        self._clock = clock
        self._turn = SweepTurn(sweep_interval)
        self._lock = threading.Lock()
        # room -> user -> connection id -> connection
        self._rooms: dict[str, dict[int, dict[str, _Connection]]] = {}
        # room -> user -> what others see of them: kept by ``_change`` (every change passes
        # there), so ``members`` copies it instead of aggregating every user's connections
        # (a join storm asks it once per joiner).
        self._states: dict[str, dict[int, MemberState]] = {}

    def _change(self, room_id: str, user_id: int, before: MemberState | None, at: float) -> Change:
        users = self._rooms.get(room_id, {})
        after = _aggregate(users.get(user_id, {}))
        states = self._states.setdefault(room_id, {})
        if after is None:
            users.pop(user_id, None)
            states.pop(user_id, None)
            if not users:
                self._rooms.pop(room_id, None)
                self._states.pop(room_id, None)
        else:
            states[user_id] = after
        return Change(room_id=room_id, user_id=user_id, before=before, after=after, at=at)

    def _connection(self, room_id: str, user_id: int, connection_id: str) -> _Connection:
        connection = self._rooms.get(room_id, {}).get(user_id, {}).get(connection_id)
        if connection is None:
            raise UnknownConnection(connection_id)
        return connection

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
        now = self._clock()
        with self._lock:
            users = self._rooms.get(room_id, {})
            mine = users.get(user_id)
            if not mine and max_users is not None and len(users) >= max_users:
                raise RoomAtCapacity(room_id)
            mine = self._rooms.setdefault(room_id, {}).setdefault(user_id, {})
            before = _aggregate(mine)
            mine[connection_id] = _Connection(
                status=status,
                viewing=viewing,
                viewing_set=_next_viewing_set(mine, now) if viewing is not None else 0,
                expires_at=now + self.ttl,
                renewed_at=now,
            )
            return self._change(room_id, user_id, before, now)

    async def set_status(
        self, *, room_id: str, user_id: int, connection_id: str, status: Status
    ) -> Change:
        now = self._clock()
        with self._lock:
            connection = self._connection(room_id, user_id, connection_id)
            before = _aggregate(self._rooms[room_id][user_id])
            connection.status = status
            return self._change(room_id, user_id, before, now)

    async def set_viewing(
        self, *, room_id: str, user_id: int, connection_id: str, viewing: str | None
    ) -> Change:
        now = self._clock()
        with self._lock:
            connection = self._connection(room_id, user_id, connection_id)
            mine = self._rooms[room_id][user_id]
            before = _aggregate(mine)
            connection.viewing_set = _next_viewing_set(mine, now)
            connection.viewing = viewing
            return self._change(room_id, user_id, before, now)

    async def heartbeat(self, *, room_id: str, user_id: int, connection_id: str) -> bool:
        now = self._clock()
        with self._lock:
            try:
                connection = self._connection(room_id, user_id, connection_id)
            except UnknownConnection:
                return False
            connection.expires_at = now + self.ttl
            connection.renewed_at = now
            return True

    async def leave(self, *, room_id: str, user_id: int, connection_id: str) -> Change | None:
        now = self._clock()
        with self._lock:
            mine = self._rooms.get(room_id, {}).get(user_id, {})
            before = _aggregate(mine)
            if mine.pop(connection_id, None) is None:
                return None
            return self._change(room_id, user_id, before, now)

    async def members(self, *, room_id: str) -> dict[int, MemberState]:
        with self._lock:
            return dict(self._states.get(room_id, {}))

    async def sweep(self) -> list[Change]:
        now = self._clock()
        changes: list[Change] = []
        with self._lock:
            for room_id, users in list(self._rooms.items()):
                for user_id, mine in list(users.items()):
                    expired = [cid for cid, c in mine.items() if c.expires_at <= now]
                    if not expired:
                        continue
                    before = _aggregate(mine)
                    last_renewed = max(mine[cid].renewed_at for cid in expired)
                    for cid in expired:
                        del mine[cid]
                    changes.append(self._change(room_id, user_id, before, last_renewed))
        return merge_changes(changes)

    def sweep_due(self) -> bool:
        return self._turn.claim()

    async def aclose(self) -> None:
        """Nothing to release: the registry lives as long as the process."""
