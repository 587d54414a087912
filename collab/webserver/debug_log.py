"""autobahn's settings dump, formatted only when its debug log is on.

autobahn calls its module's ``pformat`` on every new connection's forty settings for a debug
log line, eagerly, whether or not that line is written: in a reconnect storm that was a
visible share of the server's time. ``collab.webserver.server.install`` swaps it for this.
"""

from __future__ import annotations

from pprint import pformat
from typing import Any

import txaio

NOT_FORMATTED = "(not formatted: autobahn's debug log is off)"


def pformat_for_debug_log(value: Any) -> str:
    """``pprint.pformat(value)`` when autobahn's log level is debug or trace, else a short
    placeholder."""
    if txaio.get_global_log_level() in ("debug", "trace"):  # type: ignore[attr-defined]
        return pformat(value)
    return NOT_FORMATTED
