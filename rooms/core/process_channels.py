"""The channel-layer channels this process listens on (the sync runtime's and the room hub's).

channels-redis serves every process-specific channel whose name shares the part before "!"
from one Redis list, read by whichever ``receive`` holds the layer's receive lock, and that
reader keeps the lock until a message for its own list arrives. Two prefixes in one process
make two lists: a listener blocked on a quiet list holds the lock while the other's messages
wait. Seen in a test: once a document socket had started the runtime's listener, room events
from other processes never reached the room hub. So every listener here shares one prefix.
"""

from __future__ import annotations

from typing import Any

PREFIX = "collab"


async def new_process_channel(layer: Any) -> str:
    """A new channel of this process on ``layer``, in the list every other one shares."""
    return str(await layer.new_channel(prefix=PREFIX))
