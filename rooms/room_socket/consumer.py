"""The room socket, ``/ws/rooms/{room_id}``: chat, comments and presence as JSON text frames.

A thin layer: each client frame (``rooms.room_socket.frames``) becomes one call to a chat,
comments or presence service, a refused one an ``error`` event for this socket alone
(``code``, ``detail``, the frame's ``client_id``). Everything others should see is published
by the services to the room's channel-layer group (``rooms.core.live_events``) after it is
committed, whether it came from this socket, another process or the REST API, and every
socket of the room forwards it.

On connect: 4401 without a session or token, 4404 for a room the user may not read; a full
room gets an ``error`` (``room_full``) and 1013. Then ``presence.snapshot``, the newest
messages (``message.history``) and, for members, ``unread``. Abuse closes the socket: 4400
for a binary frame, 4413 for a frame over ``COLLAB_MAX_ROOM_FRAME_BYTES``, 1013 past
``COLLAB_MAX_ROOM_FRAMES_PER_SECOND``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
import uuid
from collections.abc import Callable
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings

from presence.events import snapshot_json
from presence.services import (
    PresenceConnection,
    RoomFull,
    presence_heartbeat,
    presence_join,
    presence_leave,
    presence_set_status,
    presence_set_viewing,
)
from presence.typing_throttle import typing_expires_in, typing_throttle
from rooms.accounts.selectors import live_credentials
from rooms.chat.events import (
    message_history_event,
    message_new_event,
    typing_event,
    unread_state_event,
)
from rooms.chat.services import messages, reactions, read_state
from rooms.core.asgi_extensions import SEND_SHARED
from rooms.core.errors import DomainError, NotFound
from rooms.core.live_events import publish_now
from rooms.core.metrics import ObservedWebsocketConsumer
from rooms.core.read_batches import BatchedRead, db_read
from rooms.membership.permissions import Access
from rooms.membership.selectors import room_accesses
from rooms.room_socket import frames as f
from rooms.room_socket.comment_commands import comment_perform
from rooms.room_socket.hub import get_hub
from rooms.sync.rate import TokenBucket

logger = logging.getLogger(__name__)

CLOSE_MALFORMED = 4400
CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_TOO_LARGE = 4413
CLOSE_TRY_LATER = 1013


# Events of one person's room list (``/ws/me``, rooms.room_socket.user_consumer): they reach
# the person's group, which their room sockets share, but a room page shows none of them.
ROOM_LIST_EVENTS = frozenset({"room.joined", "room.updated", "room.left", "room.unread"})


# The ``message.history`` last built for each room, with when its reading began. A socket
# that subscribed to the room's events before that reuses it: whatever changed since it
# subscribed reaches it as events anyway. In a join storm one build serves many sockets.
# Only ever used from the one thread that runs ``database_sync_to_async`` calls.
_histories: dict[uuid.UUID, tuple[float, dict[str, Any]]] = {}
HISTORIES_KEPT = 1000


def _kept_history(room: Any, subscribed_at: float) -> dict[str, Any] | None:
    """The kept ``message.history`` a socket subscribed at ``subscribed_at`` may reuse. Also
    read from the event loop (a dict read is atomic): a join that needs no database work
    skips the trip to the database thread, where every socket's work queues."""
    kept = _histories.get(room.pk)
    return kept[1] if kept is not None and kept[0] >= subscribed_at else None


def _history(room: Any, subscribed_at: float) -> dict[str, Any]:
    if (kept := _kept_history(room, subscribed_at)) is not None:
        return kept
    started = time.monotonic()
    event = message_history_event(room=room)
    _histories.pop(room.pk, None)
    if len(_histories) >= HISTORIES_KEPT:
        del _histories[next(iter(_histories))]
    _histories[room.pk] = (started, event)
    return event


def _join_events(access: Access, subscribed_at: float) -> list[dict[str, Any]]:
    events = [_history(access.room, subscribed_at)]
    if (unread := unread_state_event(access=access)) is not None:
        events.append(unread)
    return events


def _kept_join_events(access: Access, subscribed_at: float) -> list[dict[str, Any]] | None:
    """``_join_events`` when they need no query (a kept history, the unread count read with
    the access), else ``None``."""
    history = _kept_history(access.room, subscribed_at)
    if history is None or (access.membership is not None and access.unread is None):
        return None
    return _join_events(access, subscribed_at)


# An open room socket, as its heartbeat checks it: (user, room id, session key, token digest).
Credentials = tuple[Any, uuid.UUID, str | None, str | None]


