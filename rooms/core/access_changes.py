"""The announcement that access may have changed (a removal, a demotion, a lock, a logout, a
password change, a revoked token), sent to every process once the change has committed.

Every process's document runtime and room hub listen on ``ACCESS_GROUP``. On the message they
re-check their open sockets before they accept or send anything more, so a change takes effect
as soon as the request that made it has answered. The periodic re-checks stay as the safety net
for a message the channel layer loses and for changes made where no layer reaches (a shell)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

ACCESS_GROUP = "access"
# {"type": ACCESS_MESSAGE, "epoch": the access epoch once the change committed}. A listener
# that has re-checked under this epoch or a later one skips the message.
ACCESS_MESSAGE = "access.changed"


def access_message(epoch: int) -> dict[str, Any]:
    return {"type": ACCESS_MESSAGE, "epoch": epoch}


def announce_after_commit(read_epoch: Callable[[], int]) -> None:
    """Announce the change once the current transaction commits (at once outside one), with
    the epoch ``read_epoch`` reads then. Callable from sync code only."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(ACCESS_GROUP, access_message(read_epoch()))
        except Exception:
            logger.warning(
                "could not announce an access change: open sockets take it at their next re-check",
                exc_info=True,
            )

    transaction.on_commit(send)
