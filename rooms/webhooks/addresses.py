"""Where a webhook may send: http(s) URLs whose host resolves only to public addresses.

A hook is a request the server makes on a room owner's behalf, so without this check anyone
who owns a room could make Collab reach its own database, metadata service or admin pages
(server-side request forgery). The check runs when a hook is saved, for a clear 400, and again
right before each delivery, whose connection then goes to the very address that was checked:
a name that resolved to a public address at creation and to 127.0.0.1 later (DNS rebinding)
is refused at delivery. ``COLLAB_WEBHOOKS_ALLOW_PRIVATE`` lifts the address rule for
deployments whose receivers live on a private network (and for the tests' local receivers).

The lookup waits at most ``COLLAB_WEBHOOK_TIMEOUT_SECONDS``: the system resolver has no
timeout of its own to pass, and a name server that never answers would otherwise hold a
request, or a delivery past its claim. A lookup given up on keeps its thread until the
resolver gives up too; at most ``LOOKUPS_AT_ONCE`` run in a process, and past that a lookup is
refused at once instead of adding a thread.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit

from django.conf import settings

from rooms.core.errors import Invalid

ALLOWED_SCHEMES = ("http", "https")
URL_MAX_LENGTH = 2000
LOOKUPS_AT_ONCE = 32
_lookup_slots = threading.BoundedSemaphore(LOOKUPS_AT_ONCE)


class AddressRefused(Invalid):
    """The URL may not be used as a webhook (``field`` is ``url``; ``code`` says why)."""


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (``address``) and what to ask for there."""

    url: str
    scheme: str
    host: str
    port: int
    address: str
    path: str  # path and query, as the request line carries them


def url_parse(url: str) -> SplitResult:
    """``url`` split, if it is an absolute http(s) URL with a host. Raises ``AddressRefused``
    (``invalid_url``, ``url_scheme_not_allowed``)."""
    if not isinstance(url, str) or not url.strip() or len(url) > URL_MAX_LENGTH:
        raise AddressRefused("Give an absolute http(s) URL.", code="invalid_url", field="url")
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError as error:
        raise AddressRefused(f"Not a URL: {error}.", code="invalid_url", field="url") from error
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise AddressRefused(
            "Webhook URLs must start with http:// or https://.",
            code="url_scheme_not_allowed",
            field="url",
        )
    if not parts.hostname:
        raise AddressRefused("The URL has no host.", code="invalid_url", field="url")
    if parts.username or parts.password:
        raise AddressRefused(
            "Put no credentials in the URL; verify deliveries with the signature instead.",
            code="invalid_url",
            field="url",
        )
    return parts


def is_public(address: str) -> bool:
    """Whether ``address`` is globally routable (not loopback, private, link-local, shared,
    multicast, reserved or unspecified), looking through IPv4-mapped IPv6 addresses."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def target_resolve(url: str) -> Target:
    """Check ``url`` and resolve its host; returns the address to connect to.

    Every address the name resolves to must be public (unless
    ``COLLAB_WEBHOOKS_ALLOW_PRIVATE``), so a name with one public and one private record is
    refused too. Raises ``AddressRefused``: ``invalid_url``, ``url_scheme_not_allowed``,
    ``url_unresolvable`` (no such host, or no answer within the webhook timeout),
    ``url_private_address``.
    """
    parts = url_parse(url)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    port = parts.port or (443 if scheme == "https" else 80)
    addresses = list(dict.fromkeys(str(info[4][0]) for info in _look_up(host, port)))
    if not addresses:
        raise AddressRefused(
            f"The host {host} does not resolve.", code="url_unresolvable", field="url"
        )
    if not settings.COLLAB_WEBHOOKS_ALLOW_PRIVATE and not all(map(is_public, addresses)):
        raise AddressRefused(
            f"The host {host} resolves to a private or loopback address.",
            code="url_private_address",
            field="url",
        )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(
        url=url.strip(), scheme=scheme, host=host, port=port, address=addresses[0], path=path
    )


def _look_up(host: str, port: int) -> list[Any]:
    """``getaddrinfo`` on a thread of its own, waited for at most the webhook timeout (the
    thread is left to finish alone). Raises ``AddressRefused`` (``url_unresolvable``)."""
    timeout = settings.COLLAB_WEBHOOK_TIMEOUT_SECONDS
    slots = _lookup_slots
    found: list[Any] = []
    failed: list[BaseException] = []
    done = threading.Event()

    def look_up() -> None:
        try:
            found.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as error:
            failed.append(error)
        finally:
            slots.release()
            done.set()

    if not slots.acquire(blocking=False):
        raise AddressRefused(
            f"The host {host} was not looked up: {LOOKUPS_AT_ONCE} earlier lookups are still "
            "waiting for the name server.",
            code="url_unresolvable",
            field="url",
        )
    threading.Thread(target=look_up, name="webhook-dns", daemon=True).start()
    if not done.wait(timeout):
        raise AddressRefused(
            f"The host {host} did not resolve within {timeout:g} s.",
            code="url_unresolvable",
            field="url",
        )
    if failed:
        raise AddressRefused(
            f"The host {host} does not resolve.", code="url_unresolvable", field="url"
        ) from failed[0]
    return found