def _still_allowed(sockets: set[Credentials]) -> dict[Credentials, int]:
    """For each socket, 0 while it may stay open, else the code to close it with. Five
    queries however many ask together: every socket asks at every heartbeat, and a storm's
    sockets, which joined together, ask together."""
    sessions, tokens = live_credentials(
        session_keys={session for _, _, session, token in sockets if session and not token},
        token_digests={token for _, _, _, token in sockets if token},
    )
    accesses = room_accesses(users_rooms={(user, room_id) for user, room_id, _, _ in sockets})
    codes = {}
    for socket in sockets:
        user, room_id, session, token = socket
        if not (token in tokens if token else session in sessions):
            codes[socket] = CLOSE_NOT_AUTHENTICATED
        elif (user, room_id) not in accesses:
            codes[socket] = CLOSE_FORBIDDEN
        else:
            codes[socket] = 0
    return codes


_allowed_checks: BatchedRead[Credentials, int] = BatchedRead(db_read(_still_allowed))


class RoomConsumer(ObservedWebsocketConsumer):
    socket_kind = "room"
    # No channel-layer channel per socket: the process's room hub has one for all of them.
    channel_layer_alias = "none"
    room_id: uuid.UUID | None = None
    connection: PresenceConnection | None = None
    heartbeat: asyncio.Task[None] | None = None
    send_shared: Callable[..., bool] | None = None  # rooms.core.asgi_extensions.SEND_SHARED
    # Events that arrive while the socket is joining wait here, so the snapshot comes first.
    held: list[tuple[dict[str, Any], bytes]] | None = None
    revoked = False  # closed for lost access: nothing more is written to it

    async def connect(self) -> None:
        await self.accept()  # a close code only reaches the client on an accepted socket
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        try:
            room_id = uuid.UUID(self.scope["url_route"]["kwargs"]["room_id"])
        except ValueError:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.user = user
        self.send_shared = self.scope.get("extensions", {}).get(SEND_SHARED)
        self.token_digest: str | None = self.scope.get("token_digest")
        self.session_key: str | None = (
            None if self.token_digest else self.scope["session"].session_key
        )
        self.rate = TokenBucket(settings.COLLAB_MAX_ROOM_FRAMES_PER_SECOND)
        # Subscribe first: whatever happens after the snapshot below is read arrives too.
        self.room_id = room_id
        self.held = []
        await get_hub().join(room_id, self)
        subscribed_at = time.monotonic()
        # Notifications, whatever the room: subscribed meanwhile (in a storm, each user's
        # group is a Redis round trip of its own).
        user_joined = asyncio.ensure_future(get_hub().join_user(user.pk, self))
        try:
            joined = await presence_join(user=user, room_id=room_id, connection_id=uuid.uuid4().hex)
        except NotFound:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        except RoomFull as error:
            await self.send_error(error.code, error.detail)
            await self.close(code=CLOSE_TRY_LATER)
            return
        finally:
            await user_joined  # before any leave_user of disconnect
        self.connection = joined.connection
        await self.send(text_data=snapshot_json(joined.snapshot))
        events = _kept_join_events(joined.access, subscribed_at)
        if events is None:
            events = await database_sync_to_async(_join_events)(joined.access, subscribed_at)
        for event in events:
            await self.send_event(event)
        held, self.held = self.held, None
        for event, frame in held:
            await self.deliver(event, frame)
        self.heartbeat = asyncio.get_running_loop().create_task(self._heartbeat())

    async def disconnect(self, code: int) -> None:
        if self.heartbeat is not None:
            self.heartbeat.cancel()
        connection, self.connection = self.connection, None
        try:
            if connection is not None:
                await presence_leave(connection=connection)
        finally:
            if self.room_id is not None:
                await get_hub().leave(self.room_id, self)
                await get_hub().leave_user(self.user.pk, self)

    async def _heartbeat(self) -> None:
        """Renew presence, and close the socket once its user may no longer be here."""
        while True:
            # Each beat a little early, at random: the sockets of a storm, which joined within a
            # second, would otherwise beat together for as long as they stay (500 registry
            # renewals at once, every time, while chat messages wait on the same event loop).
            early = random.uniform(0.75, 1)  # noqa: S311 (not for secrets)
            await asyncio.sleep(settings.COLLAB_PRESENCE_HEARTBEAT_SECONDS * early)
            assert self.room_id is not None
            try:
                if await self._closed_unless_allowed():
                    return
                if self.connection is not None:
                    await presence_heartbeat(connection=self.connection)
            except RoomFull as error:
                await self.send_error(error.code, error.detail)
                await self.close(code=CLOSE_TRY_LATER)
                return
            except Exception:
                logger.warning("room socket heartbeat failed", exc_info=True)

    async def _closed_unless_allowed(self) -> bool:
        """Close the socket if its user may no longer be here; ``True`` if it did."""
        assert self.room_id is not None
        code = await _allowed_checks.get(
            (self.user, self.room_id, self.session_key, self.token_digest)
        )
        if code:
            self.revoked = True
            await self.close(code=code)
        return bool(code)

    async def recheck_access(self) -> None:
        if self.room_id is not None and not self.revoked:
            await self._closed_unless_allowed()

    # --- client frames ---------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.connection is None:
            return
        if text_data is None:
            await self.close(code=CLOSE_MALFORMED)
            return
        if len(text_data) > settings.COLLAB_MAX_ROOM_FRAME_BYTES:  # characters: a lower bound
            await self.close(code=CLOSE_TOO_LARGE)
            return
        if not self.rate.take():
            await self.close(code=CLOSE_TRY_LATER)
            return
        try:
            command = f.parse_frame(text_data)
        except f.FrameError as error:
            await self.send_error(error.code, error.detail, error.client_id)
            return
        try:
            await self.perform(command)
        except DomainError as error:
            await self.send_error(error.code, error.detail, command.client_id or None)

    async def perform(self, command: f.Command) -> None:
        """Carry out one command; raises the service's ``DomainError``."""
        connection = self.connection
        assert connection is not None and self.room_id is not None
        user, room_id = self.user, self.room_id
        if isinstance(command, f.MessageSend):
            message, created = await database_sync_to_async(messages.message_send)(
                actor=user,
                room_id=room_id,
                body=command.body,
                parent_id=command.parent,
                client_id=command.client_id,
            )
            if not created:  # a re-send (after a reconnect, say): confirm the first to it alone
                event = await database_sync_to_async(message_new_event)(
                    message, parent_reply_count=None
                )
                await self.send_event(event)
        elif isinstance(command, f.MessageEdit):
            await database_sync_to_async(messages.message_edit)(
                actor=user, room_id=room_id, message_id=command.message, body=command.body
            )
        elif isinstance(command, f.MessageDelete):
            await database_sync_to_async(messages.message_delete)(
                actor=user, room_id=room_id, message_id=command.message
            )
        elif isinstance(command, (f.ReactionAdd, f.ReactionRemove)):
            react = (
                reactions.reaction_add
                if isinstance(command, f.ReactionAdd)
                else reactions.reaction_remove
            )
            await database_sync_to_async(react)(
                actor=user, room_id=room_id, message_id=command.message, emoji=command.emoji
            )
        elif isinstance(command, f.Read):
            await database_sync_to_async(read_state.read_state_mark)(
                actor=user, room_id=room_id, message_id=command.message
            )
        elif isinstance(command, f.Typing):
            if typing_throttle.allow(room_id, user.pk):
                event = await database_sync_to_async(typing_event)(
                    room_id=room_id, user=user, expires_in=typing_expires_in()
                )
                await publish_now(room_id, event)
        elif isinstance(command, f.PresenceStatus):
            await presence_set_status(connection=connection, status=command.status)
        elif isinstance(command, f.PresenceViewing):
            await presence_set_viewing(connection=connection, viewing=command.document)
        else:
            await database_sync_to_async(comment_perform)(
                user=user, room_id=room_id, command=command
            )

    # --- server events ---------------------------------------------------------------------

    async def deliver(self, event: dict[str, Any], frame: bytes) -> None:
        """An event published to the room (``frame`` is its JSON): written to this socket,
        except one meant for another member (``unread``), this user's own typing and their
        room list's events."""
        if self.held is not None:
            self.held.append((event, frame))
            return
        if self.revoked:
            return
        kind = event["type"]
        if kind in ROOM_LIST_EVENTS:
            return
        if kind == "unread" and event.get("user_id") != self.user.pk:
            return
        if kind == "typing" and event["user"]["id"] == self.user.pk:
            return
        if self.send_shared is None or not self.send_shared(frame, binary=False):
            await self.send(text_data=frame.decode())

    async def send_event(self, event: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(event))

    async def send_error(self, code: str, detail: str, client_id: str | None = None) -> None:
        error = {"type": "error", "code": code, "detail": detail, "client_id": client_id}
        await self.send_event(error)
