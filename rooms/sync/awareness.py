"""Awareness (cursors, selections, names) of one document, as this process knows it.

Each state belongs to the connection that first sent its client id (or, for states relayed
from other processes, to no local connection). The server stamps every local state with the
sender's identity, so nobody can appear as someone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rooms.sync.protocol import AwarenessEntry

# Yjs clients renew their state every 15 s and drop others' after 30 s without renewal.
REMOTE_TIMEOUT_SECONDS = 30.0

# What a connection's awareness frame did: changed a state (a cursor moved, someone arrived or
# left: others should see it at once), or only renewed states unchanged (the 15-second
# keep-alive: it may wait a few seconds and travel with others, well inside the 30 s).
CHANGED = "changed"
RENEWED = "renewed"


@dataclass
class Slot:
    owner: object | None  # the local connection, or None for a state from another process
    clock: int
    state: dict[str, Any] | None
    updated_at: float = 0.0


class AwarenessTable:
    def __init__(self) -> None:
        self.slots: dict[int, Slot] = {}
        self._dirty: set[int] = set()

    def apply_local(
        self, owner: object, entries: tuple[AwarenessEntry, ...], identity: dict[str, Any]
    ) -> str | None:
        """Record a connection's states; returns ``CHANGED`` if a state changed, ``RENEWED``
        if states were only renewed, ``None`` if nothing is to be relayed.

        y-websocket clients send back every awareness change they apply, others' included, so
        an entry for a client id this connection does not own is an echo and is ignored: ids
        owned by another local connection always, ids relayed from another process unless the
        clock moved on (the client itself reconnected here).
        """
        outcome = None
        for entry in entries:
            slot = self.slots.get(entry.client_id)
            if slot is not None and slot.owner is not owner:
                if slot.owner is not None or entry.clock <= slot.clock:
                    continue
            elif slot is not None and entry.clock < slot.clock:
                continue
            state = None if entry.state is None else {**entry.state, "user": identity}
            renewal = slot is not None and slot.owner is owner and slot.state == state
            if not renewal or outcome is None:
                outcome = RENEWED if renewal else CHANGED
            self.slots[entry.client_id] = Slot(owner=owner, clock=entry.clock, state=state)
            self._dirty.add(entry.client_id)
        return outcome

    def apply_remote(self, entries: tuple[AwarenessEntry, ...], now: float) -> list[AwarenessEntry]:
        """Record states relayed by another process; returns those that changed."""
        changed: list[AwarenessEntry] = []
        for entry in entries:
            slot = self.slots.get(entry.client_id)
            if slot is not None and (slot.owner is not None or entry.clock < slot.clock):
                continue
            # A removal stays with its clock until it expires, so a late echo of the removed
            # state cannot bring it back under another name.
            self.slots[entry.client_id] = Slot(None, entry.clock, entry.state, now)
            changed.append(entry)
        return changed

    def remove_owner(self, owner: object) -> list[AwarenessEntry]:
        """Forget a departed connection's states; returns the removals to announce."""
        gone = [client_id for client_id, slot in self.slots.items() if slot.owner is owner]
        removals = [
            AwarenessEntry(client_id=client_id, clock=self.slots[client_id].clock + 1, state=None)
            for client_id in gone
        ]
        for client_id in gone:
            del self.slots[client_id]
            self._dirty.discard(client_id)
        return removals

    def expire_remote(self, now: float) -> list[AwarenessEntry]:
        """Drop relayed states not renewed in time (their process may have died)."""
        stale = [
            client_id
            for client_id, slot in self.slots.items()
            if slot.owner is None and now - slot.updated_at > REMOTE_TIMEOUT_SECONDS
        ]
        removals = [
            AwarenessEntry(client_id=client_id, clock=self.slots[client_id].clock + 1, state=None)
            for client_id in stale
            if self.slots[client_id].state is not None  # kept removals expire silently
        ]
        for client_id in stale:
            del self.slots[client_id]
        return removals

    def take_dirty(self) -> list[AwarenessEntry]:
        """The states changed since the last call; forgets those that were removals."""
        entries = []
        for client_id in self._dirty:
            slot = self.slots.get(client_id)
            if slot is None:
                continue
            entries.append(AwarenessEntry(client_id=client_id, clock=slot.clock, state=slot.state))
            if slot.state is None:
                del self.slots[client_id]
        self._dirty.clear()
        return entries

    def present(self) -> list[AwarenessEntry]:
        """Every state currently present, for a newcomer or a query."""
        return [
            AwarenessEntry(client_id=client_id, clock=slot.clock, state=slot.state)
            for client_id, slot in self.slots.items()
            if slot.state is not None
        ]
