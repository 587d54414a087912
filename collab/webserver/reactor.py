"""The asyncio event loop Twisted's reactor runs on.

Daphne runs Twisted's asyncio reactor, so the process has one event loop; Collab schedules its
own work on it (signal handlers, collections) before the reactor starts, when asyncio has no
running loop to return. Twisted exposes that loop only as a private attribute.
"""

from __future__ import annotations

import asyncio


def reactor_loop() -> asyncio.AbstractEventLoop:
    """The event loop of the installed reactor (importing ``daphne.server`` installs Twisted's
    asyncio reactor first, if nothing has)."""
    import daphne.server  # noqa: F401
    from twisted.internet import reactor

    loop: asyncio.AbstractEventLoop = reactor._asyncioEventloop
    return loop
