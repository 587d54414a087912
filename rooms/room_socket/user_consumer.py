"""The person's own socket, ``/ws/me``: the events published to them, whatever the room, for
pages that show lists across rooms (the room list, the notifications page).

It carries the person's group only (``rooms.core.live_events.publish_to_user``): their rooms
joined, changed and left, their unread count per room, their notifications and the bell's
count. It never joins a room's group, so a member of many rooms costs one subscription, not one
per room. On connect: 4401 without a session or token; then ``ready``, once the socket is
subscribed, so a list the page reads after it misses nothing. The socket takes no frames
(4400). It closes 4401 once its session or token is no longer valid (re-checked when access
changes anywhere, and every ``COLLAB_PRESENCE_HEARTBEAT_SECONDS``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from typing import Any

from django.conf import settings

from rooms.accounts.selectors import live_credentials
from rooms.core.metrics import ObservedWebsocketConsumer
from rooms.core.read_batches import BatchedRead, db_read
from rooms.room_socket.hub import get_hub

logger = logging.getLogger(__name__)

CLOSE_MALFORMED = 4400
CLOSE_NOT_AUTHENTICATED = 4401

# An open user socket, as its check sees it: (session key, token digest).
Credentials = tuple[str | None, str | None]


def _still_signed_in(sockets: set[Credentials]) -> dict[Credentials, bool]:
    """Whether each socket's session or token is still valid: three queries however many ask."""
    sessions, tokens = live_credentials(
        session_keys={session for session, token in sockets if session and not token},
        token_digests={token for _, token in sockets if token},
    )
    return {
        (session, token): (token in tokens if token else session in sessions)
        for session, token in sockets
    }


_signed_in_checks: BatchedRead[Credentials, bool] = BatchedRead(db_read(_still_signed_in))


class UserConsumer(ObservedWebsocketConsumer):
    socket_kind = "user"
    # No channel-layer channel per socket: the process's room hub has one for all of them.
    channel_layer_alias = "none"
    user_id: int | None = None
    heartbeat: asyncio.Task[None] | None = None
    revoked = False

    async def connect(self) -> None:
        await self.accept()  # a close code only reaches the client on an accepted socket
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        token_digest: str | None = self.scope.get("token_digest")
        session_key: str | None = None if token_digest else self.scope["session"].session_key
        self.credentials: Credentials = (session_key, token_digest)
        self.user_id = user.pk
        await get_hub().join_user(user.pk, self)
        await self.send(text_data=json.dumps({"type": "ready", "user_id": user.pk}))
        self.heartbeat = asyncio.get_running_loop().create_task(self._heartbeat())

    async def disconnect(self, code: int) -> None:
        if self.heartbeat is not None:
            self.heartbeat.cancel()
        if self.user_id is not None:
            await get_hub().leave_user(self.user_id, self)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.close(code=CLOSE_MALFORMED)

    async def _heartbeat(self) -> None:
        while True:
            early = random.uniform(0.75, 1)  # noqa: S311 (not for secrets)
            await asyncio.sleep(settings.COLLAB_PRESENCE_HEARTBEAT_SECONDS * early)
            try:
                if await self._closed_unless_signed_in():
                    return
            except Exception:
                logger.warning("user socket check failed", exc_info=True)

    async def _closed_unless_signed_in(self) -> bool:
        if await _signed_in_checks.get(self.credentials):
            return False
        self.revoked = True
        await self.close(code=CLOSE_NOT_AUTHENTICATED)
        return True

    async def recheck_access(self) -> None:
        if self.user_id is not None and not self.revoked:
            await self._closed_unless_signed_in()

    async def deliver(self, event: dict[str, Any], frame: bytes) -> None:
        """An event published to this person (``frame`` is its JSON)."""
        if not self.revoked:
            await self.send(text_data=frame.decode())
