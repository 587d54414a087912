"""The versions of Daphne, Twisted and autobahn this adapter was tested with, and the private
attributes it relies on, checked before the web process starts.

The adapter reaches into these libraries' internals for speed and for close codes their public
API refuses. A release may rename any of them without notice; then the server would fail on
the first fan-out or shutdown instead of at start-up. Like Django's database backends checking
their driver's version, ``check`` refuses to start, naming each library out of range and each
attribute missing. Keep ``SUPPORTED`` in step with pyproject.toml (a test compares them).
"""

from __future__ import annotations

import importlib.metadata
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


class IncompatibleWebServer(RuntimeError):
    """An installed library is outside the tested range or lacks an attribute the adapter
    uses; the message names every one."""


@dataclass(frozen=True)
class Range:
    """Versions from ``minimum`` (included) up to ``below`` (excluded)."""

    minimum: str
    below: str

    def __contains__(self, version: object) -> bool:
        if not isinstance(version, str):
            return False
        return _release(self.minimum) <= _release(version) < _release(self.below)

    def __str__(self) -> str:
        return f">={self.minimum},<{self.below}"


SUPPORTED: dict[str, Range] = {
    "daphne": Range("4.2.2", "4.3"),
    "twisted": Range("26.10.0", "26.11"),
    "autobahn": Range("26.10.2", "26.11"),
}


@dataclass(frozen=True)
class Attribute:
    """A private attribute the adapter uses, and how to tell it is there."""

    name: str
    present: Callable[[], bool]


def _on_class(module: str, cls: str, attribute: str) -> Attribute:
    def present() -> bool:
        return hasattr(getattr(importlib.import_module(module), cls), attribute)

    return Attribute(f"{module}.{cls}.{attribute}", present)


def _in_module(module: str, attribute: str) -> Attribute:
    def present() -> bool:
        return hasattr(importlib.import_module(module), attribute)

    return Attribute(f"{module}.{attribute}", present)


def _named_in(module: str, cls: str, method: str, name: str, role: str) -> Attribute:
    """An attribute a method sets on a live connection or reactor (or a global it calls), which
    takes more than a bare instance to observe: the method's code must still name it."""

    def present() -> bool:
        function = getattr(getattr(importlib.import_module(module), cls), method)
        return name in function.__code__.co_names

    return Attribute(f"{module}.{cls}.{method} {role} {name}", present)


def _on_tcp_connection(attribute: str) -> Attribute:
    """An attribute of Twisted's TCP transport, looked up on a real, unconnected one."""

    def present() -> bool:
        from twisted.internet import tcp

        with socket.socket() as sock:
            # Any truthy reactor: the transport only stores it until it reads or writes.
            connection: Any = tcp.Connection(sock, None, reactor=object())  # type: ignore[arg-type]
            return hasattr(connection, attribute)

    return Attribute(f"twisted.internet.tcp.Connection.{attribute}", present)


def _prepared_message_attribute(attribute: str) -> Attribute:
    def present() -> bool:
        from autobahn.websocket.protocol import PreparedMessage

        message = PreparedMessage(b"", isBinary=True, applyMask=False, doNotCompress=True)
        return hasattr(message, attribute)

    return Attribute(f"autobahn.websocket.protocol.PreparedMessage.{attribute}", present)


def _copied_option(option: str) -> Attribute:
    """A protocol option that autobahn copies from the factory unless the protocol class sets
    it (``WebSocketProtocol._connectionMade`` walks ``CONFIG_ATTRS``)."""

    def present() -> bool:
        from autobahn.websocket.protocol import WebSocketServerProtocol

        return option in WebSocketServerProtocol.CONFIG_ATTRS

    return Attribute(f"autobahn.websocket.protocol.WebSocketServerProtocol.{option}", present)


ATTRIBUTES: tuple[Attribute, ...] = (
    _on_class("daphne.ws_protocol", "WebSocketProtocol", "sendCloseFrame"),
    _on_class("daphne.ws_protocol", "WebSocketProtocol", "sendPreparedMessage"),
    _on_class("daphne.ws_protocol", "WebSocketProtocol", "muted"),
    _named_in(
        "autobahn.websocket.protocol",
        "WebSocketProtocol",
        "_connectionMade",
        "_perMessageCompress",
        "sets",
    ),
    _named_in(
        "autobahn.websocket.protocol", "WebSocketProtocol", "_connectionMade", "pformat", "calls"
    ),
    _in_module("autobahn.websocket.protocol", "pformat"),
    _named_in(
        "autobahn.websocket.protocol",
        "WebSocketProtocol",
        "_connectionMade",
        "CONFIG_ATTRS",
        "reads",
    ),
    _copied_option("failByDrop"),
    _copied_option("closeHandshakeTimeout"),
    _on_class("daphne.ws_protocol", "WebSocketFactory", "prepareMessage"),
    _on_class("daphne.ws_protocol", "WebSocketFactory", "protocol"),
    _prepared_message_attribute("payloadHybi"),
    _on_class("daphne.server", "Server", "create_application"),
    _named_in(
        "twisted.internet.asyncioreactor",
        "AsyncioSelectorReactor",
        "__init__",
        "_asyncioEventloop",
        "sets",
    ),
    _on_tcp_connection("socket"),
    _on_tcp_connection("dataBuffer"),
    _on_tcp_connection("_tempDataBuffer"),
    _on_tcp_connection("connected"),
    _on_tcp_connection("disconnecting"),
    _on_tcp_connection("pauseProducing"),
    _on_tcp_connection("resumeProducing"),
    _named_in("daphne.ws_protocol", "WebSocketProtocol", "onMessage", "application_queue", "fills"),
)


def check(
    version_of: Callable[[str], str] = importlib.metadata.version,
    supported: dict[str, Range] | None = None,
    attributes: Iterable[Attribute] | None = None,
) -> None:
    """Return if every library is installed within its supported range (``SUPPORTED``) and
    every attribute (``ATTRIBUTES``) is present; raise ``IncompatibleWebServer`` naming each one
    that is not otherwise. Importing the libraries installs Twisted's asyncio reactor, as
    ``daphne.server`` does."""
    problems: list[str] = []
    for distribution, versions in (SUPPORTED if supported is None else supported).items():
        try:
            installed = version_of(distribution)
        except importlib.metadata.PackageNotFoundError:
            problems.append(f"{distribution} is not installed (supported: {versions})")
            continue
        if installed not in versions:
            problems.append(f"{distribution} {installed} is outside the supported {versions}")
    for attribute in ATTRIBUTES if attributes is None else attributes:
        try:
            present = attribute.present()
        except (ImportError, AttributeError, TypeError):
            present = False
        if not present:
            problems.append(f"missing: {attribute.name}")
    if problems:
        raise IncompatibleWebServer(
            "The web server's libraries do not match what collab.webserver was tested with:\n  "
            + "\n  ".join(problems)
        )


def _release(version: str) -> tuple[int, ...]:
    """The leading numbers of a version (``26.10.0rc1`` is ``(26, 10, 0)``)."""
    match = re.match(r"\d+(\.\d+)*", version)
    if match is None:
        return ()
    return tuple(int(part) for part in match.group().split("."))
