"""``AwarenessTable`` of two processes, with the relayed frames passed by hand: a client that
comes back to a process without its removal is still told it, through the process that kept
it."""

from __future__ import annotations

from rooms.sync.awareness import CHANGED, AwarenessTable
from rooms.sync.protocol import AwarenessEntry

CLIENT = 7
USER = {"name": "alice"}


def test_a_stale_state_relayed_to_a_process_holding_the_removal_gets_the_removal_to_its_owner():
    owners_process: AwarenessTable[str] = AwarenessTable()
    watchers_process: AwarenessTable[str] = AwarenessTable()
    owners_process.apply_local("first socket", (AwarenessEntry(CLIENT, 1, {"cursor": 3}),), USER)
    watchers_process.apply_remote(tuple(owners_process.take_dirty()), now=0.0)
    removal = owners_process.remove_owner("first socket", now=1.0)
    assert watchers_process.apply_remote(tuple(removal), now=1.0).changed == removal

    # The owner's process unloaded the document: the client comes back with its old clock.
    owners_process = AwarenessTable()
    returned = AwarenessEntry(CLIENT, 1, {"cursor": 3})
    assert owners_process.apply_local("second socket", (returned,), USER)[1] == []
    relayed = watchers_process.apply_remote(tuple(owners_process.take_dirty()), now=2.0)
    assert relayed.changed == []
    assert relayed.republish == [AwarenessEntry(CLIENT, 2, None)]

    answered = owners_process.apply_remote(tuple(relayed.republish), now=2.0)
    assert answered.told == [("second socket", AwarenessEntry(CLIENT, 2, None))]
    assert answered.changed == answered.republish == []

    # y-protocols re-sends its state above the removal: a change, relayed at once, and the
    # watcher's process takes it.
    resent = AwarenessEntry(CLIENT, 3, {"cursor": 3})
    assert owners_process.apply_local("second socket", (resent,), USER) == (CHANGED, [])
    again = watchers_process.apply_remote(tuple(owners_process.take_dirty()), now=2.1)
    assert again.changed == [AwarenessEntry(CLIENT, 3, {"cursor": 3, "user": USER})]
    assert again.republish == []


def test_a_relayed_state_above_a_kept_removal_is_taken_and_nothing_is_republished():
    table: AwarenessTable[str] = AwarenessTable()
    table.apply_remote((AwarenessEntry(CLIENT, 2, None),), now=0.0)
    outcome = table.apply_remote((AwarenessEntry(CLIENT, 3, {"cursor": 1}),), now=0.1)
    assert outcome.changed == [AwarenessEntry(CLIENT, 3, {"cursor": 1})]
    assert outcome.republish == outcome.told == []
