"""Names of the ASGI scope ``extensions`` Collab's web server (``collab.webserver``) offers its
consumers. Here, among the concepts, so consumers name an extension without importing the
server, which installs Twisted's reactor and which consumers (and their tests) must not do."""

from __future__ import annotations

# A callable ``(frame: bytes, binary: bool = True) -> bool`` writing a frame (binary, or UTF-8
# text) that many sockets are sent, framed once per process; False if it sent nothing (then
# send through ASGI as usual).
SEND_SHARED = "collab.send_shared"
