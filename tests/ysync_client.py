"""A Yjs client for consumer tests: a pycrdt ``Doc`` speaking the y-websocket protocol over
Channels' ``WebsocketCommunicator``, built on pycrdt's own protocol helpers (not ours)."""

from __future__ import annotations

import json
from typing import Any

from channels.testing import WebsocketCommunicator
from pycrdt import (
    Doc,
    Text,
    YMessageType,
    YSyncMessageType,
    create_sync_message,
    create_update_message,
    handle_sync_message,
    read_message,
    write_var_uint,
)

from collab.asgi import application


class YClient:
    def __init__(self, communicator: WebsocketCommunicator) -> None:
        self.ws = communicator
        self.doc = Doc()
        self.awareness: dict[int, dict[str, Any] | None] = {}
        self.awareness_clocks: dict[int, int] = {}
        self.auth_denied: list[str] = []
        self.received_updates = 0

    @classmethod
    async def connect(
        cls,
        document_id: Any,
        token: str | None,
        headers: list[tuple[bytes, bytes]] | None = None,
        link: str | None = None,
    ) -> tuple[YClient, bool]:
        """A client of the document socket: with an API token, a share link's secret, or
        neither (then ``headers`` may carry a session cookie)."""
        query = f"?token={token}" if token else f"?link={link}" if link else ""
        path = f"/ws/docs/{document_id}{query}"
        client = cls(WebsocketCommunicator(application, path, headers=headers or []))
        connected, _ = await client.ws.connect()
        return client, connected

    @property
    def text(self) -> Text:
        return self.doc.get("text", type=Text)

    async def sync(self) -> None:
        """The y-websocket handshake: answer the server's step 1, send ours, apply step 2."""
        await self.handle(await self.ws.receive_from(timeout=5))
        await self.ws.send_to(bytes_data=create_sync_message(self.doc))
        await self.pump_until_step2()

    async def pump_until_step2(self) -> None:
        while True:
            frame = await self.ws.receive_from(timeout=5)
            await self.handle(frame)
            if frame[0] == YMessageType.SYNC and frame[1] == YSyncMessageType.SYNC_STEP2:
                return

    async def handle(self, frame: bytes) -> None:
        if frame[0] == YMessageType.SYNC:
            if frame[1] != YSyncMessageType.SYNC_STEP1:
                self.received_updates += 1
            reply = handle_sync_message(frame[1:], self.doc)
            if reply is not None:
                await self.ws.send_to(bytes_data=reply)
        elif frame[0] == YMessageType.AWARENESS:
            self._read_awareness(read_message(frame[1:]))
        elif frame[0] == 2:
            self.auth_denied.append(read_message(frame[2:]).decode())

    def _read_awareness(self, payload: bytes) -> None:
        position = 0

        def uint() -> int:
            nonlocal position
            value = shift = 0
            while True:
                byte = payload[position]
                position += 1
                value |= (byte & 0x7F) << shift
                shift += 7
                if byte < 0x80:
                    return value

        for _ in range(uint()):
            client_id, clock = uint(), uint()
            length = uint()
            state = json.loads(payload[position : position + length])
            position += length
            self.awareness[client_id] = state
            self.awareness_clocks[client_id] = clock

    async def receive_one(self, timeout: float = 5) -> None:
        await self.handle(await self.ws.receive_from(timeout=timeout))

    async def insert(self, index: int, chars: str) -> None:
        """Edit locally and send the update, as a Yjs provider does."""
        before = self.doc.get_state()
        self.text.insert(index, chars)
        await self.ws.send_to(bytes_data=create_update_message(self.doc.get_update(before)))

    async def send_awareness(self, state: dict[str, Any] | None, clock: int = 1) -> None:
        body = json.dumps(state).encode()
        payload = (
            write_var_uint(1)
            + write_var_uint(self.doc.client_id)
            + write_var_uint(clock)
            + write_var_uint(len(body))
            + body
        )
        await self.ws.send_to(
            bytes_data=bytes([YMessageType.AWARENESS]) + write_var_uint(len(payload)) + payload
        )
