"""Collab from Python: sign in for an API token, make a room and a document over REST, hold
the document live with pycrdt over its y-websocket socket, write to it on the socket and over
REST, and watch each write arrive on the other side.

    pip install pycrdt websockets
    python docs/examples/python_client.py http://localhost:8000 USERNAME PASSWORD

Only the standard library, pycrdt and websockets; tests/e2e/test_python_client_example.py
runs it against a real server, so it keeps working. See docs/api.md.
"""

from __future__ import annotations

import asyncio
import json
import sys
import urllib.request
from typing import Any

from pycrdt import (
    Doc,
    XmlElement,
    XmlFragment,
    XmlText,
    YMessageType,
    YSyncMessageType,
    create_sync_message,
    create_update_message,
    handle_sync_message,
    write_var_uint,
)
from websockets.asyncio.client import ClientConnection, connect

# Collab's confirm frame (y-websocket message type 100, then a number): the server sends it
# back once everything the client sent before it is stored.
CONFIRM = 100


def call(url: str, token: str = "", method: str = "GET", body: Any = None) -> Any:
    """One REST call; the parsed JSON answer. Errors are ``{"detail", "code"}`` (HTTPError)."""
    request = urllib.request.Request(  # noqa: S310 (the server's own http(s) URLs)
        url,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (as above)
        return json.loads(response.read())


def call_all(url: str, token: str) -> list[Any]:
    """Every item of a list: lists come in pages (``results``), ``next`` links the next one."""
    items: list[Any] = []
    next_page: str | None = url
    while next_page is not None:
        page = call(next_page, token)
        items += page["results"]
        next_page = page["next"]
    return items


class LiveDocument:
    """A pycrdt document kept in step with the server over ``/ws/docs/{id}``."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.doc: Doc[Any] = Doc()
        self.content = self.doc.get("default", type=XmlFragment)  # what the editor shows

    async def sync(self) -> None:
        """The y-websocket handshake: send our state, answer the server's, apply its reply."""
        await self.socket.send(create_sync_message(self.doc))
        step2 = bytes((YMessageType.SYNC, YSyncMessageType.SYNC_STEP2))
        while (await self.receive())[:2] != step2:
            pass

    async def receive(self) -> bytes:
        """The next frame from the server, applied to the document if it is a sync frame
        (others are awareness, the cursors of others, and the confirm frame)."""
        frame = await self.socket.recv()
        assert isinstance(frame, bytes)
        if frame[0] == YMessageType.SYNC:
            reply = handle_sync_message(frame[1:], self.doc)
            if reply is not None:
                await self.socket.send(reply)
        return frame

    async def add_paragraph(self, text: str) -> None:
        """Edit locally and send the change; return once the server has stored it."""
        before = self.doc.get_state()
        self.content.children.append(XmlElement("paragraph", contents=[XmlText(text)]))
        await self.socket.send(create_update_message(self.doc.get_update(before)))
        confirm = write_var_uint(CONFIRM) + write_var_uint(1)
        await self.socket.send(confirm)
        while await self.receive() != confirm:
            pass

    async def wait_for(self, text: str) -> None:
        """Apply what the server sends until the document holds ``text``."""
        while text not in str(self.content):
            await self.receive()


async def run(base_url: str, username: str, password: str) -> None:
    api = f"{base_url}/api/v1"
    credentials = {"username": username, "password": password}
    token = call(f"{api}/auth/token", method="POST", body=credentials)["token"]
    print("signed in")
    room = call(f"{api}/rooms", token, "POST", {"name": "Python client example"})
    document = call(
        f"{api}/rooms/{room['id']}/documents",
        token,
        "POST",
        {"title": "Written from Python", "kind": "text"},
    )
    titles = [d["title"] for d in call_all(f"{api}/rooms/{room['id']}/documents", token)]
    print(f"created document {document['id']} in room {room['id']}: {titles}")

    content_url = f"{api}/documents/{document['id']}/content"
    socket_url = base_url.replace("http", "ws", 1) + f"/ws/docs/{document['id']}?token={token}"
    async with connect(socket_url) as socket:
        live = LiveDocument(socket)
        await live.sync()
        print("synced over the socket")

        await live.add_paragraph("Hello from the socket.")
        stored = call(f"{content_url}?format=text", token)
        print(f"REST reads: {stored['content'].strip()!r}")

        call(content_url, token, "POST", {"mode": "append", "text": "Hello from REST."})
        await asyncio.wait_for(live.wait_for("Hello from REST."), timeout=30)
        print(f"the socket sees: {live.content}")


if __name__ == "__main__":
    asyncio.run(run(*sys.argv[1:4]))
