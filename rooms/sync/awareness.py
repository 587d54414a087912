"""Awareness (cursors, selections, names) of one document, as this process knows it.

Each state belongs to the connection that first sent its client id (or, for states relayed
from other processes, to no local connection). The server stamps every local state with the
sender's identity, so nobody can appear as someone else.

A removal the server announced (a connection left) is kept for a while with its clock, one
above the state's. Yjs clients keep that clock too and take a state for the id only with a
higher clock, so when the client comes back (a reconnect: same id, same clock) its state would
stay invisible until its own renewals passed the removal. Instead the server tells it the
removal: y-protocols answers a removal of its own state by sending that state again with a
clock above the removal's, which everyone then takes.

The process a client comes back to may not hold its removal (it unloaded the document when
the client left, or never had it open), and takes the stale clock; the processes that do hold
the removal refuse the relayed state and publish the removal again, and the process that owns
the state tells its connection, which re-sends the state above it as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from rooms.sync.protocol import AwarenessEntry

# Yjs clients renew their state every 15 s and drop others' after 30 s without renewal.
REMOTE_TIMEOUT_SECONDS = 30.0
# By then a client that kept its state through a disconnect has renewed it past the removal.
REMOVAL_KEPT_SECONDS = 2 * REMOTE_TIMEOUT_SECONDS

# What a connection's awareness frame did: changed a state (a cursor moved, someone arrived or
# left: others should see it at once), or only renewed states unchanged (the 15-second
# keep-alive: it may wait a few seconds and travel with others, well inside the 30 s).
CHANGED = "changed"
RENEWED = "renewed"

Owner = TypeVar("Owner")  # what stands for a local connection


@dataclass
class Slot(Generic[Owner]):
    owner: Owner | None  # the local connection, or None for a state from another process
    clock: int
    state: dict[str, Any] | None
    updated_at: float = 0.0


@dataclass
class RemoteOutcome(Generic[Owner]):
    """What states relayed by another process did (see ``AwarenessTable.apply_remote``)."""

    changed: list[AwarenessEntry] = field(default_factory=list)
    republish: list[AwarenessEntry] = field(default_factory=list)
    told: list[tuple[Owner, AwarenessEntry]] = field(default_factory=list)


class AwarenessTable(Generic[Owner]):
    def __init__(self) -> None:
        self.slots: dict[int, Slot[Owner]] = {}
        self._dirty: set[int] = set()

    def apply_local(
        self, owner: Owner, entries: tuple[AwarenessEntry, ...], identity: dict[str, Any]
    ) -> tuple[str | None, list[AwarenessEntry]]:
        """Record a connection's states. Returns ``CHANGED`` if a state changed, ``RENEWED``
        if states were only renewed, ``None`` if nothing is to be relayed; and the kept
        removals to tell this connection (see the module's docstring).

        y-websocket clients send back every awareness change they apply, others' included, so
        an entry for a client id this connection does not own is an echo and is ignored: ids
        owned by another local connection always, ids relayed from another process (or
        removed) unless the clock moved on (the client itself reconnected here). A state at
        or below a kept removal's clock gets that removal back: a returning client then
        re-sends its state above it, and to an echoing one it is a removal it already has.
        """
        outcome = None
        refused: list[AwarenessEntry] = []
        for entry in entries:
            slot = self.slots.get(entry.client_id)
            if slot is not None and slot.owner is not owner:
                if slot.owner is not None or entry.clock <= slot.clock:
                    if slot.owner is None and slot.state is None and entry.state is not None:
                        refused.append(AwarenessEntry(entry.client_id, slot.clock, None))
                    continue
            elif slot is not None and entry.clock < slot.clock:
                continue
            state = None if entry.state is None else {**entry.state, "user": identity}
            renewal = slot is not None and slot.owner is owner and slot.state == state
            if not renewal or outcome is None:
                outcome = RENEWED if renewal else CHANGED
            self.slots[entry.client_id] = Slot(owner=owner, clock=entry.clock, state=state)
            self._dirty.add(entry.client_id)
        return outcome, refused

    def apply_remote(self, entries: tuple[AwarenessEntry, ...], now: float) -> RemoteOutcome[Owner]:
        """Record states relayed by another process. Returns those that changed, for this
        process's connections; the kept removals a relayed state was at or below, to publish
        again; and the removals above the clock of a state a local connection owns, to tell
        that connection (see the module's docstring)."""
        outcome: RemoteOutcome[Owner] = RemoteOutcome()
        for entry in entries:
            slot = self.slots.get(entry.client_id)
            if slot is not None and slot.owner is not None:
                if entry.state is None and entry.clock > slot.clock:
                    outcome.told.append((slot.owner, entry))
                    # Taken, owner kept: the state re-sent above it is a change, relayed at
                    # once, not a renewal that waits.
                    self.slots[entry.client_id] = Slot(slot.owner, entry.clock, None)
                    self._dirty.discard(entry.client_id)
                continue
            if slot is not None and entry.clock <= slot.clock:
                if slot.state is None and entry.state is not None:
                    # A returning client's stale clock, taken by a process without the removal.
                    outcome.republish.append(AwarenessEntry(entry.client_id, slot.clock, None))
                    continue
                if entry.clock < slot.clock:
                    continue
            # A removal stays with its clock until it expires, so a late echo of the removed
            # state cannot bring it back under another name.
            self.slots[entry.client_id] = Slot(None, entry.clock, entry.state, now)
            outcome.changed.append(entry)
        return outcome

    def remove_owner(self, owner: Owner, now: float) -> list[AwarenessEntry]:
        """Replace a departed connection's states by their removals, kept from ``now``;
        returns the removals to announce."""
        gone = [client_id for client_id, slot in self.slots.items() if slot.owner is owner]
        removals = [
            AwarenessEntry(client_id=client_id, clock=self.slots[client_id].clock + 1, state=None)
            for client_id in gone
        ]
        for removal in removals:
            self.slots[removal.client_id] = Slot(None, removal.clock, None, now)
            self._dirty.discard(removal.client_id)
        return removals

    def expire_remote(self, now: float) -> list[AwarenessEntry]:
        """Drop relayed states not renewed in time (their process may have died), and the
        removals kept long enough."""
        stale = [
            client_id
            for client_id, slot in self.slots.items()
            if slot.owner is None
            and now - slot.updated_at
            > (REMOTE_TIMEOUT_SECONDS if slot.state is not None else REMOVAL_KEPT_SECONDS)
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
